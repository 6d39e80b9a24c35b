//! Embeds the repository's gateway samples (`fixtures/gateway/*.json`) into
//! the binary so that `hookproof trigger` works from any directory.
//!
//! The generated table holds `(path below fixtures/, include_str!(...))`,
//! each path spelled as `concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/…")`:
//! nothing absolute is baked into the generated source, so moving the
//! checkout or the target directory does not break the build.
//!
//! When the directory is missing (a `cargo package` / crates.io build holds
//! only this crate, not the workspace's `fixtures/`), the catalogue is empty,
//! a `cargo::warning` names the directory that was looked for, and `trigger`
//! explains at run time that `--fixtures DIR` is needed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The catalogue, relative to this crate's manifest directory.
const CATALOGUE: &str = "../../fixtures/gateway";

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join(CATALOGUE);
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={CATALOGUE}");

    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &mut files);
        files.sort();
    } else {
        println!(
            "cargo::warning=hookproof-cli: {} not found; `hookproof trigger` is built without \
             the sample catalogue and needs --fixtures DIR",
            root.display()
        );
    }

    let mut out = String::from(
        "/// Fixture files embedded at build time: (path below fixtures/, contents).\n\
         pub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let Ok(relative) = file.strip_prefix(&root) else {
            continue;
        };
        let relative = format!("gateway/{}", relative.to_string_lossy().replace('\\', "/"));
        let _ = writeln!(
            out,
            "    ({relative:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/../../fixtures/{relative}")
        );
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "/// Where the catalogue was looked for, relative to the crate.\n\
         pub(crate) const SOURCE: &str = {:?};",
        CATALOGUE.trim_start_matches("../../")
    );

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(out_dir.join("catalogue.rs"), out) {
        panic!("cannot write the embedded catalogue: {e}");
    }
}

/// Every `*.json` file below `dir`, skipping hidden entries and symlinks.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&path, files);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}
