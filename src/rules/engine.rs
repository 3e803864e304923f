//! Runs the rule catalogue over a model: shared propagation computed once, one finding per rule and subject.

use std::collections::BTreeMap;

use serde::Serialize;

use super::predicates::{self, Arg, ItemClass};
use super::{Catalogue, Cond, Rule, Severity, SubjectKind};
use crate::graph::FlowGraph;
use crate::itemset::ItemSet;
use crate::model::{circled, Endpoint, Model, Role, Segment, Via};

/// One thing a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Flow(usize),
    System(usize),
    Party(usize),
    Declared(usize),
    Item(usize),
    Acceptance(usize),
}

/// What a predicate found, for the finding's message and path.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub items: Option<ItemSet>,
    pub path: Option<Vec<usize>>,
}

/// Everything rules share, computed once per model.
pub struct Ctx<'m> {
    pub model: &'m Model,
    pub graph: FlowGraph<'m>,
    classes: [ItemSet; 4],
    party_received: Vec<ItemSet>,
    /// Items some flow carries or some system stores.
    pub carried: ItemSet,
    pub today: crate::date::Date,
    /// Ids of the findings of the first pass (for the acceptance rules).
    pub finding_ids: Vec<String>,
    mynumber_paths: std::cell::OnceCell<Vec<Option<Vec<usize>>>>,
}

impl<'m> Ctx<'m> {
    pub fn new(model: &'m Model, today: crate::date::Date) -> Self {
        let graph = FlowGraph::build(model);
        let classes = [
            model.items_of_kind(ItemClass::Personal.kinds()),
            model.items_of_kind(ItemClass::Sensitive.kinds()),
            model.items_of_kind(ItemClass::MyNumber.kinds()),
            model.items_of_kind(ItemClass::SensitiveOrMyNumber.kinds()),
        ];
        let party_received = (0..model.parties.len())
            .map(|p| graph.party_received(p))
            .collect();
        let mut carried = ItemSet::with_capacity(model.items.len());
        for flow in &model.flows {
            carried.union_with(&flow.items.set);
        }
        for system in &model.systems {
            carried.union_with(&system.stores.set);
        }
        Ctx {
            model,
            graph,
            classes,
            party_received,
            carried,
            today,
            finding_ids: Vec::new(),
            mynumber_paths: std::cell::OnceCell::new(),
        }
    }

    pub fn class(&self, class: ItemClass) -> &ItemSet {
        match class {
            ItemClass::Personal => &self.classes[0],
            ItemClass::Sensitive => &self.classes[1],
            ItemClass::MyNumber => &self.classes[2],
            ItemClass::SensitiveOrMyNumber => &self.classes[3],
        }
    }

    pub fn party_received(&self, party: usize) -> &ItemSet {
        &self.party_received[party]
    }

    /// The chain of flows that brings the first of `items` to party `p` (or one of its systems).
    pub fn explain_party(&self, p: usize, items: &ItemSet) -> Option<Vec<usize>> {
        let item = items.iter().next()?;
        let mut endpoints = vec![Endpoint::Party(p)];
        endpoints.extend(
            self.model
                .systems
                .iter()
                .enumerate()
                .filter(|(_, s)| s.party == p || s.host == Some(p))
                .map(|(i, _)| Endpoint::System(i)),
        );
        endpoints
            .into_iter()
            .filter(|&e| self.graph.held(e).contains(item))
            .map(|e| self.graph.explain(e, item))
            .filter(|path| !path.is_empty())
            .min_by_key(Vec::len)
    }

    /// For system `s` in マイナンバー利用事務系: the shortest chain of network flows, either way, to or from インターネット接続系.
    pub fn mynumber_internet_path(&self, s: usize) -> Option<Vec<usize>> {
        let paths = self.mynumber_paths.get_or_init(|| {
            let internet: Vec<Endpoint> = self
                .model
                .systems
                .iter()
                .enumerate()
                .filter(|(_, sys)| sys.segment == Some(Segment::InternetConnected))
                .map(|(i, _)| Endpoint::System(i))
                .collect();
            // Paper, phone and hand-overs are not network connections; an unstated route might be one.
            let network = |f: usize| self.model.flows[f].via.is_none_or(Via::is_network);
            self.model
                .systems
                .iter()
                .enumerate()
                .map(|(i, sys)| {
                    if sys.segment != Some(Segment::MyNumberUse) || internet.is_empty() {
                        return None;
                    }
                    let me = [Endpoint::System(i)];
                    let out = self.graph.connection(&me, &internet, network);
                    let back = self.graph.connection(&internet, &me, network);
                    match (out, back) {
                        (Some(a), Some(b)) => Some(if b.len() < a.len() { b } else { a }),
                        (a, b) => a.or(b),
                    }
                })
                .collect()
        });
        paths.get(s).cloned().flatten()
    }
}

