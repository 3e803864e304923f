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
