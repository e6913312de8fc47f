//! Untrusted updates are validated before they touch a live board.
//!
//! yrs can accept some malformed updates and then panic later, for instance on every
//! full-state encode, which would break the sync of every newcomer to the board. So an
//! incoming update goes through three gates, each costing time proportional to the
//! *update*, never to the board (re-encoding a large board per keystroke is what made a
//! prototype's CPU and latency explode):
//!
//! 1. [`scan::scan_update`]: a structural walk that rejects what `catch_unwind` cannot
//!    save us from (stack overflows, allocation bombs; see that module).
//! 2. [`check_update`]: decode, apply to an empty scratch `Doc`, encode the scratch doc and
//!    decode that encoding again, all under `catch_unwind`. An update that panics or fails
//!    on its own is rejected before the live board sees it.
//! 3. [`apply_live`]: apply to the live doc under `catch_unwind`, then encode only what
//!    changed (from the transaction itself) and decode it again. An
//!    update can still misbehave only in combination with the board's existing content;
//!    if it does, the live doc can no longer be trusted and the caller rebuilds the board
//!    from the store (the update was not persisted yet).
//!
//! [`apply_live`] also keeps the board's [`depth::TypeDepths`] current and refuses updates
//! that would nest shared types too deeply *across* updates (the scan only sees one).
//!
//! What is *not* re-checked per update is the full-state encode of the whole board: that
//! is the cost we refuse to pay. The fuzz tests (`server/tests/fuzz_regressions.rs`) do
//! run a full encode and a fresh load after every accepted update, to show that the gates
//! above are enough for every input they have generated.

pub mod depth;
pub mod scan;

use std::panic::{AssertUnwindSafe, catch_unwind};

use yrs::updates::decoder::Decode;
use yrs::{ClientID, Doc, ReadTxn, StateVector, Transact, TransactionMut, Update};

use depth::TypeDepths;

/// An update refused before it touched the live board; the board is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Rejected(pub String);

/// The live board could not take an update.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// yrs refused the update and left the document as it was.
    #[error("update rejected: {0}")]
    Rejected(String),
    /// The update builds on changes the board has not seen (say, from another tab of the
    /// same browser that has not uploaded yet). Not the client's fault: it should resync.
    #[error("update builds on changes the board has not seen")]
    MissingDependencies,
    /// yrs panicked, or refused the update after changing part of the document: the live
    /// document can no longer be trusted and must be rebuilt from the store.
    #[error("board state untrusted after update: {0}")]
    Poisoned(String),
}

/// Runs `f`, turning a panic into an error carrying the panic message.
///
/// `AssertUnwindSafe` is sound here because every caller throws away whatever `f` touched
/// when it panics (a scratch doc, or a live doc the actor then discards).
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        if let Some(s) = payload.downcast_ref::<&str>() {
            format!("panic: {s}")
        } else if let Some(s) = payload.downcast_ref::<String>() {
            format!("panic: {s}")
        } else {
            "panic".to_owned()
        }
    })
}

/// Whether a v1 update from a view-only connection would change anything, read without
/// decoding it: such an update is never applied, so it is never handed to yrs either (yrs
/// decodes recursively and pre-allocates from counts on the wire, so one hostile frame could
/// overflow the stack or claim a gigabyte; see [`scan`]). An update with no blocks and no
/// deletions is the two counts `0, 0`; anything else, well formed or not, counts as a change.
pub fn carries_change(bytes: &[u8]) -> bool {
    use yrs::encoding::read::{Cursor, Read};
    let mut cur = Cursor::new(bytes);
    let blocks: Result<u64, _> = cur.read_var();
    let deletes: Result<u64, _> = cur.read_var();
    !matches!((blocks, deletes), (Ok(0), Ok(0))) || cur.has_content()
}

