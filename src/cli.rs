//! Command-line interface: flags, subcommands, and the exit code each outcome maps to.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};

use crate::controls::Catalogue as Controls;
use crate::diag::{Diagnostic, Source};
use crate::model::{self, Loaded};
use crate::outfile::io_ja;
use crate::report::{self, ModelReport};
use crate::rules::{self, Severity};
use crate::term::Inert;

/// nagare（流れ）: 個人情報の流れをモデルにし、抜けを指摘し、委員会資料の図を描く。
#[derive(Parser, Debug)]
#[command(
    name = "nagare",
    version,
    long_about = None,
    override_usage = "nagare <コマンド> [オプション]",
    after_help = "はじめての方は nagare init でひな形のモデルを作り、nagare watch で保存のたびに検査と図を確かめてください。\nコマンドごとの説明: nagare help <コマンド>（例: nagare help render）"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The help of every command: 使い方 and the headings in Japanese (clap's own words never reach the clerk).
const HELP_TEMPLATE: &str = "{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}";

#[derive(Subcommand, Debug)]
enum Command {
    /// モデルを検査し、指摘を表示する（0: 問題なし、1: --fail-on 以上の指摘あり、2: エラー）
    #[command(override_usage = "nagare check [オプション] <モデル>...")]
    Check {
        /// モデルファイル（.ron）またはモデルのあるフォルダ（中の *.ron を名前順に）。いくつでも並べられ、並行して検査する
        #[arg(required = true, value_name = "モデル")]
        models: Vec<PathBuf>,
        /// 出力形式: text（文章、既定）または json（プログラム向け）
        #[arg(long, value_enum, default_value_t = Format::Text, value_name = "形式")]
        format: Format,
        /// この重大度以上の指摘があれば終了コード 1（重大/高/中/低/情報 または critical/high/medium/low/info。既定: 高）
        #[arg(long, default_value = "高", value_parser = parse_severity, value_name = "重大度")]
        fail_on: Severity,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
    },
    /// モデルから「個人情報の流れ」の図を描く（拡張子で形式を決める: .svg .png .pdf .drawio .dot）
    #[command(override_usage = "nagare render [オプション] <モデル>")]
    Render {
        /// モデルファイル（.ron）
        #[arg(value_name = "モデル")]
        model: PathBuf,
        /// 出力ファイル（.svg / .png / .pdf / .drawio / .dot）。省略するとモデルと同じフォルダに「モデル名.svg」を書く（models/a.ron → models/a.svg）
        #[arg(short, long, value_name = "出力ファイル")]
        output: Option<PathBuf>,
        /// SVG の文字: live（既定。文字のまま編集できる）または outlines（文字を図形にする。フォントのない PC や PowerPoint でも同じに見えるが、文字は直せない）
        #[arg(long, value_enum, default_value_t = TextArg::Live, value_name = "文字")]
        text: TextArg,
        /// 図の種類: committee（委員会資料の図、既定）または layered（階層に並べた図）
        #[arg(long, value_enum, default_value_t = View::Committee, value_name = "種類")]
        view: View,
        /// 指摘のある流れ・システムを赤で示し、指摘コードと凡例を付ける
        #[arg(long)]
        highlight: bool,
        /// PDF と .drawio の用紙（ページの分け方）: a4（既定）または a3
        #[arg(long, value_enum, default_value_t = Page::A4, value_name = "用紙")]
        page: Page,
        /// PDF を縦向きにする（既定は横向き）
        #[arg(long)]
        portrait: bool,
        /// 前の版のモデル: そこからの変更箇所（追加・変更）を太線・下線で示す
        #[arg(long, value_name = "前の版")]
        changes_from: Option<PathBuf>,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ（--highlight の指摘に使う）
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
    },
    /// 保存するたびに検査して図を描き直す（0.5 秒ごとにファイルを確かめる。Ctrl-C で終了）
    #[command(override_usage = "nagare watch [オプション] <モデル>")]
    Watch {
        /// モデルファイル（.ron）
        #[arg(value_name = "モデル")]
        model: PathBuf,
        /// 図の出力ファイル（.svg / .png / .pdf）。省略するとモデルと同じフォルダに「モデル名.svg」を書く
        #[arg(short, long, value_name = "出力ファイル")]
        output: Option<PathBuf>,
        /// 図の種類: committee（委員会資料の図、既定）または layered（階層に並べた図）
        #[arg(long, value_enum, default_value_t = View::Committee, value_name = "種類")]
        view: View,
        /// 指摘のある流れ・システムを赤で示し、指摘コードと凡例を付ける
        #[arg(long)]
        highlight: bool,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
        /// 一度だけ検査して描き、待たずに終わる（試験用）
        #[arg(long, hide = true)]
        once: bool,
    },
    /// 説明のコメント付きのひな形のモデルを書き出す（既にあるファイルは上書きしない）
    #[command(override_usage = "nagare init [ファイル]")]
    Init {
        /// 書き出すモデルファイル（既定: model.ron、今いるフォルダに）
        #[arg(value_name = "ファイル", default_value = "model.ron")]
        file: PathBuf,
    },
    /// 二つの版のモデルの変更箇所（項目・区分・変更前・変更後）と、増えた指摘・解消した指摘を示す
    #[command(override_usage = "nagare diff [オプション] <前の版> <新しい版>")]
    Diff {
        /// 前の版のモデル（.ron）
        #[arg(value_name = "前の版")]
        old: PathBuf,
        /// 新しい版のモデル（.ron）
        #[arg(value_name = "新しい版")]
        new: PathBuf,
        /// 出力ファイル（.md / .html / .xlsx）。省略すると画面に表示する
        #[arg(short, long, value_name = "出力ファイル")]
        output: Option<PathBuf>,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
    },
    /// 主な仕事を一度に: モデルごとに図（.svg .png .pdf）・指摘（.json .check.txt）・委員会資料（.report.html .report.xlsx）を書き出す
    #[command(
        override_usage = "nagare build [オプション] -o <出力フォルダ> <モデルまたはフォルダ>..."
    )]
    Build {
        /// モデルファイル（.ron）またはモデルのあるフォルダ
        #[arg(required = true, value_name = "モデルまたはフォルダ")]
        models: Vec<PathBuf>,
        /// 出力フォルダ（なければ作る）
        #[arg(short, long, value_name = "出力フォルダ")]
        output: PathBuf,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
    },
    /// ルールの一覧
    #[command(override_usage = "nagare rules [オプション]")]
    Rules {
        /// 出力形式: text（文章、既定）または json（プログラム向け）
        #[arg(long, value_enum, default_value_t = Format::Text, value_name = "形式")]
        format: Format,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
    },
    /// ルール一つの説明（例: nagare explain TR001）
    #[command(override_usage = "nagare explain [オプション] <コード>")]
    Explain {
        /// ルールのコード（例: DC001）
        #[arg(value_name = "コード")]
        code: String,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
    },
    /// 委員会資料（別紙の表・突き合わせ・指摘・チェックリスト・図）を書き出す（拡張子で形式を決める: .html .xlsx .md .json）
    #[command(override_usage = "nagare report [オプション] -o <出力ファイル> <モデル>")]
    Report {
        /// モデルファイル（.ron）
        #[arg(value_name = "モデル")]
        model: PathBuf,
        /// 出力ファイル（.html / .xlsx / .md / .json）
        #[arg(short, long, value_name = "出力ファイル")]
        output: PathBuf,
        /// 図の指摘のある流れ・システムを赤で示す
        #[arg(long)]
        highlight: bool,
        /// 追加のルールパック（*.ron）と controls.ron のあるフォルダ
        #[arg(long, value_name = "フォルダ")]
        rules: Option<PathBuf>,
    },
    /// 団体ごとに資料（モデル）を結合し、資料をまたぐ流れを調べる。-o の拡張子で形式を決める: .html（画面）.graphml .jsonl（0: 指摘なし、1: 指摘あり、2: エラー）
    #[command(
        override_usage = "nagare inventory [オプション] [-o <出力ファイル>] <フォルダまたはモデル>..."
    )]
    Inventory {
        /// モデルのあるフォルダまたはモデルファイル（.ron）。owner の最初の語（江戸川区など）が同じモデルを結合する
        #[arg(required = true, value_name = "フォルダまたはモデル")]
        models: Vec<PathBuf>,
        /// 出力ファイル（.html / .graphml / .jsonl）。省略すると要約だけを表示する
        #[arg(short, long, value_name = "出力ファイル")]
        output: Option<PathBuf>,
        /// 別名表（省略時は最初のフォルダの aliases.ron があれば読む。docs/inventory.md）
        #[arg(long, value_name = "ファイル")]
        aliases: Option<PathBuf>,
    },
    /// 対策カタログの一覧
    #[command(override_usage = "nagare controls [オプション]")]
    Controls {
        /// 出力形式: text（文章、既定）または json（プログラム向け）
        #[arg(long, value_enum, default_value_t = Format::Text, value_name = "形式")]
        format: Format,
    },
    /// しきい値判断: 対象人数・取扱者数・重大事故から義務付けられる特定個人情報保護評価を求め、モデルの実施した評価と比べる（0: 一致、1: 不一致・判断できない、2: エラー）
    #[command(override_usage = "nagare pia [オプション] <モデル>")]
    Pia {
        /// モデルファイル（.ron）
        #[arg(value_name = "モデル")]
        model: PathBuf,
        /// 重大事故を数える期間（過去N年以内）。省略時はモデルの assessment.incident_window_years
        #[arg(long, value_name = "N")]
        incident_years: Option<u32>,
        /// 出力形式: text（文章、既定）または json（プログラム向け）
        #[arg(long, value_enum, default_value_t = Format::Text, value_name = "形式")]
        format: Format,
    },
    /// コマンドの説明を表示する（例: nagare help render）
    #[command(override_usage = "nagare help [コマンド]")]
    Help {
        /// 説明を見るコマンド（省略するとコマンドの一覧）
        #[arg(value_name = "コマンド")]
        command: Option<String>,
    },
}

