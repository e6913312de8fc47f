//! Seeding a new board from a template: its sections as frames on the canvas, and the
//! items a template brings with it (a stage plan per project stage, a card per checklist
//! question or principle, the ladder placing).
//!
//! The server seeds a board once, inside the request that creates it, before anyone can
//! connect: clients never seed, so two people opening a new board at once can never
//! duplicate its sections.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::{Any, Map, ReadTxn, TransactionMut};

use super::{Author, Board, NewItem, as_f64, as_object, as_string, kind_for_section};
use crate::templates::{Approach, Field, FieldInput, Section, SectionKind, Template};

/// Width of a section frame, in board units.
pub const FRAME_W: f64 = 720.0;
/// The id of the ground-rules section [`Board::add_ground_rules`] adds.
pub const GROUND_RULES: &str = "ground-rules";
/// Space above a frame's first item, for its heading and help button.
pub const FRAME_HEAD: f64 = 72.0;
const FRAME_GAP: f64 = 64.0;
const FRAME_MIN_H: f64 = 520.0;
const COLUMNS: usize = 3;
const PAD: f64 = 20.0;
const CARD_W: f64 = (FRAME_W - 3.0 * PAD) / 2.0;

/// A section of the board, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    /// The template's section kind, as its wire name.
    pub kind: String,
    pub order: u32,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// For a stage plan: the stage's wire name.
    pub stage: Option<String>,
}

/// The seeded items of one section: (kind, reference, fields, width, height).
fn section_cards(s: &Section) -> Vec<(&'static str, &'static str, &'static [Field], f64, f64)> {
    let kind = kind_for_section(s.kind);
    match s.kind {
        // Tall enough to show every field without scrolling inside the card, at the
        // web client's card layout (measured in the browser with empty fields).
        SectionKind::StagePlan => vec![(kind, "", s.fields, FRAME_W - 2.0 * PAD, 700.0)],
        SectionKind::Ladder => vec![(kind, "", s.fields, FRAME_W - 2.0 * PAD, 380.0)],
        SectionKind::Checklist => s
            .checks
            .iter()
            .map(|c| (kind, c.id, s.fields, CARD_W, 480.0))
            .collect(),
        SectionKind::Principles => s
            .principles
            .iter()
            .map(|p| (kind, p.id, s.fields, CARD_W, 580.0))
            .collect(),
        _ => Vec::new(),
    }
}

/// Where each section's frame goes: a grid, `COLUMNS` wide, each row as tall as its
/// tallest frame. Returns (x, y, w, h) per section, in order.
pub fn layout_sections(sections: &[Section]) -> Vec<(f64, f64, f64, f64)> {
    let heights: Vec<f64> = sections
        .iter()
        .map(|s| {
            let cards = section_cards(s);
            let rows: f64 = match cards.first() {
                Some((_, _, _, w, h)) if *w < FRAME_W / 2.0 => {
                    cards.len().div_ceil(2) as f64 * (h + PAD)
                }
                Some((_, _, _, _, h)) => cards.len() as f64 * (h + PAD),
                None => 0.0,
            };
            (FRAME_HEAD + rows + PAD).max(FRAME_MIN_H)
        })
        .collect();
    let mut out = Vec::with_capacity(sections.len());
    let mut y = 0.0;
    for row in heights.chunks(COLUMNS) {
        let tallest = row.iter().copied().fold(0.0, f64::max);
        for (col, h) in row.iter().enumerate() {
            out.push((col as f64 * (FRAME_W + FRAME_GAP), y, FRAME_W, *h));
        }
        y += tallest + FRAME_GAP;
    }
    out
}