/// A committee decision recorded against a finding.
#[derive(Clone, Debug, Serialize)]
pub struct Accepted {
    pub reason: String,
    pub by: String,
    pub on: Option<String>,
    pub until: Option<String>,
}

/// One gap found in a model.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable id: `CODE@kind:name` (e.g. `DC001@party:LoGoフォーム事業者`).
    pub id: String,
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub title: String,
    /// What is wrong, with the subject's names filled in.
    pub message: String,
    /// Where: 流れ③（区イントラPC → IHEAT.JP）, システム「…」.
    pub location: String,
    /// The chain of flows that explains it, if any.
    pub path: Option<String>,
    /// Flow numbers on that chain.
    pub path_flows: Vec<u32>,
    pub fix: String,
    /// The kind and model name of the subject.
    pub subject_kind: &'static str,
    pub subject: String,
    /// Byte range in the model text of the subject, for file:line:col.
    #[serde(skip)]
    pub span: Option<std::ops::Range<usize>>,
    pub accepted: Option<Accepted>,
}

/// Runs every rule; findings come back sorted by severity (worst first), then code, then subject order.
pub fn run(model: &Model, rules: &Catalogue, today: crate::date::Date) -> Vec<Finding> {
    let mut ctx = Ctx::new(model, today);
    let mut findings = Vec::new();
    for rule in rules
        .rules
        .iter()
        .filter(|r| r.on != SubjectKind::Acceptance)
    {
        evaluate(&ctx, rule, &mut findings);
    }
    ctx.finding_ids = findings.iter().map(|f| f.id.clone()).collect();
    apply_acceptances(model, &mut findings, today);
    for rule in rules
        .rules
        .iter()
        .filter(|r| r.on == SubjectKind::Acceptance)
    {
        evaluate(&ctx, rule, &mut findings);
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.code.cmp(&b.code))
    });
    findings
}

fn subjects(model: &Model, kind: SubjectKind) -> Vec<Subject> {
    match kind {
        SubjectKind::Flow => (0..model.flows.len()).map(Subject::Flow).collect(),
        SubjectKind::System => (0..model.systems.len()).map(Subject::System).collect(),
        SubjectKind::Party => (0..model.parties.len()).map(Subject::Party).collect(),
        SubjectKind::Declared => (0..model.declared.len()).map(Subject::Declared).collect(),
        SubjectKind::Item => (0..model.items.len()).map(Subject::Item).collect(),
        SubjectKind::Acceptance => (0..model.accepted.len()).map(Subject::Acceptance).collect(),
    }
}

fn evaluate(ctx: &Ctx, rule: &Rule, out: &mut Vec<Finding>) {
    for subject in subjects(ctx.model, rule.on) {
        let mut evidence = Evidence::default();
        if holds(ctx, &rule.when, subject, &mut evidence) {
            out.push(finding(ctx, rule, subject, evidence));
        }
    }
}

/// Evaluates a condition; evidence from inside `not` is discarded, from `any` the first that holds is kept.
fn holds(ctx: &Ctx, cond: &Cond, subject: Subject, ev: &mut Evidence) -> bool {
    match cond {
        Cond::All(cs) => cs.iter().all(|c| holds(ctx, c, subject, ev)),
        Cond::Any(cs) => cs.iter().any(|c| holds(ctx, c, subject, ev)),
        Cond::Not(c) => !holds(ctx, c, subject, &mut Evidence::default()),
        Cond::Is(text) => {
            let kind = match subject {
                Subject::Flow(_) => SubjectKind::Flow,
                Subject::System(_) => SubjectKind::System,
                Subject::Party(_) => SubjectKind::Party,
                Subject::Declared(_) => SubjectKind::Declared,
                Subject::Item(_) => SubjectKind::Item,
                Subject::Acceptance(_) => SubjectKind::Acceptance,
            };
            // Packs are checked when loaded, so a parse failure here cannot happen; treat it as false.
            match predicates::parse(kind, text) {
                Ok((p, arg)) => (p.eval)(ctx, subject, &arg, ev),
                Err(_) => false,
            }
        }
    }
}

