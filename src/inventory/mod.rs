//! The office-wide inventory: one body's (団体's) papers joined into one graph by system and party name, and the
//! questions only the joined graph can answer (`questions`), written as text, HTML, GraphML or JSON Lines.
//!
//! Models of different bodies are never joined. Names are joined when they are equal after `normalize` (or when
//! the alias table says so); nothing is joined because it merely looks alike — likely aliases become notes.

pub mod aliases;
pub mod export;
pub mod html;
pub mod questions;

use std::collections::BTreeMap;

use crate::itemset::ItemSet;
use crate::model::{Endpoint, ItemKind, Model, Role, Segment};
use crate::rules::Severity;

pub use aliases::Aliases;

/// The name of the alias table a folder may hold beside its models.
pub const ALIASES_FILE: &str = "aliases.ron";

/// The body written for a model whose header has no `owner`.
pub const UNKNOWN_BODY: &str = "（団体の記載なし）";

/// One model and the file it came from.
pub struct Paper {
    /// The file name (without folder), as papers are named in findings and exports.
    pub file: String,
    pub body: String,
    pub model: Model,
}

impl Paper {
    pub fn new(file: impl Into<String>, model: Model) -> Paper {
        let body = body_of(model.owner.as_deref());
        Paper {
            file: file.into(),
            body,
            model,
        }
    }

    /// How findings name the paper: its document number if it has one (「令和2年度第12号議案」), else the file.
    pub fn short(&self) -> &str {
        self.model.document.as_deref().unwrap_or(&self.file)
    }
}

/// The body (団体) of a model: the first word of its `owner` (「江戸川区 健康部保健予防課」 → 江戸川区).
pub fn body_of(owner: Option<&str>) -> String {
    owner
        .and_then(|o| o.split(|c: char| c.is_whitespace()).find(|w| !w.is_empty()))
        .map(|w| w.trim_end_matches(['、', ',', '，']).to_string())
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| UNKNOWN_BODY.to_string())
}

const HALF_KANA: &str = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ";
const FULL_KANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// The joining key of a name: full-width ASCII letters, digits and signs become half-width, half-width katakana
/// become full-width (with ﾞ ﾟ folded into the letter), and every space (half- or full-width) is dropped.
/// Nothing else is changed: case, long vowels and wording stay as written.
pub fn normalize(name: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(name.len());
    for c in name.chars() {
        let code = c as u32;
        if c.is_whitespace() {
            continue;
        }
        if (0xFF01..=0xFF5E).contains(&code) {
            out.push(char::from_u32(code - 0xFEE0).unwrap_or(c));
            continue;
        }
        if c == 'ﾞ' || c == 'ﾟ' {
            let voiced = out.last().and_then(|&prev| combine(prev, c == 'ﾟ'));
            match voiced {
                Some(v) => {
                    out.pop();
                    out.push(v);
                }
                None => out.push(if c == 'ﾞ' { '゛' } else { '゜' }),
            }
            continue;
        }
        match HALF_KANA.chars().position(|h| h == c) {
            Some(i) => out.push(FULL_KANA.chars().nth(i).unwrap_or(c)),
            None => out.push(c),
        }
    }
    out.into_iter().collect()
}

/// A full-width kana with a dakuten (or handakuten) added, if it takes one.
fn combine(kana: char, handakuten: bool) -> Option<char> {
    let code = kana as u32;
    if kana == 'ウ' && !handakuten {
        return Some('ヴ');
    }
    // カ…ト take a dakuten at +1 (every other code point), ハ…ホ take +1 (゛) or +2 (゜).
    let ka_to = "カキクケコサシスセソタチツテト";
    let ha_ho = "ハヒフヘホ";
    if !handakuten && ka_to.contains(kana) {
        return char::from_u32(code + 1);
    }
    if ha_ho.contains(kana) {
        return char::from_u32(code + if handakuten { 2 } else { 1 });
    }
    None
}

