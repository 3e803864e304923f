//! The validated model: names resolved to indices, groups expanded to item sets, controls resolved, spans kept.

pub mod enums;
pub(crate) mod raw;
pub(crate) mod spans;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

pub use enums::{
    Absence, AssessmentLevel, Basis, FlowKind, Hosting, ItemKind, Place, Role, Segment, SystemKind,
    SystemStatus, Unstated, Via,
};
#[doc(hidden)]
pub use raw::fast_reader_disagreement;
#[doc(hidden)]
pub use spans::span_outline_disagreement;
pub use validate::{load, load_source, parse_only, Loaded};

use crate::itemset::ItemSet;

/// A whole model: one 付議事項 or 評価書.
#[derive(Debug)]
pub struct Model {
    pub title: String,
    /// The paper the model is written from.
    pub paper: Option<String>,
    pub document: Option<String>,
    pub owner: Option<String>,
    pub work: Option<String>,
    pub purpose: Option<String>,
    pub subjects: Option<Subjects>,
    pub period: Option<String>,
    pub assessment: Option<Assessment>,
    /// 変更箇所: the items this paper adds or changes (empty when it is not an amendment).
    pub changes: ItemRefs,
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
    /// The assessment the paper says was carried out (重点項目評価 means 基礎項目評価 and 重点項目評価).
    pub level: AssessmentLevel,
    /// しきい値判断の取扱者数 (委託先の従業者を含む) as written: 「500人以上」「500人未満」.
    pub handlers: Option<String>,
    /// 使用者数 (評価書 II 3④) as written; context for 取扱者数, not the same thing.
    pub users: Option<String>,
    /// 委託先における取扱者数 per 委託事項 (評価書 II 4) as written.
    pub contractor_handlers: Vec<String>,
    /// 重大事故 within `incident_window_years`.
    pub serious_incident: Option<bool>,
    /// The period `serious_incident` answers for, in years (the form's 「過去3年以内」 → 3).
    pub incident_window_years: Option<u32>,
    /// `unstated: [handlers, serious_incident]` and `cite`.
    pub stated: Stated,
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

/// Controls as written and their resolved catalogue ids (with everything they imply), the controls the paper
/// marks 「－」 (not applicable) with their reasons, and the wordings the catalogue did not recognise.
#[derive(Debug, Clone, Default)]
pub struct Controls {
    pub written: Vec<String>,
    /// Shared by every element that writes the same list of controls (a large model repeats a few lists
    /// thousands of times; a copy each was 4.5 MB of a 10 000-system model's peak).
    pub ids: Arc<BTreeSet<String>>,
    /// Catalogue id → the paper's reason why the control is not needed (「－」).
    pub na: BTreeMap<String, String>,
    /// Wordings the catalogue does not know: a finding that depends on a control says they were not read.
    pub unknown: Vec<String>,
    /// Stated controls the catalogue calls weak (SSL, パスワード付きZIP…): (label, why).
    pub weak: Vec<(String, String)>,
}

impl Controls {
    /// The control is stated (or implied by a stated one).
    pub fn has(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The control is stated, or the paper marks it not applicable with a reason.
    pub fn has_or_na(&self, id: &str) -> bool {
        self.ids.contains(id) || self.na.contains_key(id)
    }
}

/// What the paper leaves open about an element, and what it says does not happen.
#[derive(Debug, Clone, Default)]
pub struct Stated {
    pub unstated: Vec<Unstated>,
    pub not: Vec<Absence>,
    /// Where in the paper the element is stated.
    pub cite: Option<String>,
}

impl Stated {
    pub fn is_unstated(&self, field: Unstated) -> bool {
        self.unstated.contains(&field)
    }

