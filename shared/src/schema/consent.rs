//! How a contribution may be used outside the board: with the author's name, their
//! initials, anonymously, or not quoted at all; for which purposes; until when.
//!
//! Stored on the item as `consent: { use, purposes: [..], until }`. An item without it
//! follows the author's own choice of name or anonymity, as before consent existed.
//! Exports ([`crate::export`]) honour it: an item "not quoted", or whose consent has run
//! out, is left out of anything that leaves the board.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::{Any, Map, Out, ReadTxn, TransactionMut};

use super::{Board, SchemaError, as_f64, as_string};

/// How the author may be credited outside the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribution {
    /// With the name they gave.
    #[default]
    Name,
    /// With their initials only.
    Initials,
    /// Without any name.
    Anonymous,
    /// Not quoted outside the board at all.
    NotQuoted,
}

impl Attribution {
    pub const ALL: [Attribution; 4] =
        [Self::Name, Self::Initials, Self::Anonymous, Self::NotQuoted];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Initials => "initials",
            Self::Anonymous => "anonymous",
            Self::NotQuoted => "not-quoted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Plain words for a chooser.
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Use it with my name",
            Self::Initials => "Use it with my initials",
            Self::Anonymous => "Use it without my name",
            Self::NotQuoted => "Do not quote it outside this board",
        }
    }
}

/// What a contribution may be used for outside the board.
pub const PURPOSES: [(&str, &str); 4] = [
    ("report", "The group's own plan and reports"),
    ("funding", "Funding bids"),
    ("research", "Research write-ups and publications"),
    ("publicity", "Public communications"),
];

/// A contribution's consent, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    #[serde(rename = "use")]
    pub attribution: Attribution,
    /// Ids from [`PURPOSES`]; empty means any purpose.
    pub purposes: Vec<String>,
    /// Until when (ms since the Unix epoch); `None` for no end.
    pub until: Option<f64>,
}

impl Consent {
    /// Whether the contribution may leave the board at time `now`.
    pub fn allows_sharing(&self, now: f64) -> bool {
        self.attribution != Attribution::NotQuoted && self.until.is_none_or(|u| now < u)
    }

    /// How to credit an author whose display name is `name` (already "Anonymous" for
    /// those who joined anonymously).
    pub fn credit(&self, name: &str) -> String {
        match self.attribution {
            Attribution::Name | Attribution::NotQuoted => name.to_owned(),
            Attribution::Initials => initials(name),
            Attribution::Anonymous => "Anonymous".to_owned(),
        }
    }

    fn to_any(&self) -> Any {
        let mut m = HashMap::from([
            ("use".to_owned(), Any::from(self.attribution.as_str())),
            (
                "purposes".to_owned(),
                Any::from(
                    self.purposes
                        .iter()
                        .map(|p| Any::from(p.as_str()))
                        .collect::<Vec<_>>(),
                ),
            ),
        ]);
        if let Some(until) = self.until {
            m.insert("until".to_owned(), Any::from(until));
        }
        Any::from(m)
    }

    pub(crate) fn from_any(any: &Any) -> Option<Self> {
        let Any::Map(m) = any else { return None };
        let attribution = Attribution::parse(&as_string(m.get("use"))?)?;
        let purposes = match m.get("purposes") {
            Some(Any::Array(list)) => list
                .iter()
                .filter_map(|p| as_string(Some(p)))
                .filter(|p| PURPOSES.iter().any(|(id, _)| id == p))
                .collect(),
            _ => Vec::new(),
        };
        Some(Self {
            attribution,
            purposes,
            until: as_f64(m.get("until")),
        })
    }
}

/// "Asha Begum" → "A. B."; a name with no letters → "Anonymous".
pub fn initials(name: &str) -> String {
    let parts: Vec<String> = name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect();
    if parts.is_empty() {
        "Anonymous".to_owned()
    } else {
        parts.join(" ")
    }
}

impl Board {
    /// Records how item `id` may be used outside the board.
    pub fn set_consent(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        consent: &Consent,
    ) -> Result<(), SchemaError> {
        let item = self.item(txn, id)?;
        item.insert(txn, "consent", consent.to_any());
        Ok(())
    }

    /// Item `id`'s consent, if one was recorded.
    pub fn consent<T: ReadTxn>(&self, txn: &T, id: &str) -> Option<Consent> {
        match self.item(txn, id).ok()?.get(txn, "consent") {
            Some(Out::Any(a)) => Consent::from_any(&a),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_decides_sharing_and_credit() {
        let c = |a, until| Consent {
            attribution: a,
            purposes: vec![],
            until,
        };
        assert!(c(Attribution::Name, None).allows_sharing(5.0));
        assert!(c(Attribution::Initials, Some(10.0)).allows_sharing(5.0));
        assert!(!c(Attribution::Initials, Some(10.0)).allows_sharing(10.0));
        assert!(!c(Attribution::NotQuoted, None).allows_sharing(5.0));
        assert_eq!(
            c(Attribution::Initials, None).credit("asha  begum-khan"),
            "A. B."
        );
        assert_eq!(c(Attribution::Anonymous, None).credit("Asha"), "Anonymous");
        assert_eq!(c(Attribution::Name, None).credit("Asha"), "Asha");
        assert_eq!(initials("  "), "Anonymous");
    }

    #[test]
    fn consent_round_trips_through_the_document_and_ignores_unknown_purposes() {
        let doc = yrs::Doc::new();
        let board = Board::new(&doc);
        let mut txn = yrs::Transact::transact_mut(&doc);
        board.add_item(&mut txn, "a", &crate::schema::NewItem::default());
        let consent = Consent {
            attribution: Attribution::Initials,
            purposes: vec!["report".into(), "research".into()],
            until: Some(1.8e12),
        };
        board.set_consent(&mut txn, "a", &consent).unwrap();
        assert_eq!(board.consent(&txn, "a"), Some(consent));
        let item = board.item(&txn, "a").unwrap();
        item.insert(
            &mut txn,
            "consent",
            Any::from(HashMap::from([
                ("use".to_owned(), Any::from("anonymous")),
                ("purposes".to_owned(), Any::from(vec![Any::from("spam")])),
            ])),
        );
        let read = board.consent(&txn, "a").unwrap();
        assert_eq!(read.attribution, Attribution::Anonymous);
        assert!(read.purposes.is_empty() && read.until.is_none());
        assert!(board.set_consent(&mut txn, "nope", &read).is_err());
    }
}
