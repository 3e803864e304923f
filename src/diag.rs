//! Diagnostics about model files: what is wrong, where (file:line:col with the source line), a code, and help.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

/// Passes codespan's output through, replacing the header's severity word (written on its own) by its
/// Japanese name: 「エラー[model::syntax]: …」, 「警告[control::unknown]: …」.
struct JapaneseSeverity<'w, W: WriteColor> {
    inner: &'w mut W,
    done: bool,
}

impl<W: WriteColor> std::io::Write for JapaneseSeverity<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.done {
            let ja: Option<&[u8]> = match buf {
                b"error" => Some("エラー".as_bytes()),
                b"warning" => Some("警告".as_bytes()),
                _ => None,
            };
            if let Some(ja) = ja {
                self.done = true;
                self.inner.write_all(ja)?;
                return Ok(buf.len());
            }
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: WriteColor> WriteColor for JapaneseSeverity<'_, W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &term::termcolor::ColorSpec) -> std::io::Result<()> {
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> std::io::Result<()> {
        self.inner.reset()
    }
}

/// codespan reads lines through the source's own index, so a file with thousands of diagnostics is indexed once.
impl<'a> Files<'a> for Source {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(Source::line_index(self, byte_index))
    }

    fn line_range(
        &'a self,
        (): (),
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        if line_index >= self.line_starts().len() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: self.line_starts().len().saturating_sub(1),
            });
        }
        Ok(Source::line_range(self, line_index))
    }
}

/// A model file held in memory, so diagnostics can quote its lines. The line index is built once, on first
/// use, and shared by every finding and diagnostic (a position is a binary search, not a scan of the file).
#[derive(Debug)]
pub struct Source {
    /// The path as the user gave it.
    pub name: String,
    pub text: String,
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The line the last position was found on: a report asks for positions mostly in file order (a rule's
    /// findings follow the model), so the next one is usually a few lines on, found by galloping from here instead
    /// of a binary search over the whole index (a cache miss per step on a large model). Only speed depends on it.
    last_line: std::sync::atomic::AtomicUsize,
}

impl Clone for Source {
    fn clone(&self) -> Self {
        Source {
            name: self.name.clone(),
            text: self.text.clone(),
            line_starts: self.line_starts.clone(),
            last_line: std::sync::atomic::AtomicUsize::new(0),
        }
    }
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            last_line: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Byte offsets where each line starts (the first is 0).
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 0-based index of the line holding a byte offset.
    fn line_index(&self, offset: usize) -> usize {
        use std::sync::atomic::Ordering::Relaxed;
        let starts = self.line_starts();
        let line = line_from(starts, offset, self.last_line.load(Relaxed));
        self.last_line.store(line, Relaxed);
        line
    }

    /// Byte range of a 0-based line, including its line break.
    fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let starts = self.line_starts();
        let start = starts.get(line).copied().unwrap_or(self.text.len());
        let end = starts.get(line + 1).copied().unwrap_or(self.text.len());
        start..end
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_index(offset);
        let line_start = self.line_range(line).start;
        let col = self.text[line_start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// Byte offset of a 1-based line and character column; clamps to the text.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.max(1) - 1) else {
            return self.text.len();
        };
        let line_text = &self.text[start..];
        let line_end = line_text.find('\n').unwrap_or(line_text.len());
        line_text[..line_end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(start + line_end, |(i, _)| start + i)
    }
}

/// The index of the last of `starts` (ascending, the first 0) at or before `offset`, searched from `hint` outwards
/// in doubling steps and then by halves between the last two steps: the same answer as a binary search over all of
/// `starts`, in a few steps when `hint` is near.
fn line_from(starts: &[usize], offset: usize, hint: usize) -> usize {
    let hint = hint.min(starts.len().saturating_sub(1));
    // The answer lies in lo..hi: starts[lo] <= offset, and hi is the first index known to start after it.
    let (lo, hi) = if starts.get(hint).is_some_and(|&s| s <= offset) {
        let (mut lo, mut step) = (hint, 1);
        loop {
            match starts.get(lo + step) {
                Some(&s) if s <= offset => {
                    lo += step;
                    step *= 2;
                }
                Some(_) => break (lo, lo + step),
                None => break (lo, starts.len()),
            }
        }
    } else {
        let (mut hi, mut step) = (hint, 1);
        loop {
            if hi < step {
                break (0, hi);
            }
            if starts[hi - step] <= offset {
                break (hi - step, hi);
            }
            hi -= step;
            step *= 2;
        }
    };
    lo + starts[lo..hi]
        .partition_point(|&start| start <= offset)
        .saturating_sub(1)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How bad a diagnostic is: an error stops the check (exit 2), a warning is shown and the check goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// One problem found while loading or validating a model.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub level: Level,
    /// Stable code, e.g. `model::unknown-system`.
    pub code: &'static str,
    /// What is wrong, in Japanese.
    pub message: String,
    /// The place in the file, with a short label.
    pub primary: Option<(Range<usize>, String)>,
    /// Other places worth showing (e.g. the first definition of a duplicate).
    pub secondary: Vec<(Range<usize>, String)>,
    /// How to fix it ("「区イントラPC」のことですか？").
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, range: Option<Range<usize>>, label: impl Into<String>) -> Self {
        if let Some(range) = range {
            self.primary = Some((range, label.into()));
        }
        self
    }

