//! The controls catalogue (rules/controls.ron): canonical safeguards, the many ways papers word them, and what each implies.

use std::collections::BTreeSet;

// Lookups by wording and id only: suggest's answer does not depend on iteration order (ties go to the lower
// entry), so the fast hasher is safe; SipHash was a tenth of loading the catalogue.
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::diag::{Diagnostic, Source};

/// The catalogue shipped in the binary; `--rules DIR` may add a `controls.ron` of its own.
pub const BUILTIN: &str = include_str!("../rules/controls.ron");

#[derive(Debug, Deserialize)]
#[serde(rename = "Catalogue", deny_unknown_fields)]
struct RawCatalogue {
    controls: Vec<Control>,
}

/// One safeguard.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// Stable ASCII id used by rules (`encryption`).
    pub id: String,
    /// Japanese display name (通信内容の暗号化).
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Ids of controls this one entails (TLS1.2以上 ⇒ encryption).
    #[serde(default)]
    pub implies: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Why this wording, although it names the safeguard, is too weak to rely on (SSL, TLS1.0, PPAP…).
    /// A weak entry still implies what it names (SSL encrypts), so no rule reports it as absent; a rule reports
    /// the weakness instead. No entry may imply a weak one (tests/controls.rs checks the shipped catalogue).
    #[serde(default)]
    pub weak: Option<String>,
}

/// All known controls, with a lookup from any normalised wording to its entry.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub controls: Vec<Control>,
    by_name: FxHashMap<String, Name>,
    by_id: FxHashMap<String, usize>,
}

/// A normalised wording in the catalogue: the entry it names, and what [`Catalogue::suggest`] compares first
/// (kept here so that the ~1 500 names are not measured again for each unknown wording).
#[derive(Debug, Clone, Copy)]
struct Name {
    index: usize,
    /// Length in characters.
    chars: usize,
    /// [`char_summary`] of the name.
    summary: u64,
}

/// One bit per character (hashed to 64): a text can contain another only if its summary covers the other's.
fn char_bit(c: char) -> u64 {
    1 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
}

/// Length in characters and the union of [`char_bit`] over the characters.
fn char_summary(text: &str) -> (usize, u64) {
    text.chars()
        .fold((0, 0), |(count, bits), c| (count + 1, bits | char_bit(c)))
}

impl Catalogue {
    /// The built-in catalogue. It is tested, so failure here is a bug in the shipped data.
    pub fn builtin() -> Result<Catalogue, (Source, Diagnostic)> {
        let source = Source::new("rules/controls.ron", BUILTIN);
        Catalogue::from_source(&source).map_err(|d| (source, d))
    }

    pub fn from_source(source: &Source) -> Result<Catalogue, Diagnostic> {
        let raw: RawCatalogue = crate::ronfile::parse(source)?;
        let mut catalogue = Catalogue::default();
        catalogue.extend(raw.controls, source)?;
        Ok(catalogue)
    }

    /// Adds controls from another catalogue file; an id or wording already taken is an error.
    pub fn merge(&mut self, source: &Source) -> Result<(), Diagnostic> {
        let raw: RawCatalogue = crate::ronfile::parse(source)?;
        self.extend(raw.controls, source)
    }

