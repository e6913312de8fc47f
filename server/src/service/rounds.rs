//! Sealed voting rounds: ballots the board's document must not see until the round closes.
//!
//! In an open round people write their dots straight into the board. In a sealed round
//! that would show everyone's votes to every client (anyone can read the document), so
//! ballots come here instead and wait in the store. When a facilitator closes the round,
//! the server writes every ballot into the board in one edit and marks the round closed
//! (`Board::publish_ballots`); from then on everyone's tally includes them.

use std::net::IpAddr;
use std::sync::Arc;

use coboard_shared::api::rounds::{BallotCount, BallotRequest};
use coboard_shared::schema::{Ballot, RoundState, SchemaError};

use super::{Core, ServiceError, check_id, check_key, paced, short_name};
use crate::auth;
use crate::now_ms;
use crate::store::{Sealed, SealedEntry, StoreError};

/// Most sealed ballots one round keeps: a bound on the store, and on the one update that
/// publishes them when the round closes.
pub const MAX_BALLOTS_PER_ROUND: u64 = 1000;

/// Most items one ballot may name.
const MAX_BALLOT_ITEMS: usize = 200;

/// Sealed ballots: cast, counted, and published when the round closes.
#[derive(Clone)]
pub struct Rounds {
    core: Core,
}

impl Rounds {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Casts (or replaces) a sealed ballot, sent from `from`; answers how many the round
    /// now has.
    pub async fn cast(
        &self,
        board: &str,
        round: &str,
        req: BallotRequest,
        from: IpAddr,
    ) -> Result<BallotCount, ServiceError> {
        let slow = "Too many votes from this address; please wait a moment.";
        paced(&self.core.rates.ballots, from, slow)?;
        check_id("round id", round)?;
        check_key("ballot key", &req.key)?;
        if req.dots.len() > MAX_BALLOT_ITEMS {
            return Err(ServiceError::Invalid(format!(
                "A ballot can name at most {MAX_BALLOT_ITEMS} items."
            )));
        }
        for item in req.dots.keys() {
            check_id("item id", item)?;
        }
        // The voter is named by their secret key, not by anything public: nobody can cast
        // (or block) a sealed ballot in someone else's name, and an anonymous voter's
        // ballot cannot be linked to their named contributions.
        let key_hash = auth::hash_token(&req.key);
        let ballot = Ballot {
            round: round.to_owned(),
            voter: hex::encode(&key_hash[..8]),
            name: short_name(&req.name),
            role: req.role,
            at: now_ms() as f64,
            dots: req.dots.into_iter().filter(|(_, n)| *n > 0).collect(),
        };
        let _guard = self.core.locks.lock(board).await?;
        // Checked against the live board (read-only, no copy): the round exists, is sealed
        // and open, and the ballot is within its budget.
        let check = ballot.clone();
        self.core
            .registry
            .check(
                board,
                Arc::new(move |b, txn| {
                    let round = b.check_ballot(txn, &check)?;
                    if !round.sealed {
                        return Err(SchemaError::Invalid(
                            "This round is not sealed: votes go straight onto the board.".into(),
                        ));
                    }
                    Ok(())
                }),
            )
            .await?;
        let stored = SealedEntry {
            board_id: board.to_owned(),
            round: round.to_owned(),
            id: ballot.voter.clone(),
            key_hash,
            body: serde_json::to_string(&ballot)?,
        };
        let ballots = self
            .core
            .store
            .put_sealed(Sealed::Ballot, &stored, MAX_BALLOTS_PER_ROUND)
            .await
            .map_err(|e| match e {
                StoreError::TooMany => ServiceError::Conflict(format!(
                    "This round already has {MAX_BALLOTS_PER_ROUND} ballots, as many as it can take."
                )),
                StoreError::NotYours => ServiceError::Forbidden(
                    "That ballot was cast from another browser, so it cannot be changed from here."
                        .into(),
                ),
                e => e.into(),
            })?;
        tracing::info!(board, round, ballots, "sealed ballot stored");
        Ok(BallotCount {
            ballots,
            voter: Some(stored.id),
        })
    }

    /// How many sealed ballots a round has.
    pub async fn count(&self, board: &str, round: &str) -> Result<BallotCount, ServiceError> {
        check_id("round id", round)?;
        let ballots = (self.core.store)
            .sealed_count(Sealed::Ballot, board, round)
            .await?;
        Ok(BallotCount {
            ballots,
            voter: None,
        })
    }

    /// Closes a round. A sealed round's ballots are written into the board in the same
    /// edit, then forgotten by the store.
    pub async fn close(&self, board: &str, round: &str) -> Result<(), ServiceError> {
        check_id("round id", round)?;
        let _guard = self.core.locks.lock(board).await?;
        let ballots: Vec<Ballot> = (self.core.store.sealed(Sealed::Ballot, board, round).await?)
            .iter()
            .filter_map(|json| serde_json::from_str(json).ok())
            .collect();
        let at = now_ms() as f64;
        let round_id = round.to_owned();
        self.core
            .registry
            .edit(
                board,
                Arc::new(move |b, txn| {
                    let r = b.round(txn, &round_id)?;
                    if r.state == RoundState::Closed {
                        return Err(SchemaError::RoundClosed);
                    }
                    if r.sealed {
                        b.publish_ballots(txn, &round_id, &ballots, at)
                    } else {
                        b.close_round(txn, &round_id, at)
                    }
                }),
            )
            .await?;
        // Published into the board (durably, before the edit returned): the store's copies
        // are no longer needed.
        let forget = self
            .core
            .store
            .delete_sealed(Sealed::Ballot, board, round, None);
        if let Err(e) = forget.await {
            tracing::warn!(board, round, error = %e, "published ballots not deleted");
        }
        tracing::info!(board, round, "round closed");
        Ok(())
    }
}
