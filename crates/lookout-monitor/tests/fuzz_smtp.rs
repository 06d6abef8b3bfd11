//! Fuzzing on stable Rust, with proptest: any SMTP replies, from a scripted server on
//! 127.0.0.1, go through the email channel (lettre plus Lookout's classification). Nothing
//! may panic, every send ends within its timeout, and every failure is one bounded line of
//! text without control characters, classified permanent only for a 5xx reply.
//!
//! `LOOKOUT_FUZZ_CASES` sets the cases (2,000 by default); `make test` runs 100,000 and
//! `make fuzz` ten million.
#![allow(clippy::expect_used)]

use lookout_core::config::{EmailConfig, TlsMode};
use lookout_core::Timestamp;
use lookout_i18n::Language;
use lookout_monitor::delivery::{render_test_email, EmailChannel};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// The send timeout: the scripted server never stalls (it hangs up when its script ends), so
/// only a send that hangs on its own reaches it.
const TIMEOUT: Duration = Duration::from_secs(2);
/// How long the scripted server waits for the client's next line before hanging up (a slow
/// client then meets a server that hung up: a case like any other).
const IDLE: Duration = Duration::from_millis(10);
/// How late past the timeout a send may end (scheduling).
const SLACK: Duration = Duration::from_secs(1);
/// The longest failure message accepted.
const MAX_MESSAGE: usize = 2_000;

fn cases() -> u32 {
    std::env::var("LOOKOUT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// One scripted answer.
#[derive(Debug, Clone)]
enum Reply {
    /// These bytes and CRLF.
    Line(Vec<u8>),
    /// Hang up.
    Close,
}

/// Replies a server could send: well-formed ones with any code and text, multi-line ones,
/// and arbitrary bytes.
fn reply() -> impl Strategy<Value = Reply> {
    let code = prop_oneof![
        4 => prop::sample::select(vec![220u16, 250, 354, 221, 421, 450, 451, 452, 500, 501, 503, 530, 535, 550, 552, 554]),
        1 => 0u16..1000,
    ];
    let text = prop_oneof![
        3 => "[ -~]{0,40}",
        1 => any::<String>().prop_map(|s| s.replace(['\r', '\n'], " ")),
        1 => prop::sample::select(vec!["AUTH PLAIN LOGIN", "8BITMIME", "SIZE 10", "STARTTLS", "PIPELINING", "SMTPUTF8"]).prop_map(str::to_owned),
    ];
    prop_oneof![
        6 => (code.clone(), text.clone()).prop_map(|(c, t)| Reply::Line(format!("{c} {t}").into_bytes())),
        2 => (code, text).prop_map(|(c, t)| Reply::Line(format!("{c}-{t}").into_bytes())),
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(|mut bytes| {
            // Any bytes but a line end (a filter would reject too many cases in long runs).
            for b in &mut bytes {
                if *b == b'\n' {
                    *b = b' ';
                }
            }
            Reply::Line(bytes)
        }),
        1 => Just(Reply::Close),
    ]
}

/// A session's replies: a plausible start, then anything.
fn script() -> impl Strategy<Value = Vec<Reply>> {
    prop::collection::vec(reply(), 0..12)
}

fn is_continuation(line: &[u8]) -> bool {
    line.get(3) == Some(&b'-')
}

/// Serves one connection from `script`: a greeting, then one reply per command (and after
/// DATA's 354, one for the message). A continuation line is followed at once by the next
/// reply, so the client is never left waiting for a line that will not come.
async fn serve(listener: &TcpListener, script: Vec<Reply>) {
    let Ok((stream, _)) = listener.accept().await else {
        return;
    };
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let mut replies = script.into_iter().peekable();
    let mut in_data = false;
    let mut first = true;
    loop {
        if !first {
            // The client's command (or its message, up to the lone dot).
            let mut line = Vec::new();
            loop {
                line.clear();
                // A client that says nothing is waiting for more of a reply it could not
                // parse: hang up rather than make it wait for its timeout.
                match tokio::time::timeout(IDLE, read.read_until(b'\n', &mut line)).await {
                    Ok(Ok(0) | Err(_)) | Err(_) => return,
                    Ok(Ok(_)) => {}
                }
                if !in_data || line == b".\r\n" {
                    break;
                }
            }
            in_data = !in_data && line.to_ascii_uppercase().starts_with(b"DATA");
        }
        first = false;
        loop {
            match replies.next() {
                None | Some(Reply::Close) => return,
                Some(Reply::Line(mut bytes)) => {
                    if in_data && !bytes.starts_with(b"354") {
                        in_data = false;
                    }
                    let continued = is_continuation(&bytes);
                    bytes.extend_from_slice(b"\r\n");
                    if write.write_all(&bytes).await.is_err() {
                        return;
                    }
                    if !continued {
                        break;
                    }
                }
            }
        }
    }
}

#[test]
fn any_smtp_replies_end_in_a_classified_one_line_result() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("listen");
    let port = listener.local_addr().expect("addr").port();
    let cfg = EmailConfig {
        enabled: true,
        host: "127.0.0.1".into(),
        port: Some(port),
        tls: TlsMode::None,
        from: "alerts@example.com".into(),
        to: vec!["me@example.com".into()],
        ..EmailConfig::default()
    };
    let email = render_test_email(&cfg, "fuzzhost", Timestamp::from_millis(0), Language::En);
    let channel = EmailChannel::new(&cfg, None)
        .expect("channel")
        .with_timeout(TIMEOUT);
    let mut runner = TestRunner::new(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&script(), |script| {
            let began = Instant::now();
            let result = runtime.block_on(async {
                let (_, sent) =
                    tokio::join!(serve(&listener, script.clone()), channel.send(&email));
                sent
            });
            prop_assert!(
                began.elapsed() < TIMEOUT + SLACK,
                "the send hung: {script:?}"
            );
            if let Err(e) = result {
                let message = e.message();
                prop_assert!(
                    !message.is_empty() && message.len() <= MAX_MESSAGE,
                    "{message:?}"
                );
                prop_assert!(
                    !message.chars().any(char::is_control),
                    "one line, no control characters: {message:?}"
                );
                if e.is_permanent() {
                    let any_5xx = script
                        .iter()
                        .any(|r| matches!(r, Reply::Line(l) if l.first() == Some(&b'5')));
                    prop_assert!(
                        any_5xx,
                        "permanent only after a 5xx answer: {message:?} from {script:?}"
                    );
                }
            }
            Ok(())
        })
        .expect("no SMTP reply breaks the email channel");
}
