//! One board's live document: the yrs `Doc`, its presence (awareness) and the WebSocket
//! that keeps both in step with the server. Components read the reactive signals in
//! [`Signals`] and change the board only through [`Session::edit`], so every local change
//! is sent (or counted as waiting) in exactly one place.

mod awareness;
mod changes;
mod connection;
pub mod device;
mod history;
mod items;
mod liveness;
mod offline;
mod outbox;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use coboard_shared::schema::{
    ActivityEntry, Board, CommentView, Participation, SectionView, Tally,
};
use leptos::prelude::*;
use yrs::sync::Awareness;
use yrs::{Doc, OffsetKind, Options, Transact, Transaction, TransactionMut};

pub use awareness::{Cursor, Peer, Viewport};
use connection::Conn;
pub use items::{Items, Place};
pub use offline::Kept;

/// Transaction origin of edits made in this browser.
const LOCAL_ORIGIN: &str = "local";
/// Where a page keeps, across the reload it makes, why the server refused its change.
const REFUSED_KEY: &str = "coboard.refused";

/// Why the server refused this tab's last change before the page reloaded, if it did
/// (read once, then forgotten).
fn refused_before_reload() -> Option<String> {
    let store = leptos::prelude::window().session_storage().ok().flatten()?;
    let reason = store.get_item(REFUSED_KEY).ok().flatten()?;
    let _ = store.remove_item(REFUSED_KEY);
    Some(reason)
}

/// Transaction origin of local edits kept out of my undo history: adding an item, whose
/// undo would delete it (which the board's rules leave to facilitators and the bin).
const LOCAL_UNTRACKED: &str = "local-untracked";
/// Transaction origin of updates received from the server; never echoed back.
const REMOTE_ORIGIN: &str = "remote";
/// Transaction origin of what this device kept from an earlier visit.
const RESTORED_ORIGIN: &str = "restored";

/// The connection as people see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Opening the first connection.
    Connecting,
    /// Talking to the server.
    Connected,
    /// The connection was lost; trying again.
    Reconnecting,
    /// The browser says it has no network, or the server stopped answering; trying again.
    Offline,
    /// The server refused the board for good; the text says why in plain words.
    Refused(String),
}

/// Reactive views of the session, cheap to copy into components.
#[derive(Clone, Copy)]
pub struct Signals {
    /// Every item, in reading order, watched item by item (see `items`).
    pub items: Items,
    /// Changes whenever the facilitation state or a silent round does.
    pub facilitation: Trigger,
    /// The board's title from the document (empty until the first sync).
    pub title: RwSignal<String>,
    pub link: RwSignal<Link>,
    /// My edits the server has not yet said are stored (edits, not keystrokes).
    pub pending: RwSignal<u32>,
    /// Whether this device keeps a copy of the board (see `device`).
    pub kept: RwSignal<Kept>,
    /// Whether the board on screen came from this device's copy before the server answered.
    pub restored: RwSignal<bool>,
    /// Everyone present, me first.
    pub peers: RwSignal<Vec<Peer>>,
    /// Whether the first exchange with the server has completed.
    pub synced: RwSignal<bool>,
    /// Why the server last refused an edit, if it did (a view-only link).
    pub denied: RwSignal<Option<String>>,
    /// The template the board was seeded from (`"blank"` for none).
    pub template: RwSignal<String>,
    /// The template's sections (frames on the canvas), in order.
    pub sections: RwSignal<Vec<SectionView>>,
    /// Every comment, oldest first.
    pub comments: RwSignal<Vec<CommentView>>,
    /// Every voting round with its tally, oldest first.
    pub rounds: RwSignal<Vec<Tally>>,
    /// The latest activity, newest first.
    pub activity: RwSignal<Vec<ActivityEntry>>,
    /// Contributions per role.
    pub participation: RwSignal<Participation>,
    /// Whether I have a change to undo, or an undone one to redo.
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
}

/// Lines of activity kept in [`Signals::activity`].
pub const ACTIVITY_LINES: usize = 100;

