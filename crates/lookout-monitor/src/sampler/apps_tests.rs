//! Unit tests of app watches on made-up process tables: matching, children and restarts.

use super::*;
use lookout_core::config::AppMatch;

/// PIDs far above any real one, so the /proc reads of a test find nothing.
const BASE: u32 = 4_000_000_000;

fn proc(pid: u32, parent: u32, name: &str, cmdline: &str) -> ProcInfo {
    ProcInfo {
        pid: BASE + pid,
        parent: Some(BASE + parent),
        name: name.into(),
        exe: Some(format!("/usr/bin/{name}")),
        cmdline: cmdline.into(),
        uid: Some(1000),
        cpu_pct: 50.0,
        rss_bytes: 1000,
        run_time_s: u64::from(pid) * 10,
        cpu_ms: u64::from(pid) * 1000,
    }
}

fn app(name: &str, matcher: AppMatch, include_children: bool) -> AppConfig {
    AppConfig {
        name: name.into(),
        matcher,
        include_children,
    }
}

fn by_process(name: &str) -> AppMatch {
    AppMatch {
        process: Some(name.into()),
        ..AppMatch::default()
    }
}

fn value(figures: &[(MetricKey, f64)], key: &str) -> Option<f64> {
    figures
        .iter()
        .find(|(k, _)| k.as_str() == key)
        .map(|(_, v)| *v)
}

fn table() -> Vec<ProcInfo> {
    vec![
        proc(1, 0, "systemd", "/sbin/init"),
        proc(2, 1, "postgres", "postgres -D /var/lib/postgres"),
        proc(3, 2, "postgres", "postgres: checkpointer"),
        proc(4, 3, "worker", "worker --for postgres"),
        proc(5, 1, "python3", "python3 /opt/my-app/serve.py --port 80"),
        proc(6, 1, "python3", "python3 -m http.server"),
    ]
}

#[test]
fn every_criterion_must_hold() {
    let m = compile(&app(
        "web",
        AppMatch {
            process: Some("python3".into()),
            cmdline: Some(r"serve\.py( |$)".into()),
            ..AppMatch::default()
        },
        false,
    ))
    .expect("compiles");
    let hits: Vec<u32> = table()
        .iter()
        .filter(|p| matches(&m, p, None))
        .map(|p| p.pid - BASE)
        .collect();
    assert_eq!(hits, [5], "the name and the pattern");
    let exe = compile(&app(
        "pg",
        AppMatch {
            exe: Some("/usr/bin/postgres".into()),
            ..AppMatch::default()
        },
        false,
    ))
    .expect("compiles");
    assert!(table().iter().filter(|p| matches(&exe, p, None)).count() == 2);
    assert!(
        !table().iter().any(|p| matches(&exe, p, Some(0))),
        "another user's processes are not the app"
    );
}

#[test]
fn children_count_unless_told_otherwise() {
    let roots: BTreeSet<u32> = [BASE + 2].into();
    let all = with_descendants(&roots, &table());
    let all: Vec<u32> = all.into_iter().map(|p| p - BASE).collect();
    assert_eq!(all, [2, 3, 4], "the whole tree under the match");

    let mut sampler = AppSampler::new(&[app("pg", by_process("postgres"), true)], Duration::ZERO);
    let figures = sampler.figures(&table(), false);
    assert_eq!(
        value(&figures, "app.pg.running"),
        Some(2.0),
        "matching processes"
    );
    assert_eq!(
        value(&figures, "app.pg.rss_bytes"),
        Some(3000.0),
        "memory of the tree (the worker child included)"
    );
    let cpus = sampler.cpus;
    assert_eq!(value(&figures, "app.pg.cpu_pct"), Some(150.0 / cpus));
    assert_eq!(
        value(&figures, "app.pg.uptime_s"),
        Some(30.0),
        "the oldest match"
    );

    let mut alone = AppSampler::new(&[app("pg", by_process("postgres"), false)], Duration::ZERO);
    let figures = alone.figures(&table(), false);
    assert_eq!(value(&figures, "app.pg.rss_bytes"), Some(2000.0));
}

#[test]
fn a_process_that_goes_and_comes_back_is_a_restart() {
    let mut sampler = AppSampler::new(&[app("pg", by_process("postgres"), false)], Duration::ZERO);
    let mut procs = table();
    let f = sampler.figures(&procs, true);
    assert_eq!(value(&f, "app.pg.restarts"), Some(0.0));
    assert_eq!(
        value(&f, "app.pg.cpu_pct"),
        None,
        "no CPU figure from the first scan"
    );
    procs.retain(|p| p.name != "postgres");
    let f = sampler.figures(&procs, false);
    assert_eq!(value(&f, "app.pg.running"), Some(0.0), "down is 0 running");
    assert_eq!(
        value(&f, "app.pg.rss_bytes"),
        None,
        "no memory figure for nothing"
    );
    assert_eq!(value(&f, "app.pg.restarts"), Some(0.0), "not back yet");
    procs.push(proc(7, 1, "postgres", "postgres -D /var/lib/postgres"));
    let f = sampler.figures(&procs, false);
    assert_eq!(value(&f, "app.pg.running"), Some(1.0));
    assert_eq!(value(&f, "app.pg.restarts"), Some(1.0), "gone, then back");
    let f = sampler.figures(&procs, false);
    assert_eq!(value(&f, "app.pg.restarts"), Some(1.0), "counted once");
    // A second process joining is no restart.
    procs.push(proc(8, 7, "postgres", "postgres: walwriter"));
    let f = sampler.figures(&procs, false);
    assert_eq!(value(&f, "app.pg.restarts"), Some(1.0));
    assert_eq!(value(&f, "app.pg.running"), Some(2.0));
}

#[test]
fn unreadable_figures_are_absent_never_zero() {
    let mut sampler = AppSampler::new(&[app("pg", by_process("postgres"), false)], Duration::ZERO);
    let f = sampler.figures(&table(), false);
    assert_eq!(
        value(&f, "app.pg.fds"),
        None,
        "no /proc entry for these PIDs"
    );
    assert_eq!(
        value(&f, "app.pg.threads"),
        None,
        "no /proc entry for these PIDs"
    );
    assert_eq!(
        value(&f, "app.pg.io_read_bps"),
        None,
        "no I/O counters to read"
    );
}
