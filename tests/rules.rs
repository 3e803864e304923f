//! Tests per rule: every rule in the built-in catalogue has two fixture models in `tests/fixtures/rules/`,
//! `{CODE}-fires.ron` (the rule must report it) and `{CODE}-passes.ron` (the nearest model on which it must not),
//! and a snapshot of what it reports on the first (`tests/snapshots/rules__{CODE}-fires.snap`).
//!
//! Adding a rule means adding its two fixtures and running `INSTA_UPDATE=always cargo test --test rules`,
//! then reading the new snapshot.

use std::path::{Path, PathBuf};

use nagare::model::{Loaded, Model};
use nagare::rules::engine::{self, Finding};
use nagare::rules::{Catalogue, Rule};

/// The fixed "today" for acceptance rules (AC001 needs an expired `until`).
const TODAY: nagare::date::Date = (2025, 4, 1);

/// Fewer rules than this means a rule pack failed to load or was dropped.
const MIN_RULES: usize = 25;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn catalogue() -> Catalogue {
    match Catalogue::load(None) {
        Ok(c) => c,
        Err(errors) => {
            let text: Vec<String> = errors
                .iter()
                .map(|(source, d)| format!("{}: {} {}", source.name, d.code, d.message))
                .collect();
            panic!(
                "the built-in rule catalogue does not load:\n{}",
                text.join("\n")
            )
        }
    }
}

fn controls() -> nagare::controls::Catalogue {
    nagare::controls::Catalogue::builtin().unwrap_or_else(|(_, d)| {
        panic!(
            "the built-in controls catalogue does not load: {}",
            d.message
        )
    })
}

/// Which of a rule's two fixtures.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Fires,
    Passes,
}

impl Expect {
    fn suffix(self) -> &'static str {
        match self {
            Expect::Fires => "fires",
            Expect::Passes => "passes",
        }
    }

    /// What the first-line comment must say (`// TR001 must fire: …`).
    fn header(self, code: &str) -> String {
        match self {
            Expect::Fires => format!("{code} must fire"),
            Expect::Passes => format!("{code} must not fire"),
        }
    }
}

fn fixture_path(code: &str, expect: Expect) -> PathBuf {
    fixtures_dir().join(format!("{code}-{}.ron", expect.suffix()))
}

/// The path as shown in failure messages (relative to the crate).
fn shown(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Loads a fixture; any diagnostic (an error, or a warning such as an unknown control that would be silently
/// ignored) is a broken fixture.
fn load_fixture(path: &Path, controls: &nagare::controls::Catalogue) -> Result<Model, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let first = text.lines().next().unwrap_or_default();
    let code = path
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.split('-').next())
        .unwrap_or_default();
    let expect = if path.to_string_lossy().ends_with("-fires.ron") {
        Expect::Fires
    } else {
        Expect::Passes
    };
    if !first.starts_with("//") || !first.contains(&expect.header(code)) {
        return Err(format!(
            "first line must be a comment `// {}: <why>`, found `{first}`",
            expect.header(code)
        ));
    }
    let Loaded {
        source,
        model,
        diagnostics,
    } = nagare::model::load(path, controls);
    if !diagnostics.is_empty() {
        let text: Vec<String> = diagnostics
            .iter()
            .map(|d| {
                let level = if d.is_error() { "error" } else { "warning" };
                format!(
                    "    {level} {} at {}: {}",
                    d.code,
                    d.location(&source),
                    d.message
                )
            })
            .collect();
        return Err(format!("does not load cleanly:\n{}", text.join("\n")));
    }
    model.ok_or_else(|| "loaded without diagnostics but produced no model".to_string())
}

fn findings_of<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| *f.code == *code).collect()
}

/// One finding as a snapshot line: `id | message | path`.
fn line(f: &Finding) -> String {
    format!(
        "{} | {} | {}",
        f.id,
        f.message,
        f.path.as_deref().unwrap_or("-")
    )
}

