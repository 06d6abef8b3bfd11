//! Metric keys: parsing, round trips and the needs they imply.

use super::*;

#[test]
fn every_family_round_trips_through_its_key() {
    let families = [
        MetricFamily::CpuTotal,
        MetricFamily::CpuCore(3),
        MetricFamily::MemUsedPct,
        MetricFamily::MemUsedBytes,
        MetricFamily::SwapUsedPct,
        MetricFamily::Load1,
        MetricFamily::Load5,
        MetricFamily::Load15,
        MetricFamily::DiskUsedPct {
            mount: "/mnt/my.disk".into(),
        },
        MetricFamily::NetRxBps {
            iface: "eth0".into(),
        },
        MetricFamily::NetTxBps {
            iface: "wlp2s0".into(),
        },
        MetricFamily::Temp {
            sensor: "coretemp_package_id_0".into(),
        },
        MetricFamily::App {
            app: "my-app".into(),
            field: AppField::IoWriteBps,
        },
        MetricFamily::App {
            app: "포스트그레스".into(),
            field: AppField::Running,
        },
        MetricFamily::Battery {
            name: "BAT0".into(),
            field: BatteryField::TimeToEmptyS,
        },
        MetricFamily::PowerAc,
        MetricFamily::DiskIo {
            device: "nvme0n1".into(),
            field: DiskIoField::BusyPct,
        },
        MetricFamily::Gpu {
            index: 1,
            field: GpuField::VramUsedPct,
        },
        MetricFamily::Probe {
            name: "nas".into(),
            field: ProbeField::LatencyMs,
        },
    ];
    for f in families {
        assert_eq!(
            MetricFamily::parse(&f.key()),
            Some(f.clone()),
            "key {}",
            f.key()
        );
    }
}

#[test]
fn unknown_keys_are_rejected_with_the_accepted_forms() {
    for bad in [
        "cpu.totl",
        "cpu.core.x",
        "disk.used_pct",
        "disk.home.used_pct",
        "temp.",
        "app.postgres",
        "app..running",
        "app.a.b.running",
        "app.postgres.cpu",
        "battery.BAT0",
        "battery.BAT0.percent",
        "power.dc",
        "diskio.sda",
        "diskio..read_bps",
        "gpu.x.temp",
        "gpu.+1.temp",
        "gpu.0.fan",
        "probe.nas",
        "probe.a.b.up",
        "",
    ] {
        let err = MetricKey::parse(bad).expect_err(bad);
        assert!(
            err.contains(&format!("'{bad}'")),
            "error quotes the key: {err}"
        );
        assert!(
            err.contains("disk.<mount>.used_pct"),
            "error lists forms: {err}"
        );
    }
}

#[test]
fn snapshot_drops_non_finite_values() {
    let mut s = Snapshot::new();
    let k = MetricKey::parse("cpu.total").expect("valid key");
    s.insert(k.clone(), f64::NAN);
    assert_eq!(s.get(&k), None, "NaN is absent, not a reading");
    s.insert(k.clone(), 12.5);
    assert_eq!(s.get(&k), Some(12.5));
}

#[test]
fn needs_follow_the_watched_keys() {
    let keys: Vec<MetricKey> = ["cpu.total", "disk./.used_pct", "net.eth0.rx_bps"]
        .iter()
        .map(|k| MetricKey::parse(k).expect("valid key"))
        .collect();
    let needs = MetricNeeds::for_keys(&keys);
    assert!(
        needs.cpu_total && !needs.cpu_cores && !needs.memory,
        "{needs:?}"
    );
    assert_eq!(needs.disks.iter().collect::<Vec<_>>(), vec!["/"]);
    assert_eq!(needs.net_ifaces.iter().collect::<Vec<_>>(), vec!["eth0"]);
    assert!(
        !needs.power && !needs.diskio && !needs.gpu,
        "no signal is read unless asked: {needs:?}"
    );
    let signals: Vec<MetricKey> = ["battery.BAT0.pct", "gpu.0.temp"]
        .iter()
        .map(|k| MetricKey::parse(k).expect("valid key"))
        .collect();
    let needs = MetricNeeds::for_keys(&signals);
    assert!(needs.power && needs.gpu && !needs.diskio, "{needs:?}");
}

#[test]
fn the_history_reads_signals_only_when_a_rule_does() {
    let plain = MetricNeeds::everything_but_signals();
    assert!(plain.everything && !plain.power && !plain.diskio && !plain.gpu);
    let rule = MetricNeeds::for_keys(&[MetricKey::parse("diskio.sda.busy_pct").expect("key")]);
    let both = plain.union(&rule);
    assert!(both.everything && both.diskio && !both.power, "{both:?}");
    let all = MetricNeeds::everything();
    assert!(all.power && all.diskio && all.gpu, "{all:?}");
}