/// A party or a system of the joined graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Party,
    System,
}

impl NodeKind {
    pub fn ja(self) -> &'static str {
        match self {
            NodeKind::Party => "関係者",
            NodeKind::System => "システム",
        }
    }
}

/// Where a node of the joined graph appears: a paper, the name it uses there, and what that paper says about it.
#[derive(Debug, Clone)]
pub struct Place {
    /// Index into `Body::papers`.
    pub paper: usize,
    /// The index of the party or system in that paper's model.
    pub local: usize,
    pub written: String,
    pub role: Option<Role>,
    pub segment: Option<Segment>,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// The canonical name (the alias table's, else the name of its first appearance).
    pub name: String,
    /// Stable id, unique in the whole inventory: `江戸川区/システム/HER-SYS`.
    pub id: String,
    /// The label of its first appearance (for display).
    pub label: String,
    /// For a system, the node of the party that runs it (in the first paper naming it).
    pub party: Option<usize>,
    /// An outside party joined by name and label (not by the alias table): papers that label it differently
    /// give separate nodes.
    pub by_label: bool,
    pub places: Vec<Place>,
}

impl Node {
    /// The role the papers give a party (外部 if any paper says so; else the first stated).
    pub fn role(&self) -> Option<Role> {
        if self.places.iter().any(|p| p.role == Some(Role::External)) {
            return Some(Role::External);
        }
        self.places.iter().find_map(|p| p.role)
    }

    /// The segment of a system in the first paper that states one.
    pub fn segment(&self) -> Option<Segment> {
        self.places.iter().find_map(|p| p.segment)
    }

    /// The papers (indices into `Body::papers`) that name the node, without repeats.
    pub fn papers(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.places.iter().map(|p| p.paper).collect();
        out.dedup();
        out
    }
}

/// One flow of one paper in the joined graph.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// Index into `Body::papers`.
    pub paper: usize,
    /// Index into that paper's `Model::flows`.
    pub flow: usize,
    /// The step as the paper marks it (③, ①-1, 〔電算〕).
    pub step: String,
    pub label: String,
    /// What it carries, as body items.
    pub items: ItemSet,
    /// A transfer of information (not a connection or control arrow).
    pub data: bool,
    /// The paper does not say what it carries.
    pub items_unstated: bool,
}

/// An 情報項目 joined by name across the body's papers.
#[derive(Debug, Clone)]
pub struct BodyItem {
    pub name: String,
    /// The strongest kind any paper gives it (個人番号 > 要配慮 > 一般).
    pub kind: ItemKind,
    pub papers: Vec<usize>,
}

/// A cross-paper finding: a question the committee can ask only with several papers side by side.
#[derive(Debug, Clone)]
pub struct CrossFinding {
    /// Stable id: `XP001@テスト市:a-juki.ron:外部業者` (body, paper file(s), subject).
    pub id: String,
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub message: String,
    /// The edges of the path, in flow order (indices into `Body::edges`).
    pub path: Vec<usize>,
    /// The nodes the finding is about (the path's, or the system).
    pub nodes: Vec<usize>,
    /// The items it is about.
    pub items: Vec<usize>,
}

/// One body's papers joined.
pub struct Body {
    pub name: String,
    pub papers: Vec<Paper>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub items: Vec<BodyItem>,
    pub findings: Vec<CrossFinding>,
    /// Things a clerk should look at that are not findings: likely aliases, names joined across papers.
    pub notes: Vec<String>,
    /// For each paper: its parties' and systems' nodes.
    party_node: Vec<Vec<usize>>,
    system_node: Vec<Vec<usize>>,
    /// For each paper: its items' body items.
    item_of: Vec<Vec<usize>>,
}

impl Body {
    /// The node of an endpoint of paper `paper`.
    pub fn node_of(&self, paper: usize, endpoint: Endpoint) -> usize {
        match endpoint {
            Endpoint::Party(p) => self.party_node[paper][p],
            Endpoint::System(s) => self.system_node[paper][s],
        }
    }

