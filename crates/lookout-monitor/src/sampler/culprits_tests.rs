//! Unit tests of culprit ranking on made-up process tables and CPU-time notes.

use super::*;

fn proc(pid: u32, name: &str, cpu_ms: u64, rss_bytes: u64, run_time_s: u64) -> ProcInfo {
    ProcInfo {
        pid,
        parent: None,
        name: name.into(),
        exe: None,
        cmdline: format!("/usr/bin/{name} --serve"),
        uid: Some(1000),
        cpu_pct: 0.0,
        rss_bytes,
        run_time_s,
        cpu_ms,
    }
}

fn cpu_of(procs: &[ProcInfo]) -> Vec<(u32, u64)> {
    procs.iter().map(|p| (p.pid, p.cpu_ms)).collect()
}

fn names(culprits: &[Culprit]) -> Vec<&str> {
    culprits.iter().map(|c| c.name.as_str()).collect()
}

const MIN: Duration = Duration::from_secs(60);

#[test]
fn cpu_culprits_are_ranked_by_use_over_the_window_not_over_their_life() {
    let start = Instant::now();
    let mut notes = CpuBaselines::default();
    notes.set_windows(&[10 * MIN], Duration::from_secs(5));
    // "old" burnt a lot long ago and is idle now; "busy" burns one core in the window.
    notes.note(
        start,
        cpu_of(&[
            proc(1, "old", 3_600_000, 10, 7200),
            proc(2, "busy", 0, 10, 1),
        ]),
    );
    let now = start + 10 * MIN;
    let table = [
        proc(1, "old", 3_600_000, 10, 7800),
        proc(2, "busy", 600_000, 10, 601),
        proc(3, "idle", 0, 10, 600),
    ];
    let top = rank(CulpritKind::Cpu, 10 * MIN, now, &table, &notes, 4.0, |_| {
        Some("me".into())
    });
    assert_eq!(names(&top), vec!["busy"], "idle processes are not culprits");
    let busy = &top[0];
    let pct = busy.cpu_pct.expect("measured");
    assert!((pct - 25.0).abs() < 0.01, "one core of four is 25 %: {pct}");
    assert_eq!(busy.user.as_deref(), Some("me"));
    assert_eq!(busy.command, "/usr/bin/busy --serve");
}

#[test]
fn a_process_started_inside_the_window_is_averaged_over_its_life() {
    let start = Instant::now();
    let mut notes = CpuBaselines::default();
    notes.set_windows(&[10 * MIN], Duration::from_secs(5));
    notes.note(start, cpu_of(&[proc(1, "steady", 0, 10, 100)]));
    let now = start + 10 * MIN;
    // "burst" lived 60 s and used 60 s of CPU: a full core, more than steady's half.
    let table = [
        proc(1, "steady", 300_000, 10, 700),
        proc(9, "burst", 60_000, 10, 60),
    ];
    let top = rank(CulpritKind::Cpu, 10 * MIN, now, &table, &notes, 1.0, |_| {
        None
    });
    assert_eq!(names(&top), vec!["burst", "steady"]);
    let pcts: Vec<f64> = top.iter().filter_map(|c| c.cpu_pct).collect();
    assert!(
        (pcts[0] - 100.0).abs() < 0.01 && (pcts[1] - 50.0).abs() < 0.01,
        "{pcts:?}"
    );
}

#[test]
fn a_reused_pid_is_not_credited_with_the_old_process_time() {
    let start = Instant::now();
    let mut notes = CpuBaselines::default();
    notes.set_windows(&[MIN], Duration::from_secs(1));
    notes.note(start, cpu_of(&[proc(7, "gone", 50_000, 10, 100)]));
    // Started 30 s ago: younger than the minute since the note, so not the noted pid 7.
    let reborn = proc(7, "new", 6_000, 10, 30);
    let top = rank(
        CulpritKind::Cpu,
        MIN,
        start + MIN,
        &[reborn],
        &notes,
        1.0,
        |_| None,
    );
    let pct = top[0].cpu_pct.expect("measured");
    assert!((pct - 20.0).abs() < 0.01, "6 s in its 30 s: {pct}");
}

#[test]
fn memory_culprits_are_the_five_largest() {
    let table: Vec<ProcInfo> = (1..=8)
        .map(|i| proc(i, &format!("p{i}"), 0, u64::from(i) * 100, 10))
        .collect();
    let top = rank(
        CulpritKind::Memory,
        MIN,
        Instant::now(),
        &table,
        &CpuBaselines::default(),
        1.0,
        |_| None,
    );
    assert_eq!(names(&top), vec!["p8", "p7", "p6", "p5", "p4"]);
    assert_eq!(top[0].rss_bytes, 800);
}

#[test]
fn notes_are_spaced_by_a_quarter_of_the_shortest_window_and_bounded() {
    let start = Instant::now();
    let mut notes = CpuBaselines::default();
    assert!(!notes.due(start), "no CPU rule, no notes");
    notes.set_windows(&[5 * MIN, 60 * MIN], Duration::from_secs(5));
    assert!(notes.due(start));
    notes.note(start, cpu_of(&[]));
    assert!(!notes.due(start + 74 * Duration::from_secs(1)));
    assert!(notes.due(start + 75 * Duration::from_secs(1)));
    for i in 1..200u32 {
        notes.note(start + i * 75 * Duration::from_secs(1), Vec::new());
    }
    assert!(notes.taken.len() <= MAX_BASELINES, "{}", notes.taken.len());
    assert_eq!(notes.taken.len(), 49, "an hour at 75 s, and one more");
    notes.set_windows(&[], Duration::from_secs(5));
    assert!(
        notes.taken.is_empty() && !notes.due(start),
        "dropped with the last CPU rule"
    );
}

#[test]
fn without_a_note_old_enough_the_average_is_over_each_life() {
    let start = Instant::now();
    let mut notes = CpuBaselines::default();
    notes.set_windows(&[MIN], Duration::from_secs(1));
    notes.note(
        start,
        cpu_of(&[proc(1, "a", 0, 10, 10), proc(2, "b", 0, 10, 10)]),
    );
    // 200 ms after the only note: too short to say anything, so lifetimes decide.
    let table = [proc(1, "a", 1_000, 10, 10), proc(2, "b", 9_000, 10, 10)];
    let soon = start + Duration::from_millis(200);
    let top = rank(CulpritKind::Cpu, MIN, soon, &table, &notes, 1.0, |_| None);
    assert_eq!(names(&top), vec!["b", "a"]);
    let pct = top[0].cpu_pct.expect("measured");
    assert!((pct - 90.0).abs() < 0.01, "9 s in 10 s: {pct}");
}

#[cfg(target_os = "linux")]
#[test]
fn cpu_times_from_proc_follow_this_process() {
    let me = std::process::id();
    let mine = || {
        cpu_times(Vec::new)
            .into_iter()
            .find(|(pid, _)| *pid == me)
            .map(|(_, ms)| ms)
            .expect("this process is listed")
    };
    let before = mine();
    let spin = Instant::now();
    let mut x: u64 = 0;
    while spin.elapsed() < Duration::from_millis(300) {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
    }
    assert_ne!(x, 42);
    let after = mine();
    assert!(
        after >= before + 100,
        "300 ms of spinning shows: {before} → {after}"
    );
}
