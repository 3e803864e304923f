//! Printing a check's results: Japanese text for people, a stable JSON schema for tools.

use std::io::Write;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use serde_json::json;

use crate::diag::{Diagnostic, Source};
use crate::model::Model;
use crate::rules::engine::Finding;
use crate::rules::Severity;

/// The JSON schema version; bump it when a field changes meaning or disappears.
pub const JSON_VERSION: u32 = 2;

/// What `check` learnt about one model file.
pub struct ModelReport<'a> {
    pub source: &'a Source,
    pub model: Option<&'a Model>,
    pub diagnostics: &'a [Diagnostic],
    pub findings: &'a [Finding],
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
    for f in report.findings {
        out.set_color(&severity_color(f.severity))?;
        write!(out, "[{}] {}", f.severity.ja(), f.code)?;
        out.reset()?;
        write!(out, " {}", f.title)?;
        if f.accepted.is_some() {
            write!(out, "（受容済み）")?;
        }
        writeln!(out)?;
        let place = f.span.as_ref().map(|r| {
            let (line, col) = report.source.line_col(r.start);
            format!("（{}:{line}:{col}）", report.source.name)
        });
        writeln!(out, "    場所: {}{}", f.location, place.unwrap_or_default())?;
        writeln!(out, "    内容: {}", f.message)?;
        if let Some(path) = &f.path {
            writeln!(out, "    経路: {path}")?;
        }
        if !f.unread_controls.is_empty() {
            writeln!(
                out,
                "    注意: 対策「{}」は対策カタログにないため、この判定に使っていません",
                f.unread_controls.join("」「")
            )?;
        }
        writeln!(out, "    対応: {}", f.fix)?;
        if !f.beyond_acceptance.is_empty() {
            writeln!(
                out,
                "    受容の範囲外: 委員会が受容したときになかった {} があるため、新しい指摘として扱います",
                f.beyond_acceptance.join("、")
            )?;
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
            writeln!(out, "    受容: {}（{}{on}{until}）", a.reason, a.by)?;
        }
        writeln!(out, "    id: {}", f.id)?;
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(report.findings))?;
    writeln!(out)?;
    Ok(())
}

/// 指摘 5 件（重大 0・高 2・中 2・低 1・情報 0）、うち受容済み 1 件
pub fn summary_line(findings: &[Finding]) -> String {
    let counts: Vec<String> = Severity::ALL
        .iter()
        .map(|&s| {
            format!(
                "{} {}",
                s.ja(),
                findings.iter().filter(|f| f.severity == s).count()
            )
        })
        .collect();
    let accepted = findings.iter().filter(|f| f.accepted.is_some()).count();
    format!(
        "指摘 {} 件（{}）、うち受容済み {accepted} 件",
        findings.len(),
        counts.join("・")
    )
}

/// One model's results as JSON (schema in docs/check-json.md).
pub fn to_json(report: &ModelReport) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let (line, column) = f.span.as_ref().map_or((None, None), |r| {
                let (l, c) = report.source.line_col(r.start);
                (Some(l), Some(c))
            });
            json!({
                "id": f.id,
                "code": f.code,
                "name": f.name,
                "severity": f.severity.en(),
                "severity_ja": f.severity.ja(),
                "title": f.title,
                "message": f.message,
                "subject": { "kind": f.subject_kind, "name": f.subject },
                "location": f.location,
                "line": line,
                "column": column,
                "path": f.path,
                "path_flows": f.path_flows,
                "fix": f.fix,
                "covers": f.covers,
                "beyond_acceptance": f.beyond_acceptance,
                "unread_controls": f.unread_controls,
                "accepted": f.accepted,
            })
        })
        .collect();
    json!({
        "file": report.source.name,
        "title": report.model.map(|m| m.title.clone()),
        "document": report.model.and_then(|m| m.document.clone()),
        "ok": report.model.is_some(),
        "diagnostics": report.diagnostics.iter().map(|d| d.to_json(report.source)).collect::<Vec<_>>(),
        "findings": findings,
        "summary": Severity::ALL.iter().map(|&s| (s.en().to_string(), json!(report.findings.iter().filter(|f| f.severity == s).count()))).collect::<serde_json::Map<_, _>>(),
    })
}

/// The whole `check --format json` document.
pub fn json_document(models: Vec<serde_json::Value>) -> serde_json::Value {
    json!({ "version": JSON_VERSION, "models": models })
}

/// Writes a JSON value pretty-printed with a trailing newline.
pub fn write_json(value: &serde_json::Value, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}
