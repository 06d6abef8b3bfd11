//! How each Lookout metric key is named in Prometheus: a metric name in base units, its labels,
//! the factor from Lookout's unit, its HELP text and its type.

use crate::metric::{AppField, BatteryField, DiskIoField, GpuField, MetricFamily, ProbeField};

/// The Prometheus metric type of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromType {
    Gauge,
    Counter,
}

impl PromType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gauge => "gauge",
            Self::Counter => "counter",
        }
    }
}

/// One Lookout key as a Prometheus series.
#[derive(Debug, Clone, PartialEq)]
pub struct PromSeries {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: PromType,
    /// Label names and values, in a fixed order.
    pub labels: Vec<(&'static str, String)>,
    /// Prometheus value = Lookout value × scale (milliseconds become seconds).
    pub scale: f64,
}

impl PromSeries {
    fn gauge(name: &'static str, help: &'static str) -> Self {
        Self {
            name,
            help,
            kind: PromType::Gauge,
            labels: Vec::new(),
            scale: 1.0,
        }
    }

    fn label(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.labels.push((name, value.into()));
        self
    }

    fn scaled(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }

    /// The series selector, e.g. `lookout_disk_used_percent{mount="/"}`.
    pub fn selector(&self) -> String {
        if self.labels.is_empty() {
            return self.name.to_owned();
        }
        let labels: Vec<String> = self
            .labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
            .collect();
        format!("{}{{{}}}", self.name, labels.join(","))
    }
}

/// A label value escaped as the exposition format and PromQL string literals both accept.
pub fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// The Prometheus series of a Lookout metric.
pub fn series_of(family: &MetricFamily) -> PromSeries {
    use MetricFamily as F;
    let g = PromSeries::gauge;
    match family {
        F::CpuTotal => g(
            "lookout_cpu_usage_percent",
            "CPU in use over all cores, 0-100.",
        ),
        F::CpuCore(n) => g(
            "lookout_cpu_core_usage_percent",
            "CPU in use on one core, 0-100.",
        )
        .label("core", n.to_string()),
        F::MemUsedPct => g("lookout_memory_used_percent", "Memory in use, 0-100."),
        F::MemUsedBytes => g("lookout_memory_used_bytes", "Memory in use, in bytes."),
        F::SwapUsedPct => g("lookout_swap_used_percent", "Swap in use, 0-100."),
        F::Load1 => g("lookout_load1", "Load average over 1 minute."),
        F::Load5 => g("lookout_load5", "Load average over 5 minutes."),
        F::Load15 => g("lookout_load15", "Load average over 15 minutes."),
        F::DiskUsedPct { mount } => g(
            "lookout_disk_used_percent",
            "Space in use on a mounted file system, 0-100.",
        )
        .label("mount", mount.clone()),
        F::NetRxBps { iface } => g(
            "lookout_network_receive_bytes_per_second",
            "Bytes received per second on a network interface.",
        )
        .label("interface", iface.clone()),
        F::NetTxBps { iface } => g(
            "lookout_network_transmit_bytes_per_second",
            "Bytes sent per second on a network interface.",
        )
        .label("interface", iface.clone()),
        F::Temp { sensor } => g(
            "lookout_temperature_celsius",
            "Temperature of a sensor, in degrees Celsius.",
        )
        .label("sensor", sensor.clone()),
        F::App { app, field } => app_series(*field).label("app", app.clone()),
        F::Battery { name, field } => battery_series(*field).label("battery", name.clone()),
        F::PowerAc => g("lookout_power_ac_online", "1 on mains power, 0 on battery."),
        F::DiskIo { device, field } => diskio_series(*field).label("device", device.clone()),
        F::Gpu { index, field } => gpu_series(*field).label("gpu", index.to_string()),
        F::Probe { name, field } => probe_series(*field).label("probe", name.clone()),
    }
}

fn app_series(field: AppField) -> PromSeries {
    let g = PromSeries::gauge;
    match field {
        AppField::Running => g(
            "lookout_app_processes",
            "Processes a watched app runs (0 when it is not running).",
        ),
        AppField::CpuPct => g(
            "lookout_app_cpu_usage_percent",
            "CPU a watched app uses, on the scale of all cores, 0-100.",
        ),
        AppField::RssBytes => g(
            "lookout_app_resident_memory_bytes",
            "Resident memory of a watched app, in bytes.",
        ),
        AppField::MemPct => g(
            "lookout_app_memory_percent",
            "Resident memory of a watched app as a share of the machine's, 0-100.",
        ),
        AppField::Threads => g("lookout_app_threads", "Threads of a watched app."),
        AppField::Fds => g(
            "lookout_app_open_fds",
            "Open file descriptors of a watched app.",
        ),
        AppField::IoReadBps => g(
            "lookout_app_io_read_bytes_per_second",
            "Bytes a watched app reads per second.",
        ),
        AppField::IoWriteBps => g(
            "lookout_app_io_write_bytes_per_second",
            "Bytes a watched app writes per second.",
        ),
        AppField::Restarts => g(
            "lookout_app_restarts",
            "Times a watched app went away and came back since Lookout started.",
        ),
        AppField::UptimeS => g(
            "lookout_app_uptime_seconds",
            "Seconds since the oldest process of a watched app started.",
        ),
    }
}

fn battery_series(field: BatteryField) -> PromSeries {
    let g = PromSeries::gauge;
    match field {
        BatteryField::Pct => g("lookout_battery_charge_percent", "Battery charge, 0-100."),
        BatteryField::Charging => g("lookout_battery_charging", "1 while a battery charges."),
        BatteryField::TimeToEmptyS => g(
            "lookout_battery_time_to_empty_seconds",
            "Seconds until a discharging battery is empty.",
        ),
    }
}

fn diskio_series(field: DiskIoField) -> PromSeries {
    let g = PromSeries::gauge;
    match field {
        DiskIoField::ReadBps => g(
            "lookout_disk_read_bytes_per_second",
            "Bytes read per second from a block device.",
        ),
        DiskIoField::WriteBps => g(
            "lookout_disk_write_bytes_per_second",
            "Bytes written per second to a block device.",
        ),
        DiskIoField::BusyPct => g(
            "lookout_disk_busy_percent",
            "Share of time a block device had I/O in flight, 0-100.",
        ),
    }
}

fn gpu_series(field: GpuField) -> PromSeries {
    let g = PromSeries::gauge;
    match field {
        GpuField::BusyPct => g("lookout_gpu_busy_percent", "GPU busy time, 0-100."),
        GpuField::VramUsedPct => g(
            "lookout_gpu_memory_used_percent",
            "Dedicated GPU memory in use, 0-100.",
        ),
        GpuField::Temp => g(
            "lookout_gpu_temperature_celsius",
            "GPU temperature, in degrees Celsius.",
        ),
    }
}

fn probe_series(field: ProbeField) -> PromSeries {
    let g = PromSeries::gauge;
    match field {
        ProbeField::Up => g("lookout_probe_up", "1 when a probe's last check succeeded."),
        ProbeField::LatencyMs => g(
            "lookout_probe_latency_seconds",
            "How long a probe's last successful check took, in seconds.",
        )
        .scaled(0.001),
    }
}
