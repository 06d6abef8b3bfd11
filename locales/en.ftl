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

# params: value
field-http-listen-invalid = “{ $value }” is not an address and port; use one like 127.0.0.1:9464, [::1]:9464 or 0.0.0.0:9464

# params: none
field-http-dashboard-no-listen = The dashboard needs an address to serve on; set the listen address first

# params: none
field-rule-name-missing = a rule needs a name; write a short phrase like 'CPU busy'

# params: value
field-rule-name-control-chars = '{ $value }' holds control characters (line breaks, tabs, escapes) or bidirectional-text controls; use printable text only

# params: value, first
field-rule-name-duplicate = '{ $value }' is already the name of rules[{ $first }]; rule names must be unique

# params: value
field-rule-metric-unknown = unknown metric '{ $value }'; expected one of cpu.total, cpu.core.N, mem.used_pct, mem.used_bytes, swap.used_pct, load.1, load.5, load.15, disk.<mount>.used_pct (e.g. disk./.used_pct), net.<iface>.rx_bps, net.<iface>.tx_bps, temp.<sensor>, app.<watch>.<field>, battery.<name>.<pct | charging | time_to_empty_s>, power.ac, diskio.<device>.<read_bps | write_bps | busy_pct>, gpu.N.<busy_pct | vram_used_pct | temp>, probe.<name>.<up | latency_ms>

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

# params: value, known
field-rule-channel-unknown = unknown channel '{ $value }'; expected one of { $known } (declare others in [[channels]])

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

# params: value, max
field-apps-too-many = there are { $value } app watches; at most { $max } are accepted

# params: none
field-app-name-missing = a watch needs a name; rules use it as app.<name>.running

# params: value
field-app-name-invalid = '{ $value }' cannot name a watch: metric keys hold it (app.<name>.running), so it may not hold dots, braces or spaces; write it like 'postgres' or 'my-app'

# params: value, first
field-app-name-duplicate = '{ $value }' is already the name of apps[{ $first }]; watch names must be unique

# params: none
field-app-match-empty = a match needs at least one of process, exe, cmdline, unit or user, like match = {"{"} process = "postgres" {"}"}

# params: field
field-app-match-field-empty = match.{ $field } is empty; give a value or leave the key out

# params: value
field-app-match-exe-not-absolute = '{ $value }' is not an absolute path; exe is the program's full path, like '/usr/bin/python3' (match a name with process = ...)

# params: value, reason
field-app-match-regex-invalid = '{ $value }' is not a valid regular expression ({ $reason }); write one like 'my-app( |$)' or escape special characters with \\

# params: value, app, known
field-rule-metric-unknown-app = '{ $value }' names the app watch '{ $app }', which is not in [[apps]] (watches: { $known }); add it there or fix the name

# params: value, max
field-actions-too-many = there are { $value } actions on this rule; at most { $max } are accepted

# params: none
field-action-on-invalid = say when to run it: any of "firing", "reminder" and "resolved", like on = ["firing"]

# params: none
field-action-run-empty = run needs a program and its arguments, like run = ["systemctl", "--user", "restart", "my-app.service"]

# params: value, max
field-action-run-too-long = the command has { $value } arguments; at most { $max } are accepted

# params: value
field-action-run-nul = '{ $value }' holds a NUL character, which no command line can carry

# params: value
field-action-program-not-found = '{ $value }' is not on PATH and is not an absolute path; give the program's full path, like '/usr/bin/systemctl', or a name found on PATH

# params: value, max
field-action-timeout-out-of-range = '{ $value }' is out of range; use a duration from 1s to { $max }

# params: none
field-action-max-runs-zero = max_runs must be at least 1; leave it out for no cap

# params: none
field-action-within-without-max-runs = within says how long max_runs counts; give max_runs too, like max_runs = 3

# params: value
field-action-within-zero = within must be longer than 0s, like within = "15m"

# params: none
field-rule-repeat-max-without-repeat-every = repeat_max caps reminders, and this rule sends none; give repeat_every too, like repeat_every = "1h"

# params: value, max
field-probes-too-many = there are { $value } probes; at most { $max } are accepted
field-probe-name-missing = a probe needs a name; rules use it as probe.<name>.up
# params: value
field-probe-name-invalid = '{ $value }' cannot name a probe: metric keys hold it (probe.<name>.up), so it may not hold dots, braces or spaces; write it like 'nas' or 'my-site'
# params: value, first
field-probe-name-duplicate = '{ $value }' is already the name of probes[{ $first }]; probe names must be unique
field-probe-target-count = a probe checks one thing: give either tcp = "host:port" or http = "https://..."
# params: value
field-probe-tcp-invalid = '{ $value }' is not host:port; write it like "nas.local:445", "192.168.1.2:22" or "[::1]:8080"
# params: value
field-probe-http-invalid = '{ $value }' cannot be probed; use an http:// or https:// URL with a host, without spaces, user name or password
# params: value
field-probe-expect-status-invalid = { $value } is not an HTTP status; use one from 100 to 599, like 200
field-probe-expect-status-without-http = expect_status applies to http probes only; remove it, or probe a URL with http = "https://..."
# params: value, min, max
field-probe-interval-out-of-range = '{ $value }' is out of range; use a duration from { $min } to { $max }
# params: value, min, max
field-probe-timeout-out-of-range = '{ $value }' is out of range; use a duration from { $min } to { $max }
# params: value, probe, known
field-rule-metric-unknown-probe = '{ $value }' names the probe '{ $probe }', which is not in [[probes]] (probes: { $known }); add it there or fix the name

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

## Why a desktop notification could not be shown.
desktop-no-server = no notification server is running on the session bus ({ $detail }); start one (GNOME, KDE, dunst, mako) or set [desktop] enabled = false
desktop-no-bus = desktop notifications are unavailable: cannot reach the session bus ({ $detail }); they need a graphical login session with D-Bus
desktop-timeout = the notification server did not answer within { $after }
desktop-failed = the notification server refused the notification ({ $detail })

## What the window's and the CLI's test buttons and commands report.
result-test-notify-shown = test notification shown
result-email-not-configured = email is not configured: set [email] host, from and to
result-email-permanent = permanent failure: { $reason }
result-email-temporary = temporary failure: { $reason }
result-test-email-sent = sent to { $to } via { $server }: the server answered { $code } { $reply }

## Files a user names (the config, the CA file, the password file) that Lookout refuses.
file-cannot-open = cannot open '{ $path }': { $reason }
file-symlink = '{ $path }' is a symbolic link; name the file itself, not a link to it
file-not-regular = '{ $path }' is { $kind }, not a regular file; name a regular file
file-too-large = '{ $path }' is too large ({ $size } bytes); at most { $max } bytes are accepted
file-not-owner = '{ $path }' belongs to user { $owner }, not to the user running Lookout ({ $me }); keep your own copy of it
file-too-open = '{ $path }' is readable by group or others (mode { $mode }); run `chmod 600 '{ $path }'`
file-cannot-read = cannot read '{ $path }': { $reason }
file-not-found = No such file or directory
file-permission-denied = Permission denied
file-not-utf8 = it is not UTF-8 text; save it as UTF-8
file-kind-directory = a directory
file-kind-fifo = a named pipe (FIFO)
file-kind-socket = a socket
file-kind-char-device = a character device
file-kind-block-device = a block device
file-kind-symlink = a symbolic link
file-kind-other = not a plain file

