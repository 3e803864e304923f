//! The committee view laid out by elkrs: each lane is an ELK partition (so lanes read left to right in the
//! committee's order), cards are nodes, each flow an orthogonal edge whose label ELK places beside it; the
//! lanes are then drawn as columns behind the cards, split halfway between neighbouring lanes' cards.

use serde_json::Value;

use crate::model::{Endpoint, Model};

use super::committee::{lane_controls, lane_header, push_lane};
use super::content::{self, Block, Marked};
use super::diagram::DiagramGraph;
use super::font::Measurer;
use super::layered::{arrowhead, elk_options, extent, run_elk};
use super::scene::{BoxKind, BoxShape, Connector, LineStyle, Rect, Scene};
use super::theme::*;

const LABEL_PAD: f64 = 4.0;
const LANE_PAD: f64 = 12.0;

fn options(nodes: usize) -> Value {
    let mut o = elk_options(nodes);
    // One layering for the whole drawing, so that partitions (lanes) line up across unconnected parts.
    o["org.eclipse.elk.separateConnectedComponents"] = Value::from("false");
    o["org.eclipse.elk.layered.spacing.nodeNodeBetweenLayers"] = Value::from("30");
    o
}

/// Lays out the committee view of `g` with ELK: the title, one row of lanes, the legend.
pub(crate) fn layout(model: &Model, g: &DiagramGraph, m: &mut Measurer) -> Result<Scene, String> {
    layout_rows(model, g, std::slice::from_ref(g), m)
}

/// A drawing whose steps are laid out in rows, one under the other, each row with the lanes its steps touch:
/// `page` gives the title and the legend (its flows are all the rows' flows), each of `rows` one row.
/// Every flow is drawn in the one row that holds it; a box two rows need is drawn in both.
pub(crate) fn layout_rows(
    model: &Model,
    page: &DiagramGraph,
    rows: &[DiagramGraph],
    m: &mut Measurer,
) -> Result<Scene, String> {
    let placed: Vec<Row> = rows
        .iter()
        .map(|g| place(model, g, m))
        .collect::<Result<_, _>>()?;
    let total_w = placed
        .iter()
        .map(|r| r.content_w)
        .fold(page.density.min_width.max(480.0), f64::max);
    let mut scene = Scene::default();
    let title_h = content::title_block(&mut scene, model, &page.title, MARGIN, MARGIN, total_w, m);
    let mut top = MARGIN + title_h + 14.0;
    let mut bottom = top;
    for (g, row) in rows.iter().zip(&placed) {
        bottom = draw_row(&mut scene, model, g, row, top, total_w, m);
        top = bottom + ROW_GAP;
    }
    content::finish(
        &mut scene,
        &page.legend,
        page.highlight,
        page.marks.changes(),
        bottom,
        14.0,
        total_w,
        m,
    );
    Ok(scene)
}

/// The space between two rows of lanes, in px.
const ROW_GAP: f64 = 18.0;

/// One row laid out by ELK, before it is put on the canvas: what is drawn and ELK's positions.
struct Row {
    cards: Vec<content::Card>,
    labels: Vec<Block>,
    placed: super::layered::Placed,
    label_size: Vec<(f64, f64)>,
    /// Lane boundaries in ELK's coordinates (n_lanes + 1).
    bounds: Vec<f64>,
    min_y: f64,
    max_y: f64,
    content_w: f64,
}

