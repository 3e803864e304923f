//! The cross-paper questions (XP001–XP003): what only the joined graph of one body shows.
//!
//! Per-paper rules stay in `rules`; these look only at what crosses papers: a system two papers share.

use std::collections::{BTreeSet, VecDeque};

use super::{Body, CrossFinding, NodeKind};
use crate::itemset::ItemSet;
use crate::model::{ItemKind, Role};
use crate::rules::Severity;

/// One row of `nagare inventory --help`-level documentation for each question.
pub const QUESTIONS: &[(&str, &str, &str)] = &[
    (
        "XP001",
        "ある資料がシステムに送る個人情報が、別の資料の流れを経て、どちらの資料にも記載のない外部の相手に届く",
        "高",
    ),
    (
        "XP002",
        "同じシステムが資料によって異なるセグメントに置かれている",
        "中",
    ),
    ("XP003", "個人番号が資料をまたいで流れる", "中"),
];

/// Items shown in a message before 「ほかN項目」.
const ITEMS_SHOWN: usize = 4;

/// Asks every question of a joined body; findings sorted by code, then id.
pub fn ask(body: &Body) -> Vec<CrossFinding> {
    let mut out = Vec::new();
    let shared: Vec<bool> = body
        .nodes
        .iter()
        .map(|n| n.kind == NodeKind::System && n.papers().len() > 1)
        .collect();
    if shared.iter().any(|&s| s) {
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); body.nodes.len()];
        for (i, e) in body.edges.iter().enumerate() {
            outgoing[e.from].push(i);
        }
        for paper in 0..body.papers.len() {
            out.extend(undeclared_reach(body, paper, &shared, &outgoing));
        }
        out.extend(segments(body));
        out.extend(my_number(body, &shared, &outgoing));
    }
    out.sort_by(|a, b| a.code.cmp(b.code).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Whether paper `paper` declares the party node `party` (in its 別紙, `declared`).
fn declares(body: &Body, paper: usize, party: usize) -> bool {
    body.nodes[party]
        .places
        .iter()
        .filter(|p| p.paper == paper)
        .any(|p| body.papers[paper].model.declared_for(p.local).is_some())
}

/// XP001: items paper `a` sends into a shared system, followed over the other papers' data flows (only the items
/// each flow carries), reaching an external party that neither `a` nor the paper of the last flow declares.
/// One breadth-first search per paper, each node's item set only grows: O((nodes + edges) × items / 64) per paper.
fn undeclared_reach(
    body: &Body,
    a: usize,
    shared: &[bool],
    outgoing: &[Vec<usize>],
) -> Vec<CrossFinding> {
    let n = body.nodes.len();
    let mut reached: Vec<ItemSet> = vec![ItemSet::default(); n];
    let mut entry: Vec<Option<usize>> = vec![None; n];
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut queue = VecDeque::new();
    for (i, e) in body.edges.iter().enumerate() {
        if e.paper == a && e.data && shared[e.to] && !e.items.is_empty() {
            reached[e.to].union_with(&e.items);
            if entry[e.to].is_none() {
                entry[e.to] = Some(i);
                queue.push_back(e.to);
            }
        }
    }
    let mut order = Vec::new();
    while let Some(u) = queue.pop_front() {
        for &i in &outgoing[u] {
            let e = &body.edges[i];
            if e.paper == a || !e.data {
                continue;
            }
            let carried = reached[u].intersect(&e.items);
            if carried.is_empty() {
                continue;
            }
            if reached[e.to].union_with(&carried) {
                if parent[e.to].is_none() && entry[e.to].is_none() {
                    parent[e.to] = Some(i);
                    order.push(e.to);
                }
                queue.push_back(e.to);
            }
        }
    }
    let mut out = Vec::new();
    let mut seen_party = BTreeSet::new();
    for v in order {
        let party = body.party_of(v);
        if body.nodes[party].role() != Some(Role::External) || !seen_party.insert(party) {
            continue;
        }
        let Some(last) = parent[v] else { continue };
        let b = body.edges[last].paper;
        if declares(body, a, party) || declares(body, b, party) {
            continue;
        }
        // Walk back to the shared system where paper `a`'s items entered.
        let mut path = vec![last];
        let mut at = body.edges[last].from;
        while let Some(p) = parent[at] {
            if path.len() > n {
                break;
            }
            path.push(p);
            at = body.edges[p].from;
        }
        if let Some(first) = entry[at] {
            path.push(first);
        }
        path.reverse();
        let items = &reached[v];
        let paper_a = body.papers[a].short();
        let paper_b = body.papers[b].short();
        let system = &body.nodes[at].name;
        out.push(CrossFinding {
            id: format!(
                "XP001@{}:{}:{}",
                body.name, body.papers[a].file, body.nodes[party].name
            ),
            code: "XP001",
            severity: Severity::High,
            title: "資料をまたいで、どちらの資料にも記載のない相手に個人情報が届く",
            message: format!(
                "{paper_a}がシステム「{system}」に送る個人情報（{}）は、{paper_b}の流れを経て「{}」に届くが、「{}」はどちらの資料の別紙にも記載されていない",
                body.item_names(items, ITEMS_SHOWN),
                body.nodes[party].name,
                body.nodes[party].name,
            ),
            nodes: path_nodes(body, &path),
            path,
            items: items.iter().collect(),
        });
    }
    out
}

/// The nodes along a path, in order, without repeats.
fn path_nodes(body: &Body, path: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(path.len() + 1);
    for &e in path {
        for n in [body.edges[e].from, body.edges[e].to] {
            if out.last() != Some(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// XP002: a system two papers place in different segments.
fn segments(body: &Body) -> Vec<CrossFinding> {
    let mut out = Vec::new();
    for (i, node) in body.nodes.iter().enumerate() {
        if node.kind != NodeKind::System {
            continue;
        }
        let stated: Vec<_> = node
            .places
            .iter()
            .filter_map(|p| p.segment.map(|s| (p.paper, s)))
            .collect();
        let Some(&(_, first)) = stated.first() else {
            continue;
        };
        if stated.iter().all(|&(_, s)| s == first) {
            continue;
        }
        let said: Vec<String> = stated
            .iter()
            .map(|&(p, s)| format!("{}では「{}」", body.papers[p].short(), s.ja()))
            .collect();
        out.push(CrossFinding {
            id: format!("XP002@{}:{}", body.name, node.name),
            code: "XP002",
            severity: Severity::Medium,
            title: "同じシステムが資料によって異なるセグメントに置かれている",
            message: format!(
                "システム「{}」は、{}に置かれている。どちらかの資料の記載が誤っているか、別のシステムである",
                node.name,
                said.join("、")
            ),
            path: Vec::new(),
            nodes: vec![i],
            items: Vec::new(),
        });
    }
    out
}

/// XP003: 個人番号 that one paper sends into a shared system and another paper's flow carries out of it.
fn my_number(body: &Body, shared: &[bool], outgoing: &[Vec<usize>]) -> Vec<CrossFinding> {
    let my_number: ItemSet = body
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == ItemKind::MyNumber)
        .map(|(k, _)| k)
        .collect();
    let mut out = Vec::new();
    if my_number.is_empty() {
        return out;
    }
    let mut seen = BTreeSet::new();
    for (i, into) in body.edges.iter().enumerate() {
        if !into.data || !shared[into.to] {
            continue;
        }
        let carried = into.items.intersect(&my_number);
        if carried.is_empty() {
            continue;
        }
        for &o in &outgoing[into.to] {
            let out_edge = &body.edges[o];
            if out_edge.paper == into.paper || !out_edge.data {
                continue;
            }
            let both = carried.intersect(&out_edge.items);
            if both.is_empty() || !seen.insert((into.paper, out_edge.paper, into.to)) {
                continue;
            }
            let (pa, pb) = (
                body.papers[into.paper].short(),
                body.papers[out_edge.paper].short(),
            );
            let system = &body.nodes[into.to].name;
            out.push(CrossFinding {
                id: format!(
                    "XP003@{}:{}:{}:{}",
                    body.name,
                    body.papers[into.paper].file,
                    system,
                    body.papers[out_edge.paper].file
                ),
                code: "XP003",
                severity: Severity::Medium,
                title: "個人番号が資料をまたいで流れる",
                message: format!(
                    "{pa}がシステム「{system}」に送る個人番号（{}）を、{pb}の流れが「{}」へ運ぶ。{pb}の事務で個人番号を利用・提供できる根拠（番号法）を両方の資料で確かめる",
                    body.item_names(&both, ITEMS_SHOWN),
                    body.nodes[out_edge.to].name
                ),
                path: vec![i, o],
                nodes: path_nodes(body, &[i, o]),
                items: both.iter().collect(),
            });
        }
    }
    out
}
