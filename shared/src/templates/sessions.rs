//! Templates for a live session: setting priorities together.

use super::{Section, SectionKind, Template};

/// A question, ideas, voting rounds with equal votes, and the priorities agreed.
pub const PRIORITY_SETTING: Template = Template {
    id: "priority-setting",
    name: "Setting priorities together",
    purpose: "Gather ideas on one question and agree together which matter most.",
    source: "ARC KSS 2021 (the priority-setting stage of Figure 7)",
    sections: &[
        Section::new(
            "question",
            "Our question",
            SectionKind::Question,
            "Write the one question this session is about, in plain words. Anyone new to the topic should understand it.",
            &[
                "What do we want to find out or make better?",
                "Who is the question about, and have they helped to word it?",
            ],
        ),
        Section::new(
            "ideas",
            "Ideas",
            SectionKind::Ideas,
            "Anyone can add ideas, before or during the session. You can put your name on an idea, or leave it off.",
            &[
                "What would make the biggest difference to you or people you know?",
                "What have you seen work well, or go wrong?",
                "Is another idea close to yours? Should we put them side by side?",
            ],
        ),
        Section::new(
            "voting",
            "Voting rounds",
            SectionKind::Voting,
            "Everyone has the same number of votes to spread over the ideas. We can talk between rounds and vote again.",
            &[
                "Before we vote, is any idea unclear?",
                "After this round, which ideas should we talk about more?",
                "Did anyone feel they could not vote the way they wanted?",
            ],
        ),
        Section::new(
            "agreed-priorities",
            "Agreed priorities",
            SectionKind::Priorities,
            "List the priorities the group agreed, most important first. Note any views that differed, so they are not lost.",
            &[
                "Does everyone feel this list is fair?",
                "What happens next with each priority, and who will do it?",
            ],
        ),
    ],
};
