//! Dot voting: rounds, ballots, and the tally.
//!
//! A facilitator opens a [`Round`] on a section's items with an equal budget of dots for
//! everyone. Each person's [`Ballot`] is one value under "<round id>/<voter id>", replaced
//! whole when they move a dot, so a ballot never merges into something nobody cast.
//!
//! The tally is computed here, from the document, by every client and the server alike,
//! and it trusts nothing a ballot says about itself: it reads a ballot's dots in item-id
//! order and stops counting at the round's budget, ignores dots that are not whole
//! positive numbers or that name items outside the round, and takes the voter from the
//! key. A modified client that writes extra dots into the document gains nothing.
//!
//! Sealed rounds keep ballots out of the document altogether until the round closes:
//! people send them to the server, which writes them all in at once when a facilitator
//! closes the round ([`Board::publish_ballots`]). Anything found under a sealed round
//! while it is open was not sent that way, and is not counted.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use yrs::{Any, Map, ReadTxn, TransactionMut};

use super::{Author, Board, ParticipantRole, SchemaError, as_f64, as_object, as_string};

/// Most dots a round may give each person.
pub const MAX_BUDGET: u32 = 100;

/// Whether a round still takes votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RoundState {
    #[default]
    Open,
    Closed,
}

/// A voting round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub id: String,
    pub title: String,
    /// The section whose items are voted on ("" for every idea and priority on the board).
    pub section: String,
    /// Dots each person may place.
    pub budget: u32,
    /// Votes stay hidden, even from the document, until the round closes.
    pub sealed: bool,
    pub state: RoundState,
    pub created_at: f64,
    pub closed_at: Option<f64>,
}

/// One person's dots in one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ballot {
    pub round: String,
    /// The voter's browser identity.
    pub voter: String,
    /// As the voter chose to be named ("" when anonymous).
    pub name: String,
    pub role: ParticipantRole,
    pub at: f64,
    /// Dots per item id.
    pub dots: BTreeMap<String, u32>,
}

impl Ballot {
    /// Dots placed.
    pub fn total(&self) -> u64 {
        self.dots.values().map(|&n| u64::from(n)).sum()
    }
}

/// One item's place in a round's ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub item: String,
    pub votes: u32,
    /// 1 for the most votes; items with equal votes share a rank ("1, 2, 2, 4").
    pub rank: u32,
    /// Another item has the same number of votes.
    pub tied: bool,
}

/// The result of a round, as far as it can be shown now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub round: Round,
    /// The round is sealed and still open: nothing is shown yet.
    pub hidden: bool,
    /// People whose ballots were counted.
    pub voters: u32,
    /// Every candidate item, most votes first.
    pub ranking: Vec<Ranked>,
    /// Dots counted, per role of the voter.
    pub dots_by_role: BTreeMap<String, u32>,
    /// Dots found in the document but not counted (over budget, malformed, not a candidate).
    pub ignored: u64,
}

impl Board {
    /// Opens a round.
    pub fn add_round(&self, txn: &mut TransactionMut, round: &Round) -> Result<(), SchemaError> {
        if !is_round_id(&round.id) {
            return Err(SchemaError::Invalid(
                "a round id is 1 to 64 letters, digits, '-' or '_'".into(),
            ));
        }
        if round.budget == 0 || round.budget > MAX_BUDGET {
            return Err(SchemaError::Invalid(format!(
                "a round gives each person between 1 and {MAX_BUDGET} votes"
            )));
        }
        self.rounds
            .insert(txn, round.id.as_str(), round_to_any(round));
        Ok(())
    }

    /// Every round, oldest first.
    pub fn read_rounds<T: ReadTxn>(&self, txn: &T) -> Vec<Round> {
        let mut out: Vec<Round> = self
            .rounds
            .iter(txn)
            .filter_map(|(id, v)| read_round(id, &as_object(&v, txn)?))
            .collect();
        out.sort_by(|a, b| a.created_at.total_cmp(&b.created_at).then(a.id.cmp(&b.id)));
        out
    }

    /// One round.
    pub fn round<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<Round, SchemaError> {
        self.rounds
            .get(txn, id)
            .and_then(|v| read_round(id, &as_object(&v, txn)?))
            .ok_or_else(|| SchemaError::NoSuchRound(id.to_owned()))
    }

    /// Closes a round. Closing a sealed round goes through the server, which also
    /// publishes its ballots ([`Board::publish_ballots`]).
    pub fn close_round(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        at: f64,
    ) -> Result<(), SchemaError> {
        let mut round = self.round(txn, id)?;
        round.state = RoundState::Closed;
        round.closed_at = Some(at);
        self.rounds.insert(txn, id, round_to_any(&round));
        Ok(())
    }

