//! Alert notifications with buttons ("Open", "Snooze 1 h"). They are sent over one session-bus
//! connection that also hears which button was pressed: notification servers (dunst, GNOME
//! Shell) send `ActionInvoked` to the connection that asked for the notification, so the one
//! that listens must be the one that sent.

use super::desktop::{
    classify, DesktopError, DesktopNotice, NoticeUrgency, APP_NAME, NOTIFY_TIMEOUT,
};
use crate::sys::Shutdown;
use futures_util::StreamExt;
use lookout_core::alert::{AlertEvent, EventKind};
use lookout_i18n::Language;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use zbus::zvariant::Value;
use zbus::{Connection, MatchRule, Message, MessageStream};

const SERVER: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
/// Notifications whose buttons are still listened for; the oldest are forgotten beyond it.
const MAX_LISTENED: usize = 64;
/// The action key of a click on the notification itself.
const DEFAULT_KEY: &str = "default";
const OPEN_KEY: &str = "open";
const SNOOZE_KEY: &str = "snooze";

/// A button pressed on an alert notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeAction {
    /// "Open" (or a click on the notification): show this alert in the window.
    Open { event_id: Option<i64>, rule: String },
    /// "Snooze 1 h": silence this rule for an hour.
    Snooze { rule: String },
}

/// What an alert notification's buttons act on, and their labels in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buttons {
    pub event_id: Option<i64>,
    pub rule: String,
    pub open: String,
    pub snooze: String,
}

/// The connection in use and whether its server shows buttons.
struct Live {
    conn: Connection,
    actions: bool,
}

type Listened = Arc<Mutex<VecDeque<(u32, Buttons)>>>;

/// Sends notifications, with buttons where the server supports them, and reports presses.
pub struct NoticeBus {
    live: tokio::sync::Mutex<Option<Live>>,
    listened: Listened,
    pressed: mpsc::UnboundedSender<NoticeAction>,
    /// Whether a window can show an alert (the tray); without one there is no "Open".
    can_open: AtomicBool,
    listeners: Mutex<Vec<JoinHandle<()>>>,
    shutdown: Shutdown,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl NoticeBus {
    /// A bus that connects on first use; presses arrive on the returned receiver.
    pub fn new(shutdown: Shutdown) -> (Arc<Self>, mpsc::UnboundedReceiver<NoticeAction>) {
        let (pressed, rx) = mpsc::unbounded_channel();
        let bus = Self {
            live: tokio::sync::Mutex::new(None),
            listened: Arc::default(),
            pressed,
            can_open: AtomicBool::new(false),
            listeners: Mutex::new(Vec::new()),
            shutdown,
        };
        (Arc::new(bus), rx)
    }

    /// Offers "Open" from now on: a front end that can show an alert is listening.
    pub fn offer_open(&self) {
        self.can_open.store(true, Ordering::Relaxed);
    }

    /// Shows `notice`, with `buttons` when the server supports actions. A failed connection
    /// is dropped, and the next notice connects again.
    pub async fn show(
        &self,
        notice: &DesktopNotice,
        buttons: Option<Buttons>,
    ) -> Result<(), DesktopError> {
        match tokio::time::timeout(NOTIFY_TIMEOUT, self.show_now(notice, buttons)).await {
            Ok(result) => result,
            Err(_) => {
                *self.live.lock().await = None;
                Err(DesktopError::Timeout(NOTIFY_TIMEOUT))
            }
        }
    }

    async fn show_now(
        &self,
        notice: &DesktopNotice,
        buttons: Option<Buttons>,
    ) -> Result<(), DesktopError> {
        let mut live = self.live.lock().await;
        if live.is_none() {
            *live = Some(self.connect().await.map_err(|e| classify(&e.to_string()))?);
        }
        let Some(current) = live.as_ref() else {
            return Err(DesktopError::Failed("no connection".into()));
        };
        let buttons = buttons.filter(|_| current.actions);
        let actions = buttons
            .as_ref()
            .map(|b| self.action_list(b))
            .unwrap_or_default();
        let mut hints: HashMap<&str, Value<'_>> = HashMap::new();
        hints.insert("urgency", Value::U8(urgency_byte(notice.urgency)));
        // Critical alerts stay until the user dismisses them; others as the server likes.
        let timeout: i32 = if notice.urgency == NoticeUrgency::Critical {
            0
        } else {
            -1
        };
        let body = (
            APP_NAME,
            0u32,
            notice.icon,
            notice.summary.as_str(),
            notice.body.as_str(),
            actions,
            hints,
            timeout,
        );
        let sent = current
            .conn
            .call_method(Some(SERVER), PATH, Some(SERVER), "Notify", &body)
            .await
            .and_then(|reply| reply.body().deserialize::<u32>());
        match sent {
            Ok(id) => {
                if let Some(buttons) = buttons {
                    let mut listened = lock(&self.listened);
                    listened.push_back((id, buttons));
                    while listened.len() > MAX_LISTENED {
                        listened.pop_front();
                    }
                }
                Ok(())
            }
            Err(e) => {
                *live = None;
                Err(classify(&e.to_string()))
            }
        }
    }

    fn action_list(&self, b: &Buttons) -> Vec<String> {
        let mut list = Vec::new();
        if self.can_open.load(Ordering::Relaxed) {
            list.extend([DEFAULT_KEY, &b.open, OPEN_KEY, &b.open].map(str::to_owned));
        }
        list.extend([SNOOZE_KEY, &b.snooze].map(str::to_owned));
        list
    }

    /// A new connection, its server's capabilities, and a task listening for presses on it.
    async fn connect(&self) -> zbus::Result<Live> {
        let conn = Connection::session().await?;
        let caps: Vec<String> = conn
            .call_method(Some(SERVER), PATH, Some(SERVER), "GetCapabilities", &())
            .await?
            .body()
            .deserialize()?;
        let actions = caps.iter().any(|c| c == "actions");
        if actions {
            let stream = |member: &'static str| {
                MatchRule::builder()
                    .msg_type(zbus::message::Type::Signal)
                    .interface(SERVER)
                    .and_then(|r| r.member(member))
                    .map(|r| r.build())
            };
            let invoked =
                MessageStream::for_match_rule(stream("ActionInvoked")?, &conn, None).await?;
            let closed =
                MessageStream::for_match_rule(stream("NotificationClosed")?, &conn, None).await?;
            let task = tokio::spawn(listen(
                invoked,
                closed,
                self.listened.clone(),
                self.pressed.clone(),
                self.shutdown.clone(),
            ));
            let mut listeners = lock(&self.listeners);
            listeners.retain(|t| !t.is_finished());
            listeners.push(task);
        }
        Ok(Live { conn, actions })
    }

