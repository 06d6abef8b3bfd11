### Lookout: English messages (Project Fluent).
###
### The config problems that `lookout check` shows (the window will too), keyed by the stable field
### error codes (`field-` and the code with every `.` and `_` as `-`), and the `lookout check`
### lines. This file and ko.ftl must hold exactly the same message ids, each using the same
### variables; the `# params:` line above a field message names the params the code's
### FieldError always carries.

## Config field errors, in the order of FieldCode::ALL.

# params: value, supported
field-version-unsupported = unsupported config version '{ $value }'; this Lookout reads version { $supported }

# params: value
field-duration-negative = '{ $value }' is negative; durations must be zero or positive, like '90s', '5m' or '1h'

# params: value
field-duration-invalid = '{ $value }' is not a duration; write a number and a unit, like '500ms', '90s', '5m' or '1h'

# params: value, min, max
field-sampling-interval-out-of-range = '{ $value }' is out of range; use a duration from { $min } to { $max }

# params: none
field-email-port-zero = '0' is not a port; use the SMTP server's port, usually 587 (starttls), 465 (tls) or 25

# params: unknown, accepted
field-email-template-unknown-placeholder = unknown placeholder { $unknown }; write one of { $accepted } in braces, like {"{"}rule{"}"}

# params: none
field-email-subject-multiline = a subject template must be one line

# params: value, min, max
field-email-timeout-out-of-range = '{ $value }' is out of range; use a duration from { $min } to { $max }, like '30s'

# params: none
field-email-username-empty = an empty username; remove the line to send without AUTH

# params: none
field-email-file-path-empty = an empty path; give a file path or remove the line

# params: value
field-email-host-not-bare = '{ $value }' is not a bare host name; write only the server, like 'smtp.example.com', and put the port in email.port

# params: value
field-email-host-invalid = '{ $value }' is not a host name; give the SMTP server, like 'smtp.example.com'

# params: none
field-email-from-missing = a sender is needed, like 'Lookout <alerts@example.com>'

# params: none
field-email-to-missing = at least one recipient is needed, like ["me@example.com"]

# params: value
field-email-mailbox-invalid = '{ $value }' is not an email address; write 'me@example.com' or 'Me <me@example.com>'

# params: value, reason
field-email-mailbox-rejected = '{ $value }' is not an address the mailer accepts ({ $reason }); write 'me@example.com' or 'Me <me@example.com>'

# params: value
field-quiet-hours-time-invalid = '{ $value }' is not a time of day; write hours and minutes, like '22:00' or '07:30'

# params: value
field-quiet-hours-span-empty = '{ $value }' is when quiet hours start; the end must differ, like '07:00' after '22:00'

# params: value, min, max
field-storage-out-of-range = { $value } is out of range; use { $min } to { $max }

# params: none
field-rule-name-missing = a rule needs a name; write a short phrase like 'CPU busy'

# params: value
field-rule-name-control-chars = '{ $value }' holds control characters (line breaks, tabs, escapes) or bidirectional-text controls; use printable text only

# params: value, first
field-rule-name-duplicate = '{ $value }' is already the name of rules[{ $first }]; rule names must be unique

# params: value
field-rule-metric-unknown = unknown metric '{ $value }'; expected one of cpu.total, cpu.core.N, mem.used_pct, mem.used_bytes, swap.used_pct, load.1, load.5, load.15, disk.<mount>.used_pct (e.g. disk./.used_pct), net.<iface>.rx_bps, net.<iface>.tx_bps, temp.<sensor>

# params: value, interval
field-rule-window-too-short = '{ $value }' is shorter than the sampling interval '{ $interval }'; a window must span at least one sample

# params: value, max
field-rule-window-too-long = '{ $value }' is longer than { $max }, the longest window kept in memory

# params: value, interval
field-rule-repeat-every-too-short = '{ $value }' is shorter than the sampling interval '{ $interval }'; use a longer period like '1h', or '0s' for no reminders

# params: value
field-rule-threshold-not-finite = '{ $value }' is not a finite number; write a number like 80 or 0.5

# params: none
field-rule-threshold-missing = a threshold is needed, like 80

# params: value, threshold, op
field-rule-clear-threshold-above = '{ $value }' is above the threshold '{ $threshold }'; with '{ $op }' the alert clears at or below the threshold

# params: value, threshold, op
field-rule-clear-threshold-below = '{ $value }' is below the threshold '{ $threshold }'; with '{ $op }' the alert clears at or above the threshold

