//! Facilitation that shares power: who leads, a timer everyone sees, a spotlight, and a
//! speaking queue that puts people not yet heard first.
//!
//! ```text
//! Y.Map "facilitation"
//!   lead        { name, role, since }            who is facilitating (the server writes it
//!                                                on a handover)
//!   offered_to  { person, by, at }               a handover waiting for its person to accept
//!   spotlight   { item, at }                     the item everyone is asked to look at
//!   follow      { on, at }                       others' views follow the lead's viewport
//!   timer       { label, started_at, duration_ms, more_time_ms, break_every_ms, break_ms,
//!                 extended }
//!   queue       { <person> -> { name, role, asked_at } }
//!   speaking    { person, name, role, since }
//!   heard       { <person> -> number of turns taken }
//!   talk_ms     { public, professional, facilitator }   time spoken per role
//!   show_talk   bool                             the group chose to show the talk-time meter
//!   needs_met   { <need code> -> { how, at } }   what the facilitator arranged for a need
//!                                                shared with them (no names)
//! ```
//!
//! A `person` is a per-board id derived from a secret in the browser, so it does not link
//! the same person across boards. Everything here is plain JSON written whole: one person
//! changes it at a time (normally the facilitator), and a whole-value write keeps each
//! value consistent.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use yrs::encoding::serde::{from_any, to_any};
use yrs::{Any, Map, Out, ReadTxn, TransactionMut};

use super::{Board, ParticipantRole};

/// Name of the root map holding the facilitation state.
pub const FACILITATION: &str = "facilitation";

/// Who is facilitating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub name: String,
    pub role: ParticipantRole,
    pub since: f64,
}

/// A handover waiting for its person to accept it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// The per-board person id of who is offered the role.
    pub person: String,
    /// Who offered it, as named on the board.
    pub by: String,
    pub at: f64,
}

/// A round timer everyone sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timer {
    pub label: String,
    pub started_at: f64,
    pub duration_ms: f64,
    /// Added to the round whenever someone on the board has asked for more time.
    pub more_time_ms: f64,
    /// A break falls after every this much time (0: no breaks).
    pub break_every_ms: f64,
    pub break_ms: f64,
    /// Someone on the board asked for more time. Written by a facilitator's client, the
    /// only one that sees people's shared needs, so every timer agrees.
    #[serde(default)]
    pub extended: bool,
}

/// What a timer shows at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum TimerPhase {
    /// Working; this much is left of the round.
    Running { left_ms: f64 },
    /// On a break; this much of it is left.
    Break { left_ms: f64 },
    /// The round is over.
    Over,
}

impl Timer {
    /// The round's length for this group: extended when someone asked for more time.
    pub fn length_ms(&self, someone_needs_more_time: bool) -> f64 {
        self.duration_ms
            + if someone_needs_more_time {
                self.more_time_ms
            } else {
                0.0
            }
    }

    /// Where the timer is at `now`. Breaks pause the round: a round of 30 minutes with a
    /// 5-minute break every 20 ends 35 minutes after it started. Worked out directly,
    /// not step by step: the values come from the document, where anyone could write
    /// a break every millisecond.
    pub fn phase(&self, now: f64, someone_needs_more_time: bool) -> TimerPhase {
        let length = self.length_ms(someone_needs_more_time);
        let elapsed = (now - self.started_at).max(0.0);
        let finite = [length, elapsed, self.break_every_ms, self.break_ms]
            .iter()
            .all(|v| v.is_finite());
        if !finite || length <= 0.0 {
            return TimerPhase::Over;
        }
        let (every, brk) = (self.break_every_ms, self.break_ms);
        if every < MIN_BREAK_EVERY_MS || brk <= 0.0 {
            return if elapsed >= length {
                TimerPhase::Over
            } else {
                TimerPhase::Running {
                    left_ms: length - elapsed,
                }
            };
        }
        let cycles = (elapsed / (every + brk)).floor();
        let into = elapsed - cycles * (every + brk);
        if into < every {
            let worked = cycles * every + into;
            if worked >= length {
                TimerPhase::Over
            } else {
                TimerPhase::Running {
                    left_ms: length - worked,
                }
            }
        } else if (cycles + 1.0) * every >= length {
            TimerPhase::Over
        } else {
            TimerPhase::Break {
                left_ms: every + brk - into,
            }
        }
    }
}

