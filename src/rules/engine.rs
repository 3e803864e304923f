//! Runs the rule catalogue over a model: shared propagation computed once, one finding per rule and subject.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::predicates::{self, Arg, ItemClass};
use super::{Catalogue, Cond, Rule, Severity, SubjectKind};
use crate::graph::FlowGraph;
use crate::itemset::ItemSet;
use crate::model::{Endpoint, Model, Role, Segment};

/// One thing a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// Explain how `items` reach this party, once the whole condition holds (a search per finding, not per test).
    pub explain_party: Option<usize>,
    /// Personal data whose items the paper does not state is involved (a step with `unstated: [items]`).
    pub unknown: bool,
    /// Free text for the message's `{detail}` (relay names, weak wordings).
    pub detail: Option<String>,
}

/// Everything rules share, computed once per model.
pub struct Ctx<'m> {
    pub model: &'m Model,
    pub graph: FlowGraph<'m>,
    classes: [ItemSet; 4],
    /// Items some flow carries or some system stores.
    pub carried: ItemSet,
    pub today: crate::date::Date,
    /// Ids of the findings of the first pass (for the acceptance rules).
    pub finding_ids: Vec<String>,
    /// Flows that name relays (`through`), in model order: the only flows a relay rule needs to look at.
    pub through_flows: Vec<usize>,
    /// For each system: some flow names it as a relay (`through`).
    pub relay_system: Vec<bool>,
    /// For each party: the systems it runs itself (`party`), in model order (not those it hosts or runs jointly).
    pub own_systems: Vec<Vec<usize>>,
    /// For each flow: its media as a bit mask (bit `Via as u32`), so `via` tests read one word per flow.
    pub flow_via_mask: Vec<u64>,
    /// For each flow: the roles of the parties at its (from, to) ends, read without visiting the flow.
    pub flow_roles: Vec<(Role, Role)>,
    /// Each flow's step number as an id (`3`, `1-1`), made on first use: findings name the same flows many times.
    flow_ids: Vec<std::cell::OnceCell<String>>,
    /// Internet-segment systems and which endpoints reach them / are reached from them (computed on first use).
    mynumber_paths: std::cell::OnceCell<(crate::graph::SearchTree, crate::graph::SearchTree)>,
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
        let mut carried = ItemSet::with_capacity(model.items.len());
        for flow in &model.flows {
            carried.union_with(&flow.items.set);
        }
        for system in &model.systems {
            carried.union_with(&system.stores.set);
            // An item named only to say where it must never go is used on purpose, not forgotten.
            carried.union_with(&system.excludes.set);
        }
        // Indexes built once, so no rule scans every flow or system for each subject.
        let mut through_flows = Vec::new();
        let mut relay_system = vec![false; model.systems.len()];
        for (f, flow) in model.flows.iter().enumerate() {
            if !flow.through.is_empty() {
                through_flows.push(f);
            }
            for e in &flow.through {
                if let Endpoint::System(s) = *e {
                    relay_system[s] = true;
                }
            }
        }
        let mut own_systems = vec![Vec::new(); model.parties.len()];
        for (s, system) in model.systems.iter().enumerate() {
            own_systems[system.party].push(s);
        }
        let flow_via_mask = model.flows.iter().map(|f| via_mask(&f.via)).collect();
        let role = |e: Endpoint| model.parties[model.party_of(e)].role;
        let flow_roles = model
            .flows
            .iter()
            .map(|f| (role(f.from), role(f.to)))
            .collect();
        Ctx {
            model,
            graph,
            flow_via_mask,
            flow_roles,
            flow_ids: vec![std::cell::OnceCell::new(); model.flows.len()],
            classes,
            carried,
            today,
            through_flows,
            relay_system,
            own_systems,
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

    /// Flow `f`'s step number as an id (`3`, `1-1`).
    pub fn flow_id(&self, f: usize) -> &str {
        self.flow_ids[f].get_or_init(|| self.model.flows[f].no.id())
    }

    pub fn party_received(&self, party: usize) -> &ItemSet {
        self.graph.party_received(party)
    }

    /// The chain of flows that brings the first of `items` to party `p` (or one of its systems).
    pub fn explain_party(&self, p: usize, items: &ItemSet) -> Option<Vec<usize>> {
        let item = items.iter().next()?;
        self.graph
            .party_endpoints(p)
            .filter(|&e| self.graph.held(e).contains(item))
            .map(|e| self.graph.explain(e, item))
            .filter(|path| !path.is_empty())
            .min_by_key(Vec::len)
    }

    /// For system `s` in マイナンバー利用事務系: the shortest chain of network flows, either way, to or from インターネット接続系.
    pub fn mynumber_internet_path(&self, s: usize) -> Option<Vec<usize>> {
        let (to_internet, from_internet) = self.mynumber_paths.get_or_init(|| {
            // Only stated network links count: paper, phone, hand-overs, 手入力 and 画面参照 are not connections,
            // and a route the paper leaves unstated is asked about by TR006, not reported as a breach. A link
            // through 無害化 or 画面転送 is the separation the guideline allows, so it does not connect the segments.
            // Worked out once per flow, in model order: the two searches below asked it of every flow each, and
            // each answer looks up control ids in two sets (a twentieth of an office-wide check).
            let network: Vec<bool> = self
                .model
                .flows
                .iter()
                .map(|flow| {
                    flow.via.iter().any(|v| v.is_network())
                        && !flow.controls.has("sanitization")
                        && !flow.controls.has("screen-transfer")
                })
                .collect();
            let network = |f: usize| network[f];
            let internet: Vec<Endpoint> = self
                .model
                .systems
                .iter()
                .enumerate()
                .filter(|(_, sys)| sys.segment == Some(Segment::InternetConnected))
                .map(|(i, _)| Endpoint::System(i))
                .collect();
            // Two searches from all internet systems at once, shared by every MN system.
            (
                self.graph.search_tree(&internet, false, network),
                self.graph.search_tree(&internet, true, network),
            )
        });
        let me = Endpoint::System(s);
        match (to_internet.chain(me), from_internet.chain(me)) {
            (Some(a), Some(b)) => Some(if b.len() < a.len() { b } else { a }),
            (a, b) => a.or(b),
        }
    }
}

