//! Writes scenes as a draw.io file (uncompressed `mxfile` XML): one diagram per printed page, one vertex per box
//! and per line of text at the scene's own positions, one edge per arrow from its source box to its target box
//! with the route's bends, so a clerk can adjust the drawing by hand in draw.io without redrawing it.
//!
//! Cells carry the SVG writer's group ids (`lane-2`, `system-3`, `flow-12`), so the two files name the same
//! things the same way. Children sit inside their parent's cell with relative coordinates (cards in their lane,
//! lines of text in their card); a flow's label and step number are children of its edge, so they move with it.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::scene::{BoxShape, Connector, LineStyle, Owner, Scene, Text};
use super::svg::{group_ids, groups, n, GroupKey};
use crate::markup::escape;

/// Fonts found on an office PC, in order: Windows (メイリオ, 游ゴシック), then the free Noto face.
const FONT_FAMILY: &str = "Meiryo,Yu Gothic,Noto Sans JP,Noto Sans CJK JP,sans-serif";

/// A fraction of a box's side, for an edge's exit and entry point: three decimals.
fn frac(v: f64) -> String {
    let s = format!("{v:.3}");
    if s == "-0.000" {
        "0.000".to_string()
    } else {
        s
    }
}

/// Where a cell was put: its parent's id and what its coordinates are relative to.
#[derive(Clone, Debug)]
enum Anchor {
    /// The layer: absolute coordinates.
    Layer,
    /// A vertex whose top-left corner is at this absolute point.
    Vertex(String, (f64, f64)),
    /// An edge: relative geometry from the edge's start point.
    Edge(String, (f64, f64)),
}

impl Anchor {
    fn parent(&self) -> &str {
        match self {
            Anchor::Layer => "1",
            Anchor::Vertex(id, _) | Anchor::Edge(id, _) => id,
        }
    }
}

/// The draw.io file for `pages` (one `<diagram>` each, named 「1ページ」…).
pub(crate) fn write(pages: &[Scene]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<mxfile host=\"nagare\" type=\"device\">\n");
    for (k, scene) in pages.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<diagram id="page-{}" name="{}ページ">"#,
            k + 1,
            k + 1
        );
        let (w, h) = (scene.width.ceil(), scene.height.ceil());
        let _ = writeln!(
            out,
            r#"<mxGraphModel dx="{w}" dy="{h}" grid="0" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="{w}" pageHeight="{h}" math="0" shadow="0">"#
        );
        out.push_str("<root>\n<mxCell id=\"0\"/>\n<mxCell id=\"1\" parent=\"0\"/>\n");
        write_scene(&mut out, scene);
        out.push_str("</root>\n</mxGraphModel>\n</diagram>\n");
    }
    out.push_str("</mxfile>\n");
    out
}