/// The command line as clap sees it, with every word a clerk reads in Japanese: the help template and headings
/// (使い方・引数・オプション・コマンド), `-h/--help` 「ヘルプを表示」 and `-V/--version` 「版を表示」 instead of clap's
/// own flags, the defaults and choices written in each help text instead of clap's `[default: …]`.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let root = localize(Cli::command())
        .disable_help_subcommand(true)
        .subcommand_help_heading("コマンド")
        .subcommand_value_name("コマンド")
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("版（バージョン）を表示")
                .help_heading("オプション"),
        );
    root.mut_subcommands(localize)
}

fn localize(cmd: clap::Command) -> clap::Command {
    cmd.help_template(HELP_TEMPLATE)
        .disable_help_flag(true)
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                "引数"
            } else {
                "オプション"
            };
            let arg = arg.help_heading(heading);
            if arg.get_action().takes_values() {
                arg.hide_default_value(true).hide_possible_values(true)
            } else {
                arg
            }
        })
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("ヘルプを表示")
                .help_heading("オプション"),
        )
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

/// `--text`, mapped onto the renderer's own type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum TextArg {
    Live,
    Outlines,
}

impl From<TextArg> for crate::render::TextMode {
    fn from(t: TextArg) -> Self {
        match t {
            TextArg::Live => crate::render::TextMode::Live,
            TextArg::Outlines => crate::render::TextMode::Outlines,
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
    // Everything printed passes through `Inert`: a model's label never acts on the terminal.
    let mut stdout = Inert::new(StandardStream::stdout(color_choice()));
    let mut stderr = Inert::new(StandardStream::stderr(color_choice()));
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let code = match parse(&args) {
        Ok(cli) => match run(cli, &mut stdout, &mut stderr) {
            Ok(code) => code,
            Err(e) => {
                // A closed pipe (nagare check … | head) is not an error worth reporting.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    let _ = writeln!(stderr, "エラー: 画面に書き出せません: {}", io_ja(&e));
                }
                EXIT_ERROR
            }
        },
        Err(e) => print_clap_error(&e, &args, &mut stdout, &mut stderr),
    };
    let _ = stdout.flush();
    let _ = stderr.flush();
    code
}

/// Parses a command line (the first item is the program name).
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::FromArgMatches;
    let matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// Prints what clap stopped on: help and version to stdout (exit 0), anything else as a Japanese error with the
/// command's 使い方 (exit 2).
fn print_clap_error(
    e: &clap::Error,
    args: &[std::ffi::OsString],
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> u8 {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp => {
            let _ = write!(out, "{}", align_help(&e.render().to_string()));
            EXIT_OK
        }
        K::DisplayVersion => {
            let _ = writeln!(out, "{}", e.render().to_string().trim_end());
            EXIT_OK
        }
        K::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(err, "{}", align_help(&e.render().to_string()));
            EXIT_ERROR
        }
        _ => {
            let _ = write!(err, "{}", clap_error_ja(e, args));
            EXIT_ERROR
        }
    }
}

