//! Whole processes, timed and weighed: wall time from spawn to exit, peak RSS from the kernel's
//! own accounting of the child (`wait4`'s `ru_maxrss`), so nothing is sampled or guessed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One finished process (or a sequence of them counted as one job).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    pub wall: Duration,
    /// CPU time, user and system, of all the job's threads (zero where not known): on a shared
    /// machine the wall time is partly waiting for a core, the CPU time is not.
    pub cpu: Duration,
    /// Peak resident set, bytes: the largest of the job's processes.
    pub rss: u64,
}

/// Runs `cmd` to the end, with its output discarded; fails with its stderr when it fails.
#[cfg(unix)]
pub fn run(cmd: &mut Command) -> Result<Sample, String> {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    // Read stderr on a thread so a chatty child cannot block on a full pipe.
    let mut stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut status = 0;
    // SAFETY: plain FFI call on a child of ours that nobody else waits for; `usage` is written
    // by the kernel before wait4 returns.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    let err = reader.join().unwrap_or_default();
    if r != pid {
        return Err(format!(
            "wait4 failed for {cmd:?}: {}",
            std::io::Error::last_os_error()
        ));
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("{cmd:?} failed ({status}):\n{err}"));
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    // ru_maxrss is in KiB on Linux.
    Ok(Sample {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        rss: usage.ru_maxrss as u64 * 1024,
    })
}

/// Elsewhere (Windows) there is no `wait4`: the wall time only, CPU time and peak RSS as 0.
#[cfg(not(unix))]
pub fn run(cmd: &mut Command) -> Result<Sample, String> {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("wait failed for {cmd:?}: {e}"))?;
    let wall = start.elapsed();
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(Sample {
        wall,
        cpu: Duration::ZERO,
        rss: 0,
    })
}

/// Several processes one after another, as one job: wall times add up, peak RSS is the largest.
pub fn run_all(cmds: &mut [Command]) -> Result<Sample, String> {
    let mut total = Sample::default();
    for cmd in cmds {
        let s = run(cmd)?;
        total.wall += s.wall;
        total.cpu += s.cpu;
        total.rss = total.rss.max(s.rss);
    }
    Ok(total)
}

/// The median of the samples' wall times, CPU times and peak RSS, taken separately.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub wall: Duration,
    pub cpu: Duration,
    pub rss: u64,
    pub min: Duration,
    pub max: Duration,
}

pub fn summarize(samples: &[Sample]) -> Summary {
    let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
    let mut cpus: Vec<Duration> = samples.iter().map(|s| s.cpu).collect();
    let mut rss: Vec<u64> = samples.iter().map(|s| s.rss).collect();
    walls.sort();
    cpus.sort();
    rss.sort();
    Summary {
        wall: median(&walls),
        cpu: median(&cpus),
        rss: rss[rss.len() / 2],
        min: walls[0],
        max: walls[walls.len() - 1],
    }
}

pub fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

/// Runs two jobs alternately, `runs` times each after one warm-up of each, swapping which goes
/// first every round, so that a noisy neighbour or a warming cache treats both alike.
pub fn pair(
    runs: usize,
    mut a: impl FnMut() -> Result<Sample, String>,
    mut b: impl FnMut() -> Result<Sample, String>,
    progress: &dyn Fn(usize),
) -> Result<(Summary, Summary), String> {
    a()?;
    b()?;
    let (mut sa, mut sb) = (Vec::new(), Vec::new());
    for round in 0..runs {
        progress(round + 1);
        if round % 2 == 0 {
            sa.push(a()?);
            sb.push(b()?);
        } else {
            sb.push(b()?);
            sa.push(a()?);
        }
    }
    Ok((summarize(&sa), summarize(&sb)))
}

/// The first line a program prints for `--version` (or `--help` when it has no such flag).
pub fn version(program: &Path, flag: &str) -> Option<String> {
    let out = Command::new(program).arg(flag).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
