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
    /// Yjs client ids this writer began (sent their first block): items made under them
    /// are the writer's own, so it may delete them (undoing adding a note, say).
    own: Vec<u64>,
    breach: Option<Breach>,
}

impl Guard {
    /// Starts watching `doc`. Call it with no transaction open: it looks up the roots.
    pub fn watch(doc: &Doc) -> Self {
        let state: Arc<Mutex<State>> = Arc::default();
        for (root, name) in Root::ALL {
            let state = state.clone();
            let judge = move |txn: &yrs::TransactionMut, events: &yrs::types::Events| {
                let Ok(mut s) = state.lock() else { return };
                let Some(writer) = s.writer else { return };
                if s.breach.is_some() {
                    return;
                }
                for event in events.iter() {
                    let verdict = match root {
                        Root::Items => items::event(writer, &s.own, txn, event, &event.path()),
                        Root::Activity => judge::activity(writer, txn, event),
                        _ => judge::plain(writer, root, txn, event),
                    };
                    if let Err(b) = verdict {
                        s.breach = Some(b);
                        return;
                    }
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
    /// judged as made by `writer`, who began the Yjs clients `own` (see [`State`]), and
    /// returns what it returned with the verdict.
    pub fn judging<R>(
        &self,
        writer: Writer,
        own: &[u64],
        apply: impl FnOnce() -> R,
    ) -> (R, Result<(), Breach>) {
        self.set(Some(writer), own);
        let out = apply();
        let breach = self.set(None, &[]);
        (out, breach.map_or(Ok(()), Err))
    }

    fn set(&self, writer: Option<Writer>, own: &[u64]) -> Option<Breach> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.writer = writer;
        s.own.clear();
        s.own.extend_from_slice(own);
        s.breach.take()
    }
}