/// The bit mask of a list of media (bit `Via as u32`; there are fewer than 64).
pub fn via_mask(vias: &[crate::model::Via]) -> u64 {
    vias.iter().fold(0, |mask, &v| mask | 1 << (v as u32))
}

/// A committee decision recorded against a finding.
#[derive(Clone, Debug, Serialize)]
pub struct Accepted {
    pub reason: String,
    pub by: String,
    pub on: Option<String>,
    pub until: Option<String>,
}

/// How many item names a message lists before 「ほかN項目」.
const ITEMS_SHOWN: usize = 6;

/// One gap found in a model.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable id: `CODE@kind:name` (e.g. `DC001@party:LoGoフォーム事業者`).
    pub id: String,
    /// The rule's code, name, title and fix are shared by all its findings (hundreds of thousands on an
    /// office-wide model), not copied into each; they serialise as plain strings.
    pub code: Arc<str>,
    pub name: Arc<str>,
    pub severity: Severity,
    pub title: Arc<str>,
    /// What is wrong, with the subject's names filled in.
    pub message: String,
    /// Where: 流れ③（区イントラPC → IHEAT.JP）, システム「…」.
    pub location: String,
    /// The chain of flows that explains it, if any.
    pub path: Option<String>,
    /// Step numbers on that chain, as ids (`3`, `1-1`).
    pub path_flows: Vec<String>,
    pub fix: Arc<str>,
    /// The kind and model name of the subject.
    pub subject_kind: &'static str,
    pub subject: String,
    /// The same subject as a typed model index (None for a finding about the whole model): what the diagram
    /// marks, so it never matches names or step numbers as text.
    #[serde(skip)]
    pub target: Option<Subject>,
    /// What the finding is about, as atoms (`item:氏名`, `system:IHEAT.JP`, `flow:3`): an acceptance records
    /// these, and stays valid only while the finding covers nothing more.
    pub covers: Vec<String>,
    /// Atoms the finding covers that a matching acceptance did not (so it is reported as new).
    pub beyond_acceptance: Vec<String>,
    /// Control wordings on the subject that the catalogue did not recognise (the finding may be wrong because of them).
    pub unread_controls: Vec<String>,
    /// Byte range in the model text of the subject, for file:line:col.
    #[serde(skip)]
    pub span: Option<std::ops::Range<usize>>,
    /// Boxed: few findings are accepted, and the decision's four fields would otherwise widen every finding.
    pub accepted: Option<Box<Accepted>>,
}

