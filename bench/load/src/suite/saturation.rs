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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Summary;

    fn step(rate: f64) -> Report {
        Report {
            server: Kind::Coboard,
            clients: 50,
            boards: 1,
            rate,
            seconds: 5.0,
            connected: 50,
            connect: Summary::default(),
            sync_bytes: 0,
            planned: 1000,
            sent: 1000,
            expected: 49_000,
            delivered: 49_000,
            unmatched: 0,
            deliveries_per_sec: 9800.0,
            latency: Summary {
                count: 49_000,
                p50_ms: 1.0,
                p95_ms: 2.0,
                p99_ms: 3.0,
                max_ms: 5.0,
            },
            errors: 0,
            error_samples: vec![],
            server_cpu_percent: Some(10.0),
            server_memory_before: None,
            server_memory: None,
            generator_cpu_percent: 5.0,
        }
    }

    #[test]
    fn a_clean_fast_step_is_sustained() {
        assert_eq!(failure(&step(2.0)), None);
    }

    #[test]
    fn closed_clients_are_named_before_the_shortfall_they_cause() {
        // Clients closed by the server also send less than planned; the closes are the cause.
        let mut r = step(315.0);
        r.errors = 50;
        r.error_samples = vec!["client 3: server closed: 4008".into()];
        r.sent = 100;
        r.delivered = 10;
        let why = failure(&r).expect("fails");
        assert!(
            why.contains("50 of 50 clients failed") && why.contains("4008"),
            "{why}"
        );
    }

    #[test]
    fn late_copies_and_a_slow_tail_each_fail_a_step() {
        let mut late = step(40.0);
        late.unmatched = 1;
        assert!(failure(&late).expect("fails").contains("too late"));
        let mut slow = step(40.0);
        slow.latency.p99_ms = 100.0;
        assert!(failure(&slow).expect("fails").contains("p99 was 100 ms"));
        let mut behind = step(40.0);
        behind.sent = 900;
        assert!(
            failure(&behind)
                .expect("fails")
                .contains("generator sent only")
        );
    }
}
