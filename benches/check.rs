//! Benchmark: `nagare check` on synthetic office-wide models, reported as ratios to a peer measured in the
//! same run (parsing the same text as an untyped `ron::Value`, i.e. the cost of just reading the file).
//!
//! Run with `cargo bench --bench check` (add `-- 100000` to pick sizes).

use std::time::{Duration, Instant};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    let controls = nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls");
    let rules = nagare::rules::Catalogue::load(None)
        .map_err(|e| e.len())
        .expect("rules");
    println!("| nodes | flows | MB | peer: ron::Value parse | load+validate | rules | total | total ÷ peer | findings |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for nodes in sizes {
        let text = nagare::synth::model_text(nodes, 42);
        let runs = if nodes >= 100_000 { 3 } else { 5 };
        let (peer, _) = best_of(runs, || {
            ron::from_str::<ron::Value>(&text)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        let (load, loaded) = best_of(runs, || {
            nagare::model::load_source(
                nagare::diag::Source::new("synth.ron", text.clone()),
                &controls,
            )
        });
        let model = loaded.model.expect("synthetic model is valid");
        let (check, findings) = best_of(runs, || {
            nagare::rules::engine::run(&model, &rules, (2026, 4, 1))
        });
        let total = load + check;
        println!(
            "| {} | {} | {:.1} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.2}× | {} |",
            model.parties.len() + model.systems.len(),
            model.flows.len(),
            text.len() as f64 / 1_048_576.0,
            peer.as_secs_f64() * 1e3,
            load.as_secs_f64() * 1e3,
            check.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            total.as_secs_f64() / peer.as_secs_f64(),
            findings.len()
        );
    }
}
