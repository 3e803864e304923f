//! しきい値判断: which 特定個人情報保護評価 the 特定個人情報保護評価指針 (第5の2 しきい値判断) requires, from the
//! model's 対象人数, 取扱者数 (委託先の従業者を含む) and 重大事故 within a period, compared with the assessment
//! the model says was done (`assessment.level`).
//!
//! The bands (指針 第5の2; 特定個人情報保護評価に関する規則 第4条〜第7条):
//!
//! | 対象人数 | 取扱者数500人以上 又は 重大事故あり | どちらもなし |
//! |---|---|---|
//! | 1,000人未満 | 義務付けなし（任意） | 義務付けなし（任意） |
//! | 1,000人以上1万人未満 | 基礎項目評価 | 基礎項目評価 |
//! | 1万人以上10万人未満 | 基礎項目評価及び重点項目評価 | 基礎項目評価 |
//! | 10万人以上30万人未満 | 基礎項目評価及び全項目評価 | 基礎項目評価及び重点項目評価 |
//! | 30万人以上 | 基礎項目評価及び全項目評価 | 基礎項目評価及び全項目評価 |
//!
//! An input the model does not give is reported as missing, never guessed; the result is still given when the
//! missing input cannot change it (1万人以上 with 重大事故あり needs no 取扱者数). The period for 重大事故 is an input:
//! the model states the period its answer covers (`assessment.incident_window_years`, the 熊谷市 form's
//! 「過去3年以内」), and `nagare pia --incident-years N` asks about another period.

use std::io::Write;

use serde::Serialize;

use crate::model::{AssessmentLevel, Model, Unstated};

/// Where the rule comes from, as the output cites it.
pub const GUIDELINE: &str = "特定個人情報保護評価指針 第5の2 しきい値判断";

/// A count as a half-open range: at least `lo`, and below `hi` when bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    pub lo: u64,
    pub hi: Option<u64>,
}

impl Count {
    fn exact(n: u64) -> Count {
        Count {
            lo: n,
            hi: Some(n + 1),
        }
    }

    /// Every value in the range is at least `n` (Some(true)), every one is below it (Some(false)), or it straddles.
    fn at_least(self, n: u64) -> Option<bool> {
        if self.lo >= n {
            Some(true)
        } else if self.hi.is_some_and(|hi| hi <= n) {
            Some(false)
        } else {
            None
        }
    }
}

/// Reads a count as committee papers write it: 「1万人以上10万人未満」「1,000人未満」「30万人以上」「500人以上」
/// 「120人」「900」（全角数字・「以下」「超」も可）. None if it is not one.
pub fn parse_count(text: &str) -> Option<Count> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | '、'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut rest = text.as_str();
    let mut lo: Option<u64> = None;
    let mut hi: Option<u64> = None;
    let mut bare: Option<u64> = None;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let mut n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        for (unit, factor) in [("万", 10_000), ("千", 1_000)] {
            if let Some(r) = rest.strip_prefix(unit) {
                n = n.checked_mul(factor)?;
                rest = r;
            }
        }
        rest = rest.strip_prefix('人').unwrap_or(rest);
        if let Some(r) = rest.strip_prefix("以上") {
            lo = Some(n);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("未満") {
            hi = Some(n);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("以下") {
            hi = Some(n + 1);
            rest = r;
        } else if let Some(r) = rest.strip_prefix('超') {
            lo = Some(n + 1);
            rest = r;
        } else if rest.is_empty() && lo.is_none() && hi.is_none() {
            bare = Some(n);
        } else {
            return None;
        }
    }
    let count = match (bare, lo, hi) {
        (Some(n), None, None) => Count::exact(n),
        (None, lo, hi) if lo.is_some() || hi.is_some() => Count {
            lo: lo.unwrap_or(0),
            hi,
        },
        _ => return None,
    };
    (count.hi.is_none_or(|hi| hi > count.lo)).then_some(count)
}

/// 対象人数 bands of the しきい値判断.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Under1k,
    From1kTo10k,
    From10kTo100k,
    From100kTo300k,
    From300k,
}

