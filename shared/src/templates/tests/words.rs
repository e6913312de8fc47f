//! The plain-language checks and the glossary.

use std::collections::HashSet;

use super::super::*;

/// Every piece of text a person reads, with where it is, and whether it is a prompt.
fn all_text() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let fields = |out: &mut Vec<_>, list: &'static [Field], at: &str| {
        for f in list {
            out.push((format!("{at} field {}", f.id), f.label));
            out.push((format!("{at} field {}", f.id), f.help));
        }
    };
    for t in all() {
        out.push((format!("{} name", t.id), t.name));
        out.push((format!("{} purpose", t.id), t.purpose));
        for s in t.sections {
            let at = format!("{}/{}", t.id, s.id);
            out.push((format!("{at} title"), s.title));
            out.push((format!("{at} help"), s.help));
            for p in s.prompts {
                out.push((format!("{at} prompt"), *p));
            }
            fields(&mut out, s.fields, &at);
            for c in s.checks {
                out.push((format!("{at} check {}", c.id), c.explanation));
                for q in c.questions {
                    out.push((format!("{at} check {}", c.id), *q));
                }
            }
            for p in s.principles {
                out.push((format!("{at} principle {}", p.id), p.explanation));
            }
            for r in s.rungs {
                out.push((format!("{at} rung {}", r.id), r.description));
            }
        }
    }
    fields(&mut out, STAGE_PLAN_FIELDS, "stage plan");
    for st in Stage::ALL {
        out.push((format!("stage {}", st.as_str()), st.description()));
    }
    for a in Approach::ALL {
        out.push((format!("approach {}", a.as_str()), a.label()));
    }
    for term in GLOSSARY {
        out.push((format!("glossary {}", term.term), term.meaning));
    }
    out
}

/// Splits text into sentences at `.`, `?` and `!` followed by a space or the end.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1).is_none_or(|n| *n == b' ') {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

#[test]
fn glossary_covers_the_key_terms() {
    let terms: Vec<_> = GLOSSARY.iter().map(|t| t.term.to_lowercase()).collect();
    for want in [
        "public",
        "involvement",
        "engagement",
        "participation",
        "ppi",
        "pcie",
        "co-production",
        "co-design",
    ] {
        assert!(terms.iter().any(|t| t == want), "glossary lacks {want}");
    }
    let mut sorted = terms.clone();
    sorted.sort();
    assert_eq!(terms, sorted, "glossary is in alphabetical order");
    assert_eq!(
        terms.iter().collect::<HashSet<_>>().len(),
        terms.len(),
        "no term twice"
    );
}

#[test]
fn the_words_are_plain() {
    const MAX_WORDS: usize = 25;
    // Jargon and abbreviations a newcomer may not know.
    const AVOID: [&str; 12] = [
        "e.g.",
        "i.e.",
        "etc.",
        "utilise",
        "operationalise",
        "stakeholder",
        "dissemination",
        "methodology",
        "iterative",
        "paradigm",
        "leverage",
        "embed",
    ];
    for (at, text) in all_text() {
        assert!(!text.trim().is_empty(), "{at}: empty text");
        assert_eq!(text, text.trim(), "{at}: stray spaces");
        let lower = text.to_lowercase();
        for word in AVOID {
            assert!(!lower.contains(word), "{at}: avoid {word:?} in {text:?}");
        }
        for s in sentences(text) {
            let words = s.split_whitespace().count();
            assert!(
                words <= MAX_WORDS,
                "{at}: sentence of {words} words (max {MAX_WORDS}): {s:?}"
            );
            // PCIE is explained wherever it is used.
            if s.contains("PCIE") {
                assert!(lower.contains("involvement"), "{at}: explain PCIE: {s:?}");
            }
        }
    }
}

#[test]
fn help_is_one_to_three_sentences_and_prompts_are_questions() {
    for t in all() {
        for s in t.sections {
            let n = sentences(s.help).len();
            assert!(
                (1..=3).contains(&n),
                "{}/{}: help has {n} sentences",
                t.id,
                s.id
            );
            assert!(
                s.help.ends_with('.'),
                "{}/{}: help ends with a full stop",
                t.id,
                s.id
            );
            for p in s.prompts {
                assert!(
                    p.ends_with('?'),
                    "{}/{}: prompt {p:?} is not a question",
                    t.id,
                    s.id
                );
            }
        }
    }
    for f in STAGE_PLAN_FIELDS.iter().chain(REFLECTION_FIELDS) {
        assert!((1..=3).contains(&sentences(f.help).len()), "field {}", f.id);
    }
}

#[test]
fn sentence_splitter_counts_sentences() {
    assert_eq!(sentences("One. Two? Three!"), ["One.", "Two?", "Three!"]);
    assert_eq!(sentences("No stop at the end"), ["No stop at the end"]);
    assert_eq!(sentences("Pay 1.50 each."), ["Pay 1.50 each."]);
}
