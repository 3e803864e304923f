//! The serde mirror of a model file: exactly what the RON says, before any name is resolved.

use indexmap::IndexMap;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::enums::{
    Absence, AssessmentLevel, Basis, FlowKind, Hosting, ItemKind, Place, Role, Segment, SystemKind,
    SystemStatus, Unstated, Via,
};

#[derive(Debug, Deserialize)]
#[serde(rename = "Model", deny_unknown_fields)]
pub(crate) struct RawModel {
    pub title: String,
    /// The paper the model is written from (a file in seeds/ for the seed models).
    #[serde(default)]
    pub paper: Option<String>,
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub work: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub subjects: Option<RawSubjects>,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub assessment: Option<RawAssessment>,
    /// 変更箇所: the items this paper adds or changes (太字下線 in the seeds), when it amends an approved one.
    #[serde(default)]
    pub changes: Vec<String>,
    #[serde(default)]
    pub items: Keyed<RawItem>,
    #[serde(default)]
    pub groups: Keyed<Vec<String>>,
    #[serde(default)]
    pub parties: Keyed<RawParty>,
    #[serde(default)]
    pub systems: Keyed<RawSystem>,
    #[serde(default)]
    pub flows: Vec<RawFlow>,
    #[serde(default)]
    pub declared: Keyed<RawDeclared>,
    #[serde(default)]
    pub accepted: Vec<RawAcceptance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSubjects {
    pub label: String,
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub range: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAssessment {
    #[serde(alias = "実施した評価")]
    pub level: AssessmentLevel,
    /// しきい値判断の取扱者数 (委託先の従業者を含む), as written: 「500人以上」「500人未満」「120人」.
    #[serde(default, alias = "取扱者数")]
    pub handlers: Option<String>,
    /// 使用者数 (評価書 II 3④), as written.
    #[serde(default, alias = "使用者数")]
    pub users: Option<String>,
    /// 委託先における取扱者数, one per 委託事項 (評価書 II 4 委託事項n ②), as written.
    #[serde(default, alias = "委託先の取扱者数")]
    pub contractor_handlers: Vec<String>,
    #[serde(default, alias = "重大事故")]
    pub serious_incident: Option<bool>,
    /// The period, in years, that `serious_incident` answers for (「過去3年以内に…」→ 3).
    #[serde(default, alias = "重大事故の期間")]
    pub incident_window_years: Option<u32>,
    #[serde(default)]
    pub unstated: Vec<Unstated>,
    #[serde(default)]
    pub cite: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawItem {
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub kind: ItemKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParty {
    pub role: Role,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default)]
    pub na: Keyed<String>,
    #[serde(default)]
    pub not: Vec<Absence>,
    #[serde(default)]
    pub retention: Option<String>,
    #[serde(default)]
    pub unstated: Vec<Unstated>,
    #[serde(default)]
    pub cite: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSystem {
    #[serde(default)]
    pub party: Option<String>,
    #[serde(default)]
    pub segment: Option<Segment>,
    #[serde(default)]
    pub hosting: Option<Hosting>,
    /// The party whose infrastructure runs the system (ガバメントクラウド → デジタル庁), when not its own.
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub kind: SystemKind,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub stores: Vec<String>,
    /// Items the paper says the system must never hold (オンライン資格確認等システム: 個人番号).
    #[serde(default)]
    pub excludes: Vec<String>,
    #[serde(default)]
    pub controls: Vec<String>,
    /// Other bodies that run the system together with `party` (「共同して運営」).
    #[serde(default)]
    pub joint: Vec<String>,
    /// Where the system is used: 庁内 or 庁外 (a テレワーク端末 at home).
    #[serde(default)]
    pub place: Option<Place>,
    #[serde(default)]
    pub status: SystemStatus,
    #[serde(default)]
    pub retention: Option<String>,
    #[serde(default)]
    pub na: Keyed<String>,
    #[serde(default)]
    pub not: Vec<Absence>,
    #[serde(default)]
    pub unstated: Vec<Unstated>,
    #[serde(default)]
    pub cite: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFlow {
    pub no: RawStepNo,
    #[serde(default)]
    pub kind: FlowKind,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub via: Option<OneOrMany<Via>>,
    #[serde(default)]
    pub through: Vec<String>,
    #[serde(default)]
    pub place: Option<Place>,
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default)]
    pub na: Keyed<String>,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub unstated: Vec<Unstated>,
    #[serde(default)]
    pub cite: Option<String>,
}

/// A step number as the paper writes it: `3` (drawn ③) or `"1-1"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawStepNo {
    Number(u32),
    Text(String),
}

/// One value or a list of them (`via: FAX` or `via: [電話, FAX]`). A misspelt value makes serde say only
/// "did not match any variant"; `ronfile` turns that back into a pointed 「…」は使えない値です.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(v) => vec![v],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeclared {
    pub basis: Basis,
    #[serde(default)]
    pub items: Vec<String>,
    /// 法令上の根拠 (番号法第19条第8号, 地方税法第22条…).
    #[serde(default)]
    pub law: Option<String>,
    /// 提供方法・結合の形態.
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
    /// Provision to recipients chosen case by case with the person's 同意.
    #[serde(default)]
    pub subject_consent: bool,
    #[serde(default)]
    pub unstated: Vec<Unstated>,
    #[serde(default)]
    pub cite: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAcceptance {
    pub finding: String,
    pub reason: String,
    pub by: String,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    /// What the committee saw when it accepted: `item:…`, `system:…`, `flow:…` atoms (from `check --format json`).
    #[serde(default)]
    pub covers: Option<Vec<String>>,
}

/// A `{ "name": value, … }` map exactly as ron read it. serde's maps keep the last of two equal keys and drop the
/// first without a word; this one keeps the first and records every later one, so a name written twice (also when
/// only escapes differ: `"ID"`, `"\x49D"`, `"\u{49}D"`) is reported as a duplicate. The keys are compared as the
/// parser decoded them, so no second reading of the text can disagree with the one the model is built from.
#[derive(Debug)]
pub(crate) struct Keyed<V> {
    map: IndexMap<String, V>,
    /// Keys written again, in the order met.
    pub duplicates: Vec<DuplicateEntry>,
    /// For each key in `map`, the position of its entry among all entries as written (duplicates included).
    written_at: Vec<usize>,
}

/// A key written a second time in one map.
#[derive(Debug, Clone)]
pub(crate) struct DuplicateEntry {
    pub key: String,
    /// Position of the first entry with this key among the map's entries as written (0-based).
    pub first: usize,
    /// Position of this entry.
    pub again: usize,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed {
            map: IndexMap::new(),
            duplicates: Vec::new(),
            written_at: Vec::new(),
        }
    }
}

