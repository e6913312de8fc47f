//! CPU time and memory of a process, read from `/proc`.
//!
//! The generator reports the server's usage (given its pid) and its own, so that a
//! saturated generator is never mistaken for a slow server.

use std::time::Instant;

use anyhow::{Context, Result};
use procfs::process::Process;
use serde::{Deserialize, Serialize};

/// CPU time used by a process up to a moment.
#[derive(Debug, Clone, Copy)]
pub struct CpuMark {
    ticks: u64,
    at: Instant,
}

fn process(pid: Option<i32>) -> Result<Process> {
    match pid {
        Some(pid) => Process::new(pid).with_context(|| format!("reading /proc/{pid}")),
        None => Process::myself().context("reading /proc/self"),
    }
}

/// Marks the CPU time used so far by `pid` (`None`: this process).
pub fn cpu_mark(pid: Option<i32>) -> Result<CpuMark> {
    let stat = process(pid)?.stat().context("reading stat")?;
    Ok(CpuMark {
        ticks: stat.utime + stat.stime,
        at: Instant::now(),
    })
}

/// Percent of one core used between two marks (200 means two cores fully busy).
pub fn cpu_percent(from: CpuMark, to: CpuMark) -> f64 {
    let secs = to.at.duration_since(from.at).as_secs_f64();
    if secs <= 0.0 {
        return 0.0;
    }
    let used = to.ticks.saturating_sub(from.ticks) as f64 / procfs::ticks_per_second() as f64;
    (used / secs * 1000.0).round() / 10.0
}

/// Resident memory of `pid`, now and at its peak, in KiB.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Memory {
    pub rss_kib: u64,
    pub peak_kib: u64,
}

pub fn memory(pid: Option<i32>) -> Result<Memory> {
    let status = process(pid)?.status().context("reading status")?;
    Ok(Memory {
        rss_kib: status.vmrss.unwrap_or(0),
        peak_kib: status.vmhwm.unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_loop_shows_up_as_cpu_time() {
        let from = cpu_mark(None).expect("mark");
        let spin = Instant::now();
        let mut x = 0u64;
        while spin.elapsed().as_millis() < 300 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        let pct = cpu_percent(from, cpu_mark(None).expect("mark"));
        // Ticks are 10 ms wide and the machine may be busy, so only a loose lower bound.
        assert!(pct > 30.0, "spinning for 300 ms used {pct}% of a core");
    }

    #[test]
    fn memory_of_this_process_is_nonzero_and_peak_is_at_least_current() {
        let m = memory(None).expect("memory");
        assert!(m.rss_kib > 0);
        assert!(m.peak_kib >= m.rss_kib);
        assert!(memory(Some(i32::MAX)).is_err(), "no such process");
    }
}
