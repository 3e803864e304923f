//! The layered view for larger models: layout-rs ranks and places the nodes (cards and flow labels, sized here
//! with real font metrics); we read back only its positions and edge curves and draw everything ourselves.
//!
//! layout-rs has no clusters, so each card carries its party's name in a coloured strip instead of a lane.
//! Its DAG self-check is exponential, so it is switched off; an empty graph would panic, so it never gets one.

use std::collections::HashMap;

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::model::{Endpoint, Model};
use crate::rules::engine::Finding;

use super::content::{self, Block, Marks};
use super::font::Measurer;
use super::scene::{BoxKind, BoxShape, Connector, Rect, Scene};
use super::theme::*;

const CARD_MIN_W: f64 = 170.0;
const CARD_MAX_W: f64 = 240.0;
const LABEL_MAX_W: f64 = 170.0;
const LABEL_PAD: f64 = 6.0;
const STRIP_PAD: f64 = 5.0;

/// Collects the arrow curves layout-rs computes; everything else it would draw is ignored.
#[derive(Default)]
struct Capture {
    arrows: Vec<(String, Vec<(Point, Point)>)>,
}

impl RenderBackend for Capture {
    fn draw_rect(
        &mut self,
        _: Point,
        _: Point,
        _: &StyleAttr,
        _: Option<String>,
        _: Option<ClipHandle>,
    ) {
    }
    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        self.arrows
            .push((properties.unwrap_or_default(), path.to_vec()));
    }
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

struct Item {
    /// A card (node index) or a flow label (flow index).
    kind: ItemKind,
    w: f64,
    h: f64,
    rect: Rect,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    Node(usize),
    Label(usize),
}

