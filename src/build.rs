//! `nagare build`: the main job in one command. For each model (a file, or every `*.ron` of a folder, sorted) it
//! writes into one folder the diagram with its findings highlighted (svg, png, pdf), the findings as JSON and as the
//! Japanese text report, and the committee report (html, xlsx), all from one load and one run of the rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::NoColor;

use crate::controls::Catalogue as Controls;
use crate::model;
use crate::report::{self, ModelReport};
use crate::rules::engine::Finding;
use crate::rules::{self, Severity};

/// The files written for each model, by suffix after `<name>`.
pub const OUTPUTS: &[&str] = &[
    ".svg",
    ".png",
    ".pdf",
    ".drawio",
    ".json",
    ".check.txt",
    ".report.html",
    ".report.xlsx",
];

/// The model files named on the command line: files as given, folders expanded to their `*.ron` files sorted by
/// name. An error names a path that does not exist or a folder without models.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            out.extend(models_in(path)?);
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(format!("{} がありません", path.display()));
        }
    }
    Ok(out)
}

/// The `*.ron` files of a folder, sorted by name; an error when it cannot be read or holds none.
pub fn models_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "フォルダ {} を読めません: {}",
            dir.display(),
            crate::outfile::io_ja(&e)
        )
    })?;
    let mut models: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()) == Some("ron"))
        .collect();
    models.sort();
    if models.is_empty() {
        return Err(format!(
            "フォルダ {} にモデル（*.ron）がありません",
            dir.display()
        ));
    }
    Ok(models)
}

/// What happened to one model.
#[derive(Debug)]
pub struct Built {
    pub model: PathBuf,
    /// `<name>` of the output files.
    pub name: String,
    /// Files written, in [`OUTPUTS`] order.
    pub written: Vec<PathBuf>,
    pub findings: Vec<Finding>,
    /// The model has errors (then only the text report and the JSON are written, and they say why).
    pub model_errors: bool,
    /// Outputs that could not be written, with the reason.
    pub failures: Vec<String>,
}

impl Built {
    pub fn ok(&self) -> bool {
        !self.model_errors && self.failures.is_empty()
    }

    /// `models/iheat-jp.ron → out/iheat-jp.{svg,png,pdf,json,check.txt,report.html,report.xlsx}  指摘 6 件（…）`
    pub fn summary(&self, out_dir: &Path) -> String {
        let suffixes: Vec<String> = self
            .written
            .iter()
            .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
            .map(|n| {
                n.strip_prefix(&format!("{}.", self.name))
                    .unwrap_or(n)
                    .to_string()
            })
            .collect();
        let files = format!(
            "{}/{}.{{{}}}",
            out_dir.display().to_string().trim_end_matches('/'),
            self.name,
            suffixes.join(",")
        );
        let status = if self.model_errors {
            "モデルにエラーがあります（check.txt を参照）".to_string()
        } else if !self.failures.is_empty() {
            format!(
                "{}。書き出せなかったもの {} 件",
                report::summary_line(&self.findings),
                self.failures.len()
            )
        } else {
            report::summary_line(&self.findings)
        };
        format!("{} → {files}  {status}", self.model.display())
    }
}

/// The output name of each model: its file stem; two models with the same stem are an error for the second.
pub fn names(models: &[PathBuf]) -> Vec<Result<String, String>> {
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    models
        .iter()
        .map(|m| {
            let name = m
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("model")
                .to_string();
            match seen.get(&name) {
                Some(first) => Err(format!(
                    "{} と {} は出力名「{name}」が同じです。別のフォルダに分けて実行してください",
                    first.display(),
                    m.display()
                )),
                None => {
                    seen.insert(name.clone(), m);
                    Ok(name)
                }
            }
        })
        .collect()
}

