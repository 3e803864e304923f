//! The inventory page: one self-contained HTML file (inline CSS, JS and SVG; no network, no external fonts) with the
//! joined graph of each body laid out by party (rows) and segment (columns), pan and zoom, search, and highlighting
//! of an item's flows or a finding's path.
//!
//! The layout is a grid, linear in the number of nodes: each party is a row, each segment a column, a party's
//! systems are stacked in their cell. The page's script indexes elements once and highlights by class, so a click
//! costs the size of what it lights, never nodes × edges.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{Body, Inventory, NodeKind};
use crate::markup::escape;
use crate::model::{Role, Segment};
use crate::render::font::Measurer;

const NODE_W: f64 = 180.0;
const NODE_H: f64 = 30.0;
const GAP_X: f64 = 110.0;
const GAP_Y: f64 = 10.0;
const ROW_PAD: f64 = 14.0;
const HEAD_H: f64 = 40.0;
const LEFT: f64 = 20.0;
const FONT: f64 = 12.0;

/// Paper colours (one per paper of a body, repeating after ten), readable on white and for common colour blindness.
const COLORS: &[&str] = &[
    "#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#386cb0",
    "#bf5b17", "#666666",
];

/// The columns: the parties themselves, then the segments from the outside in, then systems with no segment.
fn column_of(body: &Body, node: usize) -> usize {
    let n = &body.nodes[node];
    if n.kind == NodeKind::Party {
        return 0;
    }
    match n.segment() {
        Some(Segment::External) => 1,
        Some(Segment::InternetConnected) => 2,
        Some(Segment::LgwanAsp) => 3,
        Some(Segment::LgwanConnected) => 4,
        Some(Segment::MyNumberUse) => 5,
        Some(Segment::GovCloud) => 6,
        None => 7,
    }
}

const COLUMN_NAMES: [&str; 8] = [
    "関係者",
    "外部",
    "インターネット接続系",
    "LGWAN-ASP",
    "LGWAN接続系",
    "マイナンバー利用事務系",
    "ガバメントクラウド",
    "セグメント記載なし",
];

fn role_rank(role: Option<Role>) -> u8 {
    match role {
        Some(Role::Subject) => 0,
        Some(Role::Agency) => 1,
        Some(Role::Internal) => 2,
        Some(Role::External) => 3,
        None => 4,
    }
}

