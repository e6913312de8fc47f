//! The board's facilitation state, read from the document as one value.

use std::collections::BTreeMap;

use coboard_shared::schema::{Lead, Offer, SilentRound, Speaking, Timer, Waiting};
use leptos::prelude::*;

use crate::sync::SessionHandle;

/// The board's facilitation state at one moment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub lead: Option<Lead>,
    pub offer: Option<Offer>,
    pub timer: Option<Timer>,
    pub spotlight: Option<String>,
    pub following: bool,
    /// In speaking order: people not yet heard first.
    pub queue: Vec<Waiting>,
    pub speaking: Option<Speaking>,
    /// Turns taken so far, per person.
    pub heard: BTreeMap<String, u32>,
    /// Time spoken per role, in ms.
    pub talk_ms: BTreeMap<String, f64>,
    pub show_talk: bool,
    /// Every silent round, oldest first.
    pub silent: Vec<SilentRound>,
}

/// The facilitation state, read again whenever it (or a silent round) changes.
pub fn facts(session: SessionHandle) -> Memo<Facts> {
    let signals = session.signals();
    Memo::new(move |_| {
        signals.facilitation.track();
        session.get().read(|b, txn| Facts {
            lead: b.lead(txn),
            offer: b.offer(txn),
            timer: b.timer(txn),
            spotlight: b.spotlight(txn),
            following: b.following(txn),
            queue: b.speaking_queue(txn),
            speaking: b.speaking(txn),
            heard: b.heard(txn),
            talk_ms: b.talk_ms(txn),
            show_talk: b.show_talk(txn),
            silent: b.silent_rounds(txn),
        })
    })
}
