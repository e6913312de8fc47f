//! The copy of a board kept on this device, in IndexedDB, so the board opens without a
//! network and nothing a person writes is lost when the page reloads before it was sent.
//!
//! A thin layer over `web-sys` rather than a wrapper crate: the page needs five operations
//! (open, put, delete, read a range, clear a board), and each wrapper crate would add its
//! own futures layer to the wasm for them.
//!
//! One database, `coboard`, with three object stores, each keyed by board:
//! - `docs`: key `board`, the board's whole state as one Yjs update (written when the log
//!   is folded into it);
//! - `log`: key `[board, time, tab, seq]`, each update since (mine and everyone's);
//! - `unsent`: same keys, `[update, edit]` for my changes the server has not yet said are
//!   stored. An entry leaves only when the server's pong covers it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction};
use web_sys::{IdbTransactionMode, window};

const DB: &str = "coboard";
const DOCS: &str = "docs";
const LOG: &str = "log";
const UNSENT: &str = "unsent";

/// Fold the log into the board's state once it holds this many updates.
const FOLD_AFTER: usize = 200;

/// What the device held for a board when the page opened it.
#[derive(Default)]
pub struct Loaded {
    /// The board's state, then every update logged since, in the order to apply them.
    pub updates: Vec<Vec<u8>>,
    /// My changes not yet stored by the server: key, update, and the edit they belong to.
    pub unsent: Vec<(JsValue, Vec<u8>, u32)>,
}

/// An open handle on one board's copy.
pub struct DeviceCopy {
    db: IdbDatabase,
    board: String,
    /// Tells this tab's keys from another tab's on the same board.
    tab: u32,
    seq: Cell<u32>,
    /// Keys of the log entries this copy's state already holds (loaded or written here):
    /// only these are deleted when the log is folded, never another tab's.
    logged: RefCell<Vec<JsValue>>,
    /// Write transactions still on their way to disk.
    writing: Rc<Cell<u32>>,
}

fn err(what: &str) -> JsValue {
    JsValue::from_str(what)
}

/// Resolves with the request's result once it succeeds.
fn request(req: &IdbRequest) -> JsFuture {
    let req2 = req.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let req3 = req2.clone();
        let done = Closure::once_into_js(move |e: web_sys::Event| {
            if e.type_() == "success" {
                let _ = resolve.call1(&JsValue::NULL, &req3.result().unwrap_or(JsValue::UNDEFINED));
            } else {
                let _ = reject.call1(&JsValue::NULL, &err("IndexedDB request failed"));
            }
        });
        req2.set_onsuccess(Some(done.unchecked_ref()));
        req2.set_onerror(Some(done.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// Resolves once the transaction has committed (its writes are on disk).
fn committed(tx: &IdbTransaction) -> JsFuture {
    let tx2 = tx.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |e: web_sys::Event| {
            if e.type_() == "complete" {
                let _ = resolve.call0(&JsValue::NULL);
            } else {
                let _ = reject.call1(&JsValue::NULL, &err("IndexedDB transaction failed"));
            }
        });
        tx2.set_oncomplete(Some(done.unchecked_ref()));
        tx2.set_onerror(Some(done.unchecked_ref()));
        tx2.set_onabort(Some(done.unchecked_ref()));
    });
    JsFuture::from(promise)
}