    fn extend(&mut self, controls: Vec<Control>, source: &Source) -> Result<(), Diagnostic> {
        for control in controls {
            let index = self.controls.len();
            if self.by_id.insert(control.id.clone(), index).is_some() {
                return Err(Diagnostic::error(
                    "control::duplicate",
                    format!("対策 id「{}」が二度定義されています", control.id),
                )
                .at(find(source, &control.id), "二度目"));
            }
            for name in std::iter::once(&control.label)
                .chain(&control.aliases)
                .chain(std::iter::once(&control.id))
            {
                let normalized = normalize(name);
                if let Some(&Name { index: other, .. }) = self.by_name.get(&normalized) {
                    if other != index {
                        return Err(Diagnostic::error(
                            "control::duplicate",
                            format!(
                                "表記「{name}」が対策「{}」と「{}」の両方にあります",
                                self.controls[other].id, control.id
                            ),
                        )
                        .at(find(source, name), "ここ"));
                    }
                }
                let (chars, summary) = char_summary(&normalized);
                self.by_name.insert(
                    normalized,
                    Name {
                        index,
                        chars,
                        summary,
                    },
                );
            }
            self.controls.push(control);
        }
        for control in &self.controls {
            for implied in &control.implies {
                if !self.by_id.contains_key(implied) {
                    return Err(Diagnostic::error(
                        "control::unknown-implied",
                        format!(
                            "対策「{}」の implies にある「{implied}」はカタログにありません",
                            control.id
                        ),
                    )
                    .at(find(source, implied), "ここ"));
                }
            }
        }
        Ok(())
    }

    /// The entry a written control name refers to.
    pub fn resolve(&self, written: &str) -> Option<&Control> {
        self.by_name
            .get(&normalize(written))
            .map(|name| &self.controls[name.index])
    }

    /// The entries a written control name refers to. An exact wording wins (「ID・パスワード」 is one control);
    /// otherwise a compound wording is split on 「・」「、」「，」「／」「＋」「及び」「並びに」「及」「と」 and every part
    /// must resolve (「VPN・2要素認証」 → vpn, two-factor). A trailing 「等」「など」 is read as the wording before it.
    /// 「又は」「若しくは」 never split: the paper promises one of the two, not both. None if any part is unknown.
    pub fn resolve_all(&self, written: &str) -> Option<Vec<&Control>> {
        self.resolve_parts(written)
            .map(|parts| parts.into_iter().map(|(_, c)| c).collect())
    }

    /// Ids of the entries a written control name refers to ([`Catalogue::resolve_all`]), in written order,
    /// without duplicates; None if the wording (or any part of it) is not in the catalogue.
    pub fn resolve_ids(&self, written: &str) -> Option<Vec<String>> {
        let mut ids: Vec<String> = Vec::new();
        for control in self.resolve_all(written)? {
            if !ids.contains(&control.id) {
                ids.push(control.id.clone());
            }
        }
        Some(ids)
    }

    /// Like [`Catalogue::resolve_all`], with each part of the wording as written (trimmed) next to its entry.
    /// A wording that matches as a whole yields one part.
    /// Longest wording that is split into parts (「VPN・2要素認証」); papers' compound wordings are far shorter.
    pub const MAX_SPLIT_BYTES: usize = 1024;

