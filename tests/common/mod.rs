//! Shared harness for the seed-model tests: load a model, run every rule, compare with the written justifications.

use std::collections::BTreeSet;
use std::path::Path;

/// The date the seed-model tests check against, so acceptance expiry does not depend on the clock.
pub const TODAY: (u32, u32, u32) = (2026, 4, 1);

/// Loads `models/{name}.ron`, asserts it loads cleanly (no errors, no unknown controls), runs the rules,
/// and asserts the findings are exactly the justified ones. Returns the text report for a snapshot.
///
/// `justified` pairs each expected finding id with the reason it is right given the paper.
pub fn check_seed_model(name: &str, justified: &[(&str, &str)]) -> String {
    let controls = nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls");
    let rules = nagare::rules::Catalogue::load(None)
        .map_err(|e| format!("{} pack errors", e.len()))
        .expect("rules");
    let path = format!("models/{name}.ron");
    let loaded = nagare::model::load(Path::new(&path), &controls);
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| d.to_text(&loaded.source))
        .collect();
    assert!(
        problems.is_empty(),
        "{path} should load without errors or warnings:\n{}",
        problems.join("\n")
    );
    let model = loaded.model.as_ref().expect("model");
    let findings = nagare::rules::engine::run(model, &rules, TODAY);

    for (id, why) in justified {
        assert!(
            !why.trim().is_empty(),
            "{path}: finding {id} has an empty justification"
        );
    }
    let actual: BTreeSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    let expected: BTreeSet<&str> = justified.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        expected.len(),
        justified.len(),
        "{path}: a finding is justified twice"
    );
    let unjustified: Vec<&&str> = actual.difference(&expected).collect();
    let vanished: Vec<&&str> = expected.difference(&actual).collect();
    let detail: String = findings
        .iter()
        .filter(|f| unjustified.contains(&&f.id.as_str()))
        .map(|f| format!("  {} — {}\n", f.id, f.message))
        .collect();
    assert!(
        unjustified.is_empty() && vanished.is_empty(),
        "{path}: findings and justifications differ.\nnew findings without a justification:\n{detail}\njustified but no longer found: {vanished:?}"
    );

    let report = nagare::report::ModelReport {
        source: &loaded.source,
        model: Some(model),
        diagnostics: &loaded.diagnostics,
        findings: &findings,
    };
    let mut buffer = codespan_reporting::term::termcolor::Buffer::no_color();
    nagare::report::write_text(&report, &mut buffer).expect("write report");
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}