    /// The body items of a paper's item set.
    pub fn body_items(&self, paper: usize, set: &ItemSet) -> ItemSet {
        let mut out = ItemSet::with_capacity(self.items.len());
        for i in set.iter() {
            if let Some(&b) = self.item_of[paper].get(i) {
                out.insert(b);
            }
        }
        out
    }

    /// The party a node belongs to (itself for a party).
    pub fn party_of(&self, node: usize) -> usize {
        self.nodes[node].party.unwrap_or(node)
    }

    /// Item names of a body item set, 個人番号 and 要配慮 first, at most `limit`, then 「ほかN項目」.
    pub fn item_names(&self, set: &ItemSet, limit: usize) -> String {
        let mut names: Vec<(u8, usize)> = set
            .iter()
            .filter(|&i| i < self.items.len())
            .map(|i| {
                let rank = match self.items[i].kind {
                    ItemKind::MyNumber => 0,
                    ItemKind::Sensitive => 1,
                    ItemKind::General => 2,
                };
                (rank, i)
            })
            .collect();
        names.sort_unstable();
        let shown: Vec<&str> = names
            .iter()
            .take(limit)
            .map(|&(_, i)| self.items[i].name.as_str())
            .collect();
        let mut out = shown.join("、");
        if names.len() > shown.len() {
            out.push_str(&format!("ほか{}項目", names.len() - shown.len()));
        }
        out
    }

    /// A hop for messages: 「令和2年度第12号議案 ③ 区イントラPC → IHEAT.JP」.
    pub fn hop_text(&self, edge: usize) -> String {
        let e = &self.edges[edge];
        format!(
            "{} {}（{} → {}）",
            self.papers[e.paper].short(),
            e.step,
            self.nodes[e.from].name,
            self.nodes[e.to].name
        )
    }

    /// Nodes named by more than one paper.
    pub fn shared(&self) -> impl Iterator<Item = (usize, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.papers().len() > 1)
    }
}

/// Every body of a folder.
pub struct Inventory {
    pub bodies: Vec<Body>,
}

#[derive(PartialEq, Eq, PartialOrd, Ord, Clone)]
enum Key {
    /// Normalized name, and for an outside party its normalized label.
    Party(String, String),
    /// 本人 are never joined: two papers' data subjects are different people.
    Subject(usize, String),
    System(String),
}

impl Inventory {
    /// Groups papers by body (sorted by body name; papers in the order given) and joins each body's papers.
    pub fn build(papers: Vec<Paper>, aliases: &Aliases) -> Inventory {
        let mut by_body: BTreeMap<String, Vec<Paper>> = BTreeMap::new();
        for paper in papers {
            by_body.entry(paper.body.clone()).or_default().push(paper);
        }
        let bodies = by_body
            .into_iter()
            .map(|(name, papers)| join(name, papers, aliases))
            .collect();
        Inventory { bodies }
    }

    pub fn findings(&self) -> usize {
        self.bodies.iter().map(|b| b.findings.len()).sum()
    }

