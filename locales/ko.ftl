### Lookout: Korean messages (Project Fluent).
###
### The config problems that `lookout check` shows (the window will too), keyed by the stable field
### error codes (`field-` and the code with every `.` and `_` as `-`), and the `lookout check`
### lines. This file and en.ftl must hold exactly the same message ids, each using the same
### variables; the `# params:` line above a field message names the params the code's
### FieldError always carries.
###
### 한국어 메시지 카탈로그입니다. en.ftl과 메시지 ID와 변수가 모두 같아야 합니다.
### 문체는 합니다체로 통일하고, TOML 키, 단위("90s", "5m", "1h"), 코드 리터럴은 번역하지 않습니다.

## Config field errors, in the order of FieldCode::ALL.

# params: value, supported
field-version-unsupported = 지원하지 않는 설정 버전 '{ $value }'입니다. 이 Lookout은 버전 { $supported }만 읽을 수 있습니다.

# params: value
field-duration-negative = '{ $value }' 값은 음수입니다. 기간은 '90s', '5m', '1h'처럼 0 이상이어야 합니다.

# params: value
field-duration-invalid = '{ $value }' 값은 올바른 기간이 아닙니다. '500ms', '90s', '5m', '1h'처럼 숫자와 단위를 함께 쓰십시오.

# params: value, min, max
field-sampling-interval-out-of-range = '{ $value }' 값이 허용 범위를 벗어났습니다. { $min }부터 { $max }까지의 기간을 지정하십시오.

# params: none
field-email-port-zero = '0'은 포트 번호로 쓸 수 없습니다. SMTP 서버의 포트를 지정하십시오. 보통 587(starttls), 465(tls), 25 중 하나입니다.

# params: unknown, accepted
field-email-template-unknown-placeholder = 알 수 없는 자리 표시자입니다: { $unknown }. 다음 중 하나를 {"{"}rule{"}"}처럼 중괄호로 감싸 쓰십시오: { $accepted }

# params: none
field-email-subject-multiline = 제목 템플릿은 한 줄이어야 합니다.

# params: value, min, max
field-email-timeout-out-of-range = '{ $value }' 값이 허용 범위를 벗어났습니다. '30s'처럼 { $min }부터 { $max }까지의 기간을 지정하십시오.

# params: none
field-email-username-empty = 사용자 이름이 비어 있습니다. AUTH 없이 보내려면 이 줄을 삭제하십시오.

# params: none
field-email-file-path-empty = 경로가 비어 있습니다. 파일 경로를 지정하거나 이 줄을 삭제하십시오.

# params: value
field-email-host-not-bare = '{ $value }' 값은 호스트 이름만으로 되어 있지 않습니다. 'smtp.example.com'처럼 서버 이름만 쓰고 포트는 email.port에 지정하십시오.

# params: value
field-email-host-invalid = '{ $value }' 값은 올바른 호스트 이름이 아닙니다. 'smtp.example.com'처럼 SMTP 서버를 지정하십시오.

# params: none
field-email-from-missing = 'Lookout <alerts@example.com>'처럼 보내는 사람을 지정해야 합니다.

# params: none
field-email-to-missing = ["me@example.com"]처럼 받는 사람을 한 명 이상 지정해야 합니다.

# params: value
field-email-mailbox-invalid = '{ $value }' 값은 이메일 주소가 아닙니다. 'me@example.com' 또는 'Me <me@example.com>' 형식으로 쓰십시오.

# params: value, reason
field-email-mailbox-rejected = '{ $value }' 주소는 메일러가 받아들이지 않습니다({ $reason }). 'me@example.com' 또는 'Me <me@example.com>' 형식으로 쓰십시오.

# params: value
field-quiet-hours-time-invalid = '{ $value }' 값은 올바른 시각이 아닙니다. '22:00', '07:30'처럼 시와 분을 쓰십시오.

# params: value
field-quiet-hours-span-empty = '{ $value }' 시각은 방해 금지 시간이 시작하는 시각과 같습니다. 종료 시각은 '22:00'에 시작해 '07:00'에 끝나는 것처럼 시작 시각과 달라야 합니다.

# params: value, min, max
field-storage-out-of-range = { $value } 값이 허용 범위를 벗어났습니다. { $min }부터 { $max }까지의 값을 지정하십시오.

# params: value
field-http-listen-invalid = “{ $value }”은(는) 주소와 포트가 아닙니다. 127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464처럼 지정하십시오.

# params: none
field-http-dashboard-no-listen = 대시보드를 제공하려면 주소가 필요합니다. 먼저 수신 주소를 지정하십시오.

# params: none
field-rule-name-missing = 규칙에는 이름이 필요합니다. 'CPU 사용률 높음'처럼 짧은 문구를 쓰십시오.

# params: value
field-rule-name-control-chars = '{ $value }' 값에 제어 문자(줄바꿈, 탭, 이스케이프) 또는 양방향 텍스트 제어 문자가 있습니다. 인쇄 가능한 문자만 쓰십시오.

# params: value, first
field-rule-name-duplicate = '{ $value }' 이름은 이미 rules[{ $first }]에서 사용하고 있습니다. 규칙 이름은 서로 달라야 합니다.

# params: value
field-rule-metric-unknown = 알 수 없는 메트릭 '{ $value }'입니다. 다음 중 하나를 쓰십시오: cpu.total, cpu.core.N, mem.used_pct, mem.used_bytes, swap.used_pct, load.1, load.5, load.15, disk.<mount>.used_pct (예: disk./.used_pct), net.<iface>.rx_bps, net.<iface>.tx_bps, temp.<sensor>, app.<watch>.<field>, battery.<name>.<pct | charging | time_to_empty_s>, power.ac, diskio.<device>.<read_bps | write_bps | busy_pct>, gpu.N.<busy_pct | vram_used_pct | temp>, probe.<name>.<up | latency_ms>

# params: value, interval
field-rule-window-too-short = '{ $value }' 값은 샘플링 간격 '{ $interval }'보다 짧습니다. 집계 구간(window)은 샘플을 하나 이상 포함해야 합니다.

# params: value, max
field-rule-window-too-long = '{ $value }' 값은 메모리에 보관하는 가장 긴 집계 구간인 { $max }보다 깁니다.

# params: value, interval
field-rule-repeat-every-too-short = '{ $value }' 값은 샘플링 간격 '{ $interval }'보다 짧습니다. '1h'처럼 더 긴 주기를 지정하거나, 다시 알림을 보내지 않으려면 '0s'로 지정하십시오.

# params: value
field-rule-threshold-not-finite = '{ $value }' 값은 유한한 숫자가 아닙니다. 80이나 0.5 같은 숫자를 쓰십시오.

# params: none
field-rule-threshold-missing = 임계값이 필요합니다. 80 같은 숫자를 입력하십시오.

# params: value, threshold, op
field-rule-clear-threshold-above = '{ $value }' 값이 임계값 '{ $threshold }'보다 큽니다. '{ $op }' 조건에서는 알림이 임계값 이하에서 해제됩니다.

# params: value, threshold, op
field-rule-clear-threshold-below = '{ $value }' 값이 임계값 '{ $threshold }'보다 작습니다. '{ $op }' 조건에서는 알림이 임계값 이상에서 해제됩니다.

# params: value
field-rule-min-coverage-out-of-range = '{ $value }' 값이 허용 범위를 벗어났습니다. 0.9처럼 0보다 크고 1 이하인 비율을 지정하십시오.

# params: none
field-rule-channels-empty = 빈 목록으로는 아무 곳에도 알리지 않습니다. 활성화된 모든 채널로 보내려면 이 줄을 삭제하고, 규칙을 끄려면 enabled = false로 설정하십시오.

# params: value, known
field-rule-channel-unknown = 알 수 없는 채널 '{ $value }'입니다. { $known } 중 하나를 쓰십시오 (다른 채널은 [[channels]]에 선언하십시오).

# params: value
field-rule-channel-duplicate = '{ $value }' 채널이 두 번 나열되어 있습니다.

# params: none
field-rule-channel-email-disabled = 'email' 채널이 활성화되어 있지 않습니다. [email]에서 enabled = true로 설정하거나 channels에서 삭제하십시오.

# params: value
field-name-control-chars = '{ $value }' 값에 제어 문자(줄바꿈, 탭, 이스케이프) 또는 양방향 텍스트 제어 문자가 있습니다. 인쇄 가능한 문자만 쓰십시오.

# params: value, max
field-rules-too-many = 규칙이 { $value }개입니다. 최대 { $max }개까지 허용됩니다.

# params: value, max
field-rule-channels-too-many = 채널이 { $value }개입니다. 규칙 하나에 최대 { $max }개까지 허용됩니다.

# params: value, max
field-email-to-too-many = 받는 사람이 { $value }명입니다. 최대 { $max }명까지 허용됩니다.

# params: length, max
field-name-too-long = { $length }자로 너무 깁니다. 최대 { $max }자까지 허용됩니다.

# params: length, max
field-email-template-too-long = 템플릿이 { $length }바이트로 너무 깁니다. 최대 { $max }바이트까지 허용됩니다.

# params: host
field-email-auth-plaintext = tls = "none"이면 '{ $host }' 서버로 비밀번호가 평문으로 전송됩니다. tls = "starttls" 또는 "tls"를 사용하십시오. 이 컴퓨터의 릴레이 서버라면 allow_plaintext_auth = true로 설정하십시오.

# params: value
field-email-allow-plaintext-auth-not-loopback = '{ $value }' 호스트는 이 컴퓨터가 아닙니다. 평문 AUTH는 localhost, 127.0.0.1, ::1에만 허용되므로 tls = "starttls" 또는 "tls"를 사용하고 allow_plaintext_auth를 삭제하십시오.

# params: value, max
field-apps-too-many = 앱 감시가 { $value }개입니다. 최대 { $max }개까지 받습니다

# params: none
field-app-name-missing = 감시에는 이름이 필요합니다. 규칙에서 app.<name>.running처럼 씁니다

# params: value
field-app-name-invalid = '{ $value }'은(는) 감시 이름으로 쓸 수 없습니다. 지표 키(app.<name>.running)에 들어가므로 점, 중괄호, 공백을 쓸 수 없습니다. 'postgres'나 'my-app'처럼 쓰세요

# params: value, first
field-app-name-duplicate = '{ $value }'은(는) 이미 apps[{ $first }]의 이름입니다. 감시 이름은 서로 달라야 합니다

# params: none
field-app-match-empty = match에는 process, exe, cmdline, unit, user 중 하나 이상이 필요합니다. 예: match = {"{"} process = "postgres" {"}"}

# params: field
field-app-match-field-empty = match.{ $field }이(가) 비어 있습니다. 값을 쓰거나 키를 빼세요

# params: value
field-app-match-exe-not-absolute = '{ $value }'은(는) 절대 경로가 아닙니다. exe에는 '/usr/bin/python3'처럼 프로그램의 전체 경로를 씁니다 (이름으로 찾으려면 process = ...)

# params: value, reason
field-app-match-regex-invalid = '{ $value }'은(는) 올바른 정규식이 아닙니다 ({ $reason }). 'my-app( |$)'처럼 쓰거나 특수 문자를 \\로 이스케이프하세요

# params: value, app, known
field-rule-metric-unknown-app = '{ $value }'은(는) [[apps]]에 없는 앱 감시 '{ $app }'을(를) 가리킵니다 (감시: { $known ->
        [none] 없음
       *[other] { $known }
    }). [[apps]]에 추가하거나 이름을 고치세요

# params: value, max
field-actions-too-many = 이 규칙의 조치가 { $value }개입니다. 최대 { $max }개까지 받습니다

# params: none
field-action-on-invalid = 언제 실행할지 정하세요. "firing", "reminder", "resolved" 중에서 고릅니다. 예: on = ["firing"]

# params: none
field-action-run-empty = run에는 프로그램과 인수가 필요합니다. 예: run = ["systemctl", "--user", "restart", "my-app.service"]

# params: value, max
field-action-run-too-long = 명령의 인수가 { $value }개입니다. 최대 { $max }개까지 받습니다