## The lookout command line: help, errors and output. Flags, paths and config keys stay as
## they are.
cli-about = Lookout: watches this machine and tells you when something stays wrong.
cli-usage = Usage:
cli-heading-commands = Commands
cli-heading-arguments = Arguments
cli-heading-options = Options
cli-help = Print help
cli-version = Print version
cli-run = Run the monitor headless until Ctrl-C or SIGTERM.
cli-run-config = Config file (default: ~/.config/lookout/config.toml, written on first run; env LOOKOUT_CONFIG).
cli-run-events = Print every alert transition on stdout in this format: jsonl (one JSON object per line).
cli-data-dir = Data directory: alert log, outbox, state (default: ~/.local/share/lookout; env LOOKOUT_DATA_DIR).
cli-check = Validate a config file: exit 0 when valid, 2 with one line per problem otherwise.
cli-check-path = Config file (default: ~/.config/lookout/config.toml; env LOOKOUT_CONFIG).
cli-sample = Read every metric once and print it.
cli-json = Print JSON.
cli-sample-json = Print one JSON object (metric key → number).
cli-status = Show whether the monitor runs, each channel's health, the outbox and firing alerts.
cli-status-config = Config file, to tell which channels are on (default: ~/.config/lookout/config.toml; env LOOKOUT_CONFIG).
cli-alerts = Show the alert log.
cli-alerts-since = How far back, e.g. "1h", "24h", "7d" (default: 24h).
cli-test-email = Send one test email now with the configured settings and print the server's answer.
cli-test-email-config = Config file (default: ~/.config/lookout/config.toml; env LOOKOUT_CONFIG).
cli-test-notify = Show one test desktop notification now.
cli-secret = Store or remove a secret in the OS keyring.
cli-secret-set = Store a secret, read from standard input (or a hidden prompt on a terminal).
cli-secret-clear = Remove a stored secret.
cli-secret-name = Which secret: smtp (the SMTP password) or channel:<name> (a push channel's token or webhook URL).
cli-secret-config = Config file whose [[channels]] the channel must be in (default: ~/.config/lookout/config.toml; env LOOKOUT_CONFIG).
cli-test-channel = Send one test message on a push channel now and print the service's answer.
cli-test-channel-name = The channel's name, as in [[channels]].
cli-run-listen = Serve Prometheus' /metrics at this address and port, like 127.0.0.1:9464 [default: the config's http.listen].
cli-run-dashboard = Serve the web dashboard too, behind the access token.
cli-dashboard-url = Print a one-time link that opens the web dashboard in a browser.
cli-dashboard-url-listen = The address the dashboard is served on [default: the config's http.listen].
cli-export-rules = Write the config's rules as Prometheus alerting rules on standard output.
cli-export-rules-format = The rules file format: prometheus.
cli-export-rules-scrape = How often Prometheus scrapes Lookout; the coverage guards count samples at this rate [default: 15s].
cli-error = error: { $detail }
cli-error-unknown-argument = unexpected argument '{ $arg }'
cli-error-unknown-command = unknown command '{ $command }'
cli-error-invalid-value = invalid value '{ $value }' for '{ $arg }'
cli-error-possible-values = possible values: { $values }
cli-error-missing = required arguments were not given: { $args }
cli-error-missing-value = a value is required for '{ $arg }'
cli-error-other = the command line is not valid ({ $detail })
cli-error-similar = a similar argument exists: '{ $suggestion }'
cli-error-more = For more information, try '{ $help }'.
cli-data-dir-misplaced = --data-dir has no effect on this command; it applies to run, status, alerts and test-email
cli-no-config-dir = cannot find the config directory; set HOME or pass --config PATH
cli-no-data-dir = cannot find the data directory; set HOME or pass --data-dir DIR
cli-no-runtime = cannot start the async runtime
cli-email-not-enabled = { $path }: email is not enabled; set [email] enabled = true
cli-test-email-failed = test email not delivered: { $reason }
cli-test-notify-failed = test notification not shown: { $reason }
cli-no-password = no password given; nothing stored
cli-password-prompt = SMTP password:{" "}
cli-password-unreadable = cannot read the password
cli-password-stored = SMTP password stored in the OS keyring
cli-password-store-failed = cannot store the SMTP password
cli-password-removed = SMTP password removed from the OS keyring
cli-password-remove-failed = cannot remove the SMTP password
cli-password-none = no SMTP password was stored
cli-monitor-failed = the monitor stopped checking alerts after an internal error: { $reason }. Lookout exits so that its service manager can start it again; please report this.
cli-status-no-data = Lookout has no data in { $dir } yet (it has not run with this data directory).
cli-status-running-pid = monitor   running (PID { $pid }), data in { $dir }
cli-status-running = monitor   running, data in { $dir }
cli-status-stopped = monitor   not running, data in { $dir }
cli-status-log = log       { $path }
cli-status-channel = { $channel }{ $pad } { $state }
cli-status-off = off ({ $channel }.enabled = false in the config)
cli-status-failing = FAILING ({ $count } in a row): { $reason }
cli-status-unknown-error = unknown error
cli-status-ok-since = ok, last delivery { $at }
cli-status-ok = ok, nothing delivered yet
cli-status-outbox = outbox    { $pending } waiting, { $failed } failed
cli-status-firing-none = firing    none
cli-status-firing = firing    { $rule } (since { $since })
cli-ps = Show the processes each app watch matches right now.
cli-status-config-ps = Config file with the [[apps]] watches (default: ~/.config/lookout/config.toml; env LOOKOUT_CONFIG).
cli-ps-no-watches = { $path } has no [[apps]] watches.
cli-ps-watch = { $watch }: { $count ->
        [one] { $count } process
       *[other] { $count } processes
    }
cli-alerts-none = no alerts in the last { $span }
cli-value-unknown = unknown

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
tray-state-gave-up = gave up

## Desktop notifications.
notify-critical = Critical: { $rule }
notify-warning = Warning: { $rule }
notify-critical-reminder = Critical: { $rule } (still firing)
notify-warning-reminder = Warning: { $rule } (still firing)
notify-resolved = Resolved: { $rule }
notify-gave-up = Gave up: { $rule }
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
notify-button-open = Open
notify-button-snooze = Snooze 1 h

## Culprits: the processes an alert about CPU or memory names.
culprit-heading = Top processes
culprit-who = pid { $pid }
culprit-who-user = pid { $pid }, { $user }
culprit-line = { $name } ({ $who }): { $cpu } CPU, { $memory }
culprit-col-pid = PID
culprit-col-user = USER
culprit-col-cpu = CPU
culprit-col-memory = MEMORY
culprit-col-command = COMMAND

## Rule actions.
action-gave-up-within = Gave up running { $command } after { $runs } tries in { $within }. It runs again once the rule has resolved.
action-gave-up = Gave up running { $command } after { $runs } tries. It runs again once the rule has resolved.
action-exited = exited with status { $code }
action-signalled = ended by signal { $signal }
action-timed-out = killed at its timeout
action-not-started = could not start: { $error }
action-run-line = ran { $command }: { $outcome } after { $took }
notify-action-ran = Action done: { $rule }
notify-action-failed = Action failed: { $rule }
aggregate-all = every sample
aggregate-avg = average
aggregate-min = minimum
aggregate-max = maximum
aggregate-p95 = 95th percentile
op-gt = above
op-ge = at or above
op-lt = below
op-le = at or below

## Email: the default alert emails (when [email] sets no subject or body) and the test email.
## A user's own templates are used as written; their placeholders are the same in every language.
email-label-critical = CRITICAL
email-label-warning = WARNING
email-label-resolved = RESOLVED
severity-critical = critical
severity-warning = warning
email-subject-firing = [Lookout] { $label }: { $rule } is firing on { $host }
email-subject-pending = [Lookout] { $label }: { $rule } is pending on { $host }
email-subject-reminder = [Lookout] { $label }: { $rule } is still firing on { $host }
email-subject-resolved = [Lookout] { $label }: { $rule } on { $host }
email-subject-gave-up = [Lookout] { $label }: gave up on the action of { $rule } on { $host }
email-headline-firing = { $rule } is firing on { $host }
email-headline-pending = { $rule } is pending on { $host }
email-headline-reminder = { $rule } is still firing on { $host }
email-headline-resolved = { $rule } has resolved on { $host }
email-headline-gave-up = Lookout gave up on the action of { $rule } on { $host }
email-evidence = { $metric }, { $aggregate } over { $window }: { $value } (threshold: { $op } { $threshold })
email-evidence-clear = { $metric }, { $aggregate } over { $window }: { $value } (threshold: { $op } { $threshold }, clears at { $clear })
email-metric = Metric
email-value = Value
email-value-over = { $value } ({ $aggregate } over { $window })
email-threshold = Threshold
email-threshold-value = { $op } { $threshold }
email-severity = Severity
email-host = Host
email-pending-since = Pending since
email-firing-since = Firing since
email-was-firing-since = Was firing since
email-since-for = { $since } (for { $lasted })
email-reported-at = Reported at
email-sent-by = Sent by Lookout
email-test-subject = [Lookout] Test message from { $host }
email-test-sent = This is a test message from Lookout on { $host }, sent at { $when }.
email-test-route = It went through { $server } with { $tls }, { $auth }.
email-test-reach = If you are reading it, alert emails will reach you.
email-tls-none = no TLS
email-auth-user = authenticated as '{ $user }'
email-auth-none = without authentication

## The window
## Lookout's own window (ui/): navigation, views, forms and messages. Config problems in the
## forms use the field-* messages above.

ui-brand = Lookout
ui-nav-label = Views
ui-nav-overview = Overview
ui-nav-alerts = Alerts
ui-nav-rules = Rules
ui-nav-notifications = Notifications
ui-demo-data = Demo data: not connected to Lookout
# reason: what went wrong (ui-api-error-detail)
ui-not-answering = Lookout is not answering: { $reason }
ui-start-failed = Lookout's window could not start: { $reason }
ui-loading = Loading…
ui-try-again = Try again
ui-config-load-failed = Could not read the config: { $reason }

# Readings. value: a number already formatted for the language.
ui-unit-percent = { $value } %
ui-unit-celsius = { $value } °C
# unit: a byte or rate symbol such as MiB or MB/s.
ui-unit-symbol = { $value } { $unit }
# op: >, >=, < or <=; threshold: a formatted reading.
ui-condition = { $op } { $threshold }
ui-span-seconds = { $s } s
ui-span-minutes = { $min } min
ui-span-hours = { $h } h
ui-span-hours-minutes = { $h } h { $min } min
ui-span-days = { $d } d
ui-span-days-hours = { $d } d { $h } h
ui-relative-now = now
# span: a span such as "5 min".
ui-relative-ago = { $span } ago
ui-relative-in = in { $span }
ui-no-data = no data

# States and names

ui-overall-ok = All clear
ui-overall-warning = Warning
ui-overall-critical = Critical
ui-overall-paused = Paused
ui-overall-channel-failing = Delivery failing
ui-phase-inactive = OK
ui-phase-pending = Pending
ui-phase-firing = Firing
ui-event-pending = Pending
ui-event-firing = Firing
ui-event-reminder = Reminder
ui-event-resolved = Resolved
ui-severity-warning = warning
ui-severity-critical = critical
ui-channel-desktop = Desktop
ui-channel-email = Email
ui-metric-cpu = CPU
ui-metric-mem-used-pct = Memory used
ui-metric-mem-used-bytes = Memory used (bytes)
ui-metric-swap-used-pct = Swap used
ui-metric-load = Load ({ $minutes } min)
ui-metric-core = CPU core { $index }
ui-metric-disk = Disk { $mount }
ui-metric-app = { $app }: { $field }
ui-app-field-running = processes running
ui-app-field-cpu-pct = CPU
ui-app-field-rss-bytes = memory (RSS)
ui-app-field-mem-pct = memory used
ui-app-field-threads = threads
ui-app-field-fds = open files
ui-app-field-io-read-bps = disk reads
ui-app-field-io-write-bps = disk writes
ui-app-field-restarts = restarts
ui-app-field-uptime-s = uptime
ui-metric-net-rx = { $iface } received
ui-metric-net-tx = { $iface } sent

# Errors from Lookout, by code

ui-api-invalid-config = The config has problems
ui-api-config-io = The config file could not be read or written
ui-api-store = Lookout's data store failed
ui-api-email = Email failed
ui-api-desktop = The desktop notification failed
ui-api-keyring = The system keyring failed
ui-api-autostart = Start at login could not be changed
ui-api-channel = The push channel did not take the message
ui-api-forbidden = The window may not change this
ui-api-stopped = Lookout's monitor has stopped
ui-api-internal = Lookout hit an internal error
ui-api-bad-request = Lookout has no such thing to show
# summary: one of the ui-api-* texts; detail: Lookout's own message (English).
ui-api-error-detail = { $summary } ({ $detail })

# Overview

ui-overview-live = Live, last 10 minutes
ui-overview-waiting = Waiting for the first reading…
ui-overview-cores =
    { $count ->
        [one] { $count } core
       *[other] { $count } cores
    }
ui-overview-memory = Memory
ui-overview-memory-used = { $bytes } used
ui-overview-swap = Swap
ui-overview-load = Load
ui-overview-load-detail = 5 min { $load5 } · 15 min { $load15 }
ui-overview-network = Network
ui-overview-net-rx = ↓ { $rate }
ui-overview-net-tx = ↑ { $rate }
ui-overview-disks = Disks
ui-overview-temperatures = Temperatures
ui-cores-label = CPU per core
ui-core-usage = Core { $index }: { $value }
# name: what the chart shows, like "CPU" or "Network eth0".
ui-chart-label = { $name }, last 10 minutes
ui-col-state = State
ui-col-rule = Rule
ui-col-metric = Metric
ui-col-value = Value
ui-col-coverage = Coverage
ui-col-severity = Severity
ui-col-time = Time
ui-rule-off = Off
ui-rule-states-empty = No rules yet. Add one under Rules.

# Status strip

ui-status-label = Status
ui-status-firing = Firing: { $rules }
ui-status-paused-until = Alerts paused until { $time }
# left: a relative time, like "in 42 min".
ui-status-paused-left = ({ $left })
ui-status-resume = Resume
ui-status-pause-for = Pause alerts for
ui-status-pause-15m = 15 min
ui-status-pause-1h = 1 hour
ui-status-pause-tomorrow = until tomorrow
ui-status-config-error = The config file has problems; Lookout runs on the last valid config until they are fixed:
ui-status-tick-restarted = The monitor failed with an internal error and was restarted; please report it:
ui-status-tick-stopped = The monitor stopped after repeated internal errors: alerts are not checked. Restart Lookout, and please report it:
ui-status-channels = Channels
ui-channel-off = off
ui-channel-ok = ok
ui-channel-failing = failing ({ $count }×)
ui-channel-failing-error = failing ({ $count }×): { $error }
ui-status-outbox = Outbox: { $pending } waiting
ui-status-outbox-failed = Outbox: { $pending } waiting, { $failed } failed
ui-status-self = Lookout itself: { $cpu } CPU · { $memory }
ui-status-log = log:

# Alert log

ui-alerts-range-label = Show alerts from
ui-alerts-range-1h = Last hour
ui-alerts-range-24h = 24 hours
ui-alerts-range-7d = 7 days
ui-alerts-error = Could not read the alert log: { $reason }
# aggregate: an aggregate-* text; metric: a metric in words; window: as configured, like 5m.
ui-alert-measure = { $aggregate } of { $metric } over { $window }
ui-alerts-not-announced = not announced
# condition: like "> 80.0 %".
ui-alerts-threshold = threshold { $condition }
# range: hour, day or week.
ui-alerts-empty =
    { $range ->
        [hour] No alerts in the last hour.
        [day] No alerts in the last 24 hours.
       *[week] No alerts in the last 7 days.
    }

# Rules

ui-rules-list = Rule list
ui-rules-editor = Rule editor
ui-rule-unnamed = (unnamed)
ui-rule-problems =
    { $count ->
        [one] { $count } problem
       *[other] { $count } problems
    }
ui-rules-empty = No rules. Add one to be told when something stays wrong.
ui-rules-add = + Add rule
ui-rules-interval = Sampling interval
ui-rules-interval-hint = how often metrics are read, e.g. 1s
ui-rules-duplicate = Duplicate
ui-rules-delete = Delete
ui-rules-select = Select a rule or add one.
ui-rule-new-name = New rule
# name: the rule copied.
ui-rule-copy-name = { $name } (copy)
# aggregate: all, avg, min, max or p95; op: an op-* text; threshold: a formatted reading.
ui-rule-summary =
    Fires when { $aggregate ->
        [all] every sample
        [avg] the average
        [min] the minimum
        [max] the maximum
       *[p95] the 95th percentile
    } of { $metric } over { $window } is { $op } { $threshold }.
# held: how long it must hold, as configured, like 2m.
ui-rule-summary-held =
    Fires when { $aggregate ->
        [all] every sample
        [avg] the average
        [min] the minimum
        [max] the maximum
       *[p95] the 95th percentile
    } of { $metric } over { $window } is { $op } { $threshold }, held for { $held }.
# fires: one of the sentences above; op: an op-* text; threshold: the clear threshold.
ui-rule-summary-clears = { $fires } It clears { $op } { $threshold }.
# fires: one of the sentences above (with when it clears, if it says); every: how often, like 1 h.
ui-rule-summary-reminds = { $fires } It reminds every { $every }.
# As ui-rule-summary-reminds; max: the most reminders it sends per firing period.
ui-rule-summary-reminds-max =
    { $fires } { $max ->
        [0] It sends no reminders.
        [one] It reminds once, after { $every }.
       *[other] It reminds every { $every }, at most { $max } times.
    }
ui-rule-watch = What to watch
ui-rule-name = Name
ui-rule-metric = Metric
ui-rule-metric-hint = e.g. cpu.total, mem.used_pct, disk./.used_pct
ui-rule-aggregate = Aggregate
ui-rule-aggregate-hint = “all” means every sample must match
ui-rule-aggregate-all = all (every sample)
ui-rule-window = Window
ui-rule-window-hint = like 90s, 5m, 1h
ui-rule-op = Comparison
ui-rule-threshold = Threshold
ui-rule-clear-threshold = Clear threshold
ui-rule-clear-threshold-hint = resolves past this; empty = threshold
ui-rule-timing = Timing
ui-rule-for = Pending for
ui-rule-for-hint = hold before firing; empty = 0s
ui-rule-keep-firing-for = Keep firing for
ui-rule-keep-firing-for-hint = hold before resolving; empty = 0s
ui-rule-repeat-every = Remind every
ui-rule-repeat-every-hint = while firing; empty = no reminders
ui-rule-repeat-every-off = off
ui-rule-repeat-max = At most … reminders
ui-rule-repeat-max-hint = then silence until it resolves; empty = no cap
ui-rule-repeat-max-unused = applies once “Remind every” is set
ui-rule-repeat-max-none = no cap
ui-rule-repeat-max-invalid = write a whole number from 0 to 4294967295, like 3, or leave it empty for no cap
ui-rule-min-coverage = Minimum coverage
ui-rule-min-coverage-hint = share of the window that needs samples; empty = 0.9
ui-rule-notify = Notify
ui-rule-severity = Severity
ui-rule-channels = Channels
ui-rule-channels-hint = none ticked: every enabled channel
ui-rule-notify-resolved = Announce when resolved
ui-rule-enabled = Rule enabled

# Saving

ui-save = Save
ui-save-revert = Revert
ui-save-saving = Saving…
ui-save-invalid =
    Not saved: the config has { $count ->
        [one] { $count } problem
       *[other] { $count } problems
    }. Fix the fields marked in red.
ui-save-failed = Not saved: { $reason }
ui-save-saved = ✓ Saved at { $time }
ui-save-unsaved = Unsaved changes
ui-save-clean = No unsaved changes
# path: a config path, like rules[2].window; error: what is wrong there.
ui-save-error-at = { $path }: { $error }

# Notifications

ui-language = Language
ui-language-auto = Automatic (system)
# Each language's own name, the same in every catalog.
ui-language-en = English
ui-language-ko = 한국어
ui-language-hint = For the window, the tray, notifications and email.
ui-language-failed = The language was not changed: { $reason }
ui-desktop-enabled = Show desktop notifications
ui-test-notification = Send test notification
ui-test-notification-sent = Test notification sent.
ui-test-email = Send test email
ui-test-email-sent = Test email sent.
ui-test-sending = Sending…
ui-test-email-saved-only = Uses the saved settings: save your changes first.
ui-email-enabled = Send alerts by email
ui-email-host = SMTP server
ui-email-tls = Security
ui-email-tls-hint = Chosen here, never guessed from the port. Usual ports: STARTTLS 587, TLS 465, none 25.
ui-email-tls-starttls = STARTTLS
ui-email-tls-tls = TLS (implicit)
ui-email-tls-none = None (unencrypted)
ui-email-port = Port
# port: the port used when the field is empty.
ui-email-port-hint = empty = { $port }
ui-email-ca-file = CA certificate file
ui-email-ca-file-hint = set in the config file or with the command line, never here: it decides which server is trusted
ui-email-ca-file-none = system roots
ui-email-username = Username
ui-email-username-hint = empty = send without logging in
ui-email-password-file = Password file
ui-email-password-file-hint = set in the config file or with the command line, never here; without one, the password below goes to the system keyring
ui-email-password-file-none = none: the system keyring
ui-email-from = From
ui-email-to = To
ui-email-to-hint = one address per line
ui-email-subject = Subject template
ui-email-subject-hint = empty = the built-in subject
ui-email-body = Body template
ui-email-body-hint = empty = the built-in body
ui-email-placeholders = Placeholders:
# server: host:port.
ui-password-unconfirmed = The server was changed here to { $server }. No password is sent there until you confirm it: type the SMTP password again and save.
ui-password = SMTP password
ui-password-placeholder = •••••• (stored; type to replace)
ui-password-hint = Stored in the system keyring when you save; never shown again.
ui-password-is-stored = A password is stored.
ui-password-remove = Remove it
ui-password-none = No password stored.
ui-password-stored-file = The password matches the password file; the server is confirmed.
ui-password-stored-keyring = Password stored in the system keyring; the server is confirmed.
ui-password-removed = Stored password removed.
ui-password-store-failed = The password was not stored: { $reason }
ui-password-remove-failed = Could not remove the password: { $reason }
ui-quiet = Quiet hours
ui-quiet-enabled = Hold notifications every day during these hours
ui-quiet-start = From
ui-quiet-end = To
ui-quiet-end-hint = earlier than From = the next morning
ui-quiet-mute-critical = Hold critical alerts too
ui-quiet-hint = Rules are still checked and every alert is logged; a rule still firing when the quiet hours end is announced then.
ui-start = Start
ui-start-autostart = Start Lookout at login

## Window: watched apps, culprits and actions

# Overview: watched apps
ui-watches = Watched apps
ui-watches-add = Add a watch
ui-watches-empty = No apps are watched yet. Watch an app to see here whether it runs and what it uses, and to write rules about it.
# count: how many of the app's processes run.
ui-watch-running = { $count } running
ui-watch-not-running = Not running
ui-watch-no-reading = No reading yet
ui-watch-cpu = CPU
ui-watch-memory = Memory
ui-watch-restarts = Restarts
# value: as written in the config (a name, a path, a pattern, a unit or a user).
ui-watch-match-process = process { $value }
ui-watch-match-exe = program { $value }
ui-watch-match-cmdline = command line matching { $value }
ui-watch-match-unit = unit { $value }
ui-watch-match-user = user { $value }

# The "add a watch" dialog
ui-watch-close = Close
ui-watch-source = How to find the app
ui-watch-source-pick = Running processes
ui-watch-source-pattern = Type a pattern
ui-watch-pick-hint = Picking an app fills in the fields below; change them before saving if you like.
ui-watch-search = Search
ui-watch-search-hint = name, path, command line or user
ui-watch-refresh = Refresh
# reason: what went wrong (ui-api-error-detail)
ui-watch-processes-failed = Could not list the running processes: { $reason }
ui-watch-processes-none = No running process matches.
# count: processes in the group; cpu: a percentage; memory: like 1.2 GiB.
ui-watch-group-usage =
    { $count ->
        [one] { $count } process
       *[other] { $count } processes
    } · { $cpu } CPU · { $memory }
ui-watch-group-exe-unknown = executable path not readable
ui-watch-name = Name
ui-watch-name-hint = rules name it as app.<name>.running; no dots, braces or spaces
ui-watch-criterion = Match by
ui-watch-criterion-process = Process name
ui-watch-criterion-exe = Executable path
ui-watch-criterion-cmdline = Command line (regular expression)
ui-watch-value = Value
ui-watch-value-process-hint = exactly as ps shows it, like postgres
ui-watch-value-exe-hint = the program's full path, like /usr/bin/python3
ui-watch-value-cmdline-hint = found anywhere in the command line, like my-app( |$)
ui-watch-children = Count their child processes too
ui-watch-cancel = Cancel
ui-watch-save = Save watch

# Alert log: gave-up events, culprits and action runs
ui-event-gave-up = Gave up
ui-culprit-name = Process
ui-culprit-user = User
ui-culprit-cpu = CPU
ui-culprit-memory = Memory
ui-culprit-command = Command
ui-actions-ran = Actions run
# event: a ui-event-* text.
ui-action-trigger = ran on { $event }
# span: like "2.4 s".
ui-action-took = took { $span }
ui-action-output = Output
ui-action-output-cut = (cut at 4 KiB)
ui-action-no-output = no output
# code: the exit code.
ui-action-outcome-exited = exited { $code }
# signal: the signal's number.
ui-action-outcome-signalled = ended by signal { $signal }
ui-action-outcome-timed-out = killed at its timeout
# error: why, as the system said it (English).
ui-action-outcome-not-started = could not start: { $error }

# Rules: actions, read-only
ui-rule-actions = Actions
ui-rule-actions-note = Set in the config file: the window shows them but cannot add or change them.
ui-rule-actions-none = None. Commands to run when this rule fires are set in the config file.
ui-rule-actions-renamed = Lookout finds a rule's actions by its name in the config file: saved under this name, the rule loses them.
# events: a list of ui-event-* texts, like "Firing and Reminder".
ui-rule-action-on = runs on { $events }
# span: like "1 min".
ui-rule-action-timeout = stopped after { $span }
ui-rule-action-max-runs =
    at most { $runs ->
        [one] { $runs } run
       *[other] { $runs } runs
    } until resolved
# within: a span, like "15 min".
ui-rule-action-max-runs-within =
    at most { $runs ->
        [one] { $runs } run
       *[other] { $runs } runs
    } in { $within }

## lookout replay
cli-replay = Run a recorded series (CSV or JSON lines) through the config's rules and print every transition.
cli-replay-config = Config file whose rules are replayed [default: ~/.config/lookout/config.toml].
cli-replay-series = The series: CSV ("time,metric,value" or "time,<metric>,…") or JSON lines; "-" reads standard input.
cli-replay-json = Print each transition as one JSON line, as `lookout run --events jsonl` does.
cli-replay-interval = The series' sampling interval, which window coverage counts against [default: the config's sampling interval].
replay-unreadable = cannot read the series { $path }: { $reason }
replay-empty-series = { $path }: { $what }
replay-bad-series = { $path }, line { $line }: { $what }
replay-summary = { $times } times from { $from } to { $to } at { $interval } intervals: { $firing } firing, { $resolved } resolved, { $notifications } notifications
## lookout history and lookout backtest
cli-history = Show one metric's recorded history over a range (works while the monitor runs).
cli-history-metric = The metric, e.g. "cpu.total" or "app.my-app.rss_bytes" (`lookout sample` lists them).
cli-history-since = Where the range starts: a duration ago ("1h", "7d") or a time (RFC 3339 or Unix seconds) [default: 1h].
cli-history-until = Where the range ends, in the same forms [default: now].
cli-history-points = At most this many points, 1 to 20000 [default: 200]; the history reads the tier that fits.
cli-history-csv = Print CSV: time,min,avg,max (a gap is a row without values).
cli-history-config = Config file, for the history's retention and the sampling interval [default: ~/.config/lookout/config.toml].
cli-backtest = Replay rules over the recorded history on the monitor's own engine: would they have fired?
cli-backtest-config = Config file whose rule is tried, or which a rule file's rules would join [default: ~/.config/lookout/config.toml].
cli-backtest-rule = A rule of the config, by name.
cli-backtest-rule-file = A file of rules not yet saved: [[rules]] tables as in the config, or one rule's fields.
cli-backtest-since = Where the range starts: a duration ago ("24h", "7d") or a time [default: 24h].
cli-backtest-json = Print each rule's result as one JSON line.
# value: what was given to --since or --until.
cli-when-invalid = '{ $value }' is neither a duration ("1h", "7d") nor a time (RFC 3339 such as 2026-12-06T03:00:00Z, or Unix seconds)
cli-history-empty-range = the range is empty: { $from } is not before { $to }
cli-history-no-database = no history yet: { $path } is created when the monitor first runs
cli-history-bad-metric = '{ $metric }' is not a metric; use one of: { $accepted }
cli-history-not-recorded = no history for { $metric }; recorded: { $recorded }
cli-history-tier-raw = every reading
cli-history-tier-minute = 1-minute rollups
cli-history-tier-quarter-hour = 15-minute rollups
cli-history-header = { $metric } from { $from } to { $to }: { $tier }, { $step } per point
cli-history-no-points = no readings in this range
cli-history-gap = (gap: no readings)
cli-history-point = min { $min }  avg { $avg }  max { $max }
cli-backtest-no-config = cannot read the rules of { $path }; `lookout check` says why
cli-backtest-no-rule = no rule named '{ $rule }'; the config has: { $rules }
cli-backtest-bad-rule-file = not a rule file ({ $detail }); write [[rules]] tables as in the config, or one rule's fields
cli-backtest-only-rules = a rule file holds [[rules]] tables and nothing else
cli-backtest-empty-rule-file = the file has no rules
cli-backtest-which-rule = say which rule to try: --rule NAME or --rule-file PATH
# span: the range's length; firing: the time spent firing; coverage: a percentage.
cli-backtest-summary = { $rule }: over { $span } it would have fired { $firings ->
        [0] never
        [one] once
       *[other] { $firings } times
    } ({ $firing } firing in total) and sent { $notifications ->
        [one] one notification
       *[other] { $notifications } notifications
    }; readings cover { $coverage } % of the range ({ $tier })
