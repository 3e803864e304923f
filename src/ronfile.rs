//! Parsing RON text into typed values, turning ron's errors into pointed Japanese diagnostics.

use serde::de::DeserializeOwned;

use crate::diag::{did_you_mean, did_you_mean_value, Diagnostic, Source};
use crate::model::enums::all_names;
use crate::ronfast::Outline;

/// Upper bound on a model or rule file; beyond it we refuse rather than exhaust memory. `nagare check` peaks at
/// about [`MEMORY_PER_BYTE`] bytes of memory per byte of model (measured, docs/limits.md), so 64 MiB needs
/// about 1.3 GB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Measured peak memory of `nagare check` per byte of model text (release build, synthetic models of 2.5–17 MB:
/// 15–19×), rounded up.
pub const MEMORY_PER_BYTE: u64 = 20;

/// Files over this size get a line on stderr when loading starts, so a long check is not mistaken for a hang.
pub const LARGE_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Memory the system says it can give without swapping (Linux `MemAvailable`), if known.
fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Reads a file as UTF-8 text, with a diagnostic (file, line, column) for I/O failures and invalid UTF-8.
pub fn read_source(path: &std::path::Path) -> Result<Source, (Source, Diagnostic)> {
    let name = path.display().to_string();
    let empty = || Source::new(name.clone(), String::new());
    let meta = std::fs::metadata(path).map_err(|e| {
        (
            empty(),
            Diagnostic::error("io::read", format!("ファイルを読めません: {}", io_ja(&e))),
        )
    })?;
    if meta.is_dir() {
        return Err((
            empty(),
            Diagnostic::error("io::read", "ファイルではなくフォルダが指定されました"),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err((
            empty(),
            Diagnostic::error(
                "io::too-large",
                format!(
                    "ファイルが大きすぎます（{} MB、上限 {} MB）",
                    meta.len() / 1_048_576,
                    MAX_FILE_BYTES / 1_048_576
                ),
            )
            .help("モデルを業務ごとのファイルに分けてください"),
        ));
    }
    // Refuse before reading rather than be killed halfway by the allocator (exit 134, no message).
    let needed = meta.len().saturating_mul(MEMORY_PER_BYTE);
    if let Some(available) = available_memory().filter(|&a| needed > a) {
        return Err((
            empty(),
            Diagnostic::error(
                "io::too-large",
                format!(
                    "このモデルの検査には約 {} MB のメモリが必要ですが、空きは約 {} MB です（ファイル {} MB）",
                    needed / 1_048_576,
                    available / 1_048_576,
                    meta.len() / 1_048_576
                ),
            )
            .help("ほかのアプリを閉じるか、モデルを業務ごとのファイルに分けてください（docs/limits.md）"),
        ));
    }
    if meta.len() > LARGE_FILE_BYTES {
        eprintln!(
            "{}: {} MB のモデルを読み込んでいます（大きなモデルの検査には数秒から数十秒かかります）…",
            name,
            meta.len() / 1_048_576
        );
    }
    let bytes = std::fs::read(path).map_err(|e| {
        (
            empty(),
            Diagnostic::error("io::read", format!("ファイルを読めません: {}", io_ja(&e))),
        )
    })?;
    // simdutf8 checks Japanese text about thirty times faster than std (whose check was 3 % of a whole `check`);
    // copying the checked text into a String costs less than checking it again. Only a file that is not UTF-8
    // goes through std, for the place where it stops being UTF-8.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        // Windows editors often save UTF-8 with a byte-order mark; it marks the encoding and is not text.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        return Ok(Source::new(name, text.to_owned()));
    }
    match String::from_utf8(bytes) {
        // Not reached (both checks follow the same standard); kept so that no file is refused by mistake.
        Ok(text) => Ok(Source::new(
            name,
            text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned(),
        )),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Keep the valid prefix so the diagnostic can quote the line where the bad bytes start.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let source = Source::new(name, prefix);
            let at = source.text.len();
            let diag = Diagnostic::error("model::not-utf8", "UTF-8 ではない文字があります")
                .at(Some(at..at), "ここから先が UTF-8 として読めません")
                .help("ファイルを UTF-8 で保存し直してください（Shift_JIS のままでは読めません）");
            Err((source, diag))
        }
    }
}

