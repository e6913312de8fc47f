use std::collections::HashSet;

use super::*;

const IDS: [&str; 7] = [
    "coproduction-plan",
    "priority-setting",
    "scie-stages",
    "principles-check",
    "taking-stock",
    "ladder",
    "blank",
];

fn template(id: &str) -> &'static Template {
    get(id).unwrap_or_else(|| panic!("no template {id}"))
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn assert_unique_kebab<'a>(what: &str, ids: impl IntoIterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for id in ids {
        assert!(is_kebab(id), "{what}: id {id:?} is not kebab-case");
        assert!(seen.insert(id), "{what}: id {id:?} is used twice");
    }
}

#[test]
fn ids_are_the_seven_templates_and_unique() {
    let ids: Vec<_> = ids().collect();
    assert_eq!(ids, IDS);
    assert_unique_kebab("template", ids.iter().copied());
    assert_eq!(all().len(), IDS.len());
    for id in IDS {
        assert_eq!(template(id).id, id);
    }
    assert!(get("no-such-template").is_none());
    assert!(get("").is_none());
}

#[test]
fn blank_has_no_sections_and_the_others_do() {
    assert!(BLANK.sections.is_empty());
    assert_eq!(template("blank"), &BLANK);
    for t in all().iter().filter(|t| t.id != "blank") {
        assert!(!t.sections.is_empty(), "{} has no sections", t.id);
    }
}

#[test]
fn section_and_item_ids_are_unique_kebab_case() {
    let mut principle_ids = Vec::new();
    for t in all() {
        assert_unique_kebab(t.id, t.sections.iter().map(|s| s.id));
        for s in t.sections {
            let at = format!("{}/{}", t.id, s.id);
            assert_unique_kebab(&at, s.fields.iter().map(|f| f.id));
            assert_unique_kebab(&at, s.checks.iter().map(|c| c.id));
            assert_unique_kebab(&at, s.rungs.iter().map(|r| r.id));
            principle_ids.extend(s.principles.iter().map(|p| p.id));
        }
    }
    assert_unique_kebab("principles", principle_ids);
    assert_unique_kebab("stage plan fields", STAGE_PLAN_FIELDS.iter().map(|f| f.id));
    assert_unique_kebab("stages", Stage::ALL.map(Stage::as_str));
}

#[test]
fn every_template_has_a_name_a_one_sentence_purpose_and_a_source() {
    for t in all() {
        assert!(!t.name.trim().is_empty(), "{} has no name", t.id);
        assert!(!t.source.trim().is_empty(), "{} has no source", t.id);
        let p = t.purpose;
        assert!(
            p.ends_with('.'),
            "{} purpose must end with a full stop",
            t.id
        );
        let inner = &p[..p.len() - 1];
        assert!(
            !inner.contains(['.', '?', '!']),
            "{} purpose must be one sentence: {p:?}",
            t.id
        );
        assert!(
            p.split_whitespace().count() >= 4,
            "{} purpose too short",
            t.id
        );
    }
}

#[test]
fn templates_built_from_the_guide_name_their_sources() {
    let known = [
        "INVOLVE 2018",
        "Nesta 2013",
        "SCIE 2013",
        "SCIE 2021",
        "ARC West 2020",
        "ARC KSS 2021",
    ];
    for t in all().iter().filter(|t| t.id != "blank") {
        assert!(
            known.iter().any(|k| t.source.contains(k)),
            "{} source {:?} names none of {known:?}",
            t.id,
            t.source
        );
    }
    let sources = |id: &str, want: &[&str]| {
        for w in want {
            assert!(template(id).source.contains(w), "{id} should cite {w}");
        }
    };
    sources("coproduction-plan", &["ARC KSS 2021", "ARC West 2020"]);
    sources("scie-stages", &["SCIE 2013"]);
    sources("principles-check", &["INVOLVE 2018", "Nesta 2013"]);
    sources("ladder", &["SCIE 2021"]);
    for c in ARC_WEST_PROMPTS {
        assert_eq!(c.source, "ARC West 2020");
    }
    for p in INVOLVE_PRINCIPLES {
        assert_eq!(p.source, "INVOLVE 2018");
    }
    for p in NESTA_PRINCIPLES {
        assert_eq!(p.source, "Nesta 2013");
    }
}

