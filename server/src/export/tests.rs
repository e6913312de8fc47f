//! Golden files for the text formats, and the hostile-text checks. Regenerate the golden
//! files with `COBOARD_BLESS=1 cargo test -p coboard-server export` and review the diff.

use std::path::PathBuf;

use coboard_shared::export::Scope;

use coboard_fixture as fixture;

use super::{Format, render};

fn golden(name: &str, got: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("COBOARD_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        want == got,
        "{} differs from the export; if the change is intended, rerun with COBOARD_BLESS=1\n--- got ---\n{}",
        path.display(),
        String::from_utf8_lossy(got)
    );
}

#[test]
fn text_formats_match_their_golden_files() {
    for scope in [Scope::Agreed, Scope::All] {
        let plan = fixture::plan(scope);
        let tag = if scope == Scope::Agreed {
            "agreed"
        } else {
            "all"
        };
        for format in [Format::Md, Format::Json, Format::Csv, Format::Html] {
            let out = render(&plan, format).unwrap();
            golden(&format!("plan-{tag}.{}", format.as_str()), &out);
        }
    }
}

#[test]
fn agreed_scope_leaves_out_what_was_not_agreed() {
    let agreed =
        String::from_utf8(render(&fixture::plan(Scope::Agreed), Format::Md).unwrap()).unwrap();
    let all = String::from_utf8(render(&fixture::plan(Scope::All), Format::Md).unwrap()).unwrap();
    assert!(agreed.contains("Make it easier for carers"));
    assert!(!agreed.contains("Draft aim nobody agreed"));
    assert!(all.contains("Draft aim nobody agreed") && all.contains("(Draft)"));
    assert!(
        !agreed.contains("Evening appointments"),
        "a proposed priority is not agreed"
    );
}

#[test]
fn hostile_text_is_inert_in_html() {
    let html =
        String::from_utf8(render(&fixture::plan(Scope::All), Format::Html).unwrap()).unwrap();
    assert!(!html.contains("<script>alert"), "script tag survived");
    assert!(!html.contains("<img src=x"), "img tag survived");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(html.contains("שלום") && html.contains("مرحبا") && html.contains("🎉"));
    // Long words wrap instead of widening the page.
    assert!(html.contains("overflow-wrap: anywhere"));
    assert!(
        !html.contains("<script"),
        "the export carries no scripts at all"
    );
}

#[test]
fn csv_cells_never_become_formulas() {
    let plan = {
        let mut p = fixture::plan(Scope::All);
        p.priorities[0].text = "=HYPERLINK(\"http://x\")".into();
        p
    };
    let csv = String::from_utf8(render(&plan, Format::Csv).unwrap()).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
}

#[test]
fn markdown_escapes_syntax_in_user_text() {
    let md = String::from_utf8(render(&fixture::plan(Scope::All), Format::Md).unwrap()).unwrap();
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(
        !md.replace("\\<", "").contains('<'),
        "an unescaped '<' reached the Markdown"
    );
}

#[test]
fn file_names_are_safe() {
    let mut plan = fixture::plan(Scope::Agreed);
    assert_eq!(
        super::file_name(&plan, Format::Pdf),
        "getting-to-appointments.pdf"
    );
    plan.title = "../../etc/passwd \"quoted\" שלום".into();
    assert_eq!(
        super::file_name(&plan, Format::Csv),
        "etc-passwd-quoted.csv"
    );
    plan.title = "שלום".into();
    assert_eq!(super::file_name(&plan, Format::Md), "coboard-plan.md");
}

/// The PDF's text is read back in `tests/e2e/tests/export.rs` (with `pdftotext`); here,
/// only that the fixed board typesets at all.
#[test]
fn pdf_renders() {
    let pdf = render(&fixture::plan(Scope::Agreed), Format::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}
