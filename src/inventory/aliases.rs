//! The alias table (`aliases.ron`): the names papers use for one system, party or item, mapped to one canonical
//! name per body, with pointed Japanese diagnostics for names no paper uses.

use std::collections::BTreeMap;
use std::ops::Range;

use indexmap::IndexMap;
use serde::Deserialize;

use super::{normalize, Paper};
use crate::diag::{did_you_mean, Diagnostic, Source};

#[derive(Deserialize)]
#[serde(rename = "Aliases", deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    bodies: IndexMap<String, RawBody>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBody {
    #[serde(default)]
    systems: IndexMap<String, Vec<String>>,
    #[serde(default)]
    parties: IndexMap<String, Vec<String>>,
    #[serde(default)]
    items: IndexMap<String, Vec<String>>,
}

/// What an alias names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    System,
    Party,
    Item,
}

impl Kind {
    fn ja(self) -> &'static str {
        match self {
            Kind::System => "システム",
            Kind::Party => "関係者",
            Kind::Item => "情報項目",
        }
    }
}

/// One written alias: `"区イントラPC"` (every paper of the body) or `"iheat-jp.ron:区イントラPC"` (one paper).
#[derive(Debug, Clone)]
struct Entry {
    body: String,
    kind: Kind,
    paper: Option<String>,
    written: String,
    canonical: String,
    span: Option<Range<usize>>,
}

/// The alias table; empty when the folder has none.
#[derive(Debug, Default)]
pub struct Aliases {
    entries: Vec<Entry>,
    /// (body, kind, paper file or "", normalized written name) → canonical name.
    map: BTreeMap<(String, Kind, String, String), String>,
    body_spans: Vec<(String, Option<Range<usize>>)>,
}

/// The place of the first `"text"` at or after `from`.
fn quoted(source: &str, text: &str, from: usize) -> Option<Range<usize>> {
    let needle = format!("\"{text}\"");
    let start = from + source.get(from..)?.find(&needle)?;
    Some(start..start + needle.len())
}