impl Band {
    const ALL: [Band; 5] = [
        Band::Under1k,
        Band::From1kTo10k,
        Band::From10kTo100k,
        Band::From100kTo300k,
        Band::From300k,
    ];

    pub fn ja(self) -> &'static str {
        match self {
            Band::Under1k => "1,000人未満",
            Band::From1kTo10k => "1,000人以上1万人未満",
            Band::From10kTo100k => "1万人以上10万人未満",
            Band::From100kTo300k => "10万人以上30万人未満",
            Band::From300k => "30万人以上",
        }
    }

    fn range(self) -> Count {
        let (lo, hi) = match self {
            Band::Under1k => (0, Some(1_000)),
            Band::From1kTo10k => (1_000, Some(10_000)),
            Band::From10kTo100k => (10_000, Some(100_000)),
            Band::From100kTo300k => (100_000, Some(300_000)),
            Band::From300k => (300_000, None),
        };
        Count { lo, hi }
    }

    /// The band a count falls wholly within, if one.
    pub fn of(count: Count) -> Option<Band> {
        Band::ALL.into_iter().find(|b| {
            let r = b.range();
            count.lo >= r.lo
                && match (count.hi, r.hi) {
                    (_, None) => true,
                    (Some(c), Some(b)) => c <= b,
                    (None, Some(_)) => false,
                }
        })
    }
}

/// The assessments the しきい値判断 requires (the 基礎項目評価書 V 1② しきい値判断結果).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Required {
    /// 特定個人情報保護評価の実施が義務付けられない（任意に実施できる）.
    None,
    Basic,
    BasicAndFocused,
    BasicAndFull,
}

impl Required {
    /// As the 評価書 words the result: 「基礎項目評価及び重点項目評価」.
    pub fn ja(self) -> &'static str {
        match self {
            Required::None => "特定個人情報保護評価の義務付けなし",
            Required::Basic => "基礎項目評価",
            Required::BasicAndFocused => "基礎項目評価及び重点項目評価",
            Required::BasicAndFull => "基礎項目評価及び全項目評価",
        }
    }

    /// What an assessment level, as declared, covers (重点項目評価 is done with a 基礎項目評価).
    fn of_level(level: AssessmentLevel) -> Required {
        match level {
            AssessmentLevel::Basic => Required::Basic,
            AssessmentLevel::Focused => Required::BasicAndFocused,
            AssessmentLevel::Full => Required::BasicAndFull,
        }
    }
}

/// How the declared assessment compares with the required one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The declared assessment is the required one.
    Matches,
    /// More than required was done (任意に重点項目評価・全項目評価を実施): allowed.
    Exceeds,
    /// Less than required was done.
    Short,
    /// An input is missing, so the requirement cannot be told.
    Undetermined,
    /// The model does not say which assessment was done (no `assessment`).
    NotDeclared,
}

impl Verdict {
    pub fn ja(self) -> &'static str {
        match self {
            Verdict::Matches => "一致",
            Verdict::Exceeds => "一致（義務付けを超える評価を任意に実施）",
            Verdict::Short => "不一致（義務付けられた評価に足りない）",
            Verdict::Undetermined => "判断できない（入力が足りない）",
            Verdict::NotDeclared => "比べられない（実施した評価がモデルにない）",
        }
    }

    /// The declared assessment satisfies the requirement.
    pub fn is_ok(self) -> bool {
        matches!(self, Verdict::Matches | Verdict::Exceeds)
    }
}

/// 対象人数 as the model gives it.
#[derive(Clone, Debug, Serialize)]
pub struct SubjectsInput {
    /// 個人の範囲 (subjects.label).
    pub label: Option<String>,
    /// The count or range as written, and the model field it came from.
    pub written: Option<String>,
    pub field: Option<&'static str>,
    pub band: Option<Band>,
    pub band_ja: Option<&'static str>,
}

/// 取扱者数 as the model gives it, with the form's other head counts for context.
#[derive(Clone, Debug, Serialize)]
pub struct HandlersInput {
    pub written: Option<String>,
    /// 500人以上: Some(true); 500人未満: Some(false); not given or not telling: None.
    pub at_least_500: Option<bool>,
    /// The paper does not state it (`assessment.unstated: [handlers]`).
    pub unstated: bool,
    /// 使用者数 (context only: the 取扱者数 of the しきい値判断 is not the same figure).
    pub users: Option<String>,
    /// 委託先における取扱者数 per 委託事項 (context only).
    pub contractor_handlers: Vec<String>,
}

