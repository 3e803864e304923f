//! The layered view for larger models, laid out by elkrs (a Rust port of the Eclipse Layout Kernel's layered
//! algorithm): cards and flow labels are sized here with real font metrics, handed to ELK as a graph in ELK
//! JSON (left to right, one partition per role so 本人 → 実施機関 → 庁内 → 外部 read left to right, orthogonal
//! edges, labels placed by ELK beside their edge), and only positions come back; we draw everything ourselves.
//!
//! ELK runs inside `catch_unwind`: if it ever fails or panics, the user gets a Japanese error, not a crash.

use serde_json::{json, Value};

use crate::model::{Endpoint, Model};

use super::content::{self, Block, Card};
use super::diagram::DiagramGraph;
use super::font::Measurer;
use super::scene::{BoxKind, BoxShape, Connector, Rect, Scene};
use super::theme::*;

const CARD_MIN_W: f64 = 170.0;
const CARD_MAX_W: f64 = 240.0;
const LABEL_MAX_W: f64 = 170.0;
const LABEL_PAD: f64 = 5.0;
const STRIP_PAD: f64 = 5.0;

/// ELK's options for the view: layered, left to right, orthogonal edges, labels centred on their edge (ELK
/// then reserves room for them, so they never overlap), partitions kept in order. Crossing minimisation
/// tries fewer orderings on big graphs (thoroughness 7 → 1 cuts 1000 nodes from about 27 s to 6 s here).
pub(crate) fn elk_options(nodes: usize) -> Value {
    let thoroughness = match nodes {
        0..=150 => 7,
        151..=500 => 3,
        _ => 1,
    };
    json!({
        "org.eclipse.elk.algorithm": "org.eclipse.elk.layered",
        "org.eclipse.elk.direction": "RIGHT",
        "org.eclipse.elk.edgeRouting": "ORTHOGONAL",
        "org.eclipse.elk.partitioning.activate": "true",
        "org.eclipse.elk.edgeLabels.placement": "CENTER",
        "org.eclipse.elk.spacing.nodeNode": "28",
        "org.eclipse.elk.layered.spacing.nodeNodeBetweenLayers": "36",
        "org.eclipse.elk.spacing.edgeEdge": "12",
        "org.eclipse.elk.spacing.edgeNode": "14",
        "org.eclipse.elk.layered.spacing.edgeNodeBetweenLayers": "16",
        "org.eclipse.elk.layered.spacing.edgeEdgeBetweenLayers": "12",
        "org.eclipse.elk.spacing.edgeLabel": "4",
        "org.eclipse.elk.layered.thoroughness": thoroughness.to_string(),
        "org.eclipse.elk.randomSeed": "1",
        "org.eclipse.elk.padding": "[top=0,left=0,bottom=0,right=0]",
    })
}

/// What ELK gives back, in ELK's coordinates.
#[derive(Default)]
pub(crate) struct Placed {
    pub nodes: Vec<(f64, f64)>,
    /// Per edge: the orthogonal polyline from source to target.
    pub routes: Vec<Vec<(f64, f64)>>,
    /// Per edge: the label's top-left corner.
    pub labels: Vec<(f64, f64)>,
}

/// Above this many nodes, nagare assigns the layers itself (`layers`) and ELK keeps them (interactive layering)
/// instead of enforcing partitions: ELK's partitioning joins every node of a partition to every node of the next
/// by a constraint edge (160 000 edges for the 1000-node office), and laying those out took most of ELK's time.
pub(crate) const OWN_LAYERING_ABOVE: usize = 150;