# params: value
field-rule-min-coverage-out-of-range = '{ $value }' is out of range; use a fraction above 0 and at most 1, like 0.9

# params: none
field-rule-channels-empty = an empty list would announce nothing; remove the line for every enabled channel, or set enabled = false

# params: value
field-rule-channel-unknown = unknown channel '{ $value }'; expected 'desktop' or 'email'

# params: value
field-rule-channel-duplicate = '{ $value }' is listed twice

# params: none
field-rule-channel-email-disabled = 'email' is not enabled; set [email] enabled = true or remove it from channels

# params: value
field-name-control-chars = '{ $value }' holds control characters (line breaks, tabs, escapes) or bidirectional-text controls; use printable text only

# params: value, max
field-rules-too-many =
    there { $value ->
        [one] is { $value } rule
       *[other] are { $value } rules
    }; at most { $max } are accepted

# params: value, max
field-rule-channels-too-many =
    there { $value ->
        [one] is { $value } channel
       *[other] are { $value } channels
    }; at most { $max } are accepted

# params: value, max
field-email-to-too-many =
    there { $value ->
        [one] is { $value } recipient
       *[other] are { $value } recipients
    }; at most { $max } are accepted

# params: length, max
field-name-too-long =
    this is { $length ->
        [one] { $length } character
       *[other] { $length } characters
    } long; at most { $max } are accepted

# params: length, max
field-email-template-too-long =
    { $length ->
        [one] { $length } byte
       *[other] { $length } bytes
    } is too long for a template; at most { $max } bytes are accepted

# params: host
field-email-auth-plaintext = with tls = "none" the password would cross the network to '{ $host }' in clear text; use tls = "starttls" or "tls" (for a relay on this machine, set allow_plaintext_auth = true)

# params: value
field-email-allow-plaintext-auth-not-loopback = '{ $value }' is not this machine; clear-text AUTH is allowed only to localhost, 127.0.0.1 or ::1, so use tls = "starttls" or "tls" and remove allow_plaintext_auth

## lookout check

# params: path, rules, enabled
check-ok =
    { $path }: ok ({ $rules ->
        [one] { $rules } rule
       *[other] { $rules } rules
    }, { $enabled } enabled)

# params: reason
check-unreadable = cannot use the config file: { $reason }

# params: detail
parse-error = not valid TOML: { $detail }

## The tray menu.
tray-starting = Starting…
tray-open = Open Lookout
tray-recent = Recent alerts
tray-no-alerts-yet = No alerts yet
tray-pause = Pause alerts
tray-pause-15m = For 15 minutes
tray-pause-1h = For 1 hour
tray-pause-tomorrow = Until tomorrow { $hour }:00
tray-resume = Resume alerts
tray-resume-note = Resume alerts ({ $note })
tray-autostart = Start at login
tray-quit = Quit
# The status line: CPU and memory use in percent, then the rules firing now.
tray-status = CPU { $cpu } · Mem { $mem } · { $count ->
        [0] no alerts
        [one] 1 alert
       *[other] { $count } alerts
    }
tray-paused-until = paused until { $time }
tray-paused = paused
tray-monitor-restarted = monitor restarted after an error
tray-monitor-stopped = monitor stopped after errors: alerts are not checked
tray-state-pending = pending
tray-state-firing = firing
tray-state-reminder = reminder
tray-state-resolved = resolved

## Desktop notifications.
notify-critical = Critical: { $rule }
notify-warning = Warning: { $rule }
notify-critical-reminder = Critical: { $rule } (still firing)
notify-warning-reminder = Warning: { $rule } (still firing)
notify-resolved = Resolved: { $rule }
# What is measured: the aggregate of a metric over a window.
notify-measure = { $aggregate } of { $metric } over { $window }
notify-body-firing =
    { $measure } is { $value } ({ $op } { $threshold }).
    Firing since { $since } ({ $lasted }) on { $host }.
notify-body-pending =
    { $measure } is { $value } ({ $op } { $threshold }).
    Pending since { $since } ({ $lasted }) on { $host }.
notify-body-resolved =
    { $measure } is back to { $value }.
    It was firing since { $since } ({ $lasted }) on { $host }.
notify-test = Lookout test notification
notify-test-body = Desktop notifications from Lookout on { $host } work.
notify-channel-failing = Lookout: a notification channel is failing
aggregate-all = every sample
aggregate-avg = average
aggregate-min = minimum
aggregate-max = maximum
aggregate-p95 = 95th percentile
op-gt = above
op-ge = at or above
op-lt = below
op-le = at or below
