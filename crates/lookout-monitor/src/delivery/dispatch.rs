//! From alert transitions to the user: every event is logged with the alert states, and its
//! emails queued, in one SQLite transaction; then the desktop is told and the sender woken.
//! Runs off the tick loop, so a slow disk or channel never delays sampling.

use crate::actions::{ActionInputs, ActionRunner, AlertSink};
use crate::delivery::email::message::render_alert_email;
use crate::delivery::email::message::RenderedEmail;
use crate::delivery::email::sender::to_new_email;
use crate::delivery::notice_bus::{self, NoticeBus};
use crate::delivery::{desktop, DeliveryInputs};
use crate::store::{DeliveryOutcome, DeliveryRecord, PushPayload};
use jiff::tz::TimeZone;
use lookout_core::rule::Channel;
use lookout_core::Timestamp;
use lookout_core::{AlertEvent, AlertState, Engine};
use lookout_i18n::Language;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;

/// One tick's events with the rule states they left behind (`None`: events raised outside
/// the tick, such as a give-up alert, which change no state).
struct Job {
    events: Vec<AlertEvent>,
    states: Option<Vec<(String, AlertState)>>,
}

/// Gives the action runner a way to raise alerts that does not keep the dispatcher alive.
struct GiveUpSink {
    queue: mpsc::WeakUnboundedSender<Job>,
    tap: RaisedTap,
}

/// Called with alerts raised outside the tick (give-ups), for the monitor's event readers.
pub type RaisedTap = Arc<dyn Fn(Vec<AlertEvent>) + Send + Sync>;

impl AlertSink for GiveUpSink {
    fn raise(&self, events: Vec<AlertEvent>) -> bool {
        (self.tap)(events.clone());
        self.queue.upgrade().is_some_and(|tx| {
            tx.send(Job {
                events,
                states: None,
            })
            .is_ok()
        })
    }
}

/// The tick loop's side of the dispatch queue (unbounded: events are rare, and none may drop).
pub struct Dispatcher {
    tx: mpsc::UnboundedSender<Job>,
}

impl Dispatcher {
    /// Starts the dispatcher. It has no shutdown of its own: the tick loop, its only producer,
    /// stops on the monitor's shutdown signal and drops this queue, and the task then writes
    /// everything still queued, shows the notifications due, and ends. Nothing queued is lost.
    ///
    /// It starts the [`ActionRunner`] too, and hands it every event once logged; the alerts
    /// the runner raises also go to `tap`.
    pub fn start(
        inputs: DeliveryInputs,
        wake: Wakers,
        notices: Arc<NoticeBus>,
        tap: RaisedTap,
    ) -> (Self, JoinHandle<()>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let actions = ActionRunner::start(
            ActionInputs {
                store: inputs.store.clone(),
                config: inputs.config.clone(),
                clock: inputs.clock.clone(),
            },
            GiveUpSink {
                queue: tx.downgrade(),
                tap,
            },
        );
        let task = tokio::spawn(run(inputs, rx, wake, notices, actions));
        (Self { tx }, task)
    }

    /// Queues one tick's events with the states they left behind.
    pub fn send(&self, events: Vec<AlertEvent>, engine: &Engine) {
        let states = engine
            .states()
            .map(|(rule, state)| (rule.name.clone(), *state))
            .collect();
        let _ = self.tx.send(Job {
            events,
            states: Some(states),
        });
    }
}

/// Whether `event` goes to `channel` under the current settings.
fn wants(event: &AlertEvent, channel: Channel, enabled: bool) -> bool {
    enabled && event.notify && (event.channels.is_empty() || event.channels.contains(&channel))
}

/// The most alert events held in memory while they cannot be written; beyond it the oldest
/// go (each with an error in the log), so a disk that stays full cannot exhaust memory.
pub const MAX_HELD_EVENTS: usize = 100_000;
/// The first wait before writing held events again; it doubles up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// A tick's events ready to write: the emails are rendered with the settings of their tick,
/// and each event's push channels chosen then.
struct Ready {
    events: Vec<AlertEvent>,
    emails: Vec<Option<RenderedEmail>>,
    pushes: Vec<Vec<String>>,
    lang: Language,
    states: Option<Vec<(String, AlertState)>>,
}

