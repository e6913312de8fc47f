//! The export model: a board read out as the plan a group agreed, ready to render as PDF,
//! HTML, Markdown, JSON or CSV.
//!
//! Every format is rendered from this one model, so they agree with each other, and
//! `scope` is applied here once: [`Scope::Agreed`] keeps only what the group marked
//! agreed. The JSON export is this model serialised; `docs/export-schema.md` documents it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use yrs::ReadTxn;

use crate::schema::{Board, ItemView, RoundState, Status, kind_label};
use crate::templates::{self, Approach, Field, SectionKind, Stage};

/// Version of the JSON export's layout.
pub const EXPORT_VERSION: u32 = 1;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Only what the group marked agreed.
    Agreed,
    /// Everything, with statuses.
    All,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agreed" => Some(Self::Agreed),
            "all" => Some(Self::All),
            _ => None,
        }
    }

    fn keeps(self, status: Status) -> bool {
        self == Self::All || status == Status::Agreed
    }
}

/// Where the exported state came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub board_id: String,
    /// "live", or the snapshot's name.
    pub snapshot: String,
    /// When that state was taken (ms since the Unix epoch).
    pub taken_at: f64,
}

/// The whole export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub title: String,
    pub template: String,
    pub template_name: String,
    pub scope: Scope,
    pub source: Source,
    /// Every section in template order, with the items kept by the scope. Items outside
    /// any section come last, under "Other notes".
    pub sections: Vec<SectionOut>,
    /// One row per project stage, in order (always all five for a project plan, so a
    /// reader sees what is still open).
    pub stage_plan: Vec<StageRow>,
    /// Ranked priorities, from the latest closed voting round (or the latest round).
    pub priorities: Vec<PriorityOut>,
    /// Everything agreed, oldest decision first.
    pub decisions: Vec<DecisionOut>,
    /// Everyone who contributed an exported item, as each chose to be named.
    pub contributors: Vec<Contributor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionOut {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub items: Vec<ItemOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemOut {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    /// For a checklist or principle card: the name of what it stands for.
    pub heading: Option<String>,
    pub text: String,
    /// Filled-in fields, as (label, value), in the template's order.
    pub fields: Vec<FieldOut>,
    pub status: Status,
    pub author: String,
    pub role: String,
    /// Agreed, and changed since: `text` and `fields` are still the agreed words; the
    /// change waits for the group to agree it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed_since_agreed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldOut {
    pub id: String,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub stage: String,
    pub label: String,
    /// Empty when the row is not exported (not agreed, under `Scope::Agreed`).
    pub approach: String,
    pub who_involved: String,
    pub who_decides: String,
    pub how: String,
    pub when: String,
    pub support: String,
    pub status: Status,
    /// False when the row exists but was left out by the scope.
    pub included: bool,
    /// The stage plan changed after it was agreed; the row shows what was agreed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed_since_agreed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityOut {
    pub rank: u32,
    pub tied: bool,
    pub votes: u32,
    pub text: String,
    pub status: Status,
    pub round: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionOut {
    pub what: String,
    pub kind_label: String,
    pub at: f64,
    pub by: String,
    pub present: Vec<String>,
    /// The item changed after it was agreed; the change is not agreed (yet).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed_since_agreed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contributor {
    /// Their name, or "Anonymous".
    pub name: String,
    pub role: String,
    pub items: u32,
}

fn field_values(item: &ItemView, fields: &[Field]) -> Vec<FieldOut> {
    fields
        .iter()
        .filter_map(|f| {
            let raw = item.fields.get(f.id)?;
            let value = match f.input {
                templates::FieldInput::Approach => {
                    Approach::parse(raw).map_or(raw.clone(), |a| a.label().to_owned())
                }
                templates::FieldInput::Rung => templates::LADDER
                    .iter()
                    .find(|r| r.id == raw)
                    .map_or(raw.clone(), |r| r.name.to_owned()),
                templates::FieldInput::Text => raw.clone(),
            };
            (!value.trim().is_empty()).then(|| FieldOut {
                id: f.id.to_owned(),
                label: f.label.to_owned(),
                value,
            })
        })
        .collect()
}

/// What an item stands for and which fields it has, from its template.
fn item_shape(
    item: &ItemView,
    section: Option<&templates::Section>,
) -> (Option<String>, &'static [Field]) {
    let Some(s) = section else { return (None, &[]) };
    let heading = match s.kind {
        SectionKind::Checklist => s
            .checks
            .iter()
            .find(|c| c.id == item.reference)
            .map(|c| c.name),
        SectionKind::Principles => s
            .principles
            .iter()
            .find(|p| p.id == item.reference)
            .map(|p| p.name),
        _ => None,
    };
    (heading.map(str::to_owned), s.fields)
}

impl Plan {
    /// Reads a board into the export model, judging consent as of when its state was
    /// taken (see [`Plan::build_at`]).
    pub fn build<T: ReadTxn>(board: &Board, txn: &T, scope: Scope, source: Source) -> Plan {
        let now = source.taken_at;
        Self::build_at(board, txn, scope, source, now)
    }

    /// Reads a board into the export model as of `now` (ms since the Unix epoch). An
    /// export leaves the board, so each contribution's consent is honoured: items
    /// withdrawn, "not quoted", or whose consent ran out by `now` are left out, and
    /// authors are credited by name, initials or not at all as they chose.
    pub fn build_at<T: ReadTxn>(
        board: &Board,
        txn: &T,
        scope: Scope,
        source: Source,
        now: f64,
    ) -> Plan {
        let template_id = board.template(txn);
        let template = templates::get(&template_id);
        let consents: BTreeMap<String, crate::schema::Consent> = board
            .read_items(txn)
            .iter()
            .filter_map(|i| Some((i.id.clone(), board.consent(txn, &i.id)?)))
            .collect();
        let items: Vec<ItemView> = board
            .read_items(txn)
            .into_iter()
            .filter(|i| board.withdrawn_at(txn, &i.id).is_none())
            .filter(|i| consents.get(&i.id).is_none_or(|c| c.allows_sharing(now)))
            .collect();
        // Agreed means agreed: an agreed item goes out with the words the group agreed,
        // marked when they have changed since (that change is not agreed yet).
        let changed: BTreeSet<String> = (items.iter())
            .filter(|i| i.changed_since_agreed())
            .map(|i| i.id.clone())
            .collect();
        let items: Vec<ItemView> = items
            .into_iter()
            .map(|mut i| {
                if let Some((text, fields)) = i.agreed_words() {
                    (i.text, i.fields) = (text, fields);
                }
                i
            })
            .collect();
        let credit = |item: &ItemView| match consents.get(&item.id) {
            Some(c) => c.credit(item.author.display()),
            None => item.author.display().to_owned(),
        };
        let mut sections: Vec<SectionOut> = Vec::new();
        let mut contributors: BTreeMap<(String, String), u32> = BTreeMap::new();
        let mut out_item = |item: &ItemView, section: Option<&templates::Section>| -> ItemOut {
            if !item.seeded {
                let key = (credit(item), item.author.role.as_str().to_owned());
                *contributors.entry(key).or_insert(0) += 1;
            }
            let (heading, fields) = item_shape(item, section);
            ItemOut {
                id: item.id.clone(),
                kind: item.kind.clone(),
                kind_label: kind_label(&item.kind).to_owned(),
                heading,
                text: item.text.clone(),
                fields: field_values(item, fields),
                status: item.status,
                author: if item.seeded {
                    String::new()
                } else {
                    credit(item)
                },
                role: if item.seeded {
                    String::new()
                } else {
                    item.author.role.label().to_owned()
                },
                changed_since_agreed: changed.contains(&item.id),
            }
        };
        let board_sections = board.read_sections(txn);
        for s in &board_sections {
            let t_section = template.and_then(|t| t.section(&s.id));
            let kept = items
                .iter()
                .filter(|i| i.section == s.id && scope.keeps(i.status))
                .map(|i| out_item(i, t_section))
                .collect();
            sections.push(SectionOut {
                id: s.id.clone(),
                title: s.title.clone(),
                kind: s.kind.clone(),
                items: kept,
            });
        }
        let known: Vec<&str> = board_sections.iter().map(|s| s.id.as_str()).collect();
        let loose: Vec<ItemOut> = items
            .iter()
            .filter(|i| !known.contains(&i.section.as_str()) && scope.keeps(i.status))
            .map(|i| out_item(i, None))
            .collect();
        if !loose.is_empty() {
            sections.push(SectionOut {
                id: String::new(),
                title: "Other notes".to_owned(),
                kind: "notes".to_owned(),
                items: loose,
            });
        }
        let stage_plan = stage_rows(board, txn, &items, scope, &changed);
        let priorities = priorities(board, txn, &items, scope);
        let mut decisions: Vec<DecisionOut> = items
            .iter()
            .filter_map(|i| {
                let d = i.decision.as_ref().filter(|_| i.status == Status::Agreed)?;
                Some(DecisionOut {
                    what: decision_text(i, &d.what, &board_sections),
                    kind_label: kind_label(&i.kind).to_owned(),
                    at: d.at,
                    by: d.by.display().to_owned(),
                    present: d
                        .present
                        .iter()
                        .map(|p| format!("{} ({})", p.display(), p.role.label()))
                        .collect(),
                    changed_since_agreed: changed.contains(&i.id),
                })
            })
            .collect();
        decisions.sort_by(|a, b| a.at.total_cmp(&b.at));
        Plan {
            version: EXPORT_VERSION,
            title: board.title(txn).unwrap_or_default(),
            template_name: template.map_or("Blank board", |t| t.name).to_owned(),
            template: template_id,
            scope,
            source,
            sections,
            stage_plan,
            priorities,
            decisions,
            contributors: contributors
                .into_iter()
                .map(|((name, role), items)| Contributor {
                    name,
                    role: crate::schema::ParticipantRole::parse(&role)
                        .map_or(role.clone(), |r| r.label().to_owned()),
                    items,
                })
                .collect(),
        }
    }
}

/// What a decision is about, in words: its text, or for a card with no text of its own
/// (a stage plan, a checklist question) what the card stands for.
fn decision_text(item: &ItemView, what: &str, sections: &[crate::schema::SectionView]) -> String {
    if !what.trim().is_empty() {
        return what.to_owned();
    }
    let section = sections.iter().find(|s| s.id == item.section);
    match (section, item.reference.as_str()) {
        (Some(s), "") => s.title.clone(),
        (Some(s), r) => {
            let name = templates::ARC_WEST_PROMPTS
                .iter()
                .map(|c| (c.id, c.name))
                .chain(templates::INVOLVE_PRINCIPLES.iter().map(|p| (p.id, p.name)))
                .chain(templates::NESTA_PRINCIPLES.iter().map(|p| (p.id, p.name)))
                .find(|(id, _)| *id == r)
                .map_or(r, |(_, name)| name);
            format!("{}: {name}", s.title)
        }
        (None, _) => kind_label(&item.kind).to_owned(),
    }
}

fn stage_rows<T: ReadTxn>(
    board: &Board,
    txn: &T,
    items: &[ItemView],
    scope: Scope,
    changed: &BTreeSet<String>,
) -> Vec<StageRow> {
    let sections = board.read_sections(txn);
    Stage::ALL
        .iter()
        .filter_map(|stage| {
            let section = sections
                .iter()
                .find(|s| s.stage.as_deref() == Some(stage.as_str()))?;
            let item = items
                .iter()
                .find(|i| i.section == section.id && i.kind == "stageplan");
            let status = item.map_or(Status::Draft, |i| i.status);
            let included = item.is_some() && scope.keeps(status);
            let get = |k: &str| {
                item.filter(|_| included)
                    .and_then(|i| i.fields.get(k).cloned())
                    .unwrap_or_default()
            };
            let approach = get("approach");
            Some(StageRow {
                stage: stage.as_str().to_owned(),
                label: stage.label().to_owned(),
                approach: Approach::parse(&approach).map_or(approach, |a| a.short().to_owned()),
                who_involved: get("who-involved"),
                who_decides: get("who-decides"),
                how: get("how"),
                when: get("when"),
                support: get("support"),
                status,
                included,
                changed_since_agreed: included && item.is_some_and(|i| changed.contains(&i.id)),
            })
        })
        .collect()
}

fn priorities<T: ReadTxn>(
    board: &Board,
    txn: &T,
    items: &[ItemView],
    scope: Scope,
) -> Vec<PriorityOut> {
    let rounds = board.read_rounds(txn);
    let round = rounds
        .iter()
        .rev()
        .find(|r| r.state == RoundState::Closed)
        .or_else(|| rounds.iter().rev().find(|r| !r.sealed));
    if let Some(round) = round
        && let Ok(tally) = board.tally(txn, &round.id)
    {
        return tally
            .ranking
            .iter()
            .filter_map(|r| {
                let item = items.iter().find(|i| i.id == r.item)?;
                scope.keeps(item.status).then(|| PriorityOut {
                    rank: r.rank,
                    tied: r.tied,
                    votes: r.votes,
                    text: item.text.clone(),
                    status: item.status,
                    round: round.title.clone(),
                })
            })
            .collect();
    }
    // No round yet: priorities in reading order, unranked.
    items
        .iter()
        .filter(|i| i.kind == "priority" && scope.keeps(i.status))
        .map(|i| PriorityOut {
            rank: 0,
            tied: false,
            votes: 0,
            text: i.text.clone(),
            status: i.status,
            round: String::new(),
        })
        .collect()
}

#[cfg(test)]
mod consent_tests {
    use super::*;
    use crate::schema::{Attribution, Author, Consent, NewItem, ParticipantRole};
    use yrs::{Doc, Transact};

    #[test]
    fn exports_honour_each_contributions_consent() {
        let doc = Doc::new();
        let board = Board::new(&doc);
        {
            let mut txn = doc.transact_mut();
            board.init(&mut txn, "Plan");
            let people = [
                ("a1", "Asha Begum", None),
                ("a2", "Ben Okafor", Some((Attribution::Initials, None))),
                ("a3", "Cal Reid", Some((Attribution::NotQuoted, None))),
                ("a4", "Dee Shah", Some((Attribution::Name, Some(100.0)))),
                ("a5", "Eve Moss", Some((Attribution::Anonymous, None))),
                ("a6", "Fay Lee", None),
            ];
            for (id, name, consent) in people {
                let item = NewItem {
                    kind: "aim".into(),
                    text: format!("Aim {id}"),
                    author: Author::named(name, ParticipantRole::Public, id),
                    ..NewItem::default()
                };
                board.add_item(&mut txn, id, &item);
                if let Some((attribution, until)) = consent {
                    let c = Consent {
                        attribution,
                        purposes: vec![],
                        until,
                    };
                    board.set_consent(&mut txn, id, &c).unwrap();
                }
            }
            board.withdraw(&mut txn, "a6", 1.0).unwrap();
        }
        let source = Source {
            board_id: "b".into(),
            snapshot: "live".into(),
            taken_at: 50.0,
        };
        let txn = doc.transact();
        let plan = Plan::build_at(&board, &txn, Scope::All, source, 200.0);
        let items: Vec<(&str, &str)> = plan
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| (i.id.as_str(), i.author.as_str()))
            .collect();
        assert_eq!(
            items,
            [("a1", "Asha Begum"), ("a2", "B. O."), ("a5", "Anonymous")]
        );
        let everything = serde_json::to_string(&plan).unwrap();
        for hidden in ["Ben Okafor", "Cal Reid", "Dee Shah", "Eve Moss", "Fay Lee"] {
            assert!(
                !everything.contains(hidden),
                "{hidden} leaked: {everything}"
            );
        }
        // Before Dee's consent ran out, her aim was shareable.
        let source = Source {
            board_id: "b".into(),
            snapshot: "live".into(),
            taken_at: 50.0,
        };
        let earlier = Plan::build_at(&board, &txn, Scope::All, source, 99.0);
        assert!(
            serde_json::to_string(&earlier)
                .unwrap()
                .contains("Dee Shah")
        );
        assert!(!serde_json::to_string(&earlier).unwrap().contains("Aim a3"));
    }
}
