//! Printing a check's results: Japanese text for people, a stable JSON schema for tools.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use serde::Serialize;
use serde_json::json;

use crate::diag::{Diagnostic, Source};
use crate::model::Model;
use crate::rules::engine::{Counts, Detail, Finding, Found};
use crate::rules::Severity;

/// The JSON schema version; bump it when a field changes meaning or disappears.
pub const JSON_VERSION: u32 = 2;

/// What `check` learnt about one model file.
pub struct ModelReport<'a> {
    pub source: &'a Source,
    pub model: Option<&'a Model>,
    pub diagnostics: &'a [Diagnostic],
    pub findings: Findings<'a>,
}

/// A model's findings as the writers read them: built already, or found and built one at a time as they are
/// written (`check`, so the findings of an office-wide model are never all held at once).
#[derive(Clone, Copy)]
pub enum Findings<'a> {
    Built(&'a [Finding]),
    Found(&'a Found<'a>),
}

impl<'a> Findings<'a> {
    pub fn len(&self) -> usize {
        match self {
            Findings::Built(findings) => findings.len(),
            Findings::Found(found) => found.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn counts(&self) -> Counts {
        match self {
            Findings::Built(findings) => Counts::of(findings),
            Findings::Found(found) => found.counts(),
        }
    }

    /// Each finding in order; a found one is built here, with the fields `detail` asks for, and dropped by the
    /// caller once written (a built one is whole).
    pub fn iter(&self, detail: Detail) -> Box<dyn Iterator<Item = Cow<'a, Finding>> + 'a> {
        match *self {
            Findings::Built(findings) => Box::new(findings.iter().map(Cow::Borrowed)),
            Findings::Found(found) => Box::new(found.iter(detail)),
        }
    }
}

fn severity_color(severity: Severity) -> ColorSpec {
    let mut spec = ColorSpec::new();
    match severity {
        Severity::Critical => spec.set_fg(Some(Color::Red)).set_bold(true),
        Severity::High => spec.set_fg(Some(Color::Red)),
        Severity::Medium => spec.set_fg(Some(Color::Yellow)),
        Severity::Low => spec.set_fg(Some(Color::Cyan)),
        Severity::Info => spec.set_fg(Some(Color::White)),
    };
    spec
}

/// Writes one model's diagnostics and findings as text.
pub fn write_text(report: &ModelReport, out: &mut dyn WriteColor) -> std::io::Result<()> {
    for d in report.diagnostics {
        d.emit(report.source, out)?;
    }
    let Some(model) = report.model else {
        let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
        writeln!(
            out,
            "{}: エラー {errors} 件のため検査できませんでした",
            report.source.name
        )?;
        writeln!(out)?;
        return Ok(());
    };
    let mut bold = ColorSpec::new();
    bold.set_bold(true);
    out.set_color(&bold)?;
    let document = model
        .document
        .as_deref()
        .map(|d| format!("（{d}）"))
        .unwrap_or_default();
    writeln!(out, "■ {}{document}  {}", model.title, report.source.name)?;
    out.reset()?;
    writeln!(out)?;
    // Each finding's lines are gathered in one buffer and written at once (the text of 200 000 findings is
    // about 160 MB: one write per piece through `fmt` was most of the report's time).
    let mut text = String::with_capacity(1024);
    // The text shows neither covers nor path step ids: they are not worked out for it.
    for f in report.findings.iter(Detail::Text) {
        out.set_color(&severity_color(f.severity))?;
        text.clear();
        text.push('[');
        text.push_str(f.severity.ja());
        text.push_str("] ");
        text.push_str(&f.code);
        out.write_all(text.as_bytes())?;
        out.reset()?;
        text.clear();
        text.push(' ');
        text.push_str(&f.title);
        if f.accepted.is_some() {
            text.push_str("（受容済み）");
        }
        text.push_str("\n    場所: ");
        text.push_str(&f.location);
        if let Some(r) = &f.span {
            let (line, col) = report.source.line_col(r.start);
            text.push('（');
            text.push_str(&report.source.name);
            text.push(':');
            text.push_str(itoa::Buffer::new().format(line));
            text.push(':');
            text.push_str(itoa::Buffer::new().format(col));
            text.push('）');
        }
        text.push_str("\n    内容: ");
        text.push_str(&f.message);
        text.push('\n');
        if let Some(path) = &f.path {
            text.push_str("    経路: ");
            text.push_str(path);
            text.push('\n');
        }
        if !f.unread_controls.is_empty() {
            text.push_str("    注意: 対策「");
            push_joined(&mut text, &f.unread_controls, "」「");
            text.push_str("」は対策カタログにないため、この判定に使っていません\n");
        }
        text.push_str("    対応: ");
        text.push_str(&f.fix);
        text.push('\n');
        if !f.beyond_acceptance.is_empty() {
            text.push_str("    受容の範囲外: 委員会が受容したときになかった ");
            push_joined(&mut text, &f.beyond_acceptance, "、");
            text.push_str(" があるため、新しい指摘として扱います\n");
        }
        if let Some(a) = &f.accepted {
            // Dates for the committee in 和暦 (the model may have written R6.9.2 or 2024-09-02).
            let on =
                a.on.as_deref()
                    .map(|d| format!("、{}", crate::date::wareki_text(d)))
                    .unwrap_or_default();
            let until = a
                .until
                .as_deref()
                .map(|u| format!("、{}まで", crate::date::wareki_text(u)))
                .unwrap_or_default();
            let _ = writeln!(text, "    受容: {}（{}{on}{until}）", a.reason, a.by);
        }
        text.push_str("    id: ");
        text.push_str(&f.id);
        text.push_str("\n\n");
        out.write_all(text.as_bytes())?;
    }
    writeln!(out, "{}", summary_of(&report.findings.counts()))?;
    writeln!(out)?;
    Ok(())
}

/// `parts` joined by `sep`, pushed onto `text` (no intermediate String).
fn push_joined<S: AsRef<str>>(text: &mut String, parts: &[S], sep: &str) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            text.push_str(sep);
        }
        text.push_str(part.as_ref());
    }
}