    pub fn also(mut self, range: Option<Range<usize>>, label: impl Into<String>) -> Self {
        if let Some(range) = range {
            self.secondary.push((range, label.into()));
        }
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// `file:line:col` of the primary span, or the file alone.
    pub fn location(&self, source: &Source) -> String {
        match &self.primary {
            Some((range, _)) => {
                let (line, col) = source.line_col(range.start);
                format!("{}:{line}:{col}", source.name)
            }
            None => source.name.clone(),
        }
    }

    /// Writes the diagnostic with the quoted source line(s), colour if `out` supports it.
    pub fn emit(&self, source: &Source, out: &mut dyn WriteColor) -> std::io::Result<()> {
        let file = source;
        let severity = match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        };
        let mut labels = Vec::new();
        if let Some((range, label)) = &self.primary {
            labels.push(Label::primary((), clamp(range, &source.text)).with_message(label));
        }
        for (range, label) in &self.secondary {
            labels.push(Label::secondary((), clamp(range, &source.text)).with_message(label));
        }
        let mut notes = Vec::new();
        if self.primary.is_none() {
            notes.push(format!("場所: {}", source.name));
        }
        if let Some(help) = &self.help {
            notes.push(format!("ヒント: {help}"));
        }
        let diagnostic = CsDiagnostic::new(severity)
            .with_code(self.code)
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(notes);
        let config = term::Config::default();
        // Labels and quoted lines are the model's text: a control character in them is shown, never obeyed.
        let mut inert = crate::term::Inert::new(out);
        // codespan names the severity in English; the header says エラー / 警告 like everything else.
        let mut ja = JapaneseSeverity {
            inner: &mut inert,
            done: false,
        };
        term::emit(&mut ja, &config, file, &diagnostic)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        inert.into_inner().map(drop)
    }

    /// The diagnostic as plain text (no colour), as printed by `nagare check`.
    pub fn to_text(&self, source: &Source) -> String {
        let mut buffer = term::termcolor::Buffer::no_color();
        // Writing into a memory buffer cannot fail for I/O reasons; a formatting failure leaves what was written.
        let _ = self.emit(source, &mut buffer);
        String::from_utf8_lossy(buffer.as_slice()).into_owned()
    }

    /// JSON form for `--format json`.
    pub fn to_json(&self, source: &Source) -> serde_json::Value {
        let (line, column) = self.primary.as_ref().map_or((None, None), |(r, _)| {
            let (l, c) = source.line_col(r.start);
            (Some(l), Some(c))
        });
        serde_json::json!({
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "file": source.name,
            "line": line,
            "column": column,
            "label": self.primary.as_ref().map(|(_, l)| l),
            "help": self.help,
        })
    }
}

fn clamp(range: &Range<usize>, text: &str) -> Range<usize> {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let end = floor_char_boundary(text, range.end.min(text.len())).max(start);
    start..end
}

/// Names longer than this (in characters) get no suggestion: no name in a model is that long, and comparing a
/// pasted page against every candidate would cost seconds per megabyte.
pub const MAX_SUGGEST_CHARS: usize = 256;

/// The closest candidate to `name`, if one is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if name.len() > MAX_SUGGEST_CHARS * 4 || name.chars().count() > MAX_SUGGEST_CHARS {
        return None;
    }
    let wanted = fold(name);
    let wanted_len = wanted.chars().count();
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        // Levenshtein is at least the difference in length, so its normalised score is at most short/long;
        // below 0.4 neither test below can reach 0.5, and the candidate is skipped before any work.
        let candidate_len = candidate.chars().count();
        let (s, l) = (candidate_len.min(wanted_len), candidate_len.max(wanted_len));
        if (s as f64) < 0.4 * l as f64 {
            continue;
        }
        let folded = fold(candidate);
        let (short, long) = if folded.chars().count() < wanted_len {
            (&folded, &wanted)
        } else {
            (&wanted, &folded)
        };
        let ratio = short.chars().count() as f64 / long.chars().count().max(1) as f64;
        let mut score = strsim::normalized_levenshtein(&wanted, &folded);
        // One name inside the other ("LoGoフォームサーバ" / "LoGoフォームのサーバ") counts when they are of similar length.
        if !short.is_empty() && long.contains(short.as_str()) && ratio >= 0.4 {
            score = score.max(0.5 + 0.4 * ratio);
        }
        if score >= 0.5 && best.is_none_or(|(_, b)| score > b) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

