//! From RON text to a validated `Model`, collecting every problem at once with its place in the file.

use std::collections::hash_map::Entry;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
// Internal name maps only: none is ever iterated in an order that reaches output (the unknown-control tally is
// sorted by place), so a fast non-random hasher is safe; the model's names are the user's own file.
use rustc_hash::FxHashMap;

use super::raw::{Keyed, RawModel};
use super::spans::SpanIndex;
use super::*;
use crate::controls::Catalogue;
use crate::diag::{did_you_mean, Diagnostic, Source};

/// The result of loading one model file: the source (for quoting), the model if it is valid, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    pub source: Source,
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads and validates a model file.
pub fn load(path: &Path, catalogue: &Catalogue) -> Loaded {
    match crate::ronfile::read_source(path) {
        Ok(source) => load_source(source, catalogue),
        Err((source, diagnostic)) => Loaded {
            source,
            model: None,
            diagnostics: vec![diagnostic],
        },
    }
}

/// The load stage alone: parses model text into its serde mirror and drops it (benchmarks time it apart from
/// validation). Err holds the same diagnostics [`load_source`] would report.
pub fn parse_only(source: &Source) -> Result<(), Vec<Diagnostic>> {
    crate::ronfile::parse_all::<RawModel>(source).map(drop)
}

/// Validates model text already in memory.
pub fn load_source(source: Source, catalogue: &Catalogue) -> Loaded {
    let (raw, outline): (RawModel, _) =
        match crate::ronfile::parse_all_outlined(&source, super::spans::EAGER) {
            Ok(read) => read,
            Err(diagnostics) => {
                return Loaded {
                    source,
                    model: None,
                    diagnostics,
                }
            }
        };
    // The fast reader noted where the sections and entries are as it read them; only a text ron read (or one
    // the reader's notes cannot stand for) is walked a second time.
    let spans = outline
        .and_then(|outline| SpanIndex::from_outline(&source.text, &outline))
        .unwrap_or_else(|| SpanIndex::scan(&source.text));
    let mut v = Validator {
        spans: &spans,
        source_text: &source.text,
        catalogue,
        diagnostics: Vec::new(),
        resolved_controls: FxHashMap::default(),
        resolved_lists: FxHashMap::default(),
        suggested_items: FxHashMap::default(),
        unknown_controls: FxHashMap::default(),
        occurrences: 0,
    };
    let no_items = raw.items.is_empty();
    let model = v.model(raw);
    let Validator {
        mut diagnostics,
        unknown_controls,
        ..
    } = v;
    diagnostics.extend(undrawable_characters(&source.text));
    let diagnostics = collapse(
        in_file_order(diagnostics, unknown_controls, &spans),
        no_items,
    );
    let model = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        Some(model)
    };
    Loaded {
        source,
        model,
        diagnostics,
    }
}

/// At most this many further places are quoted under a diagnostic that stands for several.
const MAX_PLACES: usize = 8;

/// A diagnostic that stands for `count` places of one cause, counted as they were met: its own place is the
/// first in the file, `more` holds the next few (at most [`MAX_PLACES`]) in file order.
struct Counted {
    diagnostic: Diagnostic,
    more: Vec<Option<std::ops::Range<usize>>>,
    count: usize,
}

impl From<Diagnostic> for Counted {
    fn from(diagnostic: Diagnostic) -> Self {
        Counted {
            diagnostic,
            more: Vec::new(),
            count: 1,
        }
    }
}

/// Every diagnostic in file order (errors without a place last), the unknown control wordings among them as one
/// counted diagnostic each, at the place where the wording first occurs.
fn in_file_order(
    diagnostics: Vec<Diagnostic>,
    unknown_controls: FxHashMap<String, UnknownControl>,
    spans: &SpanIndex,
) -> Vec<Counted> {
    // Sort keys: (start, diagnostics pushed before, 0 for a counted place / 1 for a diagnostic, place number), so
    // that places at the same start keep the order they were met in, as a stable sort by start alone would.
    let mut keyed: Vec<((usize, usize, u8, usize), Counted)> = diagnostics
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let start = d.primary.as_ref().map_or(usize::MAX, |(r, _)| r.start);
            ((start, i, 1, 0), Counted::from(d))
        })
        .collect();
    for (name, tally) in unknown_controls {
        let mut places: Vec<(Option<std::ops::Range<usize>>, &Candidate)> = tally
            .candidates
            .iter()
            .map(|c| (spans.nearest(&c.path), c))
            .collect();
        places
            .sort_by_key(|(range, c)| (range.as_ref().map_or(usize::MAX, |r| r.start), c.ordinal));
        places.truncate(MAX_PLACES + 1);
        let mut places = places.into_iter();
        let Some((first, candidate)) = places.next() else {
            continue;
        };
        let key = (
            first.as_ref().map_or(usize::MAX, |r| r.start),
            candidate.before,
            0,
            candidate.ordinal,
        );
        let diagnostic = Diagnostic::warning(
            "control::unknown",
            format!("対策「{name}」は対策カタログにありません（判定には使われません）"),
        )
        .at(first, "この対策")
        .help(tally.help);
        let more = places.map(|(range, _)| range).collect();
        keyed.push((
            key,
            Counted {
                diagnostic,
                more,
                count: tally.count,
            },
        ));
    }
    keyed.sort_unstable_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, counted)| counted).collect()
}

