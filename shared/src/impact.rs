//! The impact log ("you said, we did") and a draft GRIPP2 short-form report, read from a
//! board.
//!
//! Both leave the board, so they honour consent as exports do: withdrawn, "not quoted" and
//! expired contributions are left out, and authors are credited as each chose. The log
//! lists the contributions of public members (the people co-production must answer to),
//! with their outcome, or "pending" when nobody has said yet.
//!
//! GRIPP2 (Staniszewska et al., 2017) is the reporting checklist for patient and public
//! involvement; its short form asks for the aim, methods, results, outcomes (influence)
//! and critical reflection. [`Gripp2`] gathers what the board can tell; the server's
//! renderer says plainly where the group must write the rest.

use serde::{Deserialize, Serialize};
use yrs::ReadTxn;

use crate::schema::{Board, ItemView, OutcomeState, ParticipantRole, Status, kind_label};

/// One public member's contribution and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactEntry {
    pub item: String,
    pub kind_label: String,
    pub text: String,
    /// The contributor, as their consent allows.
    pub who: String,
    pub contributed_at: f64,
    pub outcome: OutcomeState,
    pub reason: String,
    /// Who decided, and when (empty and 0 while pending).
    pub decided_by: String,
    pub decided_at: f64,
}

/// The impact log of a board, as of `now`, oldest contribution first.
pub fn impact_log<T: ReadTxn>(board: &Board, txn: &T, now: f64) -> Vec<ImpactEntry> {
    let mut out: Vec<ImpactEntry> = shareable(board, txn, now)
        .into_iter()
        .filter(|i| i.author.role == ParticipantRole::Public)
        .map(|i| {
            let who = match board.consent(txn, &i.id) {
                Some(c) => c.credit(i.author.display()),
                None => i.author.display().to_owned(),
            };
            let outcome = board.outcome(txn, &i.id);
            ImpactEntry {
                kind_label: kind_label(&i.kind).to_owned(),
                text: i.text.clone(),
                who,
                contributed_at: i.created_at,
                outcome: outcome.as_ref().map_or(OutcomeState::Pending, |o| o.state),
                reason: outcome.as_ref().map_or(String::new(), |o| o.reason.clone()),
                decided_by: outcome
                    .as_ref()
                    .map_or(String::new(), |o| o.by.display().to_owned()),
                decided_at: outcome.as_ref().map_or(0.0, |o| o.at),
                item: i.id,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.contributed_at
            .total_cmp(&b.contributed_at)
            .then(a.item.cmp(&b.item))
    });
    out
}

/// Items that may leave the board at `now`: not seeded, not withdrawn, consent allowing.
fn shareable<T: ReadTxn>(board: &Board, txn: &T, now: f64) -> Vec<ItemView> {
    board
        .read_items(txn)
        .into_iter()
        .filter(|i| !i.seeded && board.withdrawn_at(txn, &i.id).is_none())
        .filter(|i| {
            board
                .consent(txn, &i.id)
                .is_none_or(|c| c.allows_sharing(now))
        })
        .collect()
}

/// What the board can tell for a GRIPP2 short-form report; the server renders it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gripp2 {
    pub title: String,
    pub template: String,
    /// Agreed aims.
    pub aims: Vec<String>,
    /// Shareable contributions per role: public members, professionals, facilitators.
    pub contributions: [usize; 3],
    /// Public members' contributions by outcome: adopted, adapted, not adopted, pending.
    pub outcomes: [usize; 4],
    /// Adopted or adapted contributions, with who and why.
    pub influence: Vec<ImpactEntry>,
    /// Reflections written on the board.
    pub reflections: Vec<String>,
}

impl Gripp2 {
    pub fn build<T: ReadTxn>(board: &Board, txn: &T, now: f64) -> Self {
        let items = shareable(board, txn, now);
        let log = impact_log(board, txn, now);
        let count = |role| items.iter().filter(|i| i.author.role == role).count();
        let with = |s: OutcomeState| log.iter().filter(|e| e.outcome == s).count();
        Self {
            title: board.title(txn).unwrap_or_default(),
            template: board.template(txn),
            aims: items
                .iter()
                .filter(|i| i.kind == "aim" && i.status == Status::Agreed)
                .map(|i| i.text.clone())
                .collect(),
            contributions: [
                count(ParticipantRole::Public),
                count(ParticipantRole::Professional),
                count(ParticipantRole::Facilitator),
            ],
            outcomes: [
                with(OutcomeState::Adopted),
                with(OutcomeState::Adapted),
                with(OutcomeState::NotAdopted),
                with(OutcomeState::Pending),
            ],
            influence: log
                .iter()
                .filter(|e| matches!(e.outcome, OutcomeState::Adopted | OutcomeState::Adapted))
                .cloned()
                .collect(),
            reflections: items
                .iter()
                .filter(|i| i.kind == "review")
                .map(|i| i.text.clone())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
