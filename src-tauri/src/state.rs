//! What the shell keeps in Tauri's managed state: the monitor's handle and the window's tick stream.

use lookout_monitor::monitor::MonitorHandle;
use lookout_monitor::sampler::process_list::ProcessLister;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::task::AbortHandle;

/// Managed by Tauri (`app.state::<AppState>()`); commands, tray and window read it.
pub struct AppState {
    monitor: MonitorHandle,
    /// The task forwarding ticks to the window, if one is streaming. One at a time: a reloaded
    /// page asks again, and the old stream must not keep sending to callbacks that are gone.
    tick_stream: Mutex<Option<AbortHandle>>,
    /// The process picker's lister: CPU is measured from its previous list.
    processes: Arc<Mutex<ProcessLister>>,
}

impl AppState {
    pub fn new(monitor: MonitorHandle) -> Self {
        Self {
            monitor,
            tick_stream: Mutex::new(None),
            processes: Arc::default(),
        }
    }

    pub fn process_lister(&self) -> Arc<Mutex<ProcessLister>> {
        self.processes.clone()
    }

    pub fn monitor(&self) -> &MonitorHandle {
        &self.monitor
    }

    /// Makes `stream` the window's tick stream, ending the previous one.
    pub fn replace_tick_stream(&self, stream: AbortHandle) {
        if let Some(old) = lock(&self.tick_stream).replace(stream) {
            old.abort();
        }
    }

    /// Ends the window's tick stream (the window was closed).
    pub fn end_tick_stream(&self) {
        if let Some(old) = lock(&self.tick_stream).take() {
            old.abort();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