/// One diagnostic per cause. Without `items` (and groups) every item named anywhere is unknown: one
/// diagnostic says so and lists the names. Otherwise diagnostics with the same code and message (the same
/// misspelt name in twelve flows) become one, at the first place, with the others listed under it.
fn collapse(diagnostics: Vec<Counted>, no_items: bool) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut by_cause: FxHashMap<(&'static str, String), (usize, usize)> = FxHashMap::default();
    let mut missing_items: Option<(usize, Vec<String>, usize)> = None;
    for Counted {
        diagnostic: d,
        more,
        count: repeats,
    } in diagnostics
    {
        if no_items && d.code == "model::unknown-item" {
            let name = d
                .message
                .strip_prefix("情報項目「")
                .and_then(|m| m.rsplit_once("」は items"))
                .map_or_else(String::new, |(n, _)| n.to_string());
            match &mut missing_items {
                None => {
                    missing_items = Some((out.len(), vec![name], 1));
                    out.push(
                        Diagnostic::error(
                            "model::unknown-item",
                            "items（情報項目の一覧）がありません",
                        )
                        .at(
                            d.primary.as_ref().map(|(r, _)| r.clone()),
                            "ここで情報項目を使っています",
                        ),
                    );
                }
                Some((at, names, count)) => {
                    *count += 1;
                    if !names.contains(&name) {
                        names.push(name);
                    }
                    if *count <= MAX_PLACES + 1 {
                        let place = d.primary.as_ref().map(|(r, _)| r.clone());
                        out[*at] = std::mem::replace(&mut out[*at], Diagnostic::error("", ""))
                            .also(place, "");
                    }
                }
            }
            continue;
        }
        // A counted diagnostic's places follow its own, in file order; places past the shown ones are only counted.
        let (at, count) = match by_cause.entry((d.code, d.message.clone())) {
            Entry::Occupied(entry) => {
                let (at, count) = entry.into_mut();
                *count += 1;
                if *count <= MAX_PLACES + 1 {
                    let place = d.primary.as_ref().map(|(r, _)| r.clone());
                    out[*at]
                        .secondary
                        .push((place.unwrap_or(0..0), String::new()));
                }
                (*at, count)
            }
            Entry::Vacant(entry) => {
                let (at, count) = entry.insert((out.len(), 1));
                out.push(d);
                (*at, count)
            }
        };
        let shown = more.len();
        for place in more {
            *count += 1;
            if *count <= MAX_PLACES + 1 {
                out[at]
                    .secondary
                    .push((place.unwrap_or(0..0), String::new()));
            }
        }
        *count += repeats.saturating_sub(1 + shown);
    }
    for ((_, _), (at, count)) in by_cause {
        if count > 1 {
            let d = &mut out[at];
            d.secondary.retain(|(r, _)| r.end > 0);
            if d.code == "model::duplicate-name" {
                d.message = d.message.replace(
                    "二度定義されています",
                    &format!("{} 回定義されています", count + 1),
                );
            } else {
                d.message.push_str(&format!("（{count} か所）"));
            }
            if count > MAX_PLACES + 1 {
                let more = format!("ほか {} か所は省略しました", count - MAX_PLACES - 1);
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h}（{more}）"),
                    None => more,
                });
            }
        }
    }
    if let Some((at, names, count)) = missing_items {
        let shown: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
        let rest = if names.len() > shown.len() {
            format!("ほか{}項目", names.len() - shown.len())
        } else {
            String::new()
        };
        let d = &mut out[at];
        d.message = format!(
            "items（情報項目の一覧）がないため、使われている情報項目 {} 件がどれも見つかりません（{count} か所）: {}{rest}",
            names.len(),
            shown.join("、")
        );
        d.help = Some(format!(
            "モデルに `items: {{ \"{}\": (), … }},` を書いてください（docs/model-language.md）",
            shown.first().copied().unwrap_or("氏名")
        ));
    }
    out
}

struct Validator<'a> {
    spans: &'a SpanIndex<'a>,
    source_text: &'a str,
    catalogue: &'a Catalogue,
    diagnostics: Vec<Diagnostic>,
    resolved_controls: FxHashMap<String, Option<Vec<String>>>,
    /// Each distinct written list of controls, resolved ([`Validator::controls`]).
    resolved_lists: FxHashMap<Vec<String>, ResolvedList>,
    /// Suggestions already computed for an unknown item name.
    suggested_items: FxHashMap<String, String>,
    /// Each control wording the catalogue does not know, with its places counted as they are met: a large model
    /// repeats a few such wordings tens of thousands of times, and only the first few places are ever shown.
    unknown_controls: FxHashMap<String, UnknownControl>,
    /// Places of unknown control wordings met so far (numbers them in the order met).
    occurrences: usize,
}

/// A written list of controls resolved against the catalogue; it does not depend on where the list is written.
struct ResolvedList {
    /// Catalogue ids stated or implied, shared by every element that writes this list.
    ids: Arc<BTreeSet<String>>,
    /// (the paper's wording, why the catalogue calls it weak).
    weak: Vec<(String, String)>,
    /// Positions in the list of wordings the catalogue does not know.
    unknown_at: Vec<usize>,
}

/// One unknown control wording: its help, how often it occurs, and the places that may be among the first
/// [`MAX_PLACES`] + 1 in the file.
struct UnknownControl {
    help: String,
    count: usize,
    candidates: Vec<Candidate>,
    /// A place whose element starts after this cannot be among the first shown (enough places start no later).
    threshold: usize,
}

/// A place of an unknown control wording that may be shown; its exact span is looked up only at the end.
struct Candidate {
    /// Where its element starts ([`SpanIndex::element_start`]), `usize::MAX` without one.
    element_start: usize,
    path: Vec<String>,
    /// Diagnostics pushed before this place was met, and its number among the places: the order it was met in.
    before: usize,
    ordinal: usize,
}

/// Section names as written in the file, for duplicate-key messages.
fn section_ja(section: &str) -> &str {
    match section {
        "items" => "情報項目",
        "groups" => "グループ",
        "parties" => "関係者",
        "systems" => "システム",
        "declared" => "別紙の相手方",
        "na" => "「－」の対策",
        _ => section,
    }
}