/// Breaks closer together than this are ignored.
pub const MIN_BREAK_EVERY_MS: f64 = 60_000.0;

/// Someone waiting to speak.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub person: String,
    pub name: String,
    pub role: ParticipantRole,
    pub asked_at: f64,
}

/// What was arranged to meet one access need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedMet {
    pub how: String,
    pub at: f64,
}

/// Who is speaking now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speaking {
    pub person: String,
    pub name: String,
    pub role: ParticipantRole,
    pub since: f64,
}

impl Board {
    fn facilitation_get<T: DeserializeOwned, R: ReadTxn>(&self, txn: &R, key: &str) -> Option<T> {
        match self.facilitation.get(txn, key)? {
            Out::Any(any) => from_any(&any).ok(),
            _ => None,
        }
    }

    fn facilitation_set<T: Serialize>(&self, txn: &mut TransactionMut, key: &str, value: &T) {
        if let Ok(any) = to_any(value) {
            self.facilitation.insert(txn, key, any);
        }
    }

    /// Who is facilitating, if anyone has been named.
    pub fn lead<T: ReadTxn>(&self, txn: &T) -> Option<Lead> {
        self.facilitation_get(txn, "lead")
    }

    /// Names the facilitator and clears any handover waiting.
    pub fn set_lead(&self, txn: &mut TransactionMut, lead: &Lead) {
        self.facilitation_set(txn, "lead", lead);
        self.facilitation.remove(txn, "offered_to");
    }

    /// The handover waiting, if any.
    pub fn offer<T: ReadTxn>(&self, txn: &T) -> Option<Offer> {
        self.facilitation_get(txn, "offered_to")
    }

    /// Tells a person's client that the facilitator role is offered to them. (Only a
    /// notice: accepting goes through the server, which keeps the real offer.)
    pub fn set_offer(&self, txn: &mut TransactionMut, offer: &Offer) {
        self.facilitation_set(txn, "offered_to", offer);
    }

    /// The round timer, if one is set.
    pub fn timer<T: ReadTxn>(&self, txn: &T) -> Option<Timer> {
        self.facilitation_get(txn, "timer")
    }

    /// Starts (or replaces) the round timer; `None` stops it.
    pub fn set_timer(&self, txn: &mut TransactionMut, timer: Option<&Timer>) {
        match timer {
            Some(t) => self.facilitation_set(txn, "timer", t),
            None => {
                self.facilitation.remove(txn, "timer");
            }
        }
    }

    /// The item in the spotlight, if any.
    pub fn spotlight<T: ReadTxn>(&self, txn: &T) -> Option<String> {
        self.facilitation_get::<serde_json::Value, _>(txn, "spotlight")
            .and_then(|v| v.get("item")?.as_str().map(str::to_owned))
    }

    /// Puts one item in the spotlight; `None` takes the spotlight away.
    pub fn set_spotlight(&self, txn: &mut TransactionMut, item: Option<&str>, at: f64) {
        match item {
            Some(item) => self.facilitation_set(
                txn,
                "spotlight",
                &serde_json::json!({ "item": item, "at": at }),
            ),
            None => {
                self.facilitation.remove(txn, "spotlight");
            }
        }
    }

    /// Whether others' views follow the facilitator's.
    pub fn following<T: ReadTxn>(&self, txn: &T) -> bool {
        self.facilitation_get::<serde_json::Value, _>(txn, "follow")
            .and_then(|v| v.get("on").and_then(|b| b.as_bool()))
            .unwrap_or(false)
    }

    pub fn set_following(&self, txn: &mut TransactionMut, on: bool, at: f64) {
        self.facilitation_set(txn, "follow", &serde_json::json!({ "on": on, "at": at }));
    }

    /// Puts a person in the speaking queue (once).
    pub fn ask_to_speak(&self, txn: &mut TransactionMut, who: &Waiting) {
        let mut queue: BTreeMap<String, Waiting> =
            self.facilitation_get(txn, "queue").unwrap_or_default();
        queue
            .entry(who.person.clone())
            .or_insert_with(|| who.clone());
        self.facilitation_set(txn, "queue", &queue);
    }

