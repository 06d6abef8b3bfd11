//! One shutdown signal for the tick thread, every task and every helper thread of a monitor.

use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::watch;

type Waker = Box<dyn FnOnce() + Send>;

/// A cloneable token that is triggered once and stays triggered.
///
/// Tasks wait on [`Shutdown::triggered`]; a thread blocked in a system call registers a
/// [`Shutdown::on_trigger`] callback that wakes it (a message on its queue, a write to a pipe).
#[derive(Clone)]
pub struct Shutdown {
    inner: Arc<Inner>,
}

struct Inner {
    flag: watch::Sender<bool>,
    wakers: Mutex<Vec<Waker>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    pub fn new() -> Self {
        Self {
            inner: Arc::new(Inner {
                flag: watch::Sender::new(false),
                wakers: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Asks everything holding this token to finish; the callbacks run on the calling thread.
    pub fn trigger(&self) {
        self.inner.flag.send_replace(true);
        let wakers = std::mem::take(&mut *self.lock_wakers());
        for wake in wakers {
            wake();
        }
    }

    pub fn is_triggered(&self) -> bool {
        *self.inner.flag.borrow()
    }

    /// Completes once the token is triggered (at once when it already is).
    pub async fn triggered(&self) {
        let mut rx = self.inner.flag.subscribe();
        // The sender lives in `self`, so waiting cannot fail.
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// Runs `wake` when the token is triggered, or now when it already is.
    pub fn on_trigger(&self, wake: impl FnOnce() + Send + 'static) {
        let mut wakers = self.lock_wakers();
        if self.is_triggered() {
            drop(wakers);
            wake();
        } else {
            wakers.push(Box::new(wake));
        }
    }

    fn lock_wakers(&self) -> std::sync::MutexGuard<'_, Vec<Waker>> {
        self.inner
            .wakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn trigger_wakes_waiters_and_callbacks_once() {
        let shutdown = Shutdown::new();
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        shutdown.on_trigger(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        });
        let waiter = tokio::spawn({
            let s = shutdown.clone();
            async move { s.triggered().await }
        });
        assert!(!shutdown.is_triggered(), "not triggered yet");
        shutdown.trigger();
        shutdown.trigger();
        waiter.await.expect("the waiter finished");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "each callback runs once");
        let late = Arc::new(AtomicUsize::new(0));
        let seen = late.clone();
        shutdown.on_trigger(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(
            late.load(Ordering::SeqCst),
            1,
            "a late callback runs at once"
        );
        shutdown.triggered().await;
    }
}