    /// Checks a ballot against its round: open, and within the budget.
    pub fn check_ballot<T: ReadTxn>(&self, txn: &T, ballot: &Ballot) -> Result<Round, SchemaError> {
        let round = self.round(txn, &ballot.round)?;
        if round.state == RoundState::Closed {
            return Err(SchemaError::RoundClosed);
        }
        if ballot.total() > u64::from(round.budget) {
            return Err(SchemaError::Invalid(format!(
                "this round gives each person {} votes",
                round.budget
            )));
        }
        if ballot.voter.is_empty() || ballot.voter.contains('/') {
            return Err(SchemaError::Invalid(
                "a ballot needs a voter id without '/'".into(),
            ));
        }
        Ok(round)
    }

    /// Casts (or replaces) a ballot in an open, unsealed round.
    pub fn cast_ballot(
        &self,
        txn: &mut TransactionMut,
        ballot: &Ballot,
    ) -> Result<(), SchemaError> {
        let round = self.check_ballot(txn, ballot)?;
        if round.sealed {
            return Err(SchemaError::Invalid(
                "votes in a sealed round go to the server, not into the board".into(),
            ));
        }
        self.votes.insert(
            txn,
            ballot_key(&ballot.round, &ballot.voter),
            ballot_to_any(ballot),
        );
        Ok(())
    }

    /// Closes a sealed round and writes its ballots into the board. Anything already under
    /// the round was not cast through the server, so it is removed first.
    pub fn publish_ballots(
        &self,
        txn: &mut TransactionMut,
        round: &str,
        ballots: &[Ballot],
        at: f64,
    ) -> Result<(), SchemaError> {
        self.round(txn, round)?;
        let prefix = format!("{round}/");
        let stale: Vec<String> = self
            .votes
            .keys(txn)
            .filter(|k| k.starts_with(&prefix))
            .map(str::to_owned)
            .collect();
        for key in stale {
            self.votes.remove(txn, &key);
        }
        for b in ballots.iter().filter(|b| b.round == round) {
            self.votes
                .insert(txn, ballot_key(round, &b.voter), ballot_to_any(b));
        }
        self.close_round(txn, round, at)
    }

    /// The ballot of one voter in one round, if any is in the document.
    pub fn ballot<T: ReadTxn>(&self, txn: &T, round: &str, voter: &str) -> Option<Ballot> {
        let v = self.votes.get(txn, &ballot_key(round, voter))?;
        read_ballot(round, voter, &as_object(&v, txn)?)
    }

    /// Every ballot of a round found in the document, keyed consistently.
    pub fn ballots<T: ReadTxn>(&self, txn: &T, round: &str) -> Vec<Ballot> {
        let prefix = format!("{round}/");
        let mut out: Vec<Ballot> = self
            .votes
            .iter(txn)
            .filter_map(|(key, v)| {
                let voter = key.strip_prefix(&prefix)?;
                read_ballot(round, voter, &as_object(&v, txn)?)
            })
            .collect();
        out.sort_by(|a, b| a.voter.cmp(&b.voter));
        out
    }

    /// The items a round is about: its section's items, or every idea and priority.
    pub fn candidates<T: ReadTxn>(&self, txn: &T, round: &Round) -> Vec<String> {
        self.read_items(txn)
            .into_iter()
            .filter(|i| {
                if round.section.is_empty() {
                    matches!(i.kind.as_str(), "idea" | "priority")
                } else {
                    i.section == round.section
                }
            })
            .map(|i| i.id)
            .collect()
    }

    /// Counts a round (see the module docs for what is not counted).
    pub fn tally<T: ReadTxn>(&self, txn: &T, round_id: &str) -> Result<Tally, SchemaError> {
        let round = self.round(txn, round_id)?;
        let candidates = self.candidates(txn, &round);
        let hidden = round.sealed && round.state == RoundState::Open;
        let mut counts: HashMap<&str, u32> = candidates.iter().map(|c| (c.as_str(), 0)).collect();
        let mut dots_by_role = BTreeMap::new();
        let (mut voters, mut ignored) = (0u32, 0u64);
        let ballots = if hidden {
            Vec::new()
        } else {
            self.ballots(txn, round_id)
        };
        for b in &ballots {
            let mut left = round.budget;
            let mut counted = 0u32;
            for (item, &n) in &b.dots {
                let take = n.min(left);
                ignored += u64::from(n - take);
                match counts.get_mut(item.as_str()) {
                    Some(c) if take > 0 => {
                        *c += take;
                        left -= take;
                        counted += take;
                    }
                    _ => ignored += u64::from(take),
                }
            }
            if counted > 0 {
                voters += 1;
                *dots_by_role.entry(b.role.as_str().to_owned()).or_insert(0) += counted;
            }
        }
        if hidden {
            ignored = self.ballots(txn, round_id).iter().map(Ballot::total).sum();
        }
        let ranking = rank(candidates.iter().map(|c| (c.clone(), counts[c.as_str()])));
        Ok(Tally {
            round,
            hidden,
            voters,
            ranking,
            dots_by_role,
            ignored,
        })
    }
}

