//! Writes a `Scene` as SVG: fixed one-decimal precision, every string XML-escaped, text kept as text,
//! no timestamps or ids that could vary, so the same scene always gives the same bytes.

use std::fmt::Write;

use super::font::FAMILY_LIST;
use super::scene::{BoxKind, BoxShape, Connector, Hop, LineStyle, Scene, HOP_R};

/// Formats a coordinate with one decimal, never as "-0.0".
fn n(v: f64) -> String {
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

/// The SVG document for a scene.
pub(crate) fn write(scene: &Scene, frame: Frame) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let (vx, vy, vw, vh) = frame.view;
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="{} {} {} {}" font-family="{}">"#,
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
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff"/>"##,
        n(vx),
        n(vy),
        n(vw),
        n(vh)
    );
    let back = |b: &BoxShape| {
        matches!(
            b.kind,
            BoxKind::Title | BoxKind::Lane | BoxKind::LaneHeader | BoxKind::Legend | BoxKind::Frame
        )
    };
    out.push_str("<g>\n");
    for b in scene.boxes.iter().filter(|b| back(b)) {
        write_box(&mut out, b);
    }
    out.push_str("</g>\n<g fill=\"none\" stroke-linejoin=\"round\">\n");
    for (i, c) in scene.connectors.iter().enumerate() {
        write_connector(&mut out, c, scene.hops_of(i));
    }
    out.push_str("</g>\n<g>\n");
    for b in scene.boxes.iter().filter(|b| !back(b)) {
        write_box(&mut out, b);
    }
    out.push_str("</g>\n<g>\n");
    for t in &scene.texts {
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
    out.push_str("</g>\n</svg>\n");
    out
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
        r#"<path d="{d}" stroke="{}" stroke-width="{}"{dash}/>"#,
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