/// Runs ELK on one row's cards and flows and finds its lane boundaries.
fn place(model: &Model, g: &DiagramGraph, m: &mut Measurer) -> Result<Row, String> {
    let d = g.density;
    let marks = &g.marks;
    let changed_items = marks.changed_items();
    let n_lanes = g.lanes.len();
    let cards: Vec<content::Card> = g
        .nodes
        .iter()
        .map(|n| {
            let w =
                content::card_natural_width(model, n.endpoint, m).clamp(d.min_card_w, d.max_card_w);
            content::card(
                model,
                n.endpoint,
                &marks.node(n.endpoint),
                &changed_items,
                w,
                d.max_items,
                m,
            )
        })
        .collect();
    let labels: Vec<Block> = g
        .edges
        .iter()
        .map(|e| content::flow_label(model, e.flow, &marks.flow(e.flow), d.label_max_w, m))
        .collect();
    let node_sizes: Vec<(f64, f64, u8)> = g
        .nodes
        .iter()
        .zip(&cards)
        .map(|(n, c)| (c.w, c.h, u8::try_from(n.lane).unwrap_or(u8::MAX)))
        .collect();
    // A flow through relays is a chain of hops from → relay … → to; the label rides on the last hop, and
    // the hops' routes are joined into one arrow that passes through each relay's box.
    let mut edges: Vec<(usize, usize, f64, f64)> = Vec::new();
    let mut hops: Vec<Vec<usize>> = Vec::with_capacity(g.edges.len());
    let mut label_hop: Vec<usize> = Vec::with_capacity(g.edges.len());
    for (e, l) in g.edges.iter().zip(&labels) {
        let chain: Vec<usize> = std::iter::once(e.from)
            .chain(e.through.iter().copied())
            .chain(std::iter::once(e.to))
            .collect();
        let mut mine = Vec::new();
        for (h, w) in chain.windows(2).enumerate() {
            let last = h + 2 == chain.len();
            let (lw, lh) = if last {
                (l.w + 2.0 * LABEL_PAD, l.h + 2.0 * LABEL_PAD)
            } else {
                (0.0, 0.0)
            };
            mine.push(edges.len());
            edges.push((w[0], w[1], lw, lh));
        }
        label_hop.push(*mine.last().unwrap_or(&0));
        hops.push(mine);
    }
    let elk = if node_sizes.is_empty() {
        super::layered::Placed::default()
    } else {
        run_elk(&node_sizes, &edges, options(node_sizes.len()))?
    };
    let placed = super::layered::Placed {
        routes: hops
            .iter()
            .map(|hs| {
                hs.iter()
                    .flat_map(|&h| elk.routes.get(h).cloned().unwrap_or_default())
                    .collect()
            })
            .collect(),
        labels: label_hop
            .iter()
            .map(|&h| elk.labels.get(h).copied().unwrap_or((0.0, 0.0)))
            .collect(),
        nodes: elk.nodes,
    };
    let label_size: Vec<(f64, f64)> = label_hop
        .iter()
        .map(|&h| (edges[h].2, edges[h].3))
        .collect();

    // Lane columns: each lane spans its cards; a boundary sits halfway between neighbouring lanes.
    let mut lo = vec![f64::INFINITY; n_lanes];
    let mut hi = vec![f64::NEG_INFINITY; n_lanes];
    for (i, n) in g.nodes.iter().enumerate() {
        let (x, _) = placed.nodes[i];
        lo[n.lane] = lo[n.lane].min(x);
        hi[n.lane] = hi[n.lane].max(x + cards[i].w);
    }
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for (i, &(x, y)) in placed.nodes.iter().enumerate() {
        xs.extend([x, x + cards[i].w]);
        ys.extend([y, y + cards[i].h]);
    }
    for (k, &(x, y)) in placed.labels.iter().enumerate() {
        xs.extend([x, x + label_size[k].0]);
        ys.extend([y, y + label_size[k].1]);
    }
    for &(x, y) in placed.routes.iter().flatten() {
        xs.push(x);
        ys.push(y);
    }
    let Some((min_x, max_x, min_y, max_y)) = extent(&xs, &ys) else {
        return Err("図に描くものがありません".to_string());
    };
    let mut placed = placed;
    if reads_upward(model, g, &placed, &label_size) {
        mirror(&mut placed, &cards, &label_size, min_y + max_y);
    }
    let mut bounds = vec![min_x - LANE_PAD; n_lanes + 1];
    bounds[n_lanes] = max_x + LANE_PAD;
    for l in 1..n_lanes {
        bounds[l] = if hi[l - 1].is_finite() && lo[l].is_finite() {
            (hi[l - 1] + lo[l]) / 2.0
        } else {
            bounds[l - 1] + 1.0
        };
    }
    Ok(Row {
        content_w: bounds[n_lanes] - bounds[0],
        cards,
        labels,
        placed,
        label_size,
        bounds,
        min_y,
        max_y,
    })
}

/// Whether more pairs of steps read bottom-up than top-down: ELK orders boxes to save crossings, not by
/// step, and often ends with ① at the bottom and the last step at the top. A pair is counted when one
/// label's centre is clearly above the other's (labels side by side count neither way).
fn reads_upward(
    model: &Model,
    g: &DiagramGraph,
    placed: &super::layered::Placed,
    label_size: &[(f64, f64)],
) -> bool {
    let mut steps: Vec<(bool, Vec<u32>, usize, f64)> = g
        .edges
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let numbers = model.flows[e.flow].no.numbers();
            let y = placed.labels.get(k).map_or(0.0, |l| l.1) + label_size[k].1 / 2.0;
            (numbers.is_empty(), numbers.to_vec(), e.flow, y)
        })
        .collect();
    steps.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    // Sweep: for each label, count earlier steps clearly below it (upward) or above it (downward).
    // Quadratic in one drawing's flows, once per ELK layout (2 000 flows: 2 million comparisons).
    let (mut up, mut down) = (0usize, 0usize);
    for (j, later) in steps.iter().enumerate() {
        for earlier in &steps[..j] {
            if earlier.3 > later.3 + 1.0 {
                up += 1;
            } else if earlier.3 + 1.0 < later.3 {
                down += 1;
            }
        }
    }
    up > down
}

/// Turns ELK's drawing upside down (a reflection keeps every distance, so nothing new overlaps):
/// `sum` is the top plus the bottom of what ELK drew.
fn mirror(
    placed: &mut super::layered::Placed,
    cards: &[content::Card],
    label_size: &[(f64, f64)],
    sum: f64,
) {
    for (i, node) in placed.nodes.iter_mut().enumerate() {
        node.1 = sum - node.1 - cards.get(i).map_or(0.0, |c| c.h);
    }
    for (k, label) in placed.labels.iter_mut().enumerate() {
        label.1 = sum - label.1 - label_size.get(k).map_or(0.0, |s| s.1);
    }
    for point in placed.routes.iter_mut().flatten() {
        point.1 = sum - point.1;
    }
}

