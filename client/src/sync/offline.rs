//! Working without a network: the board's copy on this device, my changes until the server
//! has stored them, and what the person can do with that copy (forget it, or take their
//! unsent changes away as a file). Noticing a connection that went quiet is `liveness`.

use std::rc::Rc;
use std::time::Duration;

use base64::Engine as _;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Transact, Update};

use super::device::{self, DeviceCopy, Loaded};
use super::{Link, RESTORED_ORIGIN, Session};

/// Whether this device keeps a copy of the board, and whether it is up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Reading the copy (or finding there is none) as the page opens.
    Opening,
    /// A change is on its way to the device's storage.
    Saving,
    /// Everything on screen is saved on this device.
    Saved,
    /// This browser keeps nothing (storage refused or full): unsent changes live only in
    /// this tab.
    Unavailable,
}

/// How long the page waits for the device's copy before connecting without it.
const OPEN_DEVICE_WAIT: Duration = Duration::from_secs(3);

impl Session {
    /// Reads the device's copy into the document, then connects. If the copy cannot be
    /// read within [`OPEN_DEVICE_WAIT`], the page connects without it.
    pub(super) fn open_device(self: &Rc<Self>) {
        let me = self.clone();
        spawn_local(async move {
            match DeviceCopy::open(&me.board_id).await {
                Ok((copy, loaded)) => {
                    let late = me.started.get();
                    me.restore(copy, loaded);
                    if late {
                        // Too late to go in the first sync: a new connection carries it.
                        crate::dom::log("coboard: the device's copy was slow to open");
                        me.lost(Link::Reconnecting);
                    }
                }
                Err(_) => {
                    me.signals.kept.set(Kept::Unavailable);
                    me.tell_boot_js();
                }
            }
            me.start_once();
        });
        let weak = Rc::downgrade(self);
        set_timeout(
            move || {
                if let Some(s) = weak.upgrade() {
                    s.start_once();
                }
            },
            OPEN_DEVICE_WAIT,
        );
    }

    fn start_once(self: &Rc<Self>) {
        if !self.started.replace(true) {
            self.connect();
        }
    }

    fn restore(&self, copy: DeviceCopy, loaded: Loaded) {
        let Loaded { updates, unsent } = loaded;
        let mut applied = 0;
        {
            let mut txn = self.doc.transact_mut_with(RESTORED_ORIGIN);
            for bytes in updates.iter().chain(unsent.iter().map(|(_, u, _)| u)) {
                if let Ok(u) = Update::decode_v1(bytes)
                    && txn.apply_update(u).is_ok()
                {
                    applied += 1;
                }
            }
        }
        {
            let mut outbox = self.outbox.borrow_mut();
            let mut prev = None;
            for (key, _, edit) in unsent {
                outbox.restore(Some(key), edit, prev);
                prev = Some(edit);
            }
        }
        *self.device.borrow_mut() = Some(copy);
        self.signals.kept.set(Kept::Saved);
        if applied > 0 {
            self.refresh_items();
            self.signals.restored.set(true);
            crate::dom::set_window_flag("__coboard_restored");
        }
        self.refresh_pending();
    }

    /// Counts my edits the server has not stored yet.
    pub(super) fn refresh_pending(&self) {
        let n = self.outbox.borrow().edits();
        if self.signals.pending.get_untracked() != n {
            self.signals.pending.set(n);
        }
        self.tell_boot_js();
    }

    /// Tells `boot.js` whether a reload now would lose changes: some are not yet stored by
    /// the server and this browser keeps no copy of them. It waits to move to a new
    /// release until they are stored.
    pub(super) fn tell_boot_js(&self) {
        let holding = !self.outbox.borrow().is_empty()
            && self.signals.kept.get_untracked() == Kept::Unavailable;
        let _ = js_sys::Reflect::set(
            &window(),
            &"__coboardHolding".into(),
            &JsValue::from_bool(holding),
        );
    }

