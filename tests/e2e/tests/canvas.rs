//! The canvas at scale, in headless Chromium: see `tests/js/canvas.mjs`.

use coboard_e2e::{browser_script, root};

/// On a board of 600 notes only the cards near the view are on the page, yet a card
/// scrolled into view can be edited, a card being typed in stays while its typist scrolls
/// away, and the list view has every item.
#[tokio::test]
async fn a_big_board_keeps_only_the_cards_in_view_on_the_page() -> anyhow::Result<()> {
    let (report, out) =
        browser_script("canvas.mjs", "canvas", std::time::Duration::from_secs(200)).await?;
    println!("{report}");
    let items = report["items"].as_u64().expect("items");
    let on_page = report["cardsOnPage"].as_u64().expect("cards on the page");
    assert!(items >= 600, "{report}");
    assert!(on_page < items / 4, "{report}");
    assert_eq!(report["listed"].as_u64(), Some(items), "{report}");
    assert_eq!(
        report["audit"]["bad"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    for shot in ["whole-board.png", "cursors.png"] {
        std::fs::copy(out.join(shot), root().join("docs/screenshots").join(shot))?;
    }
    Ok(())
}
