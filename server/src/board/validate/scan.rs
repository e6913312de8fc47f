//! A structural pre-scan of a v1 update, run before yrs sees a single byte of it.
//!
//! Why a second parser: some hostile inputs cannot be caught by `catch_unwind` at all.
//!
//! - **Stack overflow.** yrs decodes `Any` values recursively, and deletes and garbage-collects
//!   nested shared types recursively. A few kilobytes of `[[[[...]]]]`, or a chain of types
//!   each nested in the previous one, overflow the worker thread's stack, and a stack
//!   overflow aborts the whole process: every board on the server, not one.
//! - **Allocation bombs.** yrs pre-reserves collections from counts it reads off the wire. It
//!   uses `try_reserve`, but on an overcommitting Linux a claim of 2^28 entries "succeeds" and
//!   hashbrown still writes its control bytes: hundreds of megabytes touched for six bytes of
//!   input, per message.
//! - **Clock arithmetic.** yrs adds block lengths to `u32` clocks and subtracts clocks as
//!   `i32`; values near the top of the range overflow (a panic in debug builds, a wrap and
//!   an inconsistent store in release builds).
//!
//! So this walks the exact v1 layout that `yrs::Update::decode_v1` reads (yrs 0.28,
//! `DecoderV1`), iteratively and without allocating per value, and rejects: any count larger
//! than the bytes left to hold it, `Any` values nested deeper than [`MAX_ANY_DEPTH`], shared
//! types nested deeper than [`MAX_TYPE_DEPTH`] within the update (across updates, see
//! [`super::depth`], which uses the blocks listed here), clocks that do not fit
//! comfortably in yrs' arithmetic, and content Coboard never uses (sub-documents, weak
//! links). Cost: one pass over the update, proportional to its size.

use std::collections::{BTreeMap, HashMap};

use yrs::encoding::read::{Cursor, Read};

use super::depth::{Link, NewBlock};

/// Deepest `Any` nesting accepted (serde_json's own limit for JSON content is 128).
pub const MAX_ANY_DEPTH: usize = 64;
/// Deepest nesting of shared types an update may build on its own. A Coboard board is
/// three deep (`items` → item map → text); 64 leaves room for any other Yjs client while
/// keeping yrs' recursive delete and GC far from the stack limit.
pub const MAX_TYPE_DEPTH: u32 = 64;
/// Largest clock (or clock + length) accepted: yrs subtracts clocks as `i32`.
pub const MAX_CLOCK: u64 = (i32::MAX as u64) / 2;
/// Largest client id: yrs' `ClientID::new` asserts 53 bits (debug builds) and folds larger
/// ids onto smaller ones (release builds).
pub const MAX_CLIENT: u64 = (1 << 53) - 1;

const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;
const BLOCK_GC: u8 = 0;
const BLOCK_SKIP: u8 = 10;

type Id = (u64, u64);

/// Why the scan refused an update (a short, static description for logs and close reasons).
pub type ScanError = &'static str;

/// What an update needs from the document it is applied to.
#[derive(Debug, Default)]
pub struct Needs {
    /// Ids the update's blocks point at (origins, parents) that it does not contain.
    pub ids: Vec<(u64, u64)>,
    /// Per client in the update, the first clock it writes.
    pub starts: Vec<(u64, u64)>,
    /// Its blocks and how each names its parent, for [`super::depth`].
    pub blocks: Vec<NewBlock>,
    /// Per client in the update, the clock after its last block.
    pub ends: Vec<(u64, u64)>,
    /// Per client in its delete set, the end of the furthest range it deletes.
    pub deletes: Vec<(u64, u64)>,
}

