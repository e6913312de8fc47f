//! The WebSocket side of a session: connecting, the y-websocket sync exchange, and
//! reconnecting with backoff.

use std::rc::{Rc, Weak};
use std::time::Duration;

use coboard_shared::close;
use coboard_shared::protocol::{Msg, decode_frame, encode};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, CloseEvent, Event, MessageEvent, WebSocket};
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, Transact, Update};

use super::{Link, REMOTE_ORIGIN, Session};
use crate::{dom, token};

/// First reconnect delay; it doubles per failed attempt up to [`MAX_BACKOFF_MS`].
const MIN_BACKOFF_MS: f64 = 500.0;
const MAX_BACKOFF_MS: f64 = 10_000.0;

/// One open (or opening) socket and the callbacks that must live as long as it does.
pub(super) struct Conn {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Detach first so the browser never calls a callback that has been freed.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// Plain-words reason for a close code that means "do not try again", if it is one.
fn refusal(code: u16) -> Option<String> {
    let text = match code {
        close::UNAUTHORIZED => token::NOT_VALID,
        close::FORBIDDEN => token::SWITCHED_OFF,
        close::NOT_FOUND => token::NO_SUCH_BOARD,
        close::BOARD_UNAVAILABLE => {
            "This board cannot be opened right now because its saved data could not be read. \
             Please tell the person who runs this Coboard."
        }
        4400..=4499 => {
            "The server could not accept changes from this page. Reload the page to try again."
        }
        _ => return None,
    };
    Some(text.to_owned())
}

/// The socket's address. Browsers cannot set headers on a WebSocket, so the token rides
/// in the query; this URL is never logged or shown by this page.
fn ws_url(board_id: &str, token: &str) -> String {
    let loc = window().location();
    let scheme = match loc.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    let host = loc.host().unwrap_or_default();
    let token = String::from(js_sys::encode_uri_component(token));
    format!("{scheme}://{host}/ws/{board_id}?token={token}")
}

impl Session {
    /// Opens a new socket, replacing any previous one.
    pub(super) fn connect(self: &Rc<Self>) {
        // Drop the old connection (and its callbacks) before making a new one.
        self.conn.replace(None);
        if self.is_refused() {
            return;
        }
        let ws = match WebSocket::new(&ws_url(&self.board_id, &self.token)) {
            Ok(ws) => ws,
            Err(_) => {
                self.schedule_reconnect();
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);

        let weak = Rc::downgrade(self);
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_| {
            if let Some(s) = weak.upgrade() {
                s.on_open();
            }
        });
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let (Some(s), Ok(buf)) = (weak.upgrade(), e.data().dyn_into::<js_sys::ArrayBuffer>())
            {
                s.on_frame(&js_sys::Uint8Array::new(&buf).to_vec());
            }
        });
        let weak: Weak<Session> = Rc::downgrade(self);
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            if let Some(s) = weak.upgrade() {
                s.on_close(e.code());
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.conn.replace(Some(Conn {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        }));
    }

    /// Sends one frame; false when there is no open socket to send it on.
    pub(super) fn send(&self, frame: &[u8]) -> bool {
        let conn = self.conn.borrow();
        match conn.as_ref() {
            Some(c) if c.ws.ready_state() == WebSocket::OPEN => {
                c.ws.send_with_u8_array(frame).is_ok()
            }
            _ => false,
        }
    }

    fn on_open(&self) {
        self.attempts.set(0);
        self.last_heard.set(js_sys::Date::now());
        self.outbox.borrow_mut().reconnected();
        // Until the server's sync step 1 is answered, a change would reach it before the
        // offline changes it builds on: it waits, and goes in that answer.
        self.answered.set(false);
        self.signals.link.set(Link::Connected);
        // A release may have come out while this page was away (boot.js looks for it).
        let _ = window().dispatch_event(&Event::new("coboard-connected").expect("event"));
        let sv = self.doc.transact().state_vector();
        self.send(&encode(&Msg::SyncStep1(sv)));
        self.send_my_awareness();
    }