/// A board being edited in this tab.
pub struct Session {
    board_id: String,
    /// The invite token; sent when connecting, never logged.
    token: String,
    doc: Doc,
    board: Board,
    /// What changed in the document since the page last read it (see `changes`).
    changes: changes::Gathered,
    awareness: RefCell<Awareness>,
    conn: RefCell<Option<Conn>>,
    /// Failed connection attempts since the last successful one, for the backoff.
    attempts: Cell<u32>,
    /// Whether the first exchange with the server has completed.
    synced: Cell<bool>,
    /// Who I am, once I have joined.
    me: RefCell<Option<crate::identity::Identity>>,
    /// The item I have selected, shared as presence.
    selection: RefCell<Option<String>>,
    /// Where my pointer is on the board, when it was last sent (ms since the epoch), and
    /// whether a send is waiting (see `awareness`).
    cursor: Cell<(Option<Cursor>, f64, bool)>,
    /// My undo and redo stacks.
    history: history::History,
    /// The board's copy on this device, once open (None where the browser keeps none).
    device: RefCell<Option<device::DeviceCopy>>,
    /// Updates from the server not yet written to the device (see `offline`).
    remote_batch: RefCell<Vec<Vec<u8>>>,
    /// My changes until the server has stored them.
    outbox: RefCell<outbox::Outbox<wasm_bindgen::JsValue>>,
    /// The text box my last change was typed in, to count typing there as one edit.
    last_box: RefCell<Option<web_sys::Element>>,
    /// Whether the server refused changes this page made offline (see `connection`).
    refused_changes: Cell<bool>,
    /// While my changes made offline are on their way in the answer to the server's sync
    /// step 1: up to which change that answer went (0 once a pong covered it).
    offline_answer: Cell<u64>,
    /// Whether this connection has answered the server's sync step 1 (see `connection`).
    answered: Cell<bool>,
    /// When the server was last heard from (ms since the epoch).
    last_heard: Cell<f64>,
    /// Whether the first connection has been started (after the device copy was read).
    started: Cell<bool>,
    pub signals: Signals,
}

/// A copyable handle to the session, for components and event handlers.
#[derive(Clone, Copy)]
pub struct SessionHandle(StoredValue<Rc<Session>, LocalStorage>);

impl SessionHandle {
    /// The session itself; cloned out so no arena borrow is held while it runs.
    pub fn get(&self) -> Rc<Session> {
        self.0.get_value()
    }

    /// The session, unless its page part has already gone (a late browser event).
    pub fn try_get(&self) -> Option<Rc<Session>> {
        self.0.try_get_value()
    }

    pub fn signals(&self) -> Signals {
        self.get().signals
    }
}

impl Session {
    /// Creates the session for a board and starts connecting with the invite `token`.
    pub fn start(board_id: String, token: String) -> SessionHandle {
        let doc = Doc::with_options(Options {
            // Textarea positions count UTF-16 code units; so must Y.Text indices.
            offset_kind: OffsetKind::Utf16,
            ..Default::default()
        });
        // Built before any transaction exists: it opens write transactions of its own.
        let board = Board::new(&doc);
        let history = history::History::new(&doc, LOCAL_ORIGIN);
        let changes = changes::watch(&doc);
        let awareness = Awareness::with_clock(doc.clone(), || js_sys::Date::now() as u64);
        let session = Rc::new(Session {
            board_id,
            token,
            doc,
            board,
            changes,
            awareness: RefCell::new(awareness),
            conn: RefCell::new(None),
            attempts: Cell::new(0),
            synced: Cell::new(false),
            me: RefCell::new(None),
            selection: RefCell::new(None),
            cursor: Cell::new((None, 0.0, false)),
            history,
            device: RefCell::new(None),
            remote_batch: RefCell::new(Vec::new()),
            outbox: RefCell::new(outbox::Outbox::default()),
            last_box: RefCell::new(None),
            answered: Cell::new(false),
            refused_changes: Cell::new(false),
            offline_answer: Cell::new(0),
            last_heard: Cell::new(0.0),
            started: Cell::new(false),
            signals: Signals {
                items: Items::new(),
                facilitation: Trigger::new(),
                title: RwSignal::new(String::new()),
                link: RwSignal::new(Link::Connecting),
                pending: RwSignal::new(0),
                kept: RwSignal::new(Kept::Opening),
                restored: RwSignal::new(false),
                peers: RwSignal::new(Vec::new()),
                synced: RwSignal::new(false),
                denied: RwSignal::new(refused_before_reload()),
                template: RwSignal::new("blank".to_owned()),
                sections: RwSignal::new(Vec::new()),
                comments: RwSignal::new(Vec::new()),
                rounds: RwSignal::new(Vec::new()),
                activity: RwSignal::new(Vec::new()),
                participation: RwSignal::new(Participation::default()),
                can_undo: RwSignal::new(false),
                can_redo: RwSignal::new(false),
            },
        });
        // The device's copy first, so the board shows at once and my unsent changes are in
        // the document before the first sync sends the server what it lacks.
        session.open_device();
        session.start_presence_timers();
        session.start_heartbeat();
        SessionHandle(StoredValue::new_local(session))
    }

    /// Changes the board. The closure runs inside one local transaction; the resulting
    /// update is sent at once, or counted as waiting while offline.
    pub fn edit(&self, f: impl FnOnce(&Board, &mut TransactionMut)) {
        self.edit_with(LOCAL_ORIGIN, false, f);
    }