impl Validator<'_> {
    fn span(&self, path: &[&str]) -> Option<std::ops::Range<usize>> {
        self.spans.nearest(path)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Reports the keys of a map written twice (equal as the parser read them, escapes included) and names that are
    /// empty or only spaces.
    fn keys<V>(&mut self, map: &Keyed<V>, path: &[&str]) {
        let section = section_ja(path.last().copied().unwrap_or_default());
        for dup in &map.duplicates {
            let again = self.spans.key_at(path, dup.again);
            let first = self.spans.key_at(path, dup.first);
            let written = |r: &Option<std::ops::Range<usize>>| {
                r.as_ref()
                    .and_then(|r| self.source_text.get(r.clone()))
                    .unwrap_or_default()
                    .to_string()
            };
            let plain = format!("\"{}\"", dup.key);
            let (w_again, w_first) = (written(&again), written(&first));
            // `"\x49D"` and `"ID"` look different but are one name: say how the parser read them.
            let help = if w_again != plain || w_first != plain {
                format!(
                    "{w_first} と {w_again} は、エスケープ（\\x… や \\u{{…}}）を読むとどちらも「{}」で、同じ名前です。名前を変えるか、一方を消してください",
                    dup.key
                )
            } else {
                "名前を変えるか、一方を消してください".to_string()
            };
            self.push(
                Diagnostic::error(
                    "model::duplicate-name",
                    format!("{section}「{}」が二度定義されています", dup.key),
                )
                .at(again.or_else(|| self.span(path)), "二度目の定義")
                .also(first, "最初の定義")
                .help(help),
            );
        }
        for (i, name) in map.keys().enumerate() {
            if name.trim().is_empty() {
                let what = if name.is_empty() {
                    "空です"
                } else {
                    "空白だけです"
                };
                self.push(
                    Diagnostic::error("model::blank-name", format!("{section}の名前が{what}"))
                        .at(
                            self.spans
                                .key_at(path, map.written_position(i))
                                .or_else(|| self.span(path)),
                            "この名前",
                        )
                        .help("図や報告書で見分けられる名前を書いてください（全角スペースだけの名前も空とみなします）"),
                );
            }
        }
    }

    fn model(&mut self, mut raw: RawModel) -> Model {
        self.keys(&raw.items, &["items"]);
        self.keys(&raw.groups, &["groups"]);
        self.keys(&raw.parties, &["parties"]);
        self.keys(&raw.systems, &["systems"]);
        self.keys(&raw.declared, &["declared"]);
        if raw.title.trim().is_empty() {
            self.push(
                Diagnostic::error("model::blank-name", "件名（title）が空です")
                    .at(self.span(&["title"]), "この件名")
                    .help("付議事項・評価書の件名を書いてください（図と報告書の見出しになります）"),
            );
        }
        for (section, labels) in [
            (
                "parties",
                raw.parties
                    .iter()
                    .map(|(n, p)| (n, &p.label))
                    .collect::<Vec<_>>(),
            ),
            (
                "systems",
                raw.systems.iter().map(|(n, s)| (n, &s.label)).collect(),
            ),
        ] {
            for (name, label) in labels {
                if label.as_ref().is_some_and(|l| l.trim().is_empty()) {
                    self.push(
                        Diagnostic::error(
                            "model::blank-name",
                            format!("「{name}」の表示名（label）が空です"),
                        )
                        .at(self.span(&[section, name, "label"]), "この表示名")
                        .help(format!(
                            "図に出す名前を書くか、label を消してください（消すと「{name}」と表示されます）"
                        )),
                    );
                }
            }
        }
        if raw.parties.is_empty() && raw.systems.is_empty() && raw.flows.is_empty() {
            self.push(
                Diagnostic::error(
                    "model::empty",
                    "モデルに関係者・システム・流れが一つもありません",
                )
                .at(self.span(&[]), "このモデル")
                .help(
                    "parties、systems、flows を書いてください（docs/model-language.md の例を参照）",
                ),
            );
        }

        // Items and groups share one namespace: anywhere an item is named, a group may be.
        let items: Vec<Item> = raw
            .items
            .iter()
            .map(|(name, item)| Item {
                name: name.clone(),
                note: item.note.clone(),
                kind: item.kind,
                span: self.span(&["items", name]),
            })
            .collect();
        let item_index: FxHashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.name.as_str(), i))
            .collect();
        for name in raw.groups.keys() {
            if item_index.contains_key(name.as_str()) {
                self.push(
                    Diagnostic::error(
                        "model::duplicate-name",
                        format!("「{name}」は情報項目とグループの両方の名前です"),
                    )
                    .at(self.span(&["groups", name]), "グループ")
                    .also(self.span(&["items", name]), "情報項目")
                    .help("グループの名前を変えてください（例: 「…の情報」）"),
                );
            }
        }
        let groups = self.groups(&raw.groups, &item_index);
        let names = Names {
            items: &item_index,
            groups: &groups,
            group_index: groups
                .iter()
                .enumerate()
                .map(|(i, g)| (g.name.as_str(), i))
                .collect(),
        };

        // Parties and systems share one namespace: a flow's from/to may name either.
        let party_index: FxHashMap<&str, usize> = raw
            .parties
            .keys()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        for name in raw.systems.keys() {
            if party_index.contains_key(name.as_str()) {
                self.push(
                    Diagnostic::error("model::duplicate-name", format!("「{name}」は関係者とシステムの両方の名前です"))
                        .at(self.span(&["systems", name]), "システム")
                        .also(self.span(&["parties", name]), "関係者")
                        .help("流れの from/to でどちらを指すか決まらないため、システム名を変えてください（例: 【…】のシステム名）"),
                );
            }
        }

        let mut parties: Vec<Party> = Vec::with_capacity(raw.parties.len());
        for (name, p) in &raw.parties {
            let path = ["parties", name.as_str()];
            let mut controls = self.controls(p.controls.clone(), &["parties", name, "controls"]);
            controls.na = self.na(&p.na, &["parties", name, "na"]);
            let stated = self.stated(
                &path,
                &p.unstated,
                &p.not,
                &p.cite,
                &[
                    (Unstated::Controls, !p.controls.is_empty()),
                    (Unstated::Retention, p.retention.is_some()),
                    (Unstated::Name, false),
                ],
            );
            parties.push(Party {
                name: name.clone(),
                role: p.role,
                label: p.label.clone(),
                controls,
                retention: p.retention.clone(),
                stated,
                span: self.span(&path),
            });
        }

        // Sized once: grown by doubling, a large model's systems and flows were held twice at the peak.
        let mut systems = Vec::with_capacity(raw.systems.len());
        // The raw lists are moved into the model, not copied (raw is dropped after this).
        for (written, (name, s)) in raw.systems.iter_mut() {
            let party = match &s.party {
                None => {
                    self.push(
                        Diagnostic::error(
                            "model::system-without-party",
                            format!("システム「{name}」に所属する関係者（party）がありません"),
                        )
                        .at(self.span(&["systems", name]), "このシステム")
                        .help("`party: \"…\"` で、このシステムを管理する関係者を書いてください"),
                    );
                    0
                }
                Some(p) => match party_index.get(p.as_str()) {
                    Some(&i) => i,
                    None => {
                        self.unknown_party(p, &["systems", name, "party"], &party_index);
                        0
                    }
                },
            };
            let host = s
                .host
                .as_ref()
                .and_then(|h| match party_index.get(h.as_str()) {
                    Some(&i) => Some(i),
                    None => {
                        self.unknown_party(h, &["systems", name, "host"], &party_index);
                        None
                    }
                });
            let mut joint = Vec::new();
            for (i, j) in s.joint.iter().enumerate() {
                let idx = i.to_string();
                match party_index.get(j.as_str()) {
                    Some(&p) => joint.push(p),
                    None => self.unknown_party(j, &["systems", name, "joint", &idx], &party_index),
                }
            }
            let has_controls = !s.controls.is_empty();
            let mut controls = self.controls(
                std::mem::take(&mut s.controls),
                &["systems", name, "controls"],
            );
            controls.na = self.na(&s.na, &["systems", name, "na"]);
            let stated = self.stated(
                &["systems", name],
                &s.unstated,
                &s.not,
                &s.cite,
                &[
                    (Unstated::Segment, s.segment.is_some()),
                    (Unstated::Hosting, s.hosting.is_some()),
                    (Unstated::Controls, has_controls),
                    (Unstated::Retention, s.retention.is_some()),
                ],
            );
            systems.push(System {
                name: name.clone(),
                party,
                host,
                segment: s.segment,
                hosting: s.hosting,
                kind: s.kind,
                label: s.label.take(),
                stores: self.item_refs(
                    std::mem::take(&mut s.stores),
                    &["systems", name, "stores"],
                    &names,
                ),
                excludes: self.item_refs(
                    std::mem::take(&mut s.excludes),
                    &["systems", name, "excludes"],
                    &names,
                ),
                controls,
                joint,
                place: s.place,
                status: s.status,
                retention: s.retention.take(),
                stated,
                span: self.spans.map_entry("systems", written, name),
            });
        }

        let system_index: FxHashMap<&str, usize> = raw
            .systems
            .keys()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let mut flows = Vec::with_capacity(raw.flows.len());
        // Sized once: each doubling of a map this large asked the allocator for a large block, and glibc answers
        // that by first consolidating every small block freed so far (the raw model's lists and strings).
        let mut seen_no: FxHashMap<String, usize> =
            FxHashMap::with_capacity_and_hasher(raw.flows.len(), Default::default());
        for (i, f) in raw.flows.into_iter().enumerate() {
            let index = i.to_string();
            // Paths of this flow's fields, borrowed: most are looked up only for a diagnostic.
            let at = |field: &'static str| -> [&str; 3] { ["flows", index.as_str(), field] };
            let no = match &f.no {
                raw::RawStepNo::Number(n) if *n > 0 => Some(StepNo::number(*n)),
                raw::RawStepNo::Number(_) => None,
                raw::RawStepNo::Text(t) => StepNo::parse(t),
            };
            let no = match no {
                Some(no) => no,
                None => {
                    let written = match &f.no {
                        raw::RawStepNo::Number(n) => n.to_string(),
                        raw::RawStepNo::Text(t) => format!("\"{t}\""),
                    };
                    self.push(
                        Diagnostic::error(
                            "model::bad-step-no",
                            format!("流れの番号 {written} を読めません"),
                        )
                        .at(self.spans.nearest(&at("no")), "この番号")
                        .help("1 以上の数（no: 3）か、資料の書き方の文字列（no: \"1-1\"、番号のない段階は no: \"電算\"）で書いてください"),
                    );
                    StepNo::number(u32::MAX)
                }
            };
            let no_id = no.id();
            if let Some(&first) = seen_no.get(&no_id) {
                let first_index = first.to_string();
                self.push(
                    Diagnostic::error(
                        "model::duplicate-flow-no",
                        format!("流れの番号 {} が二度使われています", no.mark()),
                    )
                    .at(self.spans.nearest(&at("no")), "二度目")
                    .also(self.span(&["flows", &first_index, "no"]), "最初")
                    .help("番号は図の ①②… になるため、流れごとに別の番号にしてください"),
                );
            } else {
                seen_no.insert(no_id, i);
            }
            let from = self.endpoint(&f.from, &at("from"), &party_index, &system_index);
            let to = self.endpoint(&f.to, &at("to"), &party_index, &system_index);
            if let (Some(a), Some(b)) = (from, to) {
                if a == b {
                    self.push(
                        Diagnostic::error(
                            "model::self-flow",
                            format!("流れ {} の from と to が同じ「{}」です", no.mark(), f.from),
                        )
                        .at(self.spans.nearest(&at("to")), "同じ相手")
                        .help("同じシステムの中の処理は流れではなく、stores で表してください"),
                    );
                }
            }
            if f.kind != FlowKind::Data
                && (!f.items.is_empty() || f.unstated.contains(&Unstated::Items))
            {
                self.push(
                    Diagnostic::error(
                        "model::flow-kind-items",
                        format!(
                            "流れ {} は kind: {} なので情報項目を運べません",
                            no.mark(),
                            f.kind.ja()
                        ),
                    )
                    .at(self.spans.nearest(&at("items")), "情報項目")
                    .help("個人情報を運ぶなら kind を書かない（データ）か kind: データ にしてください。運ばないなら items を消してください"),
                );
            }
            let mut through = Vec::new();
            for (k, name) in f.through.iter().enumerate() {
                let k = k.to_string();
                let path = ["flows", index.as_str(), "through", k.as_str()];
                if let Some(e) = self.endpoint(name, &path, &party_index, &system_index) {
                    through.push(e);
                }
            }
            let items_path = at("items");
            let controls_path = at("controls");
            let na_path = at("na");
            let has_controls = !f.controls.is_empty();
            let mut controls = self.controls(f.controls, &controls_path);
            controls.na = self.na(&f.na, &na_path);
            let via = f.via.map(raw::OneOrMany::into_vec).unwrap_or_default();
            let stated = self.stated(
                &["flows", &index],
                &f.unstated,
                &[],
                &f.cite,
                &[
                    (Unstated::Via, !via.is_empty()),
                    (Unstated::Items, !f.items.is_empty()),
                    (Unstated::Controls, has_controls),
                ],
            );
            flows.push(Flow {
                no,
                kind: f.kind,
                from: from.unwrap_or(Endpoint::Party(0)),
                to: to.unwrap_or(Endpoint::Party(0)),
                label: f.label,
                via,
                through,
                place: f.place,
                controls,
                items: self.item_refs(f.items, &items_path, &names),
                stated,
                span: self.spans.list_element("flows", i, &index),
            });
        }

        let mut declared = Vec::new();
        for (name, d) in &raw.declared {
            let Some(&party) = party_index.get(name.as_str()) else {
                let help = did_you_mean(name, party_index.keys().copied()).unwrap_or_else(|| {
                    "別紙の相手方は parties に書いた関係者の名前で書いてください".to_string()
                });
                self.push(
                    Diagnostic::error(
                        "model::unknown-declared-party",
                        format!("別紙の相手方「{name}」は関係者（parties）にありません"),
                    )
                    .at(self.span(&["declared", name]), "この相手方")
                    .help(help),
                );
                continue;
            };
            if let Basis::Subcontract { via, .. } = &d.basis {
                if !party_index.contains_key(via.as_str()) {
                    self.unknown_party(via, &["declared", name, "basis", "via"], &party_index);
                }
            }
            let stated = self.stated(
                &["declared", name],
                &d.unstated,
                &[],
                &d.cite,
                &[
                    (Unstated::Law, d.law.is_some()),
                    (Unstated::Method, d.method.is_some()),
                    (Unstated::Period, d.period.is_some()),
                    (Unstated::Items, !d.items.is_empty()),
                    (
                        Unstated::Consent,
                        matches!(
                            d.basis,
                            Basis::Subcontract {
                                consent: Some(_),
                                ..
                            }
                        ),
                    ),
                ],
            );
            declared.push(Declared {
                party,
                basis: d.basis.clone(),
                items: self.item_refs(d.items.clone(), &["declared", name, "items"], &names),
                law: d.law.clone(),
                method: d.method.clone(),
                period: d.period.clone(),
                subject_consent: d.subject_consent,
                stated,
                span: self.span(&["declared", name]),
            });
        }

        let mut accepted = Vec::new();
        for (i, a) in raw.accepted.iter().enumerate() {
            let index = i.to_string();
            // Dates may be written in 和暦 or 西暦; the model keeps them as ISO (JSON shows ISO, text 和暦).
            let mut iso = [None, None];
            for (slot, (field, value)) in iso.iter_mut().zip([("on", &a.on), ("until", &a.until)]) {
                let Some(date) = value else { continue };
                match crate::date::parse_detailed(date) {
                    Ok(d) => *slot = Some(crate::date::iso(d)),
                    Err(why) => {
                        *slot = Some(date.clone());
                        self.push(
                            Diagnostic::error(
                                "model::bad-date",
                                match why {
                                    crate::date::DateError::Unreadable => {
                                        format!("日付「{date}」を読めません")
                                    }
                                    other => format!("日付「{date}」は{other}"),
                                },
                            )
                            .at(self.span(&["accepted", &index, field]), "この日付")
                            .help(format!(
                                "日付は {} のように書いてください",
                                crate::date::ACCEPTED_FORMS
                            )),
                        );
                    }
                }
            }
            let [on, until] = iso;
            accepted.push(Acceptance {
                finding: a.finding.clone(),
                reason: a.reason.clone(),
                by: a.by.clone(),
                on,
                until,
                covers: a.covers.clone(),
                span: self.span(&["accepted", &index]),
            });
        }

        let mut declared_of = vec![None; parties.len()];
        for (d, decl) in declared.iter().enumerate() {
            if let Some(slot) = declared_of.get_mut(decl.party) {
                *slot = Some(d);
            }
        }
        let assessment = raw.assessment.as_ref().map(|a| {
            let stated = self.stated(
                &["assessment"],
                &a.unstated,
                &[],
                &a.cite,
                &[
                    (Unstated::Handlers, a.handlers.is_some()),
                    (Unstated::SeriousIncident, a.serious_incident.is_some()),
                ],
            );
            Assessment {
                level: a.level,
                handlers: a.handlers.clone(),
                users: a.users.clone(),
                contractor_handlers: a.contractor_handlers.clone(),
                serious_incident: a.serious_incident,
                incident_window_years: a.incident_window_years,
                stated,
            }
        });
        let changes = self.item_refs(raw.changes, &["changes"], &names);
        Model {
            title: raw.title,
            paper: raw.paper,
            changes,
            document: raw.document,
            owner: raw.owner,
            work: raw.work,
            purpose: raw.purpose,
            subjects: raw.subjects.map(|s| Subjects {
                label: s.label,
                count: s.count,
                range: s.range,
            }),
            period: raw.period,
            assessment,
            items,
            groups,
            parties,
            systems,
            flows,
            declared,
            accepted,
            declared_of,
        }
    }

    fn unknown_party(&mut self, name: &str, path: &[&str], parties: &FxHashMap<&str, usize>) {
        let help = did_you_mean(name, sorted_keys(parties)).unwrap_or_else(|| {
            "parties に関係者を追加するか、既存の関係者の名前を書いてください".to_string()
        });
        self.push(
            Diagnostic::error(
                "model::unknown-party",
                format!("関係者「{name}」は parties にありません"),
            )
            .at(self.span(path), "この関係者")
            .help(help),
        );
    }

    fn endpoint(
        &mut self,
        name: &str,
        path: &[&str],
        parties: &FxHashMap<&str, usize>,
        systems: &FxHashMap<&str, usize>,
    ) -> Option<Endpoint> {
        if let Some(&s) = systems.get(name) {
            return Some(Endpoint::System(s));
        }
        if let Some(&p) = parties.get(name) {
            return Some(Endpoint::Party(p));
        }
        let candidates: Vec<&str> = sorted_keys(systems)
            .into_iter()
            .chain(sorted_keys(parties))
            .collect();
        let help = did_you_mean(name, candidates)
            .unwrap_or_else(|| "systems か parties に定義した名前を書いてください".to_string());
        self.push(
            Diagnostic::error(
                "model::unknown-system",
                format!("「{name}」というシステム・関係者は定義されていません"),
            )
            .at(self.spans.nearest(path), "この名前")
            .help(help),
        );
        None
    }

    fn groups(
        &mut self,
        raw: &IndexMap<String, Vec<String>>,
        items: &FxHashMap<&str, usize>,
    ) -> Vec<Group> {
        // Expand groups with a depth-first walk on an explicit stack (a chain of 30 000 nested groups is a valid
        // model, and must not overflow the call stack); a group met again on the current path is a cycle.
        let mut done: Vec<Option<ItemSet>> = vec![None; raw.len()];
        let mut on_path = vec![false; raw.len()];
        let mut problems: Vec<(String, usize, String)> = Vec::new();
        for root in 0..raw.len() {
            if done[root].is_some() {
                continue;
            }
            // (group, next member to read, items gathered so far)
            let mut stack = vec![(root, 0usize, ItemSet::with_capacity(items.len()))];
            on_path[root] = true;
            while let Some((group, next, set)) = stack.last_mut() {
                let (name, members) = raw.get_index(*group).expect("group index");
                let Some(member) = members.get(*next) else {
                    let (group, _, set) = stack.pop().expect("non-empty stack");
                    on_path[group] = false;
                    if let Some((_, _, parent)) = stack.last_mut() {
                        parent.union_with(&set);
                    }
                    done[group] = Some(set);
                    continue;
                };
                let position = *next;
                *next += 1;
                if let Some(&item) = items.get(member.as_str()) {
                    set.insert(item);
                } else if let Some(inner) = raw.get_index_of(member) {
                    if let Some(inner_set) = &done[inner] {
                        set.union_with(inner_set);
                    } else if on_path[inner] {
                        problems.push((member.clone(), usize::MAX, "cycle".to_string()));
                    } else {
                        on_path[inner] = true;
                        stack.push((inner, 0, ItemSet::with_capacity(items.len())));
                    }
                } else {
                    problems.push((name.clone(), position, member.clone()));
                }
            }
        }
        let out: Vec<Group> = raw
            .keys()
            .zip(done)
            .map(|(name, set)| Group {
                name: name.clone(),
                items: set.unwrap_or_default(),
            })
            .collect();
        let mut reported = BTreeSet::new();
        for (group, index, member) in problems {
            if !reported.insert((group.clone(), index, member.clone())) {
                continue;
            }
            if index == usize::MAX {
                self.push(
                    Diagnostic::error(
                        "model::group-cycle",
                        format!("グループ「{group}」が自分自身を含んでいます"),
                    )
                    .at(self.span(&["groups", &group]), "このグループ")
                    .help("グループの入れ子が循環しないようにしてください"),
                );
            } else {
                let candidates: Vec<&str> = sorted_keys(items)
                    .into_iter()
                    .chain(raw.keys().map(String::as_str))
                    .collect();
                let help = did_you_mean(&member, candidates).unwrap_or_else(|| {
                    "items に情報項目を追加するか、既存の名前を書いてください".to_string()
                });
                let idx = index.to_string();
                self.push(
                    Diagnostic::error(
                        "model::unknown-item",
                        format!("情報項目「{member}」は items にも groups にもありません"),
                    )
                    .at(self.span(&["groups", &group, &idx]), "この項目")
                    .help(help),
                );
            }
        }
        out
    }

    fn item_refs(&mut self, written: Vec<String>, path: &[&str], names: &Names) -> ItemRefs {
        let mut set = ItemSet::with_capacity(names.items.len());
        for (i, name) in written.iter().enumerate() {
            if let Some(&item) = names.items.get(name.as_str()) {
                set.insert(item);
            } else if let Some(&g) = names.group_index.get(name.as_str()) {
                set.union_with(&names.groups[g].items);
            } else {
                // The same unknown name in many flows is compared with every item and group once.
                let help = match self.suggested_items.get(name.as_str()) {
                    Some(h) => h.clone(),
                    None => {
                        let candidates: Vec<&str> = sorted_keys(names.items)
                            .into_iter()
                            .chain(names.groups.iter().map(|g| g.name.as_str()))
                            .collect();
                        let h = did_you_mean(name, candidates).unwrap_or_else(|| {
                            "items に情報項目を、または groups にグループを追加してください"
                                .to_string()
                        });
                        self.suggested_items.insert(name.clone(), h.clone());
                        h
                    }
                };
                let idx = i.to_string();
                let mut full: Vec<&str> = path.to_vec();
                full.push(&idx);
                self.push(
                    Diagnostic::error(
                        "model::unknown-item",
                        format!("情報項目「{name}」は items にも groups にもありません"),
                    )
                    .at(self.span(&full), "この項目")
                    .help(help),
                );
            }
        }
        ItemRefs { written, set }
    }

    fn controls(&mut self, written: Vec<String>, path: &[&str]) -> Controls {
        // A large model repeats a few whole lists; each distinct list is resolved and closed over once. Only the
        // places of unknown wordings depend on where the list is, so they are counted again at every place.
        // The ids are shared, not copied; the weak wordings and the positions of unknown ones are almost always
        // none, so their copies allocate nothing.
        let (ids, weak, unknown_at) = match self.resolved_lists.get(written.as_slice()) {
            Some(hit) => (
                Arc::clone(&hit.ids),
                hit.weak.clone(),
                hit.unknown_at.clone(),
            ),
            None => {
                let fresh = self.resolve_list(&written);
                let parts = (
                    Arc::clone(&fresh.ids),
                    fresh.weak.clone(),
                    fresh.unknown_at.clone(),
                );
                self.resolved_lists.insert(written.clone(), fresh);
                parts
            }
        };
        let mut unknown = Vec::with_capacity(unknown_at.len());
        for i in unknown_at {
            let name = &written[i];
            unknown.push(name.clone());
            self.unknown_control(name, path, i);
        }
        Controls {
            written,
            ids,
            na: Default::default(),
            unknown,
            weak,
        }
    }

    /// What a written list of controls means, whatever its place: the ids it states or implies, its weak
    /// wordings, and the positions of the wordings the catalogue does not know.
    fn resolve_list(&mut self, written: &[String]) -> ResolvedList {
        let mut ids = Vec::new();
        let mut unknown_at = Vec::new();
        for (i, name) in written.iter().enumerate() {
            // The same few wordings repeat across lists; resolve each once.
            let resolved = match self.resolved_controls.get(name.as_str()) {
                Some(hit) => hit.clone(),
                None => {
                    // A compound wording (「VPN・2要素認証」) yields several ids.
                    let hit = self.catalogue.resolve_ids(name);
                    self.resolved_controls.insert(name.clone(), hit.clone());
                    hit
                }
            };
            match resolved {
                Some(found) => ids.extend(found),
                None => unknown_at.push(i),
            }
        }
        // The paper's own wording of each weak control, for the message (「SSL通信」, not the catalogue label).
        let weak = written
            .iter()
            .filter_map(|name| {
                let found = self.resolved_controls.get(name.as_str())?.as_ref()?;
                let why = found.iter().find_map(|id| self.catalogue.weakness(id))?;
                Some((name.clone(), why.to_string()))
            })
            .collect();
        let ids = Arc::new(self.catalogue.closure(ids.iter().map(String::as_str)));
        ResolvedList {
            ids,
            weak,
            unknown_at,
        }
    }

    /// Counts a place of a control wording the catalogue does not know (the `index`-th wording of the list at
    /// `path`). Its span is kept for later only while it may be among the first places of that wording in the file.
    fn unknown_control(&mut self, name: &str, path: &[&str], index: usize) {
        let element_start = self.spans.element_start(path).unwrap_or(usize::MAX);
        let before = self.diagnostics.len();
        let ordinal = self.occurrences;
        self.occurrences += 1;
        if !self.unknown_controls.contains_key(name) {
            // An unknown wording repeated across a large model is compared with the catalogue once.
            let help = match self.catalogue.suggest(name) {
                Some(s) => format!("「{s}」のことですか？ カタログにない対策は rules/controls.ron に追加できます"),
                None => "rules/controls.ron に対策を追加するか、カタログの表記で書いてください（nagare controls で一覧）".to_string(),
            };
            self.unknown_controls.insert(
                name.to_string(),
                UnknownControl {
                    help,
                    count: 0,
                    candidates: Vec::new(),
                    threshold: usize::MAX,
                },
            );
        }
        let Some(tally) = self.unknown_controls.get_mut(name) else {
            return;
        };
        tally.count += 1;
        // Elements do not overlap, so a place in an element that starts later than the elements of MAX_PLACES + 1
        // places already kept is further down the file than all of them.
        if element_start > tally.threshold {
            return;
        }
        let mut full: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        full.push(index.to_string());
        tally.candidates.push(Candidate {
            element_start,
            path: full,
            before,
            ordinal,
        });
        let keep = MAX_PLACES + 1;
        if tally.candidates.len() >= keep {
            let mut starts: Vec<usize> = tally.candidates.iter().map(|c| c.element_start).collect();
            let (_, &mut nth, _) = starts.select_nth_unstable(keep - 1);
            tally.threshold = nth;
            if tally.candidates.len() >= 2 * keep {
                tally.candidates.retain(|c| c.element_start <= nth);
            }
        }
    }

    /// Controls the paper marks 「－」, each with its reason, resolved to catalogue ids.
    fn na(
        &mut self,
        written: &Keyed<String>,
        path: &[&str],
    ) -> std::collections::BTreeMap<String, String> {
        self.keys(written, path);
        let mut out = std::collections::BTreeMap::new();
        for (name, reason) in written {
            let mut full: Vec<&str> = path.to_vec();
            full.push(name);
            if reason.trim().is_empty() {
                self.push(
                    Diagnostic::error(
                        "model::na-without-reason",
                        format!("対策「{name}」を「－」（不要）とする理由が書かれていません"),
                    )
                    .at(self.span(&full), "この対策")
                    .help("資料が「－」とした理由を書いてください（例: \"インターネットを経由しないため\"）"),
                );
                continue;
            }
            let resolved = self.controls(vec![name.clone()], &full);
            for id in resolved.ids.iter() {
                out.entry(id.clone()).or_insert_with(|| reason.clone());
            }
        }
        out
    }

    /// Checks `unstated` against the element's fields: each value must apply here, and a field cannot be both
    /// given and unstated.
    fn stated(
        &mut self,
        path: &[&str],
        unstated: &[Unstated],
        not: &[Absence],
        cite: &Option<String>,
        fields: &[(Unstated, bool)],
    ) -> Stated {
        let mut kept = Vec::new();
        for (i, &u) in unstated.iter().enumerate() {
            let idx = i.to_string();
            let mut full: Vec<&str> = path.to_vec();
            full.push("unstated");
            full.push(&idx);
            match fields.iter().find(|(f, _)| *f == u) {
                None => {
                    let valid: Vec<String> = fields
                        .iter()
                        .map(|(f, _)| format!("{}（{}）", f.ja(), f.en()))
                        .collect();
                    self.push(
                        Diagnostic::error(
                            "model::unstated-not-here",
                            format!("ここでは「{}」を unstated にできません", u.ja()),
                        )
                        .at(self.span(&full), "この値")
                        .help(format!("ここで使えるのは {} です", valid.join("、"))),
                    );
                }
                Some((_, true)) => {
                    self.push(
                        Diagnostic::error(
                            "model::unstated-but-given",
                            format!(
                                "「{}」は unstated（資料に記載なし）なのに値も書かれています",
                                u.ja()
                            ),
                        )
                        .at(self.span(&full), "unstated")
                        .help(format!(
                            "資料に書かれているなら unstated から {} を消し、書かれていないなら値を消してください",
                            u.en()
                        )),
                    );
                }
                Some((_, false)) => {
                    if !kept.contains(&u) {
                        kept.push(u);
                    }
                }
            }
        }
        Stated {
            unstated: kept,
            not: not.to_vec(),
            cite: cite.clone().filter(|c| !c.trim().is_empty()),
        }
    }
}

