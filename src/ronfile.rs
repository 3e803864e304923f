//! Parsing RON text into typed values, turning ron's errors into pointed Japanese diagnostics.

use serde::de::DeserializeOwned;

use crate::diag::{did_you_mean, did_you_mean_value, Diagnostic, Source};
use crate::model::enums::all_names;

/// Upper bound on a model or rule file; beyond it we refuse rather than exhaust memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

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
    let bytes = std::fs::read(path).map_err(|e| {
        (
            empty(),
            Diagnostic::error("io::read", format!("ファイルを読めません: {}", io_ja(&e))),
        )
    })?;
    match String::from_utf8(bytes) {
        // Windows editors often save UTF-8 with a byte-order mark; it marks the encoding and is not text.
        Ok(text) => Ok(Source::new(
            name,
            match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            },
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
        std::io::ErrorKind::NotFound => "見つかりません".to_string(),
        std::io::ErrorKind::PermissionDenied => "読み取り権限がありません".to_string(),
        _ => e.to_string(),
    }
}

/// Parses `source` as a `T`, keeping ron's recursion limit on (deeply nested input is an error, not a crash).
pub fn parse<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if source.text.trim().is_empty() {
        return Err(Diagnostic::error("model::empty", "ファイルが空です")
            .help("`Model(title: \"…\", …)` の形で書いてください（docs/model-language.md）"));
    }
    // implicit_some is on by default, so `party: "区"` works with or without the `#![enable(implicit_some)]` line.
    let options = ron::Options::default()
        .with_recursion_limit(128)
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    options
        .from_str::<T>(&source.text)
        .map_err(|e| from_ron(source, &e))
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
            format!("値の種類が違います（{found} ではなく {expected} が必要）"),
            "この値".into(),
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
        other => ("model::syntax", format!("RON として読めません: {other}"), "ここ".into(), None),
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