impl<V> Keyed<V> {
    /// Position among the written entries of the `index`-th distinct key.
    pub fn written_position(&self, index: usize) -> usize {
        self.written_at.get(index).copied().unwrap_or(index)
    }

    /// The entries with their values open, so that validation can move lists out instead of copying them; each
    /// with its position among the written entries ([`Keyed::written_position`]).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (usize, (&String, &mut V))> {
        let written_at = &self.written_at;
        self.map
            .iter_mut()
            .enumerate()
            .map(move |(i, entry)| (written_at.get(i).copied().unwrap_or(i), entry))
    }
}

impl<V> std::ops::Deref for Keyed<V> {
    type Target = IndexMap<String, V>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl<'a, V> IntoIterator for &'a Keyed<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = indexmap::map::Iter<'a, String, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Keyed<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyedVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for KeyedVisitor<V> {
            type Value = Keyed<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Keyed<V>, A::Error> {
                let mut out = Keyed::default();
                let mut written = 0usize;
                while let Some(key) = access.next_key::<String>()? {
                    let value = access.next_value::<V>()?;
                    match out.map.get_index_of(&key) {
                        Some(first) => out.duplicates.push(DuplicateEntry {
                            key,
                            first: out.written_at[first],
                            again: written,
                        }),
                        None => {
                            out.map.insert(key, value);
                            out.written_at.push(written);
                        }
                    }
                    written += 1;
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(KeyedVisitor(std::marker::PhantomData))
    }
}

/// Where the fast reader (`crate::ronfast`) and ron disagree on `text` read as a model, if they do: the fast
/// reader must give exactly ron's value whenever it gives one, and leave to ron every text ron rejects. For the
/// differential tests here and in `tests/fuzz.rs`.
#[doc(hidden)]
pub fn fast_reader_disagreement(text: &str) -> Option<String> {
    let fast = crate::ronfast::from_str::<RawModel>(text)?;
    let options = ron::Options::default()
        .with_recursion_limit(128)
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    match options.from_str::<RawModel>(text) {
        Err(e) => Some(format!("the fast reader accepted a text ron rejects: {e}")),
        Ok(slow) => {
            let (fast, slow) = (format!("{fast:?}"), format!("{slow:?}"));
            (fast != slow).then(|| format!("values differ:\nfast: {fast}\nron:  {slow}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fast_reader_disagreement;
    use std::path::{Path, PathBuf};

    fn ron_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                ron_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "ron") {
                out.push(path);
            }
        }
    }

    fn corpus() -> Vec<(PathBuf, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        for dir in ["models", "tests/fixtures", "rules"] {
            ron_files(&root.join(dir), &mut paths);
        }
        paths.sort();
        paths
            .into_iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(&p).ok()?;
                Some((
                    p,
                    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
                ))
            })
            .collect()
    }

