//! Writes a `Scene` as SVG: one group per lane, card and arrow with an id from its subject, fixed one-decimal
//! precision, every string XML-escaped, text kept as text, no timestamps, so the same scene always gives the
//! same bytes.

use std::fmt::Write;

use super::font::FAMILY_LIST;
use std::collections::BTreeMap;

use super::scene::{BoxKind, BoxShape, Connector, Hop, LineStyle, Owner, Scene, Text, HOP_R};

/// Formats a coordinate with one decimal, never as "-0.0" (the draw.io writer uses it too).
pub(crate) fn n(v: f64) -> String {
    let s = format!("{:.1}", v);
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

pub(crate) use crate::markup::escape;

/// Where the drawing goes: its own size, or fitted into a page with margins (for PDF).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub width: f64,
    pub height: f64,
    /// The viewBox: x, y, w, h.
    pub view: (f64, f64, f64, f64),
}

impl Frame {
    pub(crate) fn natural(scene: &Scene) -> Frame {
        Frame {
            width: scene.width,
            height: scene.height,
            view: (0.0, 0.0, scene.width, scene.height),
        }
    }
}

/// One `<g>` of the written drawing: a subject (lane, card, arrow) with everything that draws it, or a box that
/// stands for none (the title, a legend) with its contents, or a decorative line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum GroupKey {
    Subject(Owner),
    /// The dashed frame of the party a subject runs on (a host), drawn under the arrows like the lanes.
    Host(Owner),
    /// A top-level box without a subject, and its children (index into `Scene::boxes`).
    Box(usize),
    /// A connector that draws no flow (a rule between the diagram and a lane's controls).
    Line(usize),
    /// Texts inside no box and of no subject.
    Loose,
}

/// The members of one group, in drawing order within it: connectors, then boxes, then texts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Group {
    pub connectors: Vec<usize>,
    pub boxes: Vec<usize>,
    pub texts: Vec<usize>,
}

/// Boxes drawn under the arrows.
fn in_back(kind: BoxKind) -> bool {
    matches!(
        kind,
        BoxKind::Title | BoxKind::Lane | BoxKind::LaneHeader | BoxKind::Legend | BoxKind::Frame
    )
}

/// Every group of the scene, in the order they are drawn: lanes and other back boxes, then arrows with their
/// labels, then cards, then stray texts. Each group keeps its members' scene order.
pub(crate) fn groups(scene: &Scene) -> Vec<(GroupKey, Group)> {
    let mut map: BTreeMap<GroupKey, (usize, Group)> = BTreeMap::new();
    let box_key = |b: usize| match scene.box_owner(b) {
        Some(o) if scene.boxes[b].kind == BoxKind::Frame && scene.owners.boxes.contains_key(&b) => {
            GroupKey::Host(o)
        }
        Some(o) => GroupKey::Subject(o),
        None => GroupKey::Box(scene.root_box(b)),
    };
    for (b, _) in scene.boxes.iter().enumerate() {
        let key = box_key(b);
        let len = map.len();
        map.entry(key)
            .or_insert_with(|| (len, Group::default()))
            .1
            .boxes
            .push(b);
    }
    for (c, con) in scene.connectors.iter().enumerate() {
        let key = match con.flow {
            Some(f) => GroupKey::Subject(Owner::Flow(f)),
            None => GroupKey::Line(c),
        };
        let len = map.len();
        map.entry(key)
            .or_insert_with(|| (len, Group::default()))
            .1
            .connectors
            .push(c);
    }
    for (t, text) in scene.texts.iter().enumerate() {
        let key = match (scene.text_owner(t), text.container) {
            (Some(o), _) => GroupKey::Subject(o),
            (None, Some(c)) => box_key(c),
            (None, None) => GroupKey::Loose,
        };
        let len = map.len();
        map.entry(key)
            .or_insert_with(|| (len, Group::default()))
            .1
            .texts
            .push(t);
    }
    let layer = |key: &GroupKey| match key {
        GroupKey::Subject(Owner::Lane(_)) | GroupKey::Host(_) => 0,
        GroupKey::Box(b) if scene.boxes.get(*b).is_some_and(|x| in_back(x.kind)) => 0,
        GroupKey::Line(_) | GroupKey::Subject(Owner::Flow(_)) => 1,
        GroupKey::Subject(_) | GroupKey::Box(_) => 2,
        GroupKey::Loose => 3,
    };
    let mut out: Vec<(u8, usize, GroupKey, Group)> = map
        .into_iter()
        .map(|(k, (first, g))| (layer(&k), first, k, g))
        .collect();
    out.sort_by_key(|(l, first, k, _)| (*l, *first, *k));
    out.into_iter().map(|(_, _, k, g)| (k, g)).collect()
}

