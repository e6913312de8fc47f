//! Judging every transaction on a document as it commits.

use std::sync::{Arc, Mutex};

use yrs::{DeepObservable, Doc};

use super::Writer;
use super::items;
use super::judge::{self, Breach, Root};

/// Watches a document's schema roots and judges each transaction run inside
/// [`Guard::judging`] against the rules, as yrs reports its changes.
///
/// yrs cannot take back a transaction once applied, so the guard only *finds* a breach;
/// whoever applied the change must then throw the document away and rebuild it (the server
/// reloads the board from its store, where the refused change never went). Judging costs
/// time in proportion to what the transaction changed: yrs builds the events anyway, and a
/// keystroke is one text event.
pub struct Guard {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// Who makes the transaction being judged; `None` judges nothing (loading a board,
    /// changes another instance already judged).
    writer: Option<Writer>,
    breach: Option<Breach>,
}

impl Guard {
    /// Starts watching `doc`. Call it with no transaction open: it looks up the roots.
    pub fn watch(doc: &Doc) -> Self {
        let state: Arc<Mutex<State>> = Arc::default();
        for (root, name) in Root::ALL {
            let state = state.clone();
            let judge = move |txn: &yrs::TransactionMut, events: &yrs::types::Events| {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                let Some(writer) = s.writer else { return };
                if s.breach.is_some() {
                    return;
                }
                // yrs can panic while it works out a malformed event's keys (formatting
                // content set as a map value): that is a refusal, not a broken board.
                let judged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    events.iter().try_for_each(|event| match root {
                        Root::Items => items::event(writer, txn, event, &event.path()),
                        Root::Activity => judge::activity(writer, txn, event),
                        _ => judge::plain(writer, root, txn, event),
                    })
                }));
                match judged {
                    Ok(Ok(())) => {}
                    Ok(Err(b)) => s.breach = Some(b),
                    Err(_) => s.breach = Some(Breach("The change could not be read.".into())),
                }
            };
            match root {
                Root::Activity => doc.get_or_insert_array(name).observe_deep("rules", judge),
                _ => doc.get_or_insert_map(name).observe_deep("rules", judge),
            }
        }
        Self { state }
    }

    /// Runs `apply` (which commits transactions on the watched document) with its changes
    /// judged as made by `writer`, and returns what it returned with the verdict.
    pub fn judging<R>(&self, writer: Writer, apply: impl FnOnce() -> R) -> (R, Result<(), Breach>) {
        self.set(Some(writer));
        let out = apply();
        let breach = self.set(None);
        (out, breach.map_or(Ok(()), Err))
    }

    fn set(&self, writer: Option<Writer>) -> Option<Breach> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.writer = writer;
        s.breach.take()
    }
}
