//! The pure parts of access needs: codes, consent, the review date, `<html>` classes.

use super::*;

#[test]
fn codes_round_trip_and_unknown_ones_are_dropped() {
    for n in Need::ALL {
        assert_eq!(Need::parse(n.code()), Some(n));
        assert_eq!(n.class(), format!("needs-{}", n.code().replace('_', "-")));
    }
    let json = r#"{"needs":["more_time","sign_language_v2","large_text","more_time"],
        "declared_at":1700000000000,"share_with_facilitators":true}"#;
    let d: Declared = serde_json::from_str(json).unwrap();
    assert_eq!(d.needs, vec![Need::LargeText, Need::MoreTime]);
    let again: Declared = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(again, d);
    assert!(
        serde_json::to_string(&d)
            .unwrap()
            .contains(r#""needs":["large_text","more_time"]"#)
    );
}

#[test]
fn needs_are_shared_only_with_consent() {
    let mut d = Declared {
        needs: vec![Need::CaptionsBsl],
        declared_at: 1,
        share_with_facilitators: false,
    };
    assert!(d.shared_codes().is_empty());
    d.share_with_facilitators = true;
    assert_eq!(d.shared_codes(), vec!["captions_bsl".to_owned()]);
}

#[test]
fn review_is_due_after_about_three_months() {
    let day = 24 * 60 * 60 * 1000;
    let d = Declared {
        needs: vec![Need::LargeText],
        declared_at: 1_000 * day,
        share_with_facilitators: false,
    };
    assert!(!d.due_for_review(1_089 * day));
    assert!(d.due_for_review(1_100 * day));
    let none = Declared::default();
    assert!(!none.due_for_review(1_100 * day));
}

#[test]
fn html_classes_keep_others_and_replace_ours() {
    let d = Declared {
        needs: vec![Need::HighContrast, Need::LargeText],
        ..Declared::default()
    };
    assert_eq!(
        class_attr("js needs-easy-read", &d),
        "js needs-large-text needs-high-contrast"
    );
    assert_eq!(class_attr("needs-large-text", &Declared::default()), "");
}