/// Lays out the layered view.
pub(crate) fn layout(
    model: &Model,
    findings: &[Finding],
    highlight: bool,
    m: &mut Measurer,
) -> Result<Scene, String> {
    let marks = Marks::new(model, findings, highlight);
    let endpoints = content::nodes(model);
    let node_of: HashMap<Endpoint, usize> =
        endpoints.iter().enumerate().map(|(i, &e)| (e, i)).collect();

    // Cards: party strip on top of the usual card.
    let mut cards = Vec::new();
    let mut strips = Vec::new();
    for &e in &endpoints {
        let w = content::card_natural_width(model, e, m).clamp(CARD_MIN_W, CARD_MAX_W);
        let card = content::card(model, e, &marks.node(e), w, 9, m);
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
    let labels: Vec<Block> = (0..model.flows.len())
        .map(|f| content::flow_label(model, f, &marks.flow(f), LABEL_MAX_W, m))
        .collect();

    let mut items: Vec<Item> = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        let h = card.h + strips[i].h + 2.0 * STRIP_PAD;
        items.push(Item {
            kind: ItemKind::Node(i),
            w: card.w,
            h,
            rect: Rect::new(0.0, 0.0, card.w, h),
        });
    }
    for (f, l) in labels.iter().enumerate() {
        let (w, h) = (l.w + 2.0 * LABEL_PAD, l.h + 2.0 * LABEL_PAD);
        items.push(Item {
            kind: ItemKind::Label(f),
            w,
            h,
            rect: Rect::new(0.0, 0.0, w, h),
        });
    }

    // Layout with layout-rs (only when there is something to lay out: it panics on an empty graph).
    let mut curves: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    if !items.is_empty() {
        let mut vg = VisualGraph::new(Orientation::TopToBottom);
        vg.dag.set_validate(false);
        let handles: Vec<_> = items
            .iter()
            .map(|it| {
                let elem = Element::create(
                    ShapeKind::Box(String::new()),
                    StyleAttr::simple(),
                    Orientation::TopToBottom,
                    Point::new(it.w, it.h),
                );
                vg.add_node(elem)
            })
            .collect();
        let n_nodes = endpoints.len();
        for (f, flow) in model.flows.iter().enumerate() {
            let (Some(&a), Some(&b)) = (node_of.get(&flow.from), node_of.get(&flow.to)) else {
                return Err(format!("流れ{} の端が図にありません", flow.no.mark()));
            };
            let label = handles[n_nodes + f];
            let plain = |props: String, end: LineEndKind| {
                let mut a = Arrow::new(
                    LineEndKind::None,
                    end,
                    LineStyleKind::Normal,
                    "",
                    &StyleAttr::simple(),
                    &None,
                    &None,
                );
                a.properties = Some(props);
                a
            };
            vg.add_edge(
                plain(format!("{f}:a"), LineEndKind::None),
                handles[a],
                label,
            );
            vg.add_edge(
                plain(format!("{f}:b"), LineEndKind::Arrow),
                label,
                handles[b],
            );
        }
        let mut capture = Capture::default();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            vg.do_it(false, false, false, &mut capture);
            vg
        }));
        let vg = run.map_err(|_| {
            "レイアウト（layout-rs）に失敗しました。--view committee をお試しください".to_string()
        })?;
        for (it, h) in items.iter_mut().zip(&handles) {
            let (tl, _) = vg.pos(*h).bbox(false);
            it.rect = Rect::new(tl.x, tl.y, it.w, it.h);
        }
        for (props, path) in capture.arrows {
            curves.insert(props, flatten(&path));
        }
    }

    // Normalise: the drawing starts below the title block.
    let min_x = items.iter().map(|i| i.rect.x).fold(f64::INFINITY, f64::min);
    let min_y = items.iter().map(|i| i.rect.y).fold(f64::INFINITY, f64::min);
    let max_x = items
        .iter()
        .map(|i| i.rect.right())
        .fold(f64::NEG_INFINITY, f64::max);
    let (min_x, min_y, max_x) = if items.is_empty() {
        (0.0, 0.0, 0.0)
    } else {
        (min_x, min_y, max_x)
    };
    let curve_min_x = curves.values().flatten().map(|p| p.0).fold(min_x, f64::min);
    let curve_max_x = curves.values().flatten().map(|p| p.0).fold(max_x, f64::max);
    let curve_min_y = curves.values().flatten().map(|p| p.1).fold(min_y, f64::min);

    let mut scene = Scene::default();
    let content_w = curve_max_x - curve_min_x;
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
    let dx = MARGIN + (total_w - content_w) / 2.0 - curve_min_x;
    let dy = top - curve_min_y;
    for it in &mut items {
        it.rect = it.rect.translate(dx, dy);
    }
    for pts in curves.values_mut() {
        for p in pts.iter_mut() {
            p.0 += dx;
            p.1 += dy;
        }
    }

    // Connectors first (the writer draws them under the boxes anyway).
    let mut keys: Vec<&String> = curves.keys().collect();
    keys.sort_by_key(|k| {
        let (f, part) = k.split_once(':').unwrap_or((k.as_str(), ""));
        (f.parse::<usize>().unwrap_or(usize::MAX), part.to_string())
    });
    for key in keys {
        let Some((f, part)) = key.split_once(':') else {
            continue;
        };
        let Ok(f) = f.parse::<usize>() else { continue };
        let Some(flow) = model.flows.get(f) else {
            continue;
        };
        let mut pts = curves[key].clone();
        // Back edges come out reversed; orient each curve from its source.
        let (from_item, to_item) = match part {
            "a" => (
                node_of.get(&flow.from).copied().map(ItemKind::Node),
                Some(ItemKind::Label(f)),
            ),
            _ => (
                Some(ItemKind::Label(f)),
                node_of.get(&flow.to).copied().map(ItemKind::Node),
            ),
        };
        let rect_of = |k: Option<ItemKind>| {
            k.and_then(|k| items.iter().find(|i| i.kind == k))
                .map(|i| i.rect)
        };
        if let (Some(src), Some(dst), Some(first)) =
            (rect_of(from_item), rect_of(to_item), pts.first().copied())
        {
            if distance(dst, first) < distance(src, first) {
                pts.reverse();
            }
        }
        let mark = marks.flow(f);
        let color = mark.color().unwrap_or(LINE);
        let head = if part == "b" {
            arrowhead(&mut pts)
        } else {
            None
        };
        scene.connectors.push(Connector {
            points: pts,
            curved: true,
            color,
            width: if mark.is_empty() { 1.4 } else { 2.0 },
            style: via_style(&flow.via),
            head,
            flow: Some(f),
        });
    }

    // Cards and labels.
    for it in &items {
        match it.kind {
            ItemKind::Node(i) => {
                let e = endpoints[i];
                let card = &cards[i];
                let strip = &strips[i];
                let sh = strip.h + 2.0 * STRIP_PAD;
                let idx =
                    content::emit_card(&mut scene, card, it.rect.x, it.rect.y + sh, card.h, None);
                // The party strip sits on top of the card, inside the same outline.
                scene.boxes[idx].rect = Rect::new(it.rect.x, it.rect.y, card.w, card.h + sh);
                let (_, head_fill) = lane_colors(model.parties[model.party_of(e)].role);
                let sidx = scene.boxes.len();
                scene.boxes.push(BoxShape {
                    rect: Rect::new(it.rect.x, it.rect.y, card.w, sh),
                    kind: BoxKind::Tag,
                    fill: Some(head_fill),
                    stroke: None,
                    stroke_width: 0.0,
                    dashed: false,
                    radius: 0.0,
                    parent: Some(idx),
                });
                strip.emit(
                    &mut scene,
                    it.rect.x + content::CARD_PAD,
                    it.rect.y + STRIP_PAD,
                    Some(sidx),
                );
            }
            ItemKind::Label(f) => {
                let idx = scene.boxes.len();
                let mark = marks.flow(f);
                scene.boxes.push(BoxShape {
                    rect: it.rect,
                    kind: BoxKind::FlowLabel,
                    fill: Some(WHITE),
                    stroke: Some(mark.color().unwrap_or(TITLE_STROKE)),
                    stroke_width: 0.8,
                    dashed: false,
                    radius: 6.0,
                    parent: None,
                });
                labels[f].emit(
                    &mut scene,
                    it.rect.x + LABEL_PAD,
                    it.rect.y + LABEL_PAD,
                    Some(idx),
                );
            }
        }
    }

    let bottom = items
        .iter()
        .map(|i| i.rect.bottom())
        .chain(curves.values().flatten().map(|p| p.1))
        .fold(top, f64::max);
    let all: Vec<&Finding> = findings.iter().collect();
    content::finish(&mut scene, &all, highlight, bottom, 18.0, total_w, m);
    Ok(scene)
}