    /// The text summary printed to stdout.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        if self.bodies.len() > 1 {
            let names: Vec<String> = self
                .bodies
                .iter()
                .map(|b| format!("{}（{}件）", b.name, b.papers.len()))
                .collect();
            out.push_str(&format!(
                "団体ごとに結合します（団体が異なるモデルは結合しません）: {}\n",
                names.join("、")
            ));
        }
        for body in &self.bodies {
            out.push_str(&format!("\n■ {}\n", body.name));
            for p in &body.papers {
                out.push_str(&format!(
                    "  資料 {} — {}（{}）\n",
                    p.short(),
                    p.model.title,
                    p.file
                ));
            }
            let shared = body.shared().count();
            out.push_str(&format!(
                "  関係者・システム {} 件（複数の資料に現れるもの {} 件）、流れ {} 件、情報項目 {} 件\n",
                body.nodes.len(),
                shared,
                body.edges.len(),
                body.items.len()
            ));
            const JOINS_SHOWN: usize = 20;
            for (_, node) in body.shared().take(JOINS_SHOWN) {
                let papers: Vec<&str> = node
                    .papers()
                    .into_iter()
                    .map(|p| body.papers[p].short())
                    .collect();
                out.push_str(&format!(
                    "  結合: {}「{}」— {}\n",
                    node.kind.ja(),
                    node.name,
                    papers.join("、")
                ));
            }
            if shared > JOINS_SHOWN {
                out.push_str(&format!("  結合: ほか{}件\n", shared - JOINS_SHOWN));
            }
            if body.findings.is_empty() {
                out.push_str("  資料をまたぐ指摘: なし\n");
            }
            for f in &body.findings {
                out.push_str(&format!(
                    "  [{}] {} {}: {}\n",
                    f.severity.ja(),
                    f.code,
                    f.title,
                    f.message
                ));
                for (k, &e) in f.path.iter().enumerate() {
                    out.push_str(&format!("      {}. {}\n", k + 1, body.hop_text(e)));
                }
            }
            for n in &body.notes {
                out.push_str(&format!("  注: {n}\n"));
            }
        }
        out
    }
}

/// The output formats, chosen by the extension of `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Graphml,
    Jsonl,
}

impl Format {
    pub fn from_path(path: &std::path::Path) -> Result<Format, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html") | Some("htm") => Ok(Format::Html),
            Some("graphml") => Ok(Format::Graphml),
            Some("jsonl") => Ok(Format::Jsonl),
            _ => Err(format!(
                "{} の拡張子から形式が分かりません。.html（画面）・.graphml（yEd・Gephi・Neo4j）・.jsonl（DuckDB など）のどれかにしてください",
                path.display()
            )),
        }
    }
}

/// Writes the inventory in `format` to `path` (atomically; errors in Japanese).
pub fn write(inventory: &Inventory, path: &std::path::Path, format: Format) -> Result<(), String> {
    let text = match format {
        Format::Html => html::page(inventory),
        Format::Graphml => export::graphml(inventory),
        Format::Jsonl => export::jsonl(inventory),
    };
    crate::outfile::write_atomically(path, text.as_bytes())
}

/// Reads and parses an alias table; the source is returned with the diagnostics for quoting.
pub fn load_aliases(
    path: &std::path::Path,
) -> Result<(crate::diag::Source, Aliases), (crate::diag::Source, Vec<crate::diag::Diagnostic>)> {
    let source = crate::ronfile::read_source(path).map_err(|(s, d)| (s, vec![d]))?;
    match Aliases::parse(&source) {
        Ok(a) => Ok((source, a)),
        Err(d) => Err((source, d)),
    }
}