/// A rule's condition with every predicate looked up and its argument parsed, once per run.
enum Compiled {
    All(Vec<Compiled>),
    Any(Vec<Compiled>),
    Not(Box<Compiled>),
    Is(&'static predicates::Predicate, Arg),
}

fn compile(cond: &Cond, kind: SubjectKind) -> Compiled {
    match cond {
        Cond::All(cs) => Compiled::All(cs.iter().map(|c| compile(c, kind)).collect()),
        Cond::Any(cs) => Compiled::Any(cs.iter().map(|c| compile(c, kind)).collect()),
        Cond::Not(c) => Compiled::Not(Box::new(compile(c, kind))),
        // Packs are checked when loaded, so this cannot fail; if it did, `any([])` is false and the rule stays silent.
        Cond::Is(text) => match predicates::parse(kind, text) {
            Ok((p, arg)) => Compiled::Is(p, arg),
            Err(_) => Compiled::Any(Vec::new()),
        },
    }
}

/// Runs every rule; findings come back sorted by severity (worst first), then code, then subject order.
pub fn run(model: &Model, rules: &Catalogue, today: crate::date::Date) -> Vec<Finding> {
    find(model, rules, today).into_findings()
}

/// Runs every rule and keeps what each finding needs, in the order [`run`] gives, without building the findings:
/// `check` builds each one as it writes it ([`Found::iter`]), so a model with hundreds of thousands of findings
/// never holds all their texts at once.
pub fn find<'a>(model: &'a Model, rules: &'a Catalogue, today: crate::date::Date) -> Found<'a> {
    let mut ctx = Ctx::new(model, today);
    let compiled: Vec<CompiledRule> = rules
        .rules
        .iter()
        .map(|r| CompiledRule {
            rule: r,
            text: RuleText {
                code: Arc::from(r.code.as_str()),
                name: Arc::from(r.name.as_str()),
                title: Arc::from(r.title.as_str()),
                fix: Arc::from(r.fix.as_str()),
            },
            template: Template::compile(&r.message),
            when: compile(&r.when, r.on),
            escalate: r
                .escalate
                .iter()
                .map(|e| (compile(&e.when, r.on), e.severity))
                .collect(),
        })
        .collect();
    // Rules run kind by kind, subject by subject, so the records are not yet in their final order: the sort below
    // orders them by severity and code, then (rules sharing a code) in the order kinds and rules are listed, then
    // by subject, so the order rules ran in does not show. Hits go straight into the records: collecting each
    // rule's hits first held and copied them all twice (tens of MB on an office-wide model).
    let mut records = Vec::new();
    // Acceptances compare each finding's id and covers, so a model that records any has its findings built now
    // (such models are committee papers, small); the others keep the hits until they are written.
    let accepting = !model.accepted.is_empty();
    // A `once` rule's hits wait here, by rule, to be merged into its one finding.
    let mut once_hits: Vec<Vec<Hit>> = compiled.iter().map(|_| Vec::new()).collect();
    for kind in [
        SubjectKind::Flow,
        SubjectKind::System,
        SubjectKind::Party,
        SubjectKind::Declared,
        SubjectKind::Item,
    ] {
        find_hits(&ctx, &compiled, kind, |r, hit| {
            if compiled[r].rule.once.is_some() {
                once_hits[r].push(hit);
            } else {
                records.push(record(&ctx, &compiled[r], r, hit, accepting));
            }
        });
    }
    merge_once_hits(&ctx, &compiled, &mut once_hits, &mut records);
    if accepting {
        ctx.finding_ids = records
            .iter()
            .filter_map(|record| match &record.body {
                Body::Built(f) => Some(f.id.clone()),
                Body::Hit { .. } => None,
            })
            .collect();
        apply_acceptances(
            model,
            records
                .iter_mut()
                .filter_map(|record| match &mut record.body {
                    Body::Built(f) => Some(&mut **f),
                    Body::Hit { .. } => None,
                }),
            today,
        );
    }
    find_hits(&ctx, &compiled, SubjectKind::Acceptance, |r, hit| {
        if compiled[r].rule.once.is_some() {
            once_hits[r].push(hit);
        } else {
            records.push(record(&ctx, &compiled[r], r, hit, false));
        }
    });
    merge_once_hits(&ctx, &compiled, &mut once_hits, &mut records);
    // Sorted by one integer per record (severity, then the rank of the rule's code, then the record's position,
    // which keeps the sort stable), then the records are moved into that order in place, one cycle at a time.
    let mut by_code: Vec<usize> = (0..compiled.len()).collect();
    by_code.sort_by(|&a, &b| compiled[a].text.code.cmp(&compiled[b].text.code));
    // Rule counts are far below 2^24, so severity, code rank and rule order share one key.
    let mut code_rank = vec![0u64; compiled.len()];
    for (rank, pair) in by_code.iter().enumerate() {
        code_rank[*pair] = rank as u64;
    }
    // Rules that share a code share a rank (the first of them), as a sort by code would treat them alike.
    for pair in by_code.windows(2) {
        if compiled[pair[0]].text.code == compiled[pair[1]].text.code {
            code_rank[pair[1]] = code_rank[pair[0]];
        }
    }
    // The order rules were listed in before: by kind (as they ran), then as the catalogue lists them.
    let kind_rank = |kind: SubjectKind| match kind {
        SubjectKind::Flow => 0,
        SubjectKind::System => 1,
        SubjectKind::Party => 2,
        SubjectKind::Declared => 3,
        SubjectKind::Item => 4,
        SubjectKind::Acceptance => 5,
    };
    let rule_order: Vec<u64> = compiled
        .iter()
        .enumerate()
        .map(|(r, c)| (kind_rank(c.rule.on) * compiled.len() + r) as u64)
        .collect();
    let mut keys: Vec<(u64, usize)> = records
        .iter()
        .enumerate()
        .map(|(at, record)| {
            // Worst first: Critical (the largest severity) gets the smallest key.
            let severity = Severity::ALL
                .iter()
                .position(|&s| s == record.severity)
                .unwrap_or(Severity::ALL.len()) as u64;
            (
                severity << 48 | code_rank[record.rule] << 24 | rule_order[record.rule],
                at,
            )
        })
        .collect();
    keys.sort_unstable();
    permute(&mut records, keys.into_iter().map(|(_, at)| at).collect());
    Found {
        ctx,
        rules: compiled,
        records,
    }
}

/// One model's findings in their final order, each kept as the hit it comes from until it is read.
pub struct Found<'a> {
    ctx: Ctx<'a>,
    rules: Vec<CompiledRule<'a>>,
    records: Vec<Record>,
}

/// A finding not yet built: the rule, subject and evidence [`finding`] needs, or the finding itself when it had to
/// be built early (a `once` rule's merged finding; every finding of a model with acceptances).
struct Record {
    severity: Severity,
    /// The rule's index in [`Found::rules`].
    rule: usize,
    body: Body,
}

enum Body {
    Hit {
        subject: Subject,
        evidence: Evidence,
    },
    Built(Box<Finding>),
}

/// How many findings of each severity, and how many of them are accepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Indexed like [`Severity::ALL`] (worst first).
    pub by_severity: [usize; Severity::ALL.len()],
    /// Accepted findings, indexed the same way.
    pub accepted_by_severity: [usize; Severity::ALL.len()],
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            counts.count(f.severity, f.accepted.is_some());
        }
        counts
    }

    fn count(&mut self, severity: Severity, accepted: bool) {
        if let Some(i) = Severity::ALL.iter().position(|&s| s == severity) {
            self.by_severity[i] += 1;
            if accepted {
                self.accepted_by_severity[i] += 1;
            }
        }
    }

    /// Adds another model's counts.
    pub fn add(&mut self, other: &Counts) {
        for i in 0..Severity::ALL.len() {
            self.by_severity[i] += other.by_severity[i];
            self.accepted_by_severity[i] += other.accepted_by_severity[i];
        }
    }

    pub fn total(&self) -> usize {
        self.by_severity.iter().sum()
    }

    pub fn accepted(&self) -> usize {
        self.accepted_by_severity.iter().sum()
    }

    /// Some finding at `severity` or worse is not accepted.
    pub fn any_open_at_least(&self, severity: Severity) -> bool {
        Severity::ALL
            .iter()
            .enumerate()
            .any(|(i, &s)| s >= severity && self.by_severity[i] > self.accepted_by_severity[i])
    }
}

impl<'a> Found<'a> {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Counts by severity and acceptance, read from the records (no finding is built).
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for record in &self.records {
            let accepted = match &record.body {
                Body::Built(f) => f.accepted.is_some(),
                Body::Hit { .. } => false,
            };
            counts.count(record.severity, accepted);
        }
        counts
    }

    /// Each finding in order, built when it is reached with the fields `detail` asks for (borrowed, and whole,
    /// when it was built early): the caller writes it and drops it before the next is built.
    pub fn iter(&self, detail: Detail) -> impl Iterator<Item = Cow<'_, Finding>> + '_ {
        self.records.iter().map(move |record| match &record.body {
            Body::Built(f) => Cow::Borrowed(&**f),
            Body::Hit { subject, evidence } => Cow::Owned(finding_with(
                &self.ctx,
                &self.rules[record.rule],
                *subject,
                evidence,
                record.severity,
                detail,
            )),
        })
    }

    /// Every finding, built.
    pub fn into_findings(self) -> Vec<Finding> {
        let Found {
            ctx,
            rules,
            records,
        } = self;
        let mut findings = Vec::with_capacity(records.len());
        for record in records {
            findings.push(match record.body {
                Body::Built(f) => *f,
                Body::Hit { subject, evidence } => finding(
                    &ctx,
                    &rules[record.rule],
                    subject,
                    &evidence,
                    record.severity,
                ),
            });
        }
        findings
    }
}