# params: value
field-action-run-nul = '{ $value }'에 NUL 문자가 있습니다. 명령줄에는 NUL 문자를 쓸 수 없습니다

# params: value
field-action-program-not-found = '{ $value }'은(는) PATH에 없고 절대 경로도 아닙니다. '/usr/bin/systemctl'처럼 전체 경로를 쓰거나 PATH에 있는 이름을 쓰세요

# params: value, max
field-action-timeout-out-of-range = '{ $value }'은(는) 범위를 벗어났습니다. 1s에서 { $max } 사이의 시간을 쓰세요

# params: none
field-action-max-runs-zero = max_runs는 1 이상이어야 합니다. 제한이 없으려면 빼세요

# params: none
field-action-within-without-max-runs = within은 max_runs를 세는 기간입니다. max_runs도 쓰세요. 예: max_runs = 3

# params: value
field-action-within-zero = within은 0s보다 길어야 합니다. 예: within = "15m"

# params: none
field-rule-repeat-max-without-repeat-every = repeat_max는 다시 알림 횟수의 상한인데, 이 규칙은 다시 알림을 보내지 않습니다. repeat_every도 쓰세요. 예: repeat_every = "1h"

# params: value, max
field-probes-too-many = 프로브가 { $value }개입니다. 최대 { $max }개까지 받습니다
field-probe-name-missing = 프로브에는 이름이 필요합니다. 규칙에서 probe.<name>.up처럼 씁니다
# params: value
field-probe-name-invalid = '{ $value }'은(는) 프로브 이름으로 쓸 수 없습니다. 지표 키(probe.<name>.up)에 들어가므로 점, 중괄호, 공백을 쓸 수 없습니다. 'nas'나 'my-site'처럼 쓰세요
# params: value, first
field-probe-name-duplicate = '{ $value }'은(는) 이미 probes[{ $first }]의 이름입니다. 프로브 이름은 서로 달라야 합니다
field-probe-target-count = 프로브는 한 가지만 검사합니다. tcp = "host:port"나 http = "https://..." 중 하나만 쓰세요
# params: value
field-probe-tcp-invalid = '{ $value }'은(는) host:port 형식이 아닙니다. "nas.local:445", "192.168.1.2:22", "[::1]:8080"처럼 쓰세요
# params: value
field-probe-http-invalid = '{ $value }'은(는) 검사할 수 없는 URL입니다. http:// 또는 https://로 시작하고 호스트가 있어야 하며, 공백이나 사용자 이름·비밀번호가 없어야 합니다
# params: value
field-probe-expect-status-invalid = { $value }은(는) HTTP 상태 코드가 아닙니다. 200처럼 100부터 599까지의 값을 쓰세요
field-probe-expect-status-without-http = expect_status는 http 프로브에만 씁니다. 지우거나 http = "https://..."로 URL을 검사하세요
# params: value, min, max
field-probe-interval-out-of-range = '{ $value }' 값이 허용 범위를 벗어났습니다. { $min }부터 { $max }까지의 기간을 지정하십시오.
# params: value, min, max
field-probe-timeout-out-of-range = '{ $value }' 값이 허용 범위를 벗어났습니다. { $min }부터 { $max }까지의 기간을 지정하십시오.
# params: value, probe, known
field-rule-metric-unknown-probe = '{ $value }'은(는) [[probes]]에 없는 프로브 '{ $probe }'을(를) 가리킵니다 (프로브: { $known ->
        [none] 없음
       *[other] { $known }
    }). [[probes]]에 추가하거나 이름을 고치세요

## lookout check

# params: path, rules, enabled
check-ok = { $path }: 정상 (규칙 { $rules }개, 활성 { $enabled }개)

# params: reason
check-unreadable = 설정 파일을 사용할 수 없습니다: { $reason }

# params: detail
parse-error = 올바른 TOML이 아닙니다: { $detail }

## Why a desktop notification could not be shown.
desktop-no-server = 세션 버스에 알림 서버가 실행 중이지 않습니다({ $detail }). 알림 서버(GNOME, KDE, dunst, mako)를 실행하거나 [desktop] enabled = false로 설정하세요
desktop-no-bus = 데스크톱 알림을 쓸 수 없습니다. 세션 버스에 연결할 수 없습니다({ $detail }). D-Bus가 있는 그래픽 로그인 세션이 필요합니다
desktop-timeout = 알림 서버가 { $after } 안에 응답하지 않았습니다
desktop-failed = 알림 서버가 알림을 거부했습니다({ $detail })

## What the window's and the CLI's test buttons and commands report.
result-test-notify-shown = 테스트 알림을 띄웠습니다
result-email-not-configured = 이메일이 설정되지 않았습니다. [email]의 host, from, to를 설정하세요
result-email-permanent = 영구 실패: { $reason }
result-email-temporary = 일시적 실패: { $reason }
result-test-email-sent = { $server }를 거쳐 { $to }에게 보냈습니다. 서버 응답: { $code } { $reply }

## Files a user names (the config, the CA file, the password file) that Lookout refuses.
file-cannot-open = '{ $path }'을(를) 열 수 없습니다: { $reason }
file-symlink = '{ $path }'은(는) 심볼릭 링크입니다. 링크가 아니라 파일 자체를 지정하세요
file-not-regular = '{ $path }'은(는) 일반 파일이 아니라 { $kind }입니다. 일반 파일을 지정하세요
file-too-large = '{ $path }'이(가) 너무 큽니다({ $size }바이트). 최대 { $max }바이트까지 받습니다
file-not-owner = '{ $path }'의 소유자는 Lookout을 실행하는 사용자({ $me })가 아니라 사용자 { $owner }입니다. 직접 소유한 사본을 쓰세요
file-too-open = '{ $path }'을(를) 그룹이나 다른 사용자가 읽을 수 있습니다(모드 { $mode }). `chmod 600 '{ $path }'`를 실행하세요
file-cannot-read = '{ $path }'을(를) 읽을 수 없습니다: { $reason }
file-not-found = 파일이나 디렉터리가 없습니다
file-permission-denied = 권한이 없습니다
file-not-utf8 = UTF-8 텍스트가 아닙니다. UTF-8로 저장하세요
file-kind-directory = 디렉터리
file-kind-fifo = 이름 있는 파이프(FIFO)
file-kind-socket = 소켓
file-kind-char-device = 문자 장치
file-kind-block-device = 블록 장치
file-kind-symlink = 심볼릭 링크
file-kind-other = 일반 파일이 아닌 것

## The lookout command line: help, errors and output. Flags, paths and config keys stay as
## they are.
cli-about = Lookout: 이 컴퓨터를 지켜보다가 문제가 계속되면 알려 줍니다.
cli-usage = 사용법:
cli-heading-commands = 명령
cli-heading-arguments = 인수
cli-heading-options = 옵션
cli-help = 도움말을 출력합니다
cli-version = 버전을 출력합니다
cli-run = Ctrl-C나 SIGTERM을 받을 때까지 화면 없이 모니터를 실행합니다.
cli-run-config = 설정 파일 (기본값: ~/.config/lookout/config.toml, 처음 실행할 때 만듭니다. 환경 변수 LOOKOUT_CONFIG).
cli-run-events = 알림 상태가 바뀔 때마다 이 형식으로 표준 출력에 씁니다: jsonl (한 줄에 JSON 객체 하나).
cli-data-dir = 데이터 디렉터리: 알림 기록, 발송함, 상태 (기본값: ~/.local/share/lookout. 환경 변수 LOOKOUT_DATA_DIR).
cli-check = 설정 파일을 검사합니다: 올바르면 0, 아니면 문제마다 한 줄씩 출력하고 2로 끝납니다.
cli-check-path = 설정 파일 (기본값: ~/.config/lookout/config.toml. 환경 변수 LOOKOUT_CONFIG).
cli-sample = 모든 지표를 한 번 읽어서 출력합니다.
cli-json = JSON으로 출력합니다.
cli-sample-json = JSON 객체 하나로 출력합니다 (지표 키 → 숫자).
cli-status = 모니터 실행 여부, 채널별 상태, 발송함, 발생 중인 알림을 보여 줍니다.
cli-status-config = 켜진 채널을 알아낼 설정 파일 (기본값: ~/.config/lookout/config.toml. 환경 변수 LOOKOUT_CONFIG).
cli-alerts = 알림 기록을 보여 줍니다.
cli-alerts-since = 얼마나 이전부터 볼지, 예: "1h", "24h", "7d" (기본값: 24h).
cli-test-email = 지금 설정으로 테스트 이메일을 한 통 보내고 서버의 응답을 출력합니다.
cli-test-email-config = 설정 파일 (기본값: ~/.config/lookout/config.toml. 환경 변수 LOOKOUT_CONFIG).
cli-test-notify = 지금 테스트 데스크톱 알림을 하나 띄웁니다.
cli-secret = OS 키링에 비밀 값을 저장하거나 지웁니다.
cli-secret-set = 표준 입력(터미널에서는 입력이 보이지 않는 프롬프트)에서 읽은 비밀 값을 저장합니다.
cli-secret-clear = 저장된 비밀 값을 지웁니다.
cli-secret-name = 어떤 비밀 값인지: smtp (SMTP 비밀번호) 또는 channel:<name> (푸시 채널의 토큰이나 웹훅 URL).
cli-secret-config = 그 채널이 [[channels]]에 있어야 하는 설정 파일 (기본값: ~/.config/lookout/config.toml, 환경 변수 LOOKOUT_CONFIG).
cli-test-channel = 푸시 채널로 테스트 메시지를 지금 하나 보내고 서비스의 응답을 보여 줍니다.
cli-test-channel-name = [[channels]]에 쓴 채널 이름.
cli-run-listen = 이 주소와 포트에서 Prometheus의 /metrics를 제공합니다. 예: 127.0.0.1:9464 [기본값: 설정의 http.listen].
cli-run-dashboard = 웹 대시보드도 접근 토큰 뒤에서 제공합니다.
cli-dashboard-url = 브라우저에서 웹 대시보드를 여는 일회용 링크를 출력합니다.
cli-dashboard-url-listen = 대시보드를 제공하는 주소 [기본값: 설정의 http.listen].
cli-export-rules = 설정의 규칙을 Prometheus 알림 규칙으로 표준 출력에 씁니다.
cli-export-rules-format = 규칙 파일 형식: prometheus.
cli-export-rules-scrape = Prometheus가 Lookout을 수집하는 주기. 표본 비율 조건이 이 주기로 표본 수를 셉니다 [기본값: 15s].
cli-error = 오류: { $detail }
cli-error-unknown-argument = 알 수 없는 인수 '{ $arg }'
cli-error-unknown-command = 알 수 없는 명령 '{ $command }'
cli-error-invalid-value = '{ $arg }'에 쓸 수 없는 값 '{ $value }'
cli-error-possible-values = 쓸 수 있는 값: { $values }
cli-error-missing = 꼭 필요한 인수가 없습니다: { $args }
cli-error-missing-value = '{ $arg }'에는 값이 필요합니다
cli-error-other = 명령줄이 올바르지 않습니다 ({ $detail })
cli-error-similar = 비슷한 인수가 있습니다: '{ $suggestion }'
cli-error-more = 자세한 내용은 '{ $help }'를 실행해 보세요.
cli-data-dir-misplaced = --data-dir은 이 명령에 아무 효과가 없습니다. run, status, alerts, test-email에만 씁니다
cli-no-config-dir = 설정 디렉터리를 찾을 수 없습니다. HOME을 설정하거나 --config PATH를 주세요
cli-no-data-dir = 데이터 디렉터리를 찾을 수 없습니다. HOME을 설정하거나 --data-dir DIR을 주세요
cli-no-runtime = 비동기 런타임을 시작할 수 없습니다
cli-email-not-enabled = { $path }: 이메일이 꺼져 있습니다. [email] enabled = true로 설정하세요
cli-test-email-failed = 테스트 이메일을 보내지 못했습니다: { $reason }
cli-test-notify-failed = 테스트 알림을 띄우지 못했습니다: { $reason }
cli-no-password = 비밀번호를 입력하지 않아 아무것도 저장하지 않았습니다
cli-password-prompt = SMTP 비밀번호:{" "}
cli-password-unreadable = 비밀번호를 읽을 수 없습니다
cli-password-stored = SMTP 비밀번호를 OS 키링에 저장했습니다
cli-password-store-failed = SMTP 비밀번호를 저장할 수 없습니다
cli-password-removed = SMTP 비밀번호를 OS 키링에서 지웠습니다
cli-password-remove-failed = SMTP 비밀번호를 지울 수 없습니다
cli-password-none = 저장된 SMTP 비밀번호가 없습니다
cli-monitor-failed = 내부 오류로 모니터가 알림 검사를 멈췄습니다: { $reason }. 서비스 관리자가 다시 시작할 수 있도록 Lookout을 종료합니다. 이 문제를 알려 주세요.
cli-status-no-data = { $dir }에 아직 Lookout 데이터가 없습니다 (이 데이터 디렉터리로 실행한 적이 없습니다).
cli-status-running-pid = 모니터: 실행 중 (PID { $pid }), 데이터: { $dir }
cli-status-running = 모니터: 실행 중, 데이터: { $dir }
cli-status-stopped = 모니터: 실행 중이 아님, 데이터: { $dir }
cli-status-log = 로그: { $path }
cli-status-channel = { $channel }:{ $pad } { $state }
cli-status-off = 꺼짐 (설정에서 { $channel }.enabled = false)
cli-status-failing = 실패 중 ({ $count }번 연속): { $reason }
cli-status-unknown-error = 알 수 없는 오류
cli-status-ok-since = 정상, 마지막 전달 { $at }
cli-status-ok = 정상, 아직 전달한 것이 없습니다
cli-status-outbox = 발송함: 대기 { $pending }개, 실패 { $failed }개
cli-status-firing-none = 발생 중: 없음
cli-status-firing = 발생 중: { $rule } ({ $since }부터)
cli-ps = 앱 감시마다 지금 일치하는 프로세스를 보여 줍니다.
cli-status-config-ps = [[apps]] 감시가 있는 설정 파일 (기본값: ~/.config/lookout/config.toml. 환경 변수 LOOKOUT_CONFIG).
cli-ps-no-watches = { $path }에 [[apps]] 감시가 없습니다.
cli-ps-watch = { $watch }: 프로세스 { $count }개
cli-alerts-none = 지난 { $span } 동안 알림이 없습니다
cli-value-unknown = 알 수 없음