/// The group's id: from its subject (`lane-2`, `party-1`, `system-3`, `flow-12`, numbered as in the model from 1),
/// else from what it is and its place among its kind (`title-1`, `legend-1`, `line-2`).
pub(crate) fn group_ids(scene: &Scene, groups: &[(GroupKey, Group)]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    groups
        .iter()
        .map(|(key, _)| {
            let base = match key {
                GroupKey::Subject(o) => subject_id(*o),
                GroupKey::Host(o) => format!("{}-host", subject_id(*o)),
                GroupKey::Box(b) | GroupKey::Line(b) => {
                    let kind = match (key, scene.boxes.get(*b).map(|x| x.kind)) {
                        (GroupKey::Line(_), _) => "line",
                        (_, Some(BoxKind::Title)) => "title",
                        (_, Some(BoxKind::Legend)) => "legend",
                        (_, Some(BoxKind::Frame)) => "frame",
                        (_, Some(BoxKind::FlowLabel)) => "label",
                        _ => "box",
                    };
                    let n = counts.entry(kind).or_insert(0);
                    *n += 1;
                    format!("{kind}-{n}")
                }
                GroupKey::Loose => "texts".to_string(),
            };
            // Ids are unique by construction; should a layout ever draw one subject twice, the second copy
            // gets a suffix rather than a duplicate id.
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}-{n}")
            }
        })
        .collect()
}

/// A subject's id: its kind and its place in the model, counted from 1.
fn subject_id(o: Owner) -> String {
    match o {
        Owner::Lane(p) => format!("lane-{}", p + 1),
        Owner::Party(p) => format!("party-{}", p + 1),
        Owner::System(s) => format!("system-{}", s + 1),
        Owner::Flow(f) => format!("flow-{}", f + 1),
    }
}

/// The group's name for people (`data-name`, `<title>`): the subject's name, or what the box is.
pub(crate) fn group_name(scene: &Scene, key: &GroupKey) -> String {
    match key {
        GroupKey::Subject(o) => {
            let name = scene.owners.names.get(o).cloned().unwrap_or_default();
            let what = match o {
                Owner::Lane(_) => "レーン",
                Owner::Party(_) => "主体",
                Owner::System(_) => "システム",
                Owner::Flow(_) => "流れ",
            };
            if name.is_empty() {
                what.to_string()
            } else {
                format!("{what}: {name}")
            }
        }
        GroupKey::Host(o) => format!(
            "基盤の枠: {}",
            scene.owners.names.get(o).cloned().unwrap_or_default()
        ),
        GroupKey::Box(b) => match scene.boxes.get(*b).map(|x| x.kind) {
            Some(BoxKind::Title) => "表題".to_string(),
            Some(BoxKind::Legend) => "凡例".to_string(),
            _ => "枠".to_string(),
        },
        GroupKey::Line(_) => "区切り線".to_string(),
        GroupKey::Loose => "文字".to_string(),
    }
}

