//! The saturation search: the highest rate each server sustains with p99 under 100 ms.

use anyhow::Result;

use super::{Options, Paths, Saturation, Shape, point, start};
use crate::scenario::Report;
use crate::target::Kind;

/// Saturation is searched on one live session of 50 people, the shape of the p99 target.
const SHAPE: (usize, usize) = (50, 1);
/// p99 fan-out latency under which a rate counts as sustained.
const P99_MS: f64 = 100.0;
/// Highest rate per client tried (the suite raises Coboard's per-connection pacing).
const MAX_RATE: f64 = 400.0;
/// Steps tried between the last sustained rate and the first that failed.
const REFINE_STEPS: usize = 2;

/// Why a step does not count as sustained, or `None` if it does.
fn failure(r: &Report) -> Option<String> {
    let rate = r.rate;
    if r.errors > 0 {
        let first = r.error_samples.first().map_or("", String::as_str);
        return Some(format!(
            "at {rate}/s {} of {} clients failed (first: {first})",
            r.errors, r.clients
        ));
    }
    if r.delivered != r.expected || r.unmatched > 0 {
        return Some(format!(
            "at {rate}/s {} of {} copies arrived in time ({} too late to match)",
            r.delivered, r.expected, r.unmatched
        ));
    }
    if (r.sent as f64) < r.planned as f64 * 0.98 {
        return Some(format!(
            "at {rate}/s the generator sent only {} of {} planned updates (generator CPU {:.0}%)",
            r.sent, r.planned, r.generator_cpu_percent
        ));
    }
    if r.latency.p99_ms >= P99_MS {
        return Some(format!("at {rate}/s p99 was {} ms", r.latency.p99_ms));
    }
    None
}

/// Raises the rate per client by half each step until a step fails, then tries
/// [`REFINE_STEPS`] rates between the last good one and the failure. Every step gets a fresh
/// server, so one step's boards (unloading and compacting later) never load the next.
pub(super) async fn search(paths: &Paths, kind: Kind, opts: &Options) -> Result<Saturation> {
    let (clients, boards) = SHAPE;
    let mut steps: Vec<Report> = vec![];
    let mut best: Option<Report> = None;
    let mut rate = 2.0_f64;
    let mut failed: Option<(f64, String)> = None;
    let mut refined = 0;
    let stopped = loop {
        let server = start(paths, kind).await?;
        let r = point(
            paths,
            &server,
            &Shape::new(clients, boards, rate, opts.step_seconds),
        )
        .await?;
        server.stop().await?;
        steps.push(r.clone());
        match failure(&r) {
            None => best = Some(r),
            Some(why) => match &failed {
                Some((at, _)) if rate > *at => {}
                _ => failed = Some((rate, why)),
            },
        }
        let good = best.as_ref().map_or(0.0, |b| b.rate);
        match &failed {
            None if rate >= MAX_RATE => {
                break format!(
                    "reached {MAX_RATE} updates/s per client with p99 under {P99_MS} ms"
                );
            }
            None => rate = (rate * 1.5).round().min(MAX_RATE),
            Some((bad, why)) => {
                let mid = ((good + bad) / 2.0).round();
                if refined == REFINE_STEPS || mid <= good || mid >= *bad {
                    break why.clone();
                }
                refined += 1;
                rate = mid;
            }
        }
    };
    Ok(Saturation {
        server: kind,
        steps,
        best,
        stopped,
    })
}