    /// Takes a person out of the queue (they changed their mind).
    pub fn leave_queue(&self, txn: &mut TransactionMut, person: &str) {
        let mut queue: BTreeMap<String, Waiting> =
            self.facilitation_get(txn, "queue").unwrap_or_default();
        if queue.remove(person).is_some() {
            self.facilitation_set(txn, "queue", &queue);
        }
    }

    /// The queue in speaking order: people who have not spoken yet first, then those who
    /// have spoken least; within each, whoever asked first.
    pub fn speaking_queue<T: ReadTxn>(&self, txn: &T) -> Vec<Waiting> {
        let queue: BTreeMap<String, Waiting> =
            self.facilitation_get(txn, "queue").unwrap_or_default();
        let heard = self.heard(txn);
        let mut out: Vec<Waiting> = queue.into_values().collect();
        out.sort_by(|a, b| {
            let turns = |w: &Waiting| heard.get(&w.person).copied().unwrap_or(0);
            turns(a)
                .cmp(&turns(b))
                .then(a.asked_at.total_cmp(&b.asked_at))
                .then(a.person.cmp(&b.person))
        });
        out
    }

    /// Turns taken so far, per person.
    pub fn heard<T: ReadTxn>(&self, txn: &T) -> BTreeMap<String, u32> {
        self.facilitation_get(txn, "heard").unwrap_or_default()
    }

    /// Who has the floor, if anyone.
    pub fn speaking<T: ReadTxn>(&self, txn: &T) -> Option<Speaking> {
        self.facilitation_get(txn, "speaking")
    }

    /// Gives the floor to the first person in the queue (ending the current turn first).
    /// Returns who now speaks.
    pub fn next_speaker(&self, txn: &mut TransactionMut, now: f64) -> Option<Speaking> {
        self.end_turn(txn, now);
        let next = self.speaking_queue(txn).into_iter().next()?;
        self.leave_queue(txn, &next.person);
        let speaking = Speaking {
            person: next.person,
            name: next.name,
            role: next.role,
            since: now,
        };
        self.facilitation_set(txn, "speaking", &speaking);
        Some(speaking)
    }

    /// Ends the current turn: its time is added to the speaker's role, and the speaker
    /// counts as heard once more.
    pub fn end_turn(&self, txn: &mut TransactionMut, now: f64) {
        let Some(s) = self.speaking(txn) else {
            return;
        };
        let mut talk = self.talk_ms(txn);
        *talk.entry(s.role.as_str().to_owned()).or_default() += (now - s.since).max(0.0);
        self.facilitation_set(txn, "talk_ms", &talk);
        let mut heard = self.heard(txn);
        *heard.entry(s.person).or_default() += 1;
        self.facilitation_set(txn, "heard", &heard);
        self.facilitation.remove(txn, "speaking");
    }

    /// Time spoken per role ("public", "professional", "facilitator"), in ms.
    pub fn talk_ms<T: ReadTxn>(&self, txn: &T) -> BTreeMap<String, f64> {
        self.facilitation_get(txn, "talk_ms").unwrap_or_default()
    }

    /// Whether the group chose to show the talk-time meter.
    pub fn show_talk<T: ReadTxn>(&self, txn: &T) -> bool {
        matches!(
            self.facilitation.get(txn, "show_talk"),
            Some(Out::Any(Any::Bool(true)))
        )
    }

    pub fn set_show_talk(&self, txn: &mut TransactionMut, show: bool) {
        self.facilitation.insert(txn, "show_talk", show);
    }

    /// Records what was arranged to meet an access need (by its code, never by person):
    /// evidence for the UK Standards' inclusive opportunities. Empty `how` removes it.
    pub fn set_need_met(&self, txn: &mut TransactionMut, code: &str, how: &str, at: f64) {
        let mut met: BTreeMap<String, NeedMet> =
            self.facilitation_get(txn, "needs_met").unwrap_or_default();
        let how: String = how.trim().chars().take(200).collect();
        if how.is_empty() {
            met.remove(code);
        } else {
            met.insert(code.to_owned(), NeedMet { how, at });
        }
        self.facilitation_set(txn, "needs_met", &met);
    }

    /// What was arranged for each access need, by need code.
    pub fn needs_met<T: ReadTxn>(&self, txn: &T) -> BTreeMap<String, NeedMet> {
        self.facilitation_get(txn, "needs_met").unwrap_or_default()
    }
}
