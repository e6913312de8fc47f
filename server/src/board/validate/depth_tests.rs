//! Depth tracking, with updates made by yrs itself (as a browser would send them).

use coboard_shared::schema::{Author, Board, NewItem, ParticipantRole, splice_text};
use yrs::updates::decoder::Decode;
use yrs::{
    Array, ArrayPrelim, ArrayRef, ClientID, Doc, GetString, Map, MapPrelim, MapRef, Options, Out,
    ReadTxn, StateVector, Transact, TransactionMut, Update,
};

use super::*;
use crate::board::validate::{LiveError, apply_live, apply_stored, check_update, scan};

fn client_doc(client: u64) -> Doc {
    Doc::with_options(Options {
        client_id: ClientID::new(client),
        ..Options::default()
    })
}

/// What the client sent since `sv`, and its new state vector.
fn since(doc: &Doc, sv: &StateVector) -> (Vec<u8>, StateVector) {
    let txn = doc.transact();
    (txn.encode_state_as_update_v1(sv), txn.state_vector())
}

fn full(doc: &Doc) -> Vec<u8> {
    since(doc, &StateVector::default()).0
}

/// A live board, loaded from stored updates as the actor loads it.
struct Server {
    doc: Doc,
    depths: TypeDepths,
}

impl Server {
    fn load(stored: &[Vec<u8>]) -> Self {
        let doc = Doc::new();
        let mut depths = TypeDepths::default();
        {
            let mut txn = doc.transact_mut();
            for bytes in stored {
                apply_stored(&mut txn, &mut depths, bytes).unwrap();
            }
        }
        Self { doc, depths }
    }

    fn send(&mut self, update: &[u8]) -> Result<(), String> {
        let checked = check_update(update).map_err(|e| e.0)?;
        apply_live(&self.doc, &mut self.depths, checked).map_err(|e| match e {
            LiveError::Rejected(e) => e,
            other => panic!("not a plain refusal: {other}"),
        })
    }
}

fn blocks(update: &[u8]) -> Vec<NewBlock> {
    scan::scan_update(update).unwrap().blocks
}

/// Nests `levels` maps inside `inner`, returning the innermost.
fn nest(doc: &Doc, mut inner: MapRef, levels: usize) -> MapRef {
    let mut txn = doc.transact_mut();
    for _ in 0..levels {
        inner = inner.insert(&mut txn, "m", MapPrelim::default());
    }
    inner
}

#[test]
fn extractor_reports_parents() {
    let doc = client_doc(1);
    let root = doc.get_or_insert_map("r");
    let inner = nest(&doc, root, 2);
    inner.insert(&mut doc.transact_mut(), "k", "v");
    let got = blocks(&full(&doc));
    let item = |clock, link, is_type| NewBlock {
        id: (1, clock),
        len: 1,
        link: Some(link),
        is_type,
    };
    assert_eq!(
        got,
        [
            item(0, Link::Root, true),
            item(1, Link::Parent((1, 0)), true),
            item(2, Link::Parent((1, 1)), false),
        ]
    );
}

#[test]
fn a_chain_built_across_updates_stops_at_the_limit() {
    let mut server = Server::load(&[full(&Doc::new())]);
    let doc = client_doc(7);
    let mut inner = doc.get_or_insert_map("r");
    let mut sv = StateVector::default();
    // 10 levels per update, well within the per-update scan limit.
    for step in 1..=3 {
        inner = nest(&doc, inner, 10);
        let (update, next) = since(&doc, &sv);
        server.send(&update).unwrap();
        sv = next;
        assert_eq!(
            server.depths.type_depth((7, step * 10 - 1)),
            Some(step as u32 * 10)
        );
    }
    let inner = nest(&doc, inner, 2);
    let (update, next) = since(&doc, &sv);
    server.send(&update).unwrap();
    assert_eq!(server.depths.type_depth((7, 31)), Some(MAX_DEPTH));
    nest(&doc, inner, 1);
    let (update, _) = since(&doc, &next);
    let err = server.send(&update).unwrap_err();
    assert!(err.contains("nested more than 32"), "{err}");
    // Refused before it touched the board, and not recorded either.
    assert_eq!(server.depths.type_depth((7, 32)), None);
    assert_eq!(
        server.doc.transact().state_vector().get(&ClientID::new(7)),
        32
    );
}

