use super::*;
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, MapPrelim, OffsetKind, Options, StateVector, Transact, Update};

fn note(text: &str, x: f64, y: f64) -> NewItem {
    NewItem {
        kind: KIND_NOTE.to_owned(),
        text: text.to_owned(),
        x,
        y,
        colour: "green".to_owned(),
        author: Author::named("Asha", ParticipantRole::Public, "asha-id"),
        created_at: 1_700_000_000_000.0,
        ..NewItem::default()
    }
}

fn sync(from: &Doc, to: &Doc) {
    let update = from
        .transact()
        .encode_state_as_update_v1(&to.transact().state_vector());
    to.transact_mut()
        .apply_update(Update::decode_v1(&update).unwrap())
        .unwrap();
}

#[test]
fn add_read_move_recolour_delete() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let mut txn = doc.transact_mut();
    board.init(&mut txn, "Our plan");
    board.add_item(&mut txn, "b", &note("second", 10.0, 50.0));
    board.add_item(&mut txn, "a", &note("first", 300.0, 10.0));
    let items = board.read_items(&txn);
    assert_eq!(board.title(&txn).as_deref(), Some("Our plan"));
    assert_eq!(
        items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>(),
        ["first", "second"],
        "ordered top to bottom"
    );
    assert_eq!(items[0].author.name, "Asha");
    assert_eq!(items[0].author.role, ParticipantRole::Public);
    assert_eq!((items[0].w, items[0].h), (NOTE_W, NOTE_H));

    board.set_position(&mut txn, "b", 5.0, 0.0).unwrap();
    board.set_colour(&mut txn, "b", "pink").unwrap();
    let b = &board.read_items(&txn)[0];
    assert_eq!(
        (b.id.as_str(), b.x, b.y, b.colour.as_str()),
        ("b", 5.0, 0.0, "pink")
    );

    board.delete_item(&mut txn, "a").unwrap();
    assert_eq!(board.read_items(&txn).len(), 1);
    assert_eq!(
        board.delete_item(&mut txn, "a"),
        Err(SchemaError::NoSuchItem("a".into()))
    );
    assert!(board.set_position(&mut txn, "zzz", 0.0, 0.0).is_err());
}

#[test]
fn concurrent_typing_in_one_note_merges_character_by_character() {
    let a = Doc::with_options(Options {
        offset_kind: OffsetKind::Utf16,
        ..Options::default()
    });
    let b = Doc::new();
    Board::new(&a).add_item(&mut a.transact_mut(), "n", &note("hello world", 0.0, 0.0));
    sync(&a, &b);
    for (doc, new) in [(&a, "hello brave world"), (&b, "hello world!")] {
        let board = Board::new(doc);
        let mut txn = doc.transact_mut();
        let text = board.item_text(&txn, "n").unwrap();
        let old = text.get_string(&txn);
        splice_text(&mut txn, &text, &old, new);
    }
    sync(&a, &b);
    sync(&b, &a);
    let read = |d: &Doc| Board::new(d).read_items(&d.transact())[0].text.clone();
    assert_eq!(read(&a), "hello brave world!");
    assert_eq!(read(&b), read(&a));
}

#[test]
fn splice_counts_in_the_documents_units() {
    // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 UTF-16 units.
    assert_eq!(diff_splice("é😀a", "é😀ba", OffsetKind::Utf16), (3, 0, "b"));
    assert_eq!(diff_splice("é😀a", "é😀ba", OffsetKind::Bytes), (6, 0, "b"));
    assert_eq!(diff_splice("abc", "ac", OffsetKind::Bytes), (1, 1, ""));
    assert_eq!(diff_splice("same", "same", OffsetKind::Bytes), (4, 0, ""));
    assert_eq!(diff_splice("aaa", "aa", OffsetKind::Bytes), (2, 1, ""));
}

#[test]
fn foreign_items_are_read_with_defaults_not_dropped() {
    // A JavaScript client might write a bare map with only some fields.
    let doc = Doc::new();
    let board = Board::new(&doc);
    {
        let mut txn = doc.transact_mut();
        board.items.insert(
            &mut txn,
            "js1",
            MapPrelim::from([("text".to_owned(), Any::from("from js"))]),
        );
        board.items.insert(&mut txn, "junk", 42);
    }
    let all = board.read_items(&doc.transact());
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].text, "from js");
    assert_eq!(all[0].kind, KIND_NOTE);
    assert_eq!(all[0].colour, COLOURS[0]);
}

#[test]
fn state_round_trips_through_an_update() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    {
        let mut txn = doc.transact_mut();
        board.init(&mut txn, "t");
        board.add_item(&mut txn, "x", &note("kept", 1.0, 2.0));
    }
    let copy = Doc::new();
    let update = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    copy.transact_mut()
        .apply_update(Update::decode_v1(&update).unwrap())
        .unwrap();
    assert_eq!(
        Board::new(&copy).read_items(&copy.transact()),
        board.read_items(&doc.transact())
    );
}