    /// A small deterministic generator (SplitMix64), so every run tries the same mutants.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Tokens that sit on the edges of what the fast reader handles.
    const TOKENS: &[&str] = &[
        "\"",
        "\\",
        "\\\"",
        "\\n",
        "\\u{41}",
        "\\u{}",
        "\\x41",
        "\\xe3",
        "\\\n  ",
        "r\"",
        "r#\"",
        "\"#",
        "#",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ",,",
        ":",
        "/*",
        "*/",
        "//",
        "/",
        "\n",
        " ",
        "\u{3000}",
        "\u{85}",
        "\u{200e}",
        "\u{feff}",
        "Some(",
        "None",
        "()",
        "Model",
        "Modelx",
        "r#名前",
        "本人",
        "本人-",
        "本人.x",
        "x+",
        "true",
        "false",
        "0",
        "007",
        "4294967296",
        "1_0",
        "1e3",
        "0x10",
        "-1",
        "+1",
        "1u8",
        "1.5",
        "..",
        "inf",
        "NaN",
        "'a'",
        "b\"",
        "#![enable(implicit_some)]",
        "#![enable(unwrap_newtypes)]",
        "再委託(via: \"x\")",
        "FAX",
        "[電話, FAX]",
        "Some(FAX)",
        "via",
        "no",
        "kind",
        "\t",
        "\r\n",
        "\x0b",
        "é",
        "_",
    ];