## The tray menu.
tray-starting = 시작하는 중…
tray-open = Lookout 열기
tray-recent = 최근 알림
tray-no-alerts-yet = 아직 알림이 없습니다
tray-pause = 알림 일시 중지
tray-pause-15m = 15분 동안
tray-pause-1h = 1시간 동안
tray-pause-tomorrow = 내일 { $hour }:00까지
tray-resume = 알림 다시 켜기
tray-resume-note = 알림 다시 켜기 ({ $note })
tray-autostart = 로그인 시 시작
tray-quit = 종료
# The status line: CPU and memory use in percent, then the rules firing now.
tray-status = CPU { $cpu } · 메모리 { $mem } · { $count ->
        [0] 알림 없음
       *[other] 알림 { $count }개
    }
tray-paused-until = { $time }까지 일시 중지
tray-paused = 일시 중지됨
tray-monitor-restarted = 오류 후 모니터를 다시 시작했습니다
tray-monitor-stopped = 오류로 모니터가 멈췄습니다: 알림을 확인하지 않습니다
tray-state-pending = 대기
tray-state-firing = 발생
tray-state-reminder = 다시 알림
tray-state-resolved = 해제
tray-state-gave-up = 포기함

## Desktop notifications.
notify-critical = 심각: { $rule }
notify-warning = 경고: { $rule }
notify-critical-reminder = 심각: { $rule } (계속 발생 중)
notify-warning-reminder = 경고: { $rule } (계속 발생 중)
notify-resolved = 해제: { $rule }
notify-gave-up = 포기함: { $rule }
# What is measured: the aggregate of a metric over a window.
notify-measure = { $window } 동안 { $metric }의 { $aggregate }
notify-body-firing =
    { $measure }: { $value } ({ $threshold } { $op }).
    { $host }에서 { $since }부터 발생 중입니다 ({ $lasted }).
notify-body-pending =
    { $measure }: { $value } ({ $threshold } { $op }).
    { $host }에서 { $since }부터 대기 중입니다 ({ $lasted }).
notify-body-resolved =
    { $measure }: { $value }로 돌아왔습니다.
    { $host }에서 { $since }부터 발생했었습니다 ({ $lasted }).
notify-test = Lookout 테스트 알림
notify-test-body = { $host }의 Lookout 데스크톱 알림이 작동합니다.
notify-channel-failing = Lookout: 알림 채널에 문제가 있습니다
notify-button-open = 열기
notify-button-snooze = 1시간 미루기

## Culprits: the processes an alert about CPU or memory names.
culprit-heading = 원인 프로세스
culprit-who = PID { $pid }
culprit-who-user = PID { $pid }, { $user }
culprit-line = { $name } ({ $who }): CPU { $cpu }, 메모리 { $memory }
culprit-col-pid = PID
culprit-col-user = 사용자
culprit-col-cpu = CPU
culprit-col-memory = 메모리
culprit-col-command = 명령

## Rule actions.
action-gave-up-within = { $within } 동안 { $runs }번 시도한 뒤 { $command } 실행을 포기했습니다. 규칙이 해제되면 다시 실행합니다.
action-gave-up = { $runs }번 시도한 뒤 { $command } 실행을 포기했습니다. 규칙이 해제되면 다시 실행합니다.
action-exited = 종료 상태 { $code }로 끝남
action-signalled = 시그널 { $signal }로 끝남
action-timed-out = 시간 제한에 걸려 종료됨
action-not-started = 시작하지 못함: { $error }
action-run-line = { $command } 실행: { $outcome } ({ $took } 걸림)
notify-action-ran = 조치 완료: { $rule }
notify-action-failed = 조치 실패: { $rule }
aggregate-all = 모든 표본
aggregate-avg = 평균
aggregate-min = 최솟값
aggregate-max = 최댓값
aggregate-p95 = 95번째 백분위수
op-gt = 초과
op-ge = 이상
op-lt = 미만
op-le = 이하

## Email: the default alert emails (when [email] sets no subject or body) and the test email.
## A user's own templates are used as written; their placeholders are the same in every language.
email-label-critical = 심각
email-label-warning = 경고
email-label-resolved = 해결됨
severity-critical = 심각
severity-warning = 경고
email-subject-firing = [Lookout] { $label }: { $host }에서 { $rule } 발생
email-subject-pending = [Lookout] { $label }: { $host }에서 { $rule } 대기 중
email-subject-reminder = [Lookout] { $label }: { $host }에서 { $rule } 계속 발생 중
email-subject-resolved = [Lookout] { $label }: { $host }의 { $rule }
email-subject-gave-up = [Lookout] { $label }: { $host }의 { $rule } 조치를 포기했습니다
email-headline-firing = { $host }에서 { $rule } 알림이 발생했습니다
email-headline-pending = { $host }에서 { $rule } 알림이 대기 중입니다
email-headline-reminder = { $host }에서 { $rule } 알림이 계속 발생 중입니다
email-headline-resolved = { $host }의 { $rule } 알림이 해결되었습니다
email-headline-gave-up = Lookout이 { $host }의 { $rule } 조치를 포기했습니다
email-evidence = { $metric }, { $window } { $aggregate }: { $value } (임계값: { $threshold } { $op })
email-evidence-clear = { $metric }, { $window } { $aggregate }: { $value } (임계값: { $threshold } { $op }, { $clear }에서 해제)
email-metric = 지표
email-value = 값
email-value-over = { $value } ({ $window } { $aggregate })
email-threshold = 임계값
email-threshold-value = { $threshold } { $op }
email-severity = 심각도
email-host = 호스트
email-pending-since = 대기 시작
email-firing-since = 발생 시작
email-was-firing-since = 발생했던 시점
email-since-for = { $since } ({ $lasted } 동안)
email-reported-at = 보고 시각
email-sent-by = Lookout이 보냈습니다
email-test-subject = [Lookout] { $host }에서 보낸 테스트 메시지
email-test-sent = { $host }의 Lookout이 { $when }에 보낸 테스트 메시지입니다.
email-test-route = 경로: { $server }, { $tls }, { $auth }.
email-test-reach = 이 메시지가 보인다면 알림 이메일이 제대로 도착합니다.
email-tls-none = TLS 없음
email-auth-user = '{ $user }'(으)로 인증
email-auth-none = 인증 없음

## The window
## Lookout's own window (ui/): navigation, views, forms and messages. Config problems in the
## forms use the field-* messages above.

ui-brand = Lookout
ui-nav-label = 화면
ui-nav-overview = 개요
ui-nav-alerts = 알림
ui-nav-rules = 규칙
ui-nav-notifications = 알림 설정
ui-demo-data = 데모 데이터: Lookout에 연결되어 있지 않습니다
# reason: what went wrong (ui-api-error-detail)
ui-not-answering = Lookout이 응답하지 않습니다: { $reason }
ui-start-failed = Lookout 창을 시작하지 못했습니다: { $reason }
ui-loading = 불러오는 중…
ui-try-again = 다시 시도
ui-config-load-failed = 설정을 읽지 못했습니다: { $reason }

# Readings. value: a number already formatted for the language.
ui-unit-percent = { $value }%
ui-unit-celsius = { $value }°C
# unit: a byte or rate symbol such as MiB or MB/s.
ui-unit-symbol = { $value } { $unit }
# op: >, >=, < or <=; threshold: a formatted reading.
ui-condition = { $op } { $threshold }
ui-span-seconds = { $s }초
ui-span-minutes = { $min }분
ui-span-hours = { $h }시간
ui-span-hours-minutes = { $h }시간 { $min }분
ui-span-days = { $d }일
ui-span-days-hours = { $d }일 { $h }시간
ui-relative-now = 지금
# span: a span such as "5분".
ui-relative-ago = { $span } 전
ui-relative-in = { $span } 후
ui-no-data = 데이터 없음

# States and names

ui-overall-ok = 정상
ui-overall-warning = 경고
ui-overall-critical = 심각
ui-overall-paused = 일시 중지됨
ui-overall-channel-failing = 전송 실패
ui-phase-inactive = 정상
ui-phase-pending = 대기
ui-phase-firing = 발생
ui-event-pending = 대기
ui-event-firing = 발생
ui-event-reminder = 다시 알림
ui-event-resolved = 해제
ui-severity-warning = 경고
ui-severity-critical = 심각
ui-channel-desktop = 데스크톱
ui-channel-email = 이메일
ui-metric-cpu = CPU
ui-metric-mem-used-pct = 메모리 사용률
ui-metric-mem-used-bytes = 메모리 사용량(바이트)
ui-metric-swap-used-pct = 스왑 사용률
ui-metric-load = 부하({ $minutes }분)
ui-metric-core = CPU 코어 { $index }
ui-metric-disk = 디스크 { $mount }
ui-metric-app = { $app }: { $field }
ui-app-field-running = 실행 중인 프로세스
ui-app-field-cpu-pct = CPU
ui-app-field-rss-bytes = 메모리(RSS)
ui-app-field-mem-pct = 메모리 사용률
ui-app-field-threads = 스레드
ui-app-field-fds = 열린 파일
ui-app-field-io-read-bps = 디스크 읽기
ui-app-field-io-write-bps = 디스크 쓰기
ui-app-field-restarts = 재시작
ui-app-field-uptime-s = 실행 시간
ui-metric-net-rx = { $iface } 수신
ui-metric-net-tx = { $iface } 송신

# Errors from Lookout, by code

