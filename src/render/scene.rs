//! The laid-out diagram as plain data: boxes, single-line texts with measured widths, orthogonal or curved
//! connectors. Layouts produce a `Scene`; the SVG writer only reads it. Tests check its geometry.

use std::collections::BTreeMap;

use super::font::{ASCENT, DESCENT};

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    /// True if `other` lies inside this rectangle (with a small tolerance for rounding).
    pub fn contains(&self, other: &Rect) -> bool {
        const EPS: f64 = 0.51;
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }
    /// True if the interiors overlap (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        const EPS: f64 = 0.01;
        self.x < other.right() - EPS
            && other.x < self.right() - EPS
            && self.y < other.bottom() - EPS
            && other.y < self.bottom() - EPS
    }
    /// Grows the rectangle by `dx` on the left and right and `dy` on the top and bottom.
    pub fn inflate(&self, dx: f64, dy: f64) -> Rect {
        Rect::new(
            self.x - dx,
            self.y - dy,
            self.w + 2.0 * dx,
            self.h + 2.0 * dy,
        )
    }
    pub fn translate(&self, dx: f64, dy: f64) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }
}

/// What a box is, for styling and for the geometry test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxKind {
    /// The title block.
    Title,
    /// A lane (one party).
    Lane,
    /// A lane's header band.
    LaneHeader,
    /// A system or a party drawn as a box.
    Node,
    /// A small tag (segment, hosting) inside a node.
    Tag,
    /// A flow's label in the layered view.
    FlowLabel,
    /// The findings legend.
    Legend,
    /// A decorative band (document number frame etc.).
    Frame,
}

/// A filled and/or stroked rectangle.
#[derive(Clone, Debug)]
pub struct BoxShape {
    pub rect: Rect,
    pub kind: BoxKind,
    pub fill: Option<&'static str>,
    pub stroke: Option<&'static str>,
    pub stroke_width: f64,
    pub dashed: bool,
    pub radius: f64,
    /// The box this one sits inside, if any (index into `Scene::boxes`).
    pub parent: Option<usize>,
}

/// One line of text, left-aligned at `x` on the baseline `y`.
#[derive(Clone, Debug)]
pub struct Text {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub color: &'static str,
    pub text: String,
    /// The measured advance width of `text` at `size`.
    pub width: f64,
    /// The box the text must stay inside (index into `Scene::boxes`); None means the canvas.
    pub container: Option<usize>,
    /// True for the diagram title (the PNG smoke test looks for its pixels).
    pub title: bool,
    /// Drawn underlined: a 変更箇所 (the seeds' 太字下線).
    pub underline: bool,
}

impl Text {
    /// The em box of the line: what must not leave its container or overlap another text.
    pub fn rect(&self) -> Rect {
        Rect::new(
            self.x,
            self.y - ASCENT * self.size,
            self.width,
            (ASCENT + DESCENT) * self.size,
        )
    }
}

/// How a connector's line is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStyle {
    Solid,
    Dashed,
    Dotted,
}

/// A connector: a polyline (or a cubic Bézier chain) with an arrowhead at its end.
#[derive(Clone, Debug)]
pub struct Connector {
    /// Polyline points, or for `curved`: start, then (control1, control2, end) triples.
    pub points: Vec<(f64, f64)>,
    pub curved: bool,
    pub color: &'static str,
    pub width: f64,
    pub style: LineStyle,
    /// Arrowhead triangle at the end (three points), if any.
    pub head: Option<[(f64, f64); 3]>,
    /// The flow this connector draws (index into `Model::flows`); None for rules and decorations.
    pub flow: Option<usize>,
}

/// What a drawn shape stands for in the model, so that the writers can group a box or an arrow with its texts
/// and give the group an id a person can read (`system-3`, `flow-12`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// A party's lane (index into `Model::parties`).
    Lane(usize),
    /// A party drawn as a card (index into `Model::parties`).
    Party(usize),
    /// A system's card, with its host frame (index into `Model::systems`).
    System(usize),
    /// A flow's arrow, label and step number (index into `Model::flows`).
    Flow(usize),
}

