//! The joined graph for other engines: GraphML (yEd, Gephi, Neo4j) and JSON Lines (DuckDB, jq), schema version 1
//! (docs/inventory.md).

use serde_json::{json, Value};

use super::{Body, Inventory, NodeKind};
use crate::markup::escape;

/// The JSON Lines schema version written in every line.
pub const SCHEMA_VERSION: u32 = 1;

/// Stable id of an edge: `江戸川区/edogawa-hersys.ron#3` (the flow's position in its paper, from 1).
pub fn edge_id(body: &Body, edge: usize) -> String {
    let e = &body.edges[edge];
    format!("{}/{}#{}", body.name, body.papers[e.paper].file, e.flow + 1)
}

fn item_names(body: &Body, set: impl Iterator<Item = usize>) -> Vec<String> {
    set.filter_map(|i| body.items.get(i).map(|it| it.name.clone()))
        .collect()
}

/// One JSON object per line: a `body` line, then its `item`, `node`, `edge` and `finding` lines.
pub fn jsonl(inventory: &Inventory) -> String {
    let mut out = String::new();
    let mut line = |v: Value| {
        out.push_str(&v.to_string());
        out.push('\n');
    };
    for body in &inventory.bodies {
        let papers: Vec<Value> = body
            .papers
            .iter()
            .map(|p| {
                json!({
                    "file": p.file,
                    "document": p.model.document,
                    "title": p.model.title,
                    "owner": p.model.owner,
                })
            })
            .collect();
        line(json!({
            "type": "body",
            "version": SCHEMA_VERSION,
            "body": body.name,
            "documents": papers,
        }));
        for item in &body.items {
            line(json!({
                "type": "item",
                "version": SCHEMA_VERSION,
                "body": body.name,
                "name": item.name,
                "kind": item.kind.ja(),
                "papers": item.papers.iter().map(|&p| body.papers[p].file.as_str()).collect::<Vec<_>>(),
            }));
        }
        for node in &body.nodes {
            let places: Vec<Value> = node
                .places
                .iter()
                .map(|p| {
                    json!({
                        "paper": body.papers[p.paper].file,
                        "written": p.written,
                        "segment": p.segment.map(|s| s.ja()),
                    })
                })
                .collect();
            line(json!({
                "type": "node",
                "version": SCHEMA_VERSION,
                "body": body.name,
                "id": node.id,
                "kind": node.kind.ja(),
                "name": node.name,
                "label": node.label,
                "party": node.party.map(|p| body.nodes[p].id.as_str()),
                "role": node.role().map(|r| r.ja()),
                "segment": node.segment().map(|s| s.ja()),
                "places": places,
            }));
        }
        for (i, e) in body.edges.iter().enumerate() {
            line(json!({
                "type": "edge",
                "version": SCHEMA_VERSION,
                "body": body.name,
                "id": edge_id(body, i),
                "from": body.nodes[e.from].id,
                "to": body.nodes[e.to].id,
                "paper": body.papers[e.paper].file,
                "step": e.step,
                "label": e.label,
                "data": e.data,
                "items": item_names(body, e.items.iter()),
                "items_unstated": e.items_unstated,
            }));
        }
        for f in &body.findings {
            line(json!({
                "type": "finding",
                "version": SCHEMA_VERSION,
                "body": body.name,
                "id": f.id,
                "code": f.code,
                "severity": f.severity.ja(),
                "title": f.title,
                "message": f.message,
                "path": f.path.iter().map(|&e| edge_id(body, e)).collect::<Vec<_>>(),
                "nodes": f.nodes.iter().map(|&n| body.nodes[n].id.as_str()).collect::<Vec<_>>(),
                "items": item_names(body, f.items.iter().copied()),
            }));
        }
    }
    // JSON escapes control characters; a line break inside a value can never split a line.
    out
}

/// XML text: escaped, and control characters XML 1.0 cannot hold replaced by a space.
fn xml(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    escape(&clean)
}

const NODE_KEYS: &[(&str, &str)] = &[
    ("body", "団体"),
    ("kind", "種類"),
    ("name", "名前"),
    ("label", "表示名"),
    ("party", "運用する関係者"),
    ("role", "役割"),
    ("segment", "セグメント"),
    ("papers", "資料"),
];

const EDGE_KEYS: &[(&str, &str)] = &[
    ("paper", "資料"),
    ("step", "番号"),
    ("label", "内容"),
    ("data", "情報の移転"),
    ("items", "情報項目"),
];

/// GraphML: one directed graph holding every body (a body's nodes never connect to another's).
pub fn graphml(inventory: &Inventory) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (id, name) in NODE_KEYS {
        out.push_str(&format!(
            "  <key id=\"n_{id}\" for=\"node\" attr.name=\"{id}\" attr.type=\"string\"><desc>{}</desc></key>\n",
            xml(name)
        ));
    }
    for (id, name) in EDGE_KEYS {
        let ty = if *id == "data" { "boolean" } else { "string" };
        out.push_str(&format!(
            "  <key id=\"e_{id}\" for=\"edge\" attr.name=\"{id}\" attr.type=\"{ty}\"><desc>{}</desc></key>\n",
            xml(name)
        ));
    }
    out.push_str("  <graph id=\"inventory\" edgedefault=\"directed\">\n");
    let data = |out: &mut String, key: &str, value: &str| {
        out.push_str(&format!(
            "      <data key=\"{key}\">{}</data>\n",
            xml(value)
        ));
    };
    for body in &inventory.bodies {
        for node in &body.nodes {
            out.push_str(&format!("    <node id=\"{}\">\n", xml(&node.id)));
            data(&mut out, "n_body", &body.name);
            data(&mut out, "n_kind", node.kind.ja());
            data(&mut out, "n_name", &node.name);
            data(&mut out, "n_label", &node.label);
            if let Some(p) = node.party {
                data(&mut out, "n_party", &body.nodes[p].name);
            }
            if let Some(r) = node.role() {
                data(&mut out, "n_role", r.ja());
            }
            if node.kind == NodeKind::System {
                if let Some(s) = node.segment() {
                    data(&mut out, "n_segment", s.ja());
                }
            }
            let papers: Vec<&str> = node
                .papers()
                .into_iter()
                .map(|p| body.papers[p].file.as_str())
                .collect();
            data(&mut out, "n_papers", &papers.join(" "));
            out.push_str("    </node>\n");
        }
        for (i, e) in body.edges.iter().enumerate() {
            out.push_str(&format!(
                "    <edge id=\"{}\" source=\"{}\" target=\"{}\">\n",
                xml(&edge_id(body, i)),
                xml(&body.nodes[e.from].id),
                xml(&body.nodes[e.to].id)
            ));
            data(&mut out, "e_paper", &body.papers[e.paper].file);
            data(&mut out, "e_step", &e.step);
            data(&mut out, "e_label", &e.label);
            data(&mut out, "e_data", if e.data { "true" } else { "false" });
            data(
                &mut out,
                "e_items",
                &item_names(body, e.items.iter()).join("、"),
            );
            out.push_str("    </edge>\n");
        }
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
