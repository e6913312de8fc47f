//! Templates for looking at the co-production itself: the principles check, taking stock,
//! and the ladder of co-production.

use super::{
    INVOLVE_PRINCIPLES, LADDER, LADDER_FIELDS, NESTA_PRINCIPLES, REFLECTION_FIELDS, Section,
    SectionKind, Template,
};

/// The INVOLVE and Nesta principles, each with "how are we doing", "evidence", "actions".
pub const PRINCIPLES_CHECK: Template = Template {
    id: "principles-check",
    name: "Checking our principles",
    purpose: "Look honestly at how well we live up to the principles of co-production, and plan what to improve.",
    source: "INVOLVE 2018 and Nesta 2013, as shown in ARC KSS 2021",
    sections: &[
        Section {
            principles: INVOLVE_PRINCIPLES,
            fields: REFLECTION_FIELDS,
            ..Section::new(
                "involve-principles",
                "Principles for co-producing research (INVOLVE 2018)",
                SectionKind::Principles,
                "For each principle, say how we are doing, what shows it and what we will do next. Be honest, because this is for us and nobody is marking it.",
                &[
                    "Which principle do we find hardest?",
                    "Would public members and professionals give the same answers?",
                ],
            )
        },
        Section {
            principles: NESTA_PRINCIPLES,
            fields: REFLECTION_FIELDS,
            ..Section::new(
                "nesta-principles",
                "Principles for co-producing services (Nesta 2013)",
                SectionKind::Principles,
                "These principles were written for public services, but most of them fit research too. Fill them in the same way.",
                &[
                    "Which principle is strongest in our work already?",
                    "Which one would help most on our next project?",
                ],
            )
        },
        Section::new(
            "next-steps",
            "What we will do next",
            SectionKind::Decisions,
            "Pick the few actions that matter most, and agree who does each one. Look at them again at the next check.",
            &[
                "Which action would make the biggest difference?",
                "When will we check our principles again?",
            ],
        ),
    ],
};

/// A regular look at the co-production itself: relationships, power, give and take.
pub const TAKING_STOCK: Template = Template {
    id: "taking-stock",
    name: "Taking stock",
    purpose: "A regular check on how well we are working together, and what we want to change.",
    source: "ARC KSS 2021, drawing on ARC West 2020 and Nesta 2013",
    sections: &[
        Section::new(
            "going-well",
            "What is going well",
            SectionKind::Review,
            "Start with what is working, so we keep doing it. Small things count too.",
            &[
                "What are we proud of since we last took stock?",
                "When did working together make a real difference?",
            ],
        ),
        Section::new(
            "relationships",
            "Relationships",
            SectionKind::Review,
            "Look at how well we know and trust each other. Co-production rests on good relationships.",
            &[
                "Does everyone feel welcome and listened to?",
                "Has anyone gone quiet or stopped coming? Do we know why?",
                "How are we handling disagreements?",
            ],
        ),
        Section::new(
            "power",
            "Power",
            SectionKind::Review,
            "Look at who really makes the choices. Power can shift as the work moves on, so check it often.",
            &[
                "Whose ideas changed what we did since we last looked?",
                "Were any choices made outside the group?",
                "Do public members get the information they need in time to decide?",
            ],
        ),
        Section::new(
            "reciprocity",
            "Give and take",
            SectionKind::Review,
            "Reciprocity means give and take. Check that everyone gets something back for what they put in.",
            &[
                "What has each person gained so far?",
                "Are people paid and thanked fairly for their time?",
                "Is anyone giving much more than they get back?",
            ],
        ),
        Section::new(
            "aims-and-principles",
            "Still on track?",
            SectionKind::Review,
            "Check we are still working towards the aims we agreed, in the way we agreed. New directions are fine if they still serve those aims.",
            &[
                "Have we drifted from our aims? Is that a good or a bad thing?",
                "Are we still true to the principles we signed up to?",
            ],
        ),
        Section::new(
            "what-to-change",
            "What we will change",
            SectionKind::Decisions,
            "Agree what to change, who will do it and by when. We look back at this list next time.",
            &[
                "What is the one thing we most want to change?",
                "Who will make sure it happens?",
                "When will we take stock again?",
            ],
        ),
    ],
};

/// Place the group on the ladder of co-production and say why.
pub const LADDER_TEMPLATE: Template = Template {
    id: "ladder",
    name: "The ladder of co-production",
    purpose: "Agree where our work sits on the ladder of co-production, and what would move us up.",
    source: "SCIE 2021, as shown in ARC KSS 2021",
    sections: &[
        Section {
            rungs: LADDER,
            fields: LADDER_FIELDS,
            ..Section::new(
                "our-rung",
                "Where are we on the ladder?",
                SectionKind::Ladder,
                "Read the rungs from the bottom up. Choose the one that best fits how we work now, and say why.",
                &[
                    "Who has the final say on the things that matter most?",
                    "Do public members and professionals pick different rungs? Why might that be?",
                ],
            )
        },
        Section::new(
            "moving-up",
            "Moving up",
            SectionKind::Notes,
            "Agree one or two steps that would move us up a rung. Not every project can reach the top, and that is fine if we say so openly.",
            &[
                "What is stopping us from moving up a rung?",
                "What small change could we make this month?",
            ],
        ),
    ],
};