/// Layers for nodes (`parts`: the partition of each) and `edges` (from, to) such that every partition occupies
/// its own run of consecutive layers, in partition order, and every edge spans at least one layer. Edges between
/// partitions point to the later partition; edges inside one follow a total order of its nodes, and of two
/// orders the first is kept unless its layering spans more than `SPAN_BUDGET` layers in all (the dummy nodes
/// ELK routes through, which is what makes a big office slow) and the second spans fewer, or it has
/// `MAX_LAYERS` layers or more:
///
/// - depth-first: the reverse finishing order of a depth-first search (back edges reversed, as ELK's
///   depth-first cycle breaker does): most flows point right, but a long chain of flows makes as many layers;
/// - colouring: a greedy colouring, biggest degree first, ordered by colour: by the Gallai–Roy argument no
///   path is longer than the number of colours, so a big office needs few layers, at the cost of more flows
///   drawn right to left.
///
/// Each node goes to the first layer its predecessors allow (longest path); then a node with more outgoing
/// than incoming edges moves right, next to its nearest successor, while its partition has room. Linear in
/// nodes + edges (plus sorting); no recursion.
pub(crate) fn layers(parts: &[u8], edges: &[(usize, usize)]) -> Vec<usize> {
    let n = parts.len();
    let mut same: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a < n && b < n && a != b && parts[a] == parts[b] {
            same[a].push(b);
        }
    }
    let span = |l: &[usize]| -> usize {
        edges
            .iter()
            .filter(|&&(a, b)| a < n && b < n)
            .map(|&(a, b)| l[a].abs_diff(l[b]))
            .sum()
    };
    let deep = |l: &[usize]| l.iter().copied().max().unwrap_or(0) >= MAX_LAYERS;
    let by_dfs = layering(parts, edges, &dfs_rank(&same));
    let dfs_span = span(&by_dfs);
    if dfs_span <= SPAN_BUDGET && !deep(&by_dfs) {
        return by_dfs;
    }
    let by_colour = layering(parts, edges, &colour_rank(&same));
    if deep(&by_dfs) || span(&by_colour) < dfs_span {
        by_colour
    } else {
        by_dfs
    }
}

/// The total edge span (about the dummy nodes ELK adds) up to which the depth-first layering is kept. ELK's
/// time grows with nodes plus dummies; measured on the synthetic offices (docs/layout.md): 300 nodes span 5 500
/// (0.7 s), 1000 nodes 53 000 (6.8 s, against 0.8 s coloured), 3000 nodes 136 s depth-first against 5.5 s.
const SPAN_BUDGET: usize = 20_000;

/// No more layers than this from the depth-first layering: ELK's interactive cycle breaker walks the layered
/// graph recursively, one stack frame per layer, so a chain of thousands of flows must not become thousands of
/// layers (the colouring keeps it to a few).
const MAX_LAYERS: usize = 1_000;

/// Reverse depth-first finishing order over `out` (edges inside a partition), iteratively.
fn dfs_rank(out: &[Vec<usize>]) -> Vec<usize> {
    let n = out.len();
    let mut finish: Vec<usize> = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&w) = out[v].get(next) {
                top.1 += 1;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                finish.push(v);
                stack.pop();
            }
        }
    }
    let mut rank = vec![0usize; n];
    for (r, &v) in finish.iter().rev().enumerate() {
        rank[v] = r;
    }
    rank
}

/// A greedy colouring of the undirected graph of `out`, biggest degree first (ties by index); rank = colour,
/// then index.
fn colour_rank(out: &[Vec<usize>]) -> Vec<usize> {
    let n = out.len();
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, targets) in out.iter().enumerate() {
        for &b in targets {
            adj[a].push(b);
            adj[b].push(a);
        }
    }
    let mut by_degree: Vec<usize> = (0..n).collect();
    by_degree.sort_by_key(|&v| (std::cmp::Reverse(adj[v].len()), v));
    let mut colour = vec![usize::MAX; n];
    let mut taken: Vec<usize> = Vec::new();
    for &v in &by_degree {
        taken.clear();
        taken.extend(
            adj[v]
                .iter()
                .map(|&w| colour[w])
                .filter(|&c| c != usize::MAX),
        );
        taken.sort_unstable();
        taken.dedup();
        colour[v] = taken
            .iter()
            .enumerate()
            .find(|&(i, &c)| i != c)
            .map_or(taken.len(), |(i, _)| i);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&v| (colour[v], v));
    let mut rank = vec![0usize; n];
    for (r, &v) in order.iter().enumerate() {
        rank[v] = r;
    }
    rank
}

