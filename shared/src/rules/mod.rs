//! Who may do what to each part of a board: one table, read by the web client (to offer a
//! person only what their link allows) and enforced by the server on every update from
//! every client (see [`Guard`]).
//!
//! A board is one Yjs document, so any client holding a link that may write can, with a
//! modified client, send any change at all. The server therefore works out what each
//! update changes and refuses, as a whole, one that breaks a rule here; the refused change
//! is never stored or relayed. The rules are about the *record*: who wrote what (fixed once
//! written), what the group agreed (facilitators record it), what each person consented to
//! (theirs alone), and how things are removed (never silently).
//!
//! Three kinds of writer make changes: people with a contributor link, people with a
//! facilitator link, and the server itself (seeding a board, publishing a sealed round,
//! writing what a person asked for through the HTTP API after proving who they are, such
//! as changing the consent on their own item). A view-only link writes nothing at all.

mod items;
mod judge;
mod watch;

#[cfg(test)]
mod tests;

pub use judge::Breach;
pub use watch::Guard;

/// Who is making a change. Ordered: each writer may do what the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Writer {
    /// Someone with a contributor link.
    Contributor,
    /// Someone with a facilitator link.
    Facilitator,
    /// The server itself.
    Server,
}

/// What a change does to a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    Create,
    Change,
    Delete,
}

impl Act {
    fn verb(self) -> &'static str {
        match self {
            Act::Create => "add",
            Act::Change => "change",
            Act::Delete => "remove",
        }
    }
}

/// The least a writer must be to do something; `Nobody` for what is fixed once written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Contributors,
    Facilitators,
    Server,
    Nobody,
}

impl Who {
    /// Whether `writer` is enough.
    pub fn allows(self, writer: Writer) -> bool {
        match self {
            Who::Contributors => true,
            Who::Facilitators => writer >= Writer::Facilitator,
            Who::Server => writer == Writer::Server,
            Who::Nobody => false,
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Who::Contributors => "contributors and facilitators",
            Who::Facilitators => "facilitators",
            Who::Server => "the server",
            Who::Nobody => "nobody",
        }
    }
}

/// A part of the board the rules speak about (one row of [`RULES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// `meta`: the title, template and schema version.
    Meta,
    /// An entry of `sections`.
    Section,
    /// An entry of `items`, as a whole.
    Item,
    /// What records an item's origin: `id`, `kind`, `ref`, `author`, `author_key`,
    /// `created_at`, `seeded`.
    ItemOrigin,
    /// An item's words: `text`, `fields`, and what is in them.
    ItemWords,
    /// Where an item sits and looks: `section`, `x`, `y`, `w`, `h`, `colour`, `updated_at`.
    ItemPlace,
    /// `status` between `draft` and `proposed`.
    ItemStatus,
    /// Agreement: `status` into or out of `agreed`, and the `decision` record.
    ItemAgreement,
    /// `outcome` ("you said, we did").
    ItemOutcome,
    /// `consent`: how the author lets their words be used.
    ItemConsent,
    /// `withdrawn_at`, set when the author withdraws the item.
    ItemWithdrawal,
    /// `removed`: the item is in the bin.
    ItemRemoval,
    /// An entry of `comments`.
    Comment,
    /// An entry of `rounds`.
    Round,
    /// An entry of `votes` (a ballot in an open round).
    Ballot,
    /// A line of `activity`.
    Activity,
    /// An entry of `silent`.
    SilentRound,
    /// `facilitation.lead`: who leads the session.
    Handover,
    /// `facilitation.offered_to`: the notice of an offer (the server keeps the offer).
    OfferNotice,
    /// `facilitation` `timer`, `spotlight`, `follow` and `needs_met`.
    Running,
    /// `facilitation` `queue`, `speaking`, `heard`, `talk_ms` and `show_talk`: the
    /// speaking queue and whether the group shows its talk-time meter.
    Speaking,
    /// Any root the schema does not name: free-form data no view or export reads.
    FreeForm,
}

/// One row of the rules table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub part: Part,
    /// The part, as the table in `docs/board-schema.md` names it.
    pub name: &'static str,
    /// What the part is, in plain words, for refusal messages ("an item's author").
    pub what: &'static str,
    pub create: Who,
    pub change: Who,
    pub delete: Who,
    /// Anything the three columns do not say.
    pub note: &'static str,
}

use Who::{Contributors, Facilitators, Nobody, Server};

