//! A `hookproof listen` child process on a free port, read line by line.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use super::{SECRET, binary};

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

    /// `listen --scheme <scheme> --secret SECRET` with `extra` arguments.
    pub(crate) fn scheme(scheme: &str, extra: &[&str]) -> Self {
        let mut args = vec!["--scheme", scheme, "--secret", SECRET];
        args.extend_from_slice(extra);
        Self::start(&args)
    }

    /// The port from [`Listener::url`].
    pub(crate) fn port(&self) -> &str {
        self.url
            .trim_start_matches("http://127.0.0.1:")
            .trim_end_matches("/webhooks")
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
