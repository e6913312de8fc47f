//! Nesting depth of shared types, tracked across updates, per board.
//!
//! Why: yrs deletes and garbage-collects nested shared types recursively, so deleting the
//! root of a chain of types, each nested in the previous one, overflows the stack, and a
//! stack overflow aborts the whole server. [`scan`](super::scan) bounds the nesting *within*
//! one update, but a client can build the chain over many updates, a few levels at a time
//! (`server/fuzz/regressions/nested-type-chain-delete.bin`). So each board remembers how deep
//! every block it holds sits, and refuses an update that would create a shared type more
//! than [`MAX_DEPTH`] levels below a root type.
//!
//! An item names its parent type either directly (a root name, or the id of the item that
//! holds the type) or implicitly, through its neighbours `origin` / `right_origin`, whose
//! parent it inherits (yrs 0.28 `Update::missing_dependency`: the left neighbour's parent if
//! the left neighbour is a live item, else the right's). So the depth must be known for any
//! block that can be named as a neighbour, not only for types. It is kept as runs of one
//! client's consecutive clocks that share a parent depth: memory grows with the number of
//! blocks (one per burst of typing, not per character), like yrs' own block store.
//!
//! Soundness: a recorded depth is never below the real one. With two neighbours we take the
//! deeper; depths are fixed at creation and never lowered when types are deleted. `Dead`
//! marks what yrs holds as garbage-collected (`GC`) blocks, or never integrates: yrs ignores
//! GC neighbours and turns an item with no live parent into a GC block, so nothing can ever
//! nest below a dead block.

use std::collections::{BTreeMap, HashMap};

use yrs::{ClientID, StateVector};

/// Deepest shared type accepted, counted from a root type (depth 0). A Coboard board uses
/// 2 (`items` → item map → text); any Yjs client fits easily, and yrs' recursive delete at
/// this depth uses a small fraction of a worker thread's stack.
pub const MAX_DEPTH: u32 = 32;

/// A block id: (client, clock).
pub type Id = (u64, u64);

/// How an item of an update names its parent type, as written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// A root type, by name.
    Root,
    /// The type held by the item with this id.
    Parent(Id),
    /// The parent of its neighbours: (origin, right origin), at least one of them present.
    Neighbours(Option<Id>, Option<Id>),
}

/// One block of an update, as far as depth is concerned (skip blocks are left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewBlock {
    pub id: Id,
    /// Clock ticks it covers (at least 1; a shared type is always 1).
    pub len: u64,
    /// `None` for a GC block.
    pub link: Option<Link>,
    /// The item's content is a shared type.
    pub is_type: bool,
}

/// Depth of a block's parent type (a root type is 0), or dead (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parent {
    Depth(u32),
    Dead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    end: u64,
    parent: Parent,
    /// A shared type (length 1); never merged with its neighbours.
    is_type: bool,
}

/// What a board knows about the depth of its blocks: per client, runs keyed by first clock.
#[derive(Debug, Default)]
pub struct TypeDepths {
    clients: HashMap<u64, BTreeMap<u64, Run>>,
}

/// The depths of an update's new blocks, from [`TypeDepths::plan`]; recorded with
/// [`TypeDepths::commit`] only once the update is in the document.
#[derive(Debug)]
pub struct Plan(Vec<(Id, Run)>);

/// A block's state while an update is resolved.
#[derive(Clone, Copy)]
enum State {
    Todo,
    Busy,
    /// Resolved; `None` when it could not be (only when loading, see [`TypeDepths::plan`]).
    Done(Option<Parent>),
}

/// What a referenced id resolves to.
enum Found {
    /// (parent, is a type) of the block holding it; `None`: unresolved at load.
    Block(Option<Parent>, bool),
    /// A block of this update, not resolved yet.
    Wait(usize),
}

impl TypeDepths {
    fn find(&self, (client, clock): Id) -> Option<Run> {
        let (_, run) = self.clients.get(&client)?.range(..=clock).next_back()?;
        (clock < run.end).then_some(*run)
    }

