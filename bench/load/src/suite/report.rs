//! The suite's results as Markdown tables, ready for `docs/performance.md`.

use std::fmt::Write;

use super::{Pair, Results, Saturation};
use crate::scenario::Report;

/// One line per generator run, for the console.
pub fn one_line(r: &Report) -> String {
    format!(
        "{}: p50 {} ms, p99 {} ms, max {} ms, {}/s delivered ({} of {}), {} errors, server CPU {}%, generator CPU {}%",
        r.server.name(),
        r.latency.p50_ms,
        r.latency.p99_ms,
        r.latency.max_ms,
        r.deliveries_per_sec,
        r.delivered,
        r.expected,
        r.errors,
        r.server_cpu_percent.unwrap_or(f64::NAN),
        r.generator_cpu_percent
    )
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("–".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.1}×", a / b)
    } else {
        "–".into()
    }
}

fn load(r: &Report) -> String {
    format!("{} clients, {} boards, {}/s", r.clients, r.boards, r.rate)
}

fn row(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {}/{} | {} | {} | {} | {:.0} | {} |",
        load(r),
        r.server.name(),
        r.latency.p50_ms,
        r.latency.p95_ms,
        r.latency.p99_ms,
        r.latency.max_ms,
        r.deliveries_per_sec,
        r.delivered,
        r.expected,
        r.connect.p50_ms,
        r.server_cpu_percent
            .map_or("–".into(), |c| format!("{c:.0}")),
        mib(r.server_memory.map(|m| m.rss_kib)),
        r.generator_cpu_percent,
        r.errors,
    );
}

fn points(out: &mut String, pairs: &[Pair]) {
    out.push_str("### Fan-out at the issue's load points\n\n");
    out.push_str("| load | server | p50 ms | p95 ms | p99 ms | max ms | deliveries/s | delivered/expected | connect+sync p50 ms | server CPU % | server RSS MiB | generator CPU % | errors |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for p in pairs {
        row(out, &p.coboard);
        row(out, &p.reference);
    }
    out.push_str("\n| load | p99: reference ÷ Coboard | p50: reference ÷ Coboard | server CPU: reference ÷ Coboard |\n|---|---|---|---|\n");
    for p in pairs {
        let (c, r) = (&p.coboard, &p.reference);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            load(c),
            ratio(r.latency.p99_ms, c.latency.p99_ms),
            ratio(r.latency.p50_ms, c.latency.p50_ms),
            ratio(
                r.server_cpu_percent.unwrap_or(0.0),
                c.server_cpu_percent.unwrap_or(0.0)
            ),
        );
    }
    out.push('\n');
}

fn saturation(out: &mut String, s: &[Saturation]) {
    out.push_str("### Saturation: 50 clients on one board, rate raised until p99 ≥ 100 ms\n\n");
    out.push_str("| server | highest sustained rate per client | deliveries/s | p99 ms | server CPU % | generator CPU % | stopped because |\n|---|---|---|---|---|---|---|\n");
    for x in s {
        match &x.best {
            Some(b) => {
                let _ = writeln!(
                    out,
                    "| {} | {}/s | {} | {} | {} | {:.0} | {} |",
                    x.server.name(),
                    b.rate,
                    b.deliveries_per_sec,
                    b.latency.p99_ms,
                    b.server_cpu_percent
                        .map_or("–".into(), |c| format!("{c:.0}")),
                    b.generator_cpu_percent,
                    x.stopped
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "| {} | none | – | – | – | – | {} |",
                    x.server.name(),
                    x.stopped
                );
            }
        }
    }
    let best = |name: &str| {
        s.iter()
            .find(|x| x.server.name() == name)
            .and_then(|x| x.best.as_ref())
            .map_or(0.0, |b| b.deliveries_per_sec)
    };
    let _ = writeln!(
        out,
        "\nSustained deliveries/s, Coboard ÷ reference: {}\n",
        ratio(best("coboard"), best("reference"))
    );
    out.push_str("Every step:\n\n| server | rate per client | p50 ms | p99 ms | deliveries/s | delivered/expected | server CPU % | generator CPU % |\n|---|---|---|---|---|---|---|---|\n");
    for x in s {
        for r in &x.steps {
            let _ = writeln!(
                out,
                "| {} | {}/s | {} | {} | {} | {}/{} | {} | {:.0} |",
                r.server.name(),
                r.rate,
                r.latency.p50_ms,
                r.latency.p99_ms,
                r.deliveries_per_sec,
                r.delivered,
                r.expected,
                r.server_cpu_percent
                    .map_or("–".into(), |c| format!("{c:.0}")),
                r.generator_cpu_percent
            );
        }
    }
    out.push('\n');
}