/// 指摘 5 件（重大 0・高 2・中 2・低 1・情報 0）、うち受容済み 1 件
pub fn summary_line(findings: &[Finding]) -> String {
    summary_of(&Counts::of(findings))
}

/// The same line from counts (of one model or several).
pub fn summary_of(counts: &Counts) -> String {
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .zip(counts.by_severity)
        .map(|(s, count)| format!("{} {count}", s.ja()))
        .collect();
    format!(
        "指摘 {} 件（{}）、うち受容済み {} 件",
        counts.total(),
        by_severity.join("・"),
        counts.accepted()
    )
}

/// One finding as JSON, borrowing from the finding (no copy of its text, no map built per finding).
#[derive(Serialize)]
struct FindingJson<'a> {
    id: &'a str,
    code: &'a str,
    name: &'a str,
    severity: &'static str,
    severity_ja: &'static str,
    title: &'a str,
    message: &'a str,
    subject: SubjectJson<'a>,
    location: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    path: &'a Option<String>,
    path_flows: &'a [String],
    fix: &'a str,
    covers: &'a [String],
    beyond_acceptance: &'a [String],
    unread_controls: &'a [String],
    accepted: &'a Option<Box<crate::rules::engine::Accepted>>,
}

#[derive(Serialize)]
struct SubjectJson<'a> {
    kind: &'a str,
    name: &'a str,
}

/// The count of findings of each severity, keyed by its English name, worst first.
struct SummaryJson(Counts);

impl Serialize for SummaryJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let counts = self.0.by_severity;
        let mut map = serializer.serialize_map(Some(counts.len()))?;
        for (s, count) in Severity::ALL.iter().zip(counts) {
            map.serialize_entry(s.en(), &count)?;
        }
        map.end()
    }
}

/// One model's results in the schema of docs/check-json.md; serialized straight to the output.
#[derive(Serialize)]
pub struct ModelJson<'a> {
    file: &'a str,
    title: Option<&'a str>,
    document: Option<&'a str>,
    ok: bool,
    diagnostics: Vec<serde_json::Value>,
    findings: FindingsJson<'a>,
    summary: SummaryJson,
}

/// A model's findings as a JSON list, each built (if need be), serialized and dropped in turn.
struct FindingsJson<'a> {
    source: &'a Source,
    findings: Findings<'a>,
}

impl Serialize for FindingsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut list = serializer.serialize_seq(Some(self.findings.len()))?;
        for f in self.findings.iter(Detail::Full) {
            list.serialize_element(&finding_json(self.source, &f))?;
        }
        list.end()
    }
}

/// One finding's JSON view, borrowing from it.
fn finding_json<'f>(source: &Source, f: &'f Finding) -> FindingJson<'f> {
    let (line, column) = f.span.as_ref().map_or((None, None), |r| {
        let (l, c) = source.line_col(r.start);
        (Some(l), Some(c))
    });
    FindingJson {
        id: &f.id,
        code: &f.code,
        name: &f.name,
        severity: f.severity.en(),
        severity_ja: f.severity.ja(),
        title: &f.title,
        message: &f.message,
        subject: SubjectJson {
            kind: f.subject_kind,
            name: &f.subject,
        },
        location: &f.location,
        line,
        column,
        path: &f.path,
        path_flows: &f.path_flows,
        fix: &f.fix,
        covers: &f.covers,
        beyond_acceptance: &f.beyond_acceptance,
        unread_controls: &f.unread_controls,
        accepted: &f.accepted,
    }
}

