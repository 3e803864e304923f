//! The committee view: one lane per party (本人 → 実施機関 → 庁内 → 外部), systems as cards inside their lane,
//! orthogonal arrows with ①②… labels, each party's controls under its lane, a title block and a legend.
//!
//! Routing: every arrow leaves its source card sideways, runs horizontally to its own vertical track in the
//! gutter next to the target's lane, runs vertically there, and enters the target card sideways. Gutters hold
//! only vertical tracks, so a vertical run never touches a card or a label. The horizontal runs, the labels
//! (placed above the leaving run, beside the card) and the card are a node's footprint, whose x extent is
//! known before any y is chosen; nodes are then stacked, each at the lowest y where its footprint touches
//! nothing already placed. So no label overlaps another, and no line crosses a card or a label.

use std::collections::HashSet;

use crate::model::{Endpoint, Model, Role};
use crate::rules::engine::Finding;

use super::content::{self, Block, Card, TitleExtra};
use super::diagram::DiagramGraph;
use super::font::Measurer;
use super::scene::{BoxKind, BoxShape, Connector, LineStyle, Rect, Scene};
use super::theme::*;

const LANE_PAD: f64 = 12.0;
const MIN_LANE_W: f64 = 200.0;
const LABEL_GAP: f64 = 8.0;
const STUB: f64 = 22.0;
const TRACK_GAP: f64 = 12.0;
const MIN_GUTTER: f64 = 16.0;
const V_GAP: f64 = 14.0;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