    /// Resolves the depth of every block of an update against the board, whose state vector
    /// before the update is `sv`, and refuses one that would nest a type too deeply.
    ///
    /// Live updates (`lenient == false`) must resolve completely: the caller has already
    /// checked that the board holds every id they name. When loading a stored board
    /// (`lenient`), a block that cannot be resolved is left unrecorded instead, so the board
    /// still loads and only later updates naming that block are refused.
    ///
    /// Cost: O(n log n) in the update's blocks, plus one lookup per reference.
    pub fn plan(
        &self,
        blocks: &[NewBlock],
        sv: &StateVector,
        lenient: bool,
    ) -> Result<Plan, String> {
        let known = |client: u64| u64::from(sv.get(&ClientID::new(client)));
        // This update's blocks by first id, to resolve references between them in any order.
        let mut index: BTreeMap<Id, usize> = BTreeMap::new();
        for (i, b) in blocks.iter().enumerate() {
            let before = index.range(..=b.id).next_back();
            let next = index.range(b.id..).next();
            let overlaps = |(&(c, k), &j): (&Id, &usize)| {
                c == b.id.0 && k < b.id.1 + b.len && b.id.1 < k + blocks[j].len
            };
            if before.is_some_and(overlaps) || next.is_some_and(overlaps) {
                return Err("blocks of one client overlap".into());
            }
            index.insert(b.id, i);
        }
        // Blocks the board already has are skipped by yrs, and references into them resolve
        // against the map, so they need no resolving (a client may resend old updates).
        let mut state: Vec<State> = blocks
            .iter()
            .map(|b| match b.id.1 + b.len <= known(b.id.0) {
                true => State::Done(None),
                false => State::Todo,
            })
            .collect();
        let find = |state: &[State], id: Id| -> Result<Found, String> {
            if id.1 < known(id.0) {
                return match self.find(id) {
                    Some(run) => Ok(Found::Block(Some(run.parent), run.is_type)),
                    None if lenient => Ok(Found::Block(None, false)),
                    None => Err(format!("refers to {id:?}, of unknown depth")),
                };
            }
            match index.range(..=id).next_back() {
                Some((&(c, k), &j)) if c == id.0 && id.1 < k + blocks[j].len => {
                    Ok(match state[j] {
                        State::Done(parent) => Found::Block(parent, blocks[j].is_type),
                        _ => Found::Wait(j),
                    })
                }
                _ if lenient => Ok(Found::Block(None, false)),
                _ => Err(format!("refers to {id:?}, which the board lacks")),
            }
        };
        for i in 0..blocks.len() {
            let mut stack = vec![i];
            while let Some(&j) = stack.last() {
                if let State::Done(_) = state[j] {
                    stack.pop();
                    continue;
                }
                state[j] = State::Busy;
                let b = &blocks[j];
                let refs = match b.link {
                    None => [None, None],
                    Some(Link::Root) => [None, None],
                    Some(Link::Parent(id)) => [Some(id), None],
                    Some(Link::Neighbours(l, r)) => [l, r],
                };
                let mut found = [None, None];
                let mut wait = None;
                for (slot, id) in found.iter_mut().zip(refs) {
                    let Some(id) = id else { continue };
                    match find(&state, id)? {
                        Found::Block(parent, is_type) => *slot = Some((parent, is_type)),
                        Found::Wait(k) => wait = Some(k),
                    }
                }
                if let Some(k) = wait {
                    if let State::Busy = state[k] {
                        return Err("blocks of the update depend on each other in a cycle".into());
                    }
                    stack.push(k);
                    continue;
                }
                let parent = match b.link {
                    None => Some(Parent::Dead),
                    Some(Link::Root) => Some(Parent::Depth(0)),
                    // yrs refuses a parent that is not a type, or makes the item GC.
                    Some(Link::Parent(_)) => match found[0] {
                        Some((None, _)) => None,
                        Some((Some(Parent::Depth(d)), true)) => Some(Parent::Depth(d + 1)),
                        _ => Some(Parent::Dead),
                    },
                    Some(Link::Neighbours(..)) => {
                        let mut parent = Some(Parent::Dead);
                        for (p, _) in found.into_iter().flatten() {
                            parent = match (parent, p) {
                                (None, _) | (_, None) => None,
                                (Some(Parent::Depth(a)), Some(Parent::Depth(b))) => {
                                    Some(Parent::Depth(a.max(b)))
                                }
                                (Some(Parent::Dead), p) | (p, Some(Parent::Dead)) => p,
                            };
                        }
                        parent
                    }
                };
                if b.is_type
                    && let Some(Parent::Depth(d)) = parent
                    && d + 1 > MAX_DEPTH
                {
                    return Err(format!(
                        "shared types nested more than {MAX_DEPTH} levels deep"
                    ));
                }
                state[j] = State::Done(parent);
                stack.pop();
            }
        }
        let mut plan = Vec::new();
        for (b, s) in blocks.iter().zip(state) {
            let State::Done(Some(parent)) = s else {
                continue;
            };
            // yrs skips what the board already has of a block; those clocks keep their runs.
            let (start, end) = (b.id.1.max(known(b.id.0)), b.id.1 + b.len);
            if start >= end {
                continue;
            }
            let runs = self.clients.get(&b.id.0);
            if runs.is_some_and(|r| {
                r.range(..end)
                    .next_back()
                    .is_some_and(|(_, r)| r.end > start)
            }) {
                // Only possible after blocks yrs left pending (a skip): not worth modelling.
                return Err("update overlaps blocks the board holds pending".into());
            }
            let run = Run {
                end,
                parent,
                is_type: b.is_type,
            };
            plan.push(((b.id.0, start), run));
        }
        Ok(plan_sorted(plan))
    }

    /// Records the depths of an update that is now in the document.
    pub fn commit(&mut self, plan: Plan) {
        for ((client, start), run) in plan.0 {
            let runs = self.clients.entry(client).or_default();
            if let Some((_, prev)) = runs.range_mut(..start).next_back()
                && prev.end == start
                && !prev.is_type
                && !run.is_type
                && prev.parent == run.parent
            {
                prev.end = run.end;
                continue;
            }
            runs.insert(start, run);
        }
    }

    /// Runs held, for tests and metrics: what the map costs in memory.
    pub fn runs(&self) -> usize {
        self.clients.values().map(BTreeMap::len).sum()
    }

    /// The depth of the type held by the item `id`, if it is a live one the map knows.
    pub fn type_depth(&self, id: Id) -> Option<u32> {
        match self.find(id)? {
            Run {
                parent: Parent::Depth(d),
                is_type: true,
                ..
            } => Some(d + 1),
            _ => None,
        }
    }
}

/// Sorted by id, so that consecutive runs of one client can merge on commit.
fn plan_sorted(mut runs: Vec<(Id, Run)>) -> Plan {
    runs.sort_unstable_by_key(|&(id, _)| id);
    Plan(runs)
}

#[cfg(test)]
#[path = "depth_tests.rs"]
mod tests;
