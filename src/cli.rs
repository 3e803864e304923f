//! Command-line interface: flags, subcommands, and the exit code each outcome maps to.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};

use crate::controls::Catalogue as Controls;
use crate::diag::{Diagnostic, Source};
use crate::model::{self, Loaded};
use crate::report::{self, ModelReport};
use crate::rules::{self, Severity};

/// nagare（流れ）: 個人情報の流れをモデルにし、抜けを指摘し、委員会資料の図を描く。
#[derive(Parser, Debug)]
#[command(name = "nagare", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// モデルを検査し、指摘を表示する（0: 問題なし、1: --fail-on 以上の指摘あり、2: エラー）
    Check {
        /// モデルファイル（.ron）
        #[arg(required = true)]
        models: Vec<PathBuf>,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// この重大度以上の指摘があれば終了コード 1（重大/高/中/低/情報 または critical/high/medium/low/info）
        #[arg(long, default_value = "高", value_parser = parse_severity)]
        fail_on: Severity,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// モデルから「個人情報の流れ」の図を描く（拡張子で形式を決める: .svg .png .pdf）
    Render {
        model: PathBuf,
        /// 出力ファイル（.svg / .png / .pdf）
        #[arg(short, long)]
        output: PathBuf,
        /// 図の種類
        #[arg(long, value_enum, default_value_t = View::Committee)]
        view: View,
        /// 指摘のある流れ・システムを赤で示し、指摘コードと凡例を付ける
        #[arg(long)]
        highlight: bool,
        /// PDF の用紙（A4/A3）
        #[arg(long, value_enum, default_value_t = Page::A4)]
        page: Page,
        /// PDF を縦向きにする（既定は横向き）
        #[arg(long)]
        portrait: bool,
        /// 前の版のモデル: そこからの変更箇所（追加・変更）を太線・下線で示す
        #[arg(long, value_name = "OLD")]
        changes_from: Option<PathBuf>,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// 二つの版のモデルの変更箇所（項目・区分・変更前・変更後）と、増えた指摘・解消した指摘を示す
    Diff {
        /// 前の版のモデル（.ron）
        old: PathBuf,
        /// 新しい版のモデル（.ron）
        new: PathBuf,
        /// 出力ファイル（.md / .html / .xlsx）。省略すると画面に表示する
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// 主な仕事を一度に: モデルごとに図（.svg .png .pdf）・指摘（.json .check.txt）・委員会資料（.report.html .report.xlsx）を書き出す
    Build {
        /// モデルファイル（.ron）またはモデルのあるフォルダ
        #[arg(required = true, value_name = "MODEL_OR_DIR")]
        models: Vec<PathBuf>,
        /// 出力フォルダ（なければ作る）
        #[arg(short, long)]
        output: PathBuf,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// ルールの一覧
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// ルール一つの説明（例: nagare explain TR001）
    Explain {
        code: String,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// 委員会資料（別紙の表・突き合わせ・指摘・チェックリスト・図）を書き出す（拡張子で形式を決める: .html .xlsx .md .json）
    Report {
        /// モデルファイル（.ron）
        model: PathBuf,
        /// 出力ファイル（.html / .xlsx / .md / .json）
        #[arg(short, long)]
        output: PathBuf,
        /// 図の指摘のある流れ・システムを赤で示す
        #[arg(long)]
        highlight: bool,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// 対策カタログの一覧
    Controls {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// しきい値判断: 対象人数・取扱者数・重大事故から義務付けられる特定個人情報保護評価を求め、モデルの実施した評価と比べる（0: 一致、1: 不一致・判断できない、2: エラー）
    Pia {
        /// モデルファイル（.ron）
        model: PathBuf,
        /// 重大事故を数える期間（過去N年以内）。省略時はモデルの assessment.incident_window_years
        #[arg(long, value_name = "N")]
        incident_years: Option<u32>,
        /// 出力形式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum View {
    Committee,
    Layered,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Page {
    A4,
    A3,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text)
        .ok_or_else(|| format!("「{text}」は重大度ではありません（重大・高・中・低・情報）"))
}

/// Exit codes.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

fn color_choice() -> ColorChoice {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || !std::io::stdout().is_terminal()
    {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    }
}

/// Parses the command line and runs; returns the process exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let mut stdout = StandardStream::stdout(color_choice());
    let mut stderr = StandardStream::stderr(color_choice());
    match run(cli, &mut stdout, &mut stderr) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (nagare check … | head) is not an error worth reporting.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                let _ = writeln!(stderr, "エラー: {e}");
            }
            EXIT_ERROR
        }
    }
}

/// Runs a parsed command, writing to the given streams.
pub fn run(cli: Cli, out: &mut dyn WriteColor, err: &mut dyn WriteColor) -> std::io::Result<u8> {
    match cli.command {
        Command::Check {
            models,
            format,
            fail_on,
            rules,
        } => check(&models, format, fail_on, rules.as_deref(), out, err),
        Command::Render {
            model,
            output,
            view,
            highlight,
            page,
            portrait,
            changes_from,
            rules,
        } => {
            let options = crate::render::Options {
                view,
                highlight,
                page,
                landscape: !portrait,
            };
            match changes_from {
                Some(old) => {
                    let paths = (old.as_path(), model.as_path(), output.as_path());
                    render_changes(paths, &options, rules.as_deref(), out, err)
                }
                None => render(&model, &output, &options, rules.as_deref(), out, err),
            }
        }
        Command::Diff {
            old,
            new,
            output,
            rules,
        } => diff(&old, &new, output.as_deref(), rules.as_deref(), out, err),
        Command::Build {
            models,
            output,
            rules,
        } => build(&models, &output, rules.as_deref(), out, err),
        Command::Rules { format, rules } => list_rules(format, rules.as_deref(), out, err),
        Command::Explain { code, rules } => explain(&code, rules.as_deref(), out, err),
        Command::Controls { format } => list_controls(format, out, err),
        Command::Pia {
            model,
            incident_years,
            format,
        } => pia(&model, incident_years, format, out, err),
        Command::Report {
            model,
            output,
            highlight,
            rules,
        } => report_packet(&model, &output, highlight, rules.as_deref(), out, err),
    }
}

/// Loads the controls catalogue and rule packs, printing pack errors; None means exit 2.
fn load_catalogues(
    rules_dir: Option<&Path>,
    err: &mut dyn WriteColor,
) -> std::io::Result<Option<(Controls, rules::Catalogue)>> {
    let mut controls = match Controls::builtin() {
        Ok(c) => c,
        Err((source, d)) => {
            d.emit(&source, err)?;
            return Ok(None);
        }
    };
    if let Some(dir) = rules_dir {
        let extra = dir.join("controls.ron");
        if extra.exists() {
            let merged = crate::ronfile::read_source(&extra)
                .and_then(|s| controls.merge(&s).map_err(|d| (s, d)));
            if let Err((source, d)) = merged {
                d.emit(&source, err)?;
                return Ok(None);
            }
        }
    }
    match rules::Catalogue::load(rules_dir) {
        Ok(catalogue) => Ok(Some((controls, catalogue))),
        Err(errors) => {
            for (source, d) in errors {
                d.emit(&source, err)?;
            }
            Ok(None)
        }
    }
}

fn check(
    paths: &[PathBuf],
    format: Format,
    fail_on: Severity,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    let today = crate::date::today();
    let mut code = EXIT_OK;
    let mut json_models = Vec::new();
    for path in paths {
        let loaded: Loaded = model::load(path, &controls);
        let findings = loaded
            .model
            .as_ref()
            .map(|m| rules::engine::run(m, &catalogue, today))
            .unwrap_or_default();
        if loaded.has_errors() {
            code = EXIT_ERROR;
        } else if code == EXIT_OK
            && findings
                .iter()
                .any(|f| f.accepted.is_none() && f.severity >= fail_on)
        {
            code = EXIT_FINDINGS;
        }
        let report = ModelReport {
            source: &loaded.source,
            model: loaded.model.as_ref(),
            diagnostics: &loaded.diagnostics,
            findings: &findings,
        };
        match format {
            Format::Text => report::write_text(&report, out)?,
            Format::Json => json_models.push(report::to_json(&report)),
        }
    }
    if format == Format::Json {
        report::write_json(&report::json_document(json_models), out)?;
    }
    Ok(code)
}

fn render(
    path: &Path,
    output: &Path,
    options: &crate::render::Options,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    let loaded = model::load(path, &controls);
    for d in &loaded.diagnostics {
        d.emit(&loaded.source, err)?;
    }
    let Some(model) = loaded.model.as_ref() else {
        return Ok(EXIT_ERROR);
    };
    let findings = if options.highlight {
        rules::engine::run(model, &catalogue, crate::date::today())
    } else {
        Vec::new()
    };
    match crate::render::render_to_file(model, &findings, options, output) {
        Ok(()) => {
            writeln!(out, "{} を書き出しました", output.display())?;
            Ok(EXIT_OK)
        }
        Err(message) => {
            let source = Source::new(output.display().to_string(), String::new());
            Diagnostic::error("render::failed", message).emit(&source, err)?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `nagare report`: the committee packet for one model, written in the format the extension names.
fn report_packet(
    path: &Path,
    output: &Path,
    highlight: bool,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let fail = |message: String, err: &mut dyn WriteColor| -> std::io::Result<u8> {
        let source = Source::new(output.display().to_string(), String::new());
        Diagnostic::error("report::failed", message).emit(&source, err)?;
        Ok(EXIT_ERROR)
    };
    let format = match crate::packet::Format::from_path(output) {
        Ok(f) => f,
        Err(message) => return fail(message, err),
    };
    let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    let loaded = model::load(path, &controls);
    for d in &loaded.diagnostics {
        d.emit(&loaded.source, err)?;
    }
    let Some(model) = loaded.model.as_ref() else {
        return Ok(EXIT_ERROR);
    };
    let findings = rules::engine::run(model, &catalogue, crate::date::today());
    // The diagram goes only into the HTML (the other writers do not carry it).
    let svg = if format == crate::packet::Format::Html {
        match crate::packet::diagram(model, &findings, highlight) {
            Ok(svg) => Some(svg),
            Err(message) => return fail(message, err),
        }
    } else {
        None
    };
    match crate::packet::write_report(output, model, &findings, svg, &controls) {
        Ok(()) => {
            writeln!(out, "{} を書き出しました", output.display())?;
            Ok(EXIT_OK)
        }
        Err(message) => fail(message, err),
    }
}

/// `nagare pia`: the しきい値判断 of one model, compared with the assessment it declares.
fn pia(
    path: &Path,
    incident_years: Option<u32>,
    format: Format,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let controls = match Controls::builtin() {
        Ok(c) => c,
        Err((source, d)) => {
            d.emit(&source, err)?;
            return Ok(EXIT_ERROR);
        }
    };
    let loaded = model::load(path, &controls);
    for d in &loaded.diagnostics {
        d.emit(&loaded.source, err)?;
    }
    let Some(model) = loaded.model.as_ref() else {
        return Ok(EXIT_ERROR);
    };
    let judgement = crate::pia::judge(model, incident_years);
    match format {
        Format::Text => crate::pia::write_text(model, &loaded.source.name, &judgement, out)?,
        Format::Json => {
            let value = serde_json::json!({
                "version": 1,
                "file": loaded.source.name,
                "title": model.title,
                "document": model.document,
                "judgement": judgement,
            });
            report::write_json(&value, out)?;
        }
    }
    Ok(if judgement.verdict.is_ok() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

fn list_rules(
    format: Format,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let Some((_, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    match format {
        Format::Json => {
            let value = serde_json::to_value(&catalogue.rules).map_err(std::io::Error::other)?;
            report::write_json(&value, out)?;
        }
        Format::Text => {
            for rule in &catalogue.rules {
                writeln!(
                    out,
                    "{}  [{}]  {}  （{}）",
                    rule.code,
                    rule.severity.ja(),
                    rule.title,
                    rule.name
                )?;
            }
            writeln!(
                out,
                "\n{} 件のルール。説明は nagare explain コード",
                catalogue.rules.len()
            )?;
        }
    }
    Ok(EXIT_OK)
}

fn explain(
    code: &str,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let Some((_, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    let Some(rule) = catalogue.get(code) else {
        let codes: Vec<&str> = catalogue.rules.iter().map(|r| r.code.as_str()).collect();
        let hint = crate::diag::did_you_mean(&code.to_ascii_uppercase(), codes.iter().copied())
            .unwrap_or_else(|| "nagare rules で一覧を表示できます".to_string());
        writeln!(err, "エラー: ルール「{code}」はありません。{hint}")?;
        return Ok(EXIT_ERROR);
    };
    writeln!(out, "{} {}（{}）", rule.code, rule.title, rule.name)?;
    writeln!(
        out,
        "重大度: {}    対象: {}",
        rule.severity.ja(),
        rule.on.ja()
    )?;
    writeln!(out)?;
    for (heading, text) in rule.doc_sections() {
        writeln!(out, "■ {heading}\n{text}\n")?;
    }
    writeln!(out, "■ 条件（述語）\n{}", rule.when.describe())?;
    for e in &rule.escalate {
        writeln!(
            out,
            "\n■ 重大度を{}に上げる条件\n{}",
            e.severity.ja(),
            e.when.describe()
        )?;
    }
    if let Some(once) = &rule.once {
        writeln!(
            out,
            "\n■ まとめ方\n当てはまるものをモデル全体で一件の指摘にまとめる（id: {}@model）: {once}",
            rule.code
        )?;
    }
    Ok(EXIT_OK)
}

fn list_controls(
    format: Format,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let controls = match Controls::builtin() {
        Ok(c) => c,
        Err((source, d)) => {
            d.emit(&source, err)?;
            return Ok(EXIT_ERROR);
        }
    };
    match format {
        Format::Json => {
            let value: Vec<serde_json::Value> = controls
                .controls
                .iter()
                .map(|c| serde_json::json!({"id": c.id, "label": c.label, "aliases": c.aliases, "implies": c.implies, "weak": c.weak, "source": c.source}))
                .collect();
            report::write_json(&serde_json::Value::Array(value), out)?;
        }
        Format::Text => {
            for c in &controls.controls {
                let implies = if c.implies.is_empty() {
                    String::new()
                } else {
                    format!("  ⇒ {}", c.implies.join(", "))
                };
                let weak = c
                    .weak
                    .as_deref()
                    .map(|w| format!("  〔弱い: {w}〕"))
                    .unwrap_or_default();
                writeln!(out, "{:<28} {}{implies}{weak}", c.id, c.label)?;
            }
        }
    }
    Ok(EXIT_OK)
}

/// Loads a model for `diff` / `render --changes-from`, printing its diagnostics; None when it has errors.
fn load_for_diff(
    path: &Path,
    controls: &Controls,
    err: &mut dyn WriteColor,
) -> std::io::Result<Option<model::Model>> {
    let loaded = model::load(path, controls);
    for d in &loaded.diagnostics {
        d.emit(&loaded.source, err)?;
    }
    Ok(if loaded.has_errors() {
        None
    } else {
        loaded.model
    })
}

/// Both versions loaded and checked, and the 変更箇所 between them; None means exit 2 (already reported).
fn diff_models(
    old_path: &Path,
    new_path: &Path,
    rules_dir: Option<&Path>,
    err: &mut dyn WriteColor,
) -> std::io::Result<Option<crate::diff::Compared>> {
    let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(None);
    };
    let old = load_for_diff(old_path, &controls, err)?;
    let new = load_for_diff(new_path, &controls, err)?;
    let (Some(old), Some(new)) = (old, new) else {
        return Ok(None);
    };
    let today = crate::date::today();
    let old_findings = rules::engine::run(&old, &catalogue, today);
    let new_findings = rules::engine::run(&new, &catalogue, today);
    let diff = crate::diff::diff(&old, &new, &old_findings, &new_findings);
    Ok(Some(crate::diff::Compared {
        old,
        new,
        new_findings,
        diff,
    }))
}

fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// `nagare diff OLD NEW [-o FILE]`.
fn diff(
    old_path: &Path,
    new_path: &Path,
    output: Option<&Path>,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let Some(crate::diff::Compared {
        old,
        new,
        new_findings,
        diff,
    }) = diff_models(old_path, new_path, rules_dir, err)?
    else {
        return Ok(EXIT_ERROR);
    };
    let (old_name, new_name) = (
        old_path.display().to_string(),
        new_path.display().to_string(),
    );
    let Some(output) = output else {
        write!(
            out,
            "{}",
            crate::diff::to_text(&diff, &old_name, &new_name, &old, &new)
        )?;
        return Ok(EXIT_OK);
    };
    let mut doc = crate::diff::to_document(&diff, &old_name, &new_name, &old, &new);
    // The HTML carries the new version's diagram with the 変更箇所 drawn thick and underlined.
    let is_html = output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    let written = (|| {
        if is_html && !diff.is_empty() {
            let changes = diff.marks(&file_label(old_path));
            let options = crate::render::Options::default();
            let svg = crate::render::render_svg_with_changes(
                &new,
                &new_findings,
                &options,
                Some(&changes),
            )?;
            doc.heading(1, "変更箇所を示した図（太線・下線: 追加・変更）");
            doc.svg(crate::render::outline_text(&svg)?);
        }
        crate::diff::write_document(&doc, output)
    })();
    match written {
        Ok(()) => {
            writeln!(
                out,
                "{} を書き出しました（{}）",
                output.display(),
                crate::diff::summary_line(&diff)
            )?;
            Ok(EXIT_OK)
        }
        Err(message) => {
            let source = Source::new(output.display().to_string(), String::new());
            Diagnostic::error("diff::failed", message).emit(&source, err)?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `nagare render NEW --changes-from OLD -o FILE`: the new version's diagram with its 変更箇所 marked.
fn render_changes(
    (old_path, new_path, output): (&Path, &Path, &Path),
    options: &crate::render::Options,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let Some(crate::diff::Compared {
        new,
        new_findings,
        diff,
        ..
    }) = diff_models(old_path, new_path, rules_dir, err)?
    else {
        return Ok(EXIT_ERROR);
    };
    let changes = diff.marks(&file_label(old_path));
    match crate::render::render_to_file_with_changes(
        &new,
        &new_findings,
        options,
        Some(&changes),
        output,
    ) {
        Ok(()) => {
            writeln!(
                out,
                "{} を書き出しました（{}）",
                output.display(),
                crate::diff::summary_line(&diff)
            )?;
            Ok(EXIT_OK)
        }
        Err(message) => {
            let source = Source::new(output.display().to_string(), String::new());
            Diagnostic::error("render::failed", message).emit(&source, err)?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `nagare build MODEL_OR_DIR... -o DIR`: every output of every model; exit 2 if any model has errors (after
/// building the others).
fn build(
    paths: &[PathBuf],
    out_dir: &Path,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let models = match crate::build::inputs(paths) {
        Ok(m) => m,
        Err(message) => {
            writeln!(err, "エラー: {message}")?;
            return Ok(EXIT_ERROR);
        }
    };
    let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        writeln!(
            err,
            "エラー: フォルダ {} を作れません: {e}",
            out_dir.display()
        )?;
        return Ok(EXIT_ERROR);
    }
    let today = crate::date::today();
    let mut results = Vec::new();
    let mut code = EXIT_OK;
    for (path, name) in models.iter().zip(crate::build::names(&models)) {
        let name = match name {
            Ok(n) => n,
            Err(message) => {
                writeln!(err, "エラー: {message}")?;
                code = EXIT_ERROR;
                continue;
            }
        };
        let built = crate::build::build_one(path, &name, out_dir, &controls, &catalogue, today);
        if !built.ok() {
            code = EXIT_ERROR;
            // The model's errors, as `check` prints them, also go to the terminal.
            if built.model_errors {
                if let Ok(report) = std::fs::read(out_dir.join(format!("{name}.check.txt"))) {
                    err.write_all(&report)?;
                }
            }
            for failure in &built.failures {
                writeln!(err, "エラー: {failure}")?;
            }
        }
        writeln!(out, "{}", built.summary(out_dir))?;
        results.push(built);
    }
    writeln!(out, "{}", crate::build::final_line(&results, out_dir))?;
    Ok(code)
}