/// Puts `items[order[i]]` at position `i` for every `i` (`order` is a permutation), with swaps and no copy.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

fn subjects(model: &Model, kind: SubjectKind) -> impl Iterator<Item = Subject> {
    let count = match kind {
        SubjectKind::Flow => model.flows.len(),
        SubjectKind::System => model.systems.len(),
        SubjectKind::Party => model.parties.len(),
        SubjectKind::Declared => model.declared.len(),
        SubjectKind::Item => model.items.len(),
        SubjectKind::Acceptance => model.accepted.len(),
    };
    (0..count).map(move |i| match kind {
        SubjectKind::Flow => Subject::Flow(i),
        SubjectKind::System => Subject::System(i),
        SubjectKind::Party => Subject::Party(i),
        SubjectKind::Declared => Subject::Declared(i),
        SubjectKind::Item => Subject::Item(i),
        SubjectKind::Acceptance => Subject::Acceptance(i),
    })
}

/// A rule's constant text, shared by every finding of the rule.
struct RuleText {
    code: Arc<str>,
    name: Arc<str>,
    title: Arc<str>,
    fix: Arc<str>,
}

/// A rule with its condition and escalations compiled for one run.
struct CompiledRule<'r> {
    rule: &'r Rule,
    text: RuleText,
    /// The message, compiled once for all the rule's findings.
    template: Template<'r>,
    when: Compiled,
    escalate: Vec<(Compiled, Severity)>,
}

/// A subject a rule's condition holds for: what the predicates found, and the severity after escalation.
struct Hit {
    subject: Subject,
    evidence: Evidence,
    severity: Severity,
}

/// Runs every rule on subjects of `kind`, handing each hit to `found` with its rule's index: subject by subject,
/// and for each subject the rules in catalogue order.
fn find_hits(
    ctx: &Ctx,
    rules: &[CompiledRule],
    kind: SubjectKind,
    mut found: impl FnMut(usize, Hit),
) {
    let on_kind: Vec<(usize, &CompiledRule)> = rules
        .iter()
        .enumerate()
        .filter(|(_, c)| c.rule.on == kind)
        .collect();
    if on_kind.is_empty() {
        return;
    }
    // Subject by subject, every rule on it: a subject's data (and its ends', for a flow) is fetched from memory
    // once for all the rules, not once per rule (tens of passes over an office-sized model).
    for subject in subjects(ctx.model, kind) {
        for &(r, compiled) in &on_kind {
            let mut evidence = Evidence::default();
            if holds(ctx, &compiled.when, subject, &mut evidence) {
                let severity = compiled
                    .escalate
                    .iter()
                    .filter(|(cond, _)| holds(ctx, cond, subject, &mut Evidence::default()))
                    .map(|&(_, s)| s)
                    .fold(compiled.rule.severity, Severity::max);
                found(
                    r,
                    Hit {
                        subject,
                        evidence,
                        severity,
                    },
                );
            }
        }
    }
}

/// The record of one hit of rule `rule`: the hit itself, or (`build`) its finding built now.
fn record(ctx: &Ctx, compiled: &CompiledRule, rule: usize, hit: Hit, build: bool) -> Record {
    Record {
        severity: hit.severity,
        rule,
        body: if build {
            Body::Built(Box::new(finding(
                ctx,
                compiled,
                hit.subject,
                &hit.evidence,
                hit.severity,
            )))
        } else {
            Body::Hit {
                subject: hit.subject,
                evidence: hit.evidence,
            }
        },
    }
}

/// Appends, for each `once` rule with hits waiting, its one merged finding (and empties the wait lists).
fn merge_once_hits(
    ctx: &Ctx,
    rules: &[CompiledRule],
    once_hits: &mut [Vec<Hit>],
    out: &mut Vec<Record>,
) {
    for (rule, hits) in once_hits.iter_mut().enumerate() {
        let compiled = &rules[rule];
        let Some(template) = &compiled.rule.once else {
            continue;
        };
        if hits.is_empty() {
            continue;
        }
        let merged: Vec<Finding> = std::mem::take(hits)
            .into_iter()
            .map(|hit| finding(ctx, compiled, hit.subject, &hit.evidence, hit.severity))
            .collect();
        let merged = merge_once(ctx, compiled, template, merged);
        out.push(Record {
            severity: merged.severity,
            rule,
            body: Body::Built(Box::new(merged)),
        });
    }
}

/// How many subject names a merged finding lists before 「ほかN件」.
const SUBJECTS_SHOWN: usize = 8;

