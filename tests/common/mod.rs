//! Shared harness for the seed-model tests: load a model, run every rule, compare with the written justifications.

use std::collections::BTreeSet;
use std::path::Path;

/// The date the seed-model tests check against, so acceptance expiry does not depend on the clock.
pub const TODAY: (u32, u32, u32) = (2026, 4, 1);

/// One finding on a seed model and why a committee member would accept it: `(id, quote, why)`. `quote` is a
/// sentence or phrase copied from the paper (at least 8 characters; whitespace is ignored when it is looked up).
pub type Justified = (&'static str, &'static str, &'static str);

/// Text with every kind of whitespace removed, for finding a quote in a paper whose lines break anywhere.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Loads `models/{name}.ron`, asserts it loads cleanly (no errors, no unknown controls) and cites the paper
/// for every element, runs the rules, and asserts the findings are exactly the justified ones, each with a
/// quote that occurs in the model's paper. Returns the text report for a snapshot.
pub fn check_seed_model(name: &str, justified: &[Justified]) -> String {
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

    // The paper: a file in seeds/, named by the model.
    let paper_path = model.paper.as_deref().unwrap_or_else(|| {
        panic!("{path}: the model does not name its paper (paper: \"seeds/….txt\")")
    });
    assert!(
        paper_path.starts_with("seeds/") && !paper_path.contains(".."),
        "{path}: paper must be a file in seeds/, not {paper_path}"
    );
    let paper = std::fs::read_to_string(paper_path)
        .unwrap_or_else(|e| panic!("{path}: cannot read {paper_path}: {e}"));
    let paper = squeeze(&paper);

    // Every element says where the paper states it.
    let mut uncited: Vec<String> = Vec::new();
    for p in &model.parties {
        if p.stated.cite.is_none() {
            uncited.push(format!("party {}", p.name));
        }
    }
    for s in &model.systems {
        if s.stated.cite.is_none() {
            uncited.push(format!("system {}", s.name));
        }
    }
    for f in &model.flows {
        if f.stated.cite.is_none() {
            uncited.push(format!("flow {}", f.no.id()));
        }
    }
    for d in &model.declared {
        if d.stated.cite.is_none() {
            uncited.push(format!("declared {}", model.parties[d.party].name));
        }
    }
    assert!(
        uncited.is_empty(),
        "{path}: elements without cite: {uncited:?}"
    );

    for (id, quote, why) in justified {
        assert!(
            !why.trim().is_empty(),
            "{path}: finding {id} has an empty justification"
        );
        let q = squeeze(quote);
        assert!(
            q.chars().count() >= 8,
            "{path}: the quote for {id} is too short to identify a sentence: {quote}"
        );
        assert!(
            paper.contains(&q),
            "{path}: the quote for {id} is not in {paper_path}: {quote}"
        );
    }
    let actual: BTreeSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    let expected: BTreeSet<&str> = justified.iter().map(|(id, _, _)| *id).collect();
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
        findings: nagare::report::Findings::Built(&findings),
    };
    let mut buffer = codespan_reporting::term::termcolor::Buffer::no_color();
    nagare::report::write_text(&report, &mut buffer).expect("write report");
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}
