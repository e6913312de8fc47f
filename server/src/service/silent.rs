//! Silent rounds: cards the board's document must not see until the facilitator reveals
//! them (`coboard_shared::schema::silent` explains why).
//!
//! Cards wait in the store as sealed entries of their own kind ([`Sealed::Card`]), one
//! per card, each guarded by a hash of its writer's key so only they can change or take
//! it back before the reveal. The board's lock orders cards against a reveal, as it does
//! ballots against a close.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use coboard_shared::api::silent::{CardCount, CardRequest};
use coboard_shared::schema::{
    Author, ParticipantRole, Revealed, SchemaError, SilentCard, SilentState, author_key_hash,
};

use super::rounds::MAX_BALLOTS_PER_ROUND;
use super::{Core, ServiceError, check_id, check_key, paced, short_name};
use crate::auth;
use crate::now_ms;
use crate::store::{Sealed, SealedEntry, StoreError};

/// Most cards one silent round keeps (the same bound as a sealed round's ballots).
pub const MAX_CARDS_PER_ROUND: u64 = MAX_BALLOTS_PER_ROUND;

/// Silent cards: written, counted, and revealed onto the board.
#[derive(Clone)]
pub struct Silent {
    core: Core,
}

impl Silent {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Writes, changes or (with no words) takes back a card; answers how many cards the
    /// round now holds.
    pub async fn put_card(
        &self,
        board: &str,
        round: &str,
        req: CardRequest,
        from: IpAddr,
    ) -> Result<CardCount, ServiceError> {
        let slow = "Too many cards from this address; please wait a moment.";
        paced(&self.core.rates.ballots, from, slow)?;
        check_id("round id", round)?;
        check_id("card id", &req.card)?;
        check_key("card key", &req.key)?;
        let withdrawing = req.text.trim().is_empty();
        let author = Author {
            name: short_name(&req.name),
            role: req.role,
            anonymous: req.anonymous,
            id: String::new(),
        };
        let card = SilentCard {
            id: req.card,
            // A card taken back is first overwritten with no words (which proves the key
            // is its writer's), then deleted.
            text: if withdrawing { String::new() } else { req.text },
            author: author.stored(),
            author_key: author_key_hash(&req.key),
            at: now_ms() as f64,
        };
        let _guard = self.core.locks.lock(board).await?;
        let check = card.clone();
        let round_id = round.to_owned();
        self.core
            .registry
            .check(
                board,
                Arc::new(move |b, txn| {
                    if withdrawing {
                        let r = b.silent_round(txn, &round_id)?;
                        if r.state == SilentState::Revealed {
                            return Err(SchemaError::RoundClosed);
                        }
                        return Ok(());
                    }
                    b.check_card(txn, &round_id, &check).map(|_| ())
                }),
            )
            .await?;
        // Only a card that was written can be taken back (a take-back of anything else
        // would only fill the round's places).
        if withdrawing
            && !self
                .stored(board, round)
                .await?
                .iter()
                .any(|c| c.id == card.id)
        {
            return Err(ServiceError::NotFound(
                "No card with that id in this round.",
            ));
        }
        let stored = SealedEntry {
            board_id: board.to_owned(),
            round: round.to_owned(),
            id: card.id.clone(),
            key_hash: auth::hash_token(&req.key),
            body: serde_json::to_string(&card)?,
        };
        let put = (self.core.store).put_sealed(Sealed::Card, &stored, MAX_CARDS_PER_ROUND);
        match put.await {
            Ok(_) => {}
            Err(StoreError::TooMany) => {
                return Err(ServiceError::Conflict(format!(
                    "This round already has {MAX_CARDS_PER_ROUND} cards, as many as it can take."
                )));
            }
            Err(StoreError::NotYours) => {
                return Err(ServiceError::Forbidden(
                    "That card was written by someone else.".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        if withdrawing {
            (self.core.store)
                .delete_sealed(Sealed::Card, board, round, Some(&card.id))
                .await?;
        }
        let cards = self.waiting(board, round).await?;
        tracing::info!(board, round, cards, withdrawing, "silent card stored");
        Ok(CardCount { cards })
    }

    /// How many cards a round holds (never whose, nor what they say).
    pub async fn count(&self, board: &str, round: &str) -> Result<CardCount, ServiceError> {
        check_id("round id", round)?;
        Ok(CardCount {
            cards: self.waiting(board, round).await?,
        })
    }

    /// Cards waiting in a round (taken-back cards are deleted, so a count is enough:
    /// every client asks for it every few seconds while people write).
    async fn waiting(&self, board: &str, round: &str) -> Result<u64, ServiceError> {
        Ok(self
            .core
            .store
            .sealed_count(Sealed::Card, board, round)
            .await?)
    }

    async fn stored(&self, board: &str, round: &str) -> Result<Vec<SilentCard>, ServiceError> {
        Ok((self.core.store.sealed(Sealed::Card, board, round).await?)
            .iter()
            .filter_map(|json| serde_json::from_str::<SilentCard>(json).ok())
            .collect())
    }

    /// Puts the waiting cards on the board: public members' alone first when
    /// `public_only`, otherwise every card still waiting.
    pub async fn reveal(
        &self,
        board: &str,
        round: &str,
        public_only: bool,
    ) -> Result<Revealed, ServiceError> {
        check_id("round id", round)?;
        let _guard = self.core.locks.lock(board).await?;
        let stored = self.stored(board, round).await?;
        let cards: Vec<SilentCard> = stored
            .iter()
            .filter(|c| !c.text.is_empty())
            .cloned()
            .collect();
        let at = now_ms() as f64;
        let round_id = round.to_owned();
        let result = Arc::new(Mutex::new(None));
        let out = result.clone();
        self.core
            .registry
            .edit(
                board,
                Arc::new(move |b, txn| {
                    let r = b.reveal_cards(txn, &round_id, &cards, public_only, at)?;
                    *out.lock().expect("reveal result poisoned") = Some(r);
                    Ok(())
                }),
            )
            .await?;
        let revealed = (result.lock().expect("reveal result poisoned").take())
            .expect("a successful edit ran its closure");
        // The revealed cards are on the board (durably, before the edit returned): the
        // store's copies go. After a public-first reveal, public members' copies go (their
        // words now live only on the board, where withdrawing reaches them); the others
        // still wait.
        let forget = match revealed.state {
            SilentState::Revealed => {
                (self.core.store)
                    .delete_sealed(Sealed::Card, board, round, None)
                    .await
            }
            _ => {
                let mut result = Ok(());
                for c in stored
                    .iter()
                    .filter(|c| c.author.role == ParticipantRole::Public)
                {
                    result = result.and(
                        (self.core.store)
                            .delete_sealed(Sealed::Card, board, round, Some(&c.id))
                            .await,
                    );
                }
                result
            }
        };
        if let Err(e) = forget {
            tracing::warn!(board, round, error = %e, "revealed cards not deleted");
        }
        tracing::info!(
            board,
            round,
            cards = revealed.cards,
            "silent cards revealed"
        );
        Ok(revealed)
    }
}
