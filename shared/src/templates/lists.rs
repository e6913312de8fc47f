//! The typed lists the templates are built from: the stage plan's fields, the ARC West
//! prompts, the INVOLVE and Nesta principles with their reflection fields, and the ladder.

use super::{CheckItem, Field, FieldInput, Principle, Rung, RungGroup};

const fn text(id: &'static str, label: &'static str, help: &'static str) -> Field {
    Field {
        id,
        label,
        help,
        input: FieldInput::Text,
    }
}

/// What a group writes down for each project stage: the columns of the stage plan table
/// (after ARC KSS 2021, Figure 7).
pub const STAGE_PLAN_FIELDS: &[Field] = &[
    Field {
        id: "approach",
        label: "Approach",
        help: "Will the public and professionals share this stage as equals, or will the team ask for views? You can leave it open for now.",
        input: FieldInput::Approach,
    },
    text(
        "who-involved",
        "Who is involved",
        "Name the groups and people who take part at this stage. Think about who is missing.",
    ),
    text(
        "who-decides",
        "Who decides",
        "Say who has the final say at this stage. If it is shared, say how.",
    ),
    text(
        "how",
        "How",
        "Describe how people will take part, such as meetings, calls, surveys or visits.",
    ),
    text(
        "when",
        "When",
        "Give dates, or how often people will meet. Leave time for people to get ready.",
    ),
    text(
        "support",
        "Support and resources",
        "List what people need to take part. This includes payment, expenses, training, equipment and access needs.",
    ),
];

/// The three boxes filled in for each principle in a principles check.
pub const REFLECTION_FIELDS: &[Field] = &[
    text(
        "how-are-we-doing",
        "How are we doing?",
        "Say honestly how well the group lives up to this principle today.",
    ),
    text(
        "evidence",
        "Evidence",
        "Give examples that show it. These can be things people said, did or decided.",
    ),
    text(
        "actions",
        "Actions",
        "Write what we will do to get better at this, and who will do it.",
    ),
];

/// What a group writes down for each item of a checklist.
pub const CHECK_FIELDS: &[Field] = &[
    text(
        "answer",
        "Our answer",
        "Write what the group thinks, in a few plain words.",
    ),
    text(
        "to-do",
        "Still to do",
        "Note anything we need to find out or sort out, and who will do it.",
    ),
];

/// What the ladder template asks the group to record.
pub const LADDER_FIELDS: &[Field] = &[
    Field {
        id: "rung",
        label: "Our rung",
        help: "Pick the rung that best matches how we work now.",
        input: FieldInput::Rung,
    },
    text(
        "reason",
        "Why this rung",
        "Say why the group chose this rung. Give an example if you can.",
    ),
];

const ARC_WEST: &str = "ARC West 2020";

/// Four questions to ask before starting (ARC West 2020, as summarised in ARC KSS 2021).
pub const ARC_WEST_PROMPTS: &[CheckItem] = &[
    CheckItem {
        id: "who",
        name: "Who?",
        explanation: "Which people we hope will take part in the work with us.",
        questions: &[
            "Who would we most like to work with?",
            "Is anyone missing, such as people who are rarely asked?",
        ],
        source: ARC_WEST,
    },
    CheckItem {
        id: "how",
        name: "How?",
        explanation: "The ways and the times we will work together.",
        questions: &[
            "How will we meet and keep in touch?",
            "Have we given ourselves enough time to work this way?",
        ],
        source: ARC_WEST,
    },
    CheckItem {
        id: "feasible",
        name: "Feasible?",
        explanation: "Whether co-production can really work here, given our limits.",
        questions: &[
            "Are the project, service and team open to sharing power?",
            "What can we really do with the time and money we have?",
            "Would public involvement, where the team asks for views, suit this work better?",
        ],
        source: ARC_WEST,
    },
    CheckItem {
        id: "prepared",
        name: "Prepared?",
        explanation: "What we need to put in place before we start.",
        questions: &[
            "Have we sorted out the who, the how and the when?",
            "What is left for us to design together once we begin?",
        ],
        source: ARC_WEST,
    },
];

const INVOLVE: &str = "INVOLVE 2018";