/// Longest-path layers with partitions in order, edges oriented along (partition, `rank`).
fn layering(parts: &[u8], edges: &[(usize, usize)], rank: &[usize]) -> Vec<usize> {
    let n = parts.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&v| (parts[v], rank[v]));
    let mut position = vec![0usize; n];
    for (k, &v) in order.iter().enumerate() {
        position[v] = k;
    }
    // Oriented edges: from the earlier node in the order to the later one.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a >= n || b >= n || a == b {
            continue;
        }
        let (u, v) = if position[a] < position[b] {
            (a, b)
        } else {
            (b, a)
        };
        preds[v].push(u);
        succs[u].push(v);
    }
    // Longest path, partition by partition; a partition starts after the last layer of the one before.
    let mut layer = vec![0usize; n];
    let mut last_of = vec![0usize; n];
    let mut base = 0usize;
    let mut top = 0usize;
    let mut run_start = 0usize;
    for (k, &v) in order.iter().enumerate() {
        if k > 0 && parts[order[k - 1]] != parts[v] {
            for &u in &order[run_start..k] {
                last_of[u] = top;
            }
            run_start = k;
            base = top + 1;
            top = base;
        }
        let l = preds[v]
            .iter()
            .map(|&u| layer[u] + 1)
            .max()
            .unwrap_or(base)
            .max(base);
        layer[v] = l;
        top = top.max(l);
    }
    for &u in &order[run_start..] {
        last_of[u] = top;
    }
    // Move nodes right toward their successors, last first, so a successor's final layer is known.
    for &v in order.iter().rev() {
        if succs[v].len() <= preds[v].len() {
            continue;
        }
        let nearest = succs[v].iter().map(|&w| layer[w]).min().unwrap_or(0);
        let target = nearest.saturating_sub(1).min(last_of[v]);
        if target > layer[v] {
            layer[v] = target;
        }
    }
    layer
}

/// Runs ELK on `nodes` (w, h, partition) and `edges` (from, to, label w, label h).
pub(crate) fn run_elk(
    nodes: &[(f64, f64, u8)],
    edges: &[(usize, usize, f64, f64)],
    options: Value,
) -> Result<Placed, String> {
    let mut options = options;
    let partitioned = options
        .get("org.eclipse.elk.partitioning.activate")
        .and_then(Value::as_str)
        == Some("true");
    let own = partitioned && nodes.len() > OWN_LAYERING_ABOVE;
    let own_layers = if own {
        let parts: Vec<u8> = nodes.iter().map(|n| n.2).collect();
        let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.0, e.1)).collect();
        layers(&parts, &pairs)
    } else {
        Vec::new()
    };
    if let (true, Some(o)) = (own, options.as_object_mut()) {
        // ELK keeps our layers (read from x) and reverses exactly the edges that point left in them; one
        // graph, not packed components, so a partition's layers line up across the whole drawing.
        o.remove("org.eclipse.elk.partitioning.activate");
        o.insert(
            "org.eclipse.elk.layered.layering.strategy".into(),
            "INTERACTIVE".into(),
        );
        o.insert(
            "org.eclipse.elk.layered.cycleBreaking.strategy".into(),
            "INTERACTIVE".into(),
        );
        o.insert(
            "org.eclipse.elk.separateConnectedComponents".into(),
            "false".into(),
        );
    }
    // Far apart, so that no two layers' spans overlap whatever the card widths.
    const LAYER_X: f64 = 10_000.0;
    let children: Vec<Value> = nodes
        .iter()
        .enumerate()
        .map(|(i, &(w, h, part))| match own_layers.get(i) {
            Some(&l) => json!({
                "id": format!("n{i}"),
                "x": l as f64 * LAYER_X,
                "y": 0.0,
                "width": w,
                "height": h,
            }),
            None => json!({
                "id": format!("n{i}"),
                "width": w,
                "height": h,
                "layoutOptions": { "org.eclipse.elk.partitioning.partition": part.to_string() },
            }),
        })
        .collect();
    let elk_edges: Vec<Value> = edges
        .iter()
        .enumerate()
        .map(|(f, &(a, b, lw, lh))| {
            // A hop without a label (into a relay) gets none; ELK ignores labels with empty text, so a
            // label's text is a placeholder (nagare draws the label itself).
            let labels = if lw > 0.0 {
                json!([{ "id": format!("l{f}"), "text": format!("l{f}"), "width": lw, "height": lh }])
            } else {
                json!([])
            };
            json!({
                "id": format!("e{f}"),
                "sources": [format!("n{a}")],
                "targets": [format!("n{b}")],
                "labels": labels,
            })
        })
        .collect();
    let input = json!({
        "id": "root",
        "layoutOptions": options,
        "children": children,
        "edges": elk_edges,
    })
    .to_string();
    let out = std::panic::catch_unwind(|| elkrs::create_elk().layout_json(&input))
        .map_err(|_| elk_failed("内部エラー"))?
        .map_err(|e| elk_failed(&e))?;
    read_elk(&out, nodes.len(), edges.len())
}