/// One finding for the whole model from every subject a `once` rule found.
fn merge_once(ctx: &Ctx, compiled: &CompiledRule, template: &str, found: Vec<Finding>) -> Finding {
    let rule = compiled.rule;
    let names: Vec<String> = found
        .iter()
        .map(|f| match f.subject_kind {
            "flow" => f.location.clone(),
            _ => format!("「{}」", f.subject),
        })
        .collect();
    let mut list = names
        .iter()
        .take(SUBJECTS_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if names.len() > SUBJECTS_SHOWN {
        list.push_str(&format!("ほか{}件", names.len() - SUBJECTS_SHOWN));
    }
    let mut vars: BTreeMap<&str, String> = BTreeMap::new();
    vars.insert("list", list);
    vars.insert("count", names.len().to_string());
    // 「…の3件は」, but just 「…は」 for one.
    vars.insert(
        "n",
        if names.len() > 1 {
            format!("の{}件", names.len())
        } else {
            String::new()
        },
    );
    let mut covers: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut unread: Vec<String> = Vec::new();
    for f in &found {
        covers.insert(format!("{}:{}", f.subject_kind, f.subject));
        covers.extend(f.covers.iter().cloned());
        for w in &f.unread_controls {
            if !unread.contains(w) {
                unread.push(w.clone());
            }
        }
    }
    let first = &found[0];
    let severity = found
        .iter()
        .map(|f| f.severity)
        .fold(rule.severity, Severity::max);
    Finding {
        id: format!("{}@model", rule.code),
        code: compiled.text.code.clone(),
        name: compiled.text.name.clone(),
        severity,
        title: compiled.text.title.clone(),
        message: fill(template, &vars),
        location: if found.len() > 1 {
            format!("モデル全体（最初は{}）", first.location)
        } else {
            format!("モデル全体（{}）", first.location)
        },
        path: None,
        path_flows: Vec::new(),
        fix: compiled.text.fix.clone(),
        subject_kind: "model",
        subject: ctx.model.title.clone(),
        target: None,
        covers: covers.into_iter().collect(),
        beyond_acceptance: Vec::new(),
        unread_controls: unread,
        span: first.span.clone(),
        accepted: None,
    }
}

/// Evaluates a condition; evidence from inside `not` is discarded, from `any` the first that holds is kept.
fn holds(ctx: &Ctx, cond: &Compiled, subject: Subject, ev: &mut Evidence) -> bool {
    match cond {
        Compiled::All(cs) => cs.iter().all(|c| holds(ctx, c, subject, ev)),
        Compiled::Any(cs) => cs.iter().any(|c| holds(ctx, c, subject, ev)),
        Compiled::Not(c) => !holds(ctx, c, subject, &mut Evidence::default()),
        Compiled::Is(p, arg) => (p.eval)(ctx, subject, arg, ev),
    }
}

/// How much of a finding [`Found::iter`] builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Every field.
    Full,
    /// Every field but `covers` and `path_flows`, left empty: what the text report prints (it shows neither).
    /// Working out the covers (sorting the atoms of a party's, thousands on an office-wide model) and the flow
    /// ids of each path was a twentieth of such a check.
    Text,
}

/// Builds the whole finding of one hit: its message, id, location, path and covers.
fn finding(
    ctx: &Ctx,
    compiled: &CompiledRule,
    subject: Subject,
    ev: &Evidence,
    severity: Severity,
) -> Finding {
    finding_with(ctx, compiled, subject, ev, severity, Detail::Full)
}

