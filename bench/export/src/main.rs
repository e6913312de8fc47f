//! Times exporting a large board in every format, in this process (no server, no
//! network): reading the board into the export model, then rendering each format.
//!
//!     cargo run --release -p coboard-export-bench -- [items] [runs]
//!
//! `items` extra priorities are added to the fixed test board (default 1,000); each
//! format is rendered `runs` times (default 5) and the median and slowest are printed.
//! The PDF's slowest run is the first: it also loads the embedded fonts, once per process.
//! Typst's memoisation cache is cleared before every run, so no run reuses an earlier
//! layout.

use std::time::{Duration, Instant};

use coboard_fixture as fixture;
use coboard_server::export::{Format, render};
use coboard_shared::export::{Plan, Scope, Source};
use coboard_shared::schema::Board;
use yrs::Transact;

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let items: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let doc = fixture::board(items);
    let board = Board::new(&doc);
    let mut model = Vec::new();
    let mut plan = None;
    for _ in 0..runs {
        let t = Instant::now();
        let txn = doc.transact();
        let p = Plan::build(
            &board,
            &txn,
            Scope::All,
            Source {
                board_id: "bench".into(),
                snapshot: "live".into(),
                taken_at: fixture::NOW,
            },
        );
        model.push(t.elapsed());
        plan = Some(p);
    }
    let plan = plan.expect("at least one run");
    let count: usize = plan.sections.iter().map(|s| s.items.len()).sum();
    println!("board: {count} items exported (scope=all), {runs} runs each");
    println!(
        "{:<8} {:>12} {:>12} {:>12}",
        "step", "median", "slowest", "bytes"
    );
    println!(
        "{:<8} {:>12} {:>12} {:>12}",
        "model",
        ms(median(model.clone())),
        ms(*model.iter().max().unwrap()),
        "-"
    );
    for format in Format::ALL {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            // Typst memoises layout across compilations in one process; clear it so
            // every run pays the full cost, as an export of a changed board would.
            typst::comemo::evict(0);
            let t = Instant::now();
            size = render(&plan, format).expect("render").len();
            times.push(t.elapsed());
        }
        println!(
            "{:<8} {:>12} {:>12} {:>12}",
            format.as_str(),
            ms(median(times.clone())),
            ms(*times.iter().max().unwrap()),
            size
        );
    }
}
