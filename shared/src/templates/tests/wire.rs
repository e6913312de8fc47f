//! What the JSON looks like to the UI, the exports and JavaScript clients.

use super::super::*;
use super::template;

#[test]
fn serialises_as_the_ui_and_exports_expect() {
    let json = serde_json::to_value(template("coproduction-plan")).unwrap();
    assert_eq!(json["id"], "coproduction-plan");
    let sections = json["sections"].as_array().unwrap();
    let stage = sections.iter().find(|s| s["id"] == "stage-design").unwrap();
    assert_eq!(stage["kind"], "stageplan");
    assert_eq!(stage["stage"], "design");
    assert_eq!(stage["fields"][0]["input"], "approach");
    assert!(stage.get("checks").is_none(), "empty lists are left out");
    let aims = sections.iter().find(|s| s["id"] == "aims").unwrap();
    assert_eq!(aims["kind"], "aims");
    assert!(aims.get("stage").is_none());
    assert!(aims.get("fields").is_none());

    for kind in SectionKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
    for st in Stage::ALL {
        assert_eq!(serde_json::to_value(st).unwrap(), st.as_str());
    }
    for a in Approach::ALL {
        assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
    }
    assert_eq!(
        serde_json::to_value(RungGroup::DoingWith).unwrap(),
        "doing-with"
    );

    let all_json = serde_json::to_string(all()).unwrap();
    assert!(all_json.contains("\"id\":\"blank\""));
}