cli-backtest-approx-extremes = Approximate: only { $tier } reach back this far. Each bucket's minimum or maximum stands for its readings, so each decision is exact, but times are to the bucket.
cli-backtest-approx-averages = Approximate: only { $tier } reach back this far. Averages are of the buckets' averages, exact only where every bucket is full.
cli-backtest-approx-p95 = Approximate: only { $tier } reach back this far. The 95th percentile is taken from each bucket's maximum, so the rule may fire where the readings would not.
series-empty = the series holds no data; expected a header such as "time,metric,value" followed by rows, or JSON lines
series-bad-header = the first line must be a header starting with "time", like "time,metric,value" or "time,cpu.total,mem.used_pct"; found "{ $found }"
series-unknown-metric = unknown metric "{ $name }"; expected a metric key such as cpu.total, mem.used_pct, disk./.used_pct or app.<name>.cpu_pct
series-bad-time = "{ $text }" is not a time; use RFC 3339 (2026-12-01T09:00:00+09:00) or Unix seconds (1796083200)
series-not-a-number = "{ $text }" is not a number; leave the value empty (or null) for a gap
series-field-count = { $found } fields where the header has { $expected }
series-backwards = time { $time } comes after { $previous }; the series must be sorted by time
series-duplicate = "{ $what }" is given twice { $time ->
        [header] in the header
       *[other] at time { $time }
    }
