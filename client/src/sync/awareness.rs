//! Presence: who is on the board and which note each person has selected, carried in
//! the y-websocket awareness protocol.
//!
//! Our state is `{"user": {"name", "role", "colour", "color"}, "selection": id|null}`.
//! `user.name` and `user.color` are what JavaScript Yjs apps show, so they see us too.
//! `user.person` is my per-board person id (for handing over the facilitator role), and
//! `viewport` `{x, y, zoom}` is there only while a facilitator leads "Follow me", and
//! `cursor` `{x, y}` (board pixels) while my pointer is over the board, at most a few
//! times a second.
//! `user.needs` (access need codes) is there only when the person agreed to share their
//! needs with facilitators (see `crate::needs`); without that consent it is left out.

use std::rc::Rc;
use std::time::Duration;

use coboard_shared::protocol::{Msg, encode};
use coboard_shared::schema::ParticipantRole;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use yrs::sync::AwarenessUpdate;

use super::Session;
use crate::identity::{self, Identity};
use crate::needs::{self, Need};

/// The y-websocket protocol treats a state not renewed for 30 s as gone; renew at half that.
const RENEW_EVERY: Duration = Duration::from_secs(15);
const EXPIRE_AFTER_MS: u64 = 30_000;
/// My pointer's moves go out at most this often: enough to follow, little to carry.
const CURSOR_EVERY_MS: f64 = 150.0;
/// How often to look for expired states.
const EXPIRY_CHECK: Duration = Duration::from_secs(5);
/// Shown for people whose colour is missing or unusable.
const FALLBACK_COLOUR: &str = "#5f6368";

/// One person on the board, as the presence list shows them.
/// Where someone's board view is scrolled to (its top-left corner, in board pixels),
/// published with their presence while they lead "Follow me".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    #[serde(default = "one")]
    pub zoom: f64,
}

// Viewports only ever come from JSON numbers, which cannot be NaN.
impl Eq for Viewport {}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub client_id: u64,
    pub name: String,
    /// Plain-English role, or empty for apps that do not send one.
    pub role_label: String,
    pub colour: String,
    /// Id of the item they have selected.
    pub selection: Option<String>,
    pub me: bool,
    /// They chose to contribute without their name.
    pub anonymous: bool,
    /// The access needs they chose to share with facilitators; empty without consent.
    pub needs: Vec<Need>,
    /// Their per-board person id (`Identity::person_id`), so a facilitator can offer them
    /// the role; empty for apps that do not send one.
    pub person: String,
    /// The part of the board they are looking at, published only by a facilitator while
    /// "Follow me" is on.
    pub viewport: Option<Viewport>,
    /// Where their pointer is on the board (board pixels), while it is over the board.
    pub cursor: Option<Cursor>,
}

/// A pointer on the board, in board pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub x: f64,
    pub y: f64,
}

// Cursors only ever come from JSON numbers (checked finite), which cannot be NaN.
impl Eq for Cursor {}

thread_local! {
    /// Presence states as last parsed, by client id, with the clock they were parsed at.
    static PARSED: std::cell::RefCell<std::collections::HashMap<u64, (u32, Option<Peer>)>> =
        std::cell::RefCell::default();
    /// My viewport while I lead "Follow me"; `None` publishes none.
    static MY_VIEWPORT: std::cell::Cell<Option<Viewport>> = const { std::cell::Cell::new(None) };
}

#[derive(Serialize, Deserialize, Default)]
struct UserState {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    colour: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    /// They contribute without their name: decisions record them by role only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    anonymous: bool,
    /// Access need codes, sent only with the person's consent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    needs: Vec<String>,
    /// My per-board person id (never its secret).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    person: String,
}

#[derive(Serialize, Deserialize, Default)]
struct PresenceState {
    #[serde(default)]
    user: Option<UserState>,
    #[serde(default)]
    selection: Option<String>,
    /// Read leniently: a malformed viewport from another app must not hide its person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    viewport: Option<serde_json::Value>,
    /// Read leniently too, for the same reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cursor: Option<serde_json::Value>,
}

impl Session {
    /// Announces who I am; called after joining and after changing name or role.
    pub fn set_identity(&self, me: &Identity) {
        self.me.replace(Some(me.clone()));
        self.publish_presence();
    }