    pub fn says_not(&self, absence: Absence) -> bool {
        self.not.contains(&absence)
    }
}

/// A step number as the paper writes it: `3` (drawn ③), `1-1` (①-1), or any other label the paper uses
/// (`1(3)`, `電算`), drawn as written in 〔〕.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StepNo {
    /// As written (trimmed), or None when that is exactly the one number in `parts` in ASCII digits (`no: 3`):
    /// a large model numbers every step so, and keeps no copy of the digits (one allocation fewer per flow).
    text: Option<Box<str>>,
    /// The numbers in it, for ordering.
    parts: Parts,
    /// Digits and hyphens only (`3`, `1-1`): drawn with a circled number.
    simple: bool,
}

/// A step's numbers: one held inline (nearly every step), else a boxed list (none, or several: `1-1`). Always
/// in this canonical form, so that the derived equality and hash see equal numbers as equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Parts {
    One(u32),
    Other(Box<[u32]>),
}

impl Parts {
    fn new(parts: Vec<u32>) -> Parts {
        match parts.as_slice() {
            &[one] => Parts::One(one),
            _ => Parts::Other(parts.into_boxed_slice()),
        }
    }

    fn as_slice(&self) -> &[u32] {
        match self {
            Parts::One(one) => std::slice::from_ref(one),
            Parts::Other(parts) => parts,
        }
    }
}

impl StepNo {
    pub fn number(no: u32) -> StepNo {
        StepNo {
            text: None,
            parts: Parts::One(no),
            simple: true,
        }
    }

    /// The step as written (trimmed).
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match (&self.text, &self.parts) {
            (Some(text), _) => std::borrow::Cow::Borrowed(text),
            (None, parts) => {
                let mut digits = String::with_capacity(10);
                for &part in parts.as_slice() {
                    push_decimal(&mut digits, part);
                }
                std::borrow::Cow::Owned(digits)
            }
        }
    }

    /// Reads a written step number (`"1-1"`, `"2－3"`, `"12"`), or a step the paper names without a number
    /// (`"電算"`); None when it is blank, a part is too large, or its first number is 0.
    pub fn parse(text: &str) -> Option<StepNo> {
        let text = text.trim();
        let mut parts = Vec::new();
        let mut current: Option<u32> = None;
        for c in text.chars() {
            let digit = c.to_digit(10).or_else(|| {
                // Full-width digits ０–９ as clerks type them.
                let code = c as u32;
                (0xFF10..=0xFF19).contains(&code).then(|| code - 0xFF10)
            });
            match digit {
                Some(d) => current = Some(current.unwrap_or(0).checked_mul(10)?.checked_add(d)?),
                None => {
                    if let Some(n) = current.take() {
                        parts.push(n);
                    }
                }
            }
        }
        if let Some(n) = current {
            parts.push(n);
        }
        if text.is_empty() || parts.first() == Some(&0) {
            return None;
        }
        let simple = !parts.is_empty()
            && text.chars().all(|c| {
                c.is_ascii_digit()
                    || ('０'..='９').contains(&c)
                    || matches!(c, '-' | '－' | '‐' | '−')
            });
        let parts = Parts::new(parts);
        // `"3"` is the same step as `3`, in the same form.
        let plain = match parts {
            Parts::One(one) => {
                let mut digits = String::with_capacity(10);
                push_decimal(&mut digits, one);
                digits == text
            }
            Parts::Other(_) => false,
        };
        Some(StepNo {
            text: (!plain).then(|| Box::from(text)),
            parts,
            simple,
        })
    }

    /// The id used in finding ids and JSON (`7`, `1-1`, or the name of an unnumbered step).
    pub fn id(&self) -> String {
        if !self.simple {
            return self.text().into_owned();
        }
        // Every flow's id is made while validating (duplicate numbers) and again for findings: built in place,
        // not as a list of strings joined.
        let parts = self.parts.as_slice();
        let mut out = String::with_capacity(parts.len() * 4);
        for (i, &part) in parts.iter().enumerate() {
            if i > 0 {
                out.push('-');
            }
            push_decimal(&mut out, part);
        }
        out
    }

    /// The numbers of the step, for putting steps in order (empty for a step the paper names without a number).
    pub fn numbers(&self) -> &[u32] {
        if self.simple {
            self.parts.as_slice()
        } else {
            &[]
        }
    }

    /// The first number (③ for `3`, ① for `1-1`).
    pub fn major(&self) -> u32 {
        self.parts.as_slice().first().copied().unwrap_or(0)
    }

    /// The mark drawn in the figure and written in reports: ③, ①-1, or 〔電算〕 for a named step.
    pub fn mark(&self) -> String {
        if !self.simple {
            return format!("〔{}〕", self.text());
        }
        let mut out = circled(self.major());
        for p in self.parts.as_slice().iter().skip(1) {
            out.push('-');
            push_decimal(&mut out, *p);
        }
        out
    }
}

