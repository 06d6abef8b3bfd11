//! Field errors: where a problem is (a path into the config), a stable machine-readable code
//! for what kind of problem it is, named parameters, and the English message people read.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use ts_rs::TS;

/// One step of a path into the config: a key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(untagged)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A key segment.
pub fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

/// Declares [`FieldCode`]: each variant with its dotted code, [`FieldCode::ALL`] and
/// [`FieldCode::as_str`], so a code cannot be added without its text or left out of ALL.
macro_rules! field_codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal,)+) => {
        /// What kind of problem a [`FieldError`] is: stable, dotted lowercase, one per kind.
        /// Front ends match on it (and translate from it), never on the message text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum FieldCode {
            $($(#[doc = $doc])+ #[serde(rename = $code)] $variant,)+
        }

        impl FieldCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [FieldCode] = &[$(FieldCode::$variant,)+];

            /// The code as it is written on the wire: `"rule.window.too_short"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FieldCode::$variant => $code,)+
                }
            }
        }
    };
}

field_codes! {
    /// `version` is not the one this build reads. Params: `value`, `supported`.
    VersionUnsupported = "version.unsupported",
    /// A duration starts with '-'. Params: `value`.
    DurationNegative = "duration.negative",
    /// Text that is not a duration. Params: `value`.
    DurationInvalid = "duration.invalid",
    /// The sampling interval is outside its range. Params: `value`, `min`, `max`.
    SamplingIntervalOutOfRange = "sampling.interval.out_of_range",
    /// `email.port` is 0.
    EmailPortZero = "email.port.zero",
    /// A subject or body template names unknown placeholders. Params: `unknown`
    /// (comma-separated names), `accepted` (space-separated names).
    EmailTemplateUnknownPlaceholder = "email.template.unknown_placeholder",
    /// The subject template has a line break.
    EmailSubjectMultiline = "email.subject.multiline",
    /// The send timeout is outside its range. Params: `value`, `min`, `max`.
    EmailTimeoutOutOfRange = "email.timeout.out_of_range",
    /// `email.username` is blank.
    EmailUsernameEmpty = "email.username.empty",
    /// A file path setting (`ca_file`, `password_file`) is blank.
    EmailFilePathEmpty = "email.file_path.empty",
    /// The host has a port, scheme or user in it. Params: `value`.
    EmailHostNotBare = "email.host.not_bare",
    /// The host is blank or has spaces. Params: `value`.
    EmailHostInvalid = "email.host.invalid",
    /// Email is on without a sender.
    EmailFromMissing = "email.from.missing",
    /// Email is on without recipients.
    EmailToMissing = "email.to.missing",
    /// A sender or recipient is not an email address. Params: `value`.
    EmailMailboxInvalid = "email.mailbox.invalid",
    /// The mailer cannot use an address that passed the syntax check. Params: `value`, `reason`.
    EmailMailboxRejected = "email.mailbox.rejected",
    /// A quiet hours time is not HH:MM. Params: `value`.
    QuietHoursTimeInvalid = "quiet_hours.time.invalid",
    /// Quiet hours start and end at the same time. Params: `value`.
    QuietHoursSpanEmpty = "quiet_hours.span.empty",
    /// A `[storage]` amount is outside its range. Params: `value`, `min`, `max`.
    StorageOutOfRange = "storage.out_of_range",
    /// `[http] listen` is not an address and port. Params: `value`.
    HttpListenInvalid = "http.listen.invalid",
    /// `[http] dashboard` is on without an address to serve on.
    HttpDashboardWithoutListen = "http.dashboard.no_listen",
    /// A rule without a name.
    RuleNameMissing = "rule.name.missing",
    /// A rule name with control characters (line breaks, tabs, escapes) or bidirectional-text
    /// controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
    RuleNameControlChars = "rule.name.control_chars",
    /// A second rule with the same name. Params: `value`, `first` (the other rule's index).
    RuleNameDuplicate = "rule.name.duplicate",
    /// A metric key no sampler reads. Params: `value`.
    RuleMetricUnknown = "rule.metric.unknown",
    /// The window is shorter than the sampling interval. Params: `value`, `interval`.
    RuleWindowTooShort = "rule.window.too_short",
    /// The window is longer than the longest kept in memory. Params: `value`, `max`.
    RuleWindowTooLong = "rule.window.too_long",
    /// Reminders more often than samples. Params: `value`, `interval`.
    RuleRepeatEveryTooShort = "rule.repeat_every.too_short",
    /// A threshold (or clear threshold) that is not a finite number. Params: `value`.
    RuleThresholdNotFinite = "rule.threshold.not_finite",
    /// No threshold at all: a front end's number field left empty (a file without one does
    /// not parse, so the core never reports this itself).
    RuleThresholdMissing = "rule.threshold.missing",
    /// The clear threshold is on the firing side of an upper threshold.
    /// Params: `value`, `threshold`, `op`.
    RuleClearThresholdAbove = "rule.clear_threshold.above",
    /// The clear threshold is on the firing side of a lower threshold.
    /// Params: `value`, `threshold`, `op`.
    RuleClearThresholdBelow = "rule.clear_threshold.below",
    /// `min_coverage` is not in (0, 1]. Params: `value`.
    RuleMinCoverageOutOfRange = "rule.min_coverage.out_of_range",
    /// `channels = []`, which would announce nothing.
    RuleChannelsEmpty = "rule.channels.empty",
    /// A channel name that does not exist. Params: `value`.
    RuleChannelUnknown = "rule.channel.unknown",
    /// A channel listed twice. Params: `value`.
    RuleChannelDuplicate = "rule.channel.duplicate",
    /// The email channel while email is off.
    RuleChannelEmailDisabled = "rule.channel.email_disabled",
    /// A metric key or channel with control characters or bidirectional-text controls (rule
    /// names have `rule.name.control_chars`). Params: `value` (escaped, cut to 80 characters).
    NameControlChars = "name.control_chars",
    /// More rules than a config may hold. Params: `value` (how many), `max`.
    RulesTooMany = "rules.too_many",
    /// A rule lists more channels than a rule may. Params: `value` (how many), `max`.
    RuleChannelsTooMany = "rule.channels.too_many",
    /// More email recipients than accepted. Params: `value` (how many), `max`.
    EmailToTooMany = "email.to.too_many",
    /// A name or key (rule name, metric key, channel) longer than accepted.
    /// Params: `length` (characters), `max`.
    NameTooLong = "name.too_long",
    /// A subject or body template longer than accepted. Params: `length` (bytes), `max`.
    EmailTemplateTooLong = "email.template.too_long",
    /// `email.username` with `tls = "none"`: AUTH would send the password in clear text.
    /// Params: `host`.
    EmailAuthPlaintext = "email.auth.plaintext",
    /// `email.allow_plaintext_auth` for a host that is not this machine. Params: `value`.
    EmailPlaintextAuthNotLoopback = "email.allow_plaintext_auth.not_loopback",
    /// More app watches than a config may hold. Params: `value` (how many), `max`.
    AppsTooMany = "apps.too_many",
    /// A watch without a name.
    AppNameMissing = "app.name.missing",
    /// A watch name that cannot sit in a metric key (dots, braces, spaces). Params: `value`.
    AppNameInvalid = "app.name.invalid",
    /// Two watches with one name. Params: `value`, `first` (index of the first).
    AppNameDuplicate = "app.name.duplicate",
    /// A match with no criterion.
    AppMatchEmpty = "app.match.empty",
    /// A match criterion given as empty text. Params: `field`.
    AppMatchFieldEmpty = "app.match.field_empty",
    /// `match.exe` that is not an absolute path. Params: `value`.
    AppMatchExeNotAbsolute = "app.match.exe_not_absolute",
    /// `match.cmdline` that is not a regular expression. Params: `value`, `reason`.
    AppMatchRegexInvalid = "app.match.regex_invalid",
    /// A rule on `app.<name>.*` with no such watch. Params: `value`, `app`, `known`
    /// (comma-separated names, or `none`).
    RuleMetricUnknownApp = "rule.metric.unknown_app",
    /// More actions on one rule than accepted. Params: `value` (how many), `max`.
    ActionsTooMany = "actions.too_many",
    /// `on` empty or naming `pending`.
    ActionOnInvalid = "action.on.invalid",
    /// `run` empty, or its program empty.
    ActionRunEmpty = "action.run.empty",
    /// More arguments than accepted. Params: `value` (how many), `max`.
    ActionRunTooLong = "action.run.too_long",
    /// An argument with a NUL character. Params: `value`.
    ActionRunNul = "action.run.nul",
    /// A program given by a relative path, or a bare name not found on `PATH`. Params: `value`.
    ActionProgramNotFound = "action.program.not_found",
    /// `timeout` of 0 or above 1h. Params: `value`, `max`.
    ActionTimeoutOutOfRange = "action.timeout.out_of_range",
    /// `max_runs = 0`.
    ActionMaxRunsZero = "action.max_runs.zero",
    /// `within` without `max_runs`.
    ActionWithinWithoutMaxRuns = "action.within.without_max_runs",
    /// `within` of 0. Params: `value`.
    ActionWithinZero = "action.within.zero",
    /// `repeat_max` on a rule without reminders (`repeat_every`).
    RuleRepeatMaxWithoutRepeatEvery = "rule.repeat_max.without_repeat_every",
    /// More `[[probes]]` than accepted. Params: `value`, `max`.
    ProbesTooMany = "probes.too_many",
    /// A probe without a name.
    ProbeNameMissing = "probe.name.missing",
    /// A probe name with dots, braces or spaces. Params: `value`.
    ProbeNameInvalid = "probe.name.invalid",
    /// A second probe with the same name. Params: `value`, `first`.
    ProbeNameDuplicate = "probe.name.duplicate",
    /// Neither or both of `tcp` and `http`.
    ProbeTargetCount = "probe.target.count",
    /// `tcp` that is not `host:port`. Params: `value`.
    ProbeTcpInvalid = "probe.tcp.invalid",
    /// `http` that is no URL a probe can get. Params: `value`.
    ProbeHttpInvalid = "probe.http.invalid",
    /// `expect_status` outside 100–599. Params: `value`.
    ProbeExpectStatusInvalid = "probe.expect_status.invalid",
    /// `expect_status` on a TCP probe.
    ProbeExpectStatusWithoutHttp = "probe.expect_status.without_http",
    /// A probe `interval` outside 1s–1h. Params: `value`, `min`, `max`.
    ProbeIntervalOutOfRange = "probe.interval.out_of_range",
    /// A probe `timeout` outside 100ms–1m. Params: `value`, `min`, `max`.
    ProbeTimeoutOutOfRange = "probe.timeout.out_of_range",
    /// A rule on `probe.<name>` with no such probe. Params: `value`, `probe`, `known`.
    RuleMetricUnknownProbe = "rule.metric.unknown_probe",
    /// More `[[channels]]` than accepted. Params: `value`, `max`.
    ChannelsTooMany = "channels.too_many",
    /// A push channel without a name.
    ChannelNameMissing = "channel.name.missing",
    /// A push channel name with spaces, commas, quotes or braces. Params: `value`.
    ChannelNameInvalid = "channel.name.invalid",
    /// A push channel named `desktop` or `email`. Params: `value`.
    ChannelNameReserved = "channel.name.reserved",
    /// A second push channel with the same name. Params: `value`, `first`.
    ChannelNameDuplicate = "channel.name.duplicate",
    /// A webhook, ntfy or Gotify channel without `url`. Params: `kind`.
    ChannelUrlMissing = "channel.url.missing",
    /// A `url` that is no http(s) URL. Params: `value`.
    ChannelUrlInvalid = "channel.url.invalid",
    /// A `url` on a kind whose URL is its secret (Discord, Slack, Apprise). Params: `kind`, `name`.
    ChannelUrlIsSecret = "channel.url.secret",
    /// A field the channel's kind does not use. Params: `field`, `kind`.
    ChannelFieldNotForKind = "channel.field.not_for_kind",
    /// A Telegram channel without `chat_id`.
    ChannelChatIdMissing = "channel.chat_id.missing",
    /// A webhook header that cannot be sent (or too many). Params: `value`.
    ChannelHeaderInvalid = "channel.header.invalid",
    /// A channel `timeout` outside 1s–1m. Params: `value`, `min`, `max`.
    ChannelTimeoutOutOfRange = "channel.timeout.out_of_range",
    /// An empty `secret_file` or `ca_file`. Params: `field`.
    ChannelFilePathEmpty = "channel.file_path.empty",
    /// `only_when` that is not `<metric> <op> <number>`. Params: `value`.
    RuleOnlyWhenInvalid = "rule.only_when.invalid",
}

impl fmt::Display for FieldCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem with one field: where (`rules[2].window`), what kind ([`FieldCode`] and its
/// named `params`, for front ends), and what is wrong and accepted (`message`, English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub path: Vec<PathSegment>,
    pub code: FieldCode,
    /// The values the message mentions, by name (`value`, `min`, `interval`, ...).
    pub params: BTreeMap<String, String>,
    pub message: String,
}

impl FieldError {
    pub fn new(path: &[PathSegment], code: FieldCode, message: impl Into<String>) -> Self {
        Self {
            path: path.to_vec(),
            code,
            params: BTreeMap::new(),
            message: message.into(),
        }
    }

    /// Adds a named parameter.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// The path as text: `rules[2].window`.
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                PathSegment::Key(k) if out.is_empty() => out.push_str(k),
                PathSegment::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path_text(), self.message)
    }
}