/// Positions of one body's nodes (top-left corners), the used columns' x and titles, and the rows' bands.
struct Layout {
    pos: Vec<(f64, f64)>,
    columns: Vec<(f64, &'static str)>,
    rows: Vec<(f64, f64, usize)>,
    width: f64,
    height: f64,
}

/// Sub-columns for a cell of `m` systems: about three rows per sub-column's width, so a crowded cell grows wide
/// as well as tall.
fn cell_columns(m: usize) -> usize {
    let mut c = 1;
    while c * c * 3 < m {
        c += 1;
    }
    c
}

const SUB_GAP: f64 = 16.0;

fn layout(body: &Body) -> Layout {
    let n = body.nodes.len();
    let col: Vec<usize> = (0..n).map(|i| column_of(body, i)).collect();
    // Rows: parties by role, then name; each party's systems in its row.
    let mut parties: Vec<usize> = (0..n)
        .filter(|&i| body.nodes[i].kind == NodeKind::Party)
        .collect();
    parties.sort_by(|&a, &b| {
        (role_rank(body.nodes[a].role()), &body.nodes[a].name, a).cmp(&(
            role_rank(body.nodes[b].role()),
            &body.nodes[b].name,
            b,
        ))
    });
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        if body.nodes[i].kind == NodeKind::System {
            members.entry(body.party_of(i)).or_default().push(i);
        }
    }
    // How many systems each party has in each column, and the widest cell of each column.
    let count = |p: usize| -> [usize; 8] {
        let mut m = [0usize; 8];
        m[0] = 1;
        for &s in members.get(&p).map(Vec::as_slice).unwrap_or(&[]) {
            m[col[s]] += 1;
        }
        m
    };
    let mut used = [false; 8];
    let mut widest = [1usize; 8];
    for &p in &parties {
        let m = count(p);
        for c in 0..8 {
            if m[c] > 0 {
                used[c] = true;
                widest[c] = widest[c].max(cell_columns(m[c]));
            }
        }
    }
    let mut col_x = [0.0; 8];
    let mut columns = Vec::new();
    let mut x = LEFT;
    for c in 0..8 {
        if used[c] {
            col_x[c] = x;
            let w = widest[c] as f64 * (NODE_W + SUB_GAP) - SUB_GAP;
            columns.push((x + w / 2.0 - NODE_W / 2.0, COLUMN_NAMES[c]));
            x += w + GAP_X;
        }
    }
    let mut pos = vec![(0.0, 0.0); n];
    let mut rows = Vec::new();
    let mut y = HEAD_H;
    for &p in &parties {
        let m = count(p);
        let mut placed = [0usize; 8];
        pos[p] = (col_x[0], y + ROW_PAD);
        placed[0] = 1;
        let mut tall = 1;
        for &s in members.get(&p).map(Vec::as_slice).unwrap_or(&[]) {
            let c = col[s];
            let across = cell_columns(m[c]);
            let (row, sub) = (placed[c] / across, placed[c] % across);
            pos[s] = (
                col_x[c] + sub as f64 * (NODE_W + SUB_GAP),
                y + ROW_PAD + row as f64 * (NODE_H + GAP_Y),
            );
            placed[c] += 1;
            tall = tall.max(row + 1);
        }
        let tall = tall as f64;
        let h = ROW_PAD * 2.0 + tall * NODE_H + (tall - 1.0) * GAP_Y;
        rows.push((y, h, p));
        y += h;
    }
    Layout {
        pos,
        columns,
        rows,
        width: x - GAP_X + LEFT,
        height: y + 20.0,
    }
}

/// Cuts a label to fit a node, ending with … when cut.
fn fit(measure: &mut Option<Measurer>, text: &str, max: f64) -> String {
    let Some(m) = measure.as_mut() else {
        // Without the font, assume every character is one em.
        let keep = (max / FONT) as usize;
        return cut(text, keep);
    };
    if m.width(text, FONT) <= max {
        return text.to_string();
    }
    // Hardly any character is narrower than a quarter of the font size, so longer text can be cut before measuring.
    let chars: Vec<char> = text
        .chars()
        .take((max / (FONT / 4.0)) as usize + 1)
        .collect();
    let mut keep = chars.len();
    while keep > 0 {
        keep -= 1;
        let s: String = chars[..keep].iter().collect::<String>() + "…";
        if m.width(&s, FONT) <= max {
            return s;
        }
    }
    "…".to_string()
}