#[test]
fn sections_carry_the_structure_their_kind_needs() {
    for t in all() {
        for s in t.sections {
            let at = format!("{}/{}", t.id, s.id);
            let kind = s.kind;
            assert_eq!(
                s.stage.is_some(),
                kind == SectionKind::StagePlan,
                "{at}: a stage belongs with a stage plan"
            );
            assert_eq!(!s.checks.is_empty(), kind == SectionKind::Checklist, "{at}");
            assert_eq!(
                !s.principles.is_empty(),
                kind == SectionKind::Principles,
                "{at}"
            );
            assert_eq!(!s.rungs.is_empty(), kind == SectionKind::Ladder, "{at}");
            match kind {
                SectionKind::StagePlan => assert_eq!(s.fields, STAGE_PLAN_FIELDS, "{at}"),
                SectionKind::Principles => assert_eq!(s.fields, REFLECTION_FIELDS, "{at}"),
                SectionKind::Ladder => assert_eq!(s.fields, LADDER_FIELDS, "{at}"),
                SectionKind::Checklist => assert_eq!(s.fields, CHECK_FIELDS, "{at}"),
                _ => assert!(s.fields.is_empty(), "{at}"),
            }
            assert!(!s.prompts.is_empty(), "{at} has no prompts");
            assert!(!s.title.trim().is_empty(), "{at} has no title");
        }
    }
}

#[test]
fn coproduction_plan_has_aims_priorities_the_five_stages_and_arc_west_prompts() {
    let t = template("coproduction-plan");
    let kinds: Vec<_> = t.sections.iter().map(|s| s.kind).collect();
    assert!(kinds.contains(&SectionKind::Aims));
    assert!(kinds.contains(&SectionKind::Priorities));

    let stages: Vec<_> = t.sections.iter().filter_map(|s| s.stage).collect();
    assert_eq!(
        stages,
        Stage::ALL,
        "stage plans in Figure 7 order, once each"
    );
    let labels: Vec<_> = Stage::ALL.map(Stage::label).to_vec();
    assert_eq!(
        labels,
        [
            "Determining priorities",
            "Design",
            "Decision-making",
            "Delivery",
            "Evaluation, analysis and sharing"
        ]
    );
    let mut sorted = Stage::ALL;
    sorted.sort();
    assert_eq!(sorted, Stage::ALL, "Ord follows project order");

    let checklists: Vec<_> = t
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Checklist)
        .collect();
    assert_eq!(checklists.len(), 1);
    let names: Vec<_> = checklists[0].checks.iter().map(|c| c.name).collect();
    assert_eq!(names, ["Who?", "How?", "Feasible?", "Prepared?"]);
    for c in checklists[0].checks {
        assert!(!c.questions.is_empty(), "{} has no questions", c.id);
    }
}

#[test]
fn stage_plan_fields_cover_figure_7() {
    let ids: Vec<_> = STAGE_PLAN_FIELDS.iter().map(|f| f.id).collect();
    assert_eq!(
        ids,
        [
            "approach",
            "who-involved",
            "who-decides",
            "how",
            "when",
            "support"
        ]
    );
    assert_eq!(STAGE_PLAN_FIELDS[0].input, FieldInput::Approach);
    assert!(
        STAGE_PLAN_FIELDS[1..]
            .iter()
            .all(|f| f.input == FieldInput::Text)
    );
    let support = STAGE_PLAN_FIELDS
        .iter()
        .find(|f| f.id == "support")
        .unwrap();
    for need in ["payment", "training", "access needs"] {
        assert!(
            support.help.contains(need),
            "support help should mention {need}"
        );
    }
    assert_eq!(Approach::ALL.len(), 3);
    assert!(Approach::Pcie.label().contains("PCIE"));
    for a in Approach::ALL {
        assert_eq!(Approach::parse(a.as_str()), Some(a));
    }
    for st in Stage::ALL {
        assert_eq!(Stage::parse(st.as_str()), Some(st));
    }
    assert_eq!(Stage::parse("nope"), None);
}

