//! [`AppState`]: what every request handler of a running server sees.

use crate::access::Access;
use lookout_i18n::{resolve_from_env, Language};
use lookout_monitor::monitor::MonitorHandle;
use lookout_monitor::sampler::process_list::ProcessLister;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// What every request handler sees.
pub struct AppState {
    pub handle: MonitorHandle,
    pub access: Access,
    pub dashboard: bool,
    /// The process picker's lister: CPU is measured from its previous list.
    pub processes: Arc<Mutex<ProcessLister>>,
    /// True once the server stops: live streams end so that stopping does not wait on them.
    pub stopping: watch::Receiver<bool>,
}

impl AppState {
    fn language(&self) -> Language {
        resolve_from_env(self.handle.language_setting())
    }

    pub fn text(&self, id: &str) -> String {
        self.language().catalog().text(id, &[])
    }
}