/// Columns a character takes in a terminal: 2 for the wide (全角) ones, 1 otherwise.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// clap pads the help's columns by counting characters; a Japanese value name (`<出力ファイル>`) is twice as wide
/// on screen. This re-pads each section (lines `  <spec>  <help>` between blank lines) by display width.
pub fn align_help(help: &str) -> String {
    let mut out = String::with_capacity(help.len() + 64);
    let lines: Vec<&str> = help.split_inclusive('\n').collect();
    let split = |line: &str| -> Option<(String, String)> {
        let body = line.strip_prefix("  ")?;
        if body.starts_with(' ') && !body.trim_start().starts_with('-') {
            return None;
        }
        let spec_start = body.len() - body.trim_start().len();
        let gap = body[spec_start..].find("  ")? + spec_start;
        let help = body[gap..].trim_start();
        Some((body[..gap].to_string(), help.to_string()))
    };
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        let mut items = Vec::new();
        while j < lines.len() {
            match split(lines[j]) {
                Some(item) => items.push(item),
                None => break,
            }
            j += 1;
        }
        if items.is_empty() {
            out.push_str(lines[i]);
            i += 1;
            continue;
        }
        let width = items
            .iter()
            .map(|(spec, _)| display_width(spec))
            .max()
            .unwrap_or(0);
        for (spec, help) in items {
            let pad = width - display_width(&spec) + 2;
            out.push_str(&format!("  {spec}{}{help}", " ".repeat(pad)));
        }
        i = j;
    }
    out
}