    /// Announces which item I have selected (`None` when none).
    pub fn set_selection(&self, item: Option<String>) {
        if *self.selection.borrow() != item {
            self.selection.replace(item);
            self.publish_presence();
        }
    }

    /// Publishes where my board view is (`None`: stop publishing it), for "Follow me".
    pub fn set_viewport(&self, viewport: Option<Viewport>) {
        if MY_VIEWPORT.with(|v| v.replace(viewport)) != viewport {
            self.publish_presence();
        }
    }

    /// Publishes where my pointer is on the board (`None`: it left the board), at most
    /// every [`CURSOR_EVERY_MS`]; the last position always goes out.
    pub fn set_cursor(self: &Rc<Self>, cursor: Option<Cursor>) {
        let (_, sent, waiting) = self.cursor.get();
        self.cursor.set((cursor, sent, waiting));
        if waiting {
            return;
        }
        let wait = sent + CURSOR_EVERY_MS - js_sys::Date::now();
        if wait <= 0.0 || cursor.is_none() {
            self.send_cursor();
            return;
        }
        self.cursor.set((cursor, sent, true));
        let weak = Rc::downgrade(self);
        set_timeout(
            move || {
                if let Some(s) = weak.upgrade() {
                    s.send_cursor();
                }
            },
            Duration::from_millis(wait.ceil() as u64),
        );
    }

    fn send_cursor(&self) {
        let (cursor, _, _) = self.cursor.get();
        self.cursor.set((cursor, js_sys::Date::now(), false));
        self.publish_presence();
    }

    /// Announces my access needs anew, after I changed them or my consent to share them.
    pub fn share_needs(&self) {
        self.publish_presence();
    }

    /// Writes my current state into the awareness and sends it. My needs are read from
    /// this browser's declaration each time, so a renewal never carries a stale consent.
    fn publish_presence(&self) {
        let Some(me) = self.me.borrow().clone() else {
            return;
        };
        let person = me.person_id(&self.board_id);
        let state = PresenceState {
            user: Some(UserState {
                name: me.name,
                role: me.role.as_str().to_owned(),
                colour: Some(me.colour.clone()),
                color: Some(me.colour),
                anonymous: me.anonymous,
                needs: needs::load().shared_codes(),
                person,
            }),
            selection: self.selection.borrow().clone(),
            viewport: MY_VIEWPORT
                .with(|v| v.get())
                .and_then(|v| serde_json::to_value(v).ok()),
            cursor: self
                .cursor
                .get()
                .0
                .and_then(|c| serde_json::to_value(c).ok()),
        };
        if let Ok(json) = serde_json::to_string(&state) {
            self.awareness.borrow_mut().set_local_state_raw(json);
        }
        self.send_my_awareness();
        self.refresh_peers();
    }

    /// Sends only my own state (also a removal, once my state is cleared).
    pub(super) fn send_my_awareness(&self) {
        let update = {
            let aw = self.awareness.borrow();
            aw.update_with_clients([aw.client_id()])
        };
        if let Ok(update) = update {
            self.send(&encode(&Msg::Awareness(update)));
        }
    }

    /// Answers a query with every state we know, as y-websocket clients do.
    pub(super) fn send_all_awareness(&self) {
        let update = self.awareness.borrow().update();
        if let Ok(update) = update {
            self.send(&encode(&Msg::Awareness(update)));
        }
    }

    pub(super) fn apply_awareness(&self, update: AwarenessUpdate) {
        let result = self.awareness.borrow_mut().apply_update(update);
        if result.is_ok() {
            self.refresh_peers();
        }
    }

    /// Drops everyone else's state, e.g. when the connection is lost.
    pub(super) fn forget_peers(&self) {
        let mut aw = self.awareness.borrow_mut();
        let mine = aw.client_id();
        let others: Vec<_> = aw
            .iter()
            .filter(|(id, s)| *id != mine && s.data.is_some())
            .map(|(id, _)| id)
            .collect();
        for id in others {
            aw.remove_state(id);
        }
        drop(aw);
        self.refresh_peers();
    }

