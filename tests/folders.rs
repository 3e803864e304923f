//! Many models at once: `check DIR` and `build DIR` run models in parallel, yet print exactly what the single
//! runs print, in name order, every time.

use std::path::{Path, PathBuf};

mod support;
use support::{nagare, run};

/// A folder with three seed models, a broken one and a file that is not a model.
fn folder(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let models = dir.join("models");
    std::fs::create_dir(&models).expect("mkdir");
    for (from, to) in [
        ("models/shinjuku-5sai-kenshin.ron", "c-kenshin.ron"),
        ("models/iheat-jp.ron", "a-iheat.ron"),
        ("models/edogawa-telework.ron", "d-telework.ron"),
    ] {
        std::fs::copy(from, models.join(to)).expect("copy");
    }
    std::fs::write(models.join("b-broken.ron"), "Model(title: 1)").expect("write");
    std::fs::write(models.join("notes.txt"), "not a model").expect("write");
    let sorted = [
        "a-iheat.ron",
        "b-broken.ron",
        "c-kenshin.ron",
        "d-telework.ron",
    ]
    .iter()
    .map(|n| models.join(n))
    .collect();
    (models, sorted)
}

#[test]
fn checking_a_folder_prints_the_single_runs_in_name_order_and_one_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (models, sorted) = folder(dir.path());
    let (code, out, err) = run(nagare().arg("check").arg(&models));
    let mut singles = String::new();
    let mut worst = 0;
    for m in &sorted {
        let (c, o, _) = run(nagare().arg("check").arg(m));
        singles.push_str(&o);
        worst = worst.max(c);
    }
    assert_eq!(code, worst, "the folder exits like its worst model: {err}");
    assert_eq!(code, 2, "the broken model is an error");
    let (body, last) = out
        .trim_end_matches('\n')
        .rsplit_once('\n')
        .expect("a summary line");
    assert_eq!(
        format!("{body}\n"),
        singles,
        "byte for byte the single runs, in name order"
    );
    assert!(
        last.starts_with("4 モデル（エラーのあるモデル 1）: 指摘 ") && last.contains("件（重大 "),
        "{last}"
    );
    for _ in 0..3 {
        assert_eq!(run(nagare().arg("check").arg(&models)).1, out, "stable");
    }
    // JSON: one document whose models are the single runs' models, in the same order.
    let (_, json, _) = run(nagare().args(["check", "--format", "json"]).arg(&models));
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    let got = doc["models"].as_array().expect("models");
    assert_eq!(got.len(), 4);
    for (m, value) in sorted.iter().zip(got) {
        let (_, one, _) = run(nagare().args(["check", "--format", "json"]).arg(m));
        let one: serde_json::Value = serde_json::from_str(&one).expect("json");
        assert_eq!(&one["models"][0], value, "{}", m.display());
    }
}

#[test]
fn an_empty_folder_is_an_error_in_japanese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = run(nagare().arg("check").arg(dir.path()));
    assert_eq!(code, 2);
    assert!(err.contains("モデル（*.ron）がありません"), "{err}");
}

#[test]
fn building_a_folder_in_parallel_gives_the_same_lines_and_bytes_every_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let models = dir.path().join("models");
    std::fs::create_dir(&models).expect("mkdir");
    std::fs::copy("models/iheat-jp.ron", models.join("b-iheat.ron")).expect("copy");
    std::fs::copy(
        "models/shinjuku-5sai-kenshin.ron",
        models.join("c-kenshin.ron"),
    )
    .expect("copy");
    std::fs::write(models.join("a-broken.ron"), "Model(title: 1)").expect("write");
    let out_dir = dir.path().join("out");
    let build = || run(nagare().arg("build").arg(&models).arg("-o").arg(&out_dir));
    let files = |dir: &Path| {
        let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .expect("out")
            .map(|e| e.expect("entry").path())
            .map(|p| {
                let name = p.file_name().expect("name").to_string_lossy().into_owned();
                (name, std::fs::read(&p).expect("read"))
            })
            .collect();
        all.sort();
        all
    };
    let (code, first, _) = build();
    assert_eq!(code, 2, "{first}");
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines.len(), 4, "{first}");
    assert!(lines[0].contains("a-broken.ron → "), "{first}");
    assert!(lines[1].contains("b-iheat.ron → "), "{first}");
    assert!(lines[2].contains("c-kenshin.ron → "), "{first}");
    assert!(lines[3].starts_with("3 件のモデルから "), "{first}");
    let written = files(&out_dir);
    let (_, second, _) = build();
    assert_eq!(second, first, "same lines, same order");
    assert_eq!(files(&out_dir), written, "same files, same bytes");
    // One model built alone gives the same bytes as in the folder.
    let alone = dir.path().join("alone");
    let (code, _, err) = run(nagare()
        .arg("build")
        .arg(models.join("b-iheat.ron"))
        .arg("-o")
        .arg(&alone));
    assert_eq!(code, 0, "{err}");
    for (name, bytes) in files(&alone) {
        let in_folder = written.iter().find(|(n, _)| *n == name).expect("same file");
        assert!(in_folder.1 == bytes, "{name} differs");
    }
}
