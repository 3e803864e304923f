//! 変更箇所 between two versions of a model: what an amended paper must mark since the last approval.
//!
//! Elements are matched by name (items, groups, parties, systems, declared recipients) or by step id (flows); each
//! difference becomes one row of the 評価書-style table 項目 / 区分 (追加・削除・変更) / 変更前 / 変更後. The rules are
//! run on both versions and the findings compared by id, so the table also says which 指摘 the change introduces
//! and which it resolves. Rows come in model order (new version first, then what the old one had and the new one
//! lost), so the same two files always give the same table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::model::{Controls, Endpoint, Model, Stated};
use crate::office::{self, Document, Table};
use crate::rules::engine::Finding;

/// 追加・削除・変更.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

impl Kind {
    pub fn ja(self) -> &'static str {
        match self {
            Kind::Added => "追加",
            Kind::Removed => "削除",
            Kind::Changed => "変更",
        }
    }
}

/// What part of the model a change is in (the table is grouped by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Header,
    Items,
    Groups,
    Parties,
    Systems,
    Flows,
    Declared,
    Findings,
}

impl Section {
    pub fn ja(self) -> &'static str {
        match self {
            Section::Header => "基本情報",
            Section::Items => "情報項目",
            Section::Groups => "情報項目のまとまり",
            Section::Parties => "関係者",
            Section::Systems => "システム",
            Section::Flows => "流れ",
            Section::Declared => "別紙の相手方",
            Section::Findings => "指摘",
        }
    }
}

/// The element of the new model a change is drawn on (none for removed elements and header fields).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Party(String),
    System(String),
    /// A flow by step id (`4`, `1-1`).
    Flow(String),
    Item(String),
}

/// One row of the 変更箇所 table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub section: Section,
    pub kind: Kind,
    /// 項目: 「流れ④「IHEAT要員の登録」の名称」.
    pub item: String,
    /// 変更前 (「－」 when added).
    pub before: String,
    /// 変更後 (「－」 when removed).
    pub after: String,
    pub target: Option<Target>,
}

/// Two versions loaded, the new one's findings, and the changes between them.
#[derive(Debug)]
pub struct Compared {
    pub old: Model,
    pub new: Model,
    pub new_findings: Vec<Finding>,
    pub diff: Diff,
}

/// The changes from one version to the next, in model order.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    pub changes: Vec<Change>,
    /// Steps, systems and parties of the old version that the new one no longer has (for the diagram's legend).
    pub removed: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Rows of one section.
    pub fn in_section(&self, section: Section) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.section == section)
    }

    /// What to mark in the new version's diagram.
    pub fn marks(&self, since: &str) -> crate::render::Changes {
        let mut marks = crate::render::Changes {
            since: since.to_string(),
            removed: self.removed.clone(),
            ..Default::default()
        };
        for c in &self.changes {
            match &c.target {
                Some(Target::Party(p)) => {
                    marks.parties.insert(p.clone());
                }
                Some(Target::System(s)) => {
                    marks.systems.insert(s.clone());
                }
                Some(Target::Flow(f)) => {
                    marks.flows.insert(f.clone());
                }
                Some(Target::Item(i)) if !marks.items.contains(i) => {
                    marks.items.push(i.clone());
                }
                Some(Target::Item(_)) => {}
                // Removed elements are listed already; findings are not drawing content.
                None if c.kind != Kind::Removed && c.section != Section::Findings => {
                    let what = format!("{}の{}", c.section.ja(), c.item);
                    if !marks.unmarked.contains(&what) {
                        marks.unmarked.push(what);
                    }
                }
                None => {}
            }
        }
        marks
    }
}

const NONE: &str = "－";

fn or_none(text: impl Into<String>) -> String {
    let text = text.into();
    if text.trim().is_empty() {
        NONE.to_string()
    } else {
        text
    }
}

fn joined(list: &[String]) -> String {
    or_none(list.join("、"))
}

/// Collects rows, one element at a time.
struct Rows<'a> {
    changes: &'a mut Vec<Change>,
    section: Section,
    target: Option<Target>,
}

