//! Valid frames to mutate: real updates made with the board schema, by the seed's own
//! client and by other clients editing on top of it, plus awareness states, state vectors
//! and multi-message frames.

use std::collections::HashMap;
use std::sync::Arc;

use coboard_shared::protocol::{self, Msg};
use coboard_shared::schema::{Author, Board, NewItem, ParticipantRole, splice_text};
use yrs::sync::AwarenessUpdate;
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::updates::decoder::Decode;
use yrs::{
    Array, ClientID, Doc, GetString, Map, MapPrelim, Options, ReadTxn, StateVector, Text, Transact,
    Update, WriteTxn,
};

fn note(text: &str, x: f64) -> NewItem {
    NewItem {
        kind: "note".into(),
        text: text.into(),
        x,
        y: 10.0,
        colour: "yellow".into(),
        author: Author::named("Ana", ParticipantRole::Public, "ana"),
        created_at: 1.0,
        ..NewItem::default()
    }
}

fn doc_with_client(client: u64) -> Doc {
    Doc::with_options(Options {
        client_id: ClientID::new(client),
        ..Options::default()
    })
}

fn full(doc: &Doc) -> Vec<u8> {
    doc.transact()
        .encode_state_as_update_v1(&StateVector::default())
}

/// Records each edit as the update a client would send.
struct Recorder {
    doc: Doc,
    board: Board,
    updates: Vec<Vec<u8>>,
}

impl Recorder {
    fn new(client: u64, from: Option<&[u8]>) -> Self {
        let doc = doc_with_client(client);
        if let Some(state) = from {
            doc.transact_mut()
                .apply_update(Update::decode_v1(state).unwrap())
                .unwrap();
        }
        let board = Board::new(&doc);
        Self {
            doc,
            board,
            updates: Vec::new(),
        }
    }

    fn edit(&mut self, f: impl FnOnce(&Board, &mut yrs::TransactionMut)) {
        let mut txn = self.doc.transact_mut();
        f(&self.board, &mut txn);
        self.updates.push(txn.encode_update_v1());
    }
}

/// The fixed board every input is applied to: a few notes, edited, moved and deleted.
pub fn seed_state() -> Vec<u8> {
    seed()
        .doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default())
}

fn seed() -> Recorder {
    let mut r = Recorder::new(1, None);
    r.edit(|b, t| b.init(t, "Seed board"));
    r.edit(|b, t| b.add_item(t, "n1", &note("hello world", 0.0)));
    r.edit(|b, t| b.add_item(t, "n2", &note("second ✨ note", 220.0)));
    r.edit(|b, t| b.add_item(t, "n3", &note("to delete", 440.0)));
    r.edit(|b, t| {
        let text = b.item_text(t, "n1").unwrap();
        splice_text(t, &text, "hello world", "hello brave new world");
    });
    r.edit(|b, t| b.set_position(t, "n2", 50.0, 60.0).unwrap());
    r.edit(|b, t| b.delete_item(t, "n3").unwrap());
    r
}

/// Every corpus frame.
pub fn frames() -> Vec<Vec<u8>> {
    let seed = seed();
    let state = full(&seed.doc);
    let mut updates = seed.updates.clone();

    // Another client editing the seed: its updates point at the seed's items.
    let mut other = Recorder::new(2, Some(&state));
    other.edit(|b, t| {
        let text = b.item_text(t, "n1").unwrap();
        text.insert(t, 3, "XYZ");
        text.remove_range(t, 0, 2);
    });
    other.edit(|b, t| b.set_colour(t, "n2", "blue").unwrap());
    other.edit(|b, t| b.add_item(t, "n4", &note("from client 2", 5.0)));
    other.edit(|b, t| b.delete_item(t, "n1").unwrap());
    other.edit(|b, t| {
        let text = b.item_text(t, "n2").unwrap();
        let len = text.len(t);
        text.insert(t, len, " — ünïcode 👍🏽");
    });
    // Other shared types and value kinds a generic Yjs client may write.
    other.edit(|_, t| {
        let arr = t.get_or_insert_array("list");
        arr.insert_range(t, 0, [1.5, 2.0, -3.0]);
        let nested = arr.insert(t, 0, MapPrelim::default());
        nested.insert(t, "k", vec![yrs::Any::from("a"), yrs::Any::Null]);
        let frag = t.get_or_insert_xml_fragment("xml");
        let _ = frag.get_string(t);
    });
    other.edit(|_, t| {
        let text = t.get_or_insert_text("rich");
        let bold = HashMap::from([(Arc::from("bold"), yrs::Any::Bool(true))]);
        text.insert_with_attributes(t, 0, "bold text", bold);
        text.insert_embed(t, 4, yrs::Any::from("embed"));
    });
    updates.extend(other.updates.iter().cloned());

    let mut frames = Vec::new();
    for u in &updates {
        frames.push(protocol::encode(&Msg::Update(u.clone())));
    }
    frames.push(protocol::encode(&Msg::SyncStep2(state.clone())));
    frames.push(protocol::encode(&Msg::SyncStep2(full(&other.doc))));
    frames.push(protocol::encode(&Msg::SyncStep1(StateVector::default())));
    frames.push(protocol::encode(&Msg::SyncStep1(
        other.doc.transact().state_vector(),
    )));
    frames.push(protocol::encode(&Msg::QueryAwareness));
    frames.push(protocol::encode(&Msg::Awareness(awareness(&[
        (
            7,
            1,
            r##"{"user":{"name":"Ana","colour":"#f0a"},"cursor":{"x":1,"y":2}}"##,
        ),
        (8, 3, "null"),
    ]))));
    frames.push(protocol::encode(&Msg::Awareness(awareness(&[(
        9,
        u32::MAX,
        r#"[[[[{"a":[1,2,{"b":null}]}]]]]"#,
    )]))));
    // Multi-message frames, as y-websocket clients send them.
    let mut multi = protocol::encode(&Msg::SyncStep1(StateVector::default()));
    multi.extend(protocol::encode(&Msg::Update(updates[1].clone())));
    multi.extend(protocol::encode(&Msg::Awareness(awareness(&[(
        7, 2, "{}",
    )]))));
    frames.push(multi);
    let mut pair = protocol::encode(&Msg::Update(updates[4].clone()));
    pair.extend(protocol::encode(&Msg::Update(updates[4].clone())));
    frames.push(pair);
    frames
}

fn awareness(entries: &[(u64, u32, &str)]) -> AwarenessUpdate {
    AwarenessUpdate {
        clients: entries
            .iter()
            .map(|&(client, clock, json)| {
                (
                    ClientID::new(client),
                    AwarenessUpdateEntry {
                        clock,
                        json: json.into(),
                    },
                )
            })
            .collect(),
    }
}