fn finding(ctx: &Ctx, rule: &Rule, subject: Subject, ev: Evidence) -> Finding {
    let model = ctx.model;
    let mut vars: BTreeMap<&str, String> = BTreeMap::new();
    let (subject_kind, name, location, span) = match subject {
        Subject::Flow(f) => {
            let flow = &model.flows[f];
            let (from, to) = (model.endpoint_name(flow.from), model.endpoint_name(flow.to));
            vars.insert("flow", circled(flow.no));
            vars.insert("from", from.to_string());
            vars.insert("to", to.to_string());
            vars.insert("label", flow.label.clone());
            vars.insert(
                "via",
                flow.via
                    .map_or("（経路不明）".to_string(), |v| v.ja().to_string()),
            );
            (
                "flow",
                flow.no.to_string(),
                format!("流れ{}（{from} → {to}）", circled(flow.no)),
                flow.span.clone(),
            )
        }
        Subject::System(s) => {
            let sys = &model.systems[s];
            vars.insert("system", sys.name.clone());
            vars.insert("party", model.parties[sys.party].name.clone());
            vars.insert(
                "segment",
                sys.segment.map_or("（セグメント不明）".to_string(), |x| {
                    x.ja().to_string()
                }),
            );
            vars.insert(
                "hosting",
                sys.hosting.map_or("（設置形態不明）".to_string(), |x| {
                    x.ja().to_string()
                }),
            );
            (
                "system",
                sys.name.clone(),
                format!("システム「{}」", sys.name),
                sys.span.clone(),
            )
        }
        Subject::Party(p) => {
            let party = &model.parties[p];
            vars.insert("party", party.name.clone());
            (
                "party",
                party.name.clone(),
                format!("関係者「{}」", party.name),
                party.span.clone(),
            )
        }
        Subject::Declared(d) => {
            let decl = &model.declared[d];
            let party = &model.parties[decl.party];
            vars.insert("party", party.name.clone());
            vars.insert("basis", decl.basis.ja().to_string());
            if let crate::model::Basis::Subcontract { via, .. } = &decl.basis {
                vars.insert("via", via.clone());
            }
            (
                "declared",
                party.name.clone(),
                format!("別紙の相手方「{}」", party.name),
                decl.span.clone(),
            )
        }
        Subject::Item(i) => {
            let item = &model.items[i];
            vars.insert("item", item.name.clone());
            vars.insert("kind", item.kind.ja().to_string());
            (
                "item",
                item.name.clone(),
                format!("情報項目「{}」", item.name),
                item.span.clone(),
            )
        }
        Subject::Acceptance(a) => {
            let acc = &model.accepted[a];
            vars.insert("finding", acc.finding.clone());
            vars.insert("until", acc.until.clone().unwrap_or_default());
            vars.insert("by", acc.by.clone());
            (
                "acceptance",
                acc.finding.clone(),
                format!("受容「{}」", acc.finding),
                acc.span.clone(),
            )
        }
    };
    if let Some(items) = &ev.items {
        vars.insert("items", model.item_names(items));
        vars.insert("count", items.len().to_string());
    }
    let path = ev.path.as_ref().filter(|p| !p.is_empty());
    if let Some(p) = path {
        vars.insert("path", ctx.graph.describe_path(p));
    }
    Finding {
        id: format!("{}@{subject_kind}:{name}", rule.code),
        code: rule.code.clone(),
        name: rule.name.clone(),
        severity: rule.severity,
        title: rule.title.clone(),
        message: fill(&rule.message, &vars),
        location,
        path: path.map(|p| ctx.graph.describe_path(p)),
        path_flows: path
            .map(|p| p.iter().map(|&f| model.flows[f].no).collect())
            .unwrap_or_default(),
        fix: rule.fix.clone(),
        subject_kind,
        subject: name,
        span,
        accepted: None,
    }
}

/// Replaces `{name}` with its value; unknown names are left as written so a typo in a pack is visible.
fn fill(template: &str, vars: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if vars.contains_key(&after[..close]) => {
                out.push_str(&vars[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Marks findings covered by a current acceptance. Expired acceptances do not cover anything.
fn apply_acceptances(model: &Model, findings: &mut [Finding], today: crate::date::Date) {
    for finding in findings.iter_mut() {
        let current = model.accepted.iter().find(|a| {
            wildcard_match(&a.finding, &finding.id)
                && !a
                    .until
                    .as_deref()
                    .and_then(crate::date::parse)
                    .is_some_and(|until| until < today)
        });
        if let Some(a) = current {
            finding.accepted = Some(Accepted {
                reason: a.reason.clone(),
                by: a.by.clone(),
                on: a.on.clone(),
                until: a.until.clone(),
            });
        }
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// Whether a party role is inside the body bringing the paper.
pub fn is_inside(role: Role) -> bool {
    matches!(role, Role::Agency | Role::Internal | Role::Subject)
}

#[allow(dead_code)]
fn _uses(_: Arg) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("DC001@*", "DC001@party:LoGo"));
        assert!(wildcard_match("*@party:LoGo", "DC001@party:LoGo"));
        assert!(wildcard_match("TR*@flow:*", "TR001@flow:4"));
        assert!(!wildcard_match("TR*@flow:5", "TR001@flow:4"));
        assert!(wildcard_match("TR001@flow:4", "TR001@flow:4"));
    }

    #[test]
    fn fill_keeps_unknown_placeholders() {
        let mut vars = BTreeMap::new();
        vars.insert("flow", "③".to_string());
        assert_eq!(fill("流れ{flow}の{nope}", &vars), "流れ③の{nope}");
    }
}
