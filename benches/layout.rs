//! Benchmark: both views of the diagram on the seed models and on synthetic office-wide models — time, arrow
//! crossings, geometry problems (text outside its box, overlapping texts or boxes), drawing area, and for the
//! committee view the printed pages on A4 and their smallest text.
//!
//! Run with `cargo bench --bench layout` (add sizes, e.g. `-- 100 300 1000`; `--no-committee` skips the
//! committee view on synthetic models, whose layout is still quadratic).

use std::path::PathBuf;
use std::time::Instant;

use nagare::model::Model;
use nagare::render::{self, Options, Page, Scene, View};

type Pt = (f64, f64);

/// Proper crossings between straight segments of different connectors (curves are skipped).
fn crossings(scene: &Scene) -> usize {
    let mut segs: Vec<(usize, Pt, Pt)> = Vec::new();
    for (k, c) in scene.connectors.iter().enumerate() {
        if c.curved || c.flow.is_none() {
            continue;
        }
        for w in c.points.windows(2) {
            segs.push((k, w[0], w[1]));
        }
    }
    segs.sort_by(|a, b| a.1 .0.min(a.2 .0).total_cmp(&b.1 .0.min(b.2 .0)));
    let mut count = 0;
    for (i, a) in segs.iter().enumerate() {
        let a_right = a.1 .0.max(a.2 .0);
        for b in &segs[i + 1..] {
            if b.1 .0.min(b.2 .0) > a_right {
                break;
            }
            if a.0 != b.0 && proper(a.1, a.2, b.1, b.2) {
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

fn options(view: View) -> Options {
    Options {
        view,
        highlight: true,
        page: Page::A4,
        landscape: true,
    }
}

fn measure(
    name: &str,
    model: &Model,
    findings: &[nagare::rules::engine::Finding],
    committee: bool,
) {
    let mut views = vec![View::Layered];
    if committee {
        views.insert(0, View::Committee);
    }
    for view in views {
        let start = Instant::now();
        let scene = render::build_scene(model, findings, &options(view));
        let secs = start.elapsed().as_secs_f64();
        match scene {
            Ok(scene) => {
                let pages = if view == View::Committee {
                    let o = options(view);
                    let start = Instant::now();
                    match render::build_pages(model, findings, &o) {
                        Ok(pages) => {
                            let area = render::page_area(&o);
                            let scale = pages
                                .iter()
                                .map(|p| render::pages::fit(p, area).0)
                                .fold(f64::INFINITY, f64::min);
                            let smallest = pages
                                .iter()
                                .flat_map(|p| &p.texts)
                                .map(|t| t.size)
                                .fold(f64::INFINITY, f64::min);
                            let page_crossings: usize = pages.iter().map(crossings).sum();
                            format!(
                                "{} pages, {:.1} pt, {} crossings, {:.2} s",
                                pages.len(),
                                smallest * scale,
                                page_crossings,
                                start.elapsed().as_secs_f64()
                            )
                        }
                        Err(e) => format!("pages failed: {e}"),
                    }
                } else {
                    "—".to_string()
                };
                println!(
                    "| {name} | {view:?} | {} | {} | {:.2} s | {} | {} | {:.0}×{:.0} | {pages} |",
                    model.parties.len() + model.systems.len(),
                    model.flows.len(),
                    secs,
                    crossings(&scene),
                    scene.geometry_problems().len(),
                    scene.width,
                    scene.height
                );
            }
            Err(e) => println!("| {name} | {view:?} | | | {secs:.2} s | failed: {e} | | | |"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![100, 300]
    } else {
        sizes
    };
    let committee_on_synth = !args.iter().any(|a| a == "--no-committee");
    let controls = nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls");
    let rules = nagare::rules::Catalogue::load(None)
        .map_err(|e| e.len())
        .expect("rules");
    println!("| model | view | nodes | flows | layout | crossings | geometry problems | canvas px | A4 pages, smallest text, crossings on pages, paging time |");
    println!("|---|---|---:|---:|---:|---:|---:|---|---|");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("models"))
        .expect("models/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    for path in paths {
        let loaded = nagare::model::load(&path, &controls);
        let Some(model) = loaded.model else { continue };
        let findings = nagare::rules::engine::run(&model, &rules, (2026, 4, 1));
        let name = path
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        measure(&name, &model, &findings, true);
    }
    for nodes in sizes {
        let text = nagare::synth::model_text(nodes, 42);
        let loaded =
            nagare::model::load_source(nagare::diag::Source::new("synth.ron", text), &controls);
        let model = loaded.model.expect("synthetic model is valid");
        let findings = nagare::rules::engine::run(&model, &rules, (2026, 4, 1));
        measure(
            &format!("synth {nodes}"),
            &model,
            &findings,
            committee_on_synth && nodes <= 300,
        );
    }
}