/// Builds the finding of one hit, with the fields `detail` asks for.
fn finding_with(
    ctx: &Ctx,
    compiled: &CompiledRule,
    subject: Subject,
    ev: &Evidence,
    severity: Severity,
    detail: Detail,
) -> Finding {
    let model = ctx.model;
    let rule = compiled.rule;
    let template = &compiled.template;
    // A flow's circled step number, worked out once for both its message and its location.
    let flow_mark: String;
    let mut vars = Vars::new(template);
    let (subject_kind, name, location, span) = match subject {
        Subject::Flow(f) => {
            let flow = &model.flows[f];
            let (from, to) = (model.endpoint_name(flow.from), model.endpoint_name(flow.to));
            flow_mark = flow.no.mark();
            vars.set(Slot::Flow, || flow_mark.as_str());
            vars.set(Slot::From, || from);
            vars.set(Slot::To, || to);
            vars.set(Slot::Label, || flow.label.as_str());
            let segment_of = |e: Endpoint| match e {
                Endpoint::System(s) => model.systems[s]
                    .segment
                    .map_or("セグメント不明".to_string(), |x| x.ja().to_string()),
                Endpoint::Party(_) => "関係者".to_string(),
            };
            let open: Vec<&str> = flow
                .stated
                .unstated
                .iter()
                .map(|u| match u {
                    crate::model::Unstated::Via => "どの経路で運ぶか",
                    crate::model::Unstated::Controls => "どの安全対策をとるか",
                    crate::model::Unstated::Items => "どの情報項目を渡すか",
                    _ => "",
                })
                .filter(|t| !t.is_empty())
                .collect();
            vars.set(Slot::Open, || open.join("、"));
            vars.set(Slot::FromSegment, || segment_of(flow.from));
            vars.set(Slot::ToSegment, || segment_of(flow.to));
            vars.set(Slot::Via, || {
                if flow.via.is_empty() {
                    "（経路不明）".to_string()
                } else {
                    flow.via_ja()
                }
            });
            (
                "flow",
                ctx.flow_id(f).to_string(),
                joined(&["流れ", &flow_mark, "（", from, " → ", to, "）"]),
                flow.span.clone(),
            )
        }
        Subject::System(s) => {
            let sys = &model.systems[s];
            vars.set(Slot::System, || sys.name.as_str());
            vars.set(Slot::Party, || model.parties[sys.party].name.as_str());
            vars.set(Slot::Segment, || {
                sys.segment.map_or("（セグメント不明）".to_string(), |x| {
                    x.ja().to_string()
                })
            });
            vars.set(Slot::Hosting, || {
                sys.hosting.map_or("（設置形態不明）".to_string(), |x| {
                    x.ja().to_string()
                })
            });
            (
                "system",
                sys.name.clone(),
                joined(&["システム「", &sys.name, "」"]),
                sys.span.clone(),
            )
        }
        Subject::Party(p) => {
            let party = &model.parties[p];
            vars.set(Slot::Party, || party.name.as_str());
            (
                "party",
                party.name.clone(),
                joined(&["関係者「", &party.name, "」"]),
                party.span.clone(),
            )
        }
        Subject::Declared(d) => {
            let decl = &model.declared[d];
            let party = &model.parties[decl.party];
            vars.set(Slot::Party, || party.name.as_str());
            vars.set(Slot::Basis, || decl.basis.ja());
            // A 委託 hands over work, not a provision: its legal basis is asked only for 個人番号 (MN003).
            let outsourcing = matches!(
                decl.basis,
                crate::model::Basis::Outsourcing | crate::model::Basis::Subcontract { .. }
            );
            let mut open: Vec<&str> = decl
                .stated
                .unstated
                .iter()
                .filter_map(|u| match u {
                    crate::model::Unstated::Law if !outsourcing => Some("法令上の根拠"),
                    crate::model::Unstated::Method => Some("提供・結合の方法"),
                    crate::model::Unstated::Period => Some("期間"),
                    _ => None,
                })
                .collect();
            if decl.law.is_none() && !outsourcing && !open.contains(&"法令上の根拠") {
                open.insert(0, "法令上の根拠");
            }
            vars.set(Slot::Open, || open.join("、"));
            if let crate::model::Basis::Subcontract { via, .. } = &decl.basis {
                vars.set(Slot::Via, || via.as_str());
            }
            (
                "declared",
                party.name.clone(),
                joined(&["別紙の相手方「", &party.name, "」"]),
                decl.span.clone(),
            )
        }
        Subject::Item(i) => {
            let item = &model.items[i];
            vars.set(Slot::Item, || item.name.as_str());
            vars.set(Slot::Kind, || item.kind.ja());
            (
                "item",
                item.name.clone(),
                joined(&["情報項目「", &item.name, "」"]),
                item.span.clone(),
            )
        }
        Subject::Acceptance(a) => {
            let acc = &model.accepted[a];
            vars.set(Slot::Finding, || acc.finding.as_str());
            // Shown to the committee in 和暦.
            vars.set(Slot::Until, || {
                acc.until
                    .as_deref()
                    .map(crate::date::wareki_text)
                    .unwrap_or_default()
            });
            vars.set(Slot::By, || acc.by.as_str());
            (
                "acceptance",
                acc.finding.clone(),
                joined(&["受容「", &acc.finding, "」"]),
                acc.span.clone(),
            )
        }
    };
    if let Some(items) = &ev.items {
        vars.set(Slot::Items, || {
            let mut names = model.item_names_capped(items, ITEMS_SHOWN);
            if ev.unknown {
                if names.is_empty() {
                    names = "資料に記載のない情報項目".to_string();
                } else {
                    names.push_str("、資料に記載のない情報項目");
                }
            }
            names
        });
        vars.set(Slot::Count, || items.len().to_string());
    }
    if let Some(detail) = &ev.detail {
        vars.set(Slot::Detail, || detail.as_str());
    }
    let full = detail == Detail::Full;
    let covers = if full {
        covers(ctx, subject, ev)
    } else {
        Vec::new()
    };
    let unread_controls = unread_controls(ctx, subject);
    let explained = match (&ev.path, ev.explain_party, &ev.items) {
        (None, Some(p), Some(items)) => ctx.explain_party(p, items),
        _ => None,
    };
    let path = ev
        .path
        .as_ref()
        .or(explained.as_ref())
        .filter(|p| !p.is_empty());
    let described = path.map(|p| {
        let mut text = ctx.graph.describe_path(p);
        // Kept with the finding: no spare room from growing the text step by step.
        text.shrink_to_fit();
        text
    });
    if let Some(d) = &described {
        vars.set(Slot::Path, || d.clone());
    }
    Finding {
        id: joined(&[&rule.code, "@", subject_kind, ":", &name]),
        code: compiled.text.code.clone(),
        name: compiled.text.name.clone(),
        severity,
        title: compiled.text.title.clone(),
        message: tidy(template.fill(&vars)),
        location,
        path: described,
        path_flows: path
            .filter(|_| full)
            .map(|p| p.iter().map(|&f| ctx.flow_id(f).to_string()).collect())
            .unwrap_or_default(),
        fix: compiled.text.fix.clone(),
        subject_kind,
        subject: name,
        target: Some(subject),
        covers,
        beyond_acceptance: Vec::new(),
        unread_controls,
        span,
        accepted: None,
    }
}

/// A value a rule's message can name (`{flow}`, `{items}`, …): the slots [`finding`] knows how to fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Flow,
    From,
    To,
    Label,
    Open,
    FromSegment,
    ToSegment,
    Via,
    System,
    Party,
    Segment,
    Hosting,
    Basis,
    Item,
    Kind,
    Finding,
    Until,
    By,
    Items,
    Count,
    Detail,
    Path,
}

