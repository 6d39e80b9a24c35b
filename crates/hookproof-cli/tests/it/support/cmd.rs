//! Command builders for the usual invocations, and readers of their output.

use assert_cmd::Command;
use assert_cmd::assert::Assert;

use super::SECRET;

/// `hookproof` as an assert_cmd command.
pub(crate) fn hookproof() -> Command {
    assert_cmd::cargo::cargo_bin_cmd!("hookproof")
}

/// `hookproof sign --scheme <scheme> --secret <secret>`.
pub(crate) fn sign_cmd(scheme: &str, secret: &str) -> Command {
    let mut cmd = hookproof();
    cmd.args(["sign", "--scheme", scheme, "--secret", secret]);
    cmd
}

/// `hookproof verify --scheme <scheme> --secret <secret>`.
pub(crate) fn verify(scheme: &str, secret: &str) -> Command {
    let mut cmd = hookproof();
    cmd.args(["verify", "--scheme", scheme, "--secret", secret]);
    cmd
}

/// [`verify`] with [`SECRET`] at `now` (unix seconds), given the header
/// `lines` printed by `sign`.
pub(crate) fn verify_at(scheme: &str, now: i64, lines: &[String]) -> Command {
    let mut cmd = verify(scheme, SECRET);
    cmd.args(["--now", &now.to_string()])
        .args(header_args(lines));
    cmd
}

/// `hookproof replay --to <url> --scheme <scheme> --secret <secret> <dir>`.
pub(crate) fn replay(url: &str, scheme: &str, secret: &str, dir: &std::path::Path) -> Command {
    let mut cmd = hookproof();
    cmd.args([
        "replay", "--to", url, "--scheme", scheme, "--secret", secret,
    ])
    .arg(dir);
    cmd
}

/// `sign` with [`SECRET`], a fixed id and timestamp; returns the printed
/// header lines.
pub(crate) fn sign(scheme: &str, body_path: &std::path::Path, id: &str, ts: i64) -> Vec<String> {
    lines(
        sign_cmd(scheme, SECRET)
            .args(["--id", id, "--timestamp", &ts.to_string()])
            .arg(body_path)
            .assert()
            .success(),
    )
}

/// Everything the command printed on stdout.
pub(crate) fn text(assert: Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("utf-8 stdout")
}

/// The lines the command printed on stdout.
pub(crate) fn lines(assert: Assert) -> Vec<String> {
    text(assert).lines().map(str::to_owned).collect()
}

/// `-H line` arguments for verify.
pub(crate) fn header_args(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| ["-H".to_owned(), l.clone()])
        .collect()
}

/// Runs `sh -c <pipeline>` with `env` set; asserts it succeeded and returns
/// its stdout.
pub(crate) fn shell(pipeline: &str, env: &[(&str, &str)]) -> String {
    let out = std::process::Command::new("sh")
        .args(["-c", pipeline])
        .envs(env.iter().copied())
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "{pipeline}\nexited {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}