/// 重大事故 as the model gives it, and the period asked about.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentInput {
    /// The model's answer (assessment.serious_incident).
    pub stated: Option<bool>,
    /// The period, in years, the model's answer covers (assessment.incident_window_years).
    pub stated_window_years: Option<u32>,
    /// The period the judgement asks about: `--incident-years`, else the model's.
    pub window_years: Option<u32>,
    /// A 重大事故 within `window_years`: Some(true)/Some(false), or None when it cannot be told.
    pub within_window: Option<bool>,
    pub unstated: bool,
}

/// An input the judgement needed and the model does not give.
#[derive(Clone, Debug, Serialize)]
pub struct Missing {
    /// `subjects`, `handlers`, `serious_incident`, `incident_window_years`, `assessment`.
    pub input: &'static str,
    /// What is missing, in Japanese, with the model field to write.
    pub message: String,
}

/// The しきい値判断 of one model.
#[derive(Clone, Debug, Serialize)]
pub struct Judgement {
    pub guideline: &'static str,
    pub subjects: SubjectsInput,
    pub handlers: HandlersInput,
    pub incident: IncidentInput,
    /// The rule applied, in Japanese, one line per step.
    pub rule: Vec<String>,
    pub required: Option<Required>,
    pub required_ja: Option<&'static str>,
    /// The assessment the model declares was done (assessment.level).
    pub declared: Option<AssessmentLevel>,
    pub declared_ja: Option<&'static str>,
    pub verdict: Verdict,
    pub verdict_ja: &'static str,
    /// Inputs the model does not give; only those that matter for the result are listed.
    pub missing: Vec<Missing>,
    /// The judgement is about 特定個人情報 but the model has no 個人番号 item.
    pub no_my_number_items: bool,
}

impl Judgement {
    /// One line for a report: 「基礎項目評価及び重点項目評価（一致）」.
    pub fn summary(&self) -> String {
        match self.required {
            Some(r) => format!("{}（{}）", r.ja(), self.verdict.ja()),
            None => self.verdict.ja().to_string(),
        }
    }
}