    pub fn resolve_parts<'w>(&self, written: &'w str) -> Option<Vec<(&'w str, &Control)>> {
        let whole = written.trim();
        if let Some(control) = self.resolve_part(whole) {
            return Some(vec![(whole, control)]);
        }
        // The split search is quadratic in the number of separators: a wording longer than any real one
        // (a pasted paragraph) is not split, so a hostile 1 MB name costs microseconds, not minutes.
        if written.len() > Self::MAX_SPLIT_BYTES {
            return None;
        }
        // Cut points: (end of the text before a separator, start of the text after it).
        let mut cuts: Vec<(usize, usize)> = vec![(0, 0)];
        let mut at = 0;
        while at < written.len() {
            match SEPARATORS.iter().find(|s| written[at..].starts_with(*s)) {
                Some(sep) => {
                    cuts.push((at, at + sep.len()));
                    at += sep.len();
                }
                None => at += written[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
        cuts.push((written.len(), written.len()));
        // Fewest parts wins, so 「ICカードと生体による認証・VPN」 keeps its first part whole.
        // best[j]: the shortest split of written[..cuts[j].0] into resolvable parts, as (from, to) cut indices.
        let n = cuts.len();
        let mut best: Vec<Option<Vec<(usize, usize)>>> = vec![None; n];
        best[0] = Some(Vec::new());
        for j in 1..n {
            for i in 0..j {
                let Some(before) = &best[i] else { continue };
                if best[j]
                    .as_ref()
                    .is_some_and(|b| b.len() <= before.len() + 1)
                {
                    continue;
                }
                let part = written[cuts[i].1..cuts[j].0].trim();
                if !part.is_empty() && self.resolve_part(part).is_some() {
                    let mut split = before.clone();
                    split.push((i, j));
                    best[j] = Some(split);
                }
            }
        }
        let split = best[n - 1].take()?;
        if split.len() < 2 {
            return None;
        }
        Some(
            split
                .into_iter()
                .map(|(i, j)| {
                    let part = written[cuts[i].1..cuts[j].0].trim();
                    (part, self.resolve_part(part).expect("resolved above"))
                })
                .collect(),
        )
    }

    /// One wording, exactly, or with a trailing 「等」「など」 dropped.
    fn resolve_part(&self, part: &str) -> Option<&Control> {
        self.resolve(part).or_else(|| {
            ["等", "など"].iter().find_map(|suffix| {
                part.strip_suffix(suffix)
                    .map(str::trim)
                    .filter(|stem| !stem.is_empty())
                    .and_then(|stem| self.resolve(stem))
            })
        })
    }

    pub fn by_id(&self, id: &str) -> Option<&Control> {
        self.by_id.get(id).map(|&i| &self.controls[i])
    }

    /// Why the control with this id is too weak to rely on (SSL, TLS1.0, PPAP…), if it is.
    pub fn weakness(&self, id: &str) -> Option<&str> {
        self.by_id(id).and_then(|c| c.weak.as_deref())
    }

    /// Ids of the given controls plus everything they imply, transitively.
    pub fn closure<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut stack: Vec<&str> = ids.into_iter().collect();
        while let Some(id) = stack.pop() {
            if out.insert(id.to_string()) {
                if let Some(control) = self.by_id(id) {
                    stack.extend(control.implies.iter().map(String::as_str));
                }
            }
        }
        out
    }

    /// The closest wording in the catalogue with the same legal meaning, for "did you mean" on an unknown control.
    /// Bounded: a wording over [`crate::diag::MAX_SUGGEST_CHARS`] characters gets none (no control is worded at
    /// that length), and a candidate whose length alone rules it out is skipped before any comparison.
    ///
    /// The score of a name is 0.8–0.9 when one text contains the other, else 1 − Levenshtein / longer length;
    /// the highest wins, ties to the lower entry index. A name is skipped as soon as a bound on its score shows
    /// that it cannot win against the best so far: the edit distance is at least the longer length less the
    /// characters the two have in common, and a text cannot contain another that has a character it lacks
    /// (both read from [`Name::summary`]). The bounds are computed
    /// with the same floating-point operations as the scores, so the winner is the one a full comparison with
    /// every name picks (a test compares them).
    pub fn suggest(&self, written: &str) -> Option<String> {
        let max = crate::diag::MAX_SUGGEST_CHARS;
        if written.len() > max * 4 || written.chars().count() > max {
            return None;
        }
        let wanted = normalize(written);
        let (wanted_len, wanted_summary) = char_summary(&wanted);
        let meaning = crate::diag::legal_meaning(&wanted);
        // The wording is compared with every name in the catalogue (about 1 500): prepared once.
        let distance = EditDistance::new(&wanted);
        let mut best: Option<(f64, usize)> = None;
        for (name, entry) in &self.by_name {
            let index = entry.index;
            // Would this score be kept? (At least 0.45, and better than the best so far.)
            let wins = |score: f64| {
                score >= 0.45 && best.is_none_or(|(b, bi)| score > b || (score == b && index < bi))
            };
            let (short, long) = (entry.chars.min(wanted_len), entry.chars.max(wanted_len));
            let contained_score = 0.8 + 0.1 * (short as f64 / long.max(1) as f64);
            // Levenshtein is at least the longer length less the characters an alignment can match, and a
            // character of one text that the other lacks matches nothing (each summary bit one text has and the
            // other lacks is at least one such character): at least long − short, often far more.
            let matchable = (entry.chars - (entry.summary & !wanted_summary).count_ones() as usize)
                .min(wanted_len - (wanted_summary & !entry.summary).count_ones() as usize);
            let edit_bound = if long == 0 {
                0.0
            } else {
                1.0 - ((long - matchable) as f64) / (long as f64)
            };
            // Only the longer text (in bytes) can contain the other, and only if it has all of its characters.
            let name_is_longer = name.len() >= wanted.len();
            let may_contain = if name_is_longer {
                entry.summary & wanted_summary == wanted_summary
            } else {
                entry.summary & wanted_summary == entry.summary
            };
            let bound = if may_contain {
                contained_score.max(edit_bound)
            } else {
                edit_bound
            };
            if !wins(bound) {
                continue;
            }
            let contained = may_contain
                && if name_is_longer {
                    name.contains(wanted.as_str())
                } else {
                    wanted.contains(name.as_str())
                };
            let score = if contained {
                contained_score
            } else {
                // Without containment the score is Levenshtein's, at most short/long: below 0.45 it cannot count.
                if (short as f64) < 0.45 * long as f64 || !wins(edit_bound) {
                    continue;
                }
                // strsim::normalized_levenshtein's formula (both empty is contained, handled above).
                1.0 - (distance.to(name) as f64) / (long as f64)
            };
            // 「再委託の禁止」 is not answered with 「再委託の事前承諾」: a near wording of another meaning is no fix
            // (asked last: it folds the name, and most names are already out on score).
            if wins(score) && crate::diag::legal_meaning(name) == meaning {
                best = Some((score, index));
            }
        }
        best.map(|(_, i)| self.controls[i].label.clone())
    }
}

/// Levenshtein distance (in characters) from one wording to many names: bit-parallel (Hyyrö 2003) for a
/// wording of at most 64 characters, one pass over each name's characters instead of a table per pair; longer
/// wordings fall back to strsim. Same distances as `strsim::levenshtein` (a test compares them).
struct EditDistance<'w> {
    wanted: &'w str,
    length: usize,
    /// Each distinct character of the wording with the bit mask of the positions it occurs at.
    masks: Vec<(char, u64)>,
    /// [`char_bit`] of every character in `masks`: most characters of a name are not in the wording, and this
    /// says so without a search through `masks`.
    summary: u64,
}

