//! Layout quality, measured from a laid-out `Scene` (and from Graphviz's output, for comparison): arrow
//! crossings, overlapping labels, text outside its box or the canvas, every flow drawn once, and the smallest
//! text in points on paper. Tests and the layout benchmark share this one implementation.

use std::collections::BTreeMap;

use super::scene::{BoxKind, Rect, Scene};

type Pt = (f64, f64);

/// What one drawing (or a set of printed pages) measures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quality {
    /// Proper crossings between segments of different arrows.
    pub crossings: usize,
    /// Pairs of texts, or of cards and flow labels, that overlap.
    pub overlaps: usize,
    /// Texts that leave their box or the canvas.
    pub text_outside: usize,
    /// Flows (of `0..flows`) drawn by no arrow.
    pub missing: Vec<usize>,
    /// Flows drawn by more than one arrow.
    pub repeated: Vec<usize>,
    /// The smallest text in points when the pages are printed at one scale on `area` (0 without text).
    pub smallest_pt: f64,
}

impl Quality {
    /// `pages` (one scene for a whole diagram) drawing `flows` flows, printed at one scale in `area` (pt).
    pub fn of_pages(pages: &[Scene], flows: usize, area: (f64, f64)) -> Quality {
        let scale = pages
            .iter()
            .map(|p| super::pages::fit(p, area).0)
            .fold(f64::INFINITY, f64::min);
        let smallest = pages
            .iter()
            .flat_map(|p| &p.texts)
            .map(|t| t.size)
            .fold(f64::INFINITY, f64::min);
        let (missing, repeated) = flows_drawn(pages, flows);
        Quality {
            crossings: pages.iter().map(crossings).sum(),
            overlaps: pages.iter().map(overlaps).sum(),
            text_outside: pages.iter().map(text_outside).sum(),
            missing,
            repeated,
            smallest_pt: if smallest.is_finite() && scale.is_finite() {
                smallest * scale
            } else {
                0.0
            },
        }
    }
}

/// Proper crossings between straight segments of different arrows of `scene` (curves and arrows that draw no
/// flow are skipped).
pub fn crossings(scene: &Scene) -> usize {
    let routes: Vec<&[Pt]> = scene
        .connectors
        .iter()
        .filter(|c| !c.curved && c.flow.is_some())
        .map(|c| c.points.as_slice())
        .collect();
    route_crossings(&routes)
}

/// Proper crossings between segments of different polylines: two segments cross when each one's ends lie
/// strictly on opposite sides of the other (touching, sharing an end or running along each other is not a
/// crossing). A sweep over x: segments sorted by their left end, each compared with those starting before its
/// right end.
pub fn route_crossings(routes: &[&[Pt]]) -> usize {
    let mut segs: Vec<(usize, Pt, Pt)> = Vec::new();
    for (k, r) in routes.iter().enumerate() {
        for w in r.windows(2) {
            segs.push((k, w[0], w[1]));
        }
    }
    segs.sort_by(|a, b| a.1 .0.min(a.2 .0).total_cmp(&b.1 .0.min(b.2 .0)));
    let mut count = 0;
    for (i, a) in segs.iter().enumerate() {
        let a_right = a.1 .0.max(a.2 .0);
        let (a_top, a_bottom) = (a.1 .1.min(a.2 .1), a.1 .1.max(a.2 .1));
        for b in &segs[i + 1..] {
            if b.1 .0.min(b.2 .0) > a_right {
                break;
            }
            if a.0 == b.0 || b.1 .1.max(b.2 .1) < a_top || b.1 .1.min(b.2 .1) > a_bottom {
                continue;
            }
            if proper(a.1, a.2, b.1, b.2) {
                count += 1;
            }
        }
    }
    count
}

fn proper(p1: Pt, p2: Pt, q1: Pt, q2: Pt) -> bool {
    let cross = |a: Pt, b: Pt, c: Pt| (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
    let (d1, d2) = (cross(q1, q2, p1), cross(q1, q2, p2));
    let (d3, d4) = (cross(p1, p2, q1), cross(p1, p2, q2));
    d1 * d2 < -1e-9 && d3 * d4 < -1e-9
}

/// Pairs of rectangles that overlap, by a sweep over x.
fn rect_overlaps(mut rects: Vec<Rect>) -> usize {
    rects.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut count = 0;
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            if b.x >= a.right() {
                break;
            }
            if a.overlaps(b) {
                count += 1;
            }
        }
    }
    count
}

/// Overlapping texts plus overlapping cards and flow labels (the label overlaps a reader would see).
pub fn overlaps(scene: &Scene) -> usize {
    let texts = rect_overlaps(scene.texts.iter().map(|t| t.rect()).collect());
    let boxes = rect_overlaps(
        scene
            .boxes
            .iter()
            .filter(|b| matches!(b.kind, BoxKind::Node | BoxKind::FlowLabel))
            .map(|b| b.rect)
            .collect(),
    );
    texts + boxes
}