series-bad-json = not a JSON object: { $detail }
series-line-too-long = the line is longer than { $max } bytes

## Window: alert log filters
## The choices above the alert log that show only some of the loaded entries.

ui-alerts-filter-label = Filter the alert log
ui-alerts-filter-rule = Rule
ui-alerts-filter-rule-all = All rules
ui-alerts-filter-severity = Severity
ui-alerts-filter-severity-all = All severities
ui-alerts-filter-state = State
ui-alerts-filter-state-all = All states
# shown: the entries the filters let through; total: the entries loaded (more than shown).
ui-alerts-filter-count =
    { $shown } of { $total ->
        [one] { $total } entry
       *[other] { $total } entries
    }
ui-alerts-filter-none = No entries match these filters.
ui-alerts-filter-reset = Clear filters

## Window: network interfaces and alert log export
## The overview's switch for virtual and idle network interfaces, and the alert log's
## longer time ranges and CSV export.

ui-net-show-all = Show virtual and idle interfaces
# count: interfaces hidden because they are virtual (lo, docker0…) or had no traffic in the last 10 minutes.
ui-net-hidden =
    { $count ->
        [one] { $count } interface hidden
       *[other] { $count } interfaces hidden
    }
# Marks an interface shown only because virtual and idle interfaces are shown.
ui-net-kind-virtual = Virtual
ui-net-kind-idle = Idle
ui-net-none-shown = Every interface is virtual or idle.
ui-alerts-range-30d = 30 days
ui-alerts-range-all = All
ui-alerts-empty-30d = No alerts in the last 30 days.
ui-alerts-empty-all = The alert log is empty.
# count: how many entries were loaded, the newest ones of the chosen time range.
ui-alerts-limited = Only the newest { $count } entries of this time range are loaded.
ui-alerts-export = Export CSV
# count: the entries shown (after the filters), which the file will hold.
ui-alerts-export-hint =
    { $count ->
        [one] Save the entry shown as a CSV file
       *[other] Save the { $count } entries shown as a CSV file
    }