impl Side {
    fn opposite(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
}

/// One edge's use of a gutter: the y of its leaving and entering runs, and the side each run extends to.
struct TrackSpan {
    ya: f64,
    yb: f64,
    exit_dir: Side,
    entry_dir: Side,
}

/// Crossings between edges placed on tracks in `order` (left to right).
fn crossings(spans: &[TrackSpan], order: &[usize]) -> usize {
    let mut count = 0;
    for (pi, &i) in order.iter().enumerate() {
        for (pj, &j) in order.iter().enumerate() {
            if i == j {
                continue;
            }
            // Does a horizontal run of i cross the vertical run of j?
            let side_of_j = if pj > pi { Side::Right } else { Side::Left };
            let (lo, hi) = (spans[j].ya.min(spans[j].yb), spans[j].ya.max(spans[j].yb));
            for (y, dir) in [
                (spans[i].ya, spans[i].exit_dir),
                (spans[i].yb, spans[i].entry_dir),
            ] {
                if dir == side_of_j && y > lo && y < hi {
                    count += 1;
                }
            }
        }
    }
    count
}

/// The track order with the fewest crossings: exhaustive for a few edges, adjacent swaps beyond.
fn best_track_order(spans: &[TrackSpan]) -> Vec<usize> {
    let n = spans.len();
    let mut best: Vec<usize> = (0..n).collect();
    let mut best_count = crossings(spans, &best);
    if n <= 6 {
        let mut perm: Vec<usize> = (0..n).collect();
        // Heap's algorithm, iterative; the first order found with the fewest crossings wins, so ties keep flow order.
        let mut c = vec![0usize; n];
        let mut i = 0;
        while i < n {
            if c[i] < i {
                if i % 2 == 0 {
                    perm.swap(0, i);
                } else {
                    perm.swap(c[i], i);
                }
                let count = crossings(spans, &perm);
                if count < best_count {
                    best_count = count;
                    best = perm.clone();
                }
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
    } else {
        let mut improved = true;
        while improved {
            improved = false;
            for k in 0..n - 1 {
                best.swap(k, k + 1);
                let count = crossings(spans, &best);
                if count < best_count {
                    best_count = count;
                    improved = true;
                } else {
                    best.swap(k, k + 1);
                }
            }
        }
    }
    best
}

struct Edge {
    flow: usize,
    from: usize,
    to: usize,
    exit: Side,
    entry: Side,
    gutter: usize,
    track_x: f64,
    label: Block,
}

struct Port {
    edge: usize,
    side: Side,
    exit: bool,
    y: f64,
}

struct Node {
    lane: usize,
    card: Card,
    h: f64,
    ports: Vec<Port>,
    top: f64,
}

struct Lane {
    party: usize,
    x: f64,
    w: f64,
    card_x: f64,
    card_w: f64,
}

/// Lays out the committee view of `g`: positions only; what is drawn was decided in `diagram`.
pub(crate) fn layout(model: &Model, g: &DiagramGraph, m: &mut Measurer) -> Result<Scene, String> {
    let marks = &g.marks;
    let changed_items = marks.changed_items();
    let parties = &g.lanes;
    let endpoints: Vec<Endpoint> = g.nodes.iter().map(|n| n.endpoint).collect();
    let node_lane: Vec<usize> = g.nodes.iter().map(|n| n.lane).collect();
    let shown: HashSet<Endpoint> = endpoints.iter().copied().collect();

    // Card widths per lane.
    let n_lanes = parties.len();
    let d = g.density;
    let mut card_w = vec![d.min_card_w; n_lanes];
    for (i, &e) in endpoints.iter().enumerate() {
        let w = content::card_natural_width(model, e, m).clamp(d.min_card_w, d.max_card_w);
        card_w[node_lane[i]] = card_w[node_lane[i]].max(w);
    }

    // Edges: sides and gutters.
    let mut edges = Vec::new();
    for de in &g.edges {
        let (f, a, b) = (de.flow, de.from, de.to);
        let (la, lb) = (node_lane[a], node_lane[b]);
        let (exit, entry, gutter) = if la < lb {
            (Side::Right, Side::Left, lb)
        } else if la > lb {
            (Side::Left, Side::Right, lb + 1)
        } else {
            (Side::Right, Side::Right, la + 1)
        };
        let label = content::flow_label(model, f, &marks.flow(f), d.label_max_w, m);
        edges.push(Edge {
            flow: f,
            from: a,
            to: b,
            exit,
            entry,
            gutter,
            track_x: 0.0,
            label,
        });
    }

    // Cards and ports.
    let mut nodes: Vec<Node> = endpoints
        .iter()
        .enumerate()
        .map(|(i, &e)| {
            let card = content::card(
                model,
                e,
                &marks.node(e),
                &changed_items,
                card_w[node_lane[i]],
                d.max_items,
                m,
            );
            Node {
                lane: node_lane[i],
                h: card.h,
                card,
                ports: Vec::new(),
                top: 0.0,
            }
        })
        .collect();
    for (k, e) in edges.iter().enumerate() {
        nodes[e.from].ports.push(Port {
            edge: k,
            side: e.exit,
            exit: true,
            y: 0.0,
        });
        nodes[e.to].ports.push(Port {
            edge: k,
            side: e.entry,
            exit: false,
            y: 0.0,
        });
    }
    for node in &mut nodes {
        let mut bottom: f64 = 0.0;
        for side in [Side::Left, Side::Right] {
            let mut y = 12.0;
            for port in node.ports.iter_mut().filter(|p| p.side == side) {
                if port.exit {
                    let lh = edges[port.edge].label.h;
                    port.y = y + lh + 5.0;
                    y += lh + 12.0;
                } else {
                    port.y = y + 6.0;
                    y += 16.0;
                }
            }
            bottom = bottom.max(y + 6.0);
        }
        node.h = node.h.max(bottom);
    }

    // Lane widths: label areas on each side of the card column.
    let mut left_area = vec![0.0f64; n_lanes];
    let mut right_area = vec![0.0f64; n_lanes];
    for node in &nodes {
        for port in &node.ports {
            let need = if port.exit {
                edges[port.edge].label.w + 2.0 * LABEL_GAP
            } else {
                STUB
            };
            let area = if port.side == Side::Left {
                &mut left_area
            } else {
                &mut right_area
            };
            area[node.lane] = area[node.lane].max(need.max(STUB));
        }
    }
    let mut lanes: Vec<Lane> = parties
        .iter()
        .enumerate()
        .map(|(l, &p)| {
            let inner = left_area[l] + card_w[l] + right_area[l];
            let w = (inner + 2.0 * LANE_PAD).max(MIN_LANE_W);
            Lane {
                party: p,
                x: 0.0,
                w,
                card_x: 0.0,
                card_w: card_w[l],
            }
        })
        .collect();

    // Gutter tracks, in flow order.
    let mut tracks = vec![0usize; n_lanes + 1];
    let mut edge_track = vec![0usize; edges.len()];
    for (k, e) in edges.iter().enumerate() {
        edge_track[k] = tracks[e.gutter];
        tracks[e.gutter] += 1;
    }
    let gutter_w: Vec<f64> = (0..=n_lanes)
        .map(|g| {
            if tracks[g] > 0 {
                TRACK_GAP * (tracks[g] + 1) as f64
            } else if g == 0 || g == n_lanes {
                0.0
            } else {
                MIN_GUTTER
            }
        })
        .collect();
    // A printed page is at least `min_width` wide: the lanes share what is left over.
    let natural: f64 = gutter_w.iter().sum::<f64>() + lanes.iter().map(|l| l.w).sum::<f64>();
    if natural < d.min_width && n_lanes > 0 {
        let extra = (d.min_width - natural) / n_lanes as f64;
        for lane in &mut lanes {
            lane.w += extra;
        }
    }
    let mut gutter_x = vec![0.0; n_lanes + 1];
    let mut x = MARGIN;
    for l in 0..n_lanes {
        gutter_x[l] = x;
        x += gutter_w[l];
        let lane = &mut lanes[l];
        lane.x = x;
        let inner = left_area[l] + card_w[l] + right_area[l];
        let extra = lane.w - inner;
        lane.card_x = x + extra / 2.0 + left_area[l];
        x += lane.w;
    }
    gutter_x[n_lanes] = x;
    x += gutter_w[n_lanes];
    let content_right = x;
    for (k, e) in edges.iter_mut().enumerate() {
        e.track_x = gutter_x[e.gutter] + TRACK_GAP * (edge_track[k] + 1) as f64;
    }

    // Footprints, relative to each node's top.
    let side_x = |node: &Node, side: Side, lanes: &[Lane]| {
        let lane = &lanes[node.lane];
        if side == Side::Left {
            lane.card_x
        } else {
            lane.card_x + lane.card_w
        }
    };
    let footprints: Vec<Vec<Rect>> = nodes
        .iter()
        .map(|node| {
            let lane = &lanes[node.lane];
            let mut rects = vec![Rect::new(lane.card_x, 0.0, lane.card_w, node.h)];
            for port in &node.ports {
                let e = &edges[port.edge];
                let sx = side_x(node, port.side, &lanes);
                // Cover the whole gutter the line ends in, so tracks can be reordered after placement.
                let (g0, g1) = (gutter_x[e.gutter], gutter_x[e.gutter] + gutter_w[e.gutter]);
                let (x0, x1) = if e.track_x < sx { (g0, sx) } else { (sx, g1) };
                rects.push(Rect::new(x0 - 2.0, port.y - 4.0, x1 - x0 + 4.0, 8.0));
                if port.exit {
                    rects.push(label_rect(&e.label, sx, port.side, port.y));
                }
            }
            rects
        })
        .collect();

    // Stack the nodes: in order of their first step, each at the lowest y where its footprint fits.
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    let first_step = |i: usize| {
        edges
            .iter()
            .filter(|e| e.from == i || e.to == i)
            .map(|e| &model.flows[e.flow].no)
            .min()
            .map_or(u32::MAX, |no| no.major())
    };
    order.sort_by_key(|&i| (first_step(i), nodes[i].lane, i));
    let mut placed: Vec<Rect> = Vec::new();
    for &i in &order {
        let own = &footprints[i];
        let mut candidates = vec![0.0];
        for r in &placed {
            for q in own {
                let c = r.bottom() + V_GAP - q.y;
                if c > 0.0 {
                    candidates.push(c);
                }
            }
        }
        candidates.sort_by(f64::total_cmp);
        let fits = |top: f64| {
            own.iter().all(|q| {
                let q = q.translate(0.0, top).inflate(0.0, V_GAP / 2.0 - 0.01);
                placed
                    .iter()
                    .all(|r| !q.overlaps(&r.inflate(0.0, V_GAP / 2.0)))
            })
        };
        let top = candidates
            .into_iter()
            .find(|&c| fits(c))
            .unwrap_or_else(|| placed.iter().map(Rect::bottom).fold(0.0, f64::max) + V_GAP);
        nodes[i].top = top;
        placed.extend(own.iter().map(|q| q.translate(0.0, top)));
    }
    let bands_h = placed.iter().map(Rect::bottom).fold(0.0, f64::max);

    // Now that every port has a y, order each gutter's tracks to cross as few lines as possible.
    let port_y = |node: &Node, edge: usize, exit: bool| {
        node.ports
            .iter()
            .find(|p| p.edge == edge && p.exit == exit)
            .map_or(0.0, |p| node.top + p.y)
    };
    for (g, &gx) in gutter_x.iter().enumerate() {
        let members: Vec<usize> = (0..edges.len()).filter(|&k| edges[k].gutter == g).collect();
        if members.len() < 2 {
            continue;
        }
        let spans: Vec<TrackSpan> = members
            .iter()
            .map(|&k| {
                let e = &edges[k];
                let ya = port_y(&nodes[e.from], k, true);
                let yb = port_y(&nodes[e.to], k, false);
                // Which way each horizontal run extends from the track.
                let exit_dir = if e.exit == Side::Right {
                    Side::Left
                } else {
                    Side::Right
                };
                let entry_dir = e.entry.opposite();
                TrackSpan {
                    ya,
                    yb,
                    exit_dir,
                    entry_dir,
                }
            })
            .collect();
        let order = best_track_order(&spans);
        for (slot, &i) in order.iter().enumerate() {
            edges[members[i]].track_x = gx + TRACK_GAP * (slot + 1) as f64;
        }
    }

    // Title block.
    let mut scene = Scene::default();
    let total_w = (content_right - MARGIN).max(480.0);
    let title_h = content::title_block(&mut scene, model, &g.title, MARGIN, MARGIN, total_w, m);
    let lanes_top = MARGIN + title_h + 14.0;

    // Lane headers.
    let headers: Vec<Block> = lanes
        .iter()
        .map(|lane| {
            let mark = marks.get(content::Marked::Party(lane.party));
            lane_header(model, lane.party, &mark, lane.w - 2.0 * LANE_PAD, m)
        })
        .collect();
    let header_h = headers.iter().map(|b| b.h).fold(0.0, f64::max) + 2.0 * 9.0;
    let band_top = lanes_top + header_h + 16.0;

    // Lane footers: the party's controls, then each of its systems' controls.
    let footers: Vec<Block> = lanes
        .iter()
        .map(|lane| {
            lane_controls(
                model,
                lane.party,
                |e| shown.contains(&e),
                lane.w - 2.0 * LANE_PAD,
                d.max_controls,
                m,
            )
        })
        .collect();
    let footer_h = footers.iter().map(|b| b.h).fold(0.0, f64::max);
    let footer_top = band_top + bands_h + 18.0;
    let lanes_bottom = footer_top + footer_h + if footer_h > 0.0 { 14.0 } else { 0.0 };

    // Lanes.
    let mut lane_box = Vec::new();
    for (l, lane) in lanes.iter().enumerate() {
        let (idx, hidx) = push_lane(
            &mut scene,
            model,
            lane.party,
            (lane.x, lane.x + lane.w),
            (lanes_top, lanes_bottom),
            header_h,
        );
        lane_box.push(idx);
        let hb = &headers[l];
        let mut hb = hb.clone();
        center_lines(&mut hb, lane.w - 2.0 * LANE_PAD);
        hb.emit(&mut scene, lane.x + LANE_PAD, lanes_top + 9.0, Some(hidx));
        footers[l].emit(&mut scene, lane.x + LANE_PAD, footer_top, Some(idx));
    }
    // A thin rule between the diagram and each lane's controls.
    for (lane, footer) in lanes.iter().zip(&footers) {
        if footer.h > 0.0 {
            let y = footer_top - 9.0;
            scene.connectors.push(Connector {
                points: vec![(lane.x + LANE_PAD, y), (lane.x + lane.w - LANE_PAD, y)],
                curved: false,
                color: TITLE_STROKE,
                width: 0.8,
                style: LineStyle::Dashed,
                head: None,
                flow: None,
            });
        }
    }

    // Connectors (under the cards), then cards, then labels.
    let abs_port = |node: &Node, edge: usize, exit: bool| {
        node.ports
            .iter()
            .find(|p| p.edge == edge && p.exit == exit)
            .map(|p| (p.side, band_top + node.top + p.y))
    };
    for (k, e) in edges.iter().enumerate() {
        let (a, b) = (&nodes[e.from], &nodes[e.to]);
        let (Some((sa, ya)), Some((sb, yb))) = (abs_port(a, k, true), abs_port(b, k, false)) else {
            continue;
        };
        let xa = side_x(a, sa, &lanes);
        let xb = side_x(b, sb, &lanes);
        let dir = if sb == Side::Left { -1.0 } else { 1.0 };
        let base = xb + dir * HEAD_LEN;
        let mut points = vec![(xa, ya), (e.track_x, ya)];
        if (ya - yb).abs() > 0.05 {
            points.push((e.track_x, yb));
        }
        points.push((base, yb));
        let mark = marks.flow(e.flow);
        let color = mark.color().unwrap_or(LINE);
        scene.connectors.push(Connector {
            points,
            curved: false,
            color,
            width: if mark.changed {
                CHANGED_WIDTH
            } else if mark.is_empty() {
                1.4
            } else {
                2.0
            },
            style: via_style(&model.flows[e.flow].via),
            head: Some([(xb, yb), (base, yb - 4.5), (base, yb + 4.5)]),
            flow: Some(e.flow),
        });
    }
    for node in &nodes {
        let lane = &lanes[node.lane];
        content::emit_card(
            &mut scene,
            &node.card,
            lane.card_x,
            band_top + node.top,
            node.h,
            Some(lane_box[node.lane]),
        );
        for port in node.ports.iter().filter(|p| p.exit) {
            let e = &edges[port.edge];
            let r = label_rect(&e.label, side_x(node, port.side, &lanes), port.side, port.y);
            let mut block = e.label.clone();
            if port.side == Side::Left {
                for l in &mut block.lines {
                    l.x = block.w - l.width;
                }
            }
            let start = scene.texts.len();
            block.emit(
                &mut scene,
                r.x,
                band_top + node.top + r.y,
                Some(lane_box[node.lane]),
            );
            scene.own_texts_from(start, super::scene::Owner::Flow(e.flow));
        }
    }

    content::finish(
        &mut scene,
        &g.legend,
        g.highlight,
        g.marks.changes(),
        lanes_bottom,
        14.0,
        total_w,
        m,
    );
    Ok(scene)
}

/// A page with the title block and the legend of `listed` findings only (those no page of the diagram marks).
pub(crate) fn legend_page(
    model: &Model,
    findings: &[Finding],
    listed: &[usize],
    page: &str,
    m: &mut Measurer,
) -> Scene {
    let mut scene = Scene::default();
    let total_w = 1000.0;
    let extra = TitleExtra {
        page: Some(page.to_string()),
        notes: Vec::new(),
        compact: true,
    };
    let title_h = content::title_block(&mut scene, model, &extra, MARGIN, MARGIN, total_w, m);
    let legend: Vec<&Finding> = listed.iter().filter_map(|&i| findings.get(i)).collect();
    content::finish(
        &mut scene,
        &legend,
        true,
        None,
        MARGIN + title_h,
        14.0,
        total_w,
        m,
    );
    scene
}

/// Where an exit label sits: just above its line, beside the card on the side the line leaves.
fn label_rect(label: &Block, side_x: f64, side: Side, line_y: f64) -> Rect {
    let y = line_y - 4.0 - label.h;
    match side {
        Side::Left => Rect::new(side_x - LABEL_GAP - label.w, y, label.w, label.h),
        Side::Right => Rect::new(side_x + LABEL_GAP, y, label.w, label.h),
    }
}

fn center_lines(block: &mut Block, w: f64) {
    for l in &mut block.lines {
        l.x = ((w - l.width) / 2.0).max(0.0);
    }
}

/// 「実施機関」「外部・外部結合の相手方」… under the lane's name.
/// A lane's header: the party's name (underlined when it changed), its role line and its finding codes.
/// What a lane lists under its cards: the party's controls, then each drawn system's, up to `max_controls`
/// each (0: none, a printed diagram lists them on a page of their own).
pub(crate) fn lane_controls(
    model: &Model,
    p: usize,
    drawn: impl Fn(Endpoint) -> bool,
    max: f64,
    max_controls: usize,
    m: &mut Measurer,
) -> Block {
    let mut b = Block::default();
    let party = &model.parties[p];
    if max_controls == 0 {
        return b;
    }
    if !party.controls.written.is_empty() {
        b.push(
            m,
            &format!("{}の対策", party.display()),
            SMALL_SIZE,
            MUTED,
            max,
        );
        b.push_tokens(
            m,
            &party.controls.written,
            SMALL_SIZE,
            CONTROL_INK,
            max,
            max_controls,
        );
    }
    for (_, sys) in model.systems.iter().enumerate().filter(|(i, s)| {
        s.party == p && !s.controls.written.is_empty() && drawn(Endpoint::System(*i))
    }) {
        b.push(
            m,
            &format!("【{}】の対策", sys.display()),
            SMALL_SIZE,
            MUTED,
            max,
        );
        b.push_tokens(
            m,
            &sys.controls.written,
            SMALL_SIZE,
            CONTROL_INK,
            max,
            max_controls,
        );
    }
    b
}

/// A party's lane from `x0` to `x1` and `top` to `bottom`, with its header box `header_h` high, in the party's
/// colours and owned by the party's lane group; returns the lane's and the header's box indices.
pub(crate) fn push_lane(
    scene: &mut Scene,
    model: &Model,
    party: usize,
    (x0, x1): (f64, f64),
    (top, bottom): (f64, f64),
    header_h: f64,
) -> (usize, usize) {
    let (body, head) = lane_colors(model.parties[party].role);
    let lane = |rect: Rect, kind: BoxKind, fill: &'static str, parent: Option<usize>| BoxShape {
        rect,
        kind,
        fill: Some(fill),
        stroke: Some(TITLE_STROKE),
        stroke_width: 1.0,
        dashed: false,
        radius: 0.0,
        parent,
    };
    let idx = scene.boxes.len();
    scene
        .owners
        .boxes
        .insert(idx, super::scene::Owner::Lane(party));
    scene.boxes.push(lane(
        Rect::new(x0, top, x1 - x0, bottom - top),
        BoxKind::Lane,
        body,
        None,
    ));
    let hidx = scene.boxes.len();
    scene.boxes.push(lane(
        Rect::new(x0, top, x1 - x0, header_h),
        BoxKind::LaneHeader,
        head,
        Some(idx),
    ));
    (idx, hidx)
}

pub(crate) fn lane_header(
    model: &Model,
    party: usize,
    mark: &content::Mark,
    max: f64,
    m: &mut Measurer,
) -> Block {
    let mut b = Block::default();
    b.push(
        m,
        model.parties[party].display(),
        HEADER_SIZE,
        mark.color().unwrap_or(INK),
        max,
    );
    if mark.changed {
        b.underline_from(0);
    }
    b.push(m, &role_line(model, party), ROLE_SIZE, MUTED, max);
    if !mark.is_empty() {
        b.push(
            m,
            &mark.text(),
            SMALL_SIZE,
            mark.color().unwrap_or(ALERT),
            max,
        );
    }
    b
}

pub(crate) fn role_line(model: &Model, party: usize) -> String {
    let role = model.parties[party].role;
    match (role, model.declared_for(party)) {
        (Role::External, Some(d)) => format!("外部（{}）", d.basis.ja()),
        (r, _) => r.ja().to_string(),
    }
}