fn elk_failed(why: &str) -> String {
    format!("レイアウト（elkrs）に失敗しました（{why}）。--view committee をお試しください")
}

fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

fn point(v: &Value) -> (f64, f64) {
    (num(v, "x"), num(v, "y"))
}

fn read_elk(out: &Value, n_nodes: usize, n_edges: usize) -> Result<Placed, String> {
    let mut placed = Placed {
        nodes: vec![(0.0, 0.0); n_nodes],
        routes: vec![Vec::new(); n_edges],
        labels: vec![(0.0, 0.0); n_edges],
    };
    let index = |id: Option<&str>, prefix: char, n: usize| {
        id.and_then(|s| s.strip_prefix(prefix))
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|&i| i < n)
    };
    for child in out
        .get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(i) = index(child.get("id").and_then(Value::as_str), 'n', n_nodes) {
            placed.nodes[i] = point(child);
        }
    }
    for edge in out
        .get("edges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(f) = index(edge.get("id").and_then(Value::as_str), 'e', n_edges) else {
            continue;
        };
        let mut route = Vec::new();
        for section in edge
            .get("sections")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(p) = section.get("startPoint") {
                route.push(point(p));
            }
            for b in section
                .get("bendPoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                route.push(point(b));
            }
            if let Some(p) = section.get("endPoint") {
                route.push(point(p));
            }
        }
        placed.routes[f] = route;
        if let Some(label) = edge
            .get("labels")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
        {
            placed.labels[f] = point(label);
        }
    }
    if let Some(f) = placed.routes.iter().position(|r| r.len() < 2) {
        return Err(elk_failed(&format!(
            "流れ {} の線が引かれていません",
            f + 1
        )));
    }
    Ok(placed)
}

/// What the layered view hands to ELK (and the DOT export to Graphviz): each node's card with its party strip,
/// each edge's label, and their sizes in px.
pub(crate) struct Prepared {
    pub endpoints: Vec<Endpoint>,
    pub cards: Vec<Card>,
    pub strips: Vec<Block>,
    pub labels: Vec<Block>,
    /// Per node: width, height (card and strip), partition (the role's rank).
    pub node_sizes: Vec<(f64, f64, u8)>,
    /// Per edge: from, to, label width, label height (padding included; 0 × 0 for no label).
    pub edges: Vec<(usize, usize, f64, f64)>,
}

/// Sizes every card and label of `g` with the embedded font's metrics.
pub(crate) fn prepare(model: &Model, g: &DiagramGraph, m: &mut Measurer) -> Prepared {
    let marks = &g.marks;
    let changed_items = marks.changed_items();
    let endpoints: Vec<Endpoint> = g.nodes.iter().map(|n| n.endpoint).collect();

    // Cards: party strip on top of the usual card.
    let mut cards: Vec<Card> = Vec::new();
    let mut strips = Vec::new();
    for &e in &endpoints {
        let w = content::card_natural_width(model, e, m).clamp(CARD_MIN_W, CARD_MAX_W);
        let card = content::card(model, e, &marks.node(e), &changed_items, w, 9, m);
        let party = &model.parties[model.party_of(e)];
        let mut strip = Block::default();
        let text = match e {
            Endpoint::System(_) => party.display().to_string(),
            Endpoint::Party(p) => super::committee::role_line(model, p),
        };
        strip.push(m, &text, SMALL_SIZE, INK, w - 2.0 * content::CARD_PAD);
        cards.push(card);
        strips.push(strip);
    }
    let labels: Vec<Block> = g
        .edges
        .iter()
        .map(|e| content::flow_label(model, e.flow, &marks.flow(e.flow), LABEL_MAX_W, m))
        .collect();

    let node_sizes: Vec<(f64, f64, u8)> = endpoints
        .iter()
        .zip(cards.iter().zip(&strips))
        .map(|(&e, (card, strip))| {
            let role = model.parties[model.party_of(e)].role;
            (card.w, card.h + strip.h + 2.0 * STRIP_PAD, role_rank(role))
        })
        .collect();
    let edges: Vec<(usize, usize, f64, f64)> = g
        .edges
        .iter()
        .zip(&labels)
        .map(|(e, l)| (e.from, e.to, l.w + 2.0 * LABEL_PAD, l.h + 2.0 * LABEL_PAD))
        .collect();
    Prepared {
        endpoints,
        cards,
        strips,
        labels,
        node_sizes,
        edges,
    }
}

