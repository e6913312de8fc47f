//! The co-production guide's templates, as typed data.
//!
//! A board can start from a template. Each template is a list of sections; each section
//! says what to put there (`help`), offers questions to get people going (`prompts`), and
//! has a [`SectionKind`] that tells the board, the list view and the exports how to show it.
//! Some kinds carry more structure: a stage plan names its [`Stage`] and the
//! [`STAGE_PLAN_FIELDS`] to fill in; a checklist lists its [`CheckItem`]s; a principles
//! check lists its [`Principle`]s, each with the [`REFLECTION_FIELDS`]; a ladder lists its
//! [`Rung`]s and asks for the [`LADDER_FIELDS`].
//!
//! The ideas come from "A Guide to Co-production for Researchers, Services and
//! Commissioners" (ARC Kent, Surrey and Sussex, 2021, "ARC KSS 2021" here) and the sources it
//! draws on: INVOLVE 2018, Nesta 2013, SCIE 2013/2021 and ARC West 2020. The words are our
//! own, written for people who are new to research and to computers: short sentences,
//! everyday words, and any special term explained where it is used. The unit tests check the
//! shape of the data and a rough plain-language rule (no sentence over 25 words).

use serde::Serialize;

mod glossary;
mod lists;
mod plan;
mod reflect;
mod sessions;
mod stage;

pub use glossary::{GLOSSARY, Term};
pub use lists::{
    ARC_WEST_PROMPTS, CHECK_FIELDS, INVOLVE_PRINCIPLES, LADDER, LADDER_FIELDS, NESTA_PRINCIPLES,
    REFLECTION_FIELDS, STAGE_PLAN_FIELDS,
};
pub use stage::{Approach, Stage};

/// A starting layout for a board.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Template {
    /// Stable id, used in the API (`POST /api/boards {"template": ...}`) and stored with
    /// the board. Never change one once boards use it.
    pub id: &'static str,
    /// Short name shown when choosing a template.
    pub name: &'static str,
    /// One plain sentence: what the template helps a group do.
    pub purpose: &'static str,
    /// Where the ideas come from, named so people can look them up.
    pub source: &'static str,
    /// The sections, in the order the board and the exports show them.
    pub sections: &'static [Section],
}

/// One part of a template: a heading on the board, a chapter in an export.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    /// Stable, kebab-case, unique within its template. Board items point at it.
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// One to three plain sentences: what to put here, and why.
    pub help: &'static str,
    /// Questions to get people going.
    pub prompts: &'static [&'static str],
    /// How the section is shown and exported.
    pub kind: SectionKind,
    /// For [`SectionKind::StagePlan`] only: the project stage this plan is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// What to fill in. For a stage plan or a ladder, once for the section; for a
    /// checklist or a principles check, once for each item or principle.
    #[serde(skip_serializing_if = "is_empty")]
    pub fields: &'static [Field],
    /// For [`SectionKind::Checklist`]: the things to check, in order.
    #[serde(skip_serializing_if = "is_empty")]
    pub checks: &'static [CheckItem],
    /// For [`SectionKind::Principles`]: the principles to reflect on, in order.
    #[serde(skip_serializing_if = "is_empty")]
    pub principles: &'static [Principle],
    /// For [`SectionKind::Ladder`]: the rungs, lowest first.
    #[serde(skip_serializing_if = "is_empty")]
    pub rungs: &'static [Rung],
}

fn is_empty<T>(list: &&[T]) -> bool {
    list.is_empty()
}

impl Section {
    /// A section with only the common parts; the templates fill in the rest with
    /// struct update syntax.
    pub const fn new(
        id: &'static str,
        title: &'static str,
        kind: SectionKind,
        help: &'static str,
        prompts: &'static [&'static str],
    ) -> Self {
        Self {
            id,
            title,
            help,
            prompts,
            kind,
            stage: None,
            fields: &[],
            checks: &[],
            principles: &[],
            rungs: &[],
        }
    }
}

/// What a section holds, which decides how the board, the list view and the exports show
/// it. Clients must show a kind they do not know as [`SectionKind::Notes`].
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// What the project is for: the shared aims the group comes back to.
    Aims,
    /// A ranked list of what matters most; exports keep the order.
    Priorities,
    /// The one question a session is about, shown large at the top.
    Question,
    /// Ideas anyone can add, and everyone can vote on.
    Ideas,
    /// Voting rounds: each person has the same number of votes to spread over the ideas.
    Voting,
    /// Decisions: what was agreed, when, and who agreed.
    Decisions,
    /// How one project [`Stage`] will be done: the [`STAGE_PLAN_FIELDS`].
    StagePlan,
    /// Items to work through one by one, each with notes ([`Section::checks`]).
    Checklist,
    /// Principles to reflect on, each with the [`REFLECTION_FIELDS`].
    Principles,
    /// Questions for looking back at how the work together is going.
    Review,
    /// Placing the group on a ladder of rungs ([`Section::rungs`]) and saying why.
    Ladder,
    /// How the group agrees to work together.
    GroundRules,
    /// Free notes under a heading, guided by the prompts.
    Notes,
}

