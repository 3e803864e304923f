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
    /// 対策カタログの一覧
    Controls {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// `--view`, mapped onto the renderer's own type (the renderer does not know the command line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum View {
    Committee,
    Layered,
}

impl From<View> for crate::render::View {
    fn from(v: View) -> Self {
        match v {
            View::Committee => crate::render::View::Committee,
            View::Layered => crate::render::View::Layered,
        }
    }
}

/// `--page`, mapped onto the renderer's own type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Page {
    A4,
    A3,
}

impl From<Page> for crate::render::Page {
    fn from(p: Page) -> Self {
        match p {
            Page::A4 => crate::render::Page::A4,
            Page::A3 => crate::render::Page::A3,
        }
    }
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
            rules,
        } => {
            let options = crate::render::Options {
                view: view.into(),
                highlight,
                page: page.into(),
                landscape: !portrait,
            };
            render(&model, &output, &options, rules.as_deref(), out, err)
        }
        Command::Rules { format, rules } => list_rules(format, rules.as_deref(), out, err),
        Command::Explain { code, rules } => explain(&code, rules.as_deref(), out, err),
        Command::Controls { format } => list_controls(format, out, err),
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
