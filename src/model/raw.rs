//! The serde mirror of a model file: exactly what the RON says, before any name is resolved.

use indexmap::IndexMap;
use serde::Deserialize;

use super::enums::{AssessmentLevel, Basis, Hosting, ItemKind, Role, Segment, SystemKind, Via};

#[derive(Debug, Deserialize)]
#[serde(rename = "Model", deny_unknown_fields)]
pub(crate) struct RawModel {
    pub title: String,
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
    pub level: AssessmentLevel,
    #[serde(default)]
    pub handlers: Option<String>,
    #[serde(default)]
    pub serious_incident: Option<bool>,
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFlow {
    pub no: u32,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub via: Option<Via>,
    #[serde(default)]
    pub controls: Vec<String>,
    #[serde(default)]
    pub items: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeclared {
    pub basis: Basis,
    #[serde(default)]
    pub items: Vec<String>,
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
}
