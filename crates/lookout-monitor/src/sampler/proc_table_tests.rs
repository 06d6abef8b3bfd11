//! Tests of the /proc process table against real child processes.

use super::*;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Kids(Vec<Child>);

impl Drop for Kids {
    fn drop(&mut self) {
        for kid in &mut self.0 {
            let _ = kid.kill();
            let _ = kid.wait();
        }
    }
}

fn spawn(program: &str, args: &[&str]) -> Child {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn a child")
}

/// Scans until `found` holds for the process `pid`, or panics after 10 s.
fn scan_until(table: &mut ProcTable, pid: u32, found: impl Fn(&ProcInfo) -> bool) -> ProcInfo {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let procs = table.scan();
        if let Some(p) = procs.iter().find(|p| p.pid == pid && found(p)) {
            return p.clone();
        }
        assert!(
            Instant::now() < deadline,
            "pid {pid} not as expected in {procs:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// utime + stime of this process, from /proc/self/stat.
fn own_cpu_ticks() -> u64 {
    std::fs::read("/proc/self/stat")
        .ok()
        .and_then(|raw| parse_stat(&raw))
        .map_or(0, |s| s.cpu_ticks)
}

#[test]
fn a_name_with_spaces_and_parentheses_is_read_whole() {
    let raw = b"4242 (my (odd) app) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 \
        98765 123456789 1500 18446744073709551615\n";
    let stat = parse_stat(raw).expect("parses");
    assert_eq!(stat.name, "my (odd) app");
    assert_eq!(stat.parent, 17);
    assert_eq!(stat.cpu_ticks, 300);
    assert_eq!(stat.start, 98765);
    assert_eq!(stat.rss_pages, 1500);
    assert_eq!(stat.flags & PF_KTHREAD, 0);
    assert!(parse_stat(b"4242 (cut short) S 17").is_none());
}

#[test]
fn a_child_is_seen_whole_and_forgotten_when_it_exits() {
    let mut table = ProcTable::new();
    let mut kids = Kids(vec![spawn("sleep", &["30"])]);
    let pid = kids.0[0].id();
    let info = scan_until(&mut table, pid, |p| p.name == "sleep");
    assert_eq!(info.parent, Some(std::process::id()));
    assert_eq!(info.cmdline, "sleep 30");
    assert!(
        info.exe.as_deref().is_some_and(|e| e.ends_with("sleep")),
        "{info:?}"
    );
    assert_eq!(info.uid, Some(rustix::process::geteuid().as_raw()));
    assert!(info.rss_bytes > 0, "{info:?}");
    // This process's CPU time as the table reads it, once /proc shows at least a tick.
    let deadline = Instant::now() + Duration::from_secs(10);
    while own_cpu_ticks() == 0 {
        assert!(
            Instant::now() < deadline,
            "no CPU time recorded for this process"
        );
        std::hint::black_box((0..10_000u64).sum::<u64>());
    }
    let me = table
        .scan()
        .into_iter()
        .find(|p| p.pid == std::process::id());
    assert!(me.is_some_and(|p| p.cpu_ms > 0), "this test has used CPU");

    for kid in &mut kids.0 {
        kid.kill().expect("kill");
        kid.wait().expect("reap");
    }
    let procs = table.scan();
    assert!(procs.iter().all(|p| p.pid != pid), "gone after exit");
    assert!(!table.known.contains_key(&pid), "and forgotten");
    assert_eq!(
        table.kept()[0] + table.kept()[1],
        table.known.values().filter(|k| k.stat.is_some()).count()
    );
}

#[test]
fn an_exec_is_noticed_by_the_new_name_and_command_line() {
    let mut table = ProcTable::new();
    let kids = Kids(vec![spawn("sh", &["-c", "sleep 0.5; exec sleep 31"])]);
    let pid = kids.0[0].id();
    let before = scan_until(&mut table, pid, |_| true);
    assert_eq!(before.name, "sh", "{before:?}");
    let after = scan_until(&mut table, pid, |p| p.name == "sleep");
    assert_eq!(after.cmdline, "sleep 31");
    assert!(
        after.exe.as_deref().is_some_and(|e| e.ends_with("sleep")),
        "{after:?}"
    );
}

#[test]
fn descriptors_are_kept_for_at_most_the_cap_and_closed_on_exit() {
    let mut table = ProcTable::new();
    let mut kids = Kids(
        (0..MAX_KEPT_OPEN + 40)
            .map(|_| spawn("sleep", &["30"]))
            .collect(),
    );
    let pids: Vec<u32> = kids.0.iter().map(Child::id).collect();
    let procs = table.scan();
    for pid in &pids {
        assert!(procs.iter().any(|p| p.pid == *pid), "{pid} listed");
    }
    assert_eq!(
        table.kept()[0],
        MAX_KEPT_OPEN,
        "processes fill their own places"
    );
    assert!(table.kept()[1] <= MAX_KEPT_KERNEL);
    let mut transient = ProcTable::transient();
    let listed = transient.scan();
    assert!(pids.iter().all(|pid| listed.iter().any(|p| p.pid == *pid)));
    assert_eq!(transient.kept(), [0, 0], "a transient table keeps nothing");
    // A second scan reads the same processes again, kept or not.
    let again = table.scan();
    assert!(pids.iter().all(|pid| again.iter().any(|p| p.pid == *pid)));
    for kid in &mut kids.0 {
        let _ = kid.kill();
        let _ = kid.wait();
    }
    kids.0.clear();
    let after = table.scan();
    assert!(pids.iter().all(|pid| after.iter().all(|p| p.pid != *pid)));
    assert!(
        pids.iter().all(|pid| !table.known.contains_key(pid)),
        "forgotten, their descriptors closed"
    );
    assert_eq!(
        table.kept()[0] + table.kept()[1],
        table.known.values().filter(|k| k.stat.is_some()).count()
    );
}

#[test]
fn io_rates_need_a_first_reading_and_unknown_processes_are_unreadable() {
    let mut table = ProcTable::new();
    let me = std::process::id();
    assert_eq!(table.io(me), IoReading::Unreadable, "not scanned yet");
    let _ = table.scan();
    assert_eq!(table.io(me), IoReading::First);
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(
        table.io(me),
        IoReading::First,
        "the same scan, the same reading"
    );
    let _ = table.scan();
    let rate = table.io(me);
    assert_eq!(
        table.io(me),
        rate,
        "two watches sharing a process see one rate"
    );
    match rate {
        IoReading::Rate {
            read_bps,
            write_bps,
        } => assert!(read_bps >= 0.0 && write_bps >= 0.0),
        other => panic!("a rate after two readings, got {other:?}"),
    }
}

#[test]
fn kernel_threads_are_left_out_but_kept_open_for_the_next_scan() {
    let mut table = ProcTable::new();
    let first = table.scan();
    let second = table.scan();
    // kthreadd (PID 2) is a kernel thread wherever there is a kernel to ask; a container's
    // own PID namespace has none, and then there is nothing more to check.
    for procs in [&first, &second] {
        assert!(procs.iter().all(|p| p.pid != 2 || p.name != "kthreadd"));
        assert!(procs.iter().any(|p| p.pid == std::process::id()));
    }
    let kthreadd = std::fs::read_to_string("/proc/2/stat").is_ok_and(|s| s.contains("(kthreadd)"));
    if kthreadd {
        assert!(
            table.known.get(&2).is_some_and(|k| k.stat.is_some()),
            "its stat is read through a kept descriptor"
        );
    }
}