struct Names<'a> {
    items: &'a FxHashMap<&'a str, usize>,
    groups: &'a [Group],
    group_index: FxHashMap<&'a str, usize>,
}

/// Keys in a stable order, so suggestions do not depend on hash order.
fn sorted_keys<'a>(map: &FxHashMap<&'a str, usize>) -> Vec<&'a str> {
    let mut keys: Vec<(&str, usize)> = map.iter().map(|(k, v)| (*k, *v)).collect();
    keys.sort_by_key(|&(_, v)| v);
    keys.into_iter().map(|(k, _)| k).collect()
}

/// Length of the UTF-8 sequence that starts with `lead` (1 for a byte that starts none).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The code point of the character starting at `at` and its length in bytes. `bytes` is a `str`'s and `at` a
/// character boundary, so the sequence is complete and valid (missing bytes would read as 0, never panic).
#[inline]
fn decode_utf8(bytes: &[u8], at: usize) -> (u32, usize) {
    let byte = |i: usize| u32::from(bytes.get(at + i).copied().unwrap_or(0) & 0x3F);
    let lead = bytes.get(at).copied().unwrap_or(0);
    match utf8_len(lead) {
        4 => (
            (u32::from(lead & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3),
            4,
        ),
        3 => ((u32::from(lead & 0x0F) << 12) | (byte(1) << 6) | byte(2), 3),
        2 => ((u32::from(lead & 0x1F) << 6) | byte(1), 2),
        _ => (u32::from(lead), 1),
    }
}

/// How many further places an undrawable-character warning underlines.
const MORE_PLACES: usize = 8;

/// The font's answers for the characters of one text. A model repeats a few hundred distinct characters: the
/// font is asked about each once (characters beyond the BMP every time: they are rare). Held inline (16 KB on
/// the stack): two heap blocks here cost more than the walk at 10 000 systems, the allocator consolidating the
/// parser's freed memory to find them.
struct GlyphAnswers {
    /// One bit per BMP character: asked already.
    asked: [u64; BMP_WORDS],
    /// One bit per BMP character: the font draws it (meaningful once asked).
    drawn: [u64; BMP_WORDS],
}

/// 64-bit words for one bit per character of the BMP.
const BMP_WORDS: usize = 0x1_0000 / 64;

impl GlyphAnswers {
    fn new() -> Self {
        GlyphAnswers {
            asked: [0; BMP_WORDS],
            drawn: [0; BMP_WORDS],
        }
    }

    /// Known to be drawn: one load answers nearly every character met.
    #[inline]
    fn known_drawn(&self, code: u32) -> bool {
        self.drawn
            .get((code / 64) as usize)
            .is_some_and(|drawn| drawn & (1 << (code % 64)) != 0)
    }

    fn draws(&mut self, code: u32) -> bool {
        if self.known_drawn(code) {
            return true;
        }
        let (word, bit) = ((code / 64) as usize, 1u64 << (code % 64));
        let (Some(asked), Some(drawn)) = (self.asked.get_mut(word), self.drawn.get_mut(word))
        else {
            return char::from_u32(code).is_none_or(crate::glyphs::draws);
        };
        if *asked & bit == 0 {
            *asked |= bit;
            if char::from_u32(code).is_none_or(crate::glyphs::draws) {
                *drawn |= bit;
            }
        }
        *drawn & bit != 0
    }
}

/// True if some character anywhere in the text (strings, names, comments) is one the font cannot draw. Most
/// models have none, and this answers in one pass that skips ASCII eight bytes at a time (the font draws every
/// ASCII character: `glyphs` tests it) and never tracks strings or comments; only a text with such a character is
/// walked again to find the places inside strings.
fn any_undrawable(text: &str, answers: &mut GlyphAnswers) -> bool {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        if lead >= 0x80 {
            // Japanese text is a run of three-byte characters: decoded here without the general decoder's steps.
            let (code, len) = match bytes.get(at..at + 3) {
                Some(&[0xE0..=0xEF, second, third]) => (
                    (u32::from(lead & 0x0F) << 12)
                        | (u32::from(second & 0x3F) << 6)
                        | u32::from(third & 0x3F),
                    3,
                ),
                _ => decode_utf8(bytes, at),
            };
            if !answers.known_drawn(code) && !answers.draws(code) {
                return true;
            }
            at += len;
            continue;
        }
        match bytes[at..].first_chunk::<8>() {
            Some(word) => {
                let high = u64::from_le_bytes(*word) & HIGH_BITS;
                // Past the ASCII bytes of the word: the first that is not ASCII starts a character.
                at += if high == 0 {
                    8
                } else {
                    (high.trailing_zeros() / 8) as usize
                };
            }
            None => at += 1,
        }
    }
    false
}