/// Draws `row` with its top at `lanes_top`, centred in `total_w`; returns the bottom of its lanes.
fn draw_row(
    scene: &mut Scene,
    model: &Model,
    g: &DiagramGraph,
    row: &Row,
    lanes_top: f64,
    total_w: f64,
    m: &mut Measurer,
) -> f64 {
    let marks = &g.marks;
    let n_lanes = g.lanes.len();
    let Row {
        cards,
        labels,
        placed,
        label_size,
        bounds,
        min_y,
        max_y,
        content_w,
    } = row;
    let (min_y, max_y) = (*min_y, *max_y);
    let dx = MARGIN + (total_w - content_w) / 2.0 - bounds[0];
    let headers: Vec<Block> = g
        .lanes
        .iter()
        .enumerate()
        .map(|(l, &p)| {
            let mark = marks.get(Marked::Party(p));
            let max = (bounds[l + 1] - bounds[l] - 2.0 * 6.0).max(40.0);
            lane_header(model, p, &mark, max, m)
        })
        .collect();
    let header_h = headers.iter().map(|b| b.h).fold(0.0, f64::max) + 2.0 * 8.0;
    let band_top = lanes_top + header_h + 14.0;
    let dy = band_top - min_y;
    // Under the cards, each lane lists its controls (the whole diagram; a printed page lists none).
    let drawn: std::collections::HashSet<Endpoint> = g.nodes.iter().map(|n| n.endpoint).collect();
    let footers: Vec<Block> = g
        .lanes
        .iter()
        .enumerate()
        .map(|(l, &p)| {
            let max = (bounds[l + 1] - bounds[l] - 2.0 * 6.0).max(40.0);
            lane_controls(
                model,
                p,
                |e| drawn.contains(&e),
                max,
                g.density.max_controls,
                m,
            )
        })
        .collect();
    let footer_h = footers.iter().map(|b| b.h).fold(0.0, f64::max);
    let footer_top = max_y + dy + 18.0 + 9.0;
    let lanes_bottom = if footer_h > 0.0 {
        footer_top + footer_h + 14.0
    } else {
        max_y + dy + 14.0
    };
    let at = |(x, y): (f64, f64)| (x + dx, y + dy);

    let mut lane_box = Vec::with_capacity(n_lanes);
    for (l, &p) in g.lanes.iter().enumerate() {
        let (x0, x1) = (bounds[l] + dx, bounds[l + 1] + dx);
        let (idx, hidx) = push_lane(
            scene,
            model,
            p,
            (x0, x1),
            (lanes_top, lanes_bottom),
            header_h,
        );
        lane_box.push(idx);
        let mut hb = headers[l].clone();
        for line in &mut hb.lines {
            line.x = ((x1 - x0 - 12.0 - line.width) / 2.0).max(0.0);
        }
        hb.emit(scene, x0 + 6.0, lanes_top + 8.0, Some(hidx));
        if footers[l].h > 0.0 {
            footers[l].emit(scene, x0 + 6.0, footer_top, Some(idx));
            // A thin rule between the diagram and the lane's controls.
            scene.connectors.push(Connector {
                points: vec![(x0 + 6.0, footer_top - 9.0), (x1 - 6.0, footer_top - 9.0)],
                curved: false,
                color: TITLE_STROKE,
                width: 0.8,
                style: LineStyle::Dashed,
                head: None,
                flow: None,
            });
        }
    }

    for (k, route) in placed.routes.iter().enumerate() {
        let f = g.edges[k].flow;
        let mut pts: Vec<(f64, f64)> = route.iter().map(|&p| at(p)).collect();
        let head = arrowhead(&mut pts);
        let mark = marks.flow(f);
        scene.connectors.push(Connector {
            points: pts,
            curved: false,
            color: mark.color().unwrap_or(LINE),
            width: if mark.is_empty() { 1.4 } else { 2.0 },
            style: via_style(&model.flows[f].via),
            head,
            flow: Some(f),
        });
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let (x, y) = at(placed.nodes[i]);
        content::emit_card(scene, &cards[i], x, y, cards[i].h, Some(lane_box[n.lane]));
    }
    for (k, label) in labels.iter().enumerate() {
        let (x, y) = at(placed.labels[k]);
        let idx = scene.boxes.len();
        scene
            .owners
            .boxes
            .insert(idx, super::scene::Owner::Flow(g.edges[k].flow));
        scene.boxes.push(BoxShape {
            rect: Rect::new(x, y, label_size[k].0, label_size[k].1),
            kind: BoxKind::FlowLabel,
            // A white plate, so a lane's edge never runs under the text.
            fill: Some(WHITE),
            stroke: None,
            stroke_width: 0.0,
            dashed: false,
            radius: 0.0,
            parent: None,
        });
        label.emit(scene, x + LABEL_PAD, y + LABEL_PAD, Some(idx));
    }
    lanes_bottom
}