/// Checks the structure of a v1 update. `Ok` says nothing about whether yrs will accept it;
/// it says that handing it to yrs is safe to try under `catch_unwind`.
pub fn scan_update(bytes: &[u8]) -> Result<Needs, ScanError> {
    let mut s = Scanner {
        cur: Cursor::new(bytes),
        ranges: BTreeMap::new(),
        types: HashMap::new(),
        refs: Vec::new(),
        starts: Vec::new(),
        blocks: Vec::new(),
    };
    let (mut ends, mut deletes) = (Vec::new(), Vec::new());
    let clients = s.count(1)?;
    for _ in 0..clients {
        let blocks = s.count(1)?;
        let client = s.client()?;
        let mut clock = s.u64()?;
        s.starts.push((client, clock));
        for _ in 0..blocks {
            clock = s.block(client, clock)?;
        }
        ends.push((client, clock));
    }
    let ds_clients = s.count(2)?;
    for _ in 0..ds_clients {
        let client = s.client()?;
        let ranges = s.count(2)?;
        let mut furthest = 0;
        for _ in 0..ranges {
            let (clock, len) = (s.u64()?, s.u64()?);
            furthest = furthest.max(check_clock(clock.saturating_add(len))?);
        }
        deletes.push((client, furthest));
    }
    if s.cur.has_content() {
        // yrs ignores trailing bytes; a well-formed client never sends them.
        return Err("trailing bytes after the update");
    }
    let mut refs = std::mem::take(&mut s.refs);
    refs.retain(|&id| !s.contains(id));
    refs.sort_unstable();
    refs.dedup();
    Ok(Needs {
        ids: refs,
        starts: s.starts,
        blocks: s.blocks,
        ends,
        deletes,
    })
}

struct Scanner<'a> {
    cur: Cursor<'a>,
    /// Blocks of this update: (client, first clock) -> (end clock, depth of the parent).
    ranges: BTreeMap<Id, (u64, u32)>,
    /// Shared types created by this update: id -> nesting depth (a root's child is 1).
    types: HashMap<Id, u32>,
    /// Every id a block points at.
    refs: Vec<Id>,
    starts: Vec<Id>,
    blocks: Vec<NewBlock>,
}