impl Rows<'_> {
    fn push(&mut self, kind: Kind, item: String, before: String, after: String) {
        self.changes.push(Change {
            section: self.section,
            kind,
            item,
            before,
            after,
            target: self.target.clone(),
        });
    }

    /// One row when the field's text differs.
    fn field(&mut self, subject: &str, field: &str, before: String, after: String) {
        if before != after {
            self.push(
                Kind::Changed,
                format!("{subject}の{field}"),
                or_none(before),
                or_none(after),
            );
        }
    }

    /// A list field (items carried, media): one 変更 row with both lists and what was added and removed.
    fn list(&mut self, subject: &str, field: &str, before: &[String], after: &[String]) {
        if before == after {
            return;
        }
        let added: Vec<String> = after
            .iter()
            .filter(|a| !before.contains(a))
            .cloned()
            .collect();
        let removed: Vec<String> = before
            .iter()
            .filter(|b| !after.contains(b))
            .cloned()
            .collect();
        let mut note = Vec::new();
        if !added.is_empty() {
            note.push(format!("追加: {}", added.join("、")));
        }
        if !removed.is_empty() {
            note.push(format!("削除: {}", removed.join("、")));
        }
        let mut after_text = joined(after);
        if !note.is_empty() {
            after_text.push_str(&format!("\n〔{}〕", note.join("／")));
        } else {
            after_text.push_str("\n〔順序の変更〕");
        }
        self.push(
            Kind::Changed,
            format!("{subject}の{field}"),
            joined(before),
            after_text,
        );
    }

    /// Controls: one row per control added or removed, and per 「－」 (not applicable) added, removed or re-worded.
    fn controls(&mut self, subject: &str, before: &Controls, after: &Controls) {
        for c in &after.written {
            if !before.written.contains(c) {
                self.push(
                    Kind::Added,
                    format!("{subject}の対策"),
                    NONE.into(),
                    c.clone(),
                );
            }
        }
        for c in &before.written {
            if !after.written.contains(c) {
                self.push(
                    Kind::Removed,
                    format!("{subject}の対策"),
                    c.clone(),
                    NONE.into(),
                );
            }
        }
        let na = |c: &Controls| -> BTreeMap<String, String> { c.na.clone() };
        let (old_na, new_na) = (na(before), na(after));
        for (id, reason) in &new_na {
            match old_na.get(id) {
                None => self.push(
                    Kind::Added,
                    format!("{subject}の対策「{id}」（－）"),
                    NONE.into(),
                    format!("－: {reason}"),
                ),
                Some(old) if old != reason => self.push(
                    Kind::Changed,
                    format!("{subject}の対策「{id}」（－）"),
                    format!("－: {old}"),
                    format!("－: {reason}"),
                ),
                Some(_) => {}
            }
        }
        for (id, reason) in &old_na {
            if !new_na.contains_key(id) {
                self.push(
                    Kind::Removed,
                    format!("{subject}の対策「{id}」（－）"),
                    format!("－: {reason}"),
                    NONE.into(),
                );
            }
        }
    }

    /// What the paper says does not happen (`not: [...]`).
    fn absences(&mut self, subject: &str, before: &Stated, after: &Stated) {
        let names =
            |s: &Stated| -> Vec<String> { s.not.iter().map(|a| a.ja().to_string()).collect() };
        self.list(
            subject,
            "「ない」とされること",
            &names(before),
            &names(after),
        );
    }
}

fn endpoint_label(model: &Model, e: Endpoint) -> String {
    match e {
        Endpoint::Party(p) => model.parties[p].name.clone(),
        Endpoint::System(s) => format!("【{}】", model.systems[s].name),
    }
}

fn subjects_text(model: &Model) -> String {
    model
        .subjects
        .as_ref()
        .map(|s| {
            let mut t = s.label.clone();
            if let Some(n) = s.count {
                t.push_str(&format!("（約{n}人）"));
            }
            if let Some(r) = &s.range {
                t.push_str(&format!("（{r}）"));
            }
            t
        })
        .unwrap_or_default()
}

fn assessment_text(model: &Model) -> String {
    model
        .assessment
        .as_ref()
        .map(|a| {
            let mut t = a.level.ja().to_string();
            if let Some(h) = &a.handlers {
                t.push_str(&format!("、取扱者数 {h}"));
            }
            if let Some(s) = a.serious_incident {
                t.push_str(if s {
                    "、重大事故あり"
                } else {
                    "、重大事故なし"
                });
            }
            t
        })
        .unwrap_or_default()
}