/// The rules, one row per part. `docs/board-schema.md` shows this table (a test keeps the
/// two the same).
pub const RULES: &[Rule] = &[
    Rule {
        part: Part::Meta,
        name: "`meta`",
        what: "the board's title and settings",
        create: Server,
        change: Server,
        delete: Nobody,
        note: "written when the board is created",
    },
    Rule {
        part: Part::Section,
        name: "`sections` entry",
        what: "a section",
        create: Facilitators,
        change: Facilitators,
        delete: Server,
        note: "seeded from the template; a facilitator adds ground rules",
    },
    Rule {
        part: Part::Item,
        name: "`items` entry",
        what: "an item",
        create: Contributors,
        change: Nobody,
        delete: Facilitators,
        note: "must be a map laid out as an item; its parts follow the rows below; an entry is never replaced whole (that would rewrite who made it); removing an item puts it in the bin (`removed`, below), so deleting the entry is for emptying the bin",
    },
    Rule {
        part: Part::ItemOrigin,
        name: "item `id`, `kind`, `ref`, `author`, `author_key`, `created_at`, `seeded`",
        what: "who made an item, when, and what kind it is",
        create: Contributors,
        change: Nobody,
        delete: Nobody,
        note: "written only in the transaction that creates the item",
    },
    Rule {
        part: Part::ItemWords,
        name: "item `text`, `fields`, and the words in them",
        what: "an item's words",
        create: Contributors,
        change: Contributors,
        delete: Contributors,
        note: "co-edited by everyone who may write",
    },
    Rule {
        part: Part::ItemPlace,
        name: "item `section`, `x`, `y`, `w`, `h`, `colour`, `updated_at`",
        what: "where an item sits",
        create: Contributors,
        change: Contributors,
        delete: Contributors,
        note: "",
    },
    Rule {
        part: Part::ItemStatus,
        name: "item `status` between `draft` and `proposed`",
        what: "an item's status",
        create: Contributors,
        change: Contributors,
        delete: Contributors,
        note: "",
    },
    Rule {
        part: Part::ItemAgreement,
        name: "item `status` into or out of `agreed`, `decision`",
        what: "what the group agreed",
        create: Facilitators,
        change: Facilitators,
        delete: Facilitators,
        note: "the facilitator records the group's decision",
    },
    Rule {
        part: Part::ItemOutcome,
        name: "item `outcome`",
        what: "an item's outcome",
        create: Facilitators,
        change: Facilitators,
        delete: Facilitators,
        note: "",
    },
    Rule {
        part: Part::ItemConsent,
        name: "item `consent`",
        what: "the author's consent",
        create: Contributors,
        change: Server,
        delete: Server,
        note: "set with the item by its author; changed later only through the server, by the author with the item's key",
    },
    Rule {
        part: Part::ItemWithdrawal,
        name: "item `withdrawn_at`",
        what: "a withdrawal",
        create: Server,
        change: Nobody,
        delete: Nobody,
        note: "the server withdraws an item for its author, who proves it with the item's key",
    },
    Rule {
        part: Part::ItemRemoval,
        name: "item `removed` (the bin)",
        what: "an item's place in the bin",
        create: Facilitators,
        change: Facilitators,
        delete: Facilitators,
        note: "a facilitator moves any item to the bin and back; an author moves their own through the server, proving it with the item's key",
    },
    Rule {
        part: Part::Comment,
        name: "`comments` entry",
        what: "a comment",
        create: Contributors,
        change: Server,
        delete: Facilitators,
        note: "at most 4,000 characters",
    },
    Rule {
        part: Part::Round,
        name: "`rounds` entry",
        what: "a voting round",
        create: Facilitators,
        change: Server,
        delete: Server,
        note: "a facilitator closes a round through the server, which publishes sealed ballots as it does",
    },
    Rule {
        part: Part::Ballot,
        name: "`votes` entry",
        what: "a ballot",
        create: Contributors,
        change: Contributors,
        delete: Server,
        note: "only in an open round that is not sealed, keyed `<round>/<voter>` as the ballot says",
    },
    Rule {
        part: Part::Activity,
        name: "`activity` line",
        what: "the activity list",
        create: Contributors,
        change: Server,
        delete: Server,
        note: "lines are only added; the server rewrites them when an item is withdrawn",
    },
    Rule {
        part: Part::SilentRound,
        name: "`silent` entry",
        what: "a silent round",
        create: Facilitators,
        change: Server,
        delete: Server,
        note: "the server reveals the cards",
    },
    Rule {
        part: Part::Handover,
        name: "`facilitation` `lead`",
        what: "who leads the session",
        create: Server,
        change: Server,
        delete: Server,
        note: "written by the server when someone accepts a handover",
    },
    Rule {
        part: Part::OfferNotice,
        name: "`facilitation` `offered_to`",
        what: "the notice of a handover offer",
        create: Server,
        change: Server,
        delete: Contributors,
        note: "the server writes it when a facilitator offers the role; the person offered clears it with \"Not now\" (the server keeps the real offer)",
    },
    Rule {
        part: Part::Running,
        name: "`facilitation` `timer`, `spotlight`, `follow`, `needs_met`",
        what: "how the session is run",
        create: Facilitators,
        change: Facilitators,
        delete: Facilitators,
        note: "",
    },
    Rule {
        part: Part::Speaking,
        name: "`facilitation` `queue`, `speaking`, `heard`, `talk_ms`, `show_talk`",
        what: "the speaking queue",
        create: Contributors,
        change: Contributors,
        delete: Contributors,
        note: "anyone may ask to speak, and the group chooses whether to show talk time",
    },
    Rule {
        part: Part::FreeForm,
        name: "any other root",
        what: "free-form data",
        create: Contributors,
        change: Contributors,
        delete: Contributors,
        note: "no view or export reads it; within the board's size limit",
    },
];

/// The row for `part`.
pub fn rule(part: Part) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.part == part)
        .expect("every part has a row")
}

/// Whether `writer` may `act` on `part`: the question the web client asks before it
/// offers a control, and the server asks of every change.
pub fn may(writer: Writer, part: Part, act: Act) -> bool {
    let r = rule(part);
    match act {
        Act::Create => r.create,
        Act::Change => r.change,
        Act::Delete => r.delete,
    }
    .allows(writer)
}

/// The table as Markdown, for `docs/board-schema.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "| part | add | change | remove | notes |\n|------|-----|--------|--------|-------|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            r.name,
            r.create.plural(),
            r.change.plural(),
            r.delete.plural(),
            r.note
        ));
    }
    out
}