fn io_ja(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "読み取り権限がありません".to_string(),
        _ => crate::outfile::io_ja(e),
    }
}

/// Parses `source` as a `T`, keeping ron's recursion limit on (deeply nested input is an error, not a crash).
/// On failure, the first problem (see [`parse_all`] for all of them).
pub fn parse<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    parse_all(source).map_err(|mut all| all.swap_remove(0))
}

/// Parses `source` as a `T`. When ron cannot read it, the characters a word processor or IME leaves in the text
/// (“ ” ＂ 　 ， ： （ …, a doubled comma) are reported each where it stands, with what to type instead; ron's own
/// error is kept only when it lies before them (it is otherwise a consequence of them). Never empty on failure.
pub fn parse_all<T: DeserializeOwned>(source: &Source) -> Result<T, Vec<Diagnostic>> {
    parse_with_outline(source, None).map(|(value, _)| value)
}

/// [`parse_all`], also giving the fast reader's [`Outline`] of the first `levels` levels when it read the text and
/// its outline can be used (`None` when ron read it, or when the outline cannot stand for a scan of the text).
pub fn parse_all_outlined<T: DeserializeOwned>(
    source: &Source,
    levels: usize,
) -> Result<(T, Option<Outline>), Vec<Diagnostic>> {
    parse_with_outline(source, Some(levels))
}

fn parse_with_outline<T: DeserializeOwned>(
    source: &Source,
    levels: Option<usize>,
) -> Result<(T, Option<Outline>), Vec<Diagnostic>> {
    if source.text.trim().is_empty() {
        return Err(vec![Diagnostic::error("model::empty", "ファイルが空です")
            .help(
                "`Model(title: \"…\", …)` の形で書いてください（docs/model-language.md）",
            )]);
    }
    // implicit_some is on by default, so `party: "区"` works with or without the `#![enable(implicit_some)]` line.
    let options = ron::Options::default()
        .with_recursion_limit(128)
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    // Most files use only the plain RON that the fast reader handles; it gives the same value ron would, several
    // times sooner, and leaves every other text (and every error) to ron, so diagnostics stay ron's.
    let fast = match levels {
        Some(levels) => crate::ronfast::from_str_outlined::<T>(&source.text, levels),
        None => crate::ronfast::from_str::<T>(&source.text).map(|value| (value, None)),
    };
    if let Some(read) = fast {
        return Ok(read);
    }
    let error = match options.from_str::<T>(&source.text) {
        Ok(value) => return Ok((value, None)),
        Err(e) => e,
    };
    // Only a text ron rejects is scanned, so a valid model pays nothing; every character flagged is one ron
    // cannot accept where it stands, so the scan never objects to a model ron would read.
    let pasted = pasted_characters(&source.text);
    let ron_diag = from_ron(source, &error);
    let Some(first) = pasted
        .first()
        .and_then(|d| d.primary.as_ref())
        .map(|(r, _)| r.start)
    else {
        return Err(vec![ron_diag]);
    };
    // ron often points at the token before the culprit (the `(` before a full-width space on the next line).
    let line_start = source.text[..first].rfind('\n').map_or(0, |n| n + 1);
    let mut out = Vec::new();
    if ron_diag
        .primary
        .as_ref()
        .is_some_and(|(r, _)| r.end < line_start)
    {
        out.push(ron_diag);
    }
    out.extend(pasted);
    Err(out)
}

