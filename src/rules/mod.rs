//! Rules as data: packs in `rules/*.ron` combine named predicates (written in Rust) with all/any/not.

pub mod engine;
pub mod predicates;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Source};

/// The rule packs shipped in the binary, so `nagare check` works from any directory.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "rules/transport.ron",
        include_str!("../../rules/transport.ron"),
    ),
    (
        "rules/segments.ron",
        include_str!("../../rules/segments.ron"),
    ),
    (
        "rules/declared.ron",
        include_str!("../../rules/declared.ron"),
    ),
    (
        "rules/outsourcing.ron",
        include_str!("../../rules/outsourcing.ron"),
    ),
    ("rules/hosting.ron", include_str!("../../rules/hosting.ron")),
    (
        "rules/mynumber.ron",
        include_str!("../../rules/mynumber.ron"),
    ),
    ("rules/hygiene.ron", include_str!("../../rules/hygiene.ron")),
    (
        "rules/acceptance.ron",
        include_str!("../../rules/acceptance.ron"),
    ),
];

/// Codes no longer in use, with where their question went. A code is never reused (the catalogue refuses it).
pub const RETIRED: &[(&str, &str)] = &[
    ("TR005", "TR003 に統合（受渡簿と施錠ケースを一件で問う）"),
    (
        "DC004",
        "DC001・DC002 と同じ問い（別紙にない相手は DC001、別紙の項目外は DC002）",
    ),
    (
        "HS004",
        "HS003 に統合（認証・アクセス制御・ログを一件で問う）",
    ),
    (
        "HS005",
        "HS003 に統合（認証・アクセス制御・ログを一件で問う）",
    ),
];

/// How serious a finding is. Ordered from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Severity {
    #[serde(rename = "情報", alias = "Info", alias = "info")]
    Info,
    #[serde(rename = "低", alias = "Low", alias = "low")]
    Low,
    #[serde(rename = "中", alias = "Medium", alias = "medium")]
    Medium,
    #[serde(rename = "高", alias = "High", alias = "high")]
    High,
    #[serde(rename = "重大", alias = "Critical", alias = "critical")]
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn ja(self) -> &'static str {
        match self {
            Severity::Critical => "重大",
            Severity::High => "高",
            Severity::Medium => "中",
            Severity::Low => "低",
            Severity::Info => "情報",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// Parses 重大/高/中/低/情報 or critical/high/medium/low/info (for `--fail-on`).
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|s| s.ja() == text || s.en().eq_ignore_ascii_case(text))
    }
}

/// What a rule looks at: each subject of this kind is checked once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum SubjectKind {
    #[serde(rename = "流れ", alias = "Flow")]
    Flow,
    #[serde(rename = "システム", alias = "System")]
    System,
    #[serde(rename = "関係者", alias = "Party")]
    Party,
    #[serde(rename = "相手方", alias = "Declared")]
    Declared,
    #[serde(rename = "情報項目", alias = "Item")]
    Item,
    #[serde(rename = "受容", alias = "Acceptance")]
    Acceptance,
}

impl SubjectKind {
    pub fn ja(self) -> &'static str {
        match self {
            SubjectKind::Flow => "流れ",
            SubjectKind::System => "システム",
            SubjectKind::Party => "関係者",
            SubjectKind::Declared => "相手方",
            SubjectKind::Item => "情報項目",
            SubjectKind::Acceptance => "受容",
        }
    }
}

/// A condition over one subject: predicates combined with all / any / not.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// A predicate from the table, `"name"` or `"name:argument"`.
    Is(String),
}

impl Cond {
    /// The condition as written in a pack: `all(via:インターネット, not(control:encryption))`.
    pub fn describe(&self) -> String {
        let list = |cs: &[Cond]| cs.iter().map(Cond::describe).collect::<Vec<_>>().join(", ");
        match self {
            Cond::All(cs) => format!("all({})", list(cs)),
            Cond::Any(cs) => format!("any({})", list(cs)),
            Cond::Not(c) => format!("not({})", c.describe()),
            Cond::Is(p) => p.clone(),
        }
    }
}

