//! Shared by the drawing tests (render, editable, quality): load a model from the repository and run the rules.
// Each test file uses the part it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