/// Appends `n` in decimal digits (what `to_string` writes, without the formatting machinery).
fn push_decimal(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

impl PartialOrd for StepNo {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StepNo {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Numbered steps first, in number order; named steps after them.
        let (mine, theirs) = (self.parts.as_slice(), other.parts.as_slice());
        (mine.is_empty(), mine)
            .cmp(&(theirs.is_empty(), theirs))
            .then_with(|| match (&self.text, &other.text) {
                // Equal numbers, both written as plain digits: the same text.
                (None, None) => std::cmp::Ordering::Equal,
                _ => self.text().cmp(&other.text()),
            })
    }
}

impl std::fmt::Display for StepNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.mark())
    }
}

#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    pub role: Role,
    pub label: Option<String>,
    pub controls: Controls,
    /// 保存期間・消去の定め as the paper words it.
    pub retention: Option<String>,
    pub stated: Stated,
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
    /// Other bodies that run the system together with `party` (each is a recipient of what it holds).
    pub joint: Vec<usize>,
    /// Where the system is used (庁外: a terminal at home).
    pub place: Option<Place>,
    pub status: SystemStatus,
    pub retention: Option<String>,
    pub stated: Stated,
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
    pub no: StepNo,
    pub kind: FlowKind,
    pub from: Endpoint,
    pub to: Endpoint,
    pub label: String,
    /// The media of the step, in the paper's order; empty when not written.
    pub via: Vec<Via>,
    /// Relays the step passes through without being its recipient.
    pub through: Vec<Endpoint>,
    pub place: Option<Place>,
    pub controls: Controls,
    pub items: ItemRefs,
    pub stated: Stated,
    pub span: Option<Range<usize>>,
}

impl Flow {
    /// A transfer of information (as opposed to a connection, control, service or report arrow).
    pub fn is_data(&self) -> bool {
        self.kind == FlowKind::Data
    }

    /// The paper does not say what the step carries: it may carry any personal data.
    pub fn items_unstated(&self) -> bool {
        self.stated.is_unstated(Unstated::Items)
    }

    /// Carries personal information, or may (items not stated).
    pub fn carries_personal(&self) -> bool {
        self.is_data() && (!self.items.set.is_empty() || self.items_unstated())
    }

    /// Any of the step's media is one of `vias`.
    pub fn via_any(&self, vias: &[Via]) -> bool {
        self.via.iter().any(|v| vias.contains(v))
    }

    /// The network labels of the step (【インターネット回線】【LGWAN回線】), joined.
    pub fn via_label(&self) -> String {
        self.via.iter().map(|v| v.link_label()).collect()
    }

    /// The media in Japanese, joined with ・.
    pub fn via_ja(&self) -> String {
        self.via
            .iter()
            .map(|v| v.ja())
            .collect::<Vec<_>>()
            .join("・")
    }
}