impl Board {
    /// Records the template and writes its sections and seeded items. `item_id` makes
    /// item ids (the server passes random ones; tests pass counters).
    pub fn seed(
        &self,
        txn: &mut TransactionMut,
        template: &Template,
        now: f64,
        mut item_id: impl FnMut() -> String,
    ) {
        self.meta.insert(txn, "template", template.id);
        self.meta.insert(txn, "created_at", now);
        let frames = layout_sections(template.sections);
        for (order, (s, (x, y, w, h))) in template.sections.iter().zip(frames).enumerate() {
            let mut v = HashMap::from([
                ("id".to_owned(), Any::from(s.id)),
                ("title".to_owned(), Any::from(s.title)),
                ("kind".to_owned(), Any::from(s.kind.as_str())),
                ("order".to_owned(), Any::from(order as f64)),
                ("x".to_owned(), Any::from(x)),
                ("y".to_owned(), Any::from(y)),
                ("w".to_owned(), Any::from(w)),
                ("h".to_owned(), Any::from(h)),
            ]);
            if let Some(stage) = s.stage {
                v.insert("stage".to_owned(), Any::from(stage.as_str()));
            }
            self.sections.insert(txn, s.id, Any::from(v));
            for (n, (kind, reference, fields, cw, ch)) in section_cards(s).into_iter().enumerate() {
                let (col, row) = if cw < FRAME_W / 2.0 {
                    (n % 2, n / 2)
                } else {
                    (0, n)
                };
                let new = NewItem {
                    kind: kind.to_owned(),
                    section: s.id.to_owned(),
                    reference: reference.to_owned(),
                    x: x + PAD + col as f64 * (cw + PAD),
                    y: y + FRAME_HEAD + row as f64 * (ch + PAD),
                    w: cw,
                    h: ch,
                    colour: "yellow".to_owned(),
                    author: Author::default(),
                    created_at: now,
                    seeded: true,
                    fields: fields
                        .iter()
                        .map(|f| {
                            let initial = match f.input {
                                FieldInput::Approach => Approach::NotDecided.as_str(),
                                _ => "",
                            };
                            (f.id.to_owned(), f.input, initial.to_owned())
                        })
                        .collect(),
                    ..NewItem::default()
                };
                self.add_item(txn, &item_id(), &new);
            }
        }
    }

    /// Adds a "How we work together" section for ground rules to a board whose template
    /// has none, first in reading order: ground rules are agreed at the start (INVOLVE
    /// 2018 on building relationships). It is placed to the right of every frame (board
    /// coordinates start at 0, so there is no room to the left without moving the
    /// others). Returns false, changing nothing, if the board already has one.
    pub fn add_ground_rules(&self, txn: &mut TransactionMut) -> bool {
        let sections = self.read_sections(txn);
        if sections
            .iter()
            .any(|s| s.kind == SectionKind::GroundRules.as_str())
        {
            return false;
        }
        let right = sections
            .iter()
            .map(|s| s.x + s.w)
            .fold(f64::NEG_INFINITY, f64::max);
        let top = sections.iter().map(|s| s.y).fold(f64::INFINITY, f64::min);
        // Everything else moves one place down the reading order.
        let others: Vec<(String, HashMap<String, Any>)> = self
            .sections
            .iter(txn)
            .filter_map(|(id, v)| Some((id.to_owned(), as_object(&v, txn)?)))
            .collect();
        for (id, mut fields) in others {
            let order = as_f64(fields.get("order")).unwrap_or(0.0);
            fields.insert("order".to_owned(), Any::from(order + 1.0));
            self.sections.insert(txn, id, Any::from(fields));
        }
        let (x, y) = if sections.is_empty() {
            (0.0, 0.0)
        } else {
            (right + FRAME_GAP, top)
        };
        let v = HashMap::from([
            ("id".to_owned(), Any::from(GROUND_RULES)),
            ("title".to_owned(), Any::from("How we work together")),
            (
                "kind".to_owned(),
                Any::from(SectionKind::GroundRules.as_str()),
            ),
            ("order".to_owned(), Any::from(0.0)),
            ("x".to_owned(), Any::from(x)),
            ("y".to_owned(), Any::from(y)),
            ("w".to_owned(), Any::from(FRAME_W)),
            (
                "h".to_owned(),
                Any::from(3.0 * (super::NOTE_H + PAD) + FRAME_HEAD),
            ),
        ]);
        self.sections.insert(txn, GROUND_RULES, Any::from(v));
        true
    }

    /// The board's sections, in template order.
    pub fn read_sections<T: ReadTxn>(&self, txn: &T) -> Vec<SectionView> {
        let mut out: Vec<SectionView> = self
            .sections
            .iter(txn)
            .filter_map(|(id, v)| {
                let f = as_object(&v, txn)?;
                let num = |k: &str| as_f64(f.get(k)).unwrap_or(0.0);
                Some(SectionView {
                    id: id.to_owned(),
                    title: as_string(f.get("title")).unwrap_or_default(),
                    kind: as_string(f.get("kind")).unwrap_or_else(|| "notes".to_owned()),
                    order: num("order") as u32,
                    x: num("x"),
                    y: num("y"),
                    w: num("w"),
                    h: num("h"),
                    stage: as_string(f.get("stage")),
                })
            })
            .collect();
        out.sort_by(|a, b| a.order.cmp(&b.order).then(a.id.cmp(&b.id)));
        out
    }
}