impl Slot {
    /// Every slot with the name a template writes between braces.
    const ALL: [(&'static str, Slot); 22] = [
        ("flow", Slot::Flow),
        ("from", Slot::From),
        ("to", Slot::To),
        ("label", Slot::Label),
        ("open", Slot::Open),
        ("from_segment", Slot::FromSegment),
        ("to_segment", Slot::ToSegment),
        ("via", Slot::Via),
        ("system", Slot::System),
        ("party", Slot::Party),
        ("segment", Slot::Segment),
        ("hosting", Slot::Hosting),
        ("basis", Slot::Basis),
        ("item", Slot::Item),
        ("kind", Slot::Kind),
        ("finding", Slot::Finding),
        ("until", Slot::Until),
        ("by", Slot::By),
        ("items", Slot::Items),
        ("count", Slot::Count),
        ("detail", Slot::Detail),
        ("path", Slot::Path),
    ];

    fn named(name: &str) -> Option<Slot> {
        Slot::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|&(_, slot)| slot)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// One piece of a compiled message template.
enum Piece<'t> {
    /// Text copied as written.
    Text(&'t str),
    /// A slot, with its `{name}` as written: printed as is when the finding has no value for it, so a slot that
    /// does not apply to the subject (or a typo in a pack) stays visible, exactly as [`fill`] does.
    Slot(Slot, &'t str),
}

/// A rule's message split once per run into literal text and slots, so each finding fills an array of values
/// instead of building a map of named variables and searching the template for braces.
struct Template<'t> {
    pieces: Vec<Piece<'t>>,
    /// The slots the message names (bit [`Slot::bit`]): only these are worked out for a finding.
    wanted: u32,
}

impl<'t> Template<'t> {
    /// Scans the template the way [`fill`] does: at each `{`, the text up to the next `}` is a slot if it names
    /// one; otherwise the `{` is plain text and the scan goes on right after it.
    fn compile(template: &'t str) -> Self {
        let mut pieces = Vec::new();
        let mut wanted = 0;
        let mut text_start = 0;
        let mut at = 0;
        while let Some(open) = template[at..].find('{').map(|o| at + o) {
            let after = open + 1;
            let slot = template[after..].find('}').and_then(|close| {
                Slot::named(&template[after..after + close]).map(|slot| (slot, after + close + 1))
            });
            match slot {
                Some((slot, end)) => {
                    if text_start < open {
                        pieces.push(Piece::Text(&template[text_start..open]));
                    }
                    pieces.push(Piece::Slot(slot, &template[open..end]));
                    wanted |= slot.bit();
                    text_start = end;
                    at = end;
                }
                None => at = after,
            }
        }
        if text_start < template.len() {
            pieces.push(Piece::Text(&template[text_start..]));
        }
        Template { pieces, wanted }
    }

    /// The message with every slot that has a value replaced by it, in a string of exactly its length.
    fn fill(&self, vars: &Vars) -> String {
        let size = self.pieces.iter().map(|p| p.text(vars).len()).sum();
        let mut out = String::with_capacity(size);
        for piece in &self.pieces {
            out.push_str(piece.text(vars));
        }
        out
    }
}

impl Piece<'_> {
    /// What this piece prints for a finding with these values.
    fn text<'s>(&'s self, vars: &'s Vars) -> &'s str {
        match self {
            Piece::Text(text) => text,
            Piece::Slot(slot, written) => vars.get(*slot).unwrap_or(written),
        }
    }
}

/// A finding's template values, by slot: only those its message names are worked out, and names taken from
/// the model are borrowed, not copied.
struct Vars<'a> {
    values: [Option<Cow<'a, str>>; Slot::ALL.len()],
    wanted: u32,
}

impl<'a> Vars<'a> {
    fn new(template: &Template) -> Self {
        Vars {
            values: Default::default(),
            wanted: template.wanted,
        }
    }

    fn set<V: Into<Cow<'a, str>>>(&mut self, slot: Slot, value: impl FnOnce() -> V) {
        if self.wanted & slot.bit() != 0 {
            self.values[slot as usize] = Some(value().into());
        }
    }

    fn get(&self, slot: Slot) -> Option<&str> {
        self.values[slot as usize].as_deref()
    }
}