#[test]
fn priority_setting_has_question_ideas_voting_and_agreed_priorities() {
    let kinds: Vec<_> = template("priority-setting")
        .sections
        .iter()
        .map(|s| s.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Question,
            SectionKind::Ideas,
            SectionKind::Voting,
            SectionKind::Priorities
        ]
    );
}

#[test]
fn scie_stages_are_the_four_in_order() {
    let ids: Vec<_> = template("scie-stages")
        .sections
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        ids,
        [
            "co-design",
            "co-decision-making",
            "co-delivery",
            "co-evaluation"
        ]
    );
}

#[test]
fn principles_check_covers_involve_and_nesta_with_three_reflection_fields() {
    let t = template("principles-check");
    let names: Vec<_> = t
        .sections
        .iter()
        .flat_map(|s| s.principles)
        .map(|p| p.name)
        .collect();
    let involve = [
        "Sharing power",
        "Including all perspectives and skills",
        "Respecting and valuing the knowledge of all",
        "Reciprocity",
        "Building and maintaining relationships",
    ];
    let nesta = [
        "Recognising people as assets",
        "Building on people's existing capabilities",
        "Mutuality and reciprocity",
        "Peer support networks",
        "Blurring distinctions",
        "Facilitating rather than delivering",
    ];
    for want in involve.iter().chain(&nesta) {
        assert!(names.contains(want), "principles-check is missing {want:?}");
    }
    assert_eq!(names.len(), involve.len() + nesta.len());
    let reflect: Vec<_> = REFLECTION_FIELDS.iter().map(|f| f.id).collect();
    assert_eq!(reflect, ["how-are-we-doing", "evidence", "actions"]);
    for s in t
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Principles)
    {
        assert_eq!(s.fields, REFLECTION_FIELDS);
    }
}

#[test]
fn taking_stock_reviews_relationships_power_reciprocity_and_change() {
    let t = template("taking-stock");
    for id in ["relationships", "power", "reciprocity"] {
        assert_eq!(
            t.section(id).map(|s| s.kind),
            Some(SectionKind::Review),
            "{id}"
        );
    }
    assert_eq!(
        t.section("what-to-change").map(|s| s.kind),
        Some(SectionKind::Decisions)
    );
}

#[test]
fn ladder_runs_from_coercion_to_coproduction_and_asks_for_a_rung_and_reason() {
    let names: Vec<_> = LADDER.iter().map(|r| r.name).collect();
    assert_eq!(
        names,
        [
            "Coercion",
            "Educating",
            "Informing",
            "Consultation",
            "Engagement",
            "Co-design",
            "Co-production"
        ]
    );
    assert!(LADDER.windows(2).all(|w| w[0].group <= w[1].group));
    assert_eq!(LADDER[0].group, RungGroup::DoingTo);
    assert_eq!(LADDER[LADDER.len() - 1].group, RungGroup::DoingWith);

    let t = template("ladder");
    let ladder: Vec<_> = t
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Ladder)
        .collect();
    assert_eq!(ladder.len(), 1);
    assert_eq!(ladder[0].rungs, LADDER);
    let inputs: Vec<_> = ladder[0].fields.iter().map(|f| (f.id, f.input)).collect();
    assert_eq!(
        inputs,
        [("rung", FieldInput::Rung), ("reason", FieldInput::Text)]
    );
}

mod wire;
mod words;
