//! Where new items go, and how far frames stretch: plain geometry, kept apart from the
//! components so the rules are in one place and easy to test.
//!
//! A new item goes in the first free cell of a grid, left to right and top to bottom, so
//! items added by several people at once do not pile up on one spot. Inside a frame the
//! grid starts below the frame's heading and keeps going down past the frame's bottom
//! when the frame is full; the frame then grows to hold it.

use coboard_shared::schema::{FRAME_HEAD, NOTE_H, NOTE_W, SectionView};

use crate::sync::Place;

/// Gap between items placed by the grid, and padding inside frames.
pub const GAP: f64 = 20.0;
/// Items per row for notes placed outside any frame.
const COLUMNS: usize = 5;

/// A grid to search: top-left corner and number of columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub x: f64,
    pub y: f64,
    pub columns: usize,
}

/// The first cell of `grid` that no item overlaps.
pub fn free_spot(items: &[Place], grid: Grid) -> (f64, f64) {
    let overlaps = |x: f64, y: f64| items.iter().any(|i| i.overlaps(x, y, NOTE_W, NOTE_H));
    let columns = grid.columns.max(1);
    (0..100_000)
        .map(|n| {
            let (col, row) = ((n % columns) as f64, (n / columns) as f64);
            (grid.x + col * (NOTE_W + GAP), grid.y + row * (NOTE_H + GAP))
        })
        .find(|&(x, y)| !overlaps(x, y))
        .unwrap_or((grid.x, grid.y))
}

/// The grid inside a frame: below its heading, as many columns as fit its width.
pub fn frame_grid(s: &SectionView) -> Grid {
    Grid {
        x: s.x + GAP,
        y: s.y + FRAME_HEAD,
        columns: (((s.w - GAP) / (NOTE_W + GAP)).floor() as usize).max(1),
    }
}

/// The grid for notes outside any frame: below every frame, or at the top left of a
/// board without frames.
pub fn loose_grid(sections: &[SectionView], items: &[Place]) -> Grid {
    let below = sections
        .iter()
        .map(|s| frame_height(s, items) + s.y)
        .fold(None, |acc: Option<f64>, b| {
            Some(acc.map_or(b, |a| a.max(b)))
        });
    Grid {
        x: GAP,
        y: below.map_or(GAP, |b| b + 3.0 * GAP),
        columns: COLUMNS,
    }
}

/// How tall a frame is drawn: its stored height, or taller if its items reach further.
pub fn frame_height(s: &SectionView, items: &[Place]) -> f64 {
    items
        .iter()
        .filter(|i| i.section == s.id)
        .map(|i| i.y + i.h + GAP - s.y)
        .fold(s.h, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(x: f64, y: f64, section: &str) -> Place {
        Place {
            id: format!("{x},{y}"),
            section: section.into(),
            x,
            y,
            w: NOTE_W,
            h: NOTE_H,
            created_at: 0.0,
        }
    }

    fn frame() -> SectionView {
        SectionView {
            id: "aims".into(),
            title: "Aims".into(),
            kind: "aims".into(),
            order: 0,
            x: 100.0,
            y: 0.0,
            w: 720.0,
            h: 300.0,
            stage: None,
        }
    }

    #[test]
    fn a_full_frame_places_below_and_grows() {
        let g = frame_grid(&frame());
        assert_eq!(g.columns, 3);
        let mut items = Vec::new();
        for _ in 0..3 {
            let (x, y) = free_spot(&items, g);
            items.push(item(x, y, "aims"));
        }
        assert_eq!(free_spot(&items, g), (120.0, FRAME_HEAD + NOTE_H + GAP));
        items.push(item(120.0, FRAME_HEAD + NOTE_H + GAP, "aims"));
        assert!(frame_height(&frame(), &items) > 300.0);
    }

    #[test]
    fn loose_notes_go_below_the_frames() {
        let g = loose_grid(&[frame()], &[]);
        assert_eq!((g.x, g.y), (GAP, 300.0 + 3.0 * GAP));
        assert_eq!(loose_grid(&[], &[]).y, GAP);
    }
}