impl<'w> EditDistance<'w> {
    fn new(wanted: &'w str) -> Self {
        let mut masks: Vec<(char, u64)> = Vec::new();
        let mut length = 0;
        let mut summary = 0;
        for (i, c) in wanted.chars().enumerate() {
            length = i + 1;
            if i >= 64 {
                continue;
            }
            summary |= char_bit(c);
            match masks.iter_mut().find(|(k, _)| *k == c) {
                Some((_, mask)) => *mask |= 1 << i,
                None => masks.push((c, 1 << i)),
            }
        }
        EditDistance {
            wanted,
            length,
            masks,
            summary,
        }
    }

    fn to(&self, name: &str) -> usize {
        if self.length > 64 {
            return strsim::levenshtein(self.wanted, name);
        }
        if self.length == 0 {
            return name.chars().count();
        }
        let last = 1u64 << (self.length - 1);
        // Vertical deltas of the current column (+1 / -1 bits); the column's last cell is the distance so far.
        let (mut plus, mut minus) = (u64::MAX, 0u64);
        let mut distance = self.length;
        for c in name.chars() {
            let equal = if self.summary & char_bit(c) == 0 {
                0
            } else {
                self.masks
                    .iter()
                    .find(|(k, _)| *k == c)
                    .map_or(0, |&(_, mask)| mask)
            };
            let diagonal = (((equal & plus).wrapping_add(plus)) ^ plus) | equal | minus;
            let mut h_plus = minus | !(diagonal | plus);
            let mut h_minus = diagonal & plus;
            if h_plus & last != 0 {
                distance += 1;
            } else if h_minus & last != 0 {
                distance -= 1;
            }
            // The first row grows by one per character of the name.
            h_plus = (h_plus << 1) | 1;
            h_minus <<= 1;
            plus = h_minus | !(diagonal | h_plus);
            minus = h_plus & diagonal;
        }
        distance
    }
}