/// Characters inside the model's strings that the embedded font cannot draw: the diagram would show 〓 for
/// them, so the clerk is told where, once per character. Comments are skipped (they are never drawn).
fn undrawable_characters(text: &str) -> Vec<Diagnostic> {
    let mut answers = GlyphAnswers::new();
    if !any_undrawable(text, &mut answers) {
        return Vec::new();
    }
    let mut places: Vec<(char, Vec<std::ops::Range<usize>>)> = Vec::new();
    // A byte walk: the quote, backslash, slash and newline that steer it are ASCII and never occur inside a
    // multi-byte character, so only characters inside strings are decoded (a model is mostly ASCII punctuation
    // and Japanese strings; decoding every character outside them cost as much as the rest of validation).
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut in_string = false;
    while at < bytes.len() {
        if !in_string {
            match bytes[at..].iter().position(|&b| b == b'"' || b == b'/') {
                None => break,
                Some(n) => at += n,
            }
            if bytes[at] == b'"' {
                in_string = true;
                at += 1;
            } else if bytes.get(at + 1) == Some(&b'/') {
                // A line comment: skip to the character after its newline.
                at = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |n| at + n + 1);
            } else {
                at += 1;
            }
            continue;
        }
        match bytes[at] {
            b'\\' => {
                // The escaped character, whatever its length, is skipped whole.
                at += 1 + bytes.get(at + 1).map_or(1, |&b| utf8_len(b));
            }
            b'"' => {
                in_string = false;
                at += 1;
            }
            _ => {
                let (code, len) = decode_utf8(bytes, at);
                if !answers.draws(code) {
                    let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                    let range = at..at + len;
                    match places.iter_mut().find(|(k, _)| *k == c) {
                        Some((_, list)) => list.push(range),
                        None => places.push((c, vec![range])),
                    }
                }
                at += len;
            }
        }
    }
    places
        .into_iter()
        .map(|(c, list)| {
            let count = list.len();
            let mut d = Diagnostic::warning(
                "model::missing-glyph",
                format!(
                    "「{c}」（U+{:04X}）は図のフォントにないため、図では〓で描かれます{}",
                    c as u32,
                    if count > 1 {
                        format!("（{count} か所）")
                    } else {
                        String::new()
                    }
                ),
            )
            .at(list.first().cloned(), "この文字");
            for range in list.iter().skip(1).take(MORE_PLACES) {
                d = d.also(Some(range.clone()), "同じ文字");
            }
            d.help("図のフォントは JIS 第1〜第4水準と人名用の拡張漢字（𠮷 など）を描けます。絵文字や外字は、資料と同じ読みの文字に置き換えてください（検査には影響しません）")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass check answers as asking the font about every character of the text would.
    #[test]
    fn any_undrawable_agrees_with_asking_about_every_character() {
        let texts = [
            "",
            "abc",
            "ascii only, longer than one word of eight bytes",
            "\"氏名\": (kind: 一般), // 𠮷野家の髙橋",
            "12345678\"住所\"ｱｲｳ©é",
            "text with an emoji 😀 after a word",
            "😀",
            "a😀",
            "仮名かなカナ漢字\u{3000}、。・\u{FFFD}",
            "\u{E000} private use",
            "\u{0378} unassigned in Greek",
            "𪚲 beyond the repertoire",
        ];
        for text in texts {
            let expected = text.chars().any(|c| !crate::glyphs::draws(c));
            assert_eq!(
                any_undrawable(text, &mut GlyphAnswers::new()),
                expected,
                "{text:?}"
            );
        }
        assert!(texts
            .iter()
            .any(|t| any_undrawable(t, &mut GlyphAnswers::new())));
    }
}