fn write_scene(out: &mut String, scene: &Scene) {
    let groups = groups(scene);
    let ids = group_ids(scene, &groups);
    // Every box's and edge's cell id, known before any cell is written (children name their parent).
    let mut box_id: BTreeMap<usize, String> = BTreeMap::new();
    let mut edge_id: BTreeMap<usize, String> = BTreeMap::new();
    // A subject's own boxes: cell id and index (an edge's source or target). A page with rows of lanes draws a
    // box that two rows need twice; an arrow ends at the copy it touches.
    let mut subject_cells: BTreeMap<Owner, Vec<(String, usize)>> = BTreeMap::new();
    for ((key, g), id) in groups.iter().zip(&ids) {
        // The box that takes the group's own id: a subject's own box, else the group's first box; an arrow's
        // group gives its id to the edge instead.
        let main = match key {
            _ if !g.connectors.is_empty() => None,
            GroupKey::Subject(o) => g
                .boxes
                .iter()
                .position(|b| scene.owners.boxes.get(b) == Some(o)),
            _ => Some(0),
        };
        for (k, &c) in g.connectors.iter().enumerate() {
            let cid = if k == 0 {
                id.clone()
            } else {
                format!("{id}-e{}", k + 1)
            };
            edge_id.insert(c, cid);
        }
        let mut extra = 0;
        for (k, &b) in g.boxes.iter().enumerate() {
            let cid = if Some(k) == main {
                id.clone()
            } else {
                extra += 1;
                format!("{id}-b{extra}")
            };
            box_id.insert(b, cid);
        }
        if let GroupKey::Subject(o) = key {
            for &b in g
                .boxes
                .iter()
                .filter(|b| scene.owners.boxes.get(b) == Some(o))
            {
                if let Some(cid) = box_id.get(&b) {
                    subject_cells.entry(*o).or_default().push((cid.clone(), b));
                }
            }
        }
    }
    for ((_, g), id) in groups.iter().zip(&ids) {
        // A flow's edge is written first: its label cells are its children.
        let mut flow_edge: Option<(String, (f64, f64))> = None;
        for &c in &g.connectors {
            let con = &scene.connectors[c];
            let cid = edge_id.get(&c).cloned().unwrap_or_default();
            let nearest = |o: &Owner, p: Option<&(f64, f64)>| -> Option<(&str, usize)> {
                let p = p?;
                subject_cells
                    .get(o)?
                    .iter()
                    .min_by(|x, y| {
                        distance(&scene.boxes[x.1].rect, *p)
                            .total_cmp(&distance(&scene.boxes[y.1].rect, *p))
                    })
                    .map(|(id, b)| (id.as_str(), *b))
            };
            let ends = con
                .flow
                .and_then(|f| scene.owners.ends.get(&f))
                .map(|(a, b)| {
                    let tip = con.head.map(|h| h[0]).or(con.points.last().copied());
                    (nearest(a, con.points.first()), nearest(b, tip.as_ref()))
                });
            let (source, target) = ends.unwrap_or((None, None));
            if let Some(start) = write_edge(out, scene, con, &cid, source, target) {
                if flow_edge.is_none() && con.flow.is_some() {
                    flow_edge = Some((cid, start));
                }
            }
        }
        let anchor_of_box = |b: usize| -> Anchor {
            match scene.boxes[b]
                .parent
                .and_then(|p| box_id.get(&p).map(|id| (p, id)))
            {
                Some((p, pid)) => {
                    let r = scene.boxes[p].rect;
                    Anchor::Vertex(pid.clone(), (r.x, r.y))
                }
                None => match &flow_edge {
                    Some((eid, start)) => Anchor::Edge(eid.clone(), *start),
                    None => Anchor::Layer,
                },
            }
        };
        for &b in &g.boxes {
            let cid = box_id.get(&b).cloned().unwrap_or_default();
            write_box(out, &scene.boxes[b], &cid, &anchor_of_box(b));
        }
        for (k, &t) in g.texts.iter().enumerate() {
            let text = &scene.texts[t];
            let in_group = text.container.filter(|c| g.boxes.contains(c));
            let anchor = match (in_group, &flow_edge) {
                (Some(c), _) => match box_id.get(&c) {
                    Some(pid) => {
                        Anchor::Vertex(pid.clone(), (scene.boxes[c].rect.x, scene.boxes[c].rect.y))
                    }
                    None => Anchor::Layer,
                },
                (None, Some((eid, start))) => Anchor::Edge(eid.clone(), *start),
                (None, None) => match text
                    .container
                    .and_then(|c| box_id.get(&c).map(|id| (c, id)))
                {
                    Some((c, pid)) => {
                        Anchor::Vertex(pid.clone(), (scene.boxes[c].rect.x, scene.boxes[c].rect.y))
                    }
                    None => Anchor::Layer,
                },
            };
            write_text(out, text, &format!("{id}-t{}", k + 1), &anchor);
        }
    }
}

/// The `<mxGeometry>` of a vertex whose absolute rectangle is (x, y, w, h), placed by `anchor`.
fn geometry(x: f64, y: f64, w: f64, h: f64, anchor: &Anchor) -> String {
    match anchor {
        Anchor::Layer => format!(
            r#"<mxGeometry x="{}" y="{}" width="{}" height="{}" as="geometry"/>"#,
            n(x),
            n(y),
            n(w),
            n(h)
        ),
        Anchor::Vertex(_, (px, py)) => format!(
            r#"<mxGeometry x="{}" y="{}" width="{}" height="{}" as="geometry"/>"#,
            n(x - px),
            n(y - py),
            n(w),
            n(h)
        ),
        // A child of an edge sits at the edge's start (x = -1 along it) moved by its offset.
        Anchor::Edge(_, (sx, sy)) => format!(
            r#"<mxGeometry x="-1" y="0" width="{}" height="{}" relative="1" as="geometry"><mxPoint x="{}" y="{}" as="offset"/></mxGeometry>"#,
            n(w),
            n(h),
            n(x - sx),
            n(y - sy)
        ),
    }
}

fn write_box(out: &mut String, b: &BoxShape, id: &str, anchor: &Anchor) {
    let r = b.rect;
    let mut style = String::from("html=0;whiteSpace=nowrap;");
    if b.radius > 0.0 {
        let _ = write!(
            style,
            "rounded=1;absoluteArcSize=1;arcSize={};",
            n(2.0 * b.radius)
        );
    } else {
        style.push_str("rounded=0;");
    }
    let _ = write!(style, "fillColor={};", b.fill.unwrap_or("none"));
    match b.stroke {
        Some(s) => {
            let _ = write!(style, "strokeColor={s};strokeWidth={};", n(b.stroke_width));
            if b.dashed {
                style.push_str("dashed=1;dashPattern=5 3;fixDash=1;");
            }
        }
        None => style.push_str("strokeColor=none;"),
    }
    // Lanes and cards hold their texts and cards: moving one moves what is inside.
    style.push_str("container=1;collapsible=0;foldable=0;recursiveResize=0;");
    let _ = writeln!(
        out,
        r#"<mxCell id="{}" value="" style="{style}" vertex="1" parent="{}">{}</mxCell>"#,
        escape(id),
        escape(anchor.parent()),
        geometry(r.x, r.y, r.w, r.h, anchor)
    );
}