#[test]
fn catalogue_codes_are_unique_and_documented() {
    let catalogue = catalogue();
    let mut problems = Vec::new();
    if catalogue.rules.len() < MIN_RULES {
        problems.push(format!(
            "only {} rules in the catalogue, expected at least {MIN_RULES}",
            catalogue.rules.len()
        ));
    }
    for (i, rule) in catalogue.rules.iter().enumerate() {
        if catalogue.rules[..i].iter().any(|r| r.code == rule.code) {
            problems.push(format!("{}: code used twice", rule.code));
        }
        let docs: [(&str, &str); 7] = [
            ("title", &rule.title),
            ("checks", &rule.checks),
            ("why", &rule.why),
            ("fix", &rule.fix),
            ("source", &rule.source),
            ("false_positives", &rule.false_positives),
            ("message", &rule.message),
        ];
        for (field, value) in docs {
            if value.trim().is_empty() {
                problems.push(format!("{}: `{field}` is empty", rule.code));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "rule catalogue problems:\n{}",
        problems.join("\n")
    );
}

/// Checks one rule against its two fixtures; returns what is wrong, one line (or block) per problem.
fn check_rule(
    rule: &Rule,
    catalogue: &Catalogue,
    controls: &nagare::controls::Catalogue,
) -> Vec<String> {
    let mut problems = Vec::new();
    for expect in [Expect::Fires, Expect::Passes] {
        let path = fixture_path(&rule.code, expect);
        let at = format!("{} ({})", rule.code, shown(&path));
        if !path.exists() {
            problems.push(format!("{at}: fixture is missing"));
            continue;
        }
        let model = match load_fixture(&path, controls) {
            Ok(model) => model,
            Err(why) => {
                problems.push(format!("{at}: {why}"));
                continue;
            }
        };
        let findings = engine::run(&model, catalogue, TODAY);
        let mine = findings_of(&findings, &rule.code);
        match expect {
            Expect::Fires if mine.is_empty() => {
                let others: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
                problems.push(format!(
                    "{at}: {} did not fire (the model's findings: {})",
                    rule.code,
                    others.join(", ")
                ));
            }
            Expect::Passes if !mine.is_empty() => {
                let lines: Vec<String> = mine.iter().map(|f| format!("    {}", line(f))).collect();
                problems.push(format!(
                    "{at}: {} still fires:\n{}",
                    rule.code,
                    lines.join("\n")
                ));
            }
            _ => {}
        }
    }
    problems
}

#[test]
fn every_rule_fires_on_its_fires_fixture_and_not_on_its_passes_fixture() {
    let catalogue = catalogue();
    let controls = controls();
    let mut problems: Vec<String> = catalogue
        .rules
        .iter()
        .flat_map(|rule| check_rule(rule, &catalogue, &controls))
        .collect();

    // A fixture for a code the catalogue no longer has is dead weight (or a typo in its name).
    let entries = std::fs::read_dir(fixtures_dir()).expect("tests/fixtures/rules exists");
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in names {
        let known = catalogue.rules.iter().any(|r| {
            [Expect::Fires, Expect::Passes]
                .iter()
                .any(|&e| name == format!("{}-{}.ron", r.code, e.suffix()))
        });
        if !known {
            problems.push(format!("tests/fixtures/rules/{name}: not `{{CODE}}-fires.ron` or `{{CODE}}-passes.ron` for a rule in the catalogue"));
        }
    }

    assert!(
        problems.is_empty(),
        "{} rule fixture problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn fires_fixture_findings_match_snapshots() {
    let catalogue = catalogue();
    let controls = controls();
    let mut failed = Vec::new();
    for rule in &catalogue.rules {
        let path = fixture_path(&rule.code, Expect::Fires);
        // A missing or broken fixture is reported by the test above; there is nothing to snapshot.
        let Ok(model) = load_fixture(&path, &controls) else {
            continue;
        };
        let findings = engine::run(&model, &catalogue, TODAY);
        let text: Vec<String> = findings_of(&findings, &rule.code)
            .into_iter()
            .map(line)
            .collect();
        let text = text.join("\n");
        let name = format!("{}-fires", rule.code);
        // Keep going after a mismatch so one run shows every changed snapshot (insta prints each diff).
        let outcome = std::panic::catch_unwind(|| {
            insta::with_settings!({ description => format!("{} on {}", rule.code, shown(&path)), omit_expression => true }, {
                insta::assert_snapshot!(name.as_str(), &text);
            });
        });
        if outcome.is_err() {
            failed.push(format!("{} ({})", rule.code, shown(&path)));
        }
    }
    assert!(
        failed.is_empty(),
        "findings changed for {} rule(s): {}",
        failed.len(),
        failed.join(", ")
    );
}

#[test]
fn docs_rules_md_describes_the_catalogue_as_it_is() {
    let expected = catalogue().to_markdown();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("NAGARE_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/rules.md");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run NAGARE_UPDATE_DOCS=1 cargo test --test rules"
    );
}
