//! Endpoint URL credentials (`user:pa55@`, `?token=s3cret`) never show in
//! `Debug`, attempt errors, observer reports, dead letters or logs.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hookproof_emitter::{
    AttemptReport, AttemptResult, DeadLetter, Emitter, EmitterConfig, RedactedUrl,
};

use crate::receiver::{Receiver, Reply, SECRET, config, event, settled};

const SECRETS: [&str; 3] = ["pa55", "s3cret", "n3wtoken"];

/// `http://user:pa55@<addr><path>?token=s3cret&x=1`.
fn secret_url(base: &str, path: &str) -> String {
    let rest = base.trim_start_matches("http://");
    format!("http://user:pa55@{rest}{path}?token=s3cret&x=1")
}

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
    }
}

/// Everything the emitter said about its deliveries: reports, dead letters
/// and the `tracing` output captured while it ran.
#[derive(Default)]
struct Said {
    reports: Vec<AttemptReport>,
    dead: Vec<DeadLetter>,
    logs: String,
}

impl Said {
    fn assert_clean(&self) {
        assert!(!self.reports.is_empty() && !self.dead.is_empty());
        for r in &self.reports {
            assert_clean("a report", &format!("{r:?}"));
            assert_eq!(r.url.matches("***").count(), 4, "{}", r.url);
        }
        for d in &self.dead {
            assert_clean("a dead letter", &format!("{d:?}"));
        }
        assert!(
            self.logs.contains("delivery dead-lettered"),
            "{}",
            self.logs
        );
        assert_clean("the logs", &self.logs);
    }
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs one event through an emitter on `cfg` on this (current-thread)
/// runtime, capturing every `tracing` line at every level.
async fn run(cfg: EmitterConfig, id: &str) -> Said {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = reports.clone();
    let emitter = Emitter::builder(cfg)
        .observer(move |r: &AttemptReport| sink.lock().unwrap().push(r.clone()))
        .start()
        .unwrap();
    emitter.send(event(id)).await.unwrap();
    settled(&emitter).await;
    let dead = emitter.dead_letters();
    assert!(emitter.shutdown(Duration::from_secs(5)).await.is_empty());
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let reports = reports.lock().unwrap().clone();
    Said {
        reports,
        dead,
        logs,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn debug_of_the_config_hides_userinfo_and_query_values() {
    let text = format!(
        r#"
        [[endpoints]]
        name = "billing"
        url = "https://user:pa55@hooks.example.com/hook?token=s3cret&x=1"
        backup_url = "https://hooks-backup.example.com/hook?token=${{BACKUP_TOKEN}}"
        secret = "{SECRET}"
        "#
    );
    let cfg = EmitterConfig::from_toml_str_with_env(&text, |name| {
        (name == "BACKUP_TOKEN").then(|| "n3wtoken".to_owned())
    })
    .unwrap();
    // The values are really there, and used for sending.
    assert_eq!(cfg.endpoints[0].url.password(), Some("pa55"));
    let compact = format!("{cfg:?}");
    let pretty = format!("{cfg:#?}");
    let builder = format!("{:?}", Emitter::builder(cfg.clone()));
    for shown in [&compact, &pretty, &builder] {
        assert_clean("Debug", shown);
        assert!(
            shown.contains("https://***:***@hooks.example.com/hook?token=***&x=***"),
            "{shown}"
        );
        assert!(
            shown.contains("https://hooks-backup.example.com/hook?token=***"),
            "{shown}"
        );
        assert!(!shown.contains(&SECRET[6..]), "the signing secret: {shown}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_500_answer_reports_and_logs_no_credentials() {
    let rx = Receiver::start(|_, _| Reply::Status(500)).await;
    let cfg = config(&secret_url(&rx.url(""), "/hook"), "", "");
    let said = run(cfg, "evt_500").await;
    // The URL with its credentials was really used: the receiver got every
    // attempt on its path.
    assert_eq!(rx.hits().len(), 3);
    said.assert_clean();
    assert_eq!(said.reports[0].result, AttemptResult::Status(500));
    assert_eq!(said.dead[0].last_error.as_deref(), Some("HTTP 500"));
}

#[tokio::test(flavor = "current_thread")]
async fn a_connection_error_names_no_credentials() {
    // A port where nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = secret_url(&format!("http://127.0.0.1:{port}"), "/hook");
    let cfg = config(&url, "", "[delivery]\ntimeout_ms = 2000");
    let said = run(cfg, "evt_refused").await;
    said.assert_clean();
    let last_report = said.reports.last().unwrap();
    let AttemptResult::Error { code, message } = &last_report.result else {
        panic!("{:?}", last_report.result);
    };
    assert_eq!(*code, "connect", "{message}");
    assert!(!message.is_empty());
    let last = said.dead[0].last_error.as_deref().unwrap();
    assert_eq!(last, message);
}

#[tokio::test(flavor = "current_thread")]
async fn redirect_locations_and_gone_urls_are_redacted() {
    let rx = Receiver::start(|hit, _| {
        if hit.path == "/moved" {
            Reply::WithHeader(307, "location", "/elsewhere?token=n3wtoken".to_owned())
        } else {
            Reply::Status(410)
        }
    })
    .await;
    let cfg = config(&secret_url(&rx.url(""), "/moved"), "", "");
    let said = run(cfg, "evt_moved").await;
    said.assert_clean();
    let last = said.dead[0].last_error.as_deref().unwrap();
    assert!(
        last.ends_with("/elsewhere?token=*** not followed"),
        "{last}"
    );

    let cfg = config(&secret_url(&rx.url(""), "/gone"), "", "");
    let said = run(cfg, "evt_gone").await;
    said.assert_clean();
    let last = said.dead[0].last_error.as_deref().unwrap();
    let shown = RedactedUrl::new(&said_url(&rx, "/gone")).to_string();
    assert_eq!(
        last,
        format!("{shown} answered 410 Gone and is now disabled")
    );
    assert!(said.logs.contains(&shown), "{}", said.logs);
}

fn said_url(rx: &Receiver, path: &str) -> url::Url {
    secret_url(&rx.url(""), path).parse().unwrap()
}

#[test]
fn config_errors_never_quote_the_url() {
    for url in [
        // plain http to the internet
        "http://user:pa55@hooks.example.com/hook?token=s3cret",
        // a private address literal
        "https://user:pa55@10.0.0.8/hook?token=s3cret",
        // neither http nor https
        "ftp://user:pa55@hooks.example.com/hook?token=s3cret",
        // not a URL at all
        "https://user:pa55@[::1/hook?token=s3cret",
    ] {
        let text = format!("[[endpoints]]\nurl = \"{url}\"\nsecret = \"{SECRET}\"\n");
        let err = EmitterConfig::from_toml_str(&text).unwrap_err();
        assert_eq!(err.key(), Some("endpoints[0].url"), "{url}: {err}");
        assert_clean("a config error", &err.to_string());
        assert_clean("a config error's Debug", &format!("{err:?}"));
    }
}
