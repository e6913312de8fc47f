//! Words people meet when working on co-production, explained plainly.
//! After the glossary in ARC KSS 2021, written in our own words.

use serde::Serialize;

/// One word or phrase and what it means.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Term {
    pub term: &'static str,
    /// One to three plain sentences.
    pub meaning: &'static str,
}

/// The glossary, in alphabetical order.
pub const GLOSSARY: &[Term] = &[
    Term {
        term: "Co-applicant",
        meaning: "A person named on a request for research money as one of the people in charge. Public members can be co-applicants too.",
    },
    Term {
        term: "Co-design",
        meaning: "Planning a service, study or product together with the people who will use it. It can be one part of co-production.",
    },
    Term {
        term: "Co-production",
        meaning: "The public and professionals doing a piece of work together as equals. They share the choices and the work, from the first idea to the final report.",
    },
    Term {
        term: "Community",
        meaning: "A group of people who have something in common. It might be a place, a belief, a culture or an online space.",
    },
    Term {
        term: "Engagement",
        meaning: "Sharing news and knowledge about research with the public, and listening to what they say back. Both sides should gain from it.",
    },
    Term {
        term: "Facilitator",
        meaning: "The person who guides a meeting, so that it runs well and everyone gets a turn. A public member can be the facilitator.",
    },
    Term {
        term: "Involvement",
        meaning: "Doing research or planning services with the public, not just about them. It often means asking the public for their views.",
    },
    Term {
        term: "Lived experience",
        meaning: "What a person knows from their own life, such as living with a health condition or caring for someone.",
    },
    Term {
        term: "Participation",
        meaning: "Taking part. In research it often means being studied, for example by answering a survey. Some groups use it to mean involvement.",
    },
    Term {
        term: "PCIE",
        meaning: "Short for public and community involvement and engagement. It is a wider name for PPI that includes whole communities, not only patients.",
    },
    Term {
        term: "Peer researcher",
        meaning: "A public member who helps carry out research, for example by interviewing people with experiences like their own.",
    },
    Term {
        term: "PPI",
        meaning: "Short for patient and public involvement. It means research done with or by the public, rather than to them or about them.",
    },
    Term {
        term: "PPIE",
        meaning: "Short for patient and public involvement and engagement. It puts involvement and engagement together, as two linked activities.",
    },
    Term {
        term: "Professional",
        meaning: "Someone who does this work as their job, such as a researcher, a nurse or a social worker. A commissioner is a professional who decides which services to pay for.",
    },
    Term {
        term: "Public",
        meaning: "Patients, carers, people who use health or care services, and anyone else with an interest. It does not mean people who do this work as their job.",
    },
    Term {
        term: "Reciprocity",
        meaning: "Give and take. Everyone gets something back for what they put in.",
    },
];