fn cut(text: &str, keep: usize) -> String {
    if text.chars().count() <= keep {
        return text.to_string();
    }
    let mut s: String = text.chars().take(keep.saturating_sub(1)).collect();
    s.push('…');
    s
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

/// The SVG of one body (inside the page; its viewport group is panned and zoomed by the script).
fn svg(body: &Body, lay: &Layout, measure: &mut Option<Measurer>) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" data-w=\"{}\" data-h=\"{}\"><g class=\"vp\">\n",
        f(lay.width),
        f(lay.height)
    ));
    // Row bands and column titles.
    for (k, &(y, h, _)) in lay.rows.iter().enumerate() {
        out.push_str(&format!(
            "<rect class=\"band{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
            if k % 2 == 0 { "" } else { " odd" },
            f(y),
            f(lay.width),
            f(h)
        ));
    }
    for &(x, name) in &lay.columns {
        out.push_str(&format!(
            "<text class=\"colhead\" x=\"{}\" y=\"26\">{}</text>\n",
            f(x + NODE_W / 2.0),
            escape(name)
        ));
    }
    // Edges under nodes.
    let warn: Vec<bool> = {
        let mut w = vec![false; body.nodes.len()];
        for fd in &body.findings {
            if fd.path.is_empty() {
                for &n in &fd.nodes {
                    w[n] = true;
                }
            }
        }
        w
    };
    out.push_str("<g class=\"edges\">\n");
    for (i, e) in body.edges.iter().enumerate() {
        let (fx, fy) = lay.pos[e.from];
        let (tx, ty) = lay.pos[e.to];
        let (sy, ey) = (fy + NODE_H / 2.0, ty + NODE_H / 2.0);
        let (sx, ex, bend) = if tx > fx + 1.0 {
            (fx + NODE_W, tx, (tx - fx - NODE_W) / 2.0)
        } else if tx + 1.0 < fx {
            (fx, tx + NODE_W, -(fx - tx - NODE_W) / 2.0)
        } else {
            // Same column: leave by the right side and come back in a loop.
            (fx + NODE_W, tx + NODE_W, 60.0)
        };
        let (c1, c2) = if tx > fx + 1.0 || tx + 1.0 < fx {
            (sx + bend, ex - bend)
        } else {
            (sx + bend, ex + bend)
        };
        let color = COLORS[e.paper % COLORS.len()];
        out.push_str(&format!(
            "<path class=\"e{}\" data-i=\"{i}\" stroke=\"{color}\" d=\"M{},{} C{},{} {},{} {},{}\"/>\n",
            if e.data { "" } else { " ctl" },
            f(sx),
            f(sy),
            f(c1),
            f(sy),
            f(c2),
            f(ey),
            f(ex),
            f(ey)
        ));
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (i, node) in body.nodes.iter().enumerate() {
        let (x, y) = lay.pos[i];
        let mut class = match node.kind {
            NodeKind::Party => "n party".to_string(),
            NodeKind::System => "n sys".to_string(),
        };
        if node.role() == Some(Role::External) {
            class.push_str(" ext");
        }
        if node.papers().len() > 1 {
            class.push_str(" shared");
        }
        if warn[i] {
            class.push_str(" warn");
        }
        let papers: Vec<&str> = node
            .papers()
            .into_iter()
            .map(|p| body.papers[p].short())
            .collect();
        out.push_str(&format!(
            "<g class=\"{class}\" data-i=\"{i}\" transform=\"translate({},{})\"><title>{}（{}）</title><rect width=\"{}\" height=\"{}\" rx=\"{}\"/><text x=\"8\" y=\"{}\">{}</text>",
            f(x),
            f(y),
            escape(&node.name),
            escape(&papers.join("、")),
            f(NODE_W),
            f(NODE_H),
            if node.kind == NodeKind::Party { "14" } else { "3" },
            f(NODE_H / 2.0 + 4.0),
            escape(&fit(measure, &node.name, NODE_W - 16.0 - if node.papers().len() > 1 { 14.0 } else { 0.0 })),
        ));
        if node.papers().len() > 1 {
            out.push_str(&format!(
                "<text class=\"count\" x=\"{}\" y=\"{}\">{}</text>",
                f(NODE_W - 6.0),
                f(NODE_H / 2.0 + 4.0),
                node.papers().len()
            ));
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n</g></svg>");
    out
}

/// The data the script reads: names, papers, items, adjacency and findings (indices into the SVG's elements).
fn data(body: &Body) -> Value {
    let nodes: Vec<Value> = body
        .nodes
        .iter()
        .map(|n| {
            json!({
                "id": n.id,
                "n": n.name,
                "l": n.label,
                "k": n.kind.ja(),
                "r": n.role().map(|r| r.ja()),
                "s": n.segment().map(|s| s.ja()),
                "pa": n.party,
                "w": n.places.iter().map(|p| json!([p.paper, p.written, p.segment.map(|s| s.ja())])).collect::<Vec<_>>(),
            })
        })
        .collect();
    let edges: Vec<Value> = body
        .edges
        .iter()
        .map(|e| {
            json!({
                "f": e.from,
                "t": e.to,
                "p": e.paper,
                "s": e.step,
                "l": e.label,
                "d": e.data,
                "u": e.items_unstated,
                "i": e.items.iter().collect::<Vec<_>>(),
            })
        })
        .collect();
    let items: Vec<Value> = body
        .items
        .iter()
        .map(|i| json!({"n": i.name, "k": i.kind.ja()}))
        .collect();
    let papers: Vec<Value> = body
        .papers
        .iter()
        .enumerate()
        .map(|(k, p)| {
            json!({
                "f": p.file,
                "d": p.short(),
                "t": p.model.title,
                "c": COLORS[k % COLORS.len()],
            })
        })
        .collect();
    let findings: Vec<Value> = body
        .findings
        .iter()
        .map(|fd| {
            json!({
                "id": fd.id,
                "c": fd.code,
                "v": fd.severity.ja(),
                "t": fd.title,
                "m": fd.message,
                "p": fd.path,
                "n": fd.nodes,
                "i": fd.items,
            })
        })
        .collect();
    json!({
        "name": body.name,
        "nodes": nodes,
        "edges": edges,
        "items": items,
        "papers": papers,
        "findings": findings,
        "notes": body.notes,
    })
}

/// The whole page.
pub fn page(inventory: &Inventory) -> String {
    let mut measure = Measurer::new().ok();
    let mut out = String::new();
    let title = if inventory.bodies.len() == 1 {
        format!("団体横断の個人情報の流れ — {}", inventory.bodies[0].name)
    } else {
        "団体横断の個人情報の流れ".to_string()
    };
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str(&format!("<title>{}</title>\n<style>\n", escape(&title)));
    out.push_str(include_str!("page.css"));
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(&format!(
        "<header><h1>{}</h1><select id=\"body\" aria-label=\"団体\">",
        escape(&title)
    ));
    for (k, body) in inventory.bodies.iter().enumerate() {
        out.push_str(&format!(
            "<option value=\"{k}\">{}（資料{}件）</option>",
            escape(&body.name),
            body.papers.len()
        ));
    }
    out.push_str("</select>");
    if inventory.bodies.len() > 1 {
        out.push_str("<span class=\"sep\">団体が異なるモデルは結合しません</span>");
    }
    out.push_str("<span id=\"status\" role=\"status\"></span></header>\n");
    out.push_str("<main>\n<section id=\"canvas\">\n<div class=\"tools\"><button id=\"zin\" title=\"拡大\">＋</button><button id=\"zout\" title=\"縮小\">－</button><button id=\"fit\" title=\"全体を表示\">全体</button><button id=\"clear\" title=\"強調を消す\">強調を消す</button></div>\n");
    for (k, body) in inventory.bodies.iter().enumerate() {
        let lay = layout(body);
        // Bodies other than the first wait in a <template>: parsed but not laid out until chosen.
        let (open, close) = if k == 0 {
            ("", "")
        } else {
            ("<template>", "</template>")
        };
        out.push_str(&format!(
            "<div class=\"bodyview\" data-b=\"{k}\"{}>{open}",
            if k == 0 { "" } else { " hidden" }
        ));
        out.push_str(&svg(body, &lay, &mut measure));
        out.push_str(close);
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n<aside id=\"side\">\n");
    out.push_str("<input id=\"q\" type=\"search\" placeholder=\"検索（システム・関係者・情報項目・資料）\" aria-label=\"検索\">\n<div id=\"results\"></div>\n");
    out.push_str("<div id=\"detail\"></div>\n");
    out.push_str("<h2>資料をまたぐ指摘</h2><ol id=\"findings\"></ol>\n<h2>資料</h2><ul id=\"papers\"></ul>\n<h2>情報項目</h2><ul id=\"items\"></ul>\n<h2>注</h2><ul id=\"notes\"></ul>\n");
    out.push_str("</aside>\n</main>\n");
    let all: Vec<Value> = inventory.bodies.iter().map(data).collect();
    // Markup characters only occur inside JSON strings, where \u escapes mean the same: the script element can
    // never be closed or commented out by a model's text.
    let json = Value::Array(all)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    out.push_str("<script type=\"application/json\" id=\"data\">");
    out.push_str(&json);
    out.push_str("</script>\n<script>\n");
    out.push_str(include_str!("page.js"));
    out.push_str("</script>\n</body>\n</html>\n");
    out
}