/// What a pasted or IME-typed character is and what to type instead.
fn pasted_kind(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        '“' | '”' => ("全角の引用符（“ ”）", "半角の二重引用符 \" を使ってください（Word の「オートコレクト」が \" を “ ” に変えることがあります）"),
        '‘' | '’' => ("全角の引用符（‘ ’）", "文字列は半角の二重引用符 \" で囲んでください"),
        '＂' => ("全角の二重引用符（＂）", "半角の二重引用符 \" を使ってください"),
        '＇' => ("全角の引用符（＇）", "文字列は半角の二重引用符 \" で囲んでください"),
        '「' | '」' | '『' | '』' => ("かぎ括弧（「 」）", "名前や説明は「」ではなく半角の二重引用符 \" で囲んでください（\"「…」\" のように引用符の中なら書けます）"),
        '\u{3000}' => ("全角スペース", "半角スペースにしてください（引用符 \" の中なら全角スペースも書けます）"),
        '\u{a0}' => ("特殊な空白（ノーブレークスペース）", "半角スペースにしてください（Web や Word から貼り付けると入ることがあります）"),
        '\u{2000}'..='\u{200b}' | '\u{202f}' | '\u{205f}' | '\u{feff}' => (
            "見えない特殊な空白",
            "この位置の空白を消して、半角スペースで打ち直してください",
        ),
        '，' => ("全角のカンマ（，）", "半角のカンマ , にしてください"),
        '、' => ("読点（、）", "区切りは半角のカンマ , にしてください"),
        '：' => ("全角のコロン（：）", "半角のコロン : にしてください"),
        '（' | '）' => ("全角の丸括弧（（ ））", "半角の ( ) にしてください"),
        '［' | '］' => ("全角の角括弧（［ ］）", "半角の [ ] にしてください"),
        '｛' | '｝' => ("全角の波括弧（｛ ｝）", "半角の { } にしてください"),
        _ => return None,
    })
}

/// At most this many places are quoted for one kind of character; the message counts them all.
const MAX_PLACES: usize = 8;

/// Characters outside strings and comments that ron cannot read and that come from Word, a web page or an IME,
/// one diagnostic per kind (with every place, up to [`MAX_PLACES`] quoted), plus doubled commas. Nothing is
/// changed in the text: each is reported, and the clerk decides.
fn pasted_characters(text: &str) -> Vec<Diagnostic> {
    // (what, what to type, places) in the order first met.
    let mut kinds: Vec<(&'static str, &'static str, Vec<std::ops::Range<usize>>)> = Vec::new();
    let mut note =
        |what: &'static str, fix: &'static str, range: std::ops::Range<usize>| match kinds
            .iter_mut()
            .find(|(w, _, _)| *w == what)
        {
            Some((_, _, places)) => places.push(range),
            None => kinds.push((what, fix, vec![range])),
        };
    let bytes = text.as_bytes();
    let mut i = 0;
    // The last significant character outside comments and whitespace, for a doubled comma.
    let mut last_comma: Option<usize> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                let end = skip_string(bytes, i + 1);
                // `"名前”,` typed with a smart closing quote: the string would run on to the next `"`. A smart
                // quote at the end of a line, before `,` `)` `]` `}`, is where the clerk meant it to end.
                match smart_close_in(&text[i + 1..end]) {
                    Some(at) => {
                        let at = i + 1 + at;
                        let c = text[at..].chars().next().unwrap_or('"');
                        if let Some((what, fix)) = pasted_kind(c) {
                            note(what, fix, at..at + c.len_utf8());
                        }
                        i = at + c.len_utf8();
                    }
                    None => i = end,
                }
                last_comma = None;
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !is_ident_byte(bytes[i - 1])) =>
            {
                i = skip_raw_string(text, i + 1);
                last_comma = None;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i + 2);
            }
            b'\'' => {
                // A character literal: 'a' or '\''.
                let mut j = i + 1;
                if bytes.get(j) == Some(&b'\\') {
                    j += 2;
                }
                match text.get(j..).and_then(|s| s.find('\'')) {
                    Some(n) if n <= 8 => i = j + n + 1,
                    _ => i += 1,
                }
                last_comma = None;
            }
            b',' => {
                if let Some(first) = last_comma {
                    note(
                        "カンマが二つ続いています",
                        "カンマを一つ消してください",
                        first..i + 1,
                    );
                }
                last_comma = Some(i);
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            b if b < 0x80 => {
                last_comma = None;
                i += 1;
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                let len = c.len_utf8();
                if let Some((what, fix)) = pasted_kind(c) {
                    note(what, fix, i..i + len);
                    // A quote typed as “ or 「: what follows up to its closing quote on the line was meant as text.
                    if let Some(close) = closing_quote(c, &text[i + len..]) {
                        let at = i + len + close;
                        let cc = text[at..].chars().next().unwrap_or('"');
                        if let Some((w, f)) = pasted_kind(cc) {
                            note(w, f, at..at + cc.len_utf8());
                        }
                        i = at + cc.len_utf8();
                        last_comma = None;
                        continue;
                    }
                    // A 全角スペース is space to the eye; a comma after it is still doubled.
                    if !matches!(c, '\u{3000}' | '\u{a0}' | '\u{2000}'..='\u{200b}') {
                        last_comma = None;
                    }
                } else {
                    last_comma = None;
                }
                i += len;
            }
        }
    }
    kinds
        .into_iter()
        .map(|(what, fix, places)| {
            let count = places.len();
            let message = if what == "カンマが二つ続いています" {
                if count == 1 {
                    what.to_string()
                } else {
                    format!("カンマが二つ続いている所が {count} か所あります")
                }
            } else if count == 1 {
                format!("{what}は RON の書き方では使えません")
            } else {
                format!("{what}が {count} か所あります（RON の書き方では使えません）")
            };
            let mut d = Diagnostic::error("model::pasted-character", message);
            for (k, place) in places.iter().take(MAX_PLACES).enumerate() {
                d = if k == 0 {
                    d.at(Some(place.clone()), what)
                } else {
                    d.also(Some(place.clone()), "ここも")
                };
            }
            let more = if count > MAX_PLACES {
                format!("（ほか {} か所）", count - MAX_PLACES)
            } else {
                String::new()
            };
            d.help(format!("{fix}{more}"))
        })
        .collect()
}