/// clap's error in Japanese: 「エラー: …」, then the command's 使い方 and where to read more.
/// `args` is the command line (for the command to name when clap gives no 使い方).
pub fn clap_error_ja(e: &clap::Error, args: &[std::ffi::OsString]) -> String {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    let get = |kind: C| -> Option<String> {
        let text = match e.get(kind)? {
            V::String(s) => s.clone(),
            V::Strings(v) => v.join("、"),
            V::StyledStr(s) => s.to_string(),
            V::StyledStrs(v) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
            V::Number(n) => n.to_string(),
            V::Bool(b) => b.to_string(),
            _ => return None,
        };
        Some(text)
    };
    let arg = get(C::InvalidArg).unwrap_or_default();
    let value = get(C::InvalidValue).unwrap_or_default();
    let suggestion = |kind: C| {
        get(kind)
            .map(|s| format!("。「{s}」のことですか？"))
            .unwrap_or_default()
    };
    let message = match e.kind() {
        K::InvalidValue if value.is_empty() => format!("{arg} の値がありません"),
        K::InvalidValue => {
            let valid = get(C::ValidValue)
                .map(|v| format!("（指定できる値: {v}）"))
                .unwrap_or_default();
            format!("{arg} に「{value}」は指定できません{valid}")
        }
        K::UnknownArgument => format!(
            "「{arg}」という引数はありません{}",
            suggestion(C::SuggestedArg)
        ),
        K::InvalidSubcommand => format!(
            "「{}」というコマンドはありません{}",
            get(C::InvalidSubcommand).unwrap_or_default(),
            suggestion(C::SuggestedSubcommand)
        ),
        K::MissingRequiredArgument => format!("必要な引数が指定されていません: {arg}"),
        K::MissingSubcommand => "コマンドを指定してください（nagare --help で一覧）".to_string(),
        K::ValueValidation => {
            let reason = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_else(|| "正しくありません".to_string());
            format!("{arg} の値「{value}」: {reason}")
        }
        K::TooManyValues => format!("{arg} に値が多すぎます（「{value}」）"),
        K::TooFewValues | K::WrongNumberOfValues => format!("{arg} の値の数が違います"),
        K::ArgumentConflict => match get(C::PriorArg) {
            Some(prior) if prior == arg => format!("{arg} は一度だけ指定できます"),
            Some(prior) => format!("{arg} と {prior} は同時に指定できません"),
            None => format!("{arg} はほかの引数と同時に指定できません"),
        },
        K::NoEquals => format!("{arg} には = で値を付けてください（例: {arg}=値）"),
        K::InvalidUtf8 => {
            "引数に文字として読めないバイトがあります（UTF-8 ではありません）".to_string()
        }
        _ => "コマンドラインを読めません".to_string(),
    };
    let mut text = format!("エラー: {message}\n");
    if let Some(usage) = get(C::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        // 「nagare check [オプション] <モデル>...」 → 「nagare check」
        let command: Vec<&str> = usage
            .split_whitespace()
            .take_while(|w| !w.starts_with(['[', '<', '-']))
            .collect();
        text.push_str(&format!(
            "\n使い方: {usage}\n詳しくは {} --help を見てください\n",
            command.join(" ")
        ));
    } else {
        let mut cmd = command();
        let names: Vec<String> = cmd
            .get_subcommands_mut()
            .map(|c| c.get_name().to_string())
            .collect();
        let sub = args
            .iter()
            .skip(1)
            .filter_map(|a| a.to_str())
            .find(|a| names.iter().any(|n| n == a));
        let command = sub
            .map(|s| format!("nagare {s}"))
            .unwrap_or("nagare".into());
        text.push_str(&format!("詳しくは {command} --help を見てください\n"));
    }
    text
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
            text,
            view,
            highlight,
            page,
            portrait,
            changes_from,
            rules,
        } => {
            let options = crate::render::Options {
                view: view.into(),
                highlight,
                page: page.into(),
                landscape: !portrait,
                changes: None,
                text: text.into(),
            };
            let output = output.unwrap_or_else(|| crate::outfile::default_output(&model, "svg"));
            match changes_from {
                Some(old) => {
                    let paths = (old.as_path(), model.as_path(), output.as_path());
                    render_changes(paths, options, rules.as_deref(), out, err)
                }
                None => render(&model, &output, &options, rules.as_deref(), out, err),
            }
        }
        Command::Watch {
            model,
            output,
            view,
            highlight,
            rules,
            once,
        } => {
            let options = crate::render::Options {
                view: view.into(),
                highlight,
                ..crate::render::Options::default()
            };
            let output = output.unwrap_or_else(|| crate::outfile::default_output(&model, "svg"));
            watch(&model, &output, options, rules.as_deref(), once, out, err)
        }
        Command::Init { file } => init(&file, out, err),
        Command::Help { command } => help(command.as_deref(), out, err),
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
        Command::Inventory {
            models,
            output,
            aliases,
        } => inventory(&models, output.as_deref(), aliases.as_deref(), out, err),
    }
}

/// Loads a model and prints its diagnostics (errors and warnings) to `err`.
fn load_reporting(
    path: &Path,
    controls: &Controls,
    err: &mut dyn WriteColor,
) -> std::io::Result<Loaded> {
    let loaded = model::load(path, controls);
    for d in &loaded.diagnostics {
        d.emit(&loaded.source, err)?;
    }
    Ok(loaded)
}

/// The built-in controls catalogue, or None after printing why it does not load.
fn builtin_controls(err: &mut dyn WriteColor) -> std::io::Result<Option<Controls>> {
    match Controls::builtin() {
        Ok(c) => Ok(Some(c)),
        Err((source, d)) => {
            d.emit(&source, err)?;
            Ok(None)
        }
    }
}

/// Loads the controls catalogue and rule packs, printing pack errors; None means exit 2.
fn load_catalogues(
    rules_dir: Option<&Path>,
    err: &mut dyn WriteColor,
) -> std::io::Result<Option<(Controls, rules::Catalogue)>> {
    let Some(mut controls) = builtin_controls(err)? else {
        return Ok(None);
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
    // A folder stands for its models (*.ron, sorted by name); a file is checked as named, even when missing
    // (its read error is reported like any other model's).
    let mut expanded = Vec::new();
    for path in paths {
        if path.is_dir() {
            match crate::build::models_in(path) {
                Ok(models) => expanded.extend(models),
                Err(message) => {
                    writeln!(err, "エラー: {message}")?;
                    return Ok(EXIT_ERROR);
                }
            }
        } else {
            expanded.push(path.clone());
        }
    }
    let today = crate::date::today();
    // Models are loaded, then checked, in parallel; collect keeps input order, so the output never depends on
    // timing. The rules keep each finding as a compact hit, built only when the report writes it: an office-wide
    // model's findings, all built, were 200 MB.
    use rayon::prelude::*;
    let loaded: Vec<Loaded> = expanded
        .par_iter()
        .map(|path| model::load(path, &controls))
        .collect();
    let found: Vec<Option<rules::engine::Found>> = loaded
        .par_iter()
        .map(|loaded| {
            loaded
                .model
                .as_ref()
                .map(|m| rules::engine::find(m, &catalogue, today))
        })
        .collect();
    // The report goes out in large pieces rather than a system call per line.
    let mut batched = crate::term::Batched::new(out);
    let out = &mut batched;
    let mut code = EXIT_OK;
    let mut json_models = Vec::new();
    let mut with_errors = 0;
    let mut all_counts = rules::engine::Counts::default();
    for (loaded, found) in loaded.iter().zip(&found) {
        let findings = match found {
            Some(found) => report::Findings::Found(found),
            None => report::Findings::Built(&[]),
        };
        let counts = findings.counts();
        if loaded.has_errors() {
            with_errors += 1;
        }
        if loaded.has_errors() {
            code = EXIT_ERROR;
        } else if code == EXIT_OK && counts.any_open_at_least(fail_on) {
            code = EXIT_FINDINGS;
        }
        let report = ModelReport {
            source: &loaded.source,
            model: loaded.model.as_ref(),
            diagnostics: &loaded.diagnostics,
            findings,
        };
        match format {
            Format::Text => report::write_text(&report, out)?,
            Format::Json => json_models.push(report),
        }
        all_counts.add(&counts);
    }
    match format {
        Format::Json => report::write_json_reports(&json_models, out)?,
        // Several models end with one line for all of them.
        Format::Text if loaded.len() > 1 => writeln!(
            out,
            "{} モデル（エラーのあるモデル {with_errors}）: {}",
            loaded.len(),
            report::summary_of(&all_counts)
        )?,
        Format::Text => {}
    }
    out.flush()?;
    // Freeing a big model and its rule context one allocation at a time takes a tenth of a 100 000-system check;
    // everything is written, and the process ends right after the check, so the operating system takes it back.
    drop(json_models);
    std::mem::forget(found);
    std::mem::forget(loaded);
    Ok(code)
}

/// Prints a failed output as a diagnostic that names the file (`render::failed`, `report::failed` …).
fn fail_output(
    code: &'static str,
    output: &Path,
    message: String,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let source = Source::new(output.display().to_string(), String::new());
    Diagnostic::error(code, message).emit(&source, err)?;
    Ok(EXIT_ERROR)
}

/// The output checked before any work (not a folder, not one of the models) and its diagram format.
fn diagram_output(output: &Path, inputs: &[&Path]) -> Result<crate::render::Format, String> {
    crate::outfile::check_output(output, inputs, "svg")?;
    crate::render::Format::from_path(output)
}

fn render(
    path: &Path,
    output: &Path,
    options: &crate::render::Options,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    if let Err(message) = diagram_output(output, &[path]) {
        return fail_output("render::failed", output, message, err);
    }
    let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    let loaded = load_reporting(path, &controls, err)?;
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
        Err(message) => fail_output("render::failed", output, message, err),
    }
}