/// Judges the model. `window_years` is the period for 重大事故 (過去N年以内); None uses the model's own.
pub fn judge(model: &Model, window_years: Option<u32>) -> Judgement {
    let mut missing = Vec::new();
    let assessment = model.assessment.as_ref();

    // ① 対象人数
    let subjects = model.subjects.as_ref();
    let (written, field, count) = match subjects {
        Some(s) if s.count.is_some() => {
            let n = s.count.unwrap_or_default();
            (
                Some(format!("{n}人")),
                Some("subjects.count"),
                Some(Count::exact(n)),
            )
        }
        Some(s) if s.range.is_some() => {
            let r = s.range.clone().unwrap_or_default();
            let count = parse_count(&r);
            (Some(r), Some("subjects.range"), count)
        }
        _ => (None, None, None),
    };
    let band = count.and_then(Band::of);
    match (&written, count, band) {
        (None, _, _) => missing.push(Missing {
            input: "subjects",
            message: "対象人数がありません（subjects の count か range に、評価書の「対象人数」を書いてください）"
                .to_string(),
        }),
        (Some(w), None, _) => missing.push(Missing {
            input: "subjects",
            message: format!(
                "対象人数「{w}」を人数として読めません（例: range: \"1万人以上10万人未満\" または count: 12000）"
            ),
        }),
        (Some(w), Some(_), None) => missing.push(Missing {
            input: "subjects",
            message: format!(
                "対象人数「{w}」はしきい値（1,000人・1万人・10万人・30万人）をまたぐため区分が決まりません"
            ),
        }),
        _ => {}
    }
    let subjects_input = SubjectsInput {
        label: subjects.map(|s| s.label.clone()),
        written,
        field,
        band,
        band_ja: band.map(Band::ja),
    };

    // ② 取扱者数（委託先の従業者を含む）
    let handlers_written = assessment.and_then(|a| a.handlers.clone());
    let handlers_unstated = assessment.is_some_and(|a| a.stated.is_unstated(Unstated::Handlers));
    let handlers_count = handlers_written.as_deref().and_then(parse_count);
    let at_least_500 = handlers_count.and_then(|c| c.at_least(500));
    let handlers_missing = match (&handlers_written, handlers_count, at_least_500) {
        (None, _, _) if handlers_unstated => Some(
            "取扱者数（委託先の従業者を含む）は資料に記載がありません（assessment.unstated: [handlers]）。基礎項目評価書の「取扱者数」欄で確かめてください"
                .to_string(),
        ),
        (None, _, _) => Some(
            "取扱者数（委託先の従業者を含む）がありません（assessment.handlers に「500人以上」「500人未満」などと書くか、資料にないなら unstated: [handlers]）"
                .to_string(),
        ),
        (Some(w), None, _) => Some(format!(
            "取扱者数「{w}」を人数として読めません（例: \"500人未満\"）"
        )),
        (Some(w), Some(_), None) => Some(format!(
            "取扱者数「{w}」では500人以上かどうかが決まりません"
        )),
        _ => None,
    };
    let handlers_input = HandlersInput {
        written: handlers_written,
        at_least_500,
        unstated: handlers_unstated,
        users: assessment.and_then(|a| a.users.clone()),
        contractor_handlers: assessment
            .map(|a| a.contractor_handlers.clone())
            .unwrap_or_default(),
    };

    // ③ 重大事故（期間内）
    let stated = assessment.and_then(|a| a.serious_incident);
    let incident_unstated =
        assessment.is_some_and(|a| a.stated.is_unstated(Unstated::SeriousIncident));
    let stated_window = assessment.and_then(|a| a.incident_window_years);
    let window = window_years.or(stated_window);
    let within_window = match (stated, stated_window, window) {
        (Some(s), Some(sw), Some(w)) => {
            if s && sw <= w {
                // An incident within the shorter period is within the longer one.
                Some(true)
            } else if !s && sw >= w {
                // None in the longer period means none in the shorter one.
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    };
    let incident_missing = match (stated, stated_window, window) {
        (None, _, _) if incident_unstated => Some(
            "重大事故の発生の有無は資料に記載がありません（assessment.unstated: [serious_incident]）".to_string(),
        ),
        (None, _, _) => Some(
            "重大事故の発生の有無がありません（assessment.serious_incident: true / false）".to_string(),
        ),
        (Some(_), None, _) => Some(
            "重大事故の記載が過去何年以内についてのものかがありません（assessment.incident_window_years に評価書の期間を書いてください。例: 「過去3年以内」なら 3）"
                .to_string(),
        ),
        (Some(s), Some(sw), Some(w)) if within_window.is_none() => Some(if s {
            format!(
                "モデルの重大事故「発生あり」は過去{sw}年以内についての記載のため、過去{w}年以内に発生したかは分かりません"
            )
        } else {
            format!(
                "モデルの重大事故「発生なし」は過去{sw}年以内についての記載のため、過去{w}年以内に発生がなかったかは分かりません"
            )
        }),
        _ => None,
    };
    let incident_input = IncidentInput {
        stated,
        stated_window_years: stated_window,
        window_years: window,
        within_window,
        unstated: incident_unstated,
    };

    // The rule.
    let mut rule = Vec::new();
    let triggers = |rule: &mut Vec<String>,
                    missing: &mut Vec<Missing>,
                    with: Required,
                    without: Required|
     -> Option<Required> {
        rule.push(format!(
            "取扱者数が500人以上、又は重大事故の発生があれば{}、どちらもなければ{}",
            with.ja(),
            without.ja()
        ));
        let incident_text = window.map_or("重大事故".to_string(), |w| {
            format!("重大事故（過去{w}年以内）")
        });
        if at_least_500 == Some(true) {
            rule.push(format!("取扱者数が500人以上のため{}", with.ja()));
            Some(with)
        } else if within_window == Some(true) {
            rule.push(format!(
                "{incident_text}の発生ありのため、取扱者数によらず{}",
                with.ja()
            ));
            Some(with)
        } else if at_least_500 == Some(false) && within_window == Some(false) {
            rule.push(format!(
                "取扱者数が500人未満で、{incident_text}の発生なしのため{}",
                without.ja()
            ));
            Some(without)
        } else {
            if let Some(m) = &handlers_missing {
                if at_least_500.is_none() {
                    missing.push(Missing {
                        input: "handlers",
                        message: m.clone(),
                    });
                }
            }
            if let Some(m) = &incident_missing {
                missing.push(Missing {
                    input: if stated.is_some() && stated_window.is_none() {
                        "incident_window_years"
                    } else {
                        "serious_incident"
                    },
                    message: m.clone(),
                });
            }
            if missing.is_empty() && window.is_none() {
                missing.push(Missing {
                    input: "incident_window_years",
                    message: "重大事故を数える期間がありません（--incident-years か assessment.incident_window_years）"
                        .to_string(),
                });
            }
            rule.push(format!(
                "{}か{}かは、足りない入力が分かるまで決まりません",
                without.ja(),
                with.ja()
            ));
            None
        }
    };
    let required = match band {
        None => None,
        Some(b) => {
            rule.push(format!("対象人数が{}", b.ja()));
            match b {
                Band::Under1k => {
                    rule.push(
                        "特定個人情報保護評価の実施は義務付けられない（任意に実施できる）"
                            .to_string(),
                    );
                    Some(Required::None)
                }
                Band::From1kTo10k => {
                    rule.push("取扱者数・重大事故によらず基礎項目評価".to_string());
                    Some(Required::Basic)
                }
                Band::From10kTo100k => triggers(
                    &mut rule,
                    &mut missing,
                    Required::BasicAndFocused,
                    Required::Basic,
                ),
                Band::From100kTo300k => triggers(
                    &mut rule,
                    &mut missing,
                    Required::BasicAndFull,
                    Required::BasicAndFocused,
                ),
                Band::From300k => {
                    rule.push("取扱者数・重大事故によらず基礎項目評価及び全項目評価".to_string());
                    Some(Required::BasicAndFull)
                }
            }
        }
    };

    let declared = assessment.map(|a| a.level);
    if declared.is_none() {
        missing.push(Missing {
            input: "assessment",
            message: "実施した評価がありません（assessment.level: 基礎項目評価 / 重点項目評価 / 全項目評価）"
                .to_string(),
        });
    }
    let verdict = match (required, declared) {
        (None, _) => Verdict::Undetermined,
        (Some(_), None) => Verdict::NotDeclared,
        (Some(r), Some(level)) => {
            let done = Required::of_level(level);
            match done.cmp(&r) {
                std::cmp::Ordering::Equal => Verdict::Matches,
                std::cmp::Ordering::Greater => Verdict::Exceeds,
                std::cmp::Ordering::Less => Verdict::Short,
            }
        }
    };
    let no_my_number_items = !model
        .items
        .iter()
        .any(|i| i.kind == crate::model::ItemKind::MyNumber);
    Judgement {
        guideline: GUIDELINE,
        subjects: subjects_input,
        handlers: handlers_input,
        incident: incident_input,
        rule,
        required,
        required_ja: required.map(Required::ja),
        declared,
        declared_ja: declared.map(AssessmentLevel::ja),
        verdict,
        verdict_ja: verdict.ja(),
        missing,
        no_my_number_items,
    }
}

/// Writes the judgement as Japanese text for the committee.
pub fn write_text(
    model: &Model,
    file: &str,
    j: &Judgement,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let document = model
        .document
        .as_deref()
        .map(|d| format!("（{d}）"))
        .unwrap_or_default();
    writeln!(out, "■ しきい値判断: {}{document}  {file}", model.title)?;
    writeln!(out, "  根拠: {}", j.guideline)?;
    writeln!(out)?;
    writeln!(out, "入力")?;
    let subjects = match (&j.subjects.written, j.subjects.field) {
        (Some(w), Some(f)) => format!("{w}（{f}）"),
        _ => "記載なし".to_string(),
    };
    writeln!(out, "  対象人数: {subjects}")?;
    if let Some(label) = &j.subjects.label {
        writeln!(out, "    対象者: {label}")?;
    }
    let handlers = match (&j.handlers.written, j.handlers.unstated) {
        (Some(w), _) => format!("{w}（assessment.handlers）"),
        (None, true) => "資料に記載なし（assessment.unstated）".to_string(),
        (None, false) => "記載なし".to_string(),
    };
    writeln!(out, "  取扱者数（委託先の従業者を含む）: {handlers}")?;
    let mut context = Vec::new();
    if let Some(u) = &j.handlers.users {
        context.push(format!("使用者数 {u}"));
    }
    if !j.handlers.contractor_handlers.is_empty() {
        context.push(format!(
            "委託先における取扱者数 {}",
            j.handlers.contractor_handlers.join("・")
        ));
    }
    if !context.is_empty() {
        writeln!(
            out,
            "    参考（しきい値判断の取扱者数ではない）: {}",
            context.join("、")
        )?;
    }
    let period = j
        .incident
        .window_years
        .map(|w| format!("過去{w}年以内"))
        .unwrap_or_else(|| "期間の記載なし".to_string());
    let incident = match (
        j.incident.within_window,
        j.incident.stated,
        j.incident.unstated,
    ) {
        (Some(true), _, _) => "発生あり".to_string(),
        (Some(false), _, _) => "発生なし".to_string(),
        (None, Some(s), _) => format!(
            "分からない（モデルの記載は過去{}年以内について「{}」）",
            j.incident
                .stated_window_years
                .map_or("?".to_string(), |w| w.to_string()),
            if s { "発生あり" } else { "発生なし" }
        ),
        (None, None, true) => "資料に記載なし（assessment.unstated）".to_string(),
        (None, None, false) => "記載なし".to_string(),
    };
    let source = match (j.incident.window_years, j.incident.stated_window_years) {
        (Some(w), Some(sw)) if w == sw => "、期間は assessment.incident_window_years",
        (Some(_), _) => "、期間は --incident-years",
        _ => "",
    };
    let field = if j.incident.stated.is_some() {
        format!("（assessment.serious_incident{source}）")
    } else {
        String::new()
    };
    writeln!(out, "  重大事故（{period}）: {incident}{field}")?;
    writeln!(out)?;
    writeln!(out, "適用した基準")?;
    if j.rule.is_empty() {
        writeln!(
            out,
            "  対象人数の区分が決まらないため、基準を当てはめられません"
        )?;
    }
    for line in &j.rule {
        writeln!(out, "  {line}")?;
    }
    writeln!(out)?;
    writeln!(out, "結果")?;
    writeln!(
        out,
        "  義務付けられる評価: {}",
        j.required_ja.unwrap_or("判断できない")
    )?;
    let declared = j.declared.map_or("記載なし".to_string(), |l| {
        format!("{}（{}）", l.ja(), Required::of_level(l).ja())
    });
    writeln!(out, "  実施した評価（assessment.level）: {declared}")?;
    writeln!(out, "  判定: {}", j.verdict.ja())?;
    if !j.missing.is_empty() {
        writeln!(out)?;
        writeln!(out, "足りない入力")?;
        for m in &j.missing {
            writeln!(out, "  - {}", m.message)?;
        }
    }
    if j.no_my_number_items {
        writeln!(out)?;
        writeln!(
            out,
            "注意: モデルに個人番号（kind: 個人番号）の情報項目がありません。しきい値判断は特定個人情報ファイルを取り扱う事務についてのものです"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controls::Catalogue;
    use crate::diag::Source;

    fn model(subjects: &str, assessment: &str) -> Model {
        let text = format!(
            r#"#![enable(implicit_some)]
Model(
    title: "しきい値判断の試験",
    subjects: {subjects},
    assessment: {assessment},
    items: {{ "個人番号": (kind: 個人番号) }},
    parties: {{ "市": (role: 実施機関) }},
)"#
        );
        let catalogue = Catalogue::builtin()
            .map_err(|(_, d)| d.message)
            .expect("catalogue");
        let loaded = crate::model::load_source(Source::new("t.ron", text), &catalogue);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        loaded.model.expect("model")
    }

    fn required(count: u64, handlers: &str, incident: bool) -> Option<Required> {
        let m = model(
            &format!(r#"(label: "対象者", count: {count})"#),
            &format!(
                r#"(level: 基礎項目評価, handlers: "{handlers}", serious_incident: {incident}, incident_window_years: 1)"#
            ),
        );
        judge(&m, None).required
    }

    #[test]
    fn reads_counts_as_papers_write_them() {
        let c = |lo, hi| Some(Count { lo, hi });
        assert_eq!(parse_count("1万人以上10万人未満"), c(10_000, Some(100_000)));
        assert_eq!(parse_count("1,000人未満"), c(0, Some(1_000)));
        assert_eq!(parse_count("1,000人以上1万人未満"), c(1_000, Some(10_000)));
        assert_eq!(parse_count("30万人以上"), c(300_000, None));
        assert_eq!(parse_count("500人以上"), c(500, None));
        assert_eq!(parse_count("500人未満"), c(0, Some(500)));
        assert_eq!(parse_count("10人以上50人未満"), c(10, Some(50)));
        assert_eq!(
            parse_count("１万人以上１０万人未満"),
            c(10_000, Some(100_000))
        );
        assert_eq!(parse_count("120人"), c(120, Some(121)));
        assert_eq!(parse_count("900"), c(900, Some(901)));
        assert_eq!(parse_count("499人以下"), c(0, Some(500)));
        assert_eq!(parse_count("多数"), None);
        assert_eq!(parse_count("10万人以上1万人未満"), None);
        assert_eq!(parse_count(""), None);
    }

    #[test]
    fn bands() {
        let band = |t: &str| parse_count(t).and_then(Band::of);
        assert_eq!(band("999人"), Some(Band::Under1k));
        assert_eq!(band("1,000人"), Some(Band::From1kTo10k));
        assert_eq!(band("1万人以上10万人未満"), Some(Band::From10kTo100k));
        assert_eq!(band("100000"), Some(Band::From100kTo300k));
        assert_eq!(band("30万人以上"), Some(Band::From300k));
        // A range across a threshold has no band.
        assert_eq!(band("5,000人以上5万人未満"), None);
    }

    #[test]
    fn each_band_without_triggers() {
        assert_eq!(required(999, "500人未満", false), Some(Required::None));
        assert_eq!(required(1_000, "500人未満", false), Some(Required::Basic));
        assert_eq!(required(9_999, "500人未満", false), Some(Required::Basic));
        assert_eq!(required(10_000, "500人未満", false), Some(Required::Basic));
        assert_eq!(required(99_999, "500人未満", false), Some(Required::Basic));
        assert_eq!(
            required(100_000, "500人未満", false),
            Some(Required::BasicAndFocused)
        );
        assert_eq!(
            required(299_999, "500人未満", false),
            Some(Required::BasicAndFocused)
        );
        assert_eq!(
            required(300_000, "500人未満", false),
            Some(Required::BasicAndFull)
        );
    }

    #[test]
    fn each_trigger_raises_the_middle_bands_only() {
        for (handlers, incident) in [
            ("500人以上", false),
            ("500人未満", true),
            ("500人以上", true),
        ] {
            assert_eq!(required(999, handlers, incident), Some(Required::None));
            assert_eq!(required(5_000, handlers, incident), Some(Required::Basic));
            assert_eq!(
                required(50_000, handlers, incident),
                Some(Required::BasicAndFocused)
            );
            assert_eq!(
                required(200_000, handlers, incident),
                Some(Required::BasicAndFull)
            );
            assert_eq!(
                required(500_000, handlers, incident),
                Some(Required::BasicAndFull)
            );
        }
        // Exactly 500 is 500人以上.
        assert_eq!(
            required(50_000, "500人", false),
            Some(Required::BasicAndFocused)
        );
        assert_eq!(required(50_000, "499人", false), Some(Required::Basic));
    }

    #[test]
    fn compares_with_the_declared_level() {
        let judged = |level: &str| {
            let m = model(
                r#"(label: "対象者", count: 50000)"#,
                &format!(
                    r#"(level: {level}, handlers: "500人未満", serious_incident: true, incident_window_years: 1)"#
                ),
            );
            judge(&m, None).verdict
        };
        assert_eq!(judged("基礎項目評価"), Verdict::Short);
        assert_eq!(judged("重点項目評価"), Verdict::Matches);
        assert_eq!(judged("全項目評価"), Verdict::Exceeds);
    }

    #[test]
    fn a_missing_input_is_named_not_guessed() {
        // No 取扱者数, no 重大事故: the 1万〜10万 band cannot be decided.
        let m = model(
            r#"(label: "対象者", range: "1万人以上10万人未満")"#,
            "(level: 基礎項目評価)",
        );
        let j = judge(&m, Some(1));
        assert_eq!(j.required, None);
        assert_eq!(j.verdict, Verdict::Undetermined);
        let inputs: Vec<&str> = j.missing.iter().map(|m| m.input).collect();
        assert_eq!(inputs, ["handlers", "serious_incident"]);
        // The same inputs do not matter in the 1,000〜1万 band.
        let m = model(r#"(label: "対象者", count: 5000)"#, "(level: 基礎項目評価)");
        let j = judge(&m, None);
        assert_eq!(j.required, Some(Required::Basic));
        assert_eq!(j.verdict, Verdict::Matches);
        assert!(j.missing.is_empty(), "{:?}", j.missing);
        // 取扱者数 unstated, but 重大事故 decides it.
        let m = model(
            r#"(label: "対象者", range: "1万人以上10万人未満")"#,
            "(level: 重点項目評価, unstated: [handlers], serious_incident: true, incident_window_years: 3)",
        );
        let j = judge(&m, None);
        assert_eq!(j.required, Some(Required::BasicAndFocused));
        assert!(j.handlers.unstated);
        assert!(j.missing.is_empty());
    }

    #[test]
    fn the_incident_period_is_an_input() {
        let m = |incident: bool| {
            model(
                r#"(label: "対象者", count: 50000)"#,
                &format!(
                    r#"(level: 重点項目評価, handlers: "500人未満", serious_incident: {incident}, incident_window_years: 3)"#
                ),
            )
        };
        // 「過去3年以内に発生あり」 says nothing about the last year …
        let j = judge(&m(true), Some(1));
        assert_eq!(j.incident.within_window, None);
        assert_eq!(j.required, None);
        assert_eq!(j.missing[0].input, "serious_incident");
        // … but does about the last 3 or 5 years.
        assert_eq!(
            judge(&m(true), None).required,
            Some(Required::BasicAndFocused)
        );
        assert_eq!(
            judge(&m(true), Some(5)).required,
            Some(Required::BasicAndFocused)
        );
        // 「過去3年以内に発生なし」 covers the last year, not the last 5.
        assert_eq!(judge(&m(false), Some(1)).required, Some(Required::Basic));
        assert_eq!(judge(&m(false), Some(5)).required, None);
        // Without the model's period, the answer cannot be placed.
        let no_period = model(
            r#"(label: "対象者", count: 50000)"#,
            r#"(level: 重点項目評価, handlers: "500人未満", serious_incident: true)"#,
        );
        let j = judge(&no_period, Some(3));
        assert_eq!(j.required, None);
        assert_eq!(j.missing[0].input, "incident_window_years");
    }

    #[test]
    fn no_subjects_or_assessment() {
        let text = r#"Model(title: "t", parties: { "市": (role: 実施機関) })"#;
        let catalogue = Catalogue::builtin()
            .map_err(|(_, d)| d.message)
            .expect("catalogue");
        let loaded = crate::model::load_source(Source::new("t.ron", text.to_string()), &catalogue);
        let j = judge(loaded.model.as_ref().expect("model"), None);
        assert_eq!(j.verdict, Verdict::Undetermined);
        let inputs: Vec<&str> = j.missing.iter().map(|m| m.input).collect();
        assert_eq!(inputs, ["subjects", "assessment"]);
        assert!(j.no_my_number_items);
    }
}