/// Texts that leave the canvas or the box that holds them.
pub fn text_outside(scene: &Scene) -> usize {
    let canvas = scene.canvas();
    scene
        .texts
        .iter()
        .filter(|t| {
            let r = t.rect();
            !canvas.contains(&r)
                || t.container
                    .and_then(|c| scene.boxes.get(c))
                    .is_some_and(|b| !b.rect.contains(&r))
        })
        .count()
}

/// Which of the flows `0..flows` no arrow draws, and which more than one draws, across `pages`.
pub fn flows_drawn(pages: &[Scene], flows: usize) -> (Vec<usize>, Vec<usize>) {
    let mut drawn: BTreeMap<usize, usize> = BTreeMap::new();
    for c in pages.iter().flat_map(|p| &p.connectors) {
        if let Some(f) = c.flow {
            *drawn.entry(f).or_default() += 1;
        }
    }
    let missing = (0..flows).filter(|f| !drawn.contains_key(f)).collect();
    let repeated = drawn
        .iter()
        .filter(|&(_, &n)| n > 1)
        .map(|(&f, _)| f)
        .collect();
    (missing, repeated)
}

/// Graphviz's layout as read from `dot -Tplain`: every edge it drew, as a polyline.
#[derive(Clone, Debug, Default)]
pub struct DotLayout {
    /// Per drawn edge: its B-spline sampled into straight segments, in points.
    pub routes: Vec<Vec<Pt>>,
}

impl DotLayout {
    /// Reads `dot -Tplain` output: `edge tail head n x1 y1 … xn yn …` lines, whose points are the control
    /// points of a cubic B-spline (n = 3k + 1). Each cubic piece is sampled at 8 steps. An edge line with fewer
    /// than two points is an edge Graphviz did not draw and is left out.
    pub fn from_plain(text: &str) -> DotLayout {
        let mut routes = Vec::new();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if words.next() != Some("edge") {
                continue;
            }
            let rest: Vec<&str> = words.collect();
            // tail and head are our own node names (n0, n1, …), never quoted.
            let Some(n) = rest.get(2).and_then(|w| w.parse::<usize>().ok()) else {
                continue;
            };
            let coords: Vec<f64> = rest
                .iter()
                .skip(3)
                .take(2 * n)
                .filter_map(|w| w.parse::<f64>().ok())
                .collect();
            if n < 2 || coords.len() != 2 * n {
                continue;
            }
            // Inches; y up. Points with y down keep the same crossings; scale to points for readability.
            let ctrl: Vec<Pt> = coords
                .chunks(2)
                .map(|c| (c[0] * 72.0, -c[1] * 72.0))
                .collect();
            routes.push(sample_bezier(&ctrl));
        }
        DotLayout { routes }
    }

    /// Crossings between the sampled edges, counted as for a `Scene`.
    pub fn crossings(&self) -> usize {
        let routes: Vec<&[Pt]> = self.routes.iter().map(Vec::as_slice).collect();
        route_crossings(&routes)
    }
}

fn sample_bezier(ctrl: &[Pt]) -> Vec<Pt> {
    const STEPS: usize = 8;
    let mut out = vec![ctrl[0]];
    let mut i = 0;
    while i + 3 < ctrl.len() {
        let (p0, p1, p2, p3) = (ctrl[i], ctrl[i + 1], ctrl[i + 2], ctrl[i + 3]);
        for s in 1..=STEPS {
            let t = s as f64 / STEPS as f64;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push((
                a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
                a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
            ));
        }
        i += 3;
    }
    if i + 1 < ctrl.len() {
        // Not a whole cubic piece (not what dot writes): keep the remaining control points as a polyline.
        out.extend_from_slice(&ctrl[i + 1..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_count_only_proper_crossings_of_different_arrows() {
        let plus_h: &[Pt] = &[(0.0, 5.0), (10.0, 5.0)];
        let plus_v: &[Pt] = &[(5.0, 0.0), (5.0, 10.0)];
        let touching: &[Pt] = &[(10.0, 5.0), (20.0, 5.0)];
        let far: &[Pt] = &[(30.0, 0.0), (30.0, 10.0)];
        assert_eq!(route_crossings(&[plus_h, plus_v]), 1);
        assert_eq!(route_crossings(&[plus_h, touching, far]), 0);
        // One arrow crossing itself is not counted.
        let zigzag: &[Pt] = &[(0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0)];
        assert_eq!(route_crossings(&[zigzag]), 0);
        // It crosses the horizontal twice; at x = 10 it only touches its end.
        assert_eq!(route_crossings(&[zigzag, plus_h]), 2);
    }

    #[test]
    fn plain_output_is_read_as_sampled_splines() {
        let plain = "graph 1 2 2\nnode n0 0.5 1 1 0.5 \"a\" solid box black lightgrey\n\
                     edge n0 n1 4 0 0 0.3 0 0.6 1 1 1 \"x\" 0.5 0.5 solid black\n\
                     edge n1 n0 4 0 1 0.2 1 0.9 0.1 1 0 solid black\n\
                     edge n1 n2 0 solid black\nstop\n";
        let dot = DotLayout::from_plain(plain);
        assert_eq!(dot.routes.len(), 2);
        assert_eq!(dot.routes[0].len(), 9);
        assert_eq!(dot.crossings(), 1);
    }
}
