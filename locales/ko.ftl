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

# params: none
field-rule-name-missing = 규칙에는 이름이 필요합니다. 'CPU 사용률 높음'처럼 짧은 문구를 쓰십시오.

# params: value
field-rule-name-control-chars = '{ $value }' 값에 제어 문자(줄바꿈, 탭, 이스케이프) 또는 양방향 텍스트 제어 문자가 있습니다. 인쇄 가능한 문자만 쓰십시오.

# params: value, first
field-rule-name-duplicate = '{ $value }' 이름은 이미 rules[{ $first }]에서 사용하고 있습니다. 규칙 이름은 서로 달라야 합니다.

# params: value
field-rule-metric-unknown = 알 수 없는 메트릭 '{ $value }'입니다. 다음 중 하나를 쓰십시오: cpu.total, cpu.core.N, mem.used_pct, mem.used_bytes, swap.used_pct, load.1, load.5, load.15, disk.<mount>.used_pct (예: disk./.used_pct), net.<iface>.rx_bps, net.<iface>.tx_bps, temp.<sensor>

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

# params: value
field-rule-channel-unknown = 알 수 없는 채널 '{ $value }'입니다. 'desktop' 또는 'email'을 쓰십시오.

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

## lookout check

# params: path, rules, enabled
check-ok = { $path }: 정상 (규칙 { $rules }개, 활성 { $enabled }개)

# params: reason
check-unreadable = 설정 파일을 사용할 수 없습니다: { $reason }

# params: detail
parse-error = 올바른 TOML이 아닙니다: { $detail }

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

## Desktop notifications.
notify-critical = 심각: { $rule }
notify-warning = 경고: { $rule }
notify-critical-reminder = 심각: { $rule } (계속 발생 중)
notify-warning-reminder = 경고: { $rule } (계속 발생 중)
notify-resolved = 해제: { $rule }
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
aggregate-all = 모든 표본
aggregate-avg = 평균
aggregate-min = 최솟값
aggregate-max = 최댓값
aggregate-p95 = 95번째 백분위수
op-gt = 초과
op-ge = 이상
op-lt = 미만
op-le = 이하