    /// Changes the board as the person types in a text box: like [`Session::edit`], but
    /// typing on in the same box counts as one edit however many keystrokes it takes.
    pub fn type_text(&self, f: impl FnOnce(&Board, &mut TransactionMut)) {
        self.edit_with(LOCAL_ORIGIN, true, f);
    }

    /// Adds to the board like [`Session::edit`], but outside my undo history: for adding
    /// an item, which is taken back by removing it (to the bin), not by undo.
    pub fn add(&self, f: impl FnOnce(&Board, &mut TransactionMut)) {
        self.edit_with(LOCAL_UNTRACKED, false, f);
    }

    fn edit_with(&self, origin: &str, typing: bool, f: impl FnOnce(&Board, &mut TransactionMut)) {
        let update = {
            let mut txn = self.doc.transact_mut_with(origin);
            f(&self.board, &mut txn);
            txn.encode_update_v1()
        };
        // An update that changes nothing encodes as two zero bytes (no structs, no deletes).
        if update != [0, 0] {
            self.upload(&update, typing);
            self.refresh_items();
            self.refresh_history();
        }
    }

    /// Undoes my last change to the items (never anyone else's); see `history`.
    pub fn undo(&self) {
        self.step(true);
    }

    /// Redoes the change I last undid.
    pub fn redo(&self) {
        self.step(false);
    }

    fn step(&self, undo: bool) {
        let made = self.history.step(undo);
        for update in &made {
            self.upload(update, false);
        }
        if !made.is_empty() {
            self.refresh_items();
        }
        self.refresh_history();
    }

    /// Keeps one local update on the device and in the outbox, and sends it if connected.
    /// `typing` says whether it may continue the edit before it (see `outbox`).
    fn upload(&self, update: &[u8], typing: bool) {
        let seq = self.keep_mine(update, typing);
        if self.answered.get() && self.send(&coboard_shared::protocol::encode_update(update)) {
            self.outbox.borrow_mut().written(seq);
            self.ping_if_due();
        }
    }

    fn refresh_history(&self) {
        set_if_changed(self.signals.can_undo, self.history.can_undo());
        set_if_changed(self.signals.can_redo, self.history.can_redo());
    }

    /// Reads the board without changing it (say, my own ballot in a round).
    pub fn read<R>(&self, f: impl FnOnce(&Board, &Transaction) -> R) -> R {
        let txn = self.doc.transact();
        f(&self.board, &txn)
    }

    /// The board's id.
    pub fn board_id(&self) -> &str {
        &self.board_id
    }

    /// The invite token, for API calls made on this board's behalf. Never log it.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Re-reads into the signals what the document's events say changed since the last
    /// time, and nothing else: a keystroke re-reads one item, never the whole board.
    /// Signals whose value did not change are left alone, so only the components that
    /// read them re-render.
    fn refresh_items(&self) {
        use changes::part;
        let mut c = changes::take(&self.changes);
        if c.is_empty() {
            return;
        }
        let s = &self.signals;
        let txn = self.doc.transact();
        let b = &self.board;
        // Items that come, go, or change section or kind change what a round counts and
        // who contributed.
        let found = if c.membership || !c.items.is_empty() {
            s.items
                .refresh(b, &txn, std::mem::take(&mut c.items), c.membership)
        } else {
            items::Refreshed::default()
        };
        if c.has(part::META) {
            set_if_changed(s.title, b.title(&txn).unwrap_or_default());
            set_if_changed(s.template, b.template(&txn));
        }
        if c.has(part::SECTIONS) {
            set_if_changed(s.sections, b.read_sections(&txn));
        }
        if c.has(part::COMMENTS) {
            set_if_changed(s.comments, b.read_comments(&txn));
        }
        if found.moved || c.has(part::ROUNDS | part::VOTES | part::SECTIONS) {
            let rounds = b
                .read_rounds(&txn)
                .iter()
                .filter_map(|r| b.tally(&txn, &r.id).ok())
                .collect();
            set_if_changed(s.rounds, rounds);
        }
        if c.has(part::ACTIVITY) {
            set_if_changed(s.activity, b.read_activity(&txn, ACTIVITY_LINES));
        }
        // Votes count by role in every round, so participation follows the rounds.
        if found.moved
            || c.has(part::ACTIVITY | part::COMMENTS | part::ROUNDS | part::VOTES | part::SECTIONS)
        {
            set_if_changed(s.participation, b.participation(&txn));
        }
        if c.has(part::OTHER) {
            s.facilitation.notify();
        }
    }
}

fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|v| *v != value) {
        signal.set(value);
    }
}