impl SectionKind {
    /// Every kind.
    pub const ALL: [SectionKind; 13] = [
        Self::Aims,
        Self::Priorities,
        Self::Question,
        Self::Ideas,
        Self::Voting,
        Self::Decisions,
        Self::StagePlan,
        Self::Checklist,
        Self::Principles,
        Self::Review,
        Self::Ladder,
        Self::GroundRules,
        Self::Notes,
    ];

    /// The wire name, as serialised (`"stageplan"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aims => "aims",
            Self::Priorities => "priorities",
            Self::Question => "question",
            Self::Ideas => "ideas",
            Self::Voting => "voting",
            Self::Decisions => "decisions",
            Self::StagePlan => "stageplan",
            Self::Checklist => "checklist",
            Self::Principles => "principles",
            Self::Review => "review",
            Self::Ladder => "ladder",
            Self::GroundRules => "groundrules",
            Self::Notes => "notes",
        }
    }
}

/// One thing to fill in: a column of the stage plan table, or a reflection box.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    /// Stable, kebab-case id, unique within its list.
    pub id: &'static str,
    /// Short label for the form and the export's column heading.
    pub label: &'static str,
    /// One or two plain sentences: what to write here.
    pub help: &'static str,
    /// What sort of answer the field takes.
    pub input: FieldInput,
}

/// What sort of answer a [`Field`] takes.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum FieldInput {
    /// Free, collaborative text.
    Text,
    /// One of [`Approach::ALL`].
    Approach,
    /// One of the section's [`Section::rungs`].
    Rung,
}

/// One item of a checklist, such as the ARC West prompts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckItem {
    /// Stable, kebab-case id, unique within its list.
    pub id: &'static str,
    /// Short name, such as "Who?".
    pub name: &'static str,
    /// What this item is about, in plain words.
    pub explanation: &'static str,
    /// Questions to talk through for this item.
    pub questions: &'static [&'static str],
    pub source: &'static str,
}

/// A principle of co-production, to reflect on with the [`REFLECTION_FIELDS`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Principle {
    /// Stable, kebab-case id, unique across all principles.
    pub id: &'static str,
    /// Short name, as the source names it.
    pub name: &'static str,
    /// What it means, in plain words.
    pub explanation: &'static str,
    pub source: &'static str,
}

/// One rung of the ladder of co-production.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rung {
    /// Stable, kebab-case id.
    pub id: &'static str,
    pub name: &'static str,
    /// What working at this rung looks like, in plain words.
    pub description: &'static str,
    /// Which part of the ladder the rung is in.
    pub group: RungGroup,
}

/// The three parts of the ladder, from the bottom up.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum RungGroup {
    /// Things are done to people, who have no say.
    DoingTo,
    /// Things are done for people, who are told or asked, but do not decide.
    DoingFor,
    /// Things are done with people, who share the work and the choices.
    DoingWith,
}

impl RungGroup {
    /// Plain label.
    pub fn label(self) -> &'static str {
        match self {
            Self::DoingTo => "Doing to",
            Self::DoingFor => "Doing for",
            Self::DoingWith => "Doing with",
        }
    }
}

/// A board with no sections, for groups who want to start from nothing.
pub const BLANK: Template = Template {
    id: "blank",
    name: "Blank board",
    purpose: "An empty board, for groups who want to lay things out their own way.",
    source: "Coboard",
    sections: &[],
};

static ALL: [Template; 7] = [
    plan::COPRODUCTION_PLAN,
    sessions::PRIORITY_SETTING,
    plan::SCIE_STAGES,
    reflect::PRINCIPLES_CHECK,
    reflect::TAKING_STOCK,
    reflect::LADDER_TEMPLATE,
    BLANK,
];

/// Every template, in the order a "new board" dialog offers them.
pub fn all() -> &'static [Template] {
    &ALL
}

/// The template with this id.
pub fn get(id: &str) -> Option<&'static Template> {
    ALL.iter().find(|t| t.id == id)
}

/// Every template id, in the order of [`all`].
pub fn ids() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|t| t.id)
}

impl Template {
    /// The section with this id.
    pub fn section(&self, id: &str) -> Option<&'static Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests;