/// A file's size and modification time: saving it changes one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    /// The file's stamp now, or None when it cannot be read (an editor may be replacing it).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// What one look at the watched file found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poll {
    /// Nothing changed since the last look.
    Same,
    /// Saved (or seen for the first time): check and draw again.
    Changed,
    /// The file is gone (said once, until it comes back).
    Missing,
}

/// Remembers the last stamp seen; `poll` says what a new look means.
#[derive(Debug, Default)]
pub struct Watcher {
    last: Option<Option<Stamp>>,
}

impl Watcher {
    pub fn poll(&mut self, now: Option<Stamp>) -> Poll {
        if self.last == Some(now) {
            return Poll::Same;
        }
        self.last = Some(now);
        if now.is_some() {
            Poll::Changed
        } else {
            Poll::Missing
        }
    }
}

/// `nagare watch`: everything one look needs, so a test can drive the loop one step at a time.
pub struct WatchSession {
    model: PathBuf,
    output: PathBuf,
    options: crate::render::Options,
    controls: Controls,
    catalogue: rules::Catalogue,
    watcher: Watcher,
    runs: usize,
    /// The exit code of the last check (what `--once` returns).
    pub last_code: u8,
}

impl WatchSession {
    /// Checks the output and loads the catalogues; Err is a message for the clerk.
    pub fn new(
        model: &Path,
        output: &Path,
        options: crate::render::Options,
        rules_dir: Option<&Path>,
        err: &mut dyn WriteColor,
    ) -> std::io::Result<Result<WatchSession, u8>> {
        if let Err(message) = diagram_output(output, &[model]) {
            return fail_output("watch::failed", output, message, err).map(Err);
        }
        let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
            return Ok(Err(EXIT_ERROR));
        };
        Ok(Ok(WatchSession {
            model: model.to_path_buf(),
            output: output.to_path_buf(),
            options,
            controls,
            catalogue,
            watcher: Watcher::default(),
            runs: 0,
            last_code: EXIT_OK,
        }))
    }

    /// One look: when the file was saved, check it, print the summary and draw again.
    pub fn step(
        &mut self,
        out: &mut dyn WriteColor,
        err: &mut dyn WriteColor,
    ) -> std::io::Result<Poll> {
        let poll = self.watcher.poll(Stamp::of(&self.model));
        match poll {
            Poll::Same => {}
            Poll::Missing => {
                self.last_code = EXIT_ERROR;
                writeln!(
                    err,
                    "{} が見つかりません。保存されるのを待っています（Ctrl-C で終了）",
                    self.model.display()
                )?;
            }
            Poll::Changed => {
                self.runs += 1;
                self.last_code = self.check_and_draw(out, err)?;
            }
        }
        out.flush()?;
        Ok(poll)
    }

    fn check_and_draw(
        &mut self,
        out: &mut dyn WriteColor,
        err: &mut dyn WriteColor,
    ) -> std::io::Result<u8> {
        writeln!(
            out,
            "── {} 回目の検査: {} ──",
            self.runs,
            self.model.display()
        )?;
        let loaded = model::load(&self.model, &self.controls);
        for d in &loaded.diagnostics {
            d.emit(&loaded.source, out)?;
        }
        let model = match loaded.model.as_ref() {
            Some(m) if !loaded.has_errors() => m,
            _ => {
                let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
                writeln!(
                    out,
                    "エラー {errors} 件。直して保存すると、もう一度検査します（図は前のまま）\n"
                )?;
                return Ok(EXIT_ERROR);
            }
        };
        let findings = rules::engine::run(model, &self.catalogue, crate::date::today());
        for f in &findings {
            let accepted = if f.accepted.is_some() {
                "（受容済み）"
            } else {
                ""
            };
            writeln!(
                out,
                "[{}] {} {}{accepted}  {}",
                f.severity.ja(),
                f.code,
                f.title,
                f.location
            )?;
        }
        writeln!(out, "{}", report::summary_line(&findings))?;
        match crate::render::render_to_file(model, &findings, &self.options, &self.output) {
            Ok(()) => writeln!(out, "{} を描き直しました\n", self.output.display())?,
            Err(message) => {
                writeln!(err, "エラー: {message}")?;
                return Ok(EXIT_ERROR);
            }
        }
        Ok(EXIT_OK)
    }
}

