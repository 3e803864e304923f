//! Benchmark: both views of the diagram on the seed models and on synthetic office-wide models — time, arrow
//! crossings, overlaps, text outside its box, flows drawn, canvas, and for the committee view the printed pages
//! on A4 and their smallest text. For the layered view it also runs Graphviz `dot` on nagare's DOT export of the
//! same graph in the same run (a subprocess, timed from start to exit) and prints the time ratio, both crossing
//! counts and how many edges each drew. Without `dot` on the PATH those columns say so.
//!
//! Run with `cargo bench --bench layout` (add sizes, e.g. `-- 100 300 1000 3000`; `--no-committee` skips the
//! committee view on synthetic models, whose layout is still quadratic; `--no-dot` skips Graphviz;
//! `--dot-timeout=SECS` stops a `dot` run after SECS seconds, 120 by default; `--dot-clusters` gives `dot` the
//! export with a cluster per role, as `nagare render -o x.dot` writes it, instead of the same graph without
//! clusters, which Graphviz lays out much faster). With `NAGARE_BENCH_DOT_DIR=DIR` set, each DOT given to `dot`
//! is also saved there as `NODES-FLOWS.dot`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nagare::model::Model;
use nagare::render::quality::{DotLayout, Quality};
use nagare::render::{self, Options, View};

fn options(view: View) -> Options {
    Options {
        view,
        highlight: true,
        ..Options::default()
    }
}

/// What a `dot -Tplain` run gave: its time, or that it was stopped or failed.
enum DotRun {
    Done(f64, DotLayout),
    TimedOut(f64),
    Failed(String),
}

fn run_dot(dot_text: &str, timeout: f64) -> DotRun {
    let start = Instant::now();
    let child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return DotRun::Failed(e.to_string()),
    };
    if let Some(mut stdin) = child.stdin.take() {
        if let Err(e) = stdin.write_all(dot_text.as_bytes()) {
            return DotRun::Failed(e.to_string());
        }
    }
    // Read stdout on a thread so a big layout never blocks on a full pipe while we watch the clock.
    let Some(mut stdout) = child.stdout.take() else {
        return DotRun::Failed("no stdout".into());
    };
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let secs = start.elapsed().as_secs_f64();
                let text = reader.join().unwrap_or_default();
                if !status.success() {
                    return DotRun::Failed(format!("dot exited with {status}"));
                }
                return DotRun::Done(secs, DotLayout::from_plain(&text));
            }
            Ok(None) if start.elapsed().as_secs_f64() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return DotRun::TimedOut(timeout);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return DotRun::Failed(e.to_string()),
        }
    }
}

struct Run {
    committee: bool,
    /// Run `dot` with this timeout (s).
    dot: Option<f64>,
    /// Give `dot` the export with a cluster per role (as `render -o x.dot` writes it) instead of without.
    clusters: bool,
}

fn measure(name: &str, model: &Model, findings: &[nagare::rules::engine::Finding], run: &Run) {
    let mut views = vec![View::Layered];
    if run.committee {
        views.insert(0, View::Committee);
    }
    let area = render::page_area(&options(View::Layered));
    for view in views {
        let o = options(view);
        let start = Instant::now();
        let scene = render::build_scene(model, findings, &o);
        let secs = start.elapsed().as_secs_f64();
        let scene = match scene {
            Ok(s) => s,
            Err(e) => {
                println!("| {name} | {view:?} | | | {secs:.2} s | failed: {e} | | | | | |");
                continue;
            }
        };
        let q = Quality::of_pages(std::slice::from_ref(&scene), model.flows.len(), area);
        let drawn = model.flows.len() - q.missing.len();
        let extra = if view == View::Committee {
            let start = Instant::now();
            match render::build_pages(model, findings, &o) {
                Ok(pages) => {
                    let pq = Quality::of_pages(&pages, model.flows.len(), area);
                    format!(
                        "{} pages, {:.1} pt, {} crossings, {} overlaps, {:.2} s",
                        pages.len(),
                        pq.smallest_pt,
                        pq.crossings,
                        pq.overlaps,
                        start.elapsed().as_secs_f64()
                    )
                }
                Err(e) => format!("pages failed: {e}"),
            }
        } else {
            match run.dot {
                None => "—".to_string(),
                Some(timeout) => dot_columns(model, findings, &o, secs, timeout, run.clusters),
            }
        };
        println!(
            "| {name} | {view:?} | {} | {} | {:.2} s | {} | {} | {} | {drawn}/{} | {:.1} pt | {extra} |",
            model.parties.len() + model.systems.len(),
            model.flows.len(),
            secs,
            q.crossings,
            q.overlaps,
            q.text_outside,
            model.flows.len(),
            q.smallest_pt,
        );
    }
}

/// dot's time, the ratio (dot ÷ nagare, above 1 means nagare is faster), its crossings and the edges it drew.
fn dot_columns(
    model: &Model,
    findings: &[nagare::rules::engine::Finding],
    o: &Options,
    nagare_secs: f64,
    timeout: f64,
    clusters: bool,
) -> String {
    let text = match render::dot_text(model, findings, o, clusters) {
        Ok(t) => t,
        Err(e) => return format!("DOT export failed: {e}"),
    };
    if let Ok(dir) = std::env::var("NAGARE_BENCH_DOT_DIR") {
        let path = PathBuf::from(dir).join(format!(
            "{}-{}.dot",
            model.parties.len() + model.systems.len(),
            model.flows.len()
        ));
        if let Err(e) = std::fs::write(&path, &text) {
            println!("({}: {e})", path.display());
        }
    }
    match run_dot(&text, timeout) {
        DotRun::Done(secs, layout) => format!(
            "{secs:.2} s, ×{:.2}, {} crossings, {}/{} edges",
            secs / nagare_secs.max(1e-9),
            layout.crossings(),
            layout.routes.len(),
            model.flows.len()
        ),
        DotRun::TimedOut(t) => format!("> {t:.0} s (stopped), ×> {:.1}", t / nagare_secs.max(1e-9)),
        DotRun::Failed(e) => format!("dot failed: {e}"),
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
    let clusters = args.iter().any(|a| a == "--dot-clusters");
    let timeout = args
        .iter()
        .find_map(|a| a.strip_prefix("--dot-timeout="))
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(120.0);
    let dot_installed = Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let dot = if args.iter().any(|a| a == "--no-dot") {
        println!("(Graphviz skipped: --no-dot)");
        None
    } else if dot_installed {
        Some(timeout)
    } else {
        println!("(Graphviz `dot` is not installed: the dot columns are left out)");
        None
    };
    let controls = nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls");
    let rules = nagare::rules::Catalogue::load(None)
        .map_err(|e| e.len())
        .expect("rules");
    println!("| model | view | nodes | flows | layout | crossings | overlaps | text outside | flows drawn | smallest on A4 | committee: A4 pages, smallest, crossings, overlaps, paging time — layered: dot -Tplain time, ratio dot/nagare, dot crossings, dot edges drawn |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
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
        measure(
            &name,
            &model,
            &findings,
            &Run {
                committee: true,
                dot,
                clusters,
            },
        );
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
            &Run {
                committee: committee_on_synth && nodes <= 300,
                dot,
                clusters,
            },
        );
    }
}