/// Where the text a pasted opening quote `open` starts ends: the offset in `rest` of its closing quote on the same
/// line (a smart, full-width or ASCII one of the same family).
fn closing_quote(open: char, rest: &str) -> Option<usize> {
    let closes: &[char] = match open {
        '“' | '”' | '＂' => &['”', '“', '＂', '"'],
        '‘' | '’' | '＇' => &['’', '‘', '＇', '\''],
        '「' => &['」'],
        '『' => &['』'],
        _ => return None,
    };
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    line.find(closes)
}

/// In the body of a string that spans lines, a smart or full-width closing quote at the end of a line, followed
/// only by `,` `)` `]` `}` and spaces: the offset of that quote.
fn smart_close_in(body: &str) -> Option<usize> {
    if !body.contains('\n') {
        return None;
    }
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let rest = trimmed.trim_end_matches([',', ')', ']', '}', ' ']);
        if rest.len() < trimmed.len() || line.ends_with('\n') {
            if let Some(c) = rest
                .chars()
                .last()
                .filter(|c| matches!(c, '”' | '＂' | '’'))
            {
                return Some(at + rest.len() - c.len_utf8());
            }
        }
        at += line.len();
    }
    None
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Index just after the closing quote of a string whose body starts at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Index just after a raw string `r#"…"#` whose hashes start at `i`.
fn skip_raw_string(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return i;
    }
    let closing: String = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    text[i + 1..]
        .find(&closing)
        .map_or(bytes.len(), |n| i + 1 + n + closing.len())
}