/// How often `watch` looks at the file.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(500);

fn watch(
    path: &Path,
    output: &Path,
    options: crate::render::Options,
    rules_dir: Option<&Path>,
    once: bool,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let mut session = match WatchSession::new(path, output, options, rules_dir, err)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    if !once {
        writeln!(
            out,
            "{} を見張っています。保存するたびに検査し、図 {} を描き直します（Ctrl-C で終了）\n",
            path.display(),
            output.display()
        )?;
    }
    loop {
        session.step(out, err)?;
        if once {
            return Ok(session.last_code);
        }
        std::thread::sleep(WATCH_INTERVAL);
    }
}

/// The commented template model `nagare init` writes.
pub const TEMPLATE: &str = include_str!("init-template.ron");

/// `nagare init [FILE]`: the template model, never over an existing file.
fn init(file: &Path, out: &mut dyn WriteColor, err: &mut dyn WriteColor) -> std::io::Result<u8> {
    if crate::outfile::names_a_folder(file) {
        writeln!(
            err,
            "エラー: {} はフォルダです。モデルのファイル名を指定してください（例: nagare init {}）",
            file.display(),
            file.join("model.ron").display()
        )?;
        return Ok(EXIT_ERROR);
    }
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file);
    let mut f = match created {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            writeln!(
                err,
                "エラー: {} はすでにあります。上書きしないので、別の名前を指定してください（例: nagare init 新しいモデル.ron）",
                file.display()
            )?;
            return Ok(EXIT_ERROR);
        }
        Err(e) => {
            writeln!(err, "エラー: {}", crate::outfile::write_error(file, &e))?;
            return Ok(EXIT_ERROR);
        }
    };
    if let Err(e) = f.write_all(TEMPLATE.as_bytes()).and_then(|()| f.sync_all()) {
        drop(f);
        let _ = std::fs::remove_file(file);
        writeln!(err, "エラー: {}", crate::outfile::write_error(file, &e))?;
        return Ok(EXIT_ERROR);
    }
    let shown = file.display();
    writeln!(
        out,
        "{shown} を書き出しました（ひな形のモデル。コメントに書き方があります）"
    )?;
    writeln!(out, "  検査する:         nagare check {shown}")?;
    writeln!(out, "  図を描く:         nagare render {shown}")?;
    writeln!(out, "  保存のたびに確認: nagare watch {shown}")?;
    Ok(EXIT_OK)
}