/// Lays out the layered view.
pub(crate) fn layout(model: &Model, g: &DiagramGraph, m: &mut Measurer) -> Result<Scene, String> {
    let marks = &g.marks;
    let Prepared {
        endpoints,
        cards,
        strips,
        labels,
        node_sizes,
        edges,
    } = prepare(model, g, m);
    let placed = if node_sizes.is_empty() {
        Placed::default()
    } else {
        run_elk(&node_sizes, &edges, elk_options(node_sizes.len()))?
    };

    // The drawing's extent in ELK's coordinates.
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for (&(x, y), &(w, h, _)) in placed.nodes.iter().zip(&node_sizes) {
        xs.extend([x, x + w]);
        ys.extend([y, y + h]);
    }
    for (&(x, y), &(_, _, w, h)) in placed.labels.iter().zip(&edges) {
        xs.extend([x, x + w]);
        ys.extend([y, y + h]);
    }
    for &(x, y) in placed.routes.iter().flatten() {
        xs.push(x);
        ys.push(y);
    }
    let (min_x, max_x, min_y, max_y) = extent(&xs, &ys).unwrap_or((0.0, 0.0, 0.0, 0.0));

    let mut scene = Scene::default();
    let content_w = max_x - min_x;
    let total_w = content_w.max(480.0);
    let title_h = content::title_block(
        &mut scene,
        model,
        &content::TitleExtra::default(),
        MARGIN,
        MARGIN,
        total_w,
        m,
    );
    let top = MARGIN + title_h + 18.0;
    let dx = MARGIN + (total_w - content_w) / 2.0 - min_x;
    let dy = top - min_y;
    let at = |(x, y): (f64, f64)| (x + dx, y + dy);

    // Connectors first (the writer draws them under the boxes anyway).
    for (k, route) in placed.routes.iter().enumerate() {
        let f = g.edges[k].flow;
        let flow = &model.flows[f];
        let mut pts: Vec<(f64, f64)> = route.iter().map(|&p| at(p)).collect();
        let head = arrowhead(&mut pts);
        let mark = marks.flow(f);
        scene.connectors.push(Connector {
            points: pts,
            curved: false,
            color: mark.color().unwrap_or(LINE),
            width: if mark.changed {
                CHANGED_WIDTH
            } else if mark.is_empty() {
                1.4
            } else {
                2.0
            },
            style: via_style(&flow.via),
            head,
            flow: Some(f),
        });
    }

    // Cards.
    for (i, &e) in endpoints.iter().enumerate() {
        let (x, y) = at(placed.nodes.get(i).copied().unwrap_or((min_x, min_y)));
        let card = &cards[i];
        let strip = &strips[i];
        let sh = strip.h + 2.0 * STRIP_PAD;
        let idx = content::emit_card(&mut scene, card, x, y + sh, card.h, None);
        // The party strip sits on top of the card, inside the same outline.
        scene.boxes[idx].rect = Rect::new(x, y, card.w, card.h + sh);
        let (_, head_fill) = lane_colors(model.parties[model.party_of(e)].role);
        let sidx = scene.boxes.len();
        scene.boxes.push(BoxShape {
            rect: Rect::new(x, y, card.w, sh),
            kind: BoxKind::Tag,
            fill: Some(head_fill),
            stroke: None,
            stroke_width: 0.0,
            dashed: false,
            radius: 0.0,
            parent: Some(idx),
        });
        strip.emit(&mut scene, x + content::CARD_PAD, y + STRIP_PAD, Some(sidx));
    }

    // Labels, where ELK put them.
    for (k, label) in labels.iter().enumerate() {
        let Some(&(lx, ly)) = placed.labels.get(k) else {
            continue;
        };
        let f = g.edges[k].flow;
        let (x, y) = at((lx, ly));
        let idx = scene.boxes.len();
        scene.owners.boxes.insert(idx, super::scene::Owner::Flow(f));
        let mark = marks.flow(f);
        scene.boxes.push(BoxShape {
            rect: Rect::new(x, y, edges[k].2, edges[k].3),
            kind: BoxKind::FlowLabel,
            fill: Some(WHITE),
            stroke: Some(mark.color().unwrap_or(TITLE_STROKE)),
            stroke_width: 0.8,
            dashed: false,
            radius: 4.0,
            parent: None,
        });
        label.emit(&mut scene, x + LABEL_PAD, y + LABEL_PAD, Some(idx));
    }

    let bottom = if xs.is_empty() { top } else { max_y + dy };
    content::finish(
        &mut scene,
        &g.legend,
        g.highlight,
        g.marks.changes(),
        bottom,
        18.0,
        total_w,
        m,
    );
    Ok(scene)
}