impl Aliases {
    /// Reads an alias table; syntax errors are diagnostics pointing at the place.
    pub fn parse(source: &Source) -> Result<Aliases, Vec<Diagnostic>> {
        let raw: Raw = crate::ronfile::parse_all(source)?;
        let mut out = Aliases::default();
        let mut errors = Vec::new();
        let mut cursor = 0;
        for (body, table) in raw.bodies {
            let body_span = quoted(&source.text, &body, cursor);
            if let Some(s) = &body_span {
                cursor = s.end;
            }
            out.body_spans.push((body.clone(), body_span));
            for (kind, map) in [
                (Kind::System, table.systems),
                (Kind::Party, table.parties),
                (Kind::Item, table.items),
            ] {
                // Each section is searched from the body's key, so a name is found in its own body.
                let mut at = cursor;
                for (canonical, names) in map {
                    if let Some(s) = quoted(&source.text, &canonical, at) {
                        at = s.end;
                    }
                    for written in names {
                        let span = quoted(&source.text, &written, at);
                        if let Some(s) = &span {
                            at = s.end;
                        }
                        let (paper, name) = match written.split_once(".ron:") {
                            Some((file, name)) => (Some(format!("{file}.ron")), name.to_string()),
                            None => (None, written.clone()),
                        };
                        let key = (
                            body.clone(),
                            kind,
                            paper.clone().unwrap_or_default(),
                            normalize(&name),
                        );
                        if let Some(previous) = out.map.get(&key) {
                            if previous != &canonical {
                                let first = out
                                    .entries
                                    .iter()
                                    .find(|e| {
                                        e.body == body
                                            && e.kind == kind
                                            && e.paper == paper
                                            && normalize(&e.written) == key.3
                                    })
                                    .and_then(|e| e.span.clone());
                                let mut d = Diagnostic::error(
                                    "aliases::twice",
                                    format!(
                                        "{}「{}」が二つの名前（「{}」と「{}」）の別名になっています",
                                        kind.ja(),
                                        name,
                                        previous,
                                        canonical
                                    ),
                                )
                                .at(span.clone(), "二つ目");
                                if first.is_some() {
                                    d = d.also(first, "一つ目");
                                }
                                errors.push(d.help("どちらか一方に決めてください"));
                                continue;
                            }
                        }
                        out.map.insert(key, canonical.clone());
                        out.entries.push(Entry {
                            body: body.clone(),
                            kind,
                            paper,
                            written: name,
                            canonical: canonical.clone(),
                            span,
                        });
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The canonical name the table gives `written` in paper `file` of `body`, if it names it.
    pub fn lookup(&self, body: &str, file: &str, kind: Kind, written: &str) -> Option<String> {
        if self.map.is_empty() {
            return None;
        }
        let norm = normalize(written);
        let key = |paper: &str| (body.to_string(), kind, paper.to_string(), norm.clone());
        self.map
            .get(&key(file))
            .or_else(|| self.map.get(&key("")))
            .cloned()
    }

    /// The canonical name of `written` in paper `file` of `body`: the table's, else `written` itself.
    pub fn canonical(&self, body: &str, file: &str, kind: Kind, written: &str) -> String {
        self.lookup(body, file, kind, written)
            .unwrap_or_else(|| written.to_string())
    }

    /// Checks the table against the papers: every body, paper and name it mentions must exist.
    pub fn check(&self, papers: &[Paper]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let bodies: Vec<&str> = {
            let mut b: Vec<&str> = papers.iter().map(|p| p.body.as_str()).collect();
            b.sort_unstable();
            b.dedup();
            b
        };
        for (body, span) in &self.body_spans {
            if !bodies.contains(&body.as_str()) {
                out.push(
                    Diagnostic::error(
                        "aliases::unknown-body",
                        format!("団体「{body}」のモデルがこのフォルダにありません"),
                    )
                    .at(span.clone(), "この団体")
                    .help_opt(
                        did_you_mean(body, bodies.iter().copied()).or_else(|| {
                            Some(format!(
                                "団体はモデルの owner の最初の語です。このフォルダの団体: {}",
                                bodies.join("、")
                            ))
                        }),
                    ),
                );
            }
        }
        for e in &self.entries {
            if !bodies.contains(&e.body.as_str()) {
                continue;
            }
            let in_body: Vec<&Paper> = papers.iter().filter(|p| p.body == e.body).collect();
            let scope: Vec<&Paper> = match &e.paper {
                Some(file) => {
                    let found: Vec<&Paper> = in_body
                        .iter()
                        .copied()
                        .filter(|p| &p.file == file)
                        .collect();
                    if found.is_empty() {
                        let files: Vec<&str> = in_body.iter().map(|p| p.file.as_str()).collect();
                        out.push(
                            Diagnostic::error(
                                "aliases::unknown-paper",
                                format!("{}の資料に「{file}」はありません", e.body),
                            )
                            .at(e.span.clone(), "この資料")
                            .help_opt(
                                did_you_mean(file, files.iter().copied()).or_else(|| {
                                    Some(format!("{}の資料: {}", e.body, files.join("、")))
                                }),
                            ),
                        );
                        continue;
                    }
                    found
                }
                None => in_body,
            };
            let names: Vec<&str> = scope
                .iter()
                .flat_map(|p| -> Vec<&str> {
                    let m = &p.model;
                    match e.kind {
                        Kind::System => m.systems.iter().map(|s| s.name.as_str()).collect(),
                        Kind::Party => m.parties.iter().map(|s| s.name.as_str()).collect(),
                        Kind::Item => m.items.iter().map(|s| s.name.as_str()).collect(),
                    }
                })
                .collect();
            let norm = normalize(&e.written);
            if !names.iter().any(|n| normalize(n) == norm) {
                out.push(
                    Diagnostic::error(
                        "aliases::unknown-name",
                        format!(
                            "{}の資料に「{}」という{}はありません",
                            e.body,
                            e.written,
                            e.kind.ja()
                        ),
                    )
                    .at(e.span.clone(), "どの資料にもない名前")
                    .help_opt(did_you_mean(&e.written, names.iter().copied()).or_else(|| {
                        Some(format!(
                            "別名には資料（モデル）が使っている{}の名前を書きます（正規名「{}」は新しい名前でもかまいません）",
                            e.kind.ja(),
                            e.canonical
                        ))
                    })),
                );
            }
        }
        out
    }
}
