//! Benchmark: `nagare check` stage by stage on synthetic office-wide models, with each stage's share, peak memory
//! and a ratio to a peer measured in the same run (parsing the same text as an untyped `ron::Value`, i.e. the cost
//! of just reading the file). The default shape is the finding-dense office of issue 12 (`synth::office`).
//!
//! `cargo bench --bench check -- [SIZES…] [--benign] [--runs R] [--draw-max N]`
//! e.g. `cargo bench --bench check -- 100 1000 10000 100000`. Sizes are systems (flows are 1.5×). Drawing (layout and
//! each writer) is timed for sizes up to `--draw-max` (default 300): the committee layout is not linear yet.
//! Peak memory is the process's high-water mark (VmHWM) after each size, so it is cumulative across sizes: run one
//! size per process to read one size's peak.
//!
//! What each stage times, as `nagare check` does it: "rules" is `rules::engine::find` (the graph, every rule on every
//! subject, the hits sorted into report order) less the graph's own time; the findings are not built there. "report
//! text" and "report JSON" each build every finding from its hit as they write it (`report::Findings::Found`), so
//! they include building the messages, ids, paths and covers, as the check's text report does.

use std::time::{Duration, Instant};

use codespan_reporting::term::termcolor::NoColor;

/// Median of `runs` timings; the value of the last run.
fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let value = f();
        times.push(start.elapsed());
        last = Some(value);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

/// The process's peak resident set (VmHWM) in MB, where /proc exists.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sizes = Vec::new();
    let mut benign = false;
    let mut runs_arg = None;
    let mut draw_max = 300;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--benign" => benign = true,
            "--runs" => {
                runs_arg = args.get(i + 1).and_then(|v| v.parse().ok());
                i += 1;
            }
            "--draw-max" => {
                draw_max = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(0);
                i += 1;
            }
            other => {
                if let Ok(n) = other.parse::<usize>() {
                    sizes.push(n);
                }
            }
        }
        i += 1;
    }
    if sizes.is_empty() {
        sizes = vec![100, 1_000, 10_000, 100_000];
    }
    let controls = nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls");
    let rules = nagare::rules::Catalogue::load(None)
        .map_err(|e| e.len())
        .expect("rules");
    let today = (2026, 4, 1);
    println!(
        "shape: {}",
        if benign {
            "benign (synth::model_text)"
        } else {
            "finding-dense (synth::office)"
        }
    );
    println!("| systems | flows | MB | findings | peer: ron::Value | load | validate | graph | rules | report text | report JSON | check total | total ÷ peer | peak MB |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut drawn_rows = Vec::new();
    for n in sizes {
        let text = if benign {
            nagare::synth::model_text(n, 42)
        } else {
            nagare::synth::office(n, 42).ron()
        };
        let runs = runs_arg.unwrap_or(if n >= 100_000 {
            3
        } else if n >= 10_000 {
            5
        } else {
            11
        });
        let source = || nagare::diag::Source::new("synth.ron", text.clone());
        let (peer, _) = median_of(runs, || {
            ron::from_str::<ron::Value>(&text)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        let src = source();
        let (load, parsed) = median_of(runs, || nagare::model::parse_only(&src));
        assert!(parsed.is_ok(), "synthetic model parses");
        let (load_validate, loaded) =
            median_of(runs, || nagare::model::load_source(source(), &controls));
        let validate = load_validate.saturating_sub(load);
        let model = loaded.model.as_ref().expect("synthetic model is valid");
        let (graph, _) = median_of(runs, || nagare::graph::FlowGraph::build(model));
        let (run, found) = median_of(runs, || nagare::rules::engine::find(model, &rules, today));
        let rules_only = run.saturating_sub(graph);
        let report = nagare::report::ModelReport {
            source: &loaded.source,
            model: loaded.model.as_ref(),
            diagnostics: &loaded.diagnostics,
            findings: nagare::report::Findings::Found(&found),
        };
        let (text_out, text_len) = median_of(runs, || {
            let mut out = NoColor::new(Vec::new());
            nagare::report::write_text(&report, &mut out).expect("text report");
            out.into_inner().len()
        });
        let (json_out, json_len) = median_of(runs, || {
            let mut out = Vec::new();
            nagare::report::write_json_reports(std::slice::from_ref(&report), &mut out)
                .expect("json report");
            out.len()
        });
        assert!(text_len > 0 && json_len > 0);
        let total = load_validate + run + text_out + json_out;
        let share = |d: Duration| {
            format!(
                "{:.1} ms ({:.0}%)",
                ms(d),
                100.0 * d.as_secs_f64() / total.as_secs_f64()
            )
        };
        println!(
            "| {} | {} | {:.1} | {} | {:.1} ms | {} | {} | {} | {} | {} | {} | {:.1} ms | {:.2}× | {} |",
            model.systems.len(),
            model.flows.len(),
            text.len() as f64 / 1_048_576.0,
            found.len(),
            ms(peer),
            share(load),
            share(validate),
            share(graph),
            share(rules_only),
            share(text_out),
            share(json_out),
            ms(total),
            total.as_secs_f64() / peer.as_secs_f64(),
            peak_mb().map_or("—".to_string(), |m| format!("{m:.0}"))
        );
        if n <= draw_max {
            // The diagram reads built findings (not timed).
            let findings = nagare::rules::engine::run(model, &rules, today);
            let options = nagare::render::Options {
                highlight: true,
                ..nagare::render::Options::default()
            };
            let draw_runs = runs.min(3);
            let (layout, scene) = median_of(draw_runs, || {
                nagare::render::build_scene(model, &findings, &options)
            });
            if let Err(e) = scene {
                drawn_rows.push(format!("| {n} | layout failed: {e} | | | |"));
                continue;
            }
            let (svg, _) = median_of(draw_runs, || {
                nagare::render::render_svg(model, &findings, &options).map(|s| s.len())
            });
            let (png, _) = median_of(draw_runs, || {
                nagare::render::render_bytes(
                    model,
                    &findings,
                    &options,
                    nagare::render::Format::Png,
                )
                .map(|b| b.len())
            });
            let (pdf, _) = median_of(draw_runs, || {
                nagare::render::render_pdf(model, &findings, &options).map(|b| b.len())
            });
            drawn_rows.push(format!(
                "| {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
                model.systems.len(),
                ms(layout),
                ms(svg.saturating_sub(layout)),
                ms(png.saturating_sub(svg)),
                ms(pdf)
            ));
        }
    }
    if !drawn_rows.is_empty() {
        println!();
        println!("Drawing (committee view, highlighted): layout = build_scene; SVG writer = render_svg − layout; PNG = render_bytes(png) − render_svg; PDF = render_pdf whole (its own page layouts included)");
        println!("| systems | layout | SVG writer | PNG (parse + raster) | PDF (pages, layout included) |");
        println!("|---:|---:|---:|---:|---:|");
        for row in drawn_rows {
            println!("{row}");
        }
    }
}