/// The principles of co-producing research (INVOLVE 2018, shown in ARC KSS 2021 Figure 1).
pub const INVOLVE_PRINCIPLES: &[Principle] = &[
    Principle {
        id: "sharing-power",
        name: "Sharing power",
        explanation: "The project belongs to everyone in it. We work out together what to do and why.",
        source: INVOLVE,
    },
    Principle {
        id: "including-all-perspectives",
        name: "Including all perspectives and skills",
        explanation: "The team has room for everyone who has something to offer. That includes people whose views are rarely heard.",
        source: INVOLVE,
    },
    Principle {
        id: "respecting-knowledge",
        name: "Respecting and valuing the knowledge of all",
        explanation: "Knowing something from living it counts as much as knowing it from study or work. Nobody's knowledge counts for less.",
        source: INVOLVE,
    },
    Principle {
        id: "reciprocity",
        name: "Reciprocity",
        explanation: "Reciprocity means give and take. Everyone gets something back for what they put in.",
        source: INVOLVE,
    },
    Principle {
        id: "building-relationships",
        name: "Building and maintaining relationships",
        explanation: "We take time to get to know and trust each other. Good relationships make sharing power possible.",
        source: INVOLVE,
    },
];

const NESTA: &str = "Nesta 2013";

/// The principles of co-producing public services (Nesta 2013, shown in ARC KSS 2021
/// Figure 2).
pub const NESTA_PRINCIPLES: &[Principle] = &[
    Principle {
        id: "people-as-assets",
        name: "Recognising people as assets",
        explanation: "People who use services are not just people with needs. They bring strengths and ideas to the work.",
        source: NESTA,
    },
    Principle {
        id: "building-capabilities",
        name: "Building on people's existing capabilities",
        explanation: "We start from what people can already do. Then we help them grow those skills.",
        source: NESTA,
    },
    Principle {
        id: "mutuality-reciprocity",
        name: "Mutuality and reciprocity",
        explanation: "People and services rely on each other. Everyone gives something and gets something back.",
        source: NESTA,
    },
    Principle {
        id: "peer-support-networks",
        name: "Peer support networks",
        explanation: "People with shared experience help each other. They pass on what they know, not only the professionals.",
        source: NESTA,
    },
    Principle {
        id: "blurring-distinctions",
        name: "Blurring distinctions",
        explanation: "The line between the people who run a service and the people who use it gets softer. Both plan and deliver it.",
        source: NESTA,
    },
    Principle {
        id: "facilitating-not-delivering",
        name: "Facilitating rather than delivering",
        explanation: "Services help things happen rather than doing everything themselves. They make room for people to lead.",
        source: NESTA,
    },
];

/// The ladder of co-production, lowest rung first (SCIE 2021, shown in ARC KSS 2021; the
/// ladder first came from Think Local Act Personal).
pub const LADDER: &[Rung] = &[
    Rung {
        id: "coercion",
        name: "Coercion",
        description: "People are present, but they have no say. Everything has been decided before they arrive.",
        group: RungGroup::DoingTo,
    },
    Rung {
        id: "educating",
        name: "Educating",
        description: "Professionals help people understand a service or study so they can use it. People still have no say in it.",
        group: RungGroup::DoingTo,
    },
    Rung {
        id: "informing",
        name: "Informing",
        description: "People are told what is happening and why. They cannot change it.",
        group: RungGroup::DoingFor,
    },
    Rung {
        id: "consultation",
        name: "Consultation",
        description: "People are asked what they think. Professionals choose whether to act on it.",
        group: RungGroup::DoingFor,
    },
    Rung {
        id: "engagement",
        name: "Engagement",
        description: "People have more chances to speak and shape things. Professionals still hold the power and make the final choice.",
        group: RungGroup::DoingFor,
    },
    Rung {
        id: "co-design",
        name: "Co-design",
        description: "People help design the work using what they know from life. They may not share in later decisions or in doing it.",
        group: RungGroup::DoingWith,
    },
    Rung {
        id: "co-production",
        name: "Co-production",
        description: "Everyone works as equals from start to finish. Power, choices and the work itself are shared.",
        group: RungGroup::DoingWith,
    },
];