async fn open_db() -> Result<IdbDatabase, JsValue> {
    let factory = window()
        .ok_or_else(|| err("no window"))?
        .indexed_db()?
        .ok_or_else(|| err("IndexedDB is not available"))?;
    let req = factory.open_with_u32(DB, 1)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let Some(db) = e
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        for store in [DOCS, LOG, UNSENT] {
            if !db.object_store_names().contains(store) {
                let _ = db.create_object_store(store);
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = request(&req).await?;
    drop(upgrade);
    db.dyn_into::<IdbDatabase>()
}

/// Every key of `board` in a store keyed `[board, ...]`.
fn board_range(board: &str) -> Result<IdbKeyRange, JsValue> {
    let lower = Array::of1(&JsValue::from_str(board));
    // Arrays sort after numbers and strings, so `[board, []]` is above every key of board.
    let upper = Array::of2(&JsValue::from_str(board), &Array::new());
    IdbKeyRange::bound(&lower, &upper)
}

fn bytes_of(v: &JsValue) -> Option<Vec<u8>> {
    v.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}

impl DeviceCopy {
    /// Opens the board's copy and reads what it holds.
    pub async fn open(board: &str) -> Result<(DeviceCopy, Loaded), JsValue> {
        let db = open_db().await?;
        let tx = db.transaction_with_str_sequence(&Array::of3(
            &DOCS.into(),
            &LOG.into(),
            &UNSENT.into(),
        ))?;
        let range = board_range(board)?;
        let state = request(&tx.object_store(DOCS)?.get(&JsValue::from_str(board))?);
        let log = tx.object_store(LOG)?;
        let log_keys = request(&log.get_all_keys_with_key(&range)?);
        let log_values = request(&log.get_all_with_key(&range)?);
        let unsent = tx.object_store(UNSENT)?;
        let unsent_keys = request(&unsent.get_all_keys_with_key(&range)?);
        let unsent_values = request(&unsent.get_all_with_key(&range)?);

        let mut loaded = Loaded::default();
        if let Some(state) = bytes_of(&state.await?) {
            loaded.updates.push(state);
        }
        let log_keys: Array = log_keys.await?.dyn_into()?;
        let log_values: Array = log_values.await?.dyn_into()?;
        loaded
            .updates
            .extend(log_values.iter().filter_map(|v| bytes_of(&v)));
        let unsent_keys: Array = unsent_keys.await?.dyn_into()?;
        let unsent_values: Array = unsent_values.await?.dyn_into()?;
        for (key, value) in unsent_keys.iter().zip(unsent_values.iter()) {
            let value: Array = value.dyn_into()?;
            if let Some(update) = bytes_of(&value.get(0)) {
                let edit = value.get(1).as_f64().unwrap_or(0.0) as u32;
                loaded.unsent.push((key, update, edit));
            }
        }
        let copy = DeviceCopy {
            db,
            board: board.to_owned(),
            tab: (js_sys::Math::random() * f64::from(u32::MAX)) as u32,
            seq: Cell::new(0),
            logged: RefCell::new(log_keys.iter().collect()),
            writing: Rc::default(),
        };
        Ok((copy, loaded))
    }

    fn next_key(&self) -> JsValue {
        let seq = self.seq.get();
        self.seq.set(seq.wrapping_add(1));
        let key = Array::of3(
            &JsValue::from_str(&self.board),
            &JsValue::from_f64(js_sys::Date::now()),
            &JsValue::from_f64(f64::from(self.tab)),
        );
        key.push(&JsValue::from_f64(f64::from(seq)));
        key.into()
    }

    /// The count of writes still on their way to disk (shared with their callbacks).
    pub fn writing_count(&self) -> Rc<Cell<u32>> {
        self.writing.clone()
    }

    /// Runs `f` in a write transaction over `stores`; `then` runs once it has committed
    /// (with whether it did).
    fn write(
        &self,
        stores: &[&str],
        f: impl FnOnce(&IdbTransaction) -> Result<(), JsValue>,
        then: impl FnOnce(bool) + 'static,
    ) {
        let names = Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        let tx = match self
            .db
            .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
        {
            Ok(tx) => tx,
            Err(_) => return then(false),
        };
        if f(&tx).is_err() {
            let _ = tx.abort();
            return then(false);
        }
        self.writing.set(self.writing.get() + 1);
        let writing = self.writing.clone();
        let done = committed(&tx);
        wasm_bindgen_futures::spawn_local(async move {
            let ok = done.await.is_ok();
            writing.set(writing.get().saturating_sub(1));
            then(ok);
        });
    }

    /// Keeps an update from the server. Returns whether the log is due to be folded.
    pub fn keep(&self, update: &[u8], then: impl FnOnce(bool) + 'static) -> bool {
        let key = self.next_key();
        let value = Uint8Array::from(update);
        let k = key.clone();
        self.write(
            &[LOG],
            move |tx| tx.object_store(LOG)?.put_with_key(&value, &k).map(drop),
            then,
        );
        let mut logged = self.logged.borrow_mut();
        logged.push(key);
        logged.len() >= FOLD_AFTER
    }

    /// Keeps one of my changes, both in the log and as unsent, in one transaction.
    /// Returns its key in `unsent`, and whether the log is due to be folded.
    pub fn keep_mine(
        &self,
        update: &[u8],
        edit: u32,
        then: impl FnOnce(bool) + 'static,
    ) -> (JsValue, bool) {
        let key = self.next_key();
        let value = Uint8Array::from(update);
        let unsent = Array::of2(&value, &JsValue::from_f64(f64::from(edit)));
        let k = key.clone();
        self.write(
            &[LOG, UNSENT],
            move |tx| {
                tx.object_store(LOG)?.put_with_key(&value, &k)?;
                tx.object_store(UNSENT)?.put_with_key(&unsent, &k)?;
                Ok(())
            },
            then,
        );
        let mut logged = self.logged.borrow_mut();
        logged.push(key.clone());
        (key, logged.len() >= FOLD_AFTER)
    }

    /// The server has stored these changes of mine.
    pub fn sent(&self, keys: Vec<JsValue>, then: impl FnOnce(bool) + 'static) {
        if keys.is_empty() {
            return;
        }
        self.write(
            &[UNSENT],
            move |tx| {
                let store = tx.object_store(UNSENT)?;
                for k in &keys {
                    store.delete(k)?;
                }
                Ok(())
            },
            then,
        );
    }

    /// Replaces the board's state with `state` (which holds everything logged so far) and
    /// drops the log entries it holds.
    pub fn fold(&self, state: &[u8], then: impl FnOnce(bool) + 'static) {
        let keys = std::mem::take(&mut *self.logged.borrow_mut());
        let value = Uint8Array::from(state);
        let board = JsValue::from_str(&self.board);
        self.write(
            &[DOCS, LOG],
            move |tx| {
                tx.object_store(DOCS)?.put_with_key(&value, &board)?;
                let log: IdbObjectStore = tx.object_store(LOG)?;
                for k in &keys {
                    log.delete(k)?;
                }
                Ok(())
            },
            then,
        );
    }
}

/// Removes everything this device keeps of `board`: its state, log and unsent changes.
pub async fn forget(board: &str) -> Result<(), JsValue> {
    let db = open_db().await?;
    let tx = db.transaction_with_str_sequence_and_mode(
        &Array::of3(&DOCS.into(), &LOG.into(), &UNSENT.into()),
        IdbTransactionMode::Readwrite,
    )?;
    let range = board_range(board)?;
    tx.object_store(DOCS)?.delete(&JsValue::from_str(board))?;
    tx.object_store(LOG)?.delete(&range)?;
    tx.object_store(UNSENT)?.delete(&range)?;
    committed(&tx).await?;
    db.close();
    Ok(())
}