    /// Waits for the listening tasks, which end on shutdown.
    pub async fn join(&self) {
        let tasks = std::mem::take(&mut *lock(&self.listeners));
        for task in tasks {
            let _ = task.await;
        }
    }
}

/// The buttons of `event`'s notification (logged as `event_id`): "Open" and "Snooze 1 h" while
/// the alert is pending or firing; a resolved alert needs nothing done.
pub fn alert_buttons(event: &AlertEvent, event_id: Option<i64>, lang: Language) -> Option<Buttons> {
    let open = matches!(
        event.state,
        EventKind::Pending | EventKind::Firing | EventKind::Reminder
    );
    let words = lang.catalog();
    open.then(|| Buttons {
        event_id,
        rule: event.rule.clone(),
        open: words.text("notify-button-open", &[]),
        snooze: words.text("notify-button-snooze", &[]),
    })
}

fn urgency_byte(urgency: NoticeUrgency) -> u8 {
    match urgency {
        NoticeUrgency::Low => 0,
        NoticeUrgency::Normal => 1,
        NoticeUrgency::Critical => 2,
    }
}

/// Turns the server's signals into presses until shutdown or until the connection closes.
async fn listen(
    mut invoked: MessageStream,
    mut closed: MessageStream,
    listened: Listened,
    pressed: mpsc::UnboundedSender<NoticeAction>,
    shutdown: Shutdown,
) {
    loop {
        let (msg, was_invoked) = tokio::select! {
            () = shutdown.triggered() => return,
            msg = invoked.next() => (msg, true),
            msg = closed.next() => (msg, false),
        };
        let Some(Ok(msg)) = msg else { return };
        if was_invoked {
            if let Some(action) = pressed_action(&msg, &listened) {
                let _ = pressed.send(action);
            }
        } else if let Ok((id, _reason)) = msg.body().deserialize::<(u32, u32)>() {
            lock(&listened).retain(|(n, _)| *n != id);
        }
    }
}

/// The press an `ActionInvoked(id, key)` signal means, for a notification of ours.
fn pressed_action(msg: &Message, listened: &Listened) -> Option<NoticeAction> {
    let (id, key) = msg.body().deserialize::<(u32, String)>().ok()?;
    let buttons = {
        let mut listened = lock(listened);
        let at = listened.iter().position(|(n, _)| *n == id)?;
        listened.remove(at)?.1
    };
    action_for(&key, buttons)
}

/// The action an action key stands for.
pub fn action_for(key: &str, b: Buttons) -> Option<NoticeAction> {
    match key {
        DEFAULT_KEY | OPEN_KEY => Some(NoticeAction::Open {
            event_id: b.event_id,
            rule: b.rule,
        }),
        SNOOZE_KEY => Some(NoticeAction::Snooze { rule: b.rule }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buttons() -> Buttons {
        Buttons {
            event_id: Some(7),
            rule: "CPU busy".into(),
            open: "Open".into(),
            snooze: "Snooze 1 h".into(),
        }
    }

    #[test]
    fn each_key_means_its_action_and_unknown_keys_nothing() {
        assert_eq!(
            action_for("default", buttons()),
            Some(NoticeAction::Open {
                event_id: Some(7),
                rule: "CPU busy".into()
            })
        );
        assert_eq!(
            action_for("open", buttons()),
            action_for("default", buttons())
        );
        assert_eq!(
            action_for("snooze", buttons()),
            Some(NoticeAction::Snooze {
                rule: "CPU busy".into()
            })
        );
        assert_eq!(action_for("rm -rf", buttons()), None);
    }

    #[test]
    fn open_is_offered_only_once_a_window_can_show_the_alert() {
        let (bus, _rx) = NoticeBus::new(Shutdown::new());
        assert_eq!(bus.action_list(&buttons()), ["snooze", "Snooze 1 h"]);
        bus.offer_open();
        assert_eq!(
            bus.action_list(&buttons()),
            ["default", "Open", "open", "Open", "snooze", "Snooze 1 h"]
        );
    }
}