/// Index just after a (nested) block comment whose body starts at `i`.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 1usize;
    while i < bytes.len() && depth > 0 {
        if bytes[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    i
}

fn from_ron(source: &Source, e: &ron::error::SpannedError) -> Diagnostic {
    use ron::error::Error as E;
    let start = source.offset(e.span.start.line, e.span.start.col);
    let end = source.offset(e.span.end.line, e.span.end.col).max(start);
    // ron's span for a value error ends just after the value; label the value itself where we can.
    let range = if end > start {
        start..end
    } else {
        start..next_char(&source.text, start)
    };
    let names = all_names();
    let (code, message, label, help): (&'static str, String, String, Option<String>) = match &e.code {
        E::NoSuchEnumVariant { expected, found, outer } => {
            // serde lists aliases among the variants; show each value once, as 日本語（English）.
            let valid: Vec<String> = expected
                .iter()
                .filter(|v| !names.iter().any(|(ja, en)| en == *v && ja != *v))
                .map(|ja| match names.iter().find(|(j, _)| j == ja) {
                    Some((_, en)) => format!("{ja}（{en}）"),
                    None => ja.to_string(),
                })
                .collect();
            // Accept a near miss of either the Japanese name or its alias.
            let candidates: Vec<&str> = expected
                .iter()
                .copied()
                .chain(names.iter().filter(|(j, _)| expected.contains(j)).map(|(_, en)| *en))
                .collect();
            // Never a near spelling with another legal meaning (委託 → 再委託); see diag::did_you_mean_value.
            let help = did_you_mean_value(found, candidates.iter().copied())
                .map(|h| format!("{h} 使える値: {}", valid.join("、")))
                .or_else(|| Some(format!("使える値: {}", valid.join("、"))));
            let place = outer.as_deref().map(|o| format!("（{}）", field_ja(o))).unwrap_or_default();
            ("model::unknown-value", format!("「{found}」は使えない値です{place}"), "この値".into(), help)
        }
        E::NoSuchStructField { expected, found, outer } => {
            let help = did_you_mean(found, expected.iter().copied())
                .map(|h| format!("{h} 使える項目: {}", expected.join(", ")))
                .or_else(|| Some(format!("使える項目: {}", expected.join(", "))));
            let place = outer.as_deref().map(|o| format!("{}に", field_ja(o))).unwrap_or_default();
            ("model::unknown-field", format!("{place}「{found}」という項目はありません"), "この項目".into(), help)
        }
        E::MissingStructField { field, outer } => {
            let place = outer.as_deref().map(|o| format!("{}に", field_ja(o))).unwrap_or_default();
            (
                "model::missing-field",
                format!("{place}必須の項目「{field}」がありません"),
                "ここで閉じています".into(),
                Some(format!("`{field}: …` を追加してください")),
            )
        }
        E::DuplicateStructField { field, .. } => (
            "model::duplicate-field",
            format!("項目「{field}」が二度書かれています"),
            "二度目".into(),
            Some("どちらか一方を消してください".into()),
        ),
        E::ExceededRecursionLimit => (
            "model::too-deep",
            "括弧の入れ子が深すぎます（上限 128 段）".into(),
            "ここで上限を超えました".into(),
            Some("括弧の閉じ忘れや、誤って貼り付けた内容がないか確認してください".into()),
        ),
        E::Eof => (
            "model::syntax",
            "ファイルが途中で終わっています".into(),
            "ここで終わっています".into(),
            Some("閉じ括弧 `)` `]` `}` や閉じ引用符 `\"` が足りないかもしれません".into()),
        ),
        E::ExpectedString | E::ExpectedStringEnd => (
            "model::type",
            "ここには文字列（\"…\"）が必要です".into(),
            "文字列ではありません".into(),
            Some("名前や説明は二重引用符で囲んでください".into()),
        ),
        E::ExpectedInteger | E::IntegerOutOfBounds | E::InvalidIntegerDigit { .. } => (
            "model::type",
            "ここには整数が必要です".into(),
            "整数ではありません".into(),
            Some("例: `no: 3`、`count: 20`（引用符なし）".into()),
        ),
        E::ExpectedBoolean => (
            "model::type",
            "ここには true か false が必要です".into(),
            "真偽値ではありません".into(),
            None,
        ),
        E::ExpectedArray | E::ExpectedArrayEnd => (
            "model::type",
            "ここにはリスト [ … ] が必要です（または閉じ括弧 `]` が足りません）".into(),
            "ここ".into(),
            Some("例: `items: [\"氏名\", \"住所\"]`".into()),
        ),
        E::ExpectedMap | E::ExpectedMapEnd | E::ExpectedMapColon => (
            "model::type",
            "ここには { \"名前\": (…), … } の形が必要です".into(),
            "ここ".into(),
            None,
        ),
        E::ExpectedComma => (
            "model::syntax",
            "カンマ `,` が必要です".into(),
            "この前にカンマが足りません".into(),
            Some("項目と項目の間はカンマで区切ってください".into()),
        ),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) | E::ExpectedStructLikeEnd => (
            "model::syntax",
            "ここには ( … ) の形が必要です（または閉じ括弧 `)` が足りません）".into(),
            "ここ".into(),
            None,
        ),
        E::ExpectedDifferentStructName { expected, found } => (
            "model::syntax",
            format!("「{found}」ではなく「{expected}」と書いてください"),
            "ここ".into(),
            None,
        ),
        E::TrailingCharacters => (
            "model::syntax",
            "モデルの終わりの後に余分な文字があります".into(),
            "ここから".into(),
            Some("最後の `)` の後ろを消してください".into()),
        ),
        E::UnexpectedChar(c) => (
            "model::syntax",
            format!("ここに「{c}」は書けません"),
            "この文字".into(),
            Some("RON の書き方（docs/model-language.md）を確認してください。全角の括弧や引用符になっていないかも確認してください".into()),
        ),
        E::InvalidValueForType { expected, found } => (
            "model::type",
            match (kind_ja(expected), kind_ja(found)) {
                (Some(e), Some(f)) => format!("値の種類が違います（{f}ではなく{e}が必要です）"),
                (Some(e), None) => format!("値の種類が違います（{e}が必要です）"),
                _ => "値の種類が違います".to_string(),
            },
            "この値".into(),
            None,
        ),
        E::SuggestRawIdentifier(word) | E::InvalidIdentifier(word) => {
            // `segment: LGWAN-ASP` as papers write it: a value name cannot contain `-`.
            let range = match source.text.get(range.start..) {
                Some(rest) if rest.starts_with(word.as_str()) => range.start..range.start + word.len(),
                _ => range,
            };
            let wanted = word.replace(['-', '－', '‐', ' '], "_");
            let exact = names
                .iter()
                .flat_map(|(ja, en)| [*ja, *en])
                .find(|n| n.eq_ignore_ascii_case(&wanted) || n.replace('_', "").eq_ignore_ascii_case(&wanted.replace('_', "")));
            let help = match exact {
                Some(n) => format!("「{n}」のことですか？ 値の名前に「-」は使えません"),
                None => match did_you_mean_value(word, names.iter().flat_map(|(ja, en)| [*ja, *en])) {
                    Some(h) => format!("{h} 値の名前に「-」や記号は使えません"),
                    None => "値の名前に「-」や記号は使えません。名前や説明なら二重引用符で囲んでください（\"…\"）".to_string(),
                },
            };
            return Diagnostic::error(
                "model::unknown-value",
                format!("「{word}」は値として読めません（「-」などの記号を含んでいます）"),
            )
            .at(Some(range), "この値")
            .help(help);
        }
        E::ExpectedIdentifier => (
            "model::syntax",
            "ここには項目名が必要です".into(),
            "ここ".into(),
            Some("カンマが二つ続いていないか、全角の文字（スペース・括弧・引用符）が混じっていないか確認してください".into()),
        ),
        E::InvalidEscape(_) => (
            "model::syntax",
            "文字列の中の「\\」の書き方が読めません".into(),
            "ここ".into(),
            Some("「\\」そのものを書くときは「\\\\」と二つ重ねてください".into()),
        ),
        E::UnclosedBlockComment => (
            "model::syntax",
            "コメント /* … */ が閉じていません".into(),
            "ここから".into(),
            Some("コメントの終わりに */ を書いてください".into()),
        ),
        E::NoSuchExtension(x) => (
            "model::syntax",
            format!("#![enable(…)] の「{x}」という拡張はありません"),
            "ここ".into(),
            Some("#![enable(implicit_some)] の行は消しても読めます".into()),
        ),
        E::ExpectedFloat | E::FloatUnderscore | E::UnderscoreAtBeginning => (
            "model::type",
            "ここには数が必要です".into(),
            "数ではありません".into(),
            None,
        ),
        E::Message(m) if m.contains("untagged enum OneOrMany") => {
            if let Some(d) = unknown_via(source, range.start) {
                return d;
            }
            (
                "model::type",
                "via には経路を一つ（via: FAX）かリスト（via: [電話, FAX]）で書いてください".into(),
                "この値".into(),
                Some(format!("使える値: {}", via_values())),
            )
        }
        E::Message(m) if m.contains("untagged enum RawStepNo") => (
            "model::bad-step-no",
            "流れの番号は数（no: 3）か、資料の書き方の文字列（no: \"1-1\"）で書いてください".into(),
            "この番号".into(),
            None,
        ),
        // ron's own words are English and name its internals; say where, and how to find the cause.
        _ => (
            "model::syntax",
            "ここは RON として読めません".into(),
            "ここ".into(),
            Some("括弧・引用符・カンマの対応と、全角の記号が混じっていないかを確認してください（書き方は docs/model-language.md）".into()),
        ),
    };
    // An IME often leaves full-width brackets, quotes or colons; say so plainly.
    let help = match source
        .text
        .get(range.start..)
        .and_then(|s| s.chars().next())
    {
        Some(c @ ('（' | '）' | '［' | '］' | '｛' | '｝' | '：' | '，' | '“' | '”' | '　')) => {
            Some(format!(
                "全角の「{c}」が使われています。半角に直してください"
            ))
        }
        _ => help,
    };
    Diagnostic::error(code, message)
        .at(Some(range), label)
        .help_opt(help)
}