/// `nagare help [COMMAND]`: the Japanese help of the program or of one command.
fn help(
    name: Option<&str>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let mut cmd = command();
    cmd.build();
    let Some(name) = name else {
        write!(out, "{}", align_help(&cmd.render_help().to_string()))?;
        return Ok(EXIT_OK);
    };
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    match cmd.find_subcommand_mut(name) {
        Some(sub) => {
            write!(out, "{}", align_help(&sub.render_help().to_string()))?;
            Ok(EXIT_OK)
        }
        None => {
            let hint = crate::diag::did_you_mean(name, names.iter().map(String::as_str))
                .unwrap_or_else(|| format!("コマンドは {}", names.join("・")));
            writeln!(err, "エラー: 「{name}」というコマンドはありません。{hint}")?;
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
    let format = match crate::outfile::check_output(output, &[path], "html")
        .and_then(|()| crate::packet::Format::from_path(output))
    {
        Ok(f) => f,
        Err(message) => return fail(message, err),
    };
    let Some((controls, catalogue)) = load_catalogues(rules_dir, err)? else {
        return Ok(EXIT_ERROR);
    };
    let loaded = load_reporting(path, &controls, err)?;
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

/// `nagare inventory`: each body's models joined, the cross-paper questions, and the joined graph written out.
fn inventory(
    paths: &[PathBuf],
    output: Option<&Path>,
    aliases: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    use crate::inventory as inv;
    let models = match crate::build::inputs(paths) {
        // A folder's alias table is not a model.
        Ok(m) => m
            .into_iter()
            .filter(|p| p.file_name().and_then(|f| f.to_str()) != Some(inv::ALIASES_FILE))
            .collect::<Vec<_>>(),
        Err(message) => {
            writeln!(err, "エラー: {message}")?;
            return Ok(EXIT_ERROR);
        }
    };
    let format = match output.map(|o| {
        let inputs: Vec<&Path> = models.iter().map(PathBuf::as_path).collect();
        crate::outfile::check_output(o, &inputs, "html").and_then(|()| inv::Format::from_path(o))
    }) {
        Some(Err(message)) => {
            let name = output.map(|o| o.display().to_string()).unwrap_or_default();
            Diagnostic::error("inventory::failed", message).emit(&Source::new(name, ""), err)?;
            return Ok(EXIT_ERROR);
        }
        Some(Ok(f)) => Some(f),
        None => None,
    };
    let Some((controls, _)) = load_catalogues(None, err)? else {
        return Ok(EXIT_ERROR);
    };
    // Papers are named by file name; two files of the same name (from two folders) are named by their paths.
    let name_of = |p: &PathBuf| p.file_name().map(|f| f.to_string_lossy().into_owned());
    let mut papers = Vec::new();
    let mut failed = false;
    for path in &models {
        let loaded = load_reporting(path, &controls, err)?;
        match loaded.model {
            Some(model) => {
                let file = name_of(path).unwrap_or_default();
                let twice = models
                    .iter()
                    .filter(|p| name_of(p).as_ref() == Some(&file))
                    .count()
                    > 1;
                let file = if twice {
                    path.display().to_string()
                } else {
                    file
                };
                papers.push(inv::Paper::new(file, model));
            }
            None => failed = true,
        }
    }
    if failed {
        return Ok(EXIT_ERROR);
    }
    let alias_path = aliases.map(Path::to_path_buf).or_else(|| {
        paths
            .iter()
            .find(|p| p.is_dir())
            .map(|d| d.join(inv::ALIASES_FILE))
            .filter(|p| p.is_file())
    });
    let table = match alias_path {
        Some(path) => match inv::load_aliases(&path) {
            Ok((source, table)) => {
                let problems = table.check(&papers);
                for d in &problems {
                    d.emit(&source, err)?;
                }
                if problems.iter().any(Diagnostic::is_error) {
                    return Ok(EXIT_ERROR);
                }
                table
            }
            Err((source, problems)) => {
                for d in &problems {
                    d.emit(&source, err)?;
                }
                return Ok(EXIT_ERROR);
            }
        },
        None => inv::Aliases::default(),
    };
    let inventory = inv::Inventory::build(papers, &table);
    write!(out, "{}", inventory.summary())?;
    if let (Some(path), Some(format)) = (output, format) {
        if let Err(message) = inv::write(&inventory, path, format) {
            return fail_output("inventory::failed", path, message, err);
        }
        writeln!(out, "{} を書き出しました", path.display())?;
    }
    Ok(if inventory.findings() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `nagare pia`: the しきい値判断 of one model, compared with the assessment it declares.
fn pia(
    path: &Path,
    incident_years: Option<u32>,
    format: Format,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    let Some(controls) = builtin_controls(err)? else {
        return Ok(EXIT_ERROR);
    };
    let loaded = load_reporting(path, &controls, err)?;
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
    let Some(controls) = builtin_controls(err)? else {
        return Ok(EXIT_ERROR);
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
    if let Some(output) = output {
        if let Err(message) = crate::outfile::check_output(output, &[old_path, new_path], "xlsx") {
            return fail_output("diff::failed", output, message, err);
        }
    }
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
            let options = crate::render::Options {
                changes: Some(changes),
                ..crate::render::Options::default()
            };
            let svg = crate::render::render_svg(&new, &new_findings, &options)?;
            doc.heading(1, "変更箇所を示した図（太線・下線: 追加・変更）");
            doc.svg(crate::render::outline_text(&svg)?);
        }
        crate::diff::write_document(&doc, output)
    })();
    wrote(
        written,
        output,
        &crate::diff::summary_line(&diff),
        "diff::failed",
        out,
        err,
    )
}

/// `nagare render NEW --changes-from OLD -o FILE`: the new version's diagram with its 変更箇所 marked.
fn render_changes(
    (old_path, new_path, output): (&Path, &Path, &Path),
    options: crate::render::Options,
    rules_dir: Option<&Path>,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    if let Err(message) = diagram_output(output, &[old_path, new_path]) {
        return fail_output("render::failed", output, message, err);
    }
    let Some(crate::diff::Compared {
        new,
        new_findings,
        diff,
        ..
    }) = diff_models(old_path, new_path, rules_dir, err)?
    else {
        return Ok(EXIT_ERROR);
    };
    let options = crate::render::Options {
        changes: Some(diff.marks(&file_label(old_path))),
        ..options
    };
    let written = crate::render::render_to_file(&new, &new_findings, &options, output);
    wrote(
        written,
        output,
        &crate::diff::summary_line(&diff),
        "render::failed",
        out,
        err,
    )
}

/// Says that `output` was written (with a summary), or prints why not under `code`; the exit code.
fn wrote(
    written: Result<(), String>,
    output: &Path,
    summary: &str,
    code: &'static str,
    out: &mut dyn WriteColor,
    err: &mut dyn WriteColor,
) -> std::io::Result<u8> {
    match written {
        Ok(()) => {
            writeln!(out, "{} を書き出しました（{summary}）", output.display())?;
            Ok(EXIT_OK)
        }
        Err(message) => {
            let source = Source::new(output.display().to_string(), String::new());
            Diagnostic::error(code, message).emit(&source, err)?;
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
    if out_dir.exists() && !out_dir.is_dir() {
        writeln!(
            err,
            "エラー: {} はフォルダではなくファイルです。-o には出力フォルダを指定してください（例: -o out）",
            out_dir.display()
        )?;
        return Ok(EXIT_ERROR);
    }
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        writeln!(
            err,
            "エラー: フォルダ {} を作れません: {}",
            out_dir.display(),
            io_ja(&e)
        )?;
        return Ok(EXIT_ERROR);
    }
    let today = crate::date::today();
    // Models are built in parallel (each writes only its own files); collect keeps input order, so what is
    // printed never depends on timing.
    let names = crate::build::names(&models);
    let outcomes: Vec<Result<crate::build::Built, String>> = {
        use rayon::prelude::*;
        models
            .par_iter()
            .zip(names.par_iter())
            .map(|(path, name)| {
                let name = name.as_ref().map_err(Clone::clone)?;
                Ok(crate::build::build_one(
                    path, name, out_dir, &controls, &catalogue, today,
                ))
            })
            .collect()
    };
    let mut results = Vec::new();
    let mut code = EXIT_OK;
    for outcome in outcomes {
        let built = match outcome {
            Ok(b) => b,
            Err(message) => {
                writeln!(err, "エラー: {message}")?;
                code = EXIT_ERROR;
                continue;
            }
        };
        let name = built.name.clone();
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

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::term::termcolor::NoColor;

    fn text(w: NoColor<Vec<u8>>) -> String {
        String::from_utf8(w.into_inner()).expect("utf-8")
    }

    #[test]
    fn the_watcher_fires_on_the_first_look_on_a_save_and_once_when_the_file_goes() {
        let stamp = |len| {
            Some(Stamp {
                len,
                modified: None,
            })
        };
        let mut w = Watcher::default();
        assert_eq!(w.poll(stamp(10)), Poll::Changed, "first look");
        assert_eq!(w.poll(stamp(10)), Poll::Same);
        assert_eq!(w.poll(stamp(11)), Poll::Changed, "saved");
        assert_eq!(w.poll(None), Poll::Missing, "an editor replacing the file");
        assert_eq!(w.poll(None), Poll::Same, "said once");
        assert_eq!(w.poll(stamp(11)), Poll::Changed, "back again");
    }

    #[test]
    fn one_watch_step_checks_and_draws_only_after_a_save() {
        let dir = tempfile::tempdir().expect("tempdir");
        let model = dir.path().join("m.ron");
        let output = dir.path().join("m.svg");
        std::fs::write(&model, TEMPLATE).expect("write");
        let mut err = NoColor::new(Vec::new());
        let mut session = WatchSession::new(
            &model,
            &output,
            crate::render::Options::default(),
            None,
            &mut err,
        )
        .expect("io")
        .unwrap_or_else(|code| panic!("exit {code}"));

        let mut out = NoColor::new(Vec::new());
        assert_eq!(session.step(&mut out, &mut err).expect("io"), Poll::Changed);
        assert_eq!(session.last_code, EXIT_OK);
        let first = text(std::mem::replace(&mut out, NoColor::new(Vec::new())));
        assert!(first.contains("1 回目の検査"), "{first}");
        assert!(first.contains("指摘 "), "the summary line: {first}");
        assert!(first.contains("を描き直しました"), "{first}");
        assert!(std::fs::read_to_string(&output)
            .expect("svg")
            .contains("<svg"));

        assert_eq!(session.step(&mut out, &mut err).expect("io"), Poll::Same);
        assert_eq!(
            text(std::mem::replace(&mut out, NoColor::new(Vec::new()))),
            ""
        );

        // A save that breaks the model: checked again, the error shown, the diagram left as it was.
        let drawn = std::fs::read(&output).expect("svg");
        std::fs::write(&model, format!("{TEMPLATE}\n壊れた")).expect("write");
        assert_eq!(session.step(&mut out, &mut err).expect("io"), Poll::Changed);
        assert_eq!(session.last_code, EXIT_ERROR);
        let second = text(std::mem::replace(&mut out, NoColor::new(Vec::new())));
        assert!(second.contains("2 回目の検査"), "{second}");
        assert!(second.contains("図は前のまま"), "{second}");
        assert_eq!(std::fs::read(&output).expect("svg"), drawn);

        std::fs::remove_file(&model).expect("remove");
        assert_eq!(session.step(&mut out, &mut err).expect("io"), Poll::Missing);
        assert!(text(err).contains("見つかりません"));
    }

    #[test]
    fn the_template_model_loads_without_errors_and_shows_what_a_paper_leaves_open() {
        let controls = Controls::builtin()
            .map_err(|(_, d)| d.message)
            .expect("controls");
        let source = Source::new("model.ron", TEMPLATE);
        let loaded = model::load_source(source, &controls);
        assert!(
            loaded.diagnostics.is_empty(),
            "{:?}",
            loaded
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        );
        for word in ["unstated:", "na:", "not:", "cite:", "//"] {
            assert!(TEMPLATE.contains(word), "{word}");
        }
    }

    #[test]
    fn clap_errors_and_help_are_japanese() {
        let english = [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print help",
            "Print version",
            "error:",
            "[default",
            "[possible",
            "[OPTIONS]",
        ];
        let mut cmd = command();
        cmd.build();
        let mut helps = vec![cmd.render_help().to_string()];
        for sub in cmd.get_subcommands_mut() {
            helps.push(sub.render_help().to_string());
        }
        for argv in [
            vec!["nagare", "chekc"],
            vec!["nagare", "check"],
            vec!["nagare", "check", "--bogus", "m.ron"],
            vec!["nagare", "check", "--format", "xml", "m.ron"],
            vec!["nagare", "check", "--fail-on", "すごく高い", "m.ron"],
            vec!["nagare", "render", "m.ron", "-o", "a.svg", "-o", "b.svg"],
            vec!["nagare", "report", "m.ron"],
        ] {
            let e = parse(&argv).expect_err("an error");
            let args: Vec<std::ffi::OsString> = argv.iter().map(Into::into).collect();
            let message = clap_error_ja(&e, &args);
            assert!(message.starts_with("エラー: "), "{argv:?}: {message}");
            assert!(
                message.contains("--help を見てください"),
                "{argv:?}: {message}"
            );
            helps.push(message);
        }
        for help in &helps {
            for word in english {
                assert!(!help.contains(word), "{word} in\n{help}");
            }
        }
    }

    #[test]
    fn help_columns_line_up_by_display_width() {
        let help =
            "オプション:\n  -o, --output <出力ファイル>  出力\n      --page <用紙>  用紙\n\n次\n";
        let aligned = align_help(help);
        let expected = format!(
            "オプション:\n  -o, --output <出力ファイル>  出力\n      --page <用紙>{}用紙\n\n次\n",
            // 「-o, --output <出力ファイル>」 is 27 columns, 「    --page <用紙>」 17: 10 more, and the gap of 2.
            " ".repeat(12)
        );
        assert_eq!(aligned, expected);
        assert!(aligned.ends_with("\n\n次\n"));
    }
}
