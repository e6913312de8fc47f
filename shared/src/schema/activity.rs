//! The activity list (who changed what, when) and the participation balance.
//!
//! Clients append one [`ActivityEntry`] per meaningful action: adding an item, a burst
//! of editing one item (not each keystroke), a change of status, a comment, a vote, a
//! deletion. The [`Participation`] panel counts, per role people chose, the items they
//! made, their edits, the votes counted for them and their comments, so a group can see
//! whether public members' voices carry as much weight as professionals'.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use yrs::types::ToJson;
use yrs::{Any, Array, ReadTxn, TransactionMut};

use super::{Author, Board, ParticipantRole, as_f64, as_string};

/// What someone did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Added,
    Edited,
    Status,
    Commented,
    Voted,
    Deleted,
    Round,
}

impl Action {
    const ALL: [Action; 7] = [
        Self::Added,
        Self::Edited,
        Self::Status,
        Self::Commented,
        Self::Voted,
        Self::Deleted,
        Self::Round,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Edited => "edited",
            Self::Status => "status",
            Self::Commented => "commented",
            Self::Voted => "voted",
            Self::Deleted => "deleted",
            Self::Round => "round",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One line of the activity list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub at: f64,
    pub who: Author,
    pub action: Action,
    /// The item (or round) it concerns.
    pub item: String,
    /// The item's kind, so the line still reads well after the item is deleted.
    pub kind: String,
    /// A short plain description ("Agreed", the first words of a note, ...).
    pub detail: String,
}

/// Longest activity detail kept, in characters.
const MAX_DETAIL: usize = 80;

/// Counts for one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoleCounts {
    pub items: u32,
    pub edits: u32,
    pub votes: u32,
    pub comments: u32,
}

impl RoleCounts {
    pub fn total(&self) -> u32 {
        self.items + self.edits + self.votes + self.comments
    }
}

/// How much came from each role.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Participation {
    pub by_role: BTreeMap<String, RoleCounts>,
}

impl Participation {
    /// The counts for one role (zero if it has done nothing yet).
    pub fn role(&self, role: ParticipantRole) -> RoleCounts {
        self.by_role.get(role.as_str()).copied().unwrap_or_default()
    }
}

impl Board {
    /// Appends a line to the activity list.
    pub fn log(&self, txn: &mut TransactionMut, entry: &ActivityEntry) {
        let detail: String = entry.detail.chars().take(MAX_DETAIL).collect();
        let value = Any::from(HashMap::from([
            ("at".to_owned(), Any::from(entry.at)),
            ("who".to_owned(), entry.who.to_any()),
            ("action".to_owned(), Any::from(entry.action.as_str())),
            ("item".to_owned(), Any::from(entry.item.as_str())),
            ("kind".to_owned(), Any::from(entry.kind.as_str())),
            ("detail".to_owned(), Any::from(detail)),
        ]));
        self.activity.push_back(txn, value);
    }

    /// The activity list, newest first, at most `limit` lines. Malformed lines are skipped.
    pub fn read_activity<T: ReadTxn>(&self, txn: &T, limit: usize) -> Vec<ActivityEntry> {
        let mut out: Vec<ActivityEntry> = self
            .activity
            .iter(txn)
            .filter_map(|v| read_entry(&v.to_json(txn)))
            .collect();
        out.sort_by(|a, b| b.at.total_cmp(&a.at));
        out.truncate(limit);
        out
    }

    /// Counts contributions per role: items made (not the template's), edit lines in the
    /// activity list, votes counted in every round, and comments.
    pub fn participation<T: ReadTxn>(&self, txn: &T) -> Participation {
        let mut p = Participation::default();
        let mut bump = |role: ParticipantRole, f: &dyn Fn(&mut RoleCounts)| {
            f(p.by_role.entry(role.as_str().to_owned()).or_default());
        };
        for item in self.read_items(txn).into_iter().filter(|i| !i.seeded) {
            bump(item.author.role, &|c| c.items += 1);
        }
        for entry in self
            .activity
            .iter(txn)
            .filter_map(|v| read_entry(&v.to_json(txn)))
        {
            if entry.action == Action::Edited {
                bump(entry.who.role, &|c| c.edits += 1);
            }
        }
        for c in self.read_comments(txn) {
            bump(c.author.role, &|c| c.comments += 1);
        }
        for round in self.read_rounds(txn) {
            if let Ok(t) = self.tally(txn, &round.id) {
                for (role, n) in t.dots_by_role {
                    if let Some(role) = ParticipantRole::parse(&role) {
                        bump(role, &|c| c.votes += n);
                    }
                }
            }
        }
        p
    }
}

pub(crate) fn read_entry(any: &Any) -> Option<ActivityEntry> {
    let Any::Map(f) = any else { return None };
    Some(ActivityEntry {
        at: as_f64(f.get("at"))?,
        who: f.get("who").map(Author::from_any).unwrap_or_default(),
        action: Action::parse(&as_string(f.get("action"))?)?,
        item: as_string(f.get("item")).unwrap_or_default(),
        kind: as_string(f.get("kind")).unwrap_or_default(),
        detail: as_string(f.get("detail")).unwrap_or_default(),
    })
}