ui-api-invalid-config = 설정에 문제가 있습니다
ui-api-config-io = 설정 파일을 읽거나 쓰지 못했습니다
ui-api-store = Lookout 데이터 저장소에 오류가 발생했습니다
ui-api-email = 이메일을 보내지 못했습니다
ui-api-desktop = 데스크톱 알림을 표시하지 못했습니다
ui-api-keyring = 시스템 키링에 오류가 발생했습니다
ui-api-autostart = 로그인 시 시작 설정을 바꾸지 못했습니다
ui-api-channel = 푸시 채널로 메시지를 보내지 못했습니다
ui-api-forbidden = 이 항목은 창에서 바꿀 수 없습니다
ui-api-stopped = Lookout 모니터가 멈췄습니다
ui-api-internal = Lookout 내부 오류가 발생했습니다
ui-api-bad-request = Lookout에 보여 줄 항목이 없습니다
# summary: one of the ui-api-* texts; detail: Lookout's own message (English).
ui-api-error-detail = { $summary } ({ $detail })

# Overview

ui-overview-live = 실시간, 최근 10분
ui-overview-waiting = 첫 측정값을 기다리는 중…
ui-overview-cores = 코어 { $count }개
ui-overview-memory = 메모리
ui-overview-memory-used = { $bytes } 사용 중
ui-overview-swap = 스왑
ui-overview-load = 부하
ui-overview-load-detail = 5분 { $load5 } · 15분 { $load15 }
ui-overview-network = 네트워크
ui-overview-net-rx = ↓ { $rate }
ui-overview-net-tx = ↑ { $rate }
ui-overview-disks = 디스크
ui-overview-temperatures = 온도
ui-cores-label = 코어별 CPU
ui-core-usage = 코어 { $index }: { $value }
# name: what the chart shows, like "CPU" or "네트워크 eth0".
ui-chart-label = { $name }, 최근 10분
ui-col-state = 상태
ui-col-rule = 규칙
ui-col-metric = 메트릭
ui-col-value = 값
ui-col-coverage = 커버리지
ui-col-severity = 심각도
ui-col-time = 시각
ui-rule-off = 꺼짐
ui-rule-states-empty = 아직 규칙이 없습니다. 규칙 화면에서 추가하십시오.

# Status strip

ui-status-label = 상태
ui-status-firing = 발생 중: { $rules }
ui-status-paused-until = { $time }까지 알림 일시 중지됨
# left: a relative time, like "42분 후".
ui-status-paused-left = ({ $left })
ui-status-resume = 다시 켜기
ui-status-pause-for = 알림 일시 중지:
ui-status-pause-15m = 15분
ui-status-pause-1h = 1시간
ui-status-pause-tomorrow = 내일까지
ui-status-config-error = 설정 파일에 문제가 있습니다. 문제를 고칠 때까지 Lookout은 마지막으로 올바르던 설정으로 동작합니다:
ui-status-tick-restarted = 모니터에 내부 오류가 발생해 다시 시작했습니다. 이 문제를 알려 주십시오:
ui-status-tick-stopped = 내부 오류가 반복되어 모니터가 멈췄습니다. 알림을 확인하지 않습니다. Lookout을 다시 시작하고 이 문제를 알려 주십시오:
ui-status-channels = 채널
ui-channel-off = 꺼짐
ui-channel-ok = 정상
ui-channel-failing = 실패 ({ $count }회)
ui-channel-failing-error = 실패 ({ $count }회): { $error }
ui-status-outbox = 보낼 편지함: 대기 { $pending }개
ui-status-outbox-failed = 보낼 편지함: 대기 { $pending }개, 실패 { $failed }개
ui-status-self = Lookout 자체: CPU { $cpu } · 메모리 { $memory }
ui-status-log = 로그:

# Alert log

ui-alerts-range-label = 표시할 기간
ui-alerts-range-1h = 최근 1시간
ui-alerts-range-24h = 24시간
ui-alerts-range-7d = 7일
ui-alerts-error = 알림 기록을 읽지 못했습니다: { $reason }
# aggregate: an aggregate-* text; metric: a metric in words; window: as configured, like 5m.
ui-alert-measure = { $window } 동안 { $metric }의 { $aggregate }
ui-alerts-not-announced = 알리지 않음
# condition: like "> 80.0%".
ui-alerts-threshold = 임계값 { $condition }
# range: hour, day or week.
ui-alerts-empty =
    { $range ->
        [hour] 최근 1시간 동안 알림이 없습니다.
        [day] 최근 24시간 동안 알림이 없습니다.
       *[week] 최근 7일 동안 알림이 없습니다.
    }

# Rules

ui-rules-list = 규칙 목록
ui-rules-editor = 규칙 편집기
ui-rule-unnamed = (이름 없음)
ui-rule-problems = 문제 { $count }개
ui-rules-empty = 규칙이 없습니다. 문제가 계속될 때 알림을 받으려면 규칙을 추가하십시오.
ui-rules-add = + 규칙 추가
ui-rules-interval = 샘플링 간격
ui-rules-interval-hint = 메트릭을 읽는 주기입니다. 예: 1s
ui-rules-duplicate = 복제
ui-rules-delete = 삭제
ui-rules-select = 규칙을 선택하거나 새로 추가하십시오.
ui-rule-new-name = 새 규칙
# name: the rule copied.
ui-rule-copy-name = { $name } (사본)
# aggregate: all, avg, min, max or p95; op: an op-* text; threshold: a formatted reading.
ui-rule-summary =
    { $window } 동안 { $metric }의 { $aggregate ->
        [all] 모든 표본이
        [avg] 평균이
        [min] 최솟값이
        [max] 최댓값이
       *[p95] 95번째 백분위수가
    } { $threshold } { $op }일 때 발생합니다.
# held: how long it must hold, as configured, like 2m.
ui-rule-summary-held =
    { $window } 동안 { $metric }의 { $aggregate ->
        [all] 모든 표본이
        [avg] 평균이
        [min] 최솟값이
        [max] 최댓값이
       *[p95] 95번째 백분위수가
    } { $threshold } { $op }인 상태가 { $held } 동안 이어지면 발생합니다.
# fires: one of the sentences above; op: an op-* text; threshold: the clear threshold.
ui-rule-summary-clears = { $fires } { $threshold } { $op }이 되면 해제됩니다.
# fires: one of the sentences above (with when it clears, if it says); every: how often, like 1 h.
ui-rule-summary-reminds = { $fires } 발생 중에는 { $every }마다 다시 알립니다.
# As ui-rule-summary-reminds; max: the most reminders it sends per firing period.
ui-rule-summary-reminds-max =
    { $fires } { $max ->
        [0] 다시 알리지는 않습니다.
        [1] 발생하고 { $every } 뒤에 한 번만 다시 알립니다.
       *[other] 발생 중에는 { $every }마다 최대 { $max }번까지 다시 알립니다.
    }
ui-rule-watch = 감시 대상
ui-rule-name = 이름
ui-rule-metric = 메트릭
ui-rule-metric-hint = 예: cpu.total, mem.used_pct, disk./.used_pct
ui-rule-aggregate = 집계 방식
ui-rule-aggregate-hint = “모든 표본”은 구간의 모든 표본이 조건을 만족해야 한다는 뜻입니다
ui-rule-aggregate-all = 모든 표본 (all)
ui-rule-window = 구간
ui-rule-window-hint = 예: 90s, 5m, 1h
ui-rule-op = 비교
ui-rule-threshold = 임계값
ui-rule-clear-threshold = 해제 임계값
ui-rule-clear-threshold-hint = 이 값을 넘어서면 해제됩니다. 비우면 임계값과 같습니다
ui-rule-timing = 시간 조건
ui-rule-for = 대기 시간
ui-rule-for-hint = 발생 전에 유지되어야 하는 시간. 비우면 0s
ui-rule-keep-firing-for = 발생 유지 시간
ui-rule-keep-firing-for-hint = 해제 전에 유지되어야 하는 시간. 비우면 0s
ui-rule-repeat-every = 다시 알림 간격
ui-rule-repeat-every-hint = 발생 중에 다시 알리는 간격. 비우면 다시 알리지 않음
ui-rule-repeat-every-off = 끔
ui-rule-repeat-max = 최대 다시 알림 횟수
ui-rule-repeat-max-hint = 이만큼 다시 알린 뒤에는 해제될 때까지 알리지 않음. 비우면 제한 없음
ui-rule-repeat-max-unused = 다시 알림 간격을 지정하면 적용됨
ui-rule-repeat-max-none = 제한 없음
ui-rule-repeat-max-invalid = 0부터 4294967295까지의 정수를 쓰십시오. 예: 3. 횟수를 제한하지 않으려면 비워 두십시오.
ui-rule-min-coverage = 최소 커버리지
ui-rule-min-coverage-hint = 구간 중 표본이 있어야 하는 비율. 비우면 0.9
ui-rule-notify = 알림
ui-rule-severity = 심각도
ui-rule-channels = 채널
ui-rule-channels-hint = 선택하지 않으면 활성화된 모든 채널로 보냅니다
ui-rule-notify-resolved = 해제되면 알림
ui-rule-enabled = 규칙 사용

# Saving

ui-save = 저장
ui-save-revert = 되돌리기
ui-save-saving = 저장하는 중…
ui-save-invalid = 저장하지 못했습니다: 설정에 문제가 { $count }개 있습니다. 빨간색으로 표시된 항목을 고치십시오.
ui-save-failed = 저장하지 못했습니다: { $reason }
ui-save-saved = ✓ { $time }에 저장됨
ui-save-unsaved = 저장하지 않은 변경 사항이 있습니다
ui-save-clean = 저장하지 않은 변경 사항 없음
# path: a config path, like rules[2].window; error: what is wrong there.
ui-save-error-at = { $path }: { $error }

# Notifications

ui-language = 언어
ui-language-auto = 자동 (시스템 설정)
# Each language's own name, the same in every catalog.
ui-language-en = English
ui-language-ko = 한국어
ui-language-hint = 창, 트레이, 알림, 이메일에 쓰입니다.
ui-language-failed = 언어를 바꾸지 못했습니다: { $reason }
ui-desktop-enabled = 데스크톱 알림 표시
ui-test-notification = 테스트 알림 보내기
ui-test-notification-sent = 테스트 알림을 보냈습니다.
ui-test-email = 테스트 이메일 보내기
ui-test-email-sent = 테스트 이메일을 보냈습니다.
ui-test-sending = 보내는 중…
ui-test-email-saved-only = 저장된 설정을 사용합니다. 먼저 변경 사항을 저장하십시오.
ui-email-enabled = 이메일로 알림 보내기
ui-email-host = SMTP 서버
ui-email-tls = 보안
ui-email-tls-hint = 포트로 추측하지 않고 여기서 고릅니다. 일반적인 포트: STARTTLS 587, TLS 465, 없음 25.
ui-email-tls-starttls = STARTTLS
ui-email-tls-tls = TLS (암시적)
ui-email-tls-none = 없음 (암호화 안 함)
ui-email-port = 포트
# port: the port used when the field is empty.
ui-email-port-hint = 비우면 { $port }
ui-email-ca-file = CA 인증서 파일
ui-email-ca-file-hint = 신뢰할 서버를 정하는 설정이므로 여기서가 아니라 설정 파일이나 명령줄에서 지정합니다
ui-email-ca-file-none = 시스템 루트 인증서
ui-email-username = 사용자 이름
ui-email-username-hint = 비우면 로그인하지 않고 보냅니다
ui-email-password-file = 비밀번호 파일
ui-email-password-file-hint = 여기서가 아니라 설정 파일이나 명령줄에서 지정합니다. 지정하지 않으면 아래 비밀번호는 시스템 키링에 저장됩니다
ui-email-password-file-none = 없음: 시스템 키링
ui-email-from = 보내는 사람
ui-email-to = 받는 사람
ui-email-to-hint = 한 줄에 주소 하나
ui-email-subject = 제목 템플릿
ui-email-subject-hint = 비우면 기본 제목
ui-email-body = 본문 템플릿
ui-email-body-hint = 비우면 기본 본문
ui-email-placeholders = 자리 표시자:
# server: host:port.
ui-password-unconfirmed = 여기서 서버가 { $server }(으)로 바뀌었습니다. 확인하기 전에는 이 서버로 비밀번호를 보내지 않습니다. SMTP 비밀번호를 다시 입력하고 저장하십시오.
ui-password = SMTP 비밀번호
ui-password-placeholder = •••••• (저장됨, 바꾸려면 입력)
ui-password-hint = 저장할 때 시스템 키링에 보관되며 다시 표시되지 않습니다.
ui-password-is-stored = 비밀번호가 저장되어 있습니다.
ui-password-remove = 삭제
ui-password-none = 저장된 비밀번호가 없습니다.
ui-password-stored-file = 비밀번호가 비밀번호 파일과 일치합니다. 서버가 확인되었습니다.
ui-password-stored-keyring = 비밀번호를 시스템 키링에 저장했습니다. 서버가 확인되었습니다.
ui-password-removed = 저장된 비밀번호를 삭제했습니다.
ui-password-store-failed = 비밀번호를 저장하지 못했습니다: { $reason }
ui-password-remove-failed = 비밀번호를 삭제하지 못했습니다: { $reason }
ui-quiet = 방해 금지 시간
ui-quiet-enabled = 매일 이 시간에는 알림 보류
ui-quiet-start = 시작
ui-quiet-end = 종료
ui-quiet-end-hint = 시작보다 이르면 다음 날 아침까지
ui-quiet-mute-critical = 심각 알림도 보류
ui-quiet-hint = 규칙은 계속 확인하고 모든 알림을 기록합니다. 방해 금지 시간이 끝날 때 아직 발생 중인 규칙은 그때 알립니다.
ui-start = 시작
ui-start-autostart = 로그인할 때 Lookout 시작