/// Which box and which text stands for which subject, filled where the layouts create them, and the
/// subjects' names and arrow ends, filled from the model once the layout is done (`content::name_owners`).
/// A box not listed belongs to its parent's group; a text not listed belongs to its container's.
#[derive(Clone, Debug, Default)]
pub struct Owners {
    /// Box index → its subject.
    pub boxes: BTreeMap<usize, Owner>,
    /// Text index → its subject, for texts whose container is not their subject's box (a flow's label
    /// placed in a lane).
    pub texts: BTreeMap<usize, Owner>,
    /// Each subject's name as the paper writes it (the SVG's `data-name` and `<title>`).
    pub names: BTreeMap<Owner, String>,
    /// A flow's ends: the subjects whose boxes its arrow leaves and enters.
    pub ends: BTreeMap<usize, (Owner, Owner)>,
}

/// A line hop: where a connector's straight segment crosses an earlier connector, it jumps over it with a small
/// semicircle, as hand-drawn committee figures do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hop {
    /// The connector that hops (index into `Scene::connectors`): the later of the two.
    pub connector: usize,
    /// Its segment: from `points[segment]` to `points[segment + 1]`.
    pub segment: usize,
    /// The crossing point, the centre of the semicircle.
    pub x: f64,
    pub y: f64,
}

/// The radius of a line hop, in px.
pub const HOP_R: f64 = 4.5;

/// The whole laid-out drawing.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<BoxShape>,
    pub connectors: Vec<Connector>,
    pub texts: Vec<Text>,
    /// What the boxes and texts stand for (for the writers' groups and ids).
    pub owners: Owners,
    /// Line hops, in connector, segment and path order (`Scene::add_hops`).
    pub hops: Vec<Hop>,
}

/// One axis-aligned segment of a connector: along the line at `at`, from `lo` to `hi` (lo < hi).
#[derive(Clone, Copy)]
struct Seg {
    at: f64,
    lo: f64,
    hi: f64,
    connector: usize,
    segment: usize,
}

