//! The serde mirror of a model file: exactly what the RON says, before any name is resolved.

use indexmap::IndexMap;
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
    pub items: IndexMap<String, RawItem>,
    #[serde(default)]
    pub groups: IndexMap<String, Vec<String>>,
    #[serde(default)]
    pub parties: IndexMap<String, RawParty>,
    #[serde(default)]
    pub systems: IndexMap<String, RawSystem>,
    #[serde(default)]
    pub flows: Vec<RawFlow>,
    #[serde(default)]
    pub declared: IndexMap<String, RawDeclared>,
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
    pub na: IndexMap<String, String>,
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
    pub na: IndexMap<String, String>,
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
    pub na: IndexMap<String, String>,
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