## Window: watched apps, culprits and actions

# Overview: watched apps
ui-watches = 감시 중인 앱
ui-watches-add = 감시 추가
ui-watches-empty = 아직 감시 중인 앱이 없습니다. 앱을 감시하면 실행 여부와 자원 사용량을 여기에서 보고, 그 앱에 대한 규칙도 만들 수 있습니다.
# count: how many of the app's processes run.
ui-watch-running = { $count }개 실행 중
ui-watch-not-running = 실행 중 아님
ui-watch-no-reading = 아직 측정값 없음
ui-watch-cpu = CPU
ui-watch-memory = 메모리
ui-watch-restarts = 재시작
# value: as written in the config (a name, a path, a pattern, a unit or a user).
ui-watch-match-process = 프로세스 { $value }
ui-watch-match-exe = 실행 파일 { $value }
ui-watch-match-cmdline = 명령줄 패턴 { $value }
ui-watch-match-unit = 유닛 { $value }
ui-watch-match-user = 사용자 { $value }

# The "add a watch" dialog
ui-watch-close = 닫기
ui-watch-source = 앱을 찾는 방법
ui-watch-source-pick = 실행 중인 프로세스
ui-watch-source-pattern = 직접 입력
ui-watch-pick-hint = 앱을 고르면 아래 항목이 채워집니다. 저장하기 전에 바꿀 수 있습니다.
ui-watch-search = 검색
ui-watch-search-hint = 이름, 경로, 명령줄 또는 사용자
ui-watch-refresh = 새로 고침
# reason: what went wrong (ui-api-error-detail)
ui-watch-processes-failed = 실행 중인 프로세스 목록을 가져오지 못했습니다: { $reason }
ui-watch-processes-none = 일치하는 실행 중인 프로세스가 없습니다.
# count: processes in the group; cpu: a percentage; memory: like 1.2 GiB.
ui-watch-group-usage = 프로세스 { $count }개 · CPU { $cpu } · { $memory }
ui-watch-group-exe-unknown = 실행 파일 경로를 읽을 수 없음
ui-watch-name = 이름
ui-watch-name-hint = 규칙에서 app.<name>.running처럼 씁니다. 점, 중괄호, 공백은 쓸 수 없습니다
ui-watch-criterion = 찾는 기준
ui-watch-criterion-process = 프로세스 이름
ui-watch-criterion-exe = 실행 파일 경로
ui-watch-criterion-cmdline = 명령줄 (정규식)
ui-watch-value = 값
ui-watch-value-process-hint = ps에 나오는 이름 그대로 (예: postgres)
ui-watch-value-exe-hint = 프로그램의 전체 경로 (예: /usr/bin/python3)
ui-watch-value-cmdline-hint = 명령줄 어디에서든 찾습니다 (예: my-app( |$))
ui-watch-children = 자식 프로세스도 포함
ui-watch-cancel = 취소
ui-watch-save = 감시 저장

# Alert log: gave-up events, culprits and action runs
ui-event-gave-up = 조치 포기
ui-culprit-name = 프로세스
ui-culprit-user = 사용자
ui-culprit-cpu = CPU
ui-culprit-memory = 메모리
ui-culprit-command = 명령
ui-actions-ran = 실행한 조치
# event: a ui-event-* text.
ui-action-trigger = { $event } 시 실행
# span: like "2.4 s".
ui-action-took = { $span } 걸림
ui-action-output = 출력
ui-action-output-cut = (4 KiB에서 잘림)
ui-action-no-output = 출력 없음
# code: the exit code.
ui-action-outcome-exited = 종료 코드 { $code }
# signal: the signal's number.
ui-action-outcome-signalled = 시그널 { $signal }로 종료됨
ui-action-outcome-timed-out = 제한 시간이 지나 강제 종료됨
# error: why, as the system said it (English).
ui-action-outcome-not-started = 시작하지 못함: { $error }

# Rules: actions, read-only
ui-rule-actions = 조치
ui-rule-actions-note = 설정 파일에서 정합니다. 창에서는 볼 수만 있고 추가하거나 바꿀 수 없습니다.
ui-rule-actions-none = 없음. 이 규칙이 발생할 때 실행할 명령은 설정 파일에서 정합니다.
ui-rule-actions-renamed = Lookout은 설정 파일에서 규칙 이름으로 조치를 찾습니다. 이 이름으로 저장하면 이 규칙의 조치가 없어집니다.
# events: a list of ui-event-* texts, like "Firing and Reminder".
ui-rule-action-on = { $events } 시 실행
# span: like "1 min".
ui-rule-action-timeout = { $span } 지나면 중지
ui-rule-action-max-runs = 해제될 때까지 최대 { $runs }번
# within: a span, like "15 min".
ui-rule-action-max-runs-within = { $within } 동안 최대 { $runs }번

## lookout replay
cli-replay = 기록된 시계열(CSV 또는 JSON lines)을 설정의 규칙에 통과시켜 모든 상태 변화를 출력합니다.
cli-replay-config = 규칙을 가져올 설정 파일 [기본값: ~/.config/lookout/config.toml].
cli-replay-series = 시계열: CSV("time,metric,value" 또는 "time,<메트릭>,…") 또는 JSON lines. "-"이면 표준 입력에서 읽습니다.
cli-replay-json = 상태 변화마다 JSON 한 줄로 출력합니다(`lookout run --events jsonl`과 같은 형식).
cli-replay-interval = 시계열의 수집 주기. 구간 충족도를 이 주기로 셉니다 [기본값: 설정의 수집 주기].
replay-unreadable = 시계열 { $path }을(를) 읽을 수 없습니다: { $reason }
replay-empty-series = { $path }: { $what }
replay-bad-series = { $path }, { $line }번째 줄: { $what }
replay-summary = { $from }부터 { $to }까지 { $times }개 시점({ $interval } 간격): 발생 { $firing }번, 해제 { $resolved }번, 알림 { $notifications }번
## lookout history와 lookout backtest
cli-history = 한 지표의 기록을 기간별로 보여 줍니다 (모니터가 실행 중이어도 됩니다).
cli-history-metric = 지표. 예: "cpu.total", "app.my-app.rss_bytes" (`lookout sample`이 목록을 보여 줍니다).
cli-history-since = 기간의 시작: 지금부터 거슬러 올라간 시간("1h", "7d") 또는 시각(RFC 3339 또는 Unix 초) [기본값: 1h].
cli-history-until = 기간의 끝, 같은 형식 [기본값: 지금].
cli-history-points = 최대 점 개수, 1에서 20000 [기본값: 200]. 알맞은 단계의 기록을 읽습니다.
cli-history-csv = CSV로 출력: time,min,avg,max (빈 구간은 값이 없는 행).
cli-history-config = 기록 보관 기간과 측정 간격을 읽을 설정 파일 [기본값: ~/.config/lookout/config.toml].
cli-backtest = 기록된 측정값으로 규칙을 모니터와 같은 엔진에서 다시 돌려 봅니다: 알림이 울렸을까요?
cli-backtest-config = 규칙을 시험할 설정 파일, 또는 규칙 파일의 규칙이 들어갈 설정 파일 [기본값: ~/.config/lookout/config.toml].
cli-backtest-rule = 설정에 있는 규칙의 이름.
cli-backtest-rule-file = 아직 저장하지 않은 규칙 파일: 설정과 같은 [[rules]] 표, 또는 규칙 하나의 필드.
cli-backtest-since = 기간의 시작: 지금부터 거슬러 올라간 시간("24h", "7d") 또는 시각 [기본값: 24h].
cli-backtest-json = 규칙마다 결과를 JSON 한 줄로 출력합니다.
# value: --since 또는 --until에 준 값.
cli-when-invalid = '{ $value }'은(는) 시간 길이("1h", "7d")도 시각(2026-12-06T03:00:00Z 같은 RFC 3339, 또는 Unix 초)도 아닙니다
cli-history-empty-range = 기간이 비어 있습니다: { $from }이(가) { $to }보다 앞서지 않습니다
cli-history-no-database = 아직 기록이 없습니다: { $path }은(는) 모니터가 처음 실행될 때 만들어집니다
cli-history-bad-metric = '{ $metric }'은(는) 지표가 아닙니다. 다음 중 하나를 쓰세요: { $accepted }
cli-history-not-recorded = { $metric }의 기록이 없습니다. 기록된 지표: { $recorded }
cli-history-tier-raw = 모든 측정값
cli-history-tier-minute = 1분 요약
cli-history-tier-quarter-hour = 15분 요약
cli-history-header = { $metric }, { $from }부터 { $to }까지: { $tier }, 점 하나에 { $step }
cli-history-no-points = 이 기간에는 측정값이 없습니다
cli-history-gap = (빈 구간: 측정값 없음)
cli-history-point = 최소 { $min }  평균 { $avg }  최대 { $max }
cli-backtest-no-config = { $path }의 규칙을 읽을 수 없습니다. 이유는 `lookout check`가 알려 줍니다
cli-backtest-no-rule = '{ $rule }' 규칙이 없습니다. 설정에 있는 규칙: { $rules }
cli-backtest-bad-rule-file = 규칙 파일이 아닙니다 ({ $detail }). 설정과 같은 [[rules]] 표나 규칙 하나의 필드를 쓰세요
cli-backtest-only-rules = 규칙 파일에는 [[rules]] 표만 들어갈 수 있습니다
cli-backtest-empty-rule-file = 파일에 규칙이 없습니다
cli-backtest-which-rule = 시험할 규칙을 지정하세요: --rule NAME 또는 --rule-file PATH
# span: 기간의 길이, firing: 발생 상태였던 시간, coverage: 백분율.
cli-backtest-summary = { $rule }: { $span } 동안 { $firings ->
        [0] 한 번도 울리지 않았을 것이고
       *[other] { $firings }번 울렸을 것이고
    } (발생 상태 합계 { $firing }), 알림 { $notifications }건을 보냈을 것입니다. 측정값이 기간의 { $coverage }%를 덮습니다 ({ $tier })