## Window: history charts
## The overview's chart range (the live last 10 minutes, or Lookout's recorded history), the
## history charts' messages, what hovering a chart shows, and the lines of the rules that watch
## a chart's metric.

ui-history-range-label = Chart range
ui-history-range-10m = 10 min
ui-history-range-1h = 1 h
ui-history-range-24h = 24 h
ui-history-range-7d = 7 d
ui-history-range-30d = 30 d
# range: one of the ui-history-range-* texts, such as "24 h".
ui-history-heading = Recorded history, last { $range }
# name: what the chart shows, such as "CPU" or "Network enp3s0"; range: as above.
ui-history-chart-label = { $name }, last { $range }
ui-history-empty = No history yet: Lookout has recorded none of this in this time range.
# reason: what went wrong, one of the ui-api-* texts.
ui-history-failed = The history could not be loaded: { $reason }
ui-history-hint = Drag across a chart to zoom in; double-click to zoom out.
# name: a metric in words, such as "CPU"; value: a formatted reading.
ui-history-point = { $name } { $value }
# avg, min, max: the average, lowest and highest reading of the point, formatted.
ui-history-point-range = { $name } { $avg } (min { $min }, max { $max })
ui-history-point-gap = { $name }: no readings
# rule: a rule's name; condition: its comparison, such as "> 90.0 %".
ui-history-threshold = { $rule }: { $condition }
# value: the rule's clear threshold, formatted.
ui-history-clear = { $rule }: clears at { $value }

## Window: rule preview
## Under the rule editor: the draft rule replayed over a recent range of recorded history (a
## backtest), in a sentence with notes and on a chart of its metric. The user picks the range:
## the last 24 hours (day), 7 days (week) or 30 days (month).