/// One rule and its documentation.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable code, never reused (TR001).
    pub code: String,
    /// Short English slug (internet-unencrypted).
    pub name: String,
    /// Japanese title.
    pub title: String,
    pub severity: Severity,
    pub on: SubjectKind,
    pub when: Cond,
    /// The finding's message, with {placeholders} filled from the subject and evidence.
    pub message: String,
    /// What triggers it, in words.
    pub checks: String,
    /// Why it matters.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    /// Where the obligation comes from.
    pub source: String,
    /// Known false positives.
    pub false_positives: String,
    /// Raise the severity when a further condition holds (the same gap on 個人番号, say); the highest applies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalate: Vec<Escalation>,
    /// Report every subject that holds as one finding for the model (`CODE@model`), with this message:
    /// `{list}` is the subjects' names and `{count}` their number. For completeness questions asked once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub once: Option<String>,
}

/// A higher severity for a rule's finding when `when` also holds.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    pub when: Cond,
    pub severity: Severity,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "RulePack", deny_unknown_fields)]
struct RawPack {
    #[allow(dead_code)]
    name: String,
    rules: Vec<Rule>,
}

/// All rules in force, sorted by code.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub rules: Vec<Rule>,
}

/// A problem in a rule pack, with the pack's source for quoting.
pub type PackError = (Source, Diagnostic);