/// The SVG document for a scene: one `<g id="…" data-name="…">` per lane, card, arrow (with its label and step
/// number) and legend, so a drawing program selects and moves each as one piece.
pub(crate) fn write(scene: &Scene, frame: Frame) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let (vx, vy, vw, vh) = frame.view;
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="{INKSCAPE}" width="{}" height="{}" viewBox="{} {} {} {}" font-family="{}">"#,
        n(frame.width),
        n(frame.height),
        n(vx),
        n(vy),
        n(vw),
        n(vh),
        escape(FAMILY_LIST)
    );
    let _ = writeln!(
        out,
        r##"<rect id="background" x="{}" y="{}" width="{}" height="{}" fill="#ffffff"/>"##,
        n(vx),
        n(vy),
        n(vw),
        n(vh)
    );
    let groups = groups(scene);
    let ids = group_ids(scene, &groups);
    for ((key, g), id) in groups.iter().zip(&ids) {
        let name = escape(&group_name(scene, key));
        let _ = writeln!(
            out,
            r#"<g id="{}" data-name="{name}" inkscape:label="{name}">"#,
            escape(id)
        );
        let _ = writeln!(out, "<title>{name}</title>");
        for &c in &g.connectors {
            write_connector(&mut out, &scene.connectors[c], scene.hops_of(c));
        }
        for &b in &g.boxes {
            write_box(&mut out, &scene.boxes[b]);
        }
        for &t in &g.texts {
            write_text(&mut out, &scene.texts[t]);
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Each group's id and name, for naming the groups again after usvg has rewritten the SVG (text as outlines).
pub(crate) fn group_names(scene: &Scene) -> BTreeMap<String, String> {
    let groups = groups(scene);
    let ids = group_ids(scene, &groups);
    groups
        .iter()
        .zip(ids)
        .map(|((key, _), id)| (id, group_name(scene, key)))
        .collect()
}

/// Gives every `<g id="…">` that usvg wrote back its `data-name` and `<title>` (usvg keeps ids and drops the
/// rest). One pass over the text.
pub(crate) fn name_groups(svg: &str, names: &BTreeMap<String, String>) -> String {
    const OPEN: &str = "<g id=\"";
    let mut out = String::with_capacity(svg.len() + names.len() * 64);
    let mut rest = svg;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let Some(end) = after.find('"') else {
            break;
        };
        let id = &after[..end];
        out.push_str(&rest[..at + OPEN.len() + end + 1]);
        rest = &after[end + 1..];
        // Only a tag that closes right after the id: usvg writes a group's other attributes before its id.
        if let (Some(name), Some(tail)) = (names.get(id), rest.strip_prefix('>')) {
            let name = escape(name);
            let _ = write!(out, r#" data-name="{name}"><title>{name}</title>"#);
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Inkscape's namespace, for `inkscape:label` (the name its Objects panel shows).
const INKSCAPE: &str = "http://www.inkscape.org/namespaces/inkscape";

fn write_text(out: &mut String, t: &Text) {
    // A 変更箇所 is bold and underlined, as the seeds mark an amended paper. The embedded font has one
    // weight, so bold is a thin outline in the text's colour.
    let decoration = if t.underline {
        format!(
            r#" stroke="{}" stroke-width="0.5" text-decoration="underline""#,
            t.color
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" fill="{}"{decoration}>{}</text>"#,
        n(t.x),
        n(t.y),
        n(t.size),
        t.color,
        escape(&t.text)
    );
}

fn write_box(out: &mut String, b: &BoxShape) {
    let r = b.rect;
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}""#,
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h)
    );
    if b.radius > 0.0 {
        let _ = write!(out, r#" rx="{}""#, n(b.radius));
    }
    let _ = write!(out, r#" fill="{}""#, b.fill.unwrap_or("none"));
    if let Some(s) = b.stroke {
        let _ = write!(
            out,
            r#" stroke="{}" stroke-width="{}""#,
            s,
            n(b.stroke_width)
        );
        if b.dashed {
            out.push_str(r#" stroke-dasharray="5 3""#);
        }
    }
    out.push_str("/>\n");
}

fn write_connector(out: &mut String, c: &Connector, hops: &[Hop]) {
    if c.points.len() < 2 {
        return;
    }
    let mut d = String::new();
    let (x0, y0) = c.points[0];
    let _ = write!(d, "M{} {}", n(x0), n(y0));
    if c.curved {
        for ch in c.points[1..].chunks(3) {
            if let [p1, p2, p3] = ch {
                let _ = write!(
                    d,
                    " C{} {} {} {} {} {}",
                    n(p1.0),
                    n(p1.1),
                    n(p2.0),
                    n(p2.1),
                    n(p3.0),
                    n(p3.1)
                );
            }
        }
    } else {
        for (i, (x, y)) in c.points[1..].iter().enumerate() {
            // A line hop: up to the crossing, a semicircle over it (above, or to the right of a vertical line).
            let (px, py) = c.points[i];
            let len = ((x - px).powi(2) + (y - py).powi(2)).sqrt().max(1e-9);
            let (ux, uy) = ((x - px) / len, (y - py) / len);
            let sweep = u8::from(ux > 0.0 || uy > 0.0);
            for h in hops.iter().filter(|h| h.segment == i) {
                let _ = write!(
                    d,
                    " L{} {} A{r} {r} 0 0 {sweep} {} {}",
                    n(h.x - ux * HOP_R),
                    n(h.y - uy * HOP_R),
                    n(h.x + ux * HOP_R),
                    n(h.y + uy * HOP_R),
                    r = n(HOP_R)
                );
            }
            let _ = write!(d, " L{} {}", n(*x), n(*y));
        }
    }
    let dash = match c.style {
        LineStyle::Solid => "",
        LineStyle::Dashed => r#" stroke-dasharray="7 4""#,
        LineStyle::Dotted => r#" stroke-dasharray="2 3""#,
    };
    let _ = writeln!(
        out,
        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"{dash}/>"#,
        c.color,
        n(c.width)
    );
    if let Some([a, b, t]) = c.head {
        let _ = writeln!(
            out,
            r#"<path d="M{} {} L{} {} L{} {} Z" fill="{}" stroke="none"/>"#,
            n(a.0),
            n(a.1),
            n(b.0),
            n(b.1),
            n(t.0),
            n(t.1),
            c.color
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<script>alert(1)</script> & "q""#),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn names_the_groups_usvg_wrote_back() {
        let names: BTreeMap<String, String> = [
            ("flow-1".to_string(), "流れ: ① <申請>".to_string()),
            ("system-2".to_string(), "システム: 住記".to_string()),
        ]
        .into();
        let svg =
            r#"<g id="flow-1"><path/></g><g id="system-2" opacity="0.5"><path/></g><g id="other">"#;
        assert_eq!(
            name_groups(svg, &names),
            r#"<g id="flow-1" data-name="流れ: ① &lt;申請&gt;"><title>流れ: ① &lt;申請&gt;</title><path/></g><g id="system-2" opacity="0.5"><path/></g><g id="other">"#
        );
    }

    #[test]
    fn a_crossing_arrow_hops_in_its_path() {
        let line = |points: Vec<(f64, f64)>| Connector {
            points,
            curved: false,
            color: "#000",
            width: 1.0,
            style: LineStyle::Solid,
            head: None,
            flow: None,
        };
        let mut scene = Scene {
            width: 100.0,
            height: 100.0,
            ..Scene::default()
        };
        scene
            .connectors
            .push(line(vec![(50.0, 0.0), (50.0, 100.0)]));
        scene
            .connectors
            .push(line(vec![(0.0, 40.0), (100.0, 40.0)]));
        scene.add_hops();
        let svg = write(&scene, Frame::natural(&scene));
        assert!(svg.contains(r#"d="M50.0 0.0 L50.0 100.0""#), "{svg}");
        assert!(
            svg.contains(r#"d="M0.0 40.0 L45.5 40.0 A4.5 4.5 0 0 1 54.5 40.0 L100.0 40.0""#),
            "{svg}"
        );
    }

    #[test]
    fn formats_without_negative_zero() {
        assert_eq!(n(-0.01), "0.0");
        assert_eq!(n(1.26), "1.3");
        assert_eq!(n(12.0), "12.0");
    }
}