/// Folds case and full-width ASCII so 「区イントラＰｃ」 is close to 「区イントラPC」.
fn fold(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// "「X」のことですか？" for the closest candidate.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(name, candidates).map(|c| format!("「{c}」のことですか？"))
}

/// Words a paper uses for a value of the model language, with the value they mean there (委託 → 業務委託).
/// An entry applies only where its value is one of the valid ones, so 「委託先」 is 業務委託 as a basis and 外部 as
/// a role. Only words whose meaning is settled belong here; an ambiguous word (VPN: インターネット or 閉域網?,
/// 目的外提供: 提供 or 目的外利用?) is left out, and the valid values are listed instead.
const DOMAIN_EQUIVALENTS: &[(&str, &str)] = &[
    // basis (別紙の見出し)
    ("委託", "業務委託"),
    ("外部委託", "業務委託"),
    ("業務の委託", "業務委託"),
    ("委託先", "業務委託"),
    ("受託", "業務委託"),
    ("請負", "業務委託"),
    ("再々委託", "再委託"),
    ("結合", "外部結合"),
    ("オンライン結合", "外部結合"),
    ("電子計算組織の結合", "外部結合"),
    ("外部提供", "提供"),
    ("第三者提供", "提供"),
    ("情報提供", "提供"),
    ("目的外使用", "目的外利用"),
    // role
    ("委託先", "外部"),
    ("委託事業者", "外部"),
    ("受託者", "外部"),
    ("事業者", "外部"),
    ("他課", "庁内"),
    ("他部署", "庁内"),
    ("住民", "本人"),
    // item kind
    ("要配慮", "要配慮個人情報"),
    ("マイナンバー", "個人番号"),
    ("特定個人情報", "個人番号"),
    // via
    ("メール", "電子メール"),
    ("Eメール", "電子メール"),
    ("ファックス", "FAX"),
    ("ファクス", "FAX"),
    ("ファクシミリ", "FAX"),
    ("郵便", "郵送"),
    ("書面", "紙"),
    ("USBメモリ", "電子記録媒体"),
    ("DVD-R", "電子記録媒体"),
    ("CD-R", "電子記録媒体"),
    ("専用回線", "専用線"),
    ("閉域ネットワーク", "閉域網"),
    // segment, hosting
    ("LGWAN系", "LGWAN接続系"),
    ("インターネット系", "インターネット接続系"),
    ("個人番号利用事務系", "マイナンバー利用事務系"),
    ("ガバクラ", "ガバメントクラウド"),
    ("オンプレ", "オンプレミス"),
];

/// Parts of a word that carry its legal meaning. A suggestion must carry exactly the same ones as what was
/// written: 委託 is never answered with 再委託 (a 委託先's own 委託, which needs the 委託元's 承諾), 提供 never with
/// 目的外利用, 庁内 never with 庁外, a prohibition never with a permission.
const MEANING_MARKERS: &[&str] = &[
    "再々委託",
    "再委託",
    "委託",
    "結合",
    "提供",
    "目的外",
    "要配慮",
    "個人番号",
    "本人",
    "庁内",
    "庁外",
    "内部",
    "外部",
    "禁止",
    "不可",
    "しない",
    "させない",
    "できない",
    "廃止",
    "移行",
];

/// The parts of `name` that carry a legal meaning ([`MEANING_MARKERS`]), for comparing one written name against
/// many candidates without folding it again each time.
pub fn legal_meaning(name: &str) -> Vec<&'static str> {
    meaning_markers(&fold(name))
}

fn meaning_markers(name: &str) -> Vec<&'static str> {
    MEANING_MARKERS
        .iter()
        .copied()
        .filter(|m| name.contains(m))
        .collect()
}

/// True when `suggested` says nothing `written` does not, and leaves out nothing of its legal meaning
/// (see [`MEANING_MARKERS`]). A near spelling with a different meaning is not a typo fix.
pub fn same_legal_meaning(written: &str, suggested: &str) -> bool {
    meaning_markers(&fold(written)) == meaning_markers(&fold(suggested))
}