    /// What to do once a device write has finished.
    fn after_write(&self) -> impl FnOnce(bool) + 'static {
        let kept = self.signals.kept;
        let writing = self.device.borrow().as_ref().map(DeviceCopy::writing_count);
        move |ok| {
            if !ok {
                kept.set(Kept::Unavailable);
            } else if writing.is_none_or(|w| w.get() == 0) && kept.get_untracked() == Kept::Saving {
                kept.set(Kept::Saved);
            }
        }
    }

    /// Keeps one of my changes on the device and in the outbox; returns its number there.
    pub(super) fn keep_mine(&self, update: &[u8], typing: bool) -> u64 {
        let same_box = match typing {
            true => self.same_box(),
            // Anything but typing ends a run of typing.
            false => {
                self.last_box.borrow_mut().take();
                false
            }
        };
        let now = js_sys::Date::now();
        let edit = self.outbox.borrow_mut().edit_for(now, same_box);
        let then = self.after_write();
        let kept = self
            .device
            .borrow()
            .as_ref()
            .map(|d| d.keep_mine(update, edit, then));
        let seq = match kept {
            Some((key, fold)) => {
                self.saving();
                let seq = self.outbox.borrow_mut().push(Some(key), edit);
                if fold {
                    self.fold();
                }
                seq
            }
            None => self.outbox.borrow_mut().push(None, edit),
        };
        self.refresh_pending();
        seq
    }

    fn saving(&self) {
        if self.signals.kept.get_untracked() == Kept::Saved {
            self.signals.kept.set(Kept::Saving);
        }
    }

    /// Whether keyboard focus is in the same text box as for my last typed change.
    fn same_box(&self) -> bool {
        let active = document()
            .active_element()
            .filter(|e| matches!(e.tag_name().as_str(), "TEXTAREA" | "INPUT"));
        let mut last = self.last_box.borrow_mut();
        let same = active.is_some() && *last == active;
        *last = active;
        same
    }

    /// Keeps an update from the server on the device, with the others that come within a
    /// heartbeat: on a busy board one write then carries many of them. (The server has
    /// them all, so the short wait puts nothing at risk.)
    pub(super) fn keep_remote(&self, update: &[u8]) {
        if self.device.borrow().is_some() {
            self.remote_batch.borrow_mut().push(update.to_vec());
        }
    }

    /// Writes the updates from the server gathered since the last write.
    pub(super) fn flush_remote(&self) {
        let batch = std::mem::take(&mut *self.remote_batch.borrow_mut());
        let update = match batch.len() {
            0 => return,
            1 => batch.into_iter().next().unwrap_or_default(),
            _ => match yrs::merge_updates_v1(&batch) {
                Ok(merged) => merged,
                Err(_) => {
                    // Each is still good on its own.
                    for u in &batch {
                        self.write_remote(u);
                    }
                    return;
                }
            },
        };
        self.write_remote(&update);
    }

    fn write_remote(&self, update: &[u8]) {
        let then = self.after_write();
        let fold = self.device.borrow().as_ref().map(|d| d.keep(update, then));
        if let Some(fold) = fold {
            self.saving();
            if fold {
                self.fold();
            }
        }
    }

    /// Folds the device's log into one state (after the first sync, and every so often).
    pub(super) fn fold(&self) {
        // The state holds whatever was waiting to be written too.
        self.remote_batch.borrow_mut().clear();
        let state = self
            .doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let then = self.after_write();
        if let Some(d) = self.device.borrow().as_ref() {
            self.saving();
            d.fold(&state, then);
        }
    }

    /// The server has stored everything I wrote before ping `n`.
    pub(super) fn confirmed(&self, n: u64) {
        if n >= self.offline_answer.get() {
            self.offline_answer.set(0);
        }
        let keys = self.outbox.borrow_mut().pong(n);
        if let Some(d) = self.device.borrow().as_ref() {
            d.sent(keys, self.after_write());
        }
        self.refresh_pending();
        self.ping_if_due();
    }

    /// Whether the board refused changes this page made offline (its copy then has to go,
    /// once the person has taken what they want of it).
    pub fn refused_changes(&self) -> bool {
        self.refused_changes.get()
    }

    /// Removes this board's copy from this device (the caller forgets the link if it
    /// should go too).
    pub async fn forget_device(&self) -> Result<(), String> {
        self.device.borrow_mut().take();
        device::forget(&self.board_id)
            .await
            .map_err(|_| "This device's copy could not be removed. Please try again.".to_owned())
    }

    /// My changes the server never stored, as a file a person can read and keep: the board
    /// as this device holds it (with those changes), then the changes themselves encoded for
    /// whoever runs Coboard to restore.
    pub fn unsent_file(&self) -> String {
        let txn = self.doc.transact();
        let b = &self.board;
        let title = b.title(&txn).unwrap_or_else(|| "Board".to_owned());
        let edits = self.outbox.borrow().edits();
        let mut out = format!(
            "# {title}: your copy, with changes that did not reach the board\n\n\
             This device holds {edits} {} of yours that the board never received. \
             Below is the board as this device last saw it, with them in it.\n\n",
            if edits == 1 { "change" } else { "changes" }
        );
        let sections = b.read_sections(&txn);
        let items = b.read_items(&txn);
        for section in &sections {
            out.push_str(&format!("## {}\n\n", section.title));
            for item in items.iter().filter(|i| i.section == section.id) {
                out.push_str(&format!("- {}\n", item.text.replace('\n', " ")));
            }
            out.push('\n');
        }
        let loose: Vec<_> = items
            .iter()
            .filter(|i| !sections.iter().any(|s| s.id == i.section))
            .collect();
        if !loose.is_empty() {
            out.push_str("## Other notes\n\n");
            for item in loose {
                out.push_str(&format!("- {}\n", item.text.replace('\n', " ")));
            }
            out.push('\n');
        }
        let encoded = txn.encode_state_as_update_v1(&StateVector::default());
        out.push_str(
            "## For the person who runs Coboard\n\n\
             The whole copy as one Yjs update (base64), which holds the changes above:\n\n```\n",
        );
        out.push_str(&base64::engine::general_purpose::STANDARD.encode(encoded));
        out.push_str("\n```\n");
        out
    }
}