cli-backtest-approx-extremes = 근사값: 이 시점까지는 { $tier }만 남아 있습니다. 각 구간의 최소나 최대가 그 구간의 측정값을 대신하므로 판단은 정확하지만 시각은 구간 단위입니다.
cli-backtest-approx-averages = 근사값: 이 시점까지는 { $tier }만 남아 있습니다. 평균은 구간 평균들의 평균이므로 모든 구간이 꽉 찬 경우에만 정확합니다.
cli-backtest-approx-p95 = 근사값: 이 시점까지는 { $tier }만 남아 있습니다. 95번째 백분위수를 각 구간의 최대에서 구하므로 실제 측정값으로는 울리지 않았을 때도 울릴 수 있습니다.
series-empty = 시계열에 데이터가 없습니다. "time,metric,value" 같은 헤더 뒤에 행이 오거나 JSON lines여야 합니다
series-bad-header = 첫 줄은 "time"으로 시작하는 헤더여야 합니다(예: "time,metric,value", "time,cpu.total,mem.used_pct"). 받은 값: "{ $found }"
series-unknown-metric = 알 수 없는 메트릭 "{ $name }". cpu.total, mem.used_pct, disk./.used_pct, app.<name>.cpu_pct 같은 메트릭 키를 쓰세요
series-bad-time = "{ $text }"은(는) 시각이 아닙니다. RFC 3339(2026-12-01T09:00:00+09:00)나 Unix 초(1796083200)를 쓰세요
series-not-a-number = "{ $text }"은(는) 숫자가 아닙니다. 값이 없으면 비워 두거나 null로 쓰세요
series-field-count = 헤더에는 필드가 { $expected }개인데 { $found }개가 있습니다
series-backwards = 시각 { $time }이(가) { $previous } 뒤에 옵니다. 시계열은 시간순이어야 합니다
series-duplicate = "{ $what }"이(가) { $time ->
        [header] 헤더에
       *[other] 시각 { $time }에
    } 두 번 있습니다
series-bad-json = JSON 객체가 아닙니다: { $detail }
series-line-too-long = 줄이 { $max }바이트보다 깁니다

## Window: alert log filters
## The choices above the alert log that show only some of the loaded entries.

ui-alerts-filter-label = 알림 기록 필터
ui-alerts-filter-rule = 규칙
ui-alerts-filter-rule-all = 모든 규칙
ui-alerts-filter-severity = 심각도
ui-alerts-filter-severity-all = 모든 심각도
ui-alerts-filter-state = 상태
ui-alerts-filter-state-all = 모든 상태
# shown: the entries the filters let through; total: the entries loaded (more than shown).
ui-alerts-filter-count = 전체 { $total }개 중 { $shown }개
ui-alerts-filter-none = 이 필터에 맞는 항목이 없습니다.
ui-alerts-filter-reset = 필터 초기화

## Window: network interfaces and alert log export
## The overview's switch for virtual and idle network interfaces, and the alert log's
## longer time ranges and CSV export.

ui-net-show-all = 가상 및 유휴 인터페이스 표시
# count: interfaces hidden because they are virtual (lo, docker0…) or had no traffic in the last 10 minutes.
ui-net-hidden = 인터페이스 { $count }개 숨김
# Marks an interface shown only because virtual and idle interfaces are shown.
ui-net-kind-virtual = 가상
ui-net-kind-idle = 유휴
ui-net-none-shown = 모든 인터페이스가 가상이거나 유휴 상태입니다.
ui-alerts-range-30d = 30일
ui-alerts-range-all = 전체
ui-alerts-empty-30d = 최근 30일 동안 알림이 없습니다.
ui-alerts-empty-all = 알림 기록이 비어 있습니다.
# count: how many entries were loaded, the newest ones of the chosen time range.
ui-alerts-limited = 이 기간의 최근 항목 { $count }개만 불러왔습니다.
ui-alerts-export = CSV로 내보내기
# count: the entries shown (after the filters), which the file will hold.
ui-alerts-export-hint = 표시된 항목 { $count }개를 CSV 파일로 저장

## Window: history charts
## The overview's chart range (the live last 10 minutes, or Lookout's recorded history), the
## history charts' messages, what hovering a chart shows, and the lines of the rules that watch
## a chart's metric.

ui-history-range-label = 차트 기간
ui-history-range-10m = 10분
ui-history-range-1h = 1시간
ui-history-range-24h = 24시간
ui-history-range-7d = 7일
ui-history-range-30d = 30일
# range: one of the ui-history-range-* texts, such as "24시간".
ui-history-heading = 기록된 값, 최근 { $range }
# name: what the chart shows, such as "CPU" or "네트워크 enp3s0"; range: as above.
ui-history-chart-label = { $name }, 최근 { $range }
ui-history-empty = 아직 기록이 없습니다. 이 기간에 Lookout이 기록한 값이 없습니다.
# reason: what went wrong, one of the ui-api-* texts.
ui-history-failed = 기록을 불러오지 못했습니다: { $reason }
ui-history-hint = 차트를 드래그하면 확대하고, 두 번 클릭하면 원래대로 돌아갑니다.
# name: a metric in words, such as "CPU"; value: a formatted reading.
ui-history-point = { $name } { $value }
# avg, min, max: the average, lowest and highest reading of the point, formatted.
ui-history-point-range = { $name } { $avg } (최소 { $min }, 최대 { $max })
ui-history-point-gap = { $name }: 기록 없음
# rule: a rule's name; condition: its comparison, such as "> 90.0%".
ui-history-threshold = { $rule }: { $condition }
# value: the rule's clear threshold, formatted.
ui-history-clear = { $rule }: { $value }에서 해제

## Window: rule preview
## Under the rule editor: the draft rule replayed over a recent range of recorded history (a
## backtest), in a sentence with notes and on a chart of its metric. The user picks the range:
## the last 24 hours (day), 7 days (week) or 30 days (month).

# The label of the preview's range choice (its choices are the ui-history-range-* texts).
ui-preview-range-label = 미리보기 기간
# range: day, week or month, as above.
ui-preview-heading =
    미리보기: 최근 { $range ->
        [week] 7일
        [month] 30일
       *[day] 24시간
    }
ui-preview-loading =
    최근 { $range ->
        [week] 7일
        [month] 30일
       *[day] 24시간
    } 기록으로 규칙을 시험하는 중…
ui-preview-updating = 갱신 중…
# firings: how many times the rule would have started firing; firing: the time spent firing
# in total, like "2시간 10분"; notifications: how many notifications it would have sent;
# range: day, week or month, as above.
ui-preview-fired =
    최근 { $range ->
        [week] 7일
        [month] 30일
       *[day] 24시간
    } 동안 { $firings }번 발생했을 것입니다(총 { $firing }). { $notifications ->
        [0] 알림은 보내지 않았을 것입니다.
       *[other] 알림은 { $notifications }건 보냈을 것입니다.
    }
# The rule never started firing in the range, but was firing when it began; as above.
ui-preview-firing-at-start =
    최근 { $range ->
        [week] 7일이
        [month] 30일이
       *[day] 24시간이
    } 시작될 때 이미 발생 중이었을 것입니다(총 { $firing }). { $notifications ->
        [0] 알림은 보내지 않았을 것입니다.
       *[other] 알림은 { $notifications }건 보냈을 것입니다.
    }
ui-preview-quiet =
    최근 { $range ->
        [week] 7일
        [month] 30일
       *[day] 24시간
    } 동안 발생하지 않았을 것입니다.
# name: the rule's metric in words, such as "CPU"; range: as above.
ui-preview-no-readings =
    최근 { $range ->
        [week] 7일
        [month] 30일
       *[day] 24시간
    } 동안 Lookout이 기록한 { $name } 측정값이 없어 시험해 볼 것이 없습니다.
# coverage: a percentage, like "40%".
ui-preview-coverage = 그 시간 중 측정값이 있는 부분은 { $coverage }뿐입니다.
# tier: the summaries kept this far back (quarter_hour: 15 minutes wide, minute: 1 minute).
ui-preview-approx-extremes =
    근사값: 이 기간은 { $tier ->
        [quarter_hour] 15분
       *[other] 1분
    } 요약만 남아 있어 각 요약의 최소나 최대가 그 측정값 전체를 대신하며, 시각은 요약 단위로만 정확합니다.
ui-preview-approx-averages =
    근사값: 이 기간은 { $tier ->
        [quarter_hour] 15분
       *[other] 1분
    } 요약만 남아 있어 평균은 요약 평균들의 평균이며, 모든 요약이 꽉 찬 경우에만 정확합니다.
ui-preview-approx-p95 =
    근사값: 이 기간은 { $tier ->
        [quarter_hour] 15분
       *[other] 1분
    } 요약만 남아 있어 95번째 백분위수를 각 요약의 최대에서 구하므로, 실제 측정값으로는 발생하지 않았을 때도 발생할 수 있습니다.
ui-preview-invalid = 미리보기를 보려면 위의 규칙을 고치십시오.
# reason: what went wrong, one of the ui-api-* texts.
ui-preview-failed = 미리보기를 만들지 못했습니다: { $reason }
ui-preview-shaded = 음영: 규칙이 발생 중이었을 때

## Overview: rule states in words
## Under each rule's state chip: how long until a pending rule fires, since when it fires or
## clears, whether its notifications are held, and when an inactive rule last fired.

# span: the time left, like "4분 10초".
ui-rule-state-pending-in = 대기 중 — { $span } 후 발생
# span: how long it has been pending.
ui-rule-state-pending-due = { $span }째 대기 중 — 다음 검사 때 발생
# time: when it began firing; span: how long ago.
ui-rule-state-firing = { $time }부터 발생 중 ({ $span })
# time: since when the reading has been back past the clear threshold; span: how long ago.
ui-rule-state-clearing = { $time }부터 해제 중 ({ $span })
# ago: like "3시간 전".
ui-rule-state-last-fired = 마지막 발생: { $ago }
# time: when the snooze ends.
ui-rule-state-snoozed = { $time }까지 알림 중지
# time: when the quiet hours end.
ui-rule-state-quiet = { $time }까지 알림 중지 (방해 금지 시간)
# A countdown under an hour, to the second: "4분 10초".
ui-rule-state-span-minutes-seconds = { $min }분 { $s }초

## Window: delivery log and status bar
## The delivery log view (the email still waiting to go, with "send now", and every attempt to
## deliver something on a channel, newest first), and the slim status bar under every view:
## each channel's health, the outbox, and Lookout's own CPU and memory.

ui-nav-deliveries = 전송 기록
ui-delivery-waiting-heading = 전송 대기 중
ui-delivery-waiting-empty = 전송을 기다리는 이메일이 없습니다.
# Above the waiting email when email is turned off in the settings.
ui-delivery-email-off = 이메일이 꺼져 있어, 다시 켤 때까지 이 메시지들은 대기합니다.
# recipients: the addresses, as a list ("a@example.com 및 b@example.com").
ui-delivery-recipients = 받는 사람: { $recipients }
# count: the attempts started so far.
ui-delivery-attempts-so-far = 지금까지 { $count }회 시도
# when: like "4분 후".
ui-delivery-next-attempt = 다음 시도: { $when }
ui-delivery-next-due = 곧 다시 시도
# error: the last error, as the mail server or the system said it (not translated).
ui-delivery-last-error = 마지막 오류: { $error }
ui-delivery-being-sent = 보내는 중
ui-delivery-send-now = 지금 보내기
# subject: the email's subject; the button's name for screen readers.
ui-delivery-send-now-label = 지금 보내기: { $subject }
# subject: the email's subject; said to screen readers once Lookout took the request.
ui-delivery-sending-now = 지금 보내는 중: { $subject }
# reason: what went wrong, one of the ui-api-* texts.
ui-delivery-send-failed = 지금 보내지 못했습니다: { $reason }
ui-delivery-attempts-heading = 전송 시도
ui-delivery-attempts-empty = 아직 전송 시도가 없습니다. Lookout이 알림이나 이메일을 보내면 여기에 표시됩니다.
ui-delivery-filter-label = 전송 시도 필터
ui-delivery-filter-channel = 채널
ui-delivery-filter-channel-all = 모든 채널
ui-delivery-filter-outcome = 결과
ui-delivery-filter-outcome-all = 모든 결과
# shown: the attempts the filters let through; total: the attempts loaded.
ui-delivery-filter-count = 전체 { $total }회 중 { $shown }회
ui-delivery-filter-none = 이 필터에 맞는 전송 시도가 없습니다.
ui-delivery-filter-reset = 필터 초기화
ui-delivery-col-channel = 채널
ui-delivery-col-outcome = 결과
ui-delivery-col-detail = 내용
ui-delivery-col-alert = 알림
ui-delivery-outcome-ok = 전달됨
ui-delivery-outcome-retry = 재시도 예정
ui-delivery-outcome-failed = 실패
# rule: the alert's rule; state: what happened, like "발생".
ui-delivery-alert = { $rule } ({ $state })
# id: the alert log entry's number (when the entry is not loaded).
ui-delivery-alert-id = 알림 #{ $id }
ui-delivery-alert-hint = 알림 기록에서 이 알림 보기
ui-delivery-test-message = 테스트 메시지
# count: how many attempts were loaded, the newest ones.
ui-delivery-limited = 최근 전송 시도 { $count }회만 표시합니다.
# reason: what went wrong, one of the ui-api-* texts.
ui-delivery-error = 전송 기록을 읽지 못했습니다: { $reason }
ui-statusbar-label = 상태 표시줄
# channel: "데스크톱" or "이메일"; state: "정상", "꺼짐" or "실패 (3회)".
ui-statusbar-channel = { $channel }: { $state }
# ago: like "2분 전"; error: the last error, as the system or the mail server said it.
ui-statusbar-channel-error = 마지막 오류({ $ago }): { $error }
# error: as above, when Lookout did not say when it happened.
ui-statusbar-channel-error-undated = 마지막 오류: { $error }
# pending: the emails waiting to be sent (or being sent).
ui-statusbar-outbox = 보낼 편지함: 대기 { $pending }개
# failed: the emails Lookout gave up on.
ui-statusbar-outbox-failed = 보낼 편지함: 대기 { $pending }개, 포기 { $failed }개
ui-statusbar-outbox-hint = 전송 기록 열기
# cpu: Lookout's own CPU use as a share of one core, like "0.3%"; memory: like "38.0 MiB".
ui-statusbar-self = Lookout: CPU { $cpu } · 메모리 { $memory }
ui-statusbar-self-hint = Lookout 자체 사용량: CPU(코어 하나 기준)와 사용 중인 메모리
# channels: the failing channels as a list, like "이메일" or "데스크톱 및 이메일"; said to
# screen readers when a channel starts failing.
ui-statusbar-announce-failing = 전송 실패: { $channels }
# Said to screen readers when every failing channel works again.
ui-statusbar-announce-ok = 모든 채널에서 다시 전송됩니다.