/// The wakers of the senders, told when something was queued for them.
#[derive(Clone)]
pub struct Wakers {
    pub email: Arc<Notify>,
    pub push: Arc<Notify>,
}

async fn run(
    inputs: DeliveryInputs,
    mut rx: mpsc::UnboundedReceiver<Job>,
    wake: Wakers,
    notices: Arc<NoticeBus>,
    actions: ActionRunner,
) {
    // Notifications are shown in order by a task of their own: a hung notification server
    // must not hold up the alert log. It ends after this task drops its queue.
    let (desktop_tx, desktop_rx) = mpsc::unbounded_channel();
    let shower = tokio::spawn(show_desktop(inputs.clone(), notices, desktop_rx));
    // Events that could not be written (a full disk, a locked database), oldest first. They
    // are retried with backoff until written; their emails are queued then.
    let mut held: VecDeque<Ready> = VecDeque::new();
    let mut retry = RETRY_FIRST;
    loop {
        let job = if held.is_empty() {
            rx.recv().await
        } else {
            tokio::select! {
                job = rx.recv() => job,
                () = tokio::time::sleep(retry) => {
                    write_held(&inputs, &mut held, &wake).await;
                    retry = if held.is_empty() { RETRY_FIRST } else { (retry * 2).min(RETRY_MAX) };
                    continue;
                }
            }
        };
        let Some(Job { events, states }) = job else {
            break;
        };
        let config = inputs.config.borrow().config.clone();
        let lang = lookout_i18n::resolve_from_env(config.language);
        let emails = events
            .iter()
            .map(|e| {
                wants(e, Channel::EMAIL, config.email.enabled)
                    .then(|| render_alert_email(&config.email, e, &inputs.host, lang))
            })
            .collect();
        let pushes = events
            .iter()
            .map(|e| {
                config
                    .channels
                    .iter()
                    .filter(|c| wants(e, Channel::named(&c.name), c.enabled))
                    .map(|c| c.name.clone())
                    .collect()
            })
            .collect();
        let logged = events.clone();
        let on_desktop = |e: &AlertEvent| wants(e, Channel::DESKTOP, config.desktop.enabled);
        let desktop: Vec<AlertEvent> = events.iter().filter(|e| on_desktop(e)).cloned().collect();
        match held.back_mut() {
            // Only the latest rule states matter: a tick with no events that finds the one
            // before it (also without events) still waiting replaces its states.
            Some(last) if events.is_empty() && last.events.is_empty() && states.is_some() => {
                last.states = states
            }
            _ => held.push_back(Ready {
                events,
                emails,
                pushes,
                lang,
                states,
            }),
        }
        bound(&mut held);
        let was_held = held.len() > 1;
        let ids = write_held(&inputs, &mut held, &wake).await;
        if !was_held && held.is_empty() {
            retry = RETRY_FIRST;
        }
        // Actions run whether or not the event could be written (a full disk must not stop a
        // restart); the run links to the event when it was.
        for event in &logged {
            actions.send(
                ids.get(&(event.rule.clone(), event.at)).copied(),
                event.clone(),
                on_desktop(event),
            );
        }
        // The desktop is told at once, written or not: a full disk must not silence alerts.
        let desktop: Vec<(Option<i64>, AlertEvent)> = desktop
            .into_iter()
            .map(|e| (ids.get(&(e.rule.clone(), e.at)).copied(), e))
            .collect();
        if !desktop.is_empty() {
            let _ = desktop_tx.send(desktop);
        }
    }
    if !held.is_empty() {
        // Stopping: one last try, then say what is lost.
        write_held(&inputs, &mut held, &wake).await;
        let lost: usize = held.iter().map(|r| r.events.len()).sum();
        if lost > 0 {
            tracing::error!(
                lost,
                "alert events could not be written before Lookout stopped"
            );
        }
    }
    drop(desktop_tx);
    let _ = shower.await;
}