/// The strongest of two item kinds.
fn stronger(a: ItemKind, b: ItemKind) -> ItemKind {
    let rank = |k: ItemKind| match k {
        ItemKind::MyNumber => 2,
        ItemKind::Sensitive => 1,
        ItemKind::General => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Joins one body's papers.
fn join(name: String, papers: Vec<Paper>, aliases: &Aliases) -> Body {
    let mut nodes: Vec<Node> = Vec::new();
    let mut index: BTreeMap<Key, usize> = BTreeMap::new();
    let mut party_node = Vec::with_capacity(papers.len());
    let mut system_node = Vec::with_capacity(papers.len());
    let mut item_of = Vec::with_capacity(papers.len());
    let mut items: Vec<BodyItem> = Vec::new();
    let mut item_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut notes = Vec::new();

    for (pi, paper) in papers.iter().enumerate() {
        let model = &paper.model;
        let mut parties = Vec::with_capacity(model.parties.len());
        for (local, party) in model.parties.iter().enumerate() {
            let aliased = aliases.lookup(&name, &paper.file, aliases::Kind::Party, &party.name);
            let canonical = aliased.clone().unwrap_or_else(|| party.name.clone());
            // 本人 are never joined; an outside party is joined only when its label agrees too (two papers'
            // 「委託事業者」 are usually two companies), unless the alias table joins them.
            let by_label = party.role == Role::External && aliased.is_none();
            let (key, display) = if party.role == Role::Subject {
                // Shown by its label: two papers' 「対象者」 are different people.
                (
                    Key::Subject(pi, party.name.clone()),
                    party.display().to_string(),
                )
            } else if by_label {
                let label = party.label.as_deref().unwrap_or("");
                let display = if label.is_empty() || normalize(label) == normalize(&canonical) {
                    canonical.clone()
                } else {
                    label.to_string()
                };
                (Key::Party(normalize(&canonical), normalize(label)), display)
            } else {
                (
                    Key::Party(normalize(&canonical), String::new()),
                    canonical.clone(),
                )
            };
            let place = Place {
                paper: pi,
                local,
                written: party.name.clone(),
                role: Some(party.role),
                segment: None,
            };
            let n = *index.entry(key.clone()).or_insert_with(|| {
                let id = match &key {
                    Key::Subject(_, _) => format!("{name}/本人/{}/{}", paper.file, party.name),
                    _ => format!("{name}/関係者/{display}"),
                };
                nodes.push(Node {
                    kind: NodeKind::Party,
                    name: display.clone(),
                    id,
                    label: party.display().to_string(),
                    party: None,
                    by_label,
                    places: Vec::new(),
                });
                nodes.len() - 1
            });
            nodes[n].places.push(place);
            parties.push(n);
        }
        let mut systems = Vec::with_capacity(model.systems.len());
        for (local, system) in model.systems.iter().enumerate() {
            let canonical =
                aliases.canonical(&name, &paper.file, aliases::Kind::System, &system.name);
            let key = Key::System(normalize(&canonical));
            let owner = parties.get(system.party).copied();
            let n = *index.entry(key).or_insert_with(|| {
                nodes.push(Node {
                    kind: NodeKind::System,
                    name: canonical.clone(),
                    id: format!("{name}/システム/{canonical}"),
                    label: system.display().to_string(),
                    party: owner,
                    by_label: false,
                    places: Vec::new(),
                });
                nodes.len() - 1
            });
            nodes[n].places.push(Place {
                paper: pi,
                local,
                written: system.name.clone(),
                role: None,
                segment: system.segment,
            });
            systems.push(n);
        }
        let mut items_here = Vec::with_capacity(model.items.len());
        for item in &model.items {
            let canonical = aliases.canonical(&name, &paper.file, aliases::Kind::Item, &item.name);
            let key = normalize(&canonical);
            let b = *item_index.entry(key).or_insert_with(|| {
                items.push(BodyItem {
                    name: canonical.clone(),
                    kind: item.kind,
                    papers: Vec::new(),
                });
                items.len() - 1
            });
            items[b].kind = stronger(items[b].kind, item.kind);
            if items[b].papers.last() != Some(&pi) {
                items[b].papers.push(pi);
            }
            items_here.push(b);
        }
        party_node.push(parties);
        system_node.push(systems);
        item_of.push(items_here);
    }

    let mut body = Body {
        name,
        papers,
        nodes,
        edges: Vec::new(),
        items,
        findings: Vec::new(),
        notes: Vec::new(),
        party_node,
        system_node,
        item_of,
    };
    let mut edges = Vec::new();
    for pi in 0..body.papers.len() {
        for (fi, flow) in body.papers[pi].model.flows.iter().enumerate() {
            edges.push(Edge {
                from: body.node_of(pi, flow.from),
                to: body.node_of(pi, flow.to),
                paper: pi,
                flow: fi,
                step: flow.no.mark(),
                label: flow.label.clone(),
                items: body.body_items(pi, &flow.items.set),
                data: flow.is_data(),
                items_unstated: flow.is_data() && flow.items_unstated(),
            });
        }
    }
    body.edges = edges;
    notes.extend(split_parties(&body));
    notes.extend(likely_aliases(&body));
    body.notes = notes;
    body.findings = questions::ask(&body);
    body
}

/// Notes for outside parties that papers name alike but label differently, so they were kept apart.
fn split_parties(body: &Body) -> Vec<String> {
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in body.nodes.iter().enumerate() {
        if n.by_label {
            by_name
                .entry(normalize(&n.places[0].written))
                .or_default()
                .push(i);
        }
    }
    let mut notes = Vec::new();
    for list in by_name.values().filter(|l| l.len() > 1) {
        let said: Vec<String> = list
            .iter()
            .map(|&i| {
                let n = &body.nodes[i];
                format!(
                    "{}では「{}」",
                    body.papers[n.places[0].paper].short(),
                    n.label
                )
            })
            .collect();
        notes.push(format!(
            "関係者「{}」は、{}と書かれているので、別の相手として扱いました。同じ相手なら {} に別名として書いてください",
            body.nodes[list[0]].places[0].written,
            said.join("、"),
            ALIASES_FILE
        ));
    }
    notes
}

/// Notes for names of different papers that are not joined but probably mean the same thing: systems of the same
/// party whose names share a beginning of three characters or more, or where one name contains the other.
/// Only neighbours in sorted order are compared, so the cost is n log n.
fn likely_aliases(body: &Body) -> Vec<String> {
    let mut notes = Vec::new();
    for kind in [NodeKind::System, NodeKind::Party] {
        let mut names: Vec<(usize, String, usize)> = body
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == kind && n.role() != Some(Role::Subject))
            .map(|(i, n)| (body.party_of(i), normalize(&n.name), i))
            .collect();
        if kind == NodeKind::Party {
            for n in &mut names {
                n.0 = 0;
            }
        }
        names.sort();
        for pair in names.windows(2) {
            let ((pa, a, ia), (pb, b, ib)) = (&pair[0], &pair[1]);
            if pa != pb {
                continue;
            }
            let (na, nb) = (&body.nodes[*ia], &body.nodes[*ib]);
            let pa_papers = na.papers();
            let pb_papers = nb.papers();
            if pa_papers.iter().any(|p| pb_papers.contains(p)) {
                continue;
            }
            let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            let shorter = a.chars().count().min(b.chars().count());
            if (common >= 3 && common * 2 >= shorter)
                || (shorter >= 2 && (b.contains(a.as_str()) || a.contains(b.as_str())))
            {
                let paper = |n: &Node| body.papers[n.places[0].paper].short().to_string();
                notes.push(format!(
                    "{}「{}」（{}）と「{}」（{}）は同じものかもしれません。同じなら {} に別名として書いてください（名前が違うので結合していません）",
                    kind.ja(),
                    na.name,
                    paper(na),
                    nb.name,
                    paper(nb),
                    ALIASES_FILE
                ));
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_width_and_spaces_only() {
        assert_eq!(normalize("ＨＥＲ－ＳＹＳ"), "HER-SYS");
        assert_eq!(normalize("区 イントラ　ＰＣ"), "区イントラPC");
        assert_eq!(normalize("ｼｽﾃﾑ"), "システム");
        assert_eq!(normalize("ﾃﾞｰﾀﾍﾞｰｽ"), "データベース");
        assert_eq!(normalize("ﾊﾟｿｺﾝ"), "パソコン");
        assert_ne!(normalize("pc"), normalize("PC"));
    }

    #[test]
    fn body_is_the_first_word_of_owner() {
        assert_eq!(body_of(Some("江戸川区 健康部保健予防課")), "江戸川区");
        assert_eq!(body_of(Some("熊谷市　市民部")), "熊谷市");
        assert_eq!(body_of(None), UNKNOWN_BODY);
        assert_eq!(body_of(Some("  ")), UNKNOWN_BODY);
    }
}
