//! Helpers: the binary, test secrets, and a `hookproof listen` child process.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// A Standard Webhooks secret (`whsec_` + base64); other schemes use it as
/// plain text.
pub(crate) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A body with a non-ASCII character and a trailing newline (signatures
/// cover every byte).
pub(crate) const BODY: &[u8] =
    b"{\"id\":\"evt_1\",\"type\":\"webhook.test\",\"data\":{\"note\":\"it's \\u00e9\"}}\n";

/// A fixed signing time: 2023-11-14T22:13:20Z.
pub(crate) const TS: i64 = 1_700_000_000;

/// Writes [`BODY`] to `body.json` in `dir`.
pub(crate) fn body_file(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("body.json");
    std::fs::write(&path, BODY).expect("write body");
    path
}

/// The schemes whose sign -> verify round trip uses one shared secret.
pub(crate) const HMAC_SCHEMES: &[&str] = &[
    "standard", "github", "stripe", "slack", "shopify", "gateway", "hex",
];

/// `hookproof` as an assert_cmd command.
pub(crate) fn hookproof() -> assert_cmd::Command {
    assert_cmd::cargo::cargo_bin_cmd!("hookproof")
}

/// Path of the built binary, for long-running children.
pub(crate) fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_hookproof")
}

/// `sign` with a fixed id and timestamp; returns the printed header lines.
pub(crate) fn sign(scheme: &str, body_path: &std::path::Path, id: &str, ts: i64) -> Vec<String> {
    let out = hookproof()
        .args(["sign", "--scheme", scheme, "--secret", SECRET, "--id", id])
        .args(["--timestamp", &ts.to_string()])
        .arg(body_path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// `-H line` arguments for verify.
pub(crate) fn header_args(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| ["-H".to_owned(), l.clone()])
        .collect()
}

/// A running `hookproof listen`, killed on drop.
pub(crate) struct Listener {
    child: Child,
    lines: Receiver<String>,
    /// Everything printed so far.
    pub(crate) seen: Vec<String>,
    /// The printed URL (`http://127.0.0.1:PORT/webhooks`).
    pub(crate) url: String,
}

impl Listener {
    /// Starts `hookproof listen --port 0 <args>` and waits for its URL.
    pub(crate) fn start(args: &[&str]) -> Self {
        let mut child = Command::new(binary())
            .args(["listen", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn hookproof listen");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut listener = Self {
            child,
            lines: rx,
            seen: Vec::new(),
            url: String::new(),
        };
        let first = listener.wait_for("listening on ");
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("a URL on the first line")
            .to_owned();
        let port: u16 = url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port in the URL");
        assert_ne!(port, 0, "--port 0 must print the real port");
        listener.url = url;
        listener
    }

    /// Waits (up to 20 s) for a printed line containing `needle`; returns it.
    pub(crate) fn wait_for(&mut self, needle: &str) -> String {
        if let Some(line) = self.seen.iter().find(|l| l.contains(needle)) {
            return line.clone();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!(
                        "listen never printed {needle:?}; it printed:\n{}",
                        self.seen.join("\n")
                    )
                }
            }
        }
    }

    /// Counts printed lines containing `needle` (after reading what is ready).
    pub(crate) fn count(&mut self, needle: &str) -> usize {
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
        self.seen.iter().filter(|l| l.contains(needle)).count()
    }

    /// Waits (up to 20 s) until `needle` has been printed `n` times.
    pub(crate) fn wait_count(&mut self, needle: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.count(needle) < n {
            assert!(
                Instant::now() < deadline,
                "listen printed {needle:?} fewer than {n} times:\n{}",
                self.seen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGINT (Ctrl-C) and returns the exit status and remaining output.
    pub(crate) fn interrupt(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT failed");
        let exit = self.child.wait().expect("wait for listen");
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        (exit, std::mem::take(&mut self.seen))
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A one-shot tokio runtime for HTTP from tests.
pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// POSTs `body` with `headers` to `url`; returns the status.
pub(crate) fn post(url: &str, headers: &[(String, String)], body: Vec<u8>) -> u16 {
    block_on(async {
        let mut request = reqwest::Client::new()
            .post(url)
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request.send().await.expect("send").status().as_u16()
    })
}

/// Splits `Name: value` lines into pairs.
pub(crate) fn pairs(lines: &[String]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|l| {
            let (n, v) = l.split_once(": ").expect("Name: value");
            (n.to_owned(), v.to_owned())
        })
        .collect()
}