/// Drops the oldest held ticks while more than [`MAX_HELD_EVENTS`] events are held.
fn bound(held: &mut VecDeque<Ready>) {
    let mut count: usize = held.iter().map(|r| r.events.len()).sum();
    while count > MAX_HELD_EVENTS && held.len() > 1 {
        if let Some(dropped) = held.pop_front() {
            count -= dropped.events.len();
            for event in &dropped.events {
                tracing::error!(rule = %event.rule, "too many alert events wait for the disk: this one is dropped");
            }
        }
    }
}

/// Writes the held ticks in order until one fails; returns the alert log ids written, by
/// rule and time. Publishes the failure (or the recovery) in the channel health.
async fn write_held(
    inputs: &DeliveryInputs,
    held: &mut VecDeque<Ready>,
    wake: &Wakers,
) -> HashMap<(String, Timestamp), i64> {
    let mut ids = HashMap::new();
    while let Some(ready) = held.front() {
        let to_log = ready.events.clone();
        let emails = ready.emails.clone();
        let pushes = ready.pushes.clone();
        let states = ready.states.clone();
        let queued_email = emails.iter().any(Option::is_some);
        let queued_push = pushes.iter().any(|p| !p.is_empty());
        let (lang, host) = (ready.lang.code().to_owned(), inputs.host.clone());
        let now = inputs.clock.now();
        let written = inputs
            .store
            .call(move |store| {
                store.batch(|b| {
                    let mut ids = Vec::with_capacity(to_log.len());
                    for ((event, email), pushes) in to_log.iter().zip(emails).zip(pushes) {
                        let id = b.record_event(event)?;
                        if let Some(email) = email {
                            b.enqueue(&to_new_email(email, Some(id)), now)?;
                        }
                        let payload = PushPayload {
                            event: Some(event.clone()),
                            lang: lang.clone(),
                            host: host.clone(),
                            resend: false,
                        };
                        for channel in &pushes {
                            b.enqueue_push(channel, Some(id), &payload, now)?;
                        }
                        ids.push(((event.rule.clone(), event.at), id));
                    }
                    if let Some(states) = &states {
                        b.save_states(states)?;
                    }
                    Ok(ids)
                })
            })
            .await;
        match written {
            Ok(written) => {
                ids.extend(written);
                held.pop_front();
                if queued_email {
                    wake.email.notify_one();
                }
                if queued_push {
                    wake.push.notify_one();
                }
            }
            Err(e) => {
                let waiting = held.iter().map(|r| r.events.len()).sum();
                tracing::error!(error = %e, waiting, "cannot record alert events; keeping them and retrying");
                inputs.health.recording_failed(now, &e.to_string(), waiting);
                return ids;
            }
        }
    }
    inputs.health.recording_recovered();
    ids
}

async fn show_desktop(
    inputs: DeliveryInputs,
    notices: Arc<NoticeBus>,
    mut rx: mpsc::UnboundedReceiver<Vec<(Option<i64>, AlertEvent)>>,
) {
    while let Some(batch) = rx.recv().await {
        for (id, event) in batch {
            let lang = lookout_i18n::resolve_from_env(inputs.config.borrow().config.language);
            let notice = desktop::alert_notice(&event, &inputs.host, &TimeZone::system(), lang);
            let buttons = notice_bus::alert_buttons(&event, id, lang);
            let result = notices.show(&notice, buttons).await;
            if let Err(e) = &result {
                tracing::warn!(rule = %event.rule, error = %e, "desktop notification failed");
            }
            record_desktop(&inputs, id, result.map_err(|e| e.to_string())).await;
        }
        inputs.refresh_health().await;
    }
}

async fn record_desktop(
    inputs: &DeliveryInputs,
    event_id: Option<i64>,
    result: Result<(), String>,
) {
    let record = DeliveryRecord {
        at: inputs.clock.now(),
        channel: Channel::DESKTOP,
        event_id,
        outbox_id: None,
        outcome: if result.is_ok() {
            DeliveryOutcome::Ok
        } else {
            DeliveryOutcome::Failed
        },
        detail: result.err().unwrap_or_else(|| "shown".to_owned()),
    };
    if let Err(e) = inputs.store.call(move |s| s.record_delivery(&record)).await {
        tracing::error!(error = %e, "cannot record a desktop notification");
    }
}