# The label of the preview's range choice (its choices are the ui-history-range-* texts).
ui-preview-range-label = Preview range
# range: day, week or month, as above.
ui-preview-heading =
    Preview: last { $range ->
        [week] 7 days
        [month] 30 days
       *[day] 24 h
    }
ui-preview-loading =
    Replaying the last { $range ->
        [week] 7 days
        [month] 30 days
       *[day] 24 h
    }…
ui-preview-updating = Updating…
# firings: how many times the rule would have started firing; firing: the time spent firing
# in total, like "2 h 10 min"; notifications: how many notifications it would have sent;
# range: day, week or month, as above.
ui-preview-fired =
    Would have fired { $firings ->
        [one] once
       *[other] { $firings } times
    } in the last { $range ->
        [week] 7 days
        [month] 30 days
       *[day] 24 h
    } ({ $firing } in total), sending { $notifications ->
        [0] no notifications
        [one] one notification
       *[other] { $notifications } notifications
    }.
# The rule never started firing in the range, but was firing when it began; as above.
ui-preview-firing-at-start =
    Would already have been firing when the last { $range ->
        [week] 7 days
        [month] 30 days
       *[day] 24 h
    } began ({ $firing } in total), sending { $notifications ->
        [0] no notifications
        [one] one notification
       *[other] { $notifications } notifications
    }.
ui-preview-quiet =
    Would not have fired in the last { $range ->
        [week] 7 days
        [month] 30 days
       *[day] 24 h
    }.
# name: the rule's metric in words, such as "CPU"; range: as above.
ui-preview-no-readings =
    Lookout has recorded no readings of { $name } in the last { $range ->
        [week] 7 days
        [month] 30 days
       *[day] 24 h
    }, so there is nothing to replay.
# coverage: a percentage, like "40 %".
ui-preview-coverage = Readings cover only { $coverage } of that time.
# tier: the summaries kept this far back (quarter_hour: 15 minutes wide, minute: 1 minute).
ui-preview-approx-extremes =
    Approximate: for this range Lookout keeps only { $tier ->
        [quarter_hour] 15-minute
       *[other] 1-minute
    } summaries, so each one's lowest or highest reading stands for all of its readings and times are only as exact as the summaries.
ui-preview-approx-averages =
    Approximate: for this range Lookout keeps only { $tier ->
        [quarter_hour] 15-minute
       *[other] 1-minute
    } summaries, so averages are taken of their averages, which is exact only where every summary is full.
ui-preview-approx-p95 =
    Approximate: for this range Lookout keeps only { $tier ->
        [quarter_hour] 15-minute
       *[other] 1-minute
    } summaries, so the 95th percentile is taken from each one's highest reading and the rule may fire where the readings would not.
ui-preview-invalid = Fix the rule above to see a preview.
# reason: what went wrong, one of the ui-api-* texts.
ui-preview-failed = The preview could not be made: { $reason }
ui-preview-shaded = Shaded: when the rule would have been firing

## Overview: rule states in words
## Under each rule's state chip: how long until a pending rule fires, since when it fires or
## clears, whether its notifications are held, and when an inactive rule last fired.

# span: the time left, like "4 min 10 s".
ui-rule-state-pending-in = Pending — fires in { $span }
# span: how long it has been pending, like "4 min".
ui-rule-state-pending-due = Pending for { $span } — fires at the next check
# time: when it began firing, like "14:05:09"; span: how long ago, like "2 h 10 min".
ui-rule-state-firing = Firing since { $time } ({ $span })
# time: since when the reading has been back past the clear threshold; span: how long ago.
ui-rule-state-clearing = Clearing since { $time } ({ $span })
# ago: like "3 h ago".
ui-rule-state-last-fired = Last fired { $ago }
# time: when the snooze ends.
ui-rule-state-snoozed = Silenced until { $time }
# time: when the quiet hours end.
ui-rule-state-quiet = Silenced until { $time } (quiet hours)
# A countdown under an hour, to the second: "4 min 10 s".
ui-rule-state-span-minutes-seconds = { $min } min { $s } s

## Window: delivery log and status bar
## The delivery log view (the email still waiting to go, with "send now", and every attempt to
## deliver something on a channel, newest first), and the slim status bar under every view:
## each channel's health, the outbox, and Lookout's own CPU and memory.

ui-nav-deliveries = Deliveries
ui-delivery-waiting-heading = Waiting to be sent
ui-delivery-waiting-empty = No email is waiting to be sent.
# Above the waiting email when email is turned off in the settings.
ui-delivery-email-off = Email is turned off: these messages wait until it is turned on again.
# recipients: the addresses, as a list ("a@example.com and b@example.com").
ui-delivery-recipients = To { $recipients }
# count: the attempts started so far.
ui-delivery-attempts-so-far = { $count ->
    [one] 1 attempt so far
   *[other] { $count } attempts so far
}
# when: like "in 4 min".
ui-delivery-next-attempt = next attempt { $when }
ui-delivery-next-due = next attempt due now
# error: the last error, as the mail server or the system said it (not translated).
ui-delivery-last-error = Last error: { $error }
ui-delivery-being-sent = Being sent
ui-delivery-send-now = Send now
# subject: the email's subject; the button's name for screen readers.
ui-delivery-send-now-label = Send now: { $subject }
# subject: the email's subject; said to screen readers once Lookout took the request.
ui-delivery-sending-now = Sending now: { $subject }
# reason: what went wrong, one of the ui-api-* texts.
ui-delivery-send-failed = Could not send it now: { $reason }
ui-delivery-attempts-heading = Attempts
ui-delivery-attempts-empty = No delivery attempts yet: they show here once Lookout sends a notification or an email.
ui-delivery-filter-label = Filter attempts
ui-delivery-filter-channel = Channel
ui-delivery-filter-channel-all = All channels
ui-delivery-filter-outcome = Outcome
ui-delivery-filter-outcome-all = All outcomes
# shown: the attempts the filters let through; total: the attempts loaded.
ui-delivery-filter-count = { $shown } of { $total } attempts
ui-delivery-filter-none = No attempts match these filters.
ui-delivery-filter-reset = Clear filters
ui-delivery-col-channel = Channel
ui-delivery-col-outcome = Outcome
ui-delivery-col-detail = Details
ui-delivery-col-alert = Alert
ui-delivery-outcome-ok = Delivered
ui-delivery-outcome-retry = Will retry
ui-delivery-outcome-failed = Failed
# rule: the alert's rule; state: what happened, like "Firing".
ui-delivery-alert = { $rule } ({ $state })
# id: the alert log entry's number (when the entry is not loaded).
ui-delivery-alert-id = Alert #{ $id }
ui-delivery-alert-hint = Show this alert in the alert log
ui-delivery-test-message = Test message
# count: how many attempts were loaded, the newest ones.
ui-delivery-limited = Showing the latest { $count } attempts.
# reason: what went wrong, one of the ui-api-* texts.
ui-delivery-error = The delivery log could not be read: { $reason }
ui-statusbar-label = Status bar
# channel: "Desktop" or "Email"; state: "ok", "off" or "failing (3×)".
ui-statusbar-channel = { $channel }: { $state }
# ago: like "2 min ago"; error: the last error, as the system or the mail server said it.
ui-statusbar-channel-error = Last error { $ago }: { $error }
# error: as above, when Lookout did not say when it happened.
ui-statusbar-channel-error-undated = Last error: { $error }
# pending: the emails waiting to be sent (or being sent).
ui-statusbar-outbox = Outbox: { $pending } waiting
# failed: the emails Lookout gave up on.
ui-statusbar-outbox-failed = Outbox: { $pending } waiting, { $failed } given up
ui-statusbar-outbox-hint = Open the delivery log
# cpu: Lookout's own CPU use as a share of one core, like "0.3 %"; memory: like "38.0 MiB".
ui-statusbar-self = Lookout: { $cpu } CPU · { $memory }
ui-statusbar-self-hint = Lookout's own use: CPU as a share of one core, and memory in use
# channels: the failing channels as a list, like "Email" or "Desktop and Email"; said to
# screen readers when a channel starts failing.
ui-statusbar-announce-failing = Delivery is failing: { $channels }
# Said to screen readers when every failing channel works again.
ui-statusbar-announce-ok = Delivery works again on every channel.

## Window: settings and theme
## The Settings view: the language and the window's own theme (light, dark, or as the system),
## the sampling interval, the metric history Lookout keeps and the disk it uses now, quiet
## hours and start at login.