## Window: settings and theme
## The Settings view: the language and the window's own theme (light, dark, or as the system),
## the sampling interval, the metric history Lookout keeps and the disk it uses now, quiet
## hours and start at login.

ui-nav-settings = 설정
ui-settings-appearance = 언어 및 테마
ui-theme-label = 테마
ui-theme-system = 시스템 설정에 따름
ui-theme-light = 밝게
ui-theme-dark = 어둡게
ui-theme-hint = 이 창에만 적용되며, 이 컴퓨터에 기억됩니다.
ui-settings-sampling = 샘플링
ui-settings-sampling-about = Lookout은 모든 메트릭을 이 간격으로 읽습니다. 규칙의 기간에는 측정값이 하나 이상 들어가야 하며, 간격이 짧을수록 변화를 빨리 알아채지만 더 많이 기록합니다.
ui-settings-history = 기록
ui-settings-history-enabled = 측정값 기록 남기기
ui-settings-raw-hours = 모든 측정값 (시간)
ui-settings-minute-days = 1분 요약 (일)
ui-settings-quarter-hour-days = 15분 요약 (일)
# raw: hours every reading is kept; minute and quarter: days the 1-minute and 15-minute
# summaries are kept.
ui-settings-history-about = Lookout은 모든 측정값을 { $raw }시간, 1분마다의 요약(최저·평균·최고 측정값)을 { $minute }일, 15분마다의 요약을 { $quarter }일 동안 보관하며, 더 오래된 것은 매시간 지웁니다. 차트와 규칙 미리보기는 기간에 맞게 남아 있는 가장 세밀한 기록을 읽습니다.
ui-settings-history-off = 기록을 끄면 Lookout은 측정값을 기록하지 않습니다. 차트에는 최근 몇 분만 보이고, 규칙 미리보기는 다시 돌려 볼 것이 없으며, 다시 시작하면 규칙의 기간이 빈 상태로 시작합니다.
# database, history: sizes such as "12.3 MiB".
ui-settings-usage = 현재 디스크 사용량: 전체 { $database }, 그중 기록 { $history }
# date: a date such as "2025. 1. 5."; ago: how long ago, such as "40일 전".
ui-settings-history-since = 기록 시작: { $date } ({ $ago })
ui-settings-history-none = 아직 기록된 측정값이 없습니다.
# reason: what went wrong, one of the ui-api-* texts.
ui-settings-usage-failed = 디스크 사용량을 읽지 못했습니다: { $reason }
ui-settings-pause = 알림 일시 중지
ui-settings-pause-hint = 일시 중지 중에도 규칙은 계속 확인하고 기록하지만, 알림과 이메일은 보내지 않습니다. 트레이 메뉴에서도 일시 중지할 수 있습니다.
ui-settings-whole-number = 30처럼 정수로 쓰십시오.
# [http]: Prometheus' /metrics and the web dashboard. The `lookout dashboard-url` command
# prints the dashboard's address with its access token.
ui-settings-http = Prometheus 및 웹 접근
ui-settings-http-enabled = HTTP로 Prometheus 메트릭 제공
ui-settings-http-about = 켜면 Lookout이 /metrics에서 측정값을 제공하여 Prometheus가 수집할 수 있습니다.
ui-settings-http-listen = 수신 주소와 포트
ui-settings-http-listen-hint = 루프백 주소(127.0.0.1, [::1])는 이 컴퓨터에서만 접근할 수 있습니다. 다른 주소는 모든 요청에 접근 토큰이 필요합니다. Prometheus는 데이터 디렉터리의 http-token 파일을 bearer 토큰으로 보냅니다.
ui-settings-http-metrics-url = Prometheus 수집 주소:
ui-settings-http-token-needed = 다른 컴퓨터에서 이 주소에 접근할 수 있으므로 모든 요청에 액세스 토큰이 필요합니다.
ui-settings-http-dashboard = 브라우저에서 대시보드도 제공
ui-settings-http-dashboard-hint = 브라우저에서 보는 이 창이며, 언제나 접근 토큰이 필요합니다. `lookout dashboard-url`이 브라우저를 한 번 로그인시키는 링크를 출력합니다.
ui-settings-http-dashboard-needs-listen = 제공할 주소가 필요합니다. 먼저 위에서 메트릭 제공을 켜십시오.

## Window: firing periods on the overview's charts
## On every overview chart, the spans of time a rule watching the chart's metric was firing
## (read from the alert log) are shaded in the colour of the rule's severity, named when the
## pointer is over them and listed for screen readers. Disks get a chart card each.

ui-overview-disk = 디스크
# count: how many firing periods the chart shades; said to screen readers before the list.
ui-firing-summary = 이 차트의 발생 구간 { $count }개:
# rule: a rule's name; severity: one of the ui-severity-* texts; from, to: a date and time.
ui-firing-period = { $rule }({ $severity }): { $from }부터 { $to }까지
# As above, for a rule that is still firing.
ui-firing-period-open = { $rule }({ $severity }): { $from }부터 지금까지 발생 중
# rules: the rules firing at the point under the pointer, as a list, like "CPU busy 및 CPU saturated".
ui-firing-now = 발생 중: { $rules }
ui-firing-shaded = 음영: 규칙이 발생 중이었던 때


# params: value, max
field-channels-too-many = 채널이 { $value }개입니다. 최대 { $max }개까지 받습니다
field-channel-name-missing = 채널에는 이름이 필요합니다. 규칙에서 channels = ["desktop", "<name>"]처럼 씁니다
# params: value
field-channel-name-invalid = '{ $value }'은(는) 채널 이름으로 쓸 수 없습니다. 공백, 쉼표, 따옴표, 중괄호를 쓸 수 없습니다. 'phone'이나 'team-chat'처럼 쓰세요
# params: value
field-channel-name-reserved = '{ $value }'은(는) 기본 채널입니다. 'phone'처럼 다른 이름을 쓰세요
# params: value, first
field-channel-name-duplicate = '{ $value }'은(는) 이미 channels[{ $first }]의 이름입니다. 채널 이름은 서로 달라야 합니다
# params: kind
field-channel-url-missing = { $kind } 채널에는 url = "https://..."가 필요합니다
# params: value
field-channel-url-invalid = '{ $value }'은(는) 쓸 수 없습니다. http:// 또는 https://로 시작하고 호스트가 있어야 하며, 공백이나 사용자 이름·비밀번호가 없어야 합니다
# params: kind, name
field-channel-url-secret = { $kind } URL에는 토큰이 들어 있어 비밀 정보입니다. 설정 파일이 아니라 `lookout secret set channel:{ $name }`(또는 secret_file)로 저장하세요
# params: field, kind
field-channel-field-not-for-kind = { $field }은(는) { $kind } 채널에 쓰지 않습니다. 지우세요
field-channel-chat-id-missing = telegram 채널에는 봇이 글을 올릴 채팅인 chat_id = "..."가 필요합니다
# params: value
field-channel-header-invalid = 헤더 '{ $value }'은(는) 보낼 수 없습니다. 이름은 영문자, 숫자, -로 쓰고 Host, Content-Length, Content-Type, X-Lookout-Signature는 안 되며, 값에 줄바꿈이 없어야 합니다
# params: value, min, max
field-channel-timeout-out-of-range = '{ $value }' 값이 허용 범위를 벗어났습니다. { $min }부터 { $max }까지의 기간을 지정하십시오.
# params: value
field-rule-only-when-invalid = '{ $value }'은(는) 조건으로 쓸 수 없습니다. "battery.BAT0.charging < 1"처럼 <지표> <비교> <숫자>로 쓰세요
# params: field
field-channel-file-path-empty = { $field }이(가) 비어 있습니다. 파일 경로를 쓰거나 줄을 지우세요

## Window: push channels
## The Notifications view's push channels ([[channels]]): the list, "Add channel" of a kind,
## each kind's form, its secret (write-only: stored in the keyring, never shown) and its test.
## Service names (ntfy, Telegram, Discord, Slack, Gotify, Apprise, Webhook, Alertmanager) are not translated.

