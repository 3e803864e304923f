//! Every diagnostic code has a fixture model whose message (with line:col) is snapshotted.
//!
//! Fixtures live in tests/fixtures/diag/, named after the code they show (`model__unknown-system.ron` for
//! `model::unknown-system`, with `--variant` for more than one). A test also fails when the source uses a
//! code that no fixture shows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use nagare::controls::Catalogue;
use nagare::diag::Level;

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/diag")
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    paths
}

/// `model__unknown-system--many` → `model::unknown-system`.
fn code_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    stem.split("--")
        .next()
        .unwrap_or_default()
        .replace("__", "::")
}

/// Loads a model and renders its diagnostics as the user sees them (no colour).
fn diagnostics_text(path: &Path) -> (Vec<&'static str>, String, bool) {
    let catalogue = Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("builtin catalogue");
    let loaded = nagare::model::load(path, &catalogue);
    let codes = loaded.diagnostics.iter().map(|d| d.code).collect();
    let text: String = loaded
        .diagnostics
        .iter()
        .map(|d| d.to_text(&loaded.source))
        .collect();
    (codes, text, loaded.model.is_some())
}

#[test]
fn each_fixture_shows_its_code_and_matches_its_snapshot() {
    let mut failures = Vec::new();
    for path in fixtures() {
        let code = code_of(&path);
        let (codes, text, loaded) = diagnostics_text(&path);
        if !codes.contains(&code.as_str()) {
            failures.push(format!(
                "{}: expected {code}, got {codes:?}\n{text}",
                path.display()
            ));
        }
        // Only warnings leave a usable model.
        let only_warnings = code.starts_with("control::") || code == "model::missing-glyph";
        if loaded != only_warnings {
            failures.push(format!(
                "{}: model loaded = {loaded}, expected {only_warnings}",
                path.display()
            ));
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        insta::assert_snapshot!(name, text);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn several_problems_are_reported_together_in_file_order() {
    let (codes, text, _) = diagnostics_text(Path::new(
        "tests/fixtures/diag/model__unknown-item--many.ron",
    ));
    assert!(
        codes.len() >= 4,
        "expected every problem at once, got {codes:?}"
    );
    for code in [
        "model::unknown-item",
        "model::unknown-party",
        "model::unknown-system",
        "control::unknown",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let lines: Vec<usize> = text
        .lines()
        .filter_map(|l| l.split_once("diag/model__unknown-item--many.ron:"))
        .filter_map(|(_, rest)| rest.split(':').next()?.parse().ok())
        .collect();
    assert!(
        lines.windows(2).all(|w| w[0] <= w[1]),
        "diagnostics not in file order: {lines:?}"
    );
}

#[test]
fn errors_carry_file_line_column_and_help() {
    let (_, text, _) = diagnostics_text(Path::new("tests/fixtures/diag/model__unknown-system.ron"));
    assert!(
        text.contains("tests/fixtures/diag/model__unknown-system.ron:10:27"),
        "{text}"
    );
    assert!(text.contains("「区イントラPC」のことですか？"), "{text}");
    let (_, text, _) = diagnostics_text(Path::new("tests/fixtures/diag/model__unknown-value.ron"));
    assert!(text.contains("「インターネット」のことですか？"), "{text}");
    assert!(
        text.contains("紙（Paper）"),
        "valid values listed in Japanese with aliases: {text}"
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let catalogue = Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("catalogue");
    let loaded = nagare::model::load(
        Path::new("tests/fixtures/diag/does-not-exist.ron"),
        &catalogue,
    );
    assert_eq!(loaded.diagnostics[0].code, "io::read");
    assert!(loaded.diagnostics[0].message.contains("見つかりません"));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.ron");
    let file = std::fs::File::create(&path).expect("create");
    // A sparse file: no disk is used, but its length is over the limit.
    file.set_len(nagare::ronfile::MAX_FILE_BYTES + 1)
        .expect("set_len");
    let catalogue = Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("catalogue");
    let loaded = nagare::model::load(&path, &catalogue);
    assert_eq!(loaded.diagnostics[0].code, "io::too-large");
    assert_eq!(loaded.diagnostics[0].level, Level::Error);
}

/// Every `"model::…"`, `"control::…"`, `"io::…"` code written in src/ has a fixture or a dedicated test above.
#[test]
fn every_code_in_the_source_has_a_fixture() {
    let mut used = BTreeSet::new();
    let mut stack = vec![PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                for prefix in ["\"model::", "\"control::", "\"io::"] {
                    for (at, _) in text.match_indices(prefix) {
                        let rest = &text[at + 1..];
                        let end = rest.find('"').unwrap_or(0);
                        used.insert(rest[..end].to_string());
                    }
                }
            }
        }
    }
    let shown: BTreeSet<String> = fixtures().iter().map(|p| code_of(p)).collect();
    // Tested by dedicated tests (no fixture file can show them) or by tests/packs.rs.
    let dedicated = [
        "io::read",
        "io::too-large",
        "model::too-deep",
        "control::duplicate",
        "control::unknown-implied",
    ];
    let missing: Vec<&String> = used
        .iter()
        .filter(|c| !shown.contains(*c) && !dedicated.contains(&c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture in tests/fixtures/diag: {missing:?}"
    );
}