/// layout-rs paths are [(start, control), (control, point), (control, point)…] with smooth joins (SVG `S`);
/// this expands them into start, then (control1, control2, end) triples.
fn flatten(path: &[(Point, Point)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let Some(first) = path.first() else {
        return out;
    };
    out.push((first.0.x, first.0.y));
    let mut prev_ctrl = (first.1.x, first.1.y);
    let mut prev_end = (first.0.x, first.0.y);
    for (k, (c, p)) in path.iter().enumerate().skip(1) {
        let c1 = if k == 1 {
            prev_ctrl
        } else {
            (
                2.0 * prev_end.0 - prev_ctrl.0,
                2.0 * prev_end.1 - prev_ctrl.1,
            )
        };
        out.push(c1);
        out.push((c.x, c.y));
        out.push((p.x, p.y));
        prev_ctrl = (c.x, c.y);
        prev_end = (p.x, p.y);
    }
    out
}

fn distance(r: Rect, p: (f64, f64)) -> f64 {
    let dx = (r.x - p.0).max(0.0).max(p.0 - r.right());
    let dy = (r.y - p.1).max(0.0).max(p.1 - r.bottom());
    dx.hypot(dy)
}

/// Shortens the curve's end by the arrowhead's length and returns the head triangle.
fn arrowhead(pts: &mut [(f64, f64)]) -> Option<[(f64, f64); 3]> {
    let n = pts.len();
    if n < 4 {
        return None;
    }
    let tip = pts[n - 1];
    let ctrl = pts[n - 2];
    let (mut ux, mut uy) = (tip.0 - ctrl.0, tip.1 - ctrl.1);
    let len = ux.hypot(uy);
    if len < 1e-6 {
        let before = pts[n - 4];
        ux = tip.0 - before.0;
        uy = tip.1 - before.1;
    }
    let len = ux.hypot(uy).max(1e-6);
    let (ux, uy) = (ux / len, uy / len);
    let base = (tip.0 - ux * HEAD_LEN, tip.1 - uy * HEAD_LEN);
    pts[n - 1] = base;
    pts[n - 2] = (pts[n - 2].0 - ux * HEAD_LEN, pts[n - 2].1 - uy * HEAD_LEN);
    let (px, py) = (-uy * 4.5, ux * 4.5);
    Some([tip, (base.0 + px, base.1 + py), (base.0 - px, base.1 - py)])
}
