//! Shared by the tests: run the `nagare` binary as a clerk would, load a model from the repository, run the rules.
// Each test file uses the part it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use nagare::controls::Catalogue as Controls;
use nagare::model::Model;
use nagare::rules::engine::Finding;

/// The repository's root (where `models/` and `tests/fixtures/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads a model that must load cleanly.
pub fn load(path: &Path) -> Model {
    let controls = Controls::builtin().unwrap_or_else(|_| panic!("built-in controls catalogue"));
    let loaded = nagare::model::load(path, &controls);
    loaded
        .model
        .unwrap_or_else(|| panic!("{} does not load: {:?}", path.display(), loaded.diagnostics))
}

/// The findings of the built-in rule packs on `today` (acceptances expire by it).
pub fn findings_on(model: &Model, today: (u32, u32, u32)) -> Vec<Finding> {
    let rules =
        nagare::rules::Catalogue::load(None).unwrap_or_else(|_| panic!("built-in rule packs"));
    nagare::rules::engine::run(model, &rules, today)
}

/// The `nagare` binary, without colour, on a fixed day (acceptances expire by it).
pub fn nagare() -> Command {
    let mut cmd = Command::cargo_bin("nagare").expect("binary");
    cmd.env("NO_COLOR", "1").env("NAGARE_TODAY", "2025-04-01");
    cmd
}

/// Runs `cmd`: its exit code (-1 when killed), stdout and stderr as text.
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