fn item_text(model: &Model, i: usize) -> String {
    let item = &model.items[i];
    let mut t = item.name.clone();
    if item.kind != crate::model::ItemKind::General {
        t.push_str(&format!("（{}）", item.kind.ja()));
    }
    if let Some(n) = &item.note {
        t.push_str(&format!("（{n}）"));
    }
    t
}

fn names_of(model: &Model, set: &crate::itemset::ItemSet) -> Vec<String> {
    set.iter()
        .filter_map(|i| model.items.get(i))
        .map(|i| i.name.clone())
        .collect()
}

fn flow_subject(model: &Model, f: usize) -> String {
    let flow = &model.flows[f];
    format!("流れ{}「{}」", flow.no.mark(), flow.label)
}

fn flow_summary(model: &Model, f: usize) -> String {
    let flow = &model.flows[f];
    let mut t = format!(
        "{} {} → {}「{}」",
        flow.no.mark(),
        endpoint_label(model, flow.from),
        endpoint_label(model, flow.to),
        flow.label
    );
    if !flow.via.is_empty() {
        t.push_str(&flow.via_label());
    }
    if !flow.controls.written.is_empty() {
        t.push_str(&format!(" 対策: {}", flow.controls.written.join("・")));
    }
    if !flow.items.written.is_empty() {
        t.push_str(&format!("〔{}〕", flow.items.written.join("、")));
    }
    t
}

fn basis_text(d: &crate::model::Declared) -> String {
    match &d.basis {
        crate::model::Basis::Subcontract { via, consent } => {
            let consent = match consent {
                Some(true) => "、承諾あり",
                Some(false) => "、承諾なし",
                None => "",
            };
            format!("再委託（委託先: {via}{consent}）")
        }
        b => b.ja().to_string(),
    }
}

fn declared_summary(d: &crate::model::Declared) -> String {
    let mut t = format!("{}: {}", basis_text(d), joined(&d.items.written));
    if let Some(law) = &d.law {
        t.push_str(&format!("（根拠: {law}）"));
    }
    t
}