ui-channels = 푸시 채널
ui-channels-intro = 휴대폰이나 채팅으로 알림을 보냅니다: ntfy, Telegram, Discord, Slack, Gotify, 웹훅, Alertmanager, Apprise. 규칙의 채널에서 고를 수 있으며, 토큰은 설정 파일이 아니라 시스템 키링에 보관합니다.
ui-channels-empty = 아직 푸시 채널이 없습니다.
ui-channels-kind = 종류
ui-channels-add = 채널 추가
ui-channels-remove = 채널 삭제
ui-channels-unnamed = (이름 없음)
# ago: like "5 min ago" (ui-relative-ago).
ui-channels-health-delivered = 마지막 전송 { $ago }
ui-channels-health-quiet = 아직 보낸 적 없음
ui-channels-name = 이름
ui-channels-name-hint = 규칙의 채널에서 이 이름으로 고릅니다. phone이나 team-chat처럼 쓰고 공백, 쉼표, 따옴표, 중괄호는 쓸 수 없습니다
ui-channels-enabled = 이 채널로 알림 보내기
ui-channels-url-webhook = URL
ui-channels-url-webhook-hint = 알림마다 이 주소로 POST합니다. 예: https://example.com/hooks/lookout
ui-channels-url-ntfy = 서버와 토픽
ui-channels-url-ntfy-hint = 토픽 주소. 예: https://ntfy.sh/my-topic
ui-channels-url-gotify = 서버
ui-channels-url-gotify-hint = Gotify 서버 주소. 예: https://gotify.example.com
ui-channels-url-alertmanager = 서버
ui-channels-url-alertmanager-hint = Alertmanager 주소. 예: http://alertmanager:9093 (알림은 이 서버의 /api/v2/alerts로 POST합니다)
ui-channels-about-alertmanager = 발생 중인 알림을 Alertmanager v2 API로 보냅니다. 레이블은 alertname, severity, rule, instance와 메트릭의 레이블입니다. 발생 중에는 5분마다 다시 보내 Alertmanager가 알림을 유지하고, 해제되면 알림이 끝납니다. 알림을 묶고, 무음 처리하고, 전달할 곳을 정하는 일은 Alertmanager가 맡습니다.
ui-channels-url-telegram = API 서버 (선택)
ui-channels-url-telegram-hint = 비우면 Telegram 기본 서버(https://api.telegram.org)를 씁니다
ui-channels-chat-id = 채팅 ID
ui-channels-chat-id-hint = 봇이 글을 올릴 채팅. 예: -1001234567890 또는 @my_channel
ui-channels-format = 본문 형식
ui-channels-format-hint = 요청마다 본문에 담을 내용
ui-channels-format-json = Lookout JSON
ui-channels-format-alertmanager = Alertmanager 웹훅
ui-channels-headers = 헤더
ui-channels-headers-hint = 모든 요청에 함께 보냅니다. 한 줄에 하나씩 씁니다. 예: X-Team: ops
ui-channels-sign = 본문마다 서명 (HMAC-SHA256)
ui-channels-sign-hint = 서명은 X-Lookout-Signature 헤더에 담기며, 받는 쪽은 같은 서명 키로 확인합니다
ui-channels-timeout = 제한 시간
ui-channels-timeout-hint = 1s부터 1m까지. 비우면 10s
ui-channels-ca-file = CA 파일
ui-channels-ca-file-hint = 서버 인증서에 서명한 CA입니다. 설정 파일에서만 지정합니다
ui-channels-secret-ntfy = 액세스 토큰 (선택)
ui-channels-secret-ntfy-hint = 보호된 토픽에만 필요합니다. 예: tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2
ui-channels-secret-gotify = 애플리케이션 토큰
ui-channels-secret-gotify-hint = Gotify에서 만든 애플리케이션의 토큰. 예: AKzqtPp7g_Mw5oE
ui-channels-secret-alertmanager = Bearer 토큰 (선택)
ui-channels-secret-alertmanager-hint = Alertmanager나 그 앞의 프록시가 요구할 때만 필요합니다. Authorization: Bearer <토큰> 헤더로 보냅니다
ui-channels-secret-telegram = 봇 토큰
ui-channels-secret-telegram-hint = @BotFather가 봇에 준 토큰. 예: 123456789:AAHn3-x2a…
ui-channels-secret-webhook-url = 웹훅 URL
ui-channels-secret-discord-hint = Discord 채널의 연동(Integrations) 설정에서 복사합니다. 예: https://discord.com/api/webhooks/… 토큰이 들어 있어 설정 파일에 두지 않습니다
ui-channels-secret-slack-hint = 수신 웹훅(Incoming Webhook) 주소. 예: https://hooks.slack.com/services/… 토큰이 들어 있어 설정 파일에 두지 않습니다
ui-channels-secret-apprise = Apprise URL
ui-channels-secret-apprise-hint = 하나 이상을 공백으로 구분해 씁니다. 예: tgram://bottoken/chatid mailto://user:password@example.com
ui-channels-secret-signing = 서명 키
ui-channels-secret-signing-hint = 받는 쪽도 알고 있는 공유 비밀 값
ui-channels-secret-kept = 저장할 때 시스템 키링에 보관되며 다시 표시되지 않습니다.
ui-channels-secret-file-hint = 비밀 정보를 이 파일에서 읽습니다. 설정 파일에서만 지정합니다.
ui-channels-secret-stored = 비밀 정보 저장됨
ui-channels-secret-not-stored = 저장된 비밀 정보 없음
ui-channels-secret-needed = 비밀 정보 없음: 없으면 보낼 수 없습니다
# problem: why the keyring could not be read (Lookout's own words).
ui-channels-secret-problem = 키링을 확인하지 못했습니다: { $problem }
ui-channels-secret-saved = 시스템 키링에 저장했습니다.
ui-channels-secret-removed = 시스템 키링에서 삭제했습니다.
# reason: what went wrong, one of the ui-api-* texts.
ui-channels-secret-store-failed = 저장하지 못했습니다: { $reason }
ui-channels-secret-remove-failed = 삭제하지 못했습니다: { $reason }
ui-channels-test = 테스트 메시지 보내기
ui-channels-test-sent = 테스트 메시지를 보냈습니다.
ui-channels-test-unsaved = 테스트하려면 먼저 채널을 저장하십시오.

## Probes: what one check found (lookout sample, the window)

probe-connected = 연결됨
# status: the HTTP status code of the answer
probe-http = HTTP { $status }
# status: what came; expected: the probe's expect_status
probe-http-unexpected = HTTP { $status }, 기대한 값은 { $expected }
# timeout: the probe's timeout in words, like "5 seconds"
probe-timed-out = { $timeout } 안에 응답 없음
# error: the system's own words, like "Connection refused (os error 111)"
probe-failed = 실패: { $error }

## lookout secret channel:<name>, lookout test-channel

# channel: the push channel's name
cli-channel-secret-prompt = { $channel } 채널의 비밀 정보(토큰 또는 웹훅 URL):{" "}
cli-no-secret = 비밀 정보를 입력하지 않아 아무것도 저장하지 않았습니다
cli-channel-secret-stored = { $channel } 채널의 비밀 정보를 OS 키링에 저장했습니다
cli-channel-secret-store-failed = { $channel } 채널의 비밀 정보를 저장할 수 없습니다
cli-channel-secret-removed = { $channel } 채널의 비밀 정보를 OS 키링에서 지웠습니다
cli-channel-secret-remove-failed = { $channel } 채널의 비밀 정보를 지울 수 없습니다
cli-channel-secret-none = 저장된 { $channel } 채널의 비밀 정보가 없습니다
# known: the declared channels, comma-separated (or cli-channels-none)
cli-channel-unknown = 설정에 '{ $channel }' 채널이 없습니다 (채널: { $known }). 먼저 [[channels]]에 선언하세요
cli-channels-none = 없음
# reason: the service's answer or the error, as it came
cli-test-channel-failed = 테스트 메시지를 보내지 못했습니다: { $reason }

## Window: batteries, disk activity, GPUs and probes, and rules that apply only while
## another metric's reading holds (only_when). The overview gets a chart card per battery,
## physical disk, GPU and probe the machine has; readings that are 1 or 0 show as words.

# name: a battery as the system names it, like BAT0.
ui-metric-battery-pct = 배터리 { $name } 충전량
ui-metric-battery-charging = 배터리 { $name } 충전 여부
ui-metric-battery-time-to-empty = 배터리 { $name } 남은 사용 시간
ui-metric-power-ac = AC 전원
# name: a physical disk as the system names it, like nvme0n1 or sda.
ui-metric-diskio-read = { $name } 읽기
ui-metric-diskio-write = { $name } 쓰기
ui-metric-diskio-busy = { $name } I/O 사용률
# name: a GPU's number, from 0.
ui-metric-gpu-busy = GPU { $name } 사용률
ui-metric-gpu-vram = GPU { $name } VRAM 사용률
ui-metric-gpu-temp = GPU { $name } 온도
# name: a probe's name in [[probes]], like nas.
ui-metric-probe-up = 프로브 { $name } 응답 여부
ui-metric-probe-latency = 프로브 { $name } 응답 시간
# The two states of readings that are 1 or 0.
ui-flag-charging = 충전 중
ui-flag-not-charging = 충전 중 아님
ui-flag-on-ac = AC 전원 사용
ui-flag-on-battery = 배터리 사용
ui-flag-up = 정상
ui-flag-down = 응답 없음
# value: a number already formatted for the language.
ui-unit-ms = { $value }ms
ui-overview-batteries = 배터리
ui-overview-battery = 배터리
# span: how long until empty at the present drain, like "3 h 5 min".
ui-overview-battery-left = { $span } 남음
ui-overview-diskio-section = 디스크 입출력
ui-overview-diskio = 디스크 I/O
# rate: bytes per second, like "1.2 MB/s".
ui-overview-diskio-read = 읽기 { $rate }
ui-overview-diskio-write = 쓰기 { $rate }
ui-overview-diskio-busy = 사용률
ui-overview-gpus = GPU
ui-overview-gpu = GPU
# pct: the share of video memory in use, like "42.0 %".
ui-overview-gpu-vram = VRAM { $pct }
ui-overview-probes = 프로브
ui-overview-probe = 프로브
ui-rule-only-when = 조건이 맞을 때만
ui-rule-only-when-hint = 다른 메트릭의 최근 측정값에 대한 조건. 예: battery.BAT0.charging < 1. 비우면 항상
ui-rule-only-when-always = 항상
# fires: the sentences above (with when it clears and reminds, if they say); condition: the
# rule's only_when as written, like battery.BAT0.charging < 1.
ui-rule-summary-only-when = { $fires } { $condition } 조건이 맞는 동안에만 발생합니다.

## lookout export-rules --format prometheus: comments at the top of the rules file and
## above a rule, and each rule's annotations. Prometheus reads the annotations as templates.

# path: the config file the rules come from
export-rules-header = Lookout 설정 { $path }에서 내보낸 Prometheus 알림 규칙입니다. rule_files로 불러오세요.
# interval: the scrape interval they assume, like 15s
export-rules-scrape = Prometheus가 Lookout을 { $interval }마다 수집한다고 가정합니다. 표본 비율 조건(count_over_time)이 이 주기로 표본 수를 셉니다. 주기가 다르면 --scrape-interval을 주고 다시 내보내세요.
# from, to: the quiet hours as configured, like 22:00 and 07:00
export-rules-quiet-hours = 방해 금지 시간({ $from }–{ $to })은 Prometheus에 해당하는 것이 없습니다. Alertmanager의 time interval로 음소거하세요.
# rules: the names of the disabled rules, comma-separated
export-rules-skipped = 꺼진 규칙은 빠졌습니다: { $rules }.
# rule: the rule's name; clear: its clear_threshold, formatted
export-rules-hysteresis = { $rule }: clear_threshold { $clear }는 Prometheus에 해당하는 것이 없습니다. 이 알림은 조건이 깨지는 즉시 해결됩니다.
export-rules-p95 = { $rule }: 근사값입니다. Lookout은 최근접 순위 95번째 백분위수를, quantile_over_time은 표본 사이를 보간한 값을 씁니다.
# every: the reminder period, like 4h
export-rules-reminders = { $rule }: { $every }마다 다시 알림은 Alertmanager의 repeat_interval에서 정합니다.
export-rules-actions = { $rule }: 이 규칙의 동작은 Lookout에서만 실행됩니다.
# instance: Prometheus' own template for the instance label
export-rules-summary = { $instance }의 { $rule }

## HTTP (/metrics and the web dashboard): the bodies of refused requests.

http-wrong-host = 이 서버는 자신의 주소로만 응답합니다. 수신 중인 주소로 여세요.
http-unauthorized = 접근 토큰이 없거나 틀립니다. `lookout dashboard-url`이 출력하는 일회용 링크를 열거나, 토큰을 “Authorization: Bearer <토큰>”으로 보내세요.
http-login-invalid = 이 로그인 링크는 틀렸거나, 만료되었거나, 이미 쓰였습니다. `lookout dashboard-url`로 새 링크를 받으세요.
http-not-found = 찾을 수 없습니다.
http-ui-missing = 이 Lookout은 창 없이 빌드되었습니다. ui/에서 `npm run build`를 실행하고 다시 빌드하세요.

## lookout run --listen, lookout dashboard-url

# value: what was given
cli-listen-invalid = “{ $value }”은(는) 주소와 포트가 아닙니다. 127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464처럼 지정하세요
cli-dashboard-needs-listen = --dashboard에는 제공할 주소가 필요합니다. --listen ADDR을 주거나 설정에 http.listen을 지정하세요
# reason: why, in the system's words
cli-http-failed = HTTP를 제공할 수 없습니다: { $reason }
cli-dashboard-url-no-listen = 대시보드 주소가 없습니다. 설정에 http.listen을 지정하거나 --listen ADDR을 주세요
cli-token-failed = 접근 토큰을 읽거나 만들 수 없습니다: { $reason }
# minutes: how long the link works
cli-dashboard-url-once = 이 링크는 { $minutes }분 안에 한 번만 쓸 수 있습니다. 스크립트와 Prometheus는 데이터 디렉터리의 http-token에 있는 토큰을 “Authorization: Bearer <토큰>”으로 보냅니다.