/// Where a compound wording may be split, longest first where one is a prefix of another (及び before 及).
const SEPARATORS: &[&str] = &[
    "並びに",
    "及び",
    "及",
    "・",
    "･",
    "、",
    "，",
    ",",
    "／",
    "/",
    "＋",
    "+",
    "と",
];

fn find(source: &Source, needle: &str) -> Option<std::ops::Range<usize>> {
    let quoted = format!("\"{needle}\"");
    source.text.find(&quoted).map(|s| s..s + quoted.len())
}

/// Folds the ways one wording is typed: full-width ASCII, spaces, ／・ as separators, case.
pub fn normalize(name: &str) -> String {
    // Sized once, and the characters that stay as they are (nearly all of a Japanese wording) copied as whole
    // runs: every fold keeps or shortens a character's UTF-8, and loading the catalogue normalises its 1 500
    // wordings (a collected iterator of characters was two thirds of that).
    let mut out = String::with_capacity(name.len());
    let mut kept = 0;
    for (at, c) in name.char_indices() {
        let folded = match c {
            '・' | '･' | '、' => Some('/'),
            '\u{FF01}'..='\u{FF5E}' => {
                Some(char::from_u32(c as u32 - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase()))
            }
            c if c.is_whitespace() => None,
            c if c.is_ascii_uppercase() => Some(c.to_ascii_lowercase()),
            _ => continue,
        };
        out.push_str(&name[kept..at]);
        out.extend(folded);
        kept = at + c.len_utf8();
    }
    out.push_str(&name[kept..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_loads_and_resolves_the_seed_wordings() {
        let catalogue = Catalogue::builtin().map_err(|(_, d)| d.message).unwrap();
        for (written, id) in [
            ("通信暗号化", "encryption"),
            ("通信内容の暗号化", "encryption"),
            ("ＩＤ／パスワード等認証", "authentication"),
            ("ID/パスワード等認証", "authentication"),
        ] {
            assert_eq!(
                catalogue.resolve(written).map(|c| c.id.as_str()),
                Some(id),
                "{written}"
            );
        }
        let tls = catalogue.closure(["tls12"]);
        assert!(tls.contains("encryption"));
        let otp = catalogue.closure(["otp"]);
        assert!(otp.contains("two-factor"));
    }

    #[test]
    fn bit_parallel_distance_is_levenshtein() {
        let alphabet: Vec<char> = "通信暗号化のaB1 /・等".chars().collect();
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n
        };
        let mut words: Vec<String> = Vec::new();
        for _ in 0..300 {
            let len = next(12);
            words.push((0..len).map(|_| alphabet[next(alphabet.len())]).collect());
        }
        words.push("暗".repeat(64));
        words.push("号".repeat(63) + "暗");
        words.push("暗".repeat(70));
        for a in &words {
            let distance = EditDistance::new(a);
            for b in words.iter().take(60).chain(words.iter().rev().take(3)) {
                assert_eq!(distance.to(b), strsim::levenshtein(a, b), "{a:?} → {b:?}");
            }
        }
    }

    /// [`Catalogue::suggest`] before it pruned: every name scored in full. The pruned search must pick the same.
    fn suggest_by_full_comparison(catalogue: &Catalogue, written: &str) -> Option<String> {
        let max = crate::diag::MAX_SUGGEST_CHARS;
        if written.len() > max * 4 || written.chars().count() > max {
            return None;
        }
        let wanted = normalize(written);
        let wanted_len = wanted.chars().count();
        let meaning = crate::diag::legal_meaning(&wanted);
        let mut best: Option<(f64, usize)> = None;
        for (name, entry) in &catalogue.by_name {
            let index = entry.index;
            let name_len = name.chars().count();
            let contained = name.contains(&wanted) || wanted.contains(name.as_str());
            if !contained
                && (name_len.min(wanted_len) as f64) < 0.45 * name_len.max(wanted_len) as f64
            {
                continue;
            }
            let score = if contained {
                0.8 + 0.1
                    * (name_len.min(wanted_len) as f64 / name_len.max(wanted_len).max(1) as f64)
            } else {
                1.0 - (strsim::levenshtein(&wanted, name) as f64)
                    / (wanted_len.max(name_len) as f64)
            };
            if score >= 0.45
                && best.is_none_or(|(b, bi)| score > b || (score == b && index < bi))
                && crate::diag::legal_meaning(name) == meaning
            {
                best = Some((score, index));
            }
        }
        best.map(|(_, i)| catalogue.controls[i].label.clone())
    }

    #[test]
    fn pruned_suggestion_is_the_full_comparisons_winner() {
        let catalogue = Catalogue::builtin().map_err(|(_, d)| d.message).unwrap();
        let mut wordings: Vec<String> = vec![
            String::new(),
            "通信の暗号か".into(),
            "秘密保持契約（詳細は契約書）".into(),
            "再委託の禁止".into(),
            "ウイルス対策ソフトの導入等".into(),
            "ログの取得".into(),
            "vpm".into(),
            "ｔｌｓ".into(),
            "暗".repeat(70),
        ];
        // Every name of every entry, changed the ways papers misspell: a character dropped, one replaced, two
        // swapped, words added before and after, cut to its first half.
        for (n, control) in catalogue.controls.iter().enumerate() {
            let names: Vec<&String> = std::iter::once(&control.label)
                .chain(&control.aliases)
                .collect();
            for (k, name) in names.into_iter().enumerate() {
                let chars: Vec<char> = name.chars().collect();
                let middle = chars.len() / 2;
                let with = |f: &dyn Fn(&mut Vec<char>)| {
                    let mut changed = chars.clone();
                    f(&mut changed);
                    changed.into_iter().collect::<String>()
                };
                match (n + k) % 6 {
                    0 => wordings.push(with(&|c| {
                        if !c.is_empty() {
                            c.remove(middle.min(c.len() - 1));
                        }
                    })),
                    1 => wordings.push(with(&|c| {
                        if middle < c.len() {
                            c[middle] = 'の';
                        }
                    })),
                    2 => wordings.push(with(&|c| {
                        if middle >= 1 && middle < c.len() {
                            c.swap(middle - 1, middle);
                        }
                    })),
                    3 => wordings.push(format!("十分な{name}")),
                    4 => wordings.push(format!("{name}等の対策を行う")),
                    _ => wordings.push(chars[..middle].iter().collect()),
                }
            }
        }
        for written in &wordings {
            assert_eq!(
                catalogue.suggest(written),
                suggest_by_full_comparison(&catalogue, written),
                "{written}"
            );
        }
    }

    /// [`normalize`] as first written, one character at a time.
    fn normalize_by_characters(name: &str) -> String {
        name.chars()
            .filter_map(|c| {
                let c = match c {
                    '・' | '･' | '、' => '/',
                    '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                    c => c,
                };
                if c.is_whitespace() {
                    None
                } else {
                    Some(c.to_ascii_lowercase())
                }
            })
            .collect()
    }

    #[test]
    fn normalize_folds_as_character_by_character() {
        let catalogue = Catalogue::builtin().map_err(|(_, d)| d.message).unwrap();
        let mut texts: Vec<String> = vec![
            String::new(),
            " ＩＤ／パスワード　等 認証 ".into(),
            "ＴＬＳ１．２以上・VPN、ＳＳＬ･Ab\tc\u{3000}\u{FF5E}\u{FF01}\u{FF00}\u{FF5F}".into(),
        ];
        for control in &catalogue.controls {
            texts.push(control.label.clone());
            texts.push(control.id.to_uppercase());
            texts.extend(control.aliases.iter().cloned());
        }
        for text in &texts {
            assert_eq!(normalize(text), normalize_by_characters(text), "{text:?}");
        }
    }
}