ui-nav-settings = Settings
ui-settings-appearance = Language and theme
ui-theme-label = Theme
ui-theme-system = Same as the system
ui-theme-light = Light
ui-theme-dark = Dark
ui-theme-hint = For this window only, remembered on this computer.
ui-settings-sampling = Sampling
ui-settings-sampling-about = Lookout reads every metric this often. A rule's window must span at least one reading; a shorter interval notices changes sooner but records more.
ui-settings-history = History
ui-settings-history-enabled = Record a history of readings
ui-settings-raw-hours = Every reading, in hours
ui-settings-minute-days = 1-minute summaries, in days
ui-settings-quarter-hour-days = 15-minute summaries, in days
# raw: hours every reading is kept; minute and quarter: days the 1-minute and 15-minute
# summaries are kept.
ui-settings-history-about =
    Lookout keeps every reading for { $raw ->
        [one] one hour
       *[other] { $raw } hours
    }, a summary of each minute (its lowest, average and highest reading) for { $minute ->
        [one] one day
       *[other] { $minute } days
    }, and one of each 15 minutes for { $quarter ->
        [one] one day
       *[other] { $quarter } days
    }; older ones are deleted every hour. Charts and rule previews read the finest kept for their time range.
ui-settings-history-off = With history off, Lookout records no readings: charts show only the last minutes, rule previews have nothing to replay, and rule windows start empty after a restart.
# database, history: sizes such as "12.3 MiB".
ui-settings-usage = On disk now: { $database } in all, { $history } of it history.
# date: a date such as "Jan 5, 2025"; ago: how long ago, such as "40 d ago".
ui-settings-history-since = History since { $date } ({ $ago }).
ui-settings-history-none = No readings are recorded yet.
# reason: what went wrong, one of the ui-api-* texts.
ui-settings-usage-failed = The disk use could not be read: { $reason }
ui-settings-pause = Pause alerts
ui-settings-pause-hint = While paused, rules are still checked and logged; no notification or email goes out. The tray menu pauses too.
ui-settings-whole-number = Write a whole number, like 30.
# [http]: Prometheus' /metrics and the web dashboard. The `lookout dashboard-url` command
# prints the dashboard's address with its access token.
ui-settings-http = Prometheus and web access
ui-settings-http-enabled = Serve Prometheus metrics over HTTP
ui-settings-http-about = Lookout then serves its readings at /metrics for Prometheus to scrape.
ui-settings-http-listen = Address and port
ui-settings-http-listen-hint = A loopback address (127.0.0.1, [::1]) serves this computer only; any other address requires the access token for every request: Prometheus sends the file http-token of the data directory as its bearer token.
ui-settings-http-metrics-url = Prometheus scrapes:
ui-settings-http-token-needed = Other computers can reach this address: every request must carry the access token.
ui-settings-http-dashboard = Also serve the dashboard in a browser
ui-settings-http-dashboard-hint = This window in a browser, always behind the access token: `lookout dashboard-url` prints a link that logs a browser in once.
ui-settings-http-dashboard-needs-listen = It needs an address to serve on: turn on the metrics above first.

## Window: firing periods on the overview's charts
## On every overview chart, the spans of time a rule watching the chart's metric was firing
## (read from the alert log) are shaded in the colour of the rule's severity, named when the
## pointer is over them and listed for screen readers. Disks get a chart card each.

ui-overview-disk = Disk
# count: how many firing periods the chart shades; said to screen readers before the list.
ui-firing-summary =
    { $count ->
        [one] One firing period on this chart:
       *[other] { $count } firing periods on this chart:
    }
# rule: a rule's name; severity: one of the ui-severity-* texts; from, to: a date and time.
ui-firing-period = { $rule } ({ $severity }): { $from } to { $to }
# As above, for a rule that is still firing.
ui-firing-period-open = { $rule } ({ $severity }): since { $from }, still firing
# rules: the rules firing at the point under the pointer, as a list, like "CPU busy and CPU saturated".
ui-firing-now = Firing: { $rules }
ui-firing-shaded = Shaded: when a rule was firing


# params: value, max
field-channels-too-many = there are { $value } channels; at most { $max } are accepted
field-channel-name-missing = a channel needs a name; rules list it in channels = ["desktop", "<name>"]
# params: value
field-channel-name-invalid = '{ $value }' cannot name a channel: it may not hold spaces, commas, quotes or braces; write it like 'phone' or 'team-chat'
# params: value
field-channel-name-reserved = '{ $value }' is a built-in channel; give this one another name, like 'phone'
# params: value, first
field-channel-name-duplicate = '{ $value }' is already the name of channels[{ $first }]; channel names must be unique
# params: kind
field-channel-url-missing = a { $kind } channel needs url = "https://..."
# params: value
field-channel-url-invalid = '{ $value }' cannot be used; use an http:// or https:// URL with a host, without spaces, user name or password
# params: kind, name
field-channel-url-secret = a { $kind } URL holds its token, so it is a secret: store it with `lookout secret set channel:{ $name }` (or in secret_file), not in the config
# params: field, kind
field-channel-field-not-for-kind = { $field } does not apply to a { $kind } channel; remove it
field-channel-chat-id-missing = a telegram channel needs chat_id = "...", the chat the bot posts to
# params: value
field-channel-header-invalid = the header '{ $value }' cannot be sent: a name is letters, digits and -, not Host, Content-Length, Content-Type or X-Lookout-Signature, and a value holds no line breaks
# params: value, min, max
field-channel-timeout-out-of-range = '{ $value }' is out of range; use a duration from { $min } to { $max }
# params: value
field-rule-only-when-invalid = '{ $value }' cannot be a condition; write it as <metric> <op> <number>, like "battery.BAT0.charging < 1"
# params: field
field-channel-file-path-empty = { $field } is empty; give the path of a file, or remove the line

## Window: push channels
## The Notifications view's push channels ([[channels]]): the list, "Add channel" of a kind,
## each kind's form, its secret (write-only: stored in the keyring, never shown) and its test.
## Service names (ntfy, Telegram, Discord, Slack, Gotify, Apprise, Webhook, Alertmanager) are not translated.

ui-channels = Push channels
ui-channels-intro = Send alerts to a phone or a chat: ntfy, Telegram, Discord, Slack, Gotify, a webhook, Alertmanager or Apprise. Rules pick them under Channels; their tokens are kept in the system keyring, never in the config.
ui-channels-empty = No push channels yet.
ui-channels-kind = Kind
ui-channels-add = Add channel
ui-channels-remove = Remove channel
ui-channels-unnamed = (no name)
# ago: like "5 min ago" (ui-relative-ago).
ui-channels-health-delivered = last delivered { $ago }
ui-channels-health-quiet = nothing delivered yet
ui-channels-name = Name
ui-channels-name-hint = Rules name it under Channels, like phone or team-chat: no spaces, commas, quotes or braces
ui-channels-enabled = Send alerts on this channel
ui-channels-url-webhook = URL
ui-channels-url-webhook-hint = Lookout posts each alert here, like https://example.com/hooks/lookout
ui-channels-url-ntfy = Server and topic
ui-channels-url-ntfy-hint = The topic's address, like https://ntfy.sh/my-topic
ui-channels-url-gotify = Server
ui-channels-url-gotify-hint = Your Gotify server, like https://gotify.example.com
ui-channels-url-alertmanager = Server
ui-channels-url-alertmanager-hint = Your Alertmanager, like http://alertmanager:9093; alerts are posted to its /api/v2/alerts
ui-channels-about-alertmanager = Firing alerts are pushed to Alertmanager's v2 API, labelled alertname, severity, rule, instance and with the metric's own labels. They are sent again every 5 minutes while they fire, so Alertmanager keeps them, and their resolution ends them; Alertmanager then groups, silences and routes them.
ui-channels-url-telegram = API server (optional)
ui-channels-url-telegram-hint = Empty for Telegram's own, https://api.telegram.org
ui-channels-chat-id = Chat ID
ui-channels-chat-id-hint = The chat the bot posts to, like -1001234567890 or @my_channel
ui-channels-format = Payload
ui-channels-format-hint = What the body of each request holds
ui-channels-format-json = Lookout JSON
ui-channels-format-alertmanager = Alertmanager webhook
ui-channels-headers = Headers
ui-channels-headers-hint = Sent with every request, one per line, like X-Team: ops
ui-channels-sign = Sign each body (HMAC-SHA256)
ui-channels-sign-hint = The X-Lookout-Signature header carries the signature; the receiver checks it with the same signing key
ui-channels-timeout = Timeout
ui-channels-timeout-hint = From 1s to 1m; empty for 10s
ui-channels-ca-file = CA file
ui-channels-ca-file-hint = The CA that signs the server's certificate; only the config file sets it
ui-channels-secret-ntfy = Access token (optional)
ui-channels-secret-ntfy-hint = Only for a protected topic: a token like tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2
ui-channels-secret-gotify = Application token
ui-channels-secret-gotify-hint = The token of an application created in Gotify, like AKzqtPp7g_Mw5oE
ui-channels-secret-alertmanager = Bearer token (optional)
ui-channels-secret-alertmanager-hint = Only if Alertmanager, or a proxy in front of it, asks for one; it is sent as Authorization: Bearer <token>
ui-channels-secret-telegram = Bot token
ui-channels-secret-telegram-hint = The token @BotFather gave the bot, like 123456789:AAHn3-x2a…
ui-channels-secret-webhook-url = Webhook URL
ui-channels-secret-discord-hint = From the Discord channel's Integrations, like https://discord.com/api/webhooks/…; it holds a token, so it is kept out of the config
ui-channels-secret-slack-hint = An incoming webhook, like https://hooks.slack.com/services/…; it holds a token, so it is kept out of the config
ui-channels-secret-apprise = Apprise URLs
ui-channels-secret-apprise-hint = One or more, separated by spaces, like tgram://bottoken/chatid mailto://user:password@example.com
ui-channels-secret-signing = Signing key
ui-channels-secret-signing-hint = A shared secret the receiver knows too
ui-channels-secret-kept = Stored in the system keyring when you save; never shown again.
ui-channels-secret-file-hint = The secret is read from this file; only the config file sets it.
ui-channels-secret-stored = Secret stored
ui-channels-secret-not-stored = No secret stored
ui-channels-secret-needed = Secret not stored: nothing can be sent without it
# problem: why the keyring could not be read (Lookout's own words).
ui-channels-secret-problem = Could not check the keyring: { $problem }
ui-channels-secret-saved = Stored in the system keyring.
ui-channels-secret-removed = Removed from the system keyring.
# reason: what went wrong, one of the ui-api-* texts.
ui-channels-secret-store-failed = Not stored: { $reason }
ui-channels-secret-remove-failed = Could not remove it: { $reason }
ui-channels-test = Send test message
ui-channels-test-sent = Test message delivered.
ui-channels-test-unsaved = Save the channel first to test it.