/// One model's results as a serializable view (schema in docs/check-json.md).
pub fn json_view<'a>(report: &'a ModelReport<'a>) -> ModelJson<'a> {
    ModelJson {
        file: &report.source.name,
        title: report.model.map(|m| m.title.as_str()),
        document: report.model.and_then(|m| m.document.as_deref()),
        ok: report.model.is_some(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| d.to_json(report.source))
            .collect(),
        findings: FindingsJson {
            source: report.source,
            findings: report.findings,
        },
        summary: SummaryJson(report.findings.counts()),
    }
}

/// One model's results as a JSON value (schema in docs/check-json.md).
pub fn to_json(report: &ModelReport) -> serde_json::Value {
    serde_json::to_value(json_view(report)).unwrap_or(serde_json::Value::Null)
}

/// The whole `check --format json` document.
pub fn json_document(models: Vec<serde_json::Value>) -> serde_json::Value {
    json!({ "version": JSON_VERSION, "models": models })
}

/// The whole `check --format json` document for `reports`, written straight from the findings (the same bytes as
/// [`write_json`] of [`json_document`], without building a JSON value of every finding first).
pub fn write_json_reports(reports: &[ModelReport], out: &mut dyn Write) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        models: Vec<ModelJson<'a>>,
    }
    let document = Document {
        version: JSON_VERSION,
        models: reports.iter().map(json_view).collect(),
    };
    let mut buffered = std::io::BufWriter::new(&mut *out);
    serde_json::to_writer_pretty(&mut buffered, &document).map_err(std::io::Error::other)?;
    writeln!(buffered)?;
    buffered.flush()
}

/// Writes a JSON value pretty-printed with a trailing newline.
pub fn write_json(value: &serde_json::Value, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct writer and the JSON value give the same bytes, for a model with findings and a broken one.
    /// Findings built as they are written (as `check` does) give the same text and JSON as findings built first,
    /// for a model with many findings and one with acceptances (whose findings are built early).
    #[test]
    fn found_findings_write_like_built_ones() {
        let controls = crate::controls::Catalogue::builtin()
            .map_err(|(_, d)| d.message)
            .unwrap();
        let rules = crate::rules::Catalogue::load(None)
            .map_err(|e| e.len())
            .unwrap();
        let accepting = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/edogawa-kokuho-online-shikaku.ron"
        ))
        .unwrap();
        for (name, text) in [
            ("office.ron", crate::synth::office(200, 7).ron()),
            ("edogawa-kokuho-online-shikaku.ron", accepting),
        ] {
            let loaded = crate::model::load_source(Source::new(name, text), &controls);
            let model = loaded.model.as_ref().unwrap();
            let built = crate::rules::engine::run(model, &rules, (2026, 4, 1));
            let found = crate::rules::engine::find(model, &rules, (2026, 4, 1));
            assert!(!built.is_empty());
            let write = |findings: Findings| {
                let report = ModelReport {
                    source: &loaded.source,
                    model: Some(model),
                    diagnostics: &loaded.diagnostics,
                    findings,
                };
                let mut text = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
                write_text(&report, &mut text).unwrap();
                let mut json = Vec::new();
                write_json_reports(std::slice::from_ref(&report), &mut json).unwrap();
                (
                    String::from_utf8(text.into_inner()).unwrap(),
                    String::from_utf8(json).unwrap(),
                )
            };
            assert_eq!(
                write(Findings::Found(&found)),
                write(Findings::Built(&built)),
                "{name}"
            );
        }
    }

    #[test]
    fn the_direct_json_is_the_json_value_byte_for_byte() {
        let controls = crate::controls::Catalogue::builtin()
            .map_err(|(_, d)| d.message)
            .unwrap();
        let rules = crate::rules::Catalogue::load(None)
            .map_err(|e| e.len())
            .unwrap();
        let good = crate::model::load_source(
            Source::new("office.ron", crate::synth::office(60, 1).ron()),
            &controls,
        );
        let broken =
            crate::model::load_source(Source::new("broken.ron", "Model(title: 1)"), &controls);
        let findings =
            crate::rules::engine::run(good.model.as_ref().unwrap(), &rules, (2026, 4, 1));
        assert!(!findings.is_empty());
        let reports = [
            ModelReport {
                source: &good.source,
                model: good.model.as_ref(),
                diagnostics: &good.diagnostics,
                findings: Findings::Built(&findings),
            },
            ModelReport {
                source: &broken.source,
                model: None,
                diagnostics: &broken.diagnostics,
                findings: Findings::Built(&[]),
            },
        ];
        let mut direct = Vec::new();
        write_json_reports(&reports, &mut direct).unwrap();
        let mut via_value = Vec::new();
        write_json(
            &json_document(reports.iter().map(to_json).collect()),
            &mut via_value,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(direct).unwrap(),
            String::from_utf8(via_value).unwrap()
        );
    }
}