    fn on_close(self: &Rc<Self>, code: u16) {
        if code == close::REFUSED {
            // The server refused a change from this page (it broke one of the board's
            // rules) and kept the board without it. Our copy still holds it, and every
            // later change would build on it, so the page loads the board afresh, and
            // says why once it has (the reason came in the auth message just before).
            if let Some(reason) = self.signals.denied.get_untracked()
                && let Ok(Some(store)) = window().session_storage()
            {
                let _ = store.set_item(super::REFUSED_KEY, &reason);
            }
            // The device's copy holds the refused change too: it goes, or the page would
            // send it again after reloading. But if more of my changes were waiting (work
            // done offline goes up as one update, refused whole), they are the person's:
            // the page stops and offers them as a file before anything is removed.
            if self.offline_answer.get() > 0 && self.outbox.borrow().edits() > 1 {
                self.refused_changes.set(true);
                let why = self.signals.denied.get_untracked().unwrap_or_default();
                self.refuse(format!(
                    "The board did not accept the changes this page made while it was not \
                     connected: {why} Download them to keep them, then load the board afresh."
                ));
                return;
            }
            let me = self.clone();
            leptos::task::spawn_local(async move {
                let _ = me.forget_device().await;
                let _ = window().location().reload();
            });
            return;
        }
        if let Some(reason) = refusal(code) {
            if matches!(code, close::UNAUTHORIZED | close::FORBIDDEN) {
                // A dead token would only be refused again; forgetting it lets the page
                // say "you need an invite link" next time instead.
                token::forget(&self.board_id);
            }
            self.refuse(reason);
            return;
        }
        if self.is_refused() {
            return;
        }
        self.signals.link.set(if super::liveness::online() {
            Link::Reconnecting
        } else {
            Link::Offline
        });
        // Other people's presence is stale until the next sync; show only me meanwhile.
        self.forget_peers();
        self.schedule_reconnect();
    }

    /// Stops for good: the server will not let this page in, so retrying cannot help.
    pub fn refuse(&self, reason: String) {
        self.signals.link.set(Link::Refused(reason));
        // Only closed, not dropped: this may run inside the socket's own close callback,
        // which must not be freed while it runs. Its close event then finds us refused.
        if let Some(c) = self.conn.borrow().as_ref() {
            let _ = c.ws.close();
        }
        self.forget_peers();
    }

    fn is_refused(&self) -> bool {
        self.signals
            .link
            .with_untracked(|l| matches!(l, Link::Refused(_)))
    }

    pub(super) fn schedule_reconnect(self: &Rc<Self>) {
        let n = self.attempts.get();
        self.attempts.set(n.saturating_add(1));
        let base = (MIN_BACKOFF_MS * 2f64.powi(n.min(16) as i32)).min(MAX_BACKOFF_MS);
        // Jitter spreads out many browsers reconnecting after one server restart.
        let delay = base * (0.75 + js_sys::Math::random() * 0.5);
        let weak = Rc::downgrade(self);
        set_timeout(
            move || {
                // The browser coming back online may have connected meanwhile.
                if let Some(s) = weak.upgrade()
                    && !s.is_linked()
                {
                    s.connect();
                }
            },
            Duration::from_millis(delay as u64),
        );
    }

    /// Whether a socket is open or opening (so another would only replace it).
    pub(super) fn is_linked(&self) -> bool {
        self.conn
            .borrow()
            .as_ref()
            .is_some_and(|c| matches!(c.ws.ready_state(), WebSocket::OPEN | WebSocket::CONNECTING))
    }

    fn on_frame(&self, frame: &[u8]) {
        self.last_heard.set(js_sys::Date::now());
        let msgs = match decode_frame(frame) {
            Ok(msgs) => msgs,
            Err(e) => {
                dom::log(&format!("coboard: ignoring a malformed frame: {e}"));
                return;
            }
        };
        for msg in msgs {
            self.on_msg(msg);
        }
    }

    fn on_msg(&self, msg: Msg) {
        match msg {
            Msg::SyncStep1(sv) => {
                let update = self.doc.transact().encode_state_as_update_v1(&sv);
                if self.send(&encode(&Msg::SyncStep2(update))) {
                    // The answer carries every change the server lacked, including those
                    // made while offline: once a pong covers it, they are stored.
                    self.answered.set(true);
                    let mut outbox = self.outbox.borrow_mut();
                    let waiting = !outbox.is_empty();
                    outbox.all_written();
                    self.offline_answer
                        .set(if waiting { outbox.written_upto() } else { 0 });
                    drop(outbox);
                    self.ping_if_due();
                }
            }
            Msg::SyncStep2(update) => {
                self.apply_remote(&update);
                if !self.synced.replace(true) {
                    self.signals.synced.set(true);
                    // The device keeps the whole board in one piece from here on.
                    self.fold();
                }
            }
            Msg::Update(update) => self.apply_remote(&update),
            Msg::Awareness(update) => self.apply_awareness(update),
            Msg::QueryAwareness => self.send_all_awareness(),
            // The server refused an edit: this is a view-only connection.
            Msg::Auth(Some(reason)) => self.signals.denied.set(Some(reason)),
            Msg::Auth(None) | Msg::Ping(_) => {}
            Msg::Pong(n) => self.confirmed(n),
        }
    }

    fn apply_remote(&self, bytes: &[u8]) {
        let result = Update::decode_v1(bytes)
            .map_err(|e| e.to_string())
            .and_then(|u| {
                let mut txn = self.doc.transact_mut_with(REMOTE_ORIGIN);
                txn.apply_update(u).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => {
                self.keep_remote(bytes);
                self.refresh_items();
            }
            Err(e) => dom::log(&format!("coboard: could not apply an update: {e}")),
        }
    }
}