    fn mutate(text: &str, rng: &mut Rng) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(4) {
                0 => {
                    let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    bytes.splice(at..at, token.iter().copied());
                }
                1 => {
                    let end = (at + 1 + rng.below(8)).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                2 => {
                    // Replace a run with a token.
                    let end = (at + rng.below(4)).min(bytes.len());
                    let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    bytes.splice(at.min(end)..end, token.iter().copied());
                }
                _ => {
                    if let Some(b) = bytes.get_mut(at) {
                        *b ^= 1 << rng.below(8);
                    }
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn the_fast_reader_reads_every_shipped_model_and_fixture_as_ron_does() {
        let mut read_fast = 0;
        for (path, text) in corpus() {
            if let Some(problem) = fast_reader_disagreement(&text) {
                panic!("{}: {problem}", path.display());
            }
            read_fast += usize::from(crate::ronfast::from_str::<super::RawModel>(&text).is_some());
        }
        // Every model that ships must take the fast path, or it stops paying for itself.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut models = Vec::new();
        ron_files(&root.join("models"), &mut models);
        for path in &models {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            assert!(
                crate::ronfast::from_str::<super::RawModel>(&text).is_some(),
                "{} is left to ron",
                path.display()
            );
        }
        assert!(read_fast >= models.len());
    }

    #[test]
    fn the_fast_reader_never_disagrees_with_ron_on_mutated_models() {
        let corpus = corpus();
        let cases: usize = std::env::var("NAGARE_FAST_READER_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3000);
        let mut rng = Rng(0x6e61_6761_7265);
        let mut fast = 0;
        for case in 0..cases {
            let (path, text) = &corpus[rng.below(corpus.len())];
            let mutant = mutate(text, &mut rng);
            if let Some(problem) = fast_reader_disagreement(&mutant) {
                panic!("case {case} from {}:\n{mutant}\n{problem}", path.display());
            }
            fast += usize::from(crate::ronfast::from_str::<super::RawModel>(&mutant).is_some());
        }
        // The mutants must reach the fast path's success often enough for the comparison to mean something.
        assert!(
            fast * 10 >= cases,
            "only {fast} of {cases} mutants read fast"
        );
    }

    /// The span index built from the fast reader's outline equals the scan's on every model and fixture, and on
    /// mutated texts; and the outline is what a shipped model's check uses.
    #[test]
    fn the_outline_places_values_as_the_span_scan_does() {
        use crate::model::spans::{span_outline_disagreement, SpanIndex, EAGER};
        let corpus = corpus();
        let outlined = |text: &str| {
            crate::ronfast::from_str_outlined::<super::RawModel>(text, EAGER)
                .and_then(|(_, outline)| SpanIndex::from_outline(text, &outline?))
                .is_some()
        };
        for (path, text) in &corpus {
            if let Some(problem) = span_outline_disagreement(text) {
                panic!("{}: {problem}", path.display());
            }
            if path.components().any(|c| c.as_os_str() == "models") {
                assert!(outlined(text), "{}: no outline", path.display());
            }
        }
        let cases: usize = std::env::var("NAGARE_FAST_READER_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3000);
        let mut rng = Rng(0x0073_7061_6e73);
        let mut used = 0;
        for case in 0..cases {
            let (path, text) = &corpus[rng.below(corpus.len())];
            let mutant = mutate(text, &mut rng);
            if let Some(problem) = span_outline_disagreement(&mutant) {
                panic!("case {case} from {}:\n{mutant}\n{problem}", path.display());
            }
            used += usize::from(outlined(&mutant));
        }
        // Enough mutants must be placed from their outline for the comparison to mean something.
        assert!(
            used * 10 >= cases,
            "only {used} of {cases} mutants outlined"
        );
    }

    #[test]
    fn the_fast_reader_handles_the_edges_of_ron_it_claims() {
        let cases = [
            "Model(title: \"a\\u{41}\\x42\\n\\\n   c\")",
            "#![enable(implicit_some)]\n// c\nModel(/* a /* nested */ b */ title: r#\"x\"y\"#,)",
            "(title: \"t\", flows: [(no: 007, from: \"a\", to: \"b\", via: [電話, FAX]), (no: \"1-1\", from: \"a\", to: \"b\", via: Some(FAX))])",
            "(title: \"t\", subjects: (label: \"x\", count: 18446744073709551615))",
            "(title: \"t\", declared: {\"a\": (basis: 再委託(via: \"b\", consent: true,),),})",
            "(title: \"t\", items: {\"a\": (), \"a\": (kind: 一般)}, parties: {\"p\": (role: 本人, label: None)})",
            "(title: \"t\") // no newline",
        ];
        for text in cases {
            assert!(
                crate::ronfast::from_str::<super::RawModel>(text).is_some(),
                "declined: {text}"
            );
            assert_eq!(fast_reader_disagreement(text), None, "{text}");
        }
        let declined = [
            "(title: \"t\", flows: [(no: -1, from: \"a\", to: \"b\")])",
            "(title: \"\\xe3\\x81\\x82\")",
            "Other(title: \"t\")",
            "(title: \"t\"\u{3000})",
            "#![enable(unwrap_newtypes)] (title: \"t\")",
            "(title: \"t\", items: {\"a\": (kind: 一般-)})",
        ];
        for text in declined {
            assert!(
                crate::ronfast::from_str::<super::RawModel>(text).is_none(),
                "read: {text}"
            );
        }
    }
}