fn write_text(out: &mut String, t: &Text, id: &str, anchor: &Anchor) {
    let r = t.rect();
    let mut style = format!(
        "text;html=0;whiteSpace=nowrap;align=left;verticalAlign=middle;spacing=0;spacingLeft=0;spacingRight=0;spacingTop=0;spacingBottom=0;fillColor=none;strokeColor=none;resizable=0;autosize=0;fontSize={};fontFamily={FONT_FAMILY};fontColor={};",
        n(t.size),
        t.color
    );
    if t.underline {
        // Bold and underlined: a 変更箇所.
        style.push_str("fontStyle=5;");
    }
    let _ = writeln!(
        out,
        r#"<mxCell id="{}" value="{}" style="{style}" vertex="1" connectable="0" parent="{}">{}</mxCell>"#,
        escape(id),
        escape(&t.text),
        escape(anchor.parent()),
        geometry(r.x, r.y, r.w, r.h, anchor)
    );
}

/// Writes one edge; returns its start point (where its label children are measured from).
/// How far `p` lies outside `r` (0 on or inside it).
fn distance(r: &super::scene::Rect, p: (f64, f64)) -> f64 {
    let dx = (r.x - p.0).max(p.0 - (r.x + r.w)).max(0.0);
    let dy = (r.y - p.1).max(p.1 - (r.y + r.h)).max(0.0);
    dx.hypot(dy)
}

fn write_edge(
    out: &mut String,
    scene: &Scene,
    c: &Connector,
    id: &str,
    source: Option<(&str, usize)>,
    target: Option<(&str, usize)>,
) -> Option<(f64, f64)> {
    let (&start, rest) = c.points.split_first()?;
    let (&last, bends) = rest.split_last()?;
    // The arrow's tip is the head's first point; the polyline stops at the head's base.
    let end = c.head.map_or(last, |h| h[0]);
    // draw.io draws its own line hops where edges cross (the SVG's hops are computed for the layout as drawn;
    // these follow the edges when a clerk moves them).
    let mut style = String::from("html=0;rounded=0;jumpStyle=arc;jumpSize=9;");
    if c.curved {
        style.push_str("curved=1;");
    }
    let _ = write!(style, "strokeColor={};strokeWidth={};", c.color, n(c.width));
    match c.style {
        LineStyle::Solid => {}
        LineStyle::Dashed => style.push_str("dashed=1;dashPattern=7 4;fixDash=1;"),
        LineStyle::Dotted => style.push_str("dashed=1;dashPattern=2 3;fixDash=1;"),
    }
    if c.head.is_some() {
        style.push_str("endArrow=block;endFill=1;endSize=9;");
    } else {
        style.push_str("endArrow=none;");
    }
    style.push_str("startArrow=none;");
    // Pin the ends where the layout put them (a fraction of the box), not where draw.io would choose.
    let mut ends = String::new();
    for (which, point, terminal) in [("exit", start, source), ("entry", end, target)] {
        if let Some((_, b)) = terminal {
            let r = scene.boxes[b].rect;
            if r.w > 0.0 && r.h > 0.0 {
                let _ = write!(
                    style,
                    "{which}X={};{which}Y={};{which}Dx=0;{which}Dy=0;{which}Perimeter=0;",
                    frac((point.0 - r.x) / r.w),
                    frac((point.1 - r.y) / r.h)
                );
            }
        }
        if let Some((id, _)) = terminal {
            let attr = if which == "exit" { "source" } else { "target" };
            let _ = write!(ends, r#" {attr}="{}""#, escape(id));
        }
    }
    let mut geo = format!(
        r#"<mxGeometry relative="1" as="geometry"><mxPoint x="{}" y="{}" as="sourcePoint"/><mxPoint x="{}" y="{}" as="targetPoint"/>"#,
        n(start.0),
        n(start.1),
        n(end.0),
        n(end.1)
    );
    if !bends.is_empty() {
        geo.push_str(r#"<Array as="points">"#);
        for (x, y) in bends {
            let _ = write!(geo, r#"<mxPoint x="{}" y="{}"/>"#, n(*x), n(*y));
        }
        geo.push_str("</Array>");
    }
    geo.push_str("</mxGeometry>");
    let _ = writeln!(
        out,
        r#"<mxCell id="{}" value="" style="{style}" edge="1" parent="1"{ends}>{geo}</mxCell>"#,
        escape(id)
    );
    Some(start)
}