fn idle(out: &mut String, title: &str, per: &str, rows: &[Report]) {
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(
        out,
        "| server | connections | boards | connected | RSS before MiB | RSS after MiB | KiB per {per} | errors |\n|---|---|---|---|---|---|---|---|"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.server.name(),
            r.clients,
            r.boards,
            r.connected,
            mib(r.server_memory_before.map(|m| m.rss_kib)),
            mib(r.server_memory.map(|m| m.rss_kib)),
            r.rss_per_connection_kib()
                .map_or("–".into(), |k| format!("{k:.1}")),
            r.errors
        );
    }
    out.push('\n');
}

/// All results as Markdown.
pub fn markdown(r: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Machine: {}\n", r.machine);
    points(&mut out, &r.points);
    if let Some(t) = &r.tmpfs {
        out.push_str("### The durable append\n\n");
        out.push_str("| Coboard at 50 clients, 1 board, 2/s | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n");
        if let Some(disk) = r.points.iter().find(|p| p.coboard.clients == 50) {
            let l = &disk.coboard.latency;
            let _ = writeln!(
                out,
                "| data on disk (fsync per batch) | {} | {} | {} |",
                l.p50_ms, l.p99_ms, l.max_ms
            );
            let total = disk.append_buckets.last().map_or(0, |b| b.1);
            let buckets: Vec<String> = disk
                .append_buckets
                .iter()
                .filter(|(le, _)| ["0.0005", "0.001", "0.0025", "0.005"].contains(&le.as_str()))
                .map(|(le, n)| {
                    format!(
                        "≤ {} ms: {n} of {total}",
                        le.parse::<f64>().unwrap_or(0.0) * 1000.0
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "| data on tmpfs (fsync free) | {} | {} | {} |",
                t.latency.p50_ms, t.latency.p99_ms, t.latency.max_ms
            );
            let _ = writeln!(
                out,
                "\nAppend times on disk (server histogram): {}\n",
                buckets.join("; ")
            );
        }
    }
    saturation(&mut out, &r.saturation);
    idle(&mut out, "Idle connections", "connection", &r.idle);
    idle(
        &mut out,
        "Loaded idle boards (one connection each)",
        "board and its connection",
        &r.idle_boards,
    );
    if !r.sync.is_empty() {
        out.push_str("### A newcomer syncs a large board (Coboard alone)\n\n| items | state KiB | yrs full encode p50 ms | cold newcomer ms (load + encode + send) | warm newcomer p50 / p95 ms | browser first render ms |\n|---|---|---|---|---|---|\n");
        for s in &r.sync {
            let browser = match (s.browser_ms, &s.browser_note) {
                (Some(ms), _) => ms.to_string(),
                (None, Some(n)) => format!("– ({n})"),
                (None, None) => "–".into(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} / {} | {} |",
                s.sync.items,
                s.sync.state_bytes / 1024,
                s.sync.encode.p50_ms,
                s.sync.cold_ms,
                s.sync.warm.p50_ms,
                s.sync.warm.p95_ms,
                browser
            );
        }
    }
    out
}