    /// Starts the renewal and expiry timers, and says goodbye when the page goes away.
    pub(super) fn start_presence_timers(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        set_interval(
            move || {
                if let Some(s) = weak.upgrade() {
                    s.publish_presence();
                }
            },
            RENEW_EVERY,
        );
        let weak = Rc::downgrade(self);
        set_interval(
            move || {
                if let Some(s) = weak.upgrade() {
                    s.expire_peers();
                }
            },
            EXPIRY_CHECK,
        );
        let weak = Rc::downgrade(self);
        // The listener lives as long as the page, so its handle is not kept.
        let _ = window_event_listener_untyped("pagehide", move |_| {
            if let Some(s) = weak.upgrade() {
                s.awareness.borrow_mut().clean_local_state();
                s.send_my_awareness();
            }
        });
    }

    fn expire_peers(&self) {
        let now = js_sys::Date::now() as u64;
        let mut aw = self.awareness.borrow_mut();
        let mine = aw.client_id();
        let stale: Vec<_> = aw
            .iter()
            .filter(|(id, s)| {
                *id != mine
                    && s.data.is_some()
                    && now.saturating_sub(s.last_updated) > EXPIRE_AFTER_MS
            })
            .map(|(id, _)| id)
            .collect();
        for id in &stale {
            aw.remove_state(*id);
        }
        drop(aw);
        if !stale.is_empty() {
            self.refresh_peers();
        }
    }

    /// Rebuilds the presence list: me first, then everyone else by name. A state is
    /// parsed again only when its clock moved, so one person's pointer moving costs one
    /// parse, not one per person present.
    fn refresh_peers(&self) {
        let mut peers: Vec<Peer> = PARSED.with(|cache| {
            let mut cache = cache.borrow_mut();
            let aw = self.awareness.borrow();
            let mine = aw.client_id();
            let mut present = std::collections::HashSet::new();
            let peers = aw
                .iter()
                .filter_map(|(id, s)| {
                    // A state cleared without its clock moving is gone all the same.
                    s.data.as_ref()?;
                    present.insert(id.get());
                    if let Some((clock, peer)) = cache.get(&id.get())
                        && *clock == s.clock
                    {
                        return peer.clone();
                    }
                    let peer = s
                        .data
                        .as_deref()
                        .and_then(|d| parse_peer(id.get(), d, id == mine));
                    cache.insert(id.get(), (s.clock, peer.clone()));
                    peer
                })
                .collect();
            cache.retain(|id, _| present.contains(id));
            peers
        });
        peers.sort_by(|a, b| {
            b.me.cmp(&a.me)
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then(a.client_id.cmp(&b.client_id))
        });
        if self.signals.peers.with_untracked(|p| *p != peers) {
            self.signals.peers.set(peers);
        }
    }
}

/// One presence state as the presence list shows it; `None` for a state without a user.
fn parse_peer(client_id: u64, data: &str, me: bool) -> Option<Peer> {
    let state: PresenceState = serde_json::from_str(data).ok()?;
    let user = state.user?;
    let colour = user
        .colour
        .as_deref()
        .or(user.color.as_deref())
        .and_then(identity::safe_colour)
        .unwrap_or(FALLBACK_COLOUR)
        .to_owned();
    let name = user.name.trim();
    Some(Peer {
        client_id,
        name: if name.is_empty() { "Someone" } else { name }.to_owned(),
        role_label: ParticipantRole::parse(&user.role)
            .map(|r| r.label().to_owned())
            .unwrap_or_default(),
        colour,
        selection: state.selection,
        me,
        anonymous: user.anonymous,
        needs: needs::parse_codes(&user.needs),
        // Only a well-formed id (64 hex digits) can be offered the role.
        person: Some(user.person)
            .filter(|p| coboard_shared::schema::is_key_hash(p))
            .unwrap_or_default(),
        viewport: state
            .viewport
            .and_then(|v| serde_json::from_value::<Viewport>(v).ok())
            .filter(|v| v.x.is_finite() && v.y.is_finite()),
        cursor: state
            .cursor
            .and_then(|c| serde_json::from_value::<Cursor>(c).ok())
            .filter(|c| c.x.is_finite() && c.y.is_finite()),
    })
}