/// The 変更箇所 from `old` to `new`, with the findings of each (`rules::engine::run` on each model).
pub fn diff(old: &Model, new: &Model, old_findings: &[Finding], new_findings: &[Finding]) -> Diff {
    let mut changes = Vec::new();
    let mut removed = Vec::new();

    // 基本情報.
    {
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Header,
            target: None,
        };
        let header = |m: &Model| -> Vec<(&'static str, String)> {
            vec![
                ("件名", m.title.clone()),
                ("資料番号", m.document.clone().unwrap_or_default()),
                ("保有課", m.owner.clone().unwrap_or_default()),
                ("登録業務の名称", m.work.clone().unwrap_or_default()),
                ("目的", m.purpose.clone().unwrap_or_default()),
                ("対象者", subjects_text(m)),
                ("期間", m.period.clone().unwrap_or_default()),
                ("特定個人情報保護評価", assessment_text(m)),
            ]
        };
        for ((name, before), (_, after)) in header(old).into_iter().zip(header(new)) {
            if before != after {
                rows.push(
                    Kind::Changed,
                    name.to_string(),
                    or_none(before),
                    or_none(after),
                );
            }
        }
    }

    // 情報項目.
    for (i, item) in new.items.iter().enumerate() {
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Items,
            target: Some(Target::Item(item.name.clone())),
        };
        let subject = format!("情報項目「{}」", item.name);
        match old.items.iter().position(|o| o.name == item.name) {
            None => rows.push(Kind::Added, subject, NONE.into(), item_text(new, i)),
            Some(o) => {
                let before = &old.items[o];
                rows.field(
                    &subject,
                    "区分",
                    before.kind.ja().into(),
                    item.kind.ja().into(),
                );
                rows.field(
                    &subject,
                    "説明",
                    before.note.clone().unwrap_or_default(),
                    item.note.clone().unwrap_or_default(),
                );
            }
        }
    }
    for (i, item) in old.items.iter().enumerate() {
        if !new.items.iter().any(|n| n.name == item.name) {
            Rows {
                changes: &mut changes,
                section: Section::Items,
                target: None,
            }
            .push(
                Kind::Removed,
                format!("情報項目「{}」", item.name),
                item_text(old, i),
                NONE.into(),
            );
        }
    }

    // Groups.
    for group in &new.groups {
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Groups,
            target: None,
        };
        let subject = format!("「{}」", group.name);
        let after = names_of(new, &group.items);
        match old.groups.iter().find(|o| o.name == group.name) {
            None => rows.push(Kind::Added, subject, NONE.into(), joined(&after)),
            Some(o) => rows.list(&subject, "情報項目", &names_of(old, &o.items), &after),
        }
    }
    for group in &old.groups {
        if !new.groups.iter().any(|n| n.name == group.name) {
            Rows {
                changes: &mut changes,
                section: Section::Groups,
                target: None,
            }
            .push(
                Kind::Removed,
                format!("「{}」", group.name),
                joined(&names_of(old, &group.items)),
                NONE.into(),
            );
        }
    }

    // 関係者.
    for party in &new.parties {
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Parties,
            target: Some(Target::Party(party.name.clone())),
        };
        let subject = format!("関係者「{}」", party.name);
        let Some(before) = old.parties.iter().find(|o| o.name == party.name) else {
            rows.push(
                Kind::Added,
                subject,
                NONE.into(),
                format!("{}（{}）", party.display(), party.role.ja()),
            );
            continue;
        };
        rows.field(
            &subject,
            "区分",
            before.role.ja().into(),
            party.role.ja().into(),
        );
        rows.field(
            &subject,
            "表示名",
            before.display().into(),
            party.display().into(),
        );
        rows.field(
            &subject,
            "保存期間・消去",
            before.retention.clone().unwrap_or_default(),
            party.retention.clone().unwrap_or_default(),
        );
        rows.controls(&subject, &before.controls, &party.controls);
        rows.absences(&subject, &before.stated, &party.stated);
    }
    for party in &old.parties {
        if !new.parties.iter().any(|n| n.name == party.name) {
            removed.push(format!("関係者「{}」", party.name));
            Rows {
                changes: &mut changes,
                section: Section::Parties,
                target: None,
            }
            .push(
                Kind::Removed,
                format!("関係者「{}」", party.name),
                format!("{}（{}）", party.display(), party.role.ja()),
                NONE.into(),
            );
        }
    }

    // システム.
    let party_name = |m: &Model, p: usize| m.parties[p].name.clone();
    for sys in &new.systems {
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Systems,
            target: Some(Target::System(sys.name.clone())),
        };
        let subject = format!("システム【{}】", sys.name);
        let Some(before) = old.systems.iter().find(|o| o.name == sys.name) else {
            rows.push(
                Kind::Added,
                subject,
                NONE.into(),
                format!(
                    "{}（{}）〔{}〕",
                    sys.display(),
                    party_name(new, sys.party),
                    sys.stores.written.join("、")
                ),
            );
            continue;
        };
        rows.field(
            &subject,
            "運用者",
            party_name(old, before.party),
            party_name(new, sys.party),
        );
        rows.field(
            &subject,
            "基盤の提供者",
            before.host.map(|h| party_name(old, h)).unwrap_or_default(),
            sys.host.map(|h| party_name(new, h)).unwrap_or_default(),
        );
        let joint = |m: &Model, s: &crate::model::System| -> Vec<String> {
            s.joint.iter().map(|&p| party_name(m, p)).collect()
        };
        rows.list(
            &subject,
            "共同運営者",
            &joint(old, before),
            &joint(new, sys),
        );
        rows.field(
            &subject,
            "セグメント",
            before
                .segment
                .map(|s| s.ja().to_string())
                .unwrap_or_default(),
            sys.segment.map(|s| s.ja().to_string()).unwrap_or_default(),
        );
        rows.field(
            &subject,
            "設置形態",
            before
                .hosting
                .map(|s| s.ja().to_string())
                .unwrap_or_default(),
            sys.hosting.map(|s| s.ja().to_string()).unwrap_or_default(),
        );
        rows.field(
            &subject,
            "種類",
            before.kind.ja().into(),
            sys.kind.ja().into(),
        );
        rows.field(
            &subject,
            "状態",
            before.status.ja().into(),
            sys.status.ja().into(),
        );
        rows.field(
            &subject,
            "利用場所",
            before.place.map(|s| s.ja().to_string()).unwrap_or_default(),
            sys.place.map(|s| s.ja().to_string()).unwrap_or_default(),
        );
        rows.field(
            &subject,
            "表示名",
            before.display().into(),
            sys.display().into(),
        );
        rows.list(
            &subject,
            "保存する情報項目",
            &before.stores.written,
            &sys.stores.written,
        );
        rows.list(
            &subject,
            "入れてはならない情報項目",
            &before.excludes.written,
            &sys.excludes.written,
        );
        rows.field(
            &subject,
            "保存期間・消去",
            before.retention.clone().unwrap_or_default(),
            sys.retention.clone().unwrap_or_default(),
        );
        rows.controls(&subject, &before.controls, &sys.controls);
        rows.absences(&subject, &before.stated, &sys.stated);
    }
    for sys in &old.systems {
        if !new.systems.iter().any(|n| n.name == sys.name) {
            removed.push(format!("【{}】", sys.name));
            Rows {
                changes: &mut changes,
                section: Section::Systems,
                target: None,
            }
            .push(
                Kind::Removed,
                format!("システム【{}】", sys.name),
                format!("{}（{}）", sys.display(), party_name(old, sys.party)),
                NONE.into(),
            );
        }
    }

    // 流れ, matched by step id.
    for (f, flow) in new.flows.iter().enumerate() {
        let id = flow.no.id();
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Flows,
            target: Some(Target::Flow(id.clone())),
        };
        let Some(o) = old.flows.iter().position(|o| o.no.id() == id) else {
            rows.push(
                Kind::Added,
                format!("流れ{}", flow.no.mark()),
                NONE.into(),
                flow_summary(new, f),
            );
            continue;
        };
        let before = &old.flows[o];
        let subject = flow_subject(old, o);
        rows.field(&subject, "名称", before.label.clone(), flow.label.clone());
        rows.field(
            &subject,
            "種類",
            before.kind.ja().into(),
            flow.kind.ja().into(),
        );
        rows.field(
            &subject,
            "送り手",
            endpoint_label(old, before.from),
            endpoint_label(new, flow.from),
        );
        rows.field(
            &subject,
            "受け手",
            endpoint_label(old, before.to),
            endpoint_label(new, flow.to),
        );
        let via = |v: &[crate::model::Via]| -> Vec<String> {
            v.iter().map(|v| v.ja().to_string()).collect()
        };
        rows.list(&subject, "経路", &via(&before.via), &via(&flow.via));
        let through = |m: &Model, fl: &crate::model::Flow| -> Vec<String> {
            fl.through.iter().map(|&e| endpoint_label(m, e)).collect()
        };
        rows.list(
            &subject,
            "経由する中継",
            &through(old, before),
            &through(new, flow),
        );
        rows.field(
            &subject,
            "場所",
            before.place.map(|s| s.ja().to_string()).unwrap_or_default(),
            flow.place.map(|s| s.ja().to_string()).unwrap_or_default(),
        );
        rows.list(
            &subject,
            "情報項目",
            &before.items.written,
            &flow.items.written,
        );
        rows.controls(&subject, &before.controls, &flow.controls);
    }
    for (f, flow) in old.flows.iter().enumerate() {
        let id = flow.no.id();
        if !new.flows.iter().any(|n| n.no.id() == id) {
            removed.push(format!("流れ{}", flow.no.mark()));
            Rows {
                changes: &mut changes,
                section: Section::Flows,
                target: None,
            }
            .push(
                Kind::Removed,
                format!("流れ{}", flow.no.mark()),
                flow_summary(old, f),
                NONE.into(),
            );
        }
    }

    // 別紙の相手方 (declared recipients), by party name.
    for d in &new.declared {
        let name = new.parties[d.party].name.clone();
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Declared,
            target: Some(Target::Party(name.clone())),
        };
        let subject = format!("相手方「{name}」");
        let before = old
            .declared
            .iter()
            .find(|o| old.parties[o.party].name == name);
        let Some(before) = before else {
            rows.push(Kind::Added, subject, NONE.into(), declared_summary(d));
            continue;
        };
        rows.field(&subject, "区分", basis_text(before), basis_text(d));
        rows.list(
            &subject,
            "情報項目",
            &before.items.written,
            &d.items.written,
        );
        rows.field(
            &subject,
            "法令上の根拠",
            before.law.clone().unwrap_or_default(),
            d.law.clone().unwrap_or_default(),
        );
        rows.field(
            &subject,
            "方法・結合の形態",
            before.method.clone().unwrap_or_default(),
            d.method.clone().unwrap_or_default(),
        );
        rows.field(
            &subject,
            "期間",
            before.period.clone().unwrap_or_default(),
            d.period.clone().unwrap_or_default(),
        );
        let consent = |c: bool| if c { "本人の同意による" } else { "" };
        rows.field(
            &subject,
            "本人同意",
            consent(before.subject_consent).into(),
            consent(d.subject_consent).into(),
        );
    }
    for d in &old.declared {
        let name = &old.parties[d.party].name;
        if !new
            .declared
            .iter()
            .any(|n| &new.parties[n.party].name == name)
        {
            Rows {
                changes: &mut changes,
                section: Section::Declared,
                // The party may still be in the new model (now undeclared): mark it there.
                target: new
                    .parties
                    .iter()
                    .any(|p| &p.name == name)
                    .then(|| Target::Party(name.clone())),
            }
            .push(
                Kind::Removed,
                format!("相手方「{name}」"),
                declared_summary(d),
                NONE.into(),
            );
        }
    }

    // 指摘, by id: introduced, resolved, and the same id about something else (covers), severity or decision.
    let finding_text = |f: &Finding| format!("［{}］{}", f.severity.ja(), f.message);
    let accepted_text = |f: &Finding| {
        f.accepted
            .as_ref()
            .map(|a| format!("受容済み（{}）", a.by))
            .unwrap_or_else(|| "未対応".to_string())
    };
    let old_by_id: BTreeMap<&str, &Finding> =
        old_findings.iter().map(|f| (f.id.as_str(), f)).collect();
    let new_ids: BTreeSet<&str> = new_findings.iter().map(|f| f.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for f in new_findings {
        if !seen.insert(f.id.as_str()) {
            continue;
        }
        let mut rows = Rows {
            changes: &mut changes,
            section: Section::Findings,
            target: None,
        };
        let subject = format!("指摘 {}（{}）", f.id, f.title);
        match old_by_id.get(f.id.as_str()) {
            None => rows.push(Kind::Added, subject, NONE.into(), finding_text(f)),
            Some(o) => {
                rows.field(
                    &subject,
                    "重大度",
                    o.severity.ja().into(),
                    f.severity.ja().into(),
                );
                rows.list(&subject, "対象", &o.covers, &f.covers);
                rows.field(&subject, "扱い", accepted_text(o), accepted_text(f));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for f in old_findings {
        if new_ids.contains(f.id.as_str()) || !seen.insert(f.id.as_str()) {
            continue;
        }
        Rows {
            changes: &mut changes,
            section: Section::Findings,
            target: None,
        }
        .push(
            Kind::Removed,
            format!("指摘 {}（{}）", f.id, f.title),
            finding_text(f),
            "解消".into(),
        );
    }

    Diff { changes, removed }
}

/// The header lines naming the two versions.
fn versions(old_name: &str, new_name: &str, old: &Model, new: &Model) -> Vec<(String, String)> {
    let label = |name: &str, m: &Model| {
        let doc = m
            .document
            .as_deref()
            .map(|d| format!("（{d}）"))
            .unwrap_or_default();
        format!("{name}　{}{doc}", m.title)
    };
    vec![
        ("変更前".to_string(), label(old_name, old)),
        ("変更後".to_string(), label(new_name, new)),
    ]
}

/// The counts line: 「変更箇所 5 件（追加 2・削除 1・変更 2）、うち指摘 新規 1・解消 0」.
pub fn summary_line(diff: &Diff) -> String {
    if diff.is_empty() {
        return "変更なし".to_string();
    }
    let model_rows: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| c.section != Section::Findings)
        .collect();
    let count = |rows: &[&Change], k: Kind| rows.iter().filter(|c| c.kind == k).count();
    let findings: Vec<&Change> = diff.in_section(Section::Findings).collect();
    format!(
        "変更箇所 {} 件（追加 {}・削除 {}・変更 {}）、指摘 新規 {}・解消 {}・変更 {}",
        model_rows.len(),
        count(&model_rows, Kind::Added),
        count(&model_rows, Kind::Removed),
        count(&model_rows, Kind::Changed),
        count(&findings, Kind::Added),
        count(&findings, Kind::Removed),
        count(&findings, Kind::Changed),
    )
}

/// The 変更箇所 as an office document: the two versions, the table of what changed in the model (項目 / 区分 /
/// 変更前 / 変更後, in model order), then the table of findings introduced, resolved or changed.
pub fn to_document(
    diff: &Diff,
    old_name: &str,
    new_name: &str,
    old: &Model,
    new: &Model,
) -> Document {
    let mut doc = Document::new(format!("変更箇所　{}", new.title));
    doc.fields("版", versions(old_name, new_name, old, new));
    doc.paragraph(summary_line(diff));
    if diff.is_empty() {
        return doc;
    }
    let headers = || -> Vec<String> {
        vec![
            "項目".into(),
            "区分".into(),
            "変更前".into(),
            "変更後".into(),
        ]
    };
    let rows = |findings: bool| -> Vec<Vec<String>> {
        diff.changes
            .iter()
            .filter(|c| (c.section == Section::Findings) == findings)
            .map(|c| {
                vec![
                    c.item.clone(),
                    c.kind.ja().to_string(),
                    c.before.clone(),
                    c.after.clone(),
                ]
            })
            .collect()
    };
    let model_rows = rows(false);
    if !model_rows.is_empty() {
        doc.table(Table {
            name: "変更箇所".into(),
            caption: "変更箇所".into(),
            headers: headers(),
            rows: model_rows,
        });
    }
    let finding_rows = rows(true);
    if !finding_rows.is_empty() {
        doc.table(Table {
            name: "指摘の増減".into(),
            caption: "指摘の増減（新しい版で増えた指摘は 区分「追加」、解消した指摘は「削除」）"
                .into(),
            headers: headers(),
            rows: finding_rows,
        });
    }
    doc
}

/// The HTML page of a 変更箇所 document: the office page, with the short 区分 column kept on one line.
pub fn to_html(doc: &Document) -> String {
    office::to_html(doc).replacen(
        "</style>",
        "thead + tbody td:nth-child(2), thead th:nth-child(2) { white-space: nowrap; word-break: keep-all; }\n</style>",
        1,
    )
}

/// The document as it is printed without `-o`: Japanese text, one block per change.
pub fn to_text(diff: &Diff, old_name: &str, new_name: &str, old: &Model, new: &Model) -> String {
    let mut out = format!("■ 変更箇所　{}\n", new.title);
    for (k, v) in versions(old_name, new_name, old, new) {
        out.push_str(&format!("  {k}: {v}\n"));
    }
    out.push('\n');
    if diff.is_empty() {
        out.push_str("変更なし\n");
        return out;
    }
    let mut section = None;
    for c in &diff.changes {
        if section != Some(c.section) {
            section = Some(c.section);
            out.push_str(&format!("【{}】\n", c.section.ja()));
        }
        out.push_str(&format!("  ［{}］{}\n", c.kind.ja(), c.item));
        let indent = |text: &str| text.replace('\n', "\n            ");
        out.push_str(&format!("      変更前: {}\n", indent(&c.before)));
        out.push_str(&format!("      変更後: {}\n", indent(&c.after)));
    }
    out.push('\n');
    out.push_str(&summary_line(diff));
    out.push('\n');
    out
}

/// Writes `doc` to `path` by extension: `.md`, `.html` (A4, self-contained) or `.xlsx`.
pub fn write_document(doc: &Document, path: &Path) -> Result<(), String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("md") => office::to_markdown(doc).into_bytes(),
        Some("html" | "htm") => to_html(doc).into_bytes(),
        Some("xlsx") => office::to_xlsx(doc)?,
        Some(other) => {
            return Err(format!(
                "拡張子 .{other} には書き出せません（.md .html .xlsx）"
            ))
        }
        None => return Err("出力ファイルに拡張子がありません（.md .html .xlsx）".to_string()),
    };
    crate::outfile::write_atomically(path, &bytes)
}