/// An array `levels` deep (the array itself at depth `levels`) holding two numbers.
fn array_at(doc: &Doc, levels: usize) -> ArrayRef {
    let inner = nest(doc, doc.get_or_insert_map("r"), levels - 1);
    let mut txn = doc.transact_mut();
    let array = inner.insert(&mut txn, "a", ArrayPrelim::default());
    array.push_back(&mut txn, 1);
    array.push_back(&mut txn, 2);
    array
}

#[test]
fn neighbours_pass_their_parent_on() {
    let author = client_doc(1);
    let array = array_at(&author, 3);
    let mut server = Server::load(&[full(&author)]);
    let sv = author.transact().state_vector();
    // Between the numbers (origin and right origin), then before both (right origin only).
    array.insert(&mut author.transact_mut(), 1, MapPrelim::default());
    let (update, sv) = since(&author, &sv);
    let [b] = blocks(&update)[..] else { panic!() };
    assert_eq!(b.link, Some(Link::Neighbours(Some((1, 3)), Some((1, 4)))));
    server.send(&update).unwrap();
    assert_eq!(server.depths.type_depth(b.id), Some(4));
    array.insert(&mut author.transact_mut(), 0, MapPrelim::default());
    let (update, _) = since(&author, &sv);
    let [b] = blocks(&update)[..] else { panic!() };
    assert_eq!(b.link, Some(Link::Neighbours(None, Some((1, 3)))));
    server.send(&update).unwrap();
    assert_eq!(server.depths.type_depth(b.id), Some(4));
}

#[test]
fn the_limit_holds_through_neighbours() {
    let author = client_doc(1);
    let array = array_at(&author, MAX_DEPTH as usize);
    let mut server = Server::load(&[full(&author)]);
    let other = client_doc(2);
    other
        .transact_mut()
        .apply_update(Update::decode_v1(&full(&author)).unwrap())
        .unwrap();
    let sv = author.transact().state_vector();
    array.insert(&mut author.transact_mut(), 1, MapPrelim::default());
    let (update, _) = since(&author, &sv);
    assert!(server.send(&update).unwrap_err().contains("nested"));
    // Plain values still go in there.
    let array = array_path(&other, MAX_DEPTH as usize);
    array.insert(&mut other.transact_mut(), 1, 5);
    server.send(&since(&other, &sv).0).unwrap();
}

/// The array built by `array_at`, found in another client's copy.
fn array_path(doc: &Doc, levels: usize) -> ArrayRef {
    let mut map = doc.get_or_insert_map("r");
    let txn = doc.transact();
    for _ in 1..levels {
        let Some(Out::YMap(m)) = map.get(&txn, "m") else {
            panic!("no map")
        };
        map = m;
    }
    let Some(Out::YArray(a)) = map.get(&txn, "a") else {
        panic!("no array")
    };
    a
}

#[test]
fn gc_blocks_are_dead_and_unknown_ids_are_refused() {
    let sv = StateVector::default();
    let gc = NewBlock {
        id: (1, 0),
        len: 4,
        link: None,
        is_type: false,
    };
    let mut depths = TypeDepths::default();
    depths.commit(depths.plan(&[gc], &sv, false).unwrap());
    let mut sv = StateVector::default();
    sv.set_max(ClientID::new(1), 4);
    let on_gc = |link| NewBlock {
        id: (2, 0),
        len: 1,
        link: Some(link),
        is_type: true,
    };
    // yrs turns both into GC blocks: nothing can nest below them.
    for link in [Link::Parent((1, 2)), Link::Neighbours(Some((1, 3)), None)] {
        let plan = depths.plan(&[on_gc(link)], &sv, false).unwrap();
        let mut d = TypeDepths::default();
        d.commit(plan);
        assert_eq!(d.type_depth((2, 0)), None);
    }
    // Ids the map has never seen: refused live, left out when loading.
    let unknown = on_gc(Link::Parent((3, 0)));
    assert!(depths.plan(&[unknown], &sv, false).is_err());
    let plan = depths.plan(&[unknown], &sv, true).unwrap();
    assert!(plan.0.is_empty());
}