/// Fixed-point key for ordering coordinates (1/100 px) in the sweep.
fn key(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

impl Scene {
    /// Finds where connectors cross and records a hop on the later one (`Scene::hops`). Only proper crossings of
    /// a horizontal and a vertical straight segment count, away from both segments' ends (a hop never sits on a
    /// bend or under an arrowhead); hops closer than a hop's width on one segment keep the first.
    /// A sweep over x with the horizontal segments ordered by y: O((n + k) log n) for n segments, k crossings.
    pub fn add_hops(&mut self) {
        let clear = 2.0 * HOP_R + 2.0;
        let mut hs: Vec<Seg> = Vec::new();
        let mut vs: Vec<Seg> = Vec::new();
        for (c, conn) in self.connectors.iter().enumerate() {
            if conn.curved {
                continue;
            }
            for (i, w) in conn.points.windows(2).enumerate() {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                if (y0 - y1).abs() < 0.01 && (x1 - x0).abs() > 2.0 * clear {
                    hs.push(Seg {
                        at: y0,
                        lo: x0.min(x1),
                        hi: x0.max(x1),
                        connector: c,
                        segment: i,
                    });
                } else if (x0 - x1).abs() < 0.01 && (y1 - y0).abs() > 2.0 * clear {
                    vs.push(Seg {
                        at: x0,
                        lo: y0.min(y1),
                        hi: y0.max(y1),
                        connector: c,
                        segment: i,
                    });
                }
            }
        }
        // Events along x: a horizontal segment opens (0) and closes (2) around the verticals met there (1).
        let mut events: Vec<(i64, u8, usize)> = Vec::with_capacity(2 * hs.len() + vs.len());
        for (i, h) in hs.iter().enumerate() {
            events.push((key(h.lo + clear), 0, i));
            events.push((key(h.hi - clear), 2, i));
        }
        for (i, v) in vs.iter().enumerate() {
            events.push((key(v.at), 1, i));
        }
        events.sort_unstable();
        let mut open: std::collections::BTreeSet<(i64, usize)> = std::collections::BTreeSet::new();
        let mut hops: Vec<Hop> = Vec::new();
        for (_, kind, i) in events {
            match kind {
                0 => {
                    open.insert((key(hs[i].at), i));
                }
                2 => {
                    open.remove(&(key(hs[i].at), i));
                }
                _ => {
                    let v = vs[i];
                    let range = (key(v.lo + clear), 0)..=(key(v.hi - clear), usize::MAX);
                    for &(_, j) in open.range(range) {
                        let h = hs[j];
                        if h.connector == v.connector {
                            continue;
                        }
                        let (on, hop_seg) = if h.connector > v.connector {
                            (h.connector, h.segment)
                        } else {
                            (v.connector, v.segment)
                        };
                        hops.push(Hop {
                            connector: on,
                            segment: hop_seg,
                            x: v.at,
                            y: h.at,
                        });
                    }
                }
            }
        }
        // Path order: by connector, segment, then distance from the segment's start.
        let along = |h: &Hop, conns: &[Connector]| {
            let (x0, y0) = conns[h.connector].points[h.segment];
            (h.x - x0).abs() + (h.y - y0).abs()
        };
        hops.sort_by(|a, b| {
            (a.connector, a.segment)
                .cmp(&(b.connector, b.segment))
                .then(along(a, &self.connectors).total_cmp(&along(b, &self.connectors)))
        });
        let mut kept: Vec<Hop> = Vec::with_capacity(hops.len());
        for h in hops {
            if let Some(p) = kept.last() {
                if (p.connector, p.segment) == (h.connector, h.segment)
                    && (p.x - h.x).abs() + (p.y - h.y).abs() < clear
                {
                    continue;
                }
            }
            kept.push(h);
        }
        self.hops = kept;
    }

    /// The hops of connector `c`, in path order.
    pub fn hops_of(&self, c: usize) -> &[Hop] {
        let lo = self.hops.partition_point(|h| h.connector < c);
        let hi = self.hops.partition_point(|h| h.connector <= c);
        &self.hops[lo..hi]
    }
}

impl Scene {
    /// Marks the texts from `start` on as belonging to `owner` (a flow's label emitted into a lane).
    pub(crate) fn own_texts_from(&mut self, start: usize, owner: Owner) {
        for k in start..self.texts.len() {
            self.owners.texts.insert(k, owner);
        }
    }

    /// The subject box `b` belongs to: its own, or the nearest ancestor's. None for a box outside every subject
    /// (the title, a legend). Walks up at most as many parents as there are boxes, so a cycle cannot hang it.
    pub fn box_owner(&self, b: usize) -> Option<Owner> {
        let mut at = b;
        for _ in 0..=self.boxes.len() {
            if let Some(o) = self.owners.boxes.get(&at) {
                return Some(*o);
            }
            at = self.boxes.get(at)?.parent?;
        }
        None
    }

    /// The top-level box `b` sits in (itself when it has no parent).
    pub fn root_box(&self, b: usize) -> usize {
        let mut at = b;
        for _ in 0..=self.boxes.len() {
            match self.boxes.get(at).and_then(|x| x.parent) {
                Some(p) => at = p,
                None => break,
            }
        }
        at
    }

    /// The subject text `t` belongs to: its own, else its container box's.
    pub fn text_owner(&self, t: usize) -> Option<Owner> {
        if let Some(o) = self.owners.texts.get(&t) {
            return Some(*o);
        }
        self.box_owner(self.texts.get(t)?.container?)
    }

    /// The canvas as a rectangle.
    pub fn canvas(&self) -> Rect {
        Rect::new(0.0, 0.0, self.width, self.height)
    }

    /// The union of the title's text lines, in scene units (for the PNG smoke test).
    pub fn title_rect(&self) -> Option<Rect> {
        let mut rects = self.texts.iter().filter(|t| t.title).map(Text::rect);
        let first = rects.next()?;
        Some(rects.fold(first, |a, b| {
            let x = a.x.min(b.x);
            let y = a.y.min(b.y);
            Rect::new(
                x,
                y,
                a.right().max(b.right()) - x,
                a.bottom().max(b.bottom()) - y,
            )
        }))
    }

    /// Every geometric problem: text outside its box or the canvas, overlapping texts,
    /// boxes outside their parent or the canvas, overlapping nodes. Empty means the layout is clean.
    pub fn geometry_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let canvas = self.canvas();
        for (i, b) in self.boxes.iter().enumerate() {
            if !canvas.contains(&b.rect) {
                problems.push(format!(
                    "box {i} ({:?}) {:?} leaves the canvas {:?}",
                    b.kind, b.rect, canvas
                ));
            }
            if let Some(p) = b.parent.and_then(|p| self.boxes.get(p)) {
                if !p.rect.contains(&b.rect) {
                    problems.push(format!(
                        "box {i} ({:?}) {:?} leaves its parent {:?}",
                        b.kind, b.rect, p.rect
                    ));
                }
            }
        }
        let nodes: Vec<(usize, &BoxShape)> = self
            .boxes
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b.kind, BoxKind::Node | BoxKind::FlowLabel))
            .collect();
        for (n, (i, a)) in nodes.iter().enumerate() {
            for (j, b) in &nodes[n + 1..] {
                if a.rect.overlaps(&b.rect) {
                    problems.push(format!(
                        "boxes {i} and {j} overlap: {:?} {:?}",
                        a.rect, b.rect
                    ));
                }
            }
        }
        for t in &self.texts {
            let r = t.rect();
            if !canvas.contains(&r) {
                problems.push(format!("text 「{}」 {:?} leaves the canvas", t.text, r));
            }
            if let Some(c) = t.container.and_then(|c| self.boxes.get(c)) {
                if !c.rect.contains(&r) {
                    problems.push(format!(
                        "text 「{}」 {:?} leaves its box {:?} {:?}",
                        t.text, r, c.kind, c.rect
                    ));
                }
            }
        }
        let mut order: Vec<usize> = (0..self.texts.len()).collect();
        order.sort_by(|&a, &b| self.texts[a].rect().x.total_cmp(&self.texts[b].rect().x));
        for (n, &a) in order.iter().enumerate() {
            let ra = self.texts[a].rect();
            for &b in &order[n + 1..] {
                let rb = self.texts[b].rect();
                if rb.x >= ra.right() {
                    break;
                }
                if ra.overlaps(&rb) {
                    problems.push(format!(
                        "texts 「{}」 and 「{}」 overlap",
                        self.texts[a].text, self.texts[b].text
                    ));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(x: f64, y: f64, width: f64, container: Option<usize>) -> Text {
        Text {
            x,
            y,
            size: 10.0,
            color: "#000",
            text: "氏名".into(),
            width,
            container,
            title: false,
            underline: false,
        }
    }

    fn line(points: &[(f64, f64)]) -> Connector {
        Connector {
            points: points.to_vec(),
            curved: false,
            color: "#000",
            width: 1.0,
            style: LineStyle::Solid,
            head: None,
            flow: None,
        }
    }

    #[test]
    fn the_later_of_two_crossing_arrows_hops() {
        let mut scene = Scene {
            width: 200.0,
            height: 200.0,
            ..Scene::default()
        };
        // A horizontal arrow, then an arrow that runs down across it and bends right under it.
        scene.connectors.push(line(&[(10.0, 50.0), (190.0, 50.0)]));
        scene
            .connectors
            .push(line(&[(100.0, 10.0), (100.0, 150.0), (180.0, 150.0)]));
        // A third that only touches the first's end, and one that crosses both lines of the second.
        scene
            .connectors
            .push(line(&[(190.0, 50.0), (190.0, 120.0)]));
        scene.connectors.push(line(&[
            (60.0, 120.0),
            (60.0, 180.0),
            (160.0, 180.0),
            (160.0, 100.0),
        ]));
        scene.add_hops();
        assert_eq!(
            scene.hops,
            vec![
                Hop {
                    connector: 1,
                    segment: 0,
                    x: 100.0,
                    y: 50.0
                },
                Hop {
                    connector: 3,
                    segment: 2,
                    x: 160.0,
                    y: 150.0
                },
            ]
        );
        assert_eq!(scene.hops_of(3).len(), 1);
        assert!(scene.hops_of(0).is_empty() && scene.hops_of(2).is_empty());
    }

    #[test]
    fn finds_overlaps_and_escapes() {
        let mut scene = Scene {
            width: 100.0,
            height: 100.0,
            ..Scene::default()
        };
        scene.boxes.push(BoxShape {
            rect: Rect::new(10.0, 10.0, 40.0, 20.0),
            kind: BoxKind::Node,
            fill: None,
            stroke: None,
            stroke_width: 1.0,
            dashed: false,
            radius: 0.0,
            parent: None,
        });
        scene.texts.push(text(12.0, 22.0, 20.0, Some(0)));
        assert!(
            scene.geometry_problems().is_empty(),
            "{:?}",
            scene.geometry_problems()
        );
        // Leaves its box, overlaps the first text, and leaves the canvas.
        scene.texts.push(text(20.0, 24.0, 40.0, Some(0)));
        scene.texts.push(text(90.0, 50.0, 20.0, None));
        let problems = scene.geometry_problems();
        assert!(
            problems.iter().any(|p| p.contains("leaves its box")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("overlap")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("leaves the canvas")),
            "{problems:?}"
        );
    }
}