/// Checks an incoming v1 update on its own, without the live board, and returns it decoded.
///
/// Cost is proportional to the update: the scratch doc holds nothing else. Blocks whose
/// dependencies are missing stay pending in the scratch doc and are encoded as such, which
/// exercises the same code a full encode of the live board would run on them.
pub fn check_update(bytes: &[u8]) -> Result<Checked, Rejected> {
    let needs = scan::scan_update(bytes).map_err(|e| Rejected(format!("malformed update: {e}")))?;
    let scratch = guarded(|| -> Result<(), String> {
        let doc = Doc::new();
        let update = Update::decode_v1(bytes).map_err(|e| format!("does not decode: {e}"))?;
        doc.transact_mut()
            .apply_update(update)
            .map_err(|e| format!("does not apply: {e}"))?;
        let state = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        Update::decode_v1(&state).map_err(|e| format!("re-encoding does not decode: {e}"))?;
        Ok(())
    });
    match scratch {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(Rejected(e)),
        Err(panic) => {
            return Err(Rejected(format!(
                "update crashes the CRDT library ({panic})"
            )));
        }
    }
    // Decoded once more for the caller: the scratch copy was consumed by `apply_update`
    // (`Update` is not `Clone`). The scan and the scratch decode have already shown that
    // this decodes without panicking.
    let update = Update::decode_v1(bytes).map_err(|e| Rejected(format!("does not decode: {e}")))?;
    Ok(Checked { update, needs })
}

/// An update that passed [`check_update`], with what it needs from the live document.
pub struct Checked {
    pub update: Update,
    needs: scan::Needs,
}

/// Applies a checked update to the live document, and proves that what changed can still
/// be encoded and read back.
///
/// The changes are encoded from the transaction itself (`TransactionMut::encode_update_v1`:
/// the blocks added since the transaction began, and the deletions it made), not with
/// `encode_state_as_update_v1(&state_vector_before)`: despite its name, that also walks every
/// block of the board to rebuild the *entire* delete set, which is the per-update cost this
/// module exists to avoid. Cost here: the apply, one state-vector walk (one entry per
/// client that ever wrote to the board, done by yrs on commit anyway) and the changes.
///
/// An update whose dependencies the board lacks (blocks it points at, or earlier blocks of
/// the same client) is refused rather than parked: yrs keeps such blocks "pending" with
/// raw pointers to their parent types, and if that type is deleted and garbage-collected
/// before the blocks are retried, the retry reads freed memory (a segmentation fault the
/// fuzzer found in yrs 0.28.1, `Update::missing_dependency`). Clients send updates in
/// causal order, so a well-behaved client never hits this.
///
/// `depths` must describe `doc` (built by [`apply_stored`], kept by this function): the update
/// is refused if it would nest a shared type deeper than [`depth::MAX_DEPTH`], and recorded
/// once it is in the document.
pub fn apply_live(doc: &Doc, depths: &mut TypeDepths, checked: Checked) -> Result<(), LiveError> {
    let Checked { update, needs } = checked;
    let depths_now = &*depths;
    let outcome = guarded(|| {
        let mut txn = doc.transact_mut();
        let sv = txn.state_vector();
        let has = |client: u64, clock: u64| clock < u64::from(sv.get(&ClientID::new(client)));
        let gap = needs
            .starts
            .iter()
            .any(|&(c, k)| k > u64::from(sv.get(&ClientID::new(c))));
        // Deleting what the board has not seen would leave yrs a pending delete set to
        // retry on later updates; a fuzzed session doing so (a range far past a client's
        // clock, after blocks that reuse ids the board holds) later made yrs' garbage
        // collection read freed memory. Deletions reach only what the board, or this same
        // update, holds.
        let known = |c: u64| {
            let own = needs.ends.iter().filter(|&&(e, _)| e == c).map(|&(_, k)| k);
            own.fold(u64::from(sv.get(&ClientID::new(c))), u64::max)
        };
        let unseen = needs.deletes.iter().any(|&(c, end)| end > known(c));
        if gap || unseen || needs.ids.iter().any(|&(c, k)| !has(c, k)) {
            return Err(LiveError::MissingDependencies);
        }
        let plan = depths_now
            .plan(&needs.blocks, &sv, false)
            .map_err(LiveError::Rejected)?;
        if let Err(e) = txn.apply_update(update) {
            // yrs returns this midway through integrating, after earlier blocks of the same
            // update may already be in the document. If nothing moved, it is unharmed.
            return Err(if txn.state_vector() == *txn.before_state() {
                LiveError::Rejected(e.to_string())
            } else {
                LiveError::Poisoned(e.to_string())
            });
        }
        let changes = txn.encode_update_v1();
        Update::decode_v1(&changes)
            .map_err(|e| LiveError::Poisoned(format!("changes do not decode: {e}")))?;
        Ok(plan)
        // The transaction commits here (GC, block merging), still under the guard.
    });
    let plan = outcome.unwrap_or_else(|panic| Err(LiveError::Poisoned(panic)))?;
    depths.commit(plan);
    Ok(())
}