## Probes: what one check found (lookout sample, the window)

probe-connected = connected
# status: the HTTP status code of the answer
probe-http = HTTP { $status }
# status: what came; expected: the probe's expect_status
probe-http-unexpected = HTTP { $status }, expected { $expected }
# timeout: the probe's timeout in words, like "5 seconds"
probe-timed-out = no answer within { $timeout }
# error: the system's own words, like "Connection refused (os error 111)"
probe-failed = failed: { $error }

## lookout secret channel:<name>, lookout test-channel

# channel: the push channel's name
cli-channel-secret-prompt = Secret of channel { $channel } (token or webhook URL):{" "}
cli-no-secret = no secret given; nothing stored
cli-channel-secret-stored = the secret of channel { $channel } is stored in the OS keyring
cli-channel-secret-store-failed = cannot store the secret of channel { $channel }
cli-channel-secret-removed = the secret of channel { $channel } was removed from the OS keyring
cli-channel-secret-remove-failed = cannot remove the secret of channel { $channel }
cli-channel-secret-none = no secret of channel { $channel } was stored
# known: the declared channels, comma-separated (or cli-channels-none)
cli-channel-unknown = there is no channel '{ $channel }' in the config (channels: { $known }); declare it in [[channels]] first
cli-channels-none = none
# reason: the service's answer or the error, as it came
cli-test-channel-failed = test message not delivered: { $reason }

## Window: batteries, disk activity, GPUs and probes, and rules that apply only while
## another metric's reading holds (only_when). The overview gets a chart card per battery,
## physical disk, GPU and probe the machine has; readings that are 1 or 0 show as words.

# name: a battery as the system names it, like BAT0.
ui-metric-battery-pct = Battery { $name } charge
ui-metric-battery-charging = Battery { $name } charging
ui-metric-battery-time-to-empty = Battery { $name } time to empty
ui-metric-power-ac = AC power
# name: a physical disk as the system names it, like nvme0n1 or sda.
ui-metric-diskio-read = { $name } read
ui-metric-diskio-write = { $name } write
ui-metric-diskio-busy = { $name } busy
# name: a GPU's number, from 0.
ui-metric-gpu-busy = GPU { $name } busy
ui-metric-gpu-vram = GPU { $name } VRAM used
ui-metric-gpu-temp = GPU { $name } temperature
# name: a probe's name in [[probes]], like nas.
ui-metric-probe-up = Probe { $name } up
ui-metric-probe-latency = Probe { $name } latency
# The two states of readings that are 1 or 0.
ui-flag-charging = charging
ui-flag-not-charging = not charging
ui-flag-on-ac = on AC
ui-flag-on-battery = on battery
ui-flag-up = up
ui-flag-down = down
# value: a number already formatted for the language.
ui-unit-ms = { $value } ms
ui-overview-batteries = Batteries
ui-overview-battery = Battery
# span: how long until empty at the present drain, like "3 h 5 min".
ui-overview-battery-left = { $span } left
ui-overview-diskio-section = Disk activity
ui-overview-diskio = Disk I/O
# rate: bytes per second, like "1.2 MB/s".
ui-overview-diskio-read = read { $rate }
ui-overview-diskio-write = write { $rate }
ui-overview-diskio-busy = Busy
ui-overview-gpus = GPUs
ui-overview-gpu = GPU
# pct: the share of video memory in use, like "42.0 %".
ui-overview-gpu-vram = VRAM { $pct }
ui-overview-probes = Probes
ui-overview-probe = Probe
ui-rule-only-when = Only while
ui-rule-only-when-hint = another metric's latest reading, like battery.BAT0.charging < 1; empty = always
ui-rule-only-when-always = always
# fires: the sentences above (with when it clears and reminds, if they say); condition: the
# rule's only_when as written, like battery.BAT0.charging < 1.
ui-rule-summary-only-when = { $fires } It fires only while { $condition }.

## lookout export-rules --format prometheus: comments at the top of the rules file and
## above a rule, and each rule's annotations. Prometheus reads the annotations as templates.

# path: the config file the rules come from
export-rules-header = Prometheus alerting rules exported from Lookout's { $path }. Load them with rule_files.
# interval: the scrape interval they assume, like 15s
export-rules-scrape = They expect Prometheus to scrape Lookout every { $interval }: the coverage guards (count_over_time) count samples at that rate. Export again with --scrape-interval if yours differs.
# from, to: the quiet hours as configured, like 22:00 and 07:00
export-rules-quiet-hours = Quiet hours ({ $from }–{ $to }) have no Prometheus equivalent; mute them with an Alertmanager time interval.
# rules: the names of the disabled rules, comma-separated
export-rules-skipped = Disabled rules are left out: { $rules }.
# rule: the rule's name; clear: its clear_threshold, formatted
export-rules-hysteresis = { $rule }: clear_threshold { $clear } has no Prometheus equivalent; this alert resolves as soon as the condition stops holding.
export-rules-p95 = { $rule }: approximate. Lookout takes the nearest-rank 95th percentile, quantile_over_time interpolates between samples.
# every: the reminder period, like 4h
export-rules-reminders = { $rule }: reminders every { $every } are Alertmanager's repeat_interval.
export-rules-actions = { $rule }: its actions run only in Lookout.
# instance: Prometheus' own template for the instance label
export-rules-summary = { $rule } on { $instance }

## HTTP (/metrics and the web dashboard): the bodies of refused requests.

http-wrong-host = This server answers only to its own address. Open it by the address it listens on.
http-unauthorized = The access token is missing or wrong. Open the one-time link `lookout dashboard-url` prints, or send the token as “Authorization: Bearer <token>”.
http-login-invalid = This login link is wrong, expired or already used. Run `lookout dashboard-url` for a new one.
http-not-found = Not found.
http-ui-missing = This Lookout was built without its window: run `npm run build` in ui/ and build it again.

## lookout run --listen, lookout dashboard-url

# value: what was given
cli-listen-invalid = “{ $value }” is not an address and port; use one like 127.0.0.1:9464, [::1]:9464 or 0.0.0.0:9464
cli-dashboard-needs-listen = --dashboard needs an address to serve on: give --listen ADDR or set http.listen in the config
# reason: why, in the system's words
cli-http-failed = cannot serve HTTP: { $reason }
cli-dashboard-url-no-listen = the dashboard has no address: set http.listen in the config, or give --listen ADDR
cli-token-failed = cannot read or make the access token: { $reason }
# minutes: how long the link works
cli-dashboard-url-once = The link works once, within { $minutes } minutes. Scripts and Prometheus send the token in http-token of the data directory as “Authorization: Bearer <token>”.