/// Shortens the polyline's last segment by the arrowhead's length and returns the head triangle.
pub(crate) fn arrowhead(pts: &mut [(f64, f64)]) -> Option<[(f64, f64); 3]> {
    let n = pts.len();
    if n < 2 {
        return None;
    }
    let tip = pts[n - 1];
    let prev = pts[n - 2];
    let (ux, uy) = (tip.0 - prev.0, tip.1 - prev.1);
    let len = ux.hypot(uy);
    if len < 1e-6 {
        return None;
    }
    let (ux, uy) = (ux / len, uy / len);
    let back = HEAD_LEN.min(len);
    let base = (tip.0 - ux * back, tip.1 - uy * back);
    pts[n - 1] = base;
    let (px, py) = (-uy * 4.5, ux * 4.5);
    Some([tip, (base.0 + px, base.1 + py), (base.0 - px, base.1 - py)])
}

/// The smallest and largest x and y of the points ELK placed, or None when it placed nothing.
pub(crate) fn extent(xs: &[f64], ys: &[f64]) -> Option<(f64, f64, f64, f64)> {
    if xs.is_empty() || ys.is_empty() {
        return None;
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((min(xs), max(xs), min(ys), max(ys)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Partitions occupy consecutive runs of layers in order, and no edge stays inside one layer.
    fn check(parts: &[u8], edges: &[(usize, usize)], layer: &[usize]) {
        for (a, &pa) in parts.iter().enumerate() {
            for (b, &pb) in parts.iter().enumerate() {
                if pa < pb {
                    assert!(
                        layer[a] < layer[b],
                        "node {a} (partition {pa}) not left of {b} ({pb})"
                    );
                }
            }
        }
        for &(a, b) in edges {
            if a != b {
                assert_ne!(layer[a], layer[b], "edge {a} → {b} inside one layer");
            }
        }
    }

    #[test]
    fn layers_keep_partitions_in_order_and_flows_left_to_right() {
        // Two partitions; a cycle inside the second; an edge from the later partition back to the first.
        let parts = [0, 1, 1, 1, 0];
        let edges = [(0, 1), (1, 2), (2, 3), (3, 1), (2, 4), (4, 0)];
        let layer = layers(&parts, &edges);
        check(&parts, &edges, &layer);
        // The chain 1 → 2 → 3 reads left to right (only the back edge 3 → 1 is reversed).
        assert!(layer[1] < layer[2] && layer[2] < layer[3], "{layer:?}");
    }

    #[test]
    fn a_long_ring_of_flows_gets_few_layers() {
        // A ring of 3000 nodes, each linked to the next and the 50th next: depth first makes a chain of
        // thousands of layers (150 000 dummy nodes); the colouring keeps the layers to a handful.
        let n = 3000;
        let parts = vec![0u8; n];
        let edges: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| [(i, (i + 1) % n), (i, (i + 50) % n)])
            .collect();
        let layer = layers(&parts, &edges);
        check(&parts, &edges, &layer);
        let deepest = layer.iter().copied().max().unwrap_or(0);
        assert!(deepest < 10, "{deepest} layers");
        // A chain of 5000 flows spans only 4999 layers in all, but would make 5000 layers: coloured instead.
        let parts = vec![0u8; 5000];
        let edges: Vec<(usize, usize)> = (0..4999).map(|i| (i, i + 1)).collect();
        let layer = layers(&parts, &edges);
        check(&parts, &edges, &layer);
        assert!(layer.iter().copied().max().unwrap_or(0) < MAX_LAYERS);
        // A short chain stays depth first: every flow points right.
        let parts = [0u8; 4];
        let edges = [(0, 1), (1, 2), (2, 3)];
        assert_eq!(layers(&parts, &edges), vec![0, 1, 2, 3]);
    }
}