/// Builds every output of one model into `out_dir` (which must exist).
pub fn build_one(
    path: &Path,
    name: &str,
    out_dir: &Path,
    controls: &Controls,
    catalogue: &rules::Catalogue,
    today: crate::date::Date,
) -> Built {
    let loaded = model::load(path, controls);
    let findings = loaded
        .model
        .as_ref()
        .map(|m| rules::engine::run(m, catalogue, today))
        .unwrap_or_default();
    let mut built = Built {
        model: path.to_path_buf(),
        name: name.to_string(),
        written: Vec::new(),
        findings: Vec::new(),
        model_errors: loaded.has_errors(),
        failures: Vec::new(),
    };
    let file = |suffix: &str| out_dir.join(format!("{name}{suffix}"));
    let write = |built: &mut Built, suffix: &str, bytes: Result<Vec<u8>, String>| {
        let target = file(suffix);
        let written = crate::outfile::check_not_input(&target, &[path])
            .and(bytes)
            .and_then(|b| crate::outfile::write_atomically(&target, &b));
        match written {
            Ok(()) => built.written.push(target),
            // The message names the file already (「out/x.svg に書き出せません: …」).
            Err(e) => built.failures.push(e),
        }
    };

    let report = ModelReport {
        source: &loaded.source,
        model: loaded.model.as_ref(),
        diagnostics: &loaded.diagnostics,
        findings: report::Findings::Built(&findings),
    };
    // The diagram and the committee report need a model; the text report and JSON say why there is none.
    if let (Some(model), false) = (loaded.model.as_ref(), built.model_errors) {
        let options = crate::render::Options {
            highlight: true,
            ..crate::render::Options::default()
        };
        // One layout, parsed once for the PNG and the PDF.
        match crate::render::render_all(model, &findings, &options) {
            Ok(drawn) => {
                write(&mut built, ".svg", Ok(drawn.svg));
                write(&mut built, ".png", Ok(drawn.png));
                write(&mut built, ".pdf", Ok(drawn.pdf));
                write(&mut built, ".drawio", Ok(drawn.drawio));
            }
            Err(e) => built.failures.push(format!("図: {e}")),
        }
    }
    let mut json_bytes = Vec::new();
    let json_result = report::write_json_reports(std::slice::from_ref(&report), &mut json_bytes)
        .map(|()| json_bytes)
        .map_err(|e| crate::outfile::io_ja(&e));
    write(&mut built, ".json", json_result);
    // The text report is read in a terminal (`cat`, and `build` prints it on errors): its labels are made inert.
    let mut text = crate::term::Inert::new(NoColor::new(Vec::new()));
    let text_result = report::write_text(&report, &mut text)
        .and_then(|()| text.into_inner())
        .map(NoColor::into_inner)
        .map_err(|e| crate::outfile::io_ja(&e));
    write(&mut built, ".check.txt", text_result);
    if let (Some(model), false) = (loaded.model.as_ref(), built.model_errors) {
        match crate::packet::diagram(model, &findings, true) {
            Ok(svg) => {
                for suffix in [".report.html", ".report.xlsx"] {
                    let target = file(suffix);
                    let svg = suffix.ends_with(".html").then(|| svg.clone());
                    let written =
                        crate::outfile::check_not_input(&target, &[path]).and_then(|()| {
                            crate::packet::write_report(&target, model, &findings, svg, controls)
                        });
                    match written {
                        Ok(()) => built.written.push(target),
                        Err(e) if e.contains(&target.display().to_string()) => {
                            built.failures.push(e)
                        }
                        Err(e) => built.failures.push(format!("{}: {e}", target.display())),
                    }
                }
            }
            Err(e) => built.failures.push(format!("委員会資料の図: {e}")),
        }
    }
    built.findings = findings;
    built
}

/// The final line: 「8 件のモデルから 56 ファイルを out/ に書き出しました。指摘 … 」.
pub fn final_line(results: &[Built], out_dir: &Path) -> String {
    let files: usize = results.iter().map(|b| b.written.len()).sum();
    let failed = results.iter().filter(|b| !b.ok()).count();
    let open: usize = results
        .iter()
        .flat_map(|b| &b.findings)
        .filter(|f| f.accepted.is_none() && f.severity >= Severity::High)
        .count();
    let mut line = format!(
        "{} 件のモデルから {files} ファイルを {} に書き出しました（未対応の重大・高の指摘 {open} 件）",
        results.len(),
        out_dir.display()
    );
    if failed > 0 {
        line.push_str(&format!("。エラーのあったモデル {failed} 件"));
    }
    line
}
