//! DOT export (`nagare render MODEL -o x.dot`): the graph the layered view hands to ELK, written for Graphviz —
//! every card and flow label with its text and its size as nagare measured it, one cluster per role (ELK's
//! partitions), left to right. It lets a clerk open the flows in any Graphviz tool, and lets the layout
//! benchmark and tests compare ELK with Graphviz `dot` on exactly the same graph.

use std::fmt::Write;

use crate::model::{Model, Role};

use super::content::RelText;
use super::diagram::DiagramGraph;
use super::font::Measurer;
use super::layered::{self, Prepared};
use super::theme::role_rank;

/// Points per inch: Graphviz sizes nodes in inches and our px are points.
const PER_INCH: f64 = 72.0;

/// The roles in partition order (本人 → 実施機関 → 庁内 → 外部), as ELK's partitions number them.
const ROLES: [Role; 4] = [Role::Subject, Role::Agency, Role::Internal, Role::External];

/// The DOT text of `g`, sized by the same measuring as the layered view; `clusters` draws each role's nodes in a
/// `subgraph cluster_…` (what a clerk wants to see; Graphviz lays clusters out far more slowly, so the benchmark
/// also times `dot` without them).
pub(crate) fn write(model: &Model, g: &DiagramGraph, m: &mut Measurer, clusters: bool) -> String {
    let p = layered::prepare(model, g, m);
    write_prepared(model, &p, clusters)
}

fn write_prepared(model: &Model, p: &Prepared, clusters: bool) -> String {
    let mut out = String::with_capacity(256 + p.node_sizes.len() * 200 + p.edges.len() * 200);
    let _ = writeln!(
        out,
        "// nagare が書き出した「{}」の流れ（--view layered と同じグラフ。大きさは pt）",
        one_line(&model.title)
    );
    out.push_str("digraph nagare {\n");
    let _ = writeln!(
        out,
        "  graph [charset=\"UTF-8\", rankdir=LR, newrank=true, nodesep=0.39, ranksep=0.5, label={}, labelloc=t];",
        quoted(&model.title)
    );
    out.push_str("  node [shape=box, fixedsize=true, fontsize=9, margin=0];\n");
    out.push_str("  edge [fontsize=8];\n");
    for (rank, role) in ROLES.iter().enumerate() {
        let members: Vec<usize> = (0..p.node_sizes.len())
            .filter(|&i| usize::from(p.node_sizes[i].2) == rank)
            .collect();
        if members.is_empty() {
            continue;
        }
        debug_assert_eq!(usize::from(role_rank(*role)), rank);
        if clusters {
            let _ = writeln!(out, "  subgraph cluster_{rank} {{");
            let _ = writeln!(out, "    label={};", quoted(role.ja()));
        }
        for i in members {
            let (w, h, _) = p.node_sizes[i];
            let mut lines = block_lines(&p.strips[i].lines);
            lines.extend(card_lines(p, i));
            let _ = writeln!(
                out,
                "    n{i} [label={}, width={}, height={}];",
                quoted_lines(&lines),
                inches(w),
                inches(h)
            );
        }
        if clusters {
            out.push_str("  }\n");
        }
    }
    for (k, &(a, b, lw, lh)) in p.edges.iter().enumerate() {
        if lw > 0.0 {
            let lines = block_lines(&p.labels[k].lines);
            let _ = writeln!(
                out,
                "  n{a} -> n{b} [id=\"e{k}\", label={}];",
                html_label(&lines, lw, lh)
            );
        } else {
            let _ = writeln!(out, "  n{a} -> n{b} [id=\"e{k}\"];");
        }
    }
    out.push_str("}\n");
    out
}

/// The card's texts (name, items, tags) as lines, top to bottom.
fn card_lines(p: &Prepared, i: usize) -> Vec<String> {
    let card = &p.cards[i];
    let mut texts: Vec<&RelText> = card.texts.iter().chain(&card.tag_texts).collect();
    texts.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    join_rows(&texts)
}

fn block_lines(lines: &[RelText]) -> Vec<String> {
    let mut texts: Vec<&RelText> = lines.iter().collect();
    texts.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    join_rows(&texts)
}

/// Texts on one baseline (tokens of a card's item list) become one line, joined by a space.
fn join_rows(sorted: &[&RelText]) -> Vec<String> {
    let mut rows: Vec<(f64, String)> = Vec::new();
    for t in sorted {
        match rows.last_mut() {
            Some((y, row)) if (t.y - *y).abs() < 0.5 => {
                row.push(' ');
                row.push_str(&t.text);
            }
            _ => rows.push((t.y, t.text.clone())),
        }
    }
    rows.into_iter().map(|(_, r)| r).collect()
}

fn inches(px: f64) -> String {
    format!("{:.4}", px / PER_INCH)
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A DOT quoted string: `"` and `\` escaped, control characters (a newline in a title) made spaces.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lines as one quoted label, each ended by DOT's left-justifying `\l`.
fn quoted_lines(lines: &[String]) -> String {
    let mut body = String::new();
    for line in lines {
        let q = quoted(line);
        body.push_str(&q[1..q.len() - 1]);
        body.push_str("\\l");
    }
    format!("\"{body}\"")
}

/// An HTML-like label fixed at nagare's measured size (pt), so Graphviz leaves the same room as ELK.
fn html_label(lines: &[String], w: f64, h: f64) -> String {
    let text: Vec<String> = lines.iter().map(|l| crate::markup::escape(l)).collect();
    format!(
        "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\" FIXEDSIZE=\"TRUE\" WIDTH=\"{}\" HEIGHT=\"{}\"><TR><TD BALIGN=\"LEFT\">{}</TD></TR></TABLE>>",
        w.ceil().max(1.0),
        h.ceil().max(1.0),
        text.join("<BR/>")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c d\"");
        assert_eq!(
            quoted_lines(&["氏名 \"住所\"".into(), "x".into()]),
            "\"氏名 \\\"住所\\\"\\lx\\l\""
        );
        let html = html_label(&["<&>".into()], 10.2, 3.0);
        assert!(
            html.contains("&lt;&amp;&gt;") && html.contains("WIDTH=\"11\""),
            "{html}"
        );
    }
}
