//! A cloneable handle to the monitor's one read-write [`Store`], for workers: each call runs on
//! tokio's blocking pool, so SQLite never holds up an async thread.

use super::{Result, Store, StoreError};
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Clone)]
pub struct StoreHandle {
    store: Arc<Mutex<Store>>,
}

impl StoreHandle {
    pub fn new(store: Store) -> Self {
        Self {
            store: Arc::new(Mutex::new(store)),
        }
    }

    /// Runs `work` with the store on the blocking pool.
    pub async fn call<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            work(&mut store.lock().unwrap_or_else(PoisonError::into_inner))
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `work` with the store on this thread (for threads that may block, never a task).
    pub fn blocking<T>(&self, work: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        work(&mut self.store.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
