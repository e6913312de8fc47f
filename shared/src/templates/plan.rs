//! Planning templates: the co-production project plan (ARC KSS 2021 Figure 7, with the
//! ARC West 2020 prompts) and the SCIE stages of co-production.

use super::{
    ARC_WEST_PROMPTS, CHECK_FIELDS, STAGE_PLAN_FIELDS, Section, SectionKind, Stage, Template,
};

const fn stage_plan(
    id: &'static str,
    title: &'static str,
    stage: Stage,
    help: &'static str,
    prompts: &'static [&'static str],
) -> Section {
    Section {
        stage: Some(stage),
        fields: STAGE_PLAN_FIELDS,
        ..Section::new(id, title, SectionKind::StagePlan, help, prompts)
    }
}

/// Aims, priorities and a plan for each stage of a project, agreed together.
pub const COPRODUCTION_PLAN: Template = Template {
    id: "coproduction-plan",
    name: "Co-production project plan",
    purpose: "A shared plan for how the public and professionals will work together at each stage of a project.",
    source: "ARC KSS 2021 (Figure 7), with prompts from ARC West 2020",
    sections: &[
        Section::new(
            "aims",
            "Our aims",
            SectionKind::Aims,
            "Write down what this work should achieve, in words everyone understands. We come back to these aims when we are not sure which way to go.",
            &[
                "Why are we doing this work?",
                "Who should be better off because of it, and how?",
                "Why do we want members of the public to be part of it?",
                "How will we know it has worked?",
            ],
        ),
        Section {
            checks: ARC_WEST_PROMPTS,
            fields: CHECK_FIELDS,
            ..Section::new(
                "getting-ready",
                "Before we start: who, how, feasible, prepared",
                SectionKind::Checklist,
                "Talk through these four questions before the work begins. They help us see if co-production fits, and what to set up first.",
                &[
                    "Which question are we least sure about?",
                    "What would we need to change for co-production to work here?",
                ],
            )
        },
        Section::new(
            "ground-rules",
            "How we work together",
            SectionKind::GroundRules,
            "Agree how we treat each other, make choices and handle disagreements. Agreeing early makes hard moments easier.",
            &[
                "How will we make sure every voice is heard?",
                "How will we decide things, and what happens if we disagree?",
                "How will we share papers so everyone can read them?",
                "How will people be paid or thanked for their time?",
            ],
        ),
        Section::new(
            "priorities",
            "Our priorities",
            SectionKind::Priorities,
            "List what matters most, with the most important first. Everyone has the same say in the order.",
            &[
                "What problem matters most to the people affected?",
                "What could we really change in the time we have?",
                "Is anything on the list there only because professionals want it?",
            ],
        ),
        stage_plan(
            "stage-determining-priorities",
            "Stage 1: Determining priorities",
            Stage::DeterminingPriorities,
            "Plan who helps choose what the work is about. Fill in each box, and say if some choices were made before the group met.",
            &[
                "Can everyone with a stake in the work help set its aims?",
                "Has a funder or the team already fixed the topic? If so, what is still open?",
                "Who has not been asked yet?",
            ],
        ),
        stage_plan(
            "stage-design",
            "Stage 2: Design",
            Stage::Design,
            "Plan how the study or service will be shaped, and who shapes it. The earlier people join, the more they can change.",
            &[
                "How will public members help shape the plan from the very start?",
                "Are some parts hard to share, like the rules of a medical trial? How can people still have a say?",
                "What will we design together, and what is already fixed?",
            ],
        ),
        stage_plan(
            "stage-decision-making",
            "Stage 3: Decision-making",
            Stage::DecisionMaking,
            "Plan how choices get made and by whom. Be open about where the final say sits.",
            &[
                "Are public members full members of the team when choices are made?",
                "If the team only asks for views, who decides in the end?",
                "How will we tell people what happened to their ideas?",
            ],
        ),
        stage_plan(
            "stage-delivery",
            "Stage 4: Delivery",
            Stage::Delivery,
            "Plan who does the work and what help they need. People can choose how big a part to take.",
            &[
                "What roles would public members like to take on?",
                "Would anyone like to be a peer researcher, a public member who helps collect information?",
                "What time, money, training or support would each role need?",
            ],
        ),
        stage_plan(
            "stage-evaluation-analysis-sharing",
            "Stage 5: Evaluation, analysis and sharing",
            Stage::EvaluationAnalysisSharing,
            "Plan who helps judge the results, make sense of them and tell others. Analysis means working out what the findings show.",
            &[
                "What part do public members want in making sense of the results?",
                "Who will write a short summary in plain words?",
                "Who should hear about what we found, and how will we reach them?",
            ],
        ),
        Section::new(
            "decisions",
            "Decisions we have made",
            SectionKind::Decisions,
            "Write down each decision, the date and who agreed. This shows how power is shared and helps anyone who missed a meeting.",
            &[
                "What did we agree today?",
                "Did everyone get a chance to agree or disagree?",
                "Is there anything we need to check with people who were not here?",
            ],
        ),
    ],
};

/// The four parts of co-production (SCIE 2013), as ARC KSS 2021 widened them for research.
pub const SCIE_STAGES: Template = Template {
    id: "scie-stages",
    name: "Designing, deciding, delivering and evaluating together",
    purpose: "Plan the four parts of co-production: designing, deciding, delivering and evaluating together.",
    source: "SCIE 2013, with research examples added in ARC KSS 2021",
    sections: &[
        Section::new(
            "co-design",
            "Co-design: planning together",
            SectionKind::Notes,
            "Plan the service or study together, using what people know from life and from work. In research, this can mean writing the study plan or designing a new product.",
            &[
                "What are we designing?",
                "Whose experience do we need to get the design right?",
                "How will we try out early ideas with the people who will use them?",
            ],
        ),
        Section::new(
            "co-decision-making",
            "Co-decision-making: sharing choices about resources",
            SectionKind::Notes,
            "Decide together how money, time and staff are used. In research, this can mean choosing which topics come first or looking for funding.",
            &[
                "Which choices about money or time will we make together?",
                "Who holds the budget, and how can the group have a real say in it?",
                "Do public members want to apply for funding with us?",
            ],
        ),
        Section::new(
            "co-delivery",
            "Co-delivery: doing the work together",
            SectionKind::Notes,
            "Run the service or carry out the research together. Agree who does which tasks, and what help they need.",
            &[
                "Which tasks would each person like to take on?",
                "What training or support would help?",
                "How will we keep in touch while the work is going on?",
            ],
        ),
        Section::new(
            "co-evaluation",
            "Co-evaluation: looking back together",
            SectionKind::Notes,
            "Judge together how well the work went, and how well we worked together. In research, this also means making sense of the findings and sharing them.",
            &[
                "How will we know if the service or study made a difference?",
                "How did working together go, and what would we change?",
                "Who will we tell about what we learned?",
            ],
        ),
    ],
};