/// Ranks items by votes, most first (ties by item id for a stable order), giving equal
/// votes an equal rank and marking them tied.
pub fn rank(items: impl Iterator<Item = (String, u32)>) -> Vec<Ranked> {
    let mut list: Vec<(String, u32)> = items.collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<Ranked> = Vec::with_capacity(list.len());
    for (i, (item, votes)) in list.iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.votes == *votes => prev.rank,
            _ => i as u32 + 1,
        };
        out.push(Ranked {
            item: item.clone(),
            votes: *votes,
            rank,
            tied: false,
        });
    }
    for i in 0..out.len() {
        let same = |j: usize| out.get(j).is_some_and(|o: &Ranked| o.votes == out[i].votes);
        let tied = (i > 0 && same(i - 1)) || same(i + 1);
        out[i].tied = tied;
    }
    out
}

fn ballot_key(round: &str, voter: &str) -> String {
    format!("{round}/{voter}")
}

fn round_to_any(r: &Round) -> Any {
    let mut m = HashMap::from([
        ("id".to_owned(), Any::from(r.id.as_str())),
        ("title".to_owned(), Any::from(r.title.as_str())),
        ("section".to_owned(), Any::from(r.section.as_str())),
        ("budget".to_owned(), Any::from(f64::from(r.budget))),
        ("sealed".to_owned(), Any::from(r.sealed)),
        (
            "state".to_owned(),
            Any::from(match r.state {
                RoundState::Open => "open",
                RoundState::Closed => "closed",
            }),
        ),
        ("created_at".to_owned(), Any::from(r.created_at)),
    ]);
    if let Some(at) = r.closed_at {
        m.insert("closed_at".to_owned(), Any::from(at));
    }
    Any::from(m)
}

/// Round ids are short and plain (letters, digits, `-`, `_`): they appear in ballot keys
/// ("<round>/<voter>") and in URLs, so a `/` or `?` in one could confuse both.
pub fn is_round_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(crate) fn read_round(id: &str, f: &HashMap<String, Any>) -> Option<Round> {
    if !is_round_id(id) {
        return None;
    }
    let budget = as_f64(f.get("budget"))?;
    if !(1.0..=f64::from(MAX_BUDGET)).contains(&budget) || budget.fract() != 0.0 {
        return None;
    }
    Some(Round {
        id: id.to_owned(),
        title: as_string(f.get("title")).unwrap_or_default(),
        section: as_string(f.get("section")).unwrap_or_default(),
        budget: budget as u32,
        sealed: matches!(f.get("sealed"), Some(Any::Bool(true))),
        state: match as_string(f.get("state")).as_deref() {
            Some("closed") => RoundState::Closed,
            _ => RoundState::Open,
        },
        created_at: as_f64(f.get("created_at")).unwrap_or(0.0),
        closed_at: as_f64(f.get("closed_at")),
    })
}

fn ballot_to_any(b: &Ballot) -> Any {
    let dots: HashMap<String, Any> = b
        .dots
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, &n)| (k.clone(), Any::from(f64::from(n))))
        .collect();
    Any::from(HashMap::from([
        ("round".to_owned(), Any::from(b.round.as_str())),
        ("voter".to_owned(), Any::from(b.voter.as_str())),
        ("name".to_owned(), Any::from(b.name.as_str())),
        ("role".to_owned(), Any::from(b.role.as_str())),
        ("at".to_owned(), Any::from(b.at)),
        ("dots".to_owned(), Any::from(dots)),
    ]))
}

/// Reads a ballot, keeping only dots that are whole positive numbers; the round and
/// voter come from the key, never from the value.
pub(crate) fn read_ballot(round: &str, voter: &str, f: &HashMap<String, Any>) -> Option<Ballot> {
    let mut dots = BTreeMap::new();
    if let Some(Any::Map(m)) = f.get("dots") {
        for (item, n) in m.iter() {
            if let Some(n) = as_f64(Some(n))
                && n >= 1.0
                && n.fract() == 0.0
            {
                // No ballot can count more than a budget allows; capping here also keeps
                // absurd numbers out of every client's arithmetic and display.
                dots.insert(item.clone(), n.min(f64::from(MAX_BUDGET)) as u32);
            }
        }
    }
    Some(Ballot {
        round: round.to_owned(),
        voter: voter.to_owned(),
        name: as_string(f.get("name")).unwrap_or_default(),
        role: ParticipantRole::parse(&as_string(f.get("role")).unwrap_or_default())
            .unwrap_or_default(),
        at: as_f64(f.get("at")).unwrap_or(0.0),
        dots,
    })
}

/// Builds a ballot keyed by `author.id` with the author's stored name (none when
/// anonymous). Clients pass, for anonymous people, a voter id of its own that is not the
/// id of their named contributions, so anonymous votes cannot be linked to a name.
pub fn ballot_for(author: &Author, round: &str, at: f64, dots: BTreeMap<String, u32>) -> Ballot {
    Ballot {
        round: round.to_owned(),
        voter: author.id.clone(),
        name: author.stored().name,
        role: author.role,
        at,
        dots,
    }
}