/// Applies one stored update (the snapshot or a logged update) while a board loads, and
/// records its depths. The same scan and depth limit as for live updates, so a board whose
/// log already holds a type chain (stored before the limit existed) fails to load rather
/// than overflow the stack when the chain is deleted or collected. An error means the
/// stored board is unusable, not that a client misbehaved.
pub fn apply_stored(
    txn: &mut TransactionMut,
    depths: &mut TypeDepths,
    bytes: &[u8],
) -> Result<(), String> {
    let needs = scan::scan_update(bytes)?;
    let plan = depths.plan(&needs.blocks, &txn.state_vector(), true)?;
    let update = Update::decode_v1(bytes).map_err(|e| format!("does not decode: {e}"))?;
    txn.apply_update(update)
        .map_err(|e| format!("does not apply: {e}"))?;
    depths.commit(plan);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{Map, Transact};

    #[test]
    fn a_viewers_update_is_judged_without_decoding_it() {
        let empty = Doc::new()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert!(
            !carries_change(&empty),
            "an empty doc's state changes nothing"
        );

        let doc = Doc::new();
        doc.get_or_insert_map("items")
            .insert(&mut doc.transact_mut(), "a", "b");
        let real = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert!(carries_change(&real));

        // One block claiming 2^28 structs, and `[[[[...]]]]` 10,000 deep: judged from the
        // first bytes, without the allocation or recursion yrs would attempt.
        let mut bomb = vec![1u8, 0x80, 0x80, 0x80, 0x80, 0x01];
        bomb.extend(std::iter::repeat_n(0u8, 8));
        assert!(carries_change(&bomb));
        let mut deep = vec![
            1u8, 1, 1, 0, 0x28, 1, 5, b'i', b't', b'e', b'm', b's', 1, b'a', 1,
        ];
        deep.extend([117u8, 1].repeat(10_000));
        assert!(carries_change(&deep));
        assert!(
            carries_change(&[]),
            "cut short counts as a change, not as empty"
        );
        assert!(
            carries_change(&[0, 0, 0]),
            "trailing bytes count as a change"
        );
    }

    #[test]
    fn deletions_reach_only_what_the_board_has_seen() {
        let source = Doc::with_options(yrs::Options {
            client_id: ClientID::new(1),
            ..yrs::Options::default()
        });
        let items = source.get_or_insert_map("items");
        items.insert(&mut source.transact_mut(), "a", "b");
        let live = Doc::new();
        let mut depths = depth::TypeDepths::default();
        let add = source
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert!(apply_live(&live, &mut depths, check_update(&add).unwrap()).is_ok());

        // Client 1's clocks 0..1000 deleted, when the board holds only clock 0.
        let far = [0u8, 1, 1, 1, 0, 0xe8, 0x07];
        assert_eq!(
            apply_live(&live, &mut depths, check_update(&far).unwrap()),
            Err(LiveError::MissingDependencies)
        );
        // A real deletion of what the board holds goes through.
        let before = live.transact().state_vector();
        items.remove(&mut source.transact_mut(), "a");
        let remove = source.transact().encode_state_as_update_v1(&before);
        assert!(apply_live(&live, &mut depths, check_update(&remove).unwrap()).is_ok());
        assert_eq!(live.get_or_insert_map("items").len(&live.transact()), 0);
    }
}
