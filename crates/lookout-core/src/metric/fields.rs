//! The last part of keys that name one figure of a thing: `app.<name>.cpu_pct`,
//! `battery.<name>.pct`, `diskio.<device>.busy_pct`, `gpu.<n>.temp`, `probe.<name>.up`.

/// An enum of key suffixes with its text, every member (`ALL`) and a parser.
macro_rules! key_fields {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The last part of the key.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|f| f.as_str() == text)
            }
        }
    };
}

key_fields! {
    /// What an app watch measures, summed over every process the watch matches.
    AppField {
        /// How many processes match.
        Running = "running",
        /// CPU use, on the scale of `cpu.total`: 100 is every core busy.
        CpuPct = "cpu_pct",
        /// Resident memory, in bytes.
        RssBytes = "rss_bytes",
        /// Resident memory as a share of the machine's memory.
        MemPct = "mem_pct",
        Threads = "threads",
        /// Open file descriptors (where readable).
        Fds = "fds",
        /// Bytes read and written per second (where readable).
        IoReadBps = "io_read_bps",
        IoWriteBps = "io_write_bps",
        /// How often a matching process went away and another came back, since Lookout started.
        Restarts = "restarts",
        /// Seconds since the oldest matching process started.
        UptimeS = "uptime_s",
    }
}

key_fields! {
    /// What is read of a battery.
    BatteryField {
        /// Charge, 0–100.
        Pct = "pct",
        /// 1 while it charges, else 0.
        Charging = "charging",
        /// Seconds until empty at the present drain; absent while not discharging.
        TimeToEmptyS = "time_to_empty_s",
    }
}

key_fields! {
    /// What is read of a physical block device, from /proc/diskstats.
    DiskIoField {
        ReadBps = "read_bps",
        WriteBps = "write_bps",
        /// Share of the time the device had I/O in flight (like iostat's %util).
        BusyPct = "busy_pct",
    }
}

key_fields! {
    /// What is read of a GPU.
    GpuField {
        BusyPct = "busy_pct",
        /// Dedicated video memory in use (GPUs with their own).
        VramUsedPct = "vram_used_pct",
        /// Its temperature sensor, in °C.
        Temp = "temp",
    }
}

key_fields! {
    /// What a reachability probe reports.
    ProbeField {
        /// 1 when the last check succeeded, else 0.
        Up = "up",
        /// How long the last successful check took, in milliseconds.
        LatencyMs = "latency_ms",
    }
}