impl Scanner<'_> {
    fn left(&self) -> usize {
        self.cur.buf.len() - self.cur.next
    }

    fn u64(&mut self) -> Result<u64, ScanError> {
        self.cur.read_var::<u64>().map_err(|_| "bad integer")
    }

    fn u8(&mut self) -> Result<u8, ScanError> {
        self.cur.read_u8().map_err(|_| "cut short")
    }

    /// A count of items that each take at least `min_bytes`: it cannot exceed what is left.
    fn count(&mut self, min_bytes: usize) -> Result<u64, ScanError> {
        let n = self.u64()?;
        if n > (self.left() / min_bytes) as u64 {
            return Err("count larger than the message");
        }
        Ok(n)
    }

    fn skip_buf(&mut self) -> Result<(), ScanError> {
        self.cur.read_buf().map(|_| ()).map_err(|_| "cut short")
    }

    fn string(&mut self) -> Result<(), ScanError> {
        self.cur.read_string().map(|_| ()).map_err(|_| "bad string")
    }

    fn skip(&mut self, n: usize) -> Result<(), ScanError> {
        self.cur.read_exact(n).map(|_| ()).map_err(|_| "cut short")
    }

    fn client(&mut self) -> Result<u64, ScanError> {
        match self.u64()? {
            c if c > MAX_CLIENT => Err("client id out of range"),
            c => Ok(c),
        }
    }

    fn id(&mut self) -> Result<Id, ScanError> {
        let id = (self.client()?, self.u64()?);
        check_clock(id.1)?;
        self.refs.push(id);
        Ok(id)
    }

    fn contains(&self, id: Id) -> bool {
        matches!(self.ranges.range(..=id).next_back(),
            Some((&(client, _), &(end, _))) if client == id.0 && id.1 < end)
    }

    /// Depth of the parent of whichever block of this update contains `id` (1 if unknown:
    /// the block is in the live document, at least one level below a root).
    fn parent_depth_of(&self, id: Id) -> u32 {
        match self.ranges.range(..=id).next_back() {
            Some((&(client, _), &(end, depth))) if client == id.0 && id.1 < end => depth,
            _ => 1,
        }
    }

    /// One block; returns the clock after it.
    fn block(&mut self, client: u64, clock: u64) -> Result<u64, ScanError> {
        let info = self.u8()?;
        let len = match info {
            BLOCK_SKIP | BLOCK_GC => self.u64()?,
            _ => return self.item(client, clock, info),
        };
        if len == 0 {
            return Err("empty block");
        }
        let end = check_clock(clock.saturating_add(len))?;
        if info == BLOCK_GC {
            self.blocks.push(NewBlock {
                id: (client, clock),
                len,
                link: None,
                is_type: false,
            });
        }
        Ok(end)
    }

    fn item(&mut self, client: u64, clock: u64, info: u8) -> Result<u64, ScanError> {
        let origin = if info & HAS_ORIGIN != 0 {
            Some(self.id()?)
        } else {
            None
        };
        let right = if info & HAS_RIGHT_ORIGIN != 0 {
            Some(self.id()?)
        } else {
            None
        };
        let (parent_depth, link) = match origin.or(right) {
            Some(neighbour) => (
                self.parent_depth_of(neighbour),
                Link::Neighbours(origin, right),
            ),
            None => {
                let named = self.u64()? == 1;
                let found = if named {
                    self.string()?;
                    (0, Link::Root)
                } else {
                    let parent = self.id()?;
                    let depth = self.types.get(&parent).copied().unwrap_or(1);
                    (depth, Link::Parent(parent))
                };
                if info & HAS_PARENT_SUB != 0 {
                    self.string()?;
                }
                found
            }
        };
        let len = self.content(info & 0b1111)?;
        if len == 0 {
            // yrs drops empty items (old clients wrote them) without advancing the clock.
            return Ok(clock);
        }
        let end = check_clock(clock.saturating_add(len))?;
        if info & 0b1111 == 7 {
            let depth = parent_depth + 1;
            if depth > MAX_TYPE_DEPTH {
                return Err("shared types nested too deeply");
            }
            self.types.insert((client, clock), depth);
        }
        self.ranges.insert((client, clock), (end, parent_depth));
        self.blocks.push(NewBlock {
            id: (client, clock),
            len,
            link: Some(link),
            is_type: info & 0b1111 == 7,
        });
        Ok(end)
    }

    /// The content of an item; returns its length in clock ticks (0: yrs drops the item).
    fn content(&mut self, kind: u8) -> Result<u64, ScanError> {
        Ok(match kind {
            // Deleted.
            1 => self.u64()?,
            // JSON: yrs reads `len + 1` strings.
            2 => {
                let n = self.count(1)?;
                for _ in 0..=n {
                    self.string()?;
                }
                n + 1
            }
            // Binary.
            3 => {
                self.skip_buf()?;
                1
            }
            // String: its length in the document's offset kind; only the clock end matters.
            4 => {
                let s = self.cur.read_string().map_err(|_| "bad string")?;
                s.encode_utf16().count() as u64
            }
            // Embed: JSON text (serde_json limits its nesting).
            5 => {
                self.string()?;
                1
            }
            // Format: key and JSON value.
            6 => {
                self.string()?;
                self.string()?;
                1
            }
            // Shared type.
            7 => {
                match self.u8()? {
                    0..=2 | 4..=6 | 15 => {}
                    3 => self.string()?,
                    _ => return Err("unsupported shared type"),
                }
                1
            }
            // Any values.
            8 => {
                let n = self.count(1)?;
                for _ in 0..n {
                    self.any()?;
                }
                n
            }
            9 => return Err("sub-documents are not supported"),
            _ => return Err("unknown content type"),
        })
    }

    /// One `Any` value, walked with an explicit stack so depth costs no recursion.
    fn any(&mut self) -> Result<(), ScanError> {
        // Values still to read at each open level (maps: entries, each a key then a value).
        let mut open: Vec<(u64, bool)> = Vec::new();
        loop {
            match self.u8()? {
                120 | 121 | 126 | 127 => {}
                125 => {
                    self.cur.read_var::<i64>().map_err(|_| "bad integer")?;
                }
                124 => self.skip(4)?,
                122 | 123 => self.skip(8)?,
                119 => self.string()?,
                116 => self.skip_buf()?,
                tag @ (117 | 118) => {
                    let is_map = tag == 118;
                    let n = self.count(if is_map { 2 } else { 1 })?;
                    if open.len() >= MAX_ANY_DEPTH {
                        return Err("value nested too deeply");
                    }
                    open.push((n, is_map));
                }
                _ => return Err("unknown value type"),
            }
            // Close finished levels, then read the next key (maps) or value.
            loop {
                let Some((left, is_map)) = open.last_mut() else {
                    return Ok(());
                };
                if *left == 0 {
                    open.pop();
                    continue;
                }
                *left -= 1;
                if *is_map {
                    self.string()?;
                }
                break;
            }
        }
    }
}

fn check_clock(clock: u64) -> Result<u64, ScanError> {
    if clock > MAX_CLOCK {
        return Err("clock out of range");
    }
    Ok(clock)
}