/// "「X」のことですか？" for a value of the model language (a basis, role, via…): the value a paper's word means
/// ([`DOMAIN_EQUIVALENTS`]) first, else the closest candidate with the same legal meaning; None (so the caller
/// lists the valid values) when neither exists.
pub fn did_you_mean_value<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let written = fold(name.trim());
    if let Some((_, meant)) = DOMAIN_EQUIVALENTS
        .iter()
        .find(|(word, meant)| fold(word) == written && candidates.contains(meant))
    {
        return Some(format!("「{meant}」のことですか？"));
    }
    did_you_mean(
        name,
        candidates
            .into_iter()
            .filter(|c| same_legal_meaning(name, c)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let source = Source::new("m.ron", "a\n区イントラPC: x");
        let offset = source.text.find(':').unwrap();
        assert_eq!(source.line_col(offset), (2, 8));
        assert_eq!(source.offset(2, 8), offset);
    }

    #[test]
    fn the_search_from_the_last_line_finds_what_a_binary_search_finds() {
        // Lines of many lengths (empty ones too), every offset, from every starting line.
        let text: String = (0..40).map(|i| "x".repeat(i * 7 % 11) + "\n").collect();
        let source = Source::new("m.ron", text.clone());
        let starts = source.line_starts().to_vec();
        for offset in 0..=text.len() + 2 {
            let expected = starts
                .partition_point(|&start| start <= offset)
                .saturating_sub(1);
            for hint in 0..starts.len() + 3 {
                assert_eq!(
                    line_from(&starts, offset, hint),
                    expected,
                    "{offset} from {hint}"
                );
            }
        }
        // Through the cache, in any order.
        for offset in (0..text.len())
            .rev()
            .step_by(3)
            .chain((0..text.len()).step_by(5))
        {
            let line = text[..offset].matches('\n').count() + 1;
            assert_eq!(source.line_col(offset).0, line);
        }
    }

    #[test]
    fn suggests_near_japanese_names() {
        let names = ["区イントラPC", "IHEAT.JP", "LoGoフォームのサーバ"];
        assert_eq!(suggest("区イントラＰＣ", names), Some("区イントラPC"));
        assert_eq!(
            suggest("LoGoフォームサーバ", names),
            Some("LoGoフォームのサーバ")
        );
        assert_eq!(suggest("まったく別", names), None);
        assert_eq!(
            suggest("区イントラPc", ["区", "区イントラPC"]),
            Some("区イントラPC")
        );
    }

    #[test]
    fn value_suggestions_keep_the_legal_meaning() {
        let basis = [
            "外部結合",
            "ExternalLink",
            "業務委託",
            "Outsourcing",
            "再委託",
            "Subcontract",
            "提供",
            "Provision",
            "目的外利用",
            "OtherPurposeUse",
        ];
        assert_eq!(
            did_you_mean_value("委託", basis).as_deref(),
            Some("「業務委託」のことですか？")
        );
        assert_eq!(
            did_you_mean_value("結合", basis).as_deref(),
            Some("「外部結合」のことですか？")
        );
        assert_eq!(
            did_you_mean_value("再々委託", basis).as_deref(),
            Some("「再委託」のことですか？")
        );
        assert_eq!(
            did_you_mean_value("業務委託先", basis).as_deref(),
            Some("「業務委託」のことですか？")
        );
        assert_eq!(
            did_you_mean_value("Outsorcing", basis).as_deref(),
            Some("「Outsourcing」のことですか？")
        );
        // Ambiguous or of another meaning: no guess, the caller lists the valid values.
        for written in ["目的外提供", "委任", "共同利用", "指定管理"] {
            assert_eq!(did_you_mean_value(written, basis), None, "{written}");
        }
        let role = [
            "本人",
            "Subject",
            "実施機関",
            "Agency",
            "庁内",
            "Internal",
            "外部",
            "External",
        ];
        assert_eq!(
            did_you_mean_value("委託先", role).as_deref(),
            Some("「外部」のことですか？")
        );
        assert_eq!(did_you_mean_value("内部", role), None);
        let place = ["庁内", "Inside", "庁外", "Outside"];
        assert_eq!(did_you_mean_value("庁中", place), None);
        let via = [
            "インターネット",
            "Internet",
            "閉域網",
            "電子メール",
            "FAX",
            "郵送",
        ];
        assert_eq!(
            did_you_mean_value("インタネット", via).as_deref(),
            Some("「インターネット」のことですか？")
        );
        assert_eq!(
            did_you_mean_value("メール", via).as_deref(),
            Some("「電子メール」のことですか？")
        );
        assert_eq!(did_you_mean_value("VPN", via), None);
        assert!(!same_legal_meaning("委託", "再委託"));
        assert!(!same_legal_meaning("再委託の禁止", "再委託の承諾"));
        assert!(same_legal_meaning("通信の暗号か", "通信の暗号化"));
    }
}