#[derive(Debug, Clone)]
pub struct Declared {
    pub party: usize,
    pub basis: Basis,
    pub items: ItemRefs,
    pub law: Option<String>,
    pub method: Option<String>,
    pub period: Option<String>,
    pub subject_consent: bool,
    pub stated: Stated,
    pub span: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct Acceptance {
    pub finding: String,
    pub reason: String,
    pub by: String,
    /// The decision date as ISO `YYYY-MM-DD`, whatever form (令和6年9月2日, R6.9.2, 2024-09-02) the model used.
    pub on: Option<String>,
    /// The expiry date as ISO `YYYY-MM-DD` (see `on`); the acceptance holds through this day in Japan.
    pub until: Option<String>,
    /// The atoms the committee saw (`item:氏名`, `system:…`, `flow:3`); None for an acceptance written before v2.
    pub covers: Option<Vec<String>>,
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

    /// Item names of a set for a message: 個人番号 and 要配慮 first, at most `limit` names, then 「ほかN項目」.
    pub fn item_names_capped(&self, set: &ItemSet, limit: usize) -> String {
        let mut names: Vec<(u8, usize, &str)> = set
            .iter()
            .filter_map(|i| self.items.get(i).map(|it| (i, it)))
            .map(|(i, it)| {
                let rank = match it.kind {
                    ItemKind::MyNumber => 0,
                    ItemKind::Sensitive => 1,
                    ItemKind::General => 2,
                };
                (rank, i, it.name.as_str())
            })
            .collect();
        names.sort_unstable();
        let total = names.len();
        // 「ほか1項目」 saves nothing: show everything unless at least two would be left out.
        let mut limit = if total <= limit + 1 { total } else { limit };
        // Long item names (a whole line of a 別紙) fill a message fast: stop at about 80 characters.
        let mut chars = 0;
        for (k, n) in names.iter().enumerate().take(limit) {
            chars += n.2.chars().count();
            if k > 0 && chars > 80 {
                limit = k;
                break;
            }
        }
        if total == limit + 1 && limit > 0 {
            limit -= 1;
        }
        // Written straight into one string sized for it (a list joined, then a formatted tail, cost twice as much;
        // every finding on a flow or system names its items).
        let shown = &names[..limit.min(total)];
        let length: usize = shown.iter().map(|n| n.2.len() + "、".len()).sum();
        let mut out = String::with_capacity(length + "ほか項目".len() + 10);
        for (k, n) in shown.iter().enumerate() {
            if k > 0 {
                out.push('、');
            }
            out.push_str(n.2);
        }
        if total > shown.len() {
            out.push_str("ほか");
            push_decimal(&mut out, (total - shown.len()) as u64);
            out.push_str("項目");
        }
        out
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
        // Built in place: a large model's steps are mostly past ㊿, and every finding on a step names it
        // (format! was 1.7 % of a 10 000-system check).
        _ => {
            let mut out = String::with_capacity(12);
            out.push('(');
            push_decimal(&mut out, no);
            out.push(')');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circled_numbers_past_fifty_are_in_parentheses() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(50), "㊿");
        for n in [0, 51, 99, 100, 12_345, u32::MAX] {
            assert_eq!(circled(n), format!("({n})"));
        }
        let mut out = String::new();
        push_decimal(&mut out, u64::MAX);
        assert_eq!(out, u64::MAX.to_string());
    }

    #[test]
    fn step_ids_are_the_numbers_as_to_string_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX - 1, u32::MAX] {
            assert_eq!(StepNo::number(n).id(), n.to_string());
            assert_eq!(StepNo::number(n).text(), n.to_string());
            assert_eq!(
                StepNo::parse(&n.to_string()),
                (n > 0).then(|| StepNo::number(n))
            );
        }
        // Written otherwise than as plain digits, the text is kept, and orders after the plain form.
        let padded = StepNo::parse(" 03 ").expect("a step");
        assert_eq!(padded.text(), "03");
        assert_eq!(padded.id(), "3");
        assert_ne!(padded, StepNo::number(3));
        assert_eq!(StepNo::number(3).cmp(&padded), "3".cmp("03"));
        let named = StepNo::parse("電算").expect("a named step");
        assert_eq!(
            (named.id(), named.mark()),
            ("電算".into(), "〔電算〕".into())
        );
        assert!(StepNo::number(u32::MAX) < named);
        let parsed = StepNo::parse("１２－０３-4000000000").map(|s| s.id());
        assert_eq!(parsed.as_deref(), Some("12-3-4000000000"));
    }
}
