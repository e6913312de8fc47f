//! What the ledger dialog's parts share: the ledger as last fetched, and how to fetch it
//! again after a change. The server works out every amount, so after each change the
//! whole ledger is read back rather than patched here: what a facilitator sees is
//! exactly what the finance team's spreadsheet will say.

use coboard_shared::ledger::RateTable;
use leptos::prelude::*;
use leptos::task::spawn_local;

use coboard_shared::api::ledger::Ledger;

use super::api;
use crate::sync::SessionHandle;

#[derive(Clone, Copy)]
pub struct LedgerState {
    session: SessionHandle,
    /// The ledger, once fetched.
    pub data: RwSignal<Option<Ledger>>,
    /// Why it could not be fetched ("" when it could).
    pub error: RwSignal<String>,
    /// Bumped by each fetch, so a slow old answer never replaces a newer one.
    fetches: RwSignal<u32>,
}

impl LedgerState {
    pub fn new(session: SessionHandle) -> Self {
        Self {
            session,
            data: RwSignal::new(None),
            error: RwSignal::new(String::new()),
            fetches: RwSignal::new(0),
        }
    }

    /// The board id and my invite token.
    pub fn keys(self) -> (String, String) {
        let s = self.session.get();
        (s.board_id().to_owned(), s.token().to_owned())
    }

    /// Fetches the ledger again.
    pub fn reload(self) {
        let (board, token) = self.keys();
        let mine = self.fetches.get_untracked() + 1;
        self.fetches.set(mine);
        spawn_local(async move {
            let result = api::ledger(&board, &token).await.map_err(String::from);
            if self.fetches.try_get_untracked() != Some(mine) {
                return;
            }
            match result {
                Ok(l) => {
                    let _ = self.data.try_set(Some(l));
                    let _ = self.error.try_set(String::new());
                }
                Err(e) => {
                    let _ = self.error.try_set(e);
                }
            }
        });
    }

    /// The rate table new rows use (tracked).
    pub fn rates(self) -> Option<RateTable> {
        self.data.with(|d| d.as_ref().and_then(|l| l.rates.clone()))
    }
}