impl Catalogue {
    /// The built-in packs plus every `*.ron` in `extra` (except controls.ron), checked for unique codes and valid predicates.
    pub fn load(extra: Option<&Path>) -> Result<Catalogue, Vec<PackError>> {
        let mut sources: Vec<Source> = BUILTIN_PACKS
            .iter()
            .map(|(name, text)| Source::new(*name, *text))
            .collect();
        if let Some(dir) = extra {
            sources.extend(read_dir_packs(dir)?);
        }
        let mut catalogue = Catalogue::default();
        let mut errors = Vec::new();
        let mut origin: Vec<(String, usize)> = Vec::new();
        for (s, source) in sources.iter().enumerate() {
            let pack: RawPack = match crate::ronfile::parse(source) {
                Ok(p) => p,
                Err(d) => {
                    errors.push((source.clone(), d));
                    continue;
                }
            };
            for rule in pack.rules {
                let at = find_quoted(source, &rule.code);
                if let Some((_, why)) = RETIRED.iter().find(|(code, _)| *code == rule.code) {
                    errors.push((
                        source.clone(),
                        Diagnostic::error(
                            "rule::duplicate-code",
                            format!(
                                "ルールコード {} は廃止済みで再利用できません（{why}）",
                                rule.code
                            ),
                        )
                        .at(at.clone(), "廃止済みのコード")
                        .help("新しい番号を付けてください"),
                    ));
                    continue;
                }
                if let Some((_, first)) = origin.iter().find(|(code, _)| *code == rule.code) {
                    errors.push((
                        source.clone(),
                        Diagnostic::error(
                            "rule::duplicate-code",
                            format!(
                                "ルールコード {} は {} でも使われています",
                                rule.code, sources[*first].name
                            ),
                        )
                        .at(at.clone(), "二度目")
                        .help("コードは再利用せず、新しい番号を付けてください"),
                    ));
                    continue;
                }
                for missing in rule.missing_docs() {
                    errors.push((
                        source.clone(),
                        Diagnostic::error(
                            "rule::missing-doc",
                            format!("ルール {} の {missing} が空です", rule.code),
                        )
                        .at(at.clone(), "このルール"),
                    ));
                }
                let checked = std::iter::once(&rule.when)
                    .chain(rule.escalate.iter().map(|e| &e.when))
                    .try_for_each(|c| predicates::check_cond(c, rule.on, source));
                if let Err(d) = checked {
                    errors.push((source.clone(), d));
                    continue;
                }
                origin.push((rule.code.clone(), s));
                catalogue.rules.push(rule);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        catalogue.rules.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(catalogue)
    }

    pub fn get(&self, code: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
    }
}

impl Catalogue {
    /// The whole catalogue as a Markdown reference (docs/rules.md is this, checked by a test).
    pub fn to_markdown(&self) -> String {
        let mut out = String::from(
            "# ルールの一覧 (rule catalogue)\n\n\
             Generated from `rules/*.ron` (`NAGARE_UPDATE_DOCS=1 cargo test --test rules` rewrites it; a test fails \
             when it is out of date). `nagare explain CODE` prints one rule.\n\n\
             | code | 重大度 | 対象 | 問い |\n|---|---|---|---|\n",
        );
        for r in &self.rules {
            out.push_str(&format!(
                "| [{code}](#{lower}) | {sev} | {on} | {title} |\n",
                code = r.code,
                lower = r.code.to_lowercase(),
                sev = r.severity.ja(),
                on = r.on.ja(),
                title = r.title
            ));
        }
        out.push_str("\n廃止したコード（再利用しない）:\n\n");
        for (code, why) in RETIRED {
            out.push_str(&format!("- {code}: {why}\n"));
        }
        for r in &self.rules {
            out.push_str(&format!(
                "\n## {code}\n\n**{title}**（`{name}`） 重大度: {sev}　対象: {on}\n\n",
                code = r.code,
                title = r.title,
                name = r.name,
                sev = r.severity.ja(),
                on = r.on.ja()
            ));
            for (heading, text) in r.doc_sections() {
                out.push_str(&format!("- **{heading}**: {text}\n"));
            }
            out.push_str(&format!("- **条件（述語）**: `{}`\n", r.when.describe()));
            for e in &r.escalate {
                out.push_str(&format!(
                    "- **{}に上げる条件**: `{}`\n",
                    e.severity.ja(),
                    e.when.describe()
                ));
            }
            if let Some(once) = &r.once {
                out.push_str(&format!(
                    "- **まとめ方**: モデル全体で一件（`{}@model`）: {once}\n",
                    r.code
                ));
            }
        }
        out
    }
}

impl Rule {
    /// The documentation in reading order, with the Japanese headings `explain` and docs/rules.md use.
    pub fn doc_sections(&self) -> [(&'static str, &str); 5] {
        [
            ("検出する条件", &self.checks),
            ("なぜ問題か", &self.why),
            ("対応", &self.fix),
            ("根拠", &self.source),
            ("誤検出の可能性", &self.false_positives),
        ]
    }

    /// Names of documentation fields left empty.
    pub fn missing_docs(&self) -> Vec<&'static str> {
        [
            ("name", &self.name),
            ("title", &self.title),
            ("message", &self.message),
            ("checks", &self.checks),
            ("why", &self.why),
            ("fix", &self.fix),
            ("source", &self.source),
            ("false_positives", &self.false_positives),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(k, _)| k)
        .collect()
    }
}

fn read_dir_packs(dir: &Path) -> Result<Vec<Source>, Vec<PackError>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![(
            Source::new(dir.display().to_string(), String::new()),
            Diagnostic::error(
                "io::read",
                format!(
                    "ルールのフォルダを読めません: {}",
                    crate::outfile::io_ja(&e)
                ),
            ),
        )]
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "ron")
                && p.file_name().is_some_and(|n| n != "controls.ron")
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match crate::ronfile::read_source(&path) {
            Ok(s) => out.push(s),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Range of `"needle"` in a source, for pointing at a rule field.
pub(crate) fn find_quoted(source: &Source, needle: &str) -> Option<std::ops::Range<usize>> {
    let quoted = format!("\"{needle}\"");
    source.text.find(&quoted).map(|s| s..s + quoted.len())
}
