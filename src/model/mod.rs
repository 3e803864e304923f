//! The validated model: names resolved to indices, groups expanded to item sets, controls resolved, spans kept.

pub mod enums;
pub(crate) mod raw;
pub(crate) mod spans;
mod validate;

use std::collections::BTreeSet;
use std::ops::Range;

pub use enums::{AssessmentLevel, Basis, Hosting, ItemKind, Role, Segment, SystemKind, Via};
pub use validate::{load, load_source, Loaded};

use crate::itemset::ItemSet;

/// A whole model: one 付議事項 or 評価書.
#[derive(Debug)]
pub struct Model {
    pub title: String,
    pub document: Option<String>,
    pub owner: Option<String>,
    pub work: Option<String>,
    pub purpose: Option<String>,
    pub subjects: Option<Subjects>,
    pub period: Option<String>,
    pub assessment: Option<Assessment>,
    pub items: Vec<Item>,
    pub groups: Vec<Group>,
    pub parties: Vec<Party>,
    pub systems: Vec<System>,
    pub flows: Vec<Flow>,
    pub declared: Vec<Declared>,
    pub accepted: Vec<Acceptance>,
    /// For each party, its index in `declared` (parties are declared at most once).
    pub(crate) declared_of: Vec<Option<usize>>,
}

#[derive(Debug, Clone)]
pub struct Subjects {
    pub label: String,
    pub count: Option<u64>,
    pub range: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub level: AssessmentLevel,
    pub handlers: Option<String>,
    pub serious_incident: Option<bool>,
}

/// A declared 情報項目.
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub note: Option<String>,
    pub kind: ItemKind,
    pub span: Option<Range<usize>>,
}

/// A named set of items.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub items: ItemSet,
}

/// Items as the model wrote them (names of items or groups, for display) and as a set.
#[derive(Debug, Clone, Default)]
pub struct ItemRefs {
    pub written: Vec<String>,
    pub set: ItemSet,
}

/// Controls as written and their resolved catalogue ids (with everything they imply).
#[derive(Debug, Clone, Default)]
pub struct Controls {
    pub written: Vec<String>,
    pub ids: BTreeSet<String>,
}

impl Controls {
    pub fn has(&self, id: &str) -> bool {
        self.ids.contains(id)
    }
}

#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    pub role: Role,
    pub label: Option<String>,
    pub controls: Controls,
    pub span: Option<Range<usize>>,
}

impl Party {
    /// The name shown in diagrams and reports.
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone)]
pub struct System {
    pub name: String,
    /// The party that runs the system and whose lane it is drawn in.
    pub party: usize,
    /// The party whose infrastructure hosts it, if another (it is then a recipient of what the system holds).
    pub host: Option<usize>,
    pub segment: Option<Segment>,
    pub hosting: Option<Hosting>,
    pub kind: SystemKind,
    pub label: Option<String>,
    pub stores: ItemRefs,
    /// Items that must never reach this system.
    pub excludes: ItemRefs,
    pub controls: Controls,
    pub span: Option<Range<usize>>,
}

impl System {
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// One end of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    Party(usize),
    System(usize),
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub no: u32,
    pub from: Endpoint,
    pub to: Endpoint,
    pub label: String,
    pub via: Option<Via>,
    pub controls: Controls,
    pub items: ItemRefs,
    pub span: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct Declared {
    pub party: usize,
    pub basis: Basis,
    pub items: ItemRefs,
    pub span: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct Acceptance {
    pub finding: String,
    pub reason: String,
    pub by: String,
    pub on: Option<String>,
    pub until: Option<String>,
    pub span: Option<Range<usize>>,
}

impl Model {
    /// The party an endpoint belongs to.
    pub fn party_of(&self, endpoint: Endpoint) -> usize {
        match endpoint {
            Endpoint::Party(p) => p,
            Endpoint::System(s) => self.systems[s].party,
        }
    }

    /// The model name of an endpoint.
    pub fn endpoint_name(&self, endpoint: Endpoint) -> &str {
        match endpoint {
            Endpoint::Party(p) => &self.parties[p].name,
            Endpoint::System(s) => &self.systems[s].name,
        }
    }

    /// Item names of a set, joined with 、 in model order.
    pub fn item_names(&self, set: &ItemSet) -> String {
        set.iter()
            .filter_map(|i| self.items.get(i))
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Items of the given kinds.
    pub fn items_of_kind(&self, kinds: &[ItemKind]) -> ItemSet {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| kinds.contains(&i.kind))
            .map(|(n, _)| n)
            .collect()
    }

    /// The declaration for a party, if the 別紙 names it.
    pub fn declared_for(&self, party: usize) -> Option<&Declared> {
        self.declared_of
            .get(party)
            .copied()
            .flatten()
            .map(|d| &self.declared[d])
    }

    /// "flow ③" style label for a flow step.
    pub fn flow_mark(no: u32) -> String {
        circled(no)
    }
}

/// ① … ⑳ then ㉑ … ㊿, and (51) beyond.
pub fn circled(no: u32) -> String {
    match no {
        1..=20 => char::from_u32(0x2460 + no - 1)
            .map(String::from)
            .unwrap_or_default(),
        21..=35 => char::from_u32(0x3251 + no - 21)
            .map(String::from)
            .unwrap_or_default(),
        36..=50 => char::from_u32(0x32B1 + no - 36)
            .map(String::from)
            .unwrap_or_default(),
        _ => format!("({no})"),
    }
}