/// The atoms a finding is about. For a party or a 別紙 entry: the items, the systems that receive them and the
/// flows that bring them, so that a new recipient system, item or flow makes a different finding.
fn covers(ctx: &Ctx, subject: Subject, ev: &Evidence) -> Vec<String> {
    let model = ctx.model;
    // Collected, then sorted and deduplicated: the same order and atoms as a set, without a tree node per atom.
    let no_items = ItemSet::default();
    let items = ev.items.as_ref().unwrap_or(&no_items);
    // Room for the atoms known now (all of them, unless the subject is a party): growing, then shrinking the
    // list cost two reallocations per finding.
    let path_flows = match (&ev.path, subject) {
        (Some(path), Subject::System(_)) => path.len(),
        _ => 0,
    };
    let mut out: Vec<String> =
        Vec::with_capacity(items.len() + usize::from(ev.unknown) + path_flows);
    for i in items.iter() {
        out.push(joined(&["item:", &model.items[i].name]));
    }
    if ev.unknown {
        out.push("item:（記載なし）".to_string());
    }
    let party = match subject {
        Subject::Party(p) => Some(p),
        Subject::Declared(d) => Some(model.declared[d].party),
        _ => None,
    };
    if let Some(p) = party {
        for e in ctx.graph.party_endpoints(p) {
            let receives = ctx.graph.held(e).intersects(items)
                || (ev.unknown && ctx.graph.receives_unknown(e));
            if !receives {
                continue;
            }
            out.push(match e {
                Endpoint::System(s) => joined(&["system:", &model.systems[s].name]),
                Endpoint::Party(p) => joined(&["party:", &model.parties[p].name]),
            });
            for f in ctx.graph.flows_into(e) {
                let flow = &model.flows[f];
                if flow.items.set.intersects(items) || (ev.unknown && flow.items_unstated()) {
                    out.push(joined(&["flow:", ctx.flow_id(f)]));
                }
            }
        }
    }
    if let Some(path) = &ev.path {
        if matches!(subject, Subject::System(_)) {
            for &f in path {
                out.push(joined(&["flow:", ctx.flow_id(f)]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    // Kept with the finding: no spare room (most findings cover one or two atoms).
    out.shrink_to_fit();
    out
}

/// The pieces joined in a string of exactly their length: findings keep these texts, so no spare capacity, and
/// no formatting machinery for plain concatenation.
fn joined(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// Control wordings on the finding's subject (and, for a flow, its ends) that the catalogue did not know.
fn unread_controls(ctx: &Ctx, subject: Subject) -> Vec<String> {
    let model = ctx.model;
    let mut out: Vec<String> = Vec::new();
    let mut add = |c: &crate::model::Controls| {
        for w in &c.unknown {
            if !out.contains(w) {
                out.push(w.clone());
            }
        }
    };
    let endpoint = |e: Endpoint, add: &mut dyn FnMut(&crate::model::Controls)| match e {
        Endpoint::System(s) => {
            add(&model.systems[s].controls);
            add(&model.parties[model.systems[s].party].controls);
        }
        Endpoint::Party(p) => add(&model.parties[p].controls),
    };
    match subject {
        Subject::Flow(f) => {
            let flow = &model.flows[f];
            add(&flow.controls);
            endpoint(flow.from, &mut add);
            endpoint(flow.to, &mut add);
        }
        Subject::System(s) => endpoint(Endpoint::System(s), &mut add),
        Subject::Party(p) => {
            add(&model.parties[p].controls);
            for &sys in &ctx.own_systems[p] {
                add(&model.systems[sys].controls);
            }
        }
        Subject::Declared(d) => {
            let p = model.declared[d].party;
            add(&model.parties[p].controls);
            for &sys in &ctx.own_systems[p] {
                add(&model.systems[sys].controls);
            }
        }
        Subject::Item(_) | Subject::Acceptance(_) => {}
    }
    // Kept with the finding: no spare room.
    out.shrink_to_fit();
    out
}

/// 「個人番号（個人番号）」 reads as a stutter when the only item is named like its kind: keep one.
fn tidy(message: String) -> String {
    // A stutter needs a full-width parenthesis right after a kind's name: most messages have none, and finding
    // the parentheses is much cheaper than searching for each doubled text.
    // Searched as its three bytes, by a searcher made once: a search for the character looks for its last byte,
    // which most kanji share.
    const OPEN: &str = "（";
    static FIND_OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(OPEN));
    let stutters = FIND_OPEN.find_iter(message.as_bytes()).any(|at| {
        let (before, after) = (&message[..at], &message[at + OPEN.len()..]);
        ["個人番号", "要配慮個人情報"].into_iter().any(|kind| {
            before.ends_with(kind)
                && after
                    .strip_prefix(kind)
                    .is_some_and(|rest| rest.starts_with('）'))
        })
    });
    let mut out = message;
    if stutters {
        for (doubled, kind) in [
            ("個人番号（個人番号）", "個人番号"),
            ("要配慮個人情報（要配慮個人情報）", "要配慮個人情報"),
        ] {
            if out.contains(doubled) {
                out = out.replace(doubled, kind);
            }
        }
    }
    // Kept with every finding: no spare capacity from filling the template.
    out.shrink_to_fit();
    out
}

/// Replaces `{name}` with its value; unknown names are left as written so a typo in a pack is visible.
fn fill(template: &str, vars: &BTreeMap<&str, String>) -> String {
    // Sized exactly first: the message is kept with its finding, and growing it (then shrinking) cost two reallocations.
    let mut size = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        size += open;
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| vars.get(&after[..close]).map(|v| (close, v)))
        {
            Some((close, value)) => {
                size += value.len();
                rest = &after[close + 1..];
            }
            None => {
                size += 1;
                rest = after;
            }
        }
    }
    size += rest.len();
    let mut out = String::with_capacity(size);
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

/// Marks findings covered by a current acceptance. Expired acceptances do not cover anything, and an acceptance
/// with `covers` covers a finding only while the finding is about nothing more than what the committee saw: a
/// new item, recipient system or flow under the same id makes the finding new again.
fn apply_acceptances<'f>(
    model: &Model,
    findings: impl Iterator<Item = &'f mut Finding>,
    today: crate::date::Date,
) {
    for finding in findings {
        let current = model.accepted.iter().find(|a| {
            wildcard_match(&a.finding, &finding.id)
                && a.until
                    .as_deref()
                    .and_then(crate::date::parse)
                    .is_none_or(|until| until >= today)
        });
        let Some(a) = current else { continue };
        if let Some(seen) = &a.covers {
            let beyond: Vec<String> = finding
                .covers
                .iter()
                .filter(|atom| !seen.contains(atom))
                .cloned()
                .collect();
            if !beyond.is_empty() {
                finding.beyond_acceptance = beyond;
                continue;
            }
        }
        finding.accepted = Some(Box::new(Accepted {
            reason: a.reason.clone(),
            by: a.by.clone(),
            on: a.on.clone(),
            until: a.until.clone(),
        }));
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

#[cfg(test)]
mod tests {
    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        super::permute(&mut items, vec![3, 0, 4, 1, 2, 5]);
        assert_eq!(items, vec!['d', 'a', 'e', 'b', 'c', 'f']);
        let mut one = vec![7];
        super::permute(&mut one, vec![0]);
        assert_eq!(one, vec![7]);
    }

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
    fn tidy_drops_only_a_doubled_kind() {
        assert_eq!(tidy("個人番号（個人番号）を送る".into()), "個人番号を送る");
        assert_eq!(
            tidy("要配慮個人情報（要配慮個人情報）と個人番号（個人番号）".into()),
            "要配慮個人情報と個人番号"
        );
        assert_eq!(tidy("個人情報（氏名）".into()), "個人情報（氏名）");
        assert_eq!(
            tidy("個人番号（個人番号、氏名）".into()),
            "個人番号（個人番号、氏名）"
        );
    }

    #[test]
    fn fill_keeps_unknown_placeholders() {
        let mut vars = BTreeMap::new();
        vars.insert("flow", "③".to_string());
        assert_eq!(fill("流れ{flow}の{nope}", &vars), "流れ③の{nope}");
    }

    #[test]
    fn compiled_templates_fill_like_the_map() {
        let templates = [
            "流れ{flow}の{nope}",
            "{{flow}}と{flow{to}}、{}{",
            "{items}（{count}項目）を{from}から{to}へ{via}",
            "{path}",
            "波括弧なし",
            "{detail",
            "{until}まで{by}が",
        ];
        let values = [
            ("flow", "③"),
            ("to", "委託先"),
            ("items", "氏名"),
            ("via", "メール"),
        ];
        for template in templates {
            let compiled = Template::compile(template);
            let mut vars = Vars::new(&compiled);
            let mut map = BTreeMap::new();
            for (name, value) in values {
                if let Some(slot) = Slot::named(name) {
                    vars.set(slot, || value);
                    if compiled.wanted & slot.bit() != 0 {
                        map.insert(name, value.to_string());
                    }
                }
            }
            assert_eq!(compiled.fill(&vars), fill(template, &map), "{template}");
        }
    }
}