/// serde's English name of a kind of value (`a map`, `a string`…) in Japanese, when it is one a clerk meets.
fn kind_ja(serde: &str) -> Option<&'static str> {
    let s = serde.trim_start_matches("a ").trim_start_matches("an ");
    Some(match s {
        "string" | "str" | "string \"…\"" => "文字列（\"…\"）",
        "map" => "{ \"名前\": (…), … }",
        "sequence" | "list" | "array" => "リスト [ … ]",
        "boolean" | "bool" => "true か false",
        "unit" | "unit value" => "()",
        _ if s.starts_with("integer") || s.starts_with('u') && s[1..].parse::<u8>().is_ok() => {
            "整数"
        }
        _ if s.starts_with("float") || s.starts_with('f') && s[1..].parse::<u8>().is_ok() => "数",
        _ => return None,
    })
}

/// Every via value as 日本語（English）.
fn via_values() -> String {
    crate::model::Via::ALL
        .iter()
        .map(|v| format!("{}（{}）", v.ja(), v.en()))
        .collect::<Vec<_>>()
        .join("、")
}

/// serde reports a bad `via` value (one or a list) only as "no variant matched", at the end of the value. Finds
/// the value's words between the `via:` before `end` and `end`, and points at the first that is not a via.
fn unknown_via(source: &Source, end: usize) -> Option<Diagnostic> {
    let text = source.text.get(..end)?;
    let key = text.rfind("via")?;
    let colon = key + text[key..].find(':')?;
    let value = &text[colon + 1..];
    let mut at = colon + 1;
    for word in value.split(|c: char| c == '[' || c == ']' || c == ',' || c.is_whitespace()) {
        let start = at;
        at += word.len()
            + value[at - colon - 1 + word.len()..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        if word.is_empty() {
            continue;
        }
        if crate::model::Via::ALL
            .iter()
            .any(|v| v.ja() == word || v.en() == word)
        {
            continue;
        }
        let candidates: Vec<&str> = crate::model::Via::ALL
            .iter()
            .flat_map(|v| [v.ja(), v.en()])
            .collect();
        let help = match did_you_mean_value(word, candidates) {
            Some(h) => format!("{h} 使える値: {}", via_values()),
            None => format!("使える値: {}", via_values()),
        };
        return Some(
            Diagnostic::error(
                "model::unknown-value",
                format!("「{word}」は使えない値です（via）"),
            )
            .at(Some(start..start + word.len()), "この値")
            .help(help),
        );
    }
    None
}

fn next_char(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// Japanese name of a model struct, for messages like 「flows に〜」.
fn field_ja(outer: &str) -> &str {
    match outer {
        "Model" => "モデル",
        "RawParty" => "関係者（parties）",
        "RawSystem" => "システム（systems）",
        "RawFlow" => "流れ（flows）",
        "RawItem" => "情報項目（items）",
        "RawDeclared" => "別紙（declared）",
        "RawSubjects" => "対象者（subjects）",
        "RawAcceptance" => "受容（accepted）",
        "RawAssessment" => "評価（assessment）",
        "Role" => "role",
        "Segment" => "segment",
        "Hosting" => "hosting",
        "Via" => "via",
        "ItemKind" => "kind",
        "SystemKind" => "kind",
        "Basis" => "basis",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_hits_the_recursion_limit_with_a_pointed_error() {
        // A typed model stops at the first wrong bracket; untyped values would recurse, and the limit stops them.
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let source = Source::new("deep.ron", text);
        let err = parse::<ron::Value>(&source).err().map(|d| d.code);
        assert_eq!(err, Some("model::too-deep"));
    }

    #[test]
    fn empty_and_blank_files_are_model_empty() {
        for text in ["", "  \n\t\n"] {
            let err = parse::<ron::Value>(&Source::new("e.ron", text))
                .err()
                .map(|d| d.code);
            assert_eq!(err, Some("model::empty"));
        }
    }
}