#[test]
fn blocks_of_an_update_resolve_in_any_order() {
    let sv = StateVector::default();
    let b = |id, link, is_type| NewBlock {
        id,
        len: 1,
        link: Some(link),
        is_type,
    };
    // Client 1's type sits inside client 2's, which comes later in the update.
    let update = [
        b((1, 0), Link::Parent((2, 0)), true),
        b((2, 0), Link::Root, true),
    ];
    let mut depths = TypeDepths::default();
    depths.commit(depths.plan(&update, &sv, false).unwrap());
    assert_eq!(depths.type_depth((1, 0)), Some(2));
    let cycle = [
        b((1, 0), Link::Parent((2, 0)), true),
        b((2, 0), Link::Parent((1, 0)), true),
    ];
    assert!(
        depths
            .plan(&cycle, &sv, false)
            .unwrap_err()
            .contains("cycle")
    );
}

fn note(text: &str) -> NewItem {
    NewItem {
        kind: "note".into(),
        text: text.into(),
        x: 1.0,
        y: 2.0,
        colour: "yellow".into(),
        author: Author::named("Ana", ParticipantRole::Public, "ana"),
        created_at: 1.0,
        ..NewItem::default()
    }
}

#[test]
fn a_coboard_board_is_accepted_live_and_after_reload() {
    let alice = client_doc(1);
    let board = Board::new(&alice);
    let mut stored = vec![full(&Doc::new())];
    let mut server = Server::load(&stored);
    let mut sv = StateVector::default();
    let mut edit =
        |server: &mut Server, stored: &mut Vec<Vec<u8>>, f: &dyn Fn(&mut TransactionMut)| {
            f(&mut alice.transact_mut());
            let (update, next) = since(&alice, &sv);
            server.send(&update).unwrap();
            stored.push(update);
            sv = next;
        };
    edit(&mut server, &mut stored, &|t| board.init(t, "Retro"));
    for i in 0..5 {
        let id = format!("n{i}");
        edit(&mut server, &mut stored, &|t| {
            board.add_item(t, &id, &note("hello"))
        });
        for word in ["hello world", "hello brave world", "brave world"] {
            edit(&mut server, &mut stored, &|t| {
                let text = board.item_text(t, &id).unwrap();
                let old = text.get_string(&*t);
                splice_text(t, &text, &old, word);
            });
        }
    }
    // A client resending what the board already has (say, after a reconnect) is fine.
    server.send(&stored[2]).unwrap();
    // Bob edits n0's text while Alice deletes n0 (his edit lands in a deleted type).
    let bob = client_doc(2);
    bob.transact_mut()
        .apply_update(Update::decode_v1(&full(&alice)).unwrap())
        .unwrap();
    let bob_board = Board::new(&bob);
    let bob_sv = bob.transact().state_vector();
    {
        let mut t = bob.transact_mut();
        let text = bob_board.item_text(&t, "n0").unwrap();
        splice_text(&mut t, &text, "brave world", "brave new world");
    }
    edit(&mut server, &mut stored, &|t| {
        board.delete_item(t, "n0").unwrap()
    });
    let bob_update = since(&bob, &bob_sv).0;
    // 3 levels of types; the map stays about a run per block, not per character.
    assert_eq!(server.depths.type_depth((1, 2)), Some(1));
    assert!(server.depths.runs() < 100, "{}", server.depths.runs());
    // Reload from the log, and from a compacted snapshot (deleted types are GC'd there).
    let snapshot = full(&server.doc);
    assert!(
        blocks(&snapshot).iter().any(|b| b.link.is_none()),
        "n0 is GC'd"
    );
    for stored in [stored.clone(), vec![snapshot]] {
        let mut reloaded = Server::load(&stored);
        reloaded.send(&bob_update).unwrap();
        let carol = client_doc(3);
        let board = Board::new(&carol);
        carol
            .transact_mut()
            .apply_update(Update::decode_v1(&full(&reloaded.doc)).unwrap())
            .unwrap();
        let sv = carol.transact().state_vector();
        board.add_item(&mut carol.transact_mut(), "c", &note("from carol"));
        reloaded.send(&since(&carol, &sv).0).unwrap();
    }
}
