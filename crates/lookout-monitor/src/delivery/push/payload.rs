//! The JSON bodies of webhooks: Lookout's own (documented in the README) and Alertmanager's
//! webhook payload (version 4), for receivers written for Alertmanager; and the alerts posted
//! to Alertmanager itself (its v2 API).

use crate::delivery::format::metric_value;
use crate::store::PushMessage;
use crate::sys::clock::rfc3339;
use lookout_core::prometheus::{alert_name_of, series_of};
use lookout_core::{AlertEvent, EventKind, Timestamp};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// What a message says, in its language: a title and a plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub title: String,
    pub body: String,
}

/// Lookout's webhook body, version 1. A test message has `"state": "test"` and no alert fields.
pub fn lookout_payload(message: &PushMessage, words: &Words) -> Value {
    let p = &message.payload;
    let mut body = json!({
        "version": "1",
        "source": "lookout",
        "delivery": message.delivery_key(),
        "host": p.host,
        "title": words.title,
        "text": words.body,
    });
    let Some(e) = &p.event else {
        body["state"] = json!("test");
        return body;
    };
    let alert = json!({
        "rule": e.rule,
        "state": e.state.name(),
        "severity": e.severity.to_string(),
        "metric": e.metric.as_str(),
        "value": e.value,
        "value_text": e.value.map(|v| metric_value(&e.metric, v)),
        "op": e.op.symbol(),
        "threshold": e.threshold,
        "clear_threshold": e.clear_threshold,
        "aggregate": e.aggregate.to_string(),
        "window_s": e.window.as_secs(),
        "at": rfc3339(e.at),
        "since": rfc3339(e.since),
        "culprits": e.culprits,
    });
    if let (Value::Object(body), Value::Object(alert)) = (&mut body, alert) {
        body.extend(alert);
    }
    body
}

/// Alertmanager's webhook payload (version 4) for one alert: what Alertmanager POSTs to a
/// webhook receiver, so a receiver written for it takes Lookout's alerts unchanged.
pub fn alertmanager_payload(message: &PushMessage, receiver: &str, words: &Words) -> Value {
    let p = &message.payload;
    let labels = alert_labels(p.event.as_ref(), &p.host, |e| e.rule.clone());
    let (status, starts, ends) = match &p.event {
        Some(e) if e.state == EventKind::Resolved => ("resolved", e.since, rfc3339(e.at)),
        Some(e) => ("firing", e.since, ZERO_TIME.to_owned()),
        None => ("firing", message.created_at, ZERO_TIME.to_owned()),
    };
    let starts = rfc3339(starts);
    let annotations = json!({ "summary": words.title, "description": words.body });
    let alertname = labels.get("alertname").cloned().unwrap_or(Value::Null);
    let group_key = format!(
        "{{}}:{{alertname={}}}",
        serde_json::to_string(&alertname).unwrap_or_default()
    );
    json!({
        "version": "4",
        "groupKey": group_key,
        "truncatedAlerts": 0,
        "status": status,
        "receiver": receiver,
        "groupLabels": { "alertname": alertname },
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": "",
        "alerts": [{
            "status": status,
            "labels": labels,
            "annotations": annotations,
            "startsAt": starts,
            "endsAt": ends,
            "generatorURL": "",
            "fingerprint": fingerprint(&labels),
        }],
    })
}

/// How often a firing alert is sent to Alertmanager again. Each sending says it ends four
/// periods later (as Prometheus does), so Alertmanager keeps it while Lookout runs and ends
/// it on its own if Lookout stops sending.
pub const ALERTMANAGER_RESEND: Duration = Duration::from_secs(5 * 60);

/// The body of a POST to Alertmanager's `/api/v2/alerts`: one alert, its labels naming it as
/// the exported Prometheus rule would (alertname, severity, rule, instance, the metric's
/// labels), the message's words as annotations, `startsAt` when it began firing and `endsAt`
/// when it resolved, or four re-send periods after `now` while it fires.
pub fn alertmanager_alerts(message: &PushMessage, words: &Words, now: Timestamp) -> Value {
    let p = &message.payload;
    let mut labels = alert_labels(p.event.as_ref(), &p.host, |e| {
        alert_name_of(&e.rule, &e.metric, e.op, e.threshold)
    });
    let (starts, ends) = match &p.event {
        Some(e) => {
            labels.insert("rule".into(), json!(e.rule));
            for (name, value) in series_of(&e.metric.family()).labels {
                labels.insert(name.into(), json!(value));
            }
            let ends = match e.state {
                EventKind::Resolved | EventKind::GaveUp => e.at,
                _ => now.plus(ALERTMANAGER_RESEND * 4),
            };
            (e.since, ends)
        }
        None => (now, now.plus(ALERTMANAGER_RESEND)),
    };
    json!([{
        "labels": labels,
        "annotations": { "summary": words.title, "description": words.body },
        "startsAt": rfc3339(starts),
        "endsAt": rfc3339(ends),
    }])
}

/// Alertmanager's "not ended yet".
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The labels both Alertmanager shapes give an alert: `alertname` (as `name` makes it),
/// `severity`, `instance` and `metric`; a test message is `LookoutTest`, severity `none`.
fn alert_labels(
    event: Option<&AlertEvent>,
    host: &str,
    name: impl Fn(&AlertEvent) -> String,
) -> Map<String, Value> {
    let mut labels = Map::new();
    match event {
        Some(e) => {
            labels.insert("alertname".into(), json!(name(e)));
            labels.insert("severity".into(), json!(e.severity.to_string()));
            labels.insert("metric".into(), json!(e.metric.as_str()));
        }
        None => {
            labels.insert("alertname".into(), json!("LookoutTest"));
            labels.insert("severity".into(), json!("none"));
        }
    }
    labels.insert("instance".into(), json!(host));
    labels
}

/// 16 hex digits naming the label set, as Alertmanager's fingerprints do.
fn fingerprint(labels: &Map<String, Value>) -> String {
    let text = serde_json::to_string(labels).unwrap_or_default();
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
