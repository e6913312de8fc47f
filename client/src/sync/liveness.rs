//! Knowing whether the connection really works: pings for my changes and after a quiet
//! spell, a connection whose ping goes unanswered called lost, the browser's `offline` and
//! `online` events, and the warning before a tab with unsent changes closes.

use std::rc::Rc;
use std::time::Duration;

use coboard_shared::protocol::{Msg, encode};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{Kept, Link, Session};

/// How often the connection is looked after.
const HEARTBEAT: Duration = Duration::from_millis(500);
/// Pings for my changes are at least this far apart (the server answers two a second).
const PING_SPACING_MS: f64 = 1_000.0;
/// With nothing heard for this long, a ping checks the connection is still there.
const QUIET_MS: f64 = 2_000.0;
/// A ping unanswered for this long means the connection has stalled.
const STALL_MS: f64 = 3_000.0;

/// Whether the browser believes it is online.
pub(super) fn online() -> bool {
    window().navigator().on_line()
}

impl Session {
    /// Pings for my changes written to the connection, if one is due.
    pub(super) fn ping_if_due(&self) {
        let due = self
            .outbox
            .borrow_mut()
            .ping_due(js_sys::Date::now(), PING_SPACING_MS);
        if let Some(n) = due {
            self.send(&encode(&Msg::Ping(n)));
        }
    }

    /// Looks after the connection every [`HEARTBEAT`], and follows the browser going
    /// offline and online.
    pub(super) fn start_heartbeat(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        set_interval(
            move || {
                if let Some(s) = weak.upgrade() {
                    s.heartbeat();
                }
            },
            HEARTBEAT,
        );
        // These listeners live as long as the page, so their handles are not kept.
        let weak = Rc::downgrade(self);
        let _ = window_event_listener_untyped("offline", move |_| {
            if let Some(s) = weak.upgrade() {
                s.lost(Link::Offline);
            }
        });
        let weak = Rc::downgrade(self);
        let _ = window_event_listener_untyped("online", move |_| {
            if let Some(s) = weak.upgrade()
                && s.started.get()
                && !s.is_linked()
                && !matches!(s.signals.link.get_untracked(), Link::Refused(_))
            {
                s.attempts.set(0);
                s.connect();
            }
        });
        let weak = Rc::downgrade(self);
        let _ = window_event_listener_untyped("beforeunload", move |e| {
            let Some(s) = weak.upgrade() else {
                return;
            };
            s.flush_remote();
            if s.warn_before_leaving() {
                e.prevent_default();
                // Older browsers show the dialog only when `returnValue` is set.
                let _ = js_sys::Reflect::set(&e, &"returnValue".into(), &JsValue::from_str(""));
            }
        });
    }

    /// Whether leaving now would strand changes: some are not stored by the server, and the
    /// page is not connected (or this browser keeps no copy of them). A page leaving on
    /// purpose (`boot.js` moving to a new release once nothing would be lost, or "Forget
    /// this board" after the person confirmed) sets `__coboardLeaving` and is not warned.
    fn warn_before_leaving(&self) -> bool {
        let leaving = js_sys::Reflect::get(&window(), &"__coboardLeaving".into())
            .is_ok_and(|v| v.is_truthy());
        let waiting = !self.outbox.borrow().is_empty();
        let connected = self.signals.link.get_untracked() == Link::Connected;
        let kept = self.signals.kept.get_untracked() != Kept::Unavailable;
        waiting && !leaving && (!connected || !kept)
    }

    fn heartbeat(self: &Rc<Self>) {
        self.flush_remote();
        if self.signals.link.get_untracked() != Link::Connected {
            return;
        }
        let now = js_sys::Date::now();
        let waited = self.outbox.borrow().ping_waited(now);
        if waited.is_some_and(|w| w > STALL_MS) {
            // A phone losing signal keeps its socket open while nothing gets through.
            self.lost(if online() {
                Link::Reconnecting
            } else {
                Link::Offline
            });
            return;
        }
        self.ping_if_due();
        let waited = self.outbox.borrow().ping_waited(now);
        if waited.is_none() && now - self.last_heard.get() > QUIET_MS {
            let n = self.outbox.borrow_mut().ping_now(now);
            self.send(&encode(&Msg::Ping(n)));
        }
    }

    /// The connection is gone (the browser went offline, or it stalled): drop it, say so,
    /// and try again.
    pub(super) fn lost(self: &Rc<Self>, link: Link) {
        if matches!(self.signals.link.get_untracked(), Link::Refused(_)) || !self.started.get() {
            return;
        }
        self.conn.replace(None);
        self.signals.link.set(link);
        self.forget_peers();
        self.schedule_reconnect();
    }
}
