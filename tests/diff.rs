//! `nagare diff` and `render --changes-from`: the 変更箇所 between two versions of a model, as a clerk reads it.

use std::path::{Path, PathBuf};

mod support;
use support::{nagare, run};

/// The IHEAT model and a copy of it in `dir` with one item added (「緊急連絡先」) and step ④ relabelled.
fn versions(dir: &Path) -> (PathBuf, PathBuf) {
    let old = PathBuf::from("models/iheat-jp.ron");
    let text = std::fs::read_to_string(&old).expect("model");
    let amended = text
        .replacen(
            "\"メールアドレス\": (),\n",
            "\"メールアドレス\": (),\n        \"緊急連絡先\": (),\n",
            1,
        )
        .replacen(
            "label: \"IHEAT要員の登録\",",
            "label: \"IHEAT要員の登録・更新\",",
            1,
        );
    assert_eq!(amended.matches("緊急連絡先").count(), 1, "item added");
    assert_eq!(
        amended.matches("IHEAT要員の登録・更新").count(),
        1,
        "label changed"
    );
    let new = dir.join("iheat-jp-v2.ron");
    std::fs::write(&new, amended).expect("write copy");
    (old, new)
}

/// `render NEW --changes-from OLD -o changes.svg` in `dir`: the SVG's text (the run must succeed).
fn render_changes(dir: &Path, old: &Path, new: &Path) -> String {
    let svg = dir.join("changes.svg");
    let (code, out, err) = run(nagare()
        .arg("render")
        .arg(new)
        .arg("--changes-from")
        .arg(old)
        .arg("-o")
        .arg(&svg));
    assert_eq!(code, 0, "{out}{err}");
    std::fs::read_to_string(&svg).expect("svg")
}

/// The change blocks of the text output: 「［区分］項目」 lines.
fn change_lines(out: &str) -> Vec<&str> {
    out.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('［'))
        .collect()
}

#[test]
fn one_item_added_and_one_label_changed_are_exactly_the_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (old, new) = versions(dir.path());
    let (code, out, err) = run(nagare().arg("diff").arg(&old).arg(&new));
    assert_eq!(code, 0, "{out}{err}");
    // The two model changes, and the one finding the new unused item introduces (DC003, 低): nothing else.
    assert_eq!(
        change_lines(&out),
        vec![
            "［追加］情報項目「緊急連絡先」",
            "［変更］流れ④「IHEAT要員の登録」の名称",
            "［追加］指摘 DC003@model（情報項目がどの流れ・システムにも現れない）",
        ],
        "{out}"
    );
    assert!(out.contains("変更前: IHEAT要員の登録\n"), "{out}");
    assert!(out.contains("変更後: IHEAT要員の登録・更新\n"), "{out}");
    assert!(
        out.contains("変更箇所 2 件（追加 1・削除 0・変更 1）、指摘 新規 1・解消 0・変更 0"),
        "{out}"
    );
}

#[test]
fn the_reverse_diff_removes_what_was_added_and_resolves_the_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (old, new) = versions(dir.path());
    let (code, out, _) = run(nagare().arg("diff").arg(&new).arg(&old));
    assert_eq!(code, 0);
    assert_eq!(
        change_lines(&out),
        vec![
            "［削除］情報項目「緊急連絡先」",
            "［変更］流れ④「IHEAT要員の登録・更新」の名称",
            "［削除］指摘 DC003@model（情報項目がどの流れ・システムにも現れない）",
        ],
        "{out}"
    );
    assert!(out.contains("変更後: 解消"), "{out}");
}

#[test]
fn identical_models_give_no_changes() {
    let (code, out, _) = run(nagare().args(["diff", "models/iheat-jp.ron", "models/iheat-jp.ron"]));
    assert_eq!(code, 0);
    assert!(out.contains("\n変更なし\n"), "{out}");
    assert!(change_lines(&out).is_empty(), "{out}");
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (old, new) = versions(dir.path());
    let stdout = |_: ()| run(nagare().arg("diff").arg(&old).arg(&new)).1;
    assert_eq!(stdout(()), stdout(()));
    for ext in ["md", "html", "xlsx"] {
        let mut bytes = Vec::new();
        for k in 0..2 {
            let path = dir.path().join(format!("changes{k}.{ext}"));
            let (code, out, err) = run(nagare()
                .arg("diff")
                .arg(&old)
                .arg(&new)
                .arg("-o")
                .arg(&path));
            assert_eq!(code, 0, "{out}{err}");
            bytes.push(std::fs::read(&path).expect("written"));
        }
        assert_eq!(bytes[0], bytes[1], ".{ext} differs between runs");
    }
    let md = std::fs::read_to_string(dir.path().join("changes0.md")).expect("md");
    assert!(md.contains("| 項目 | 区分 | 変更前 | 変更後 |"), "{md}");
    assert!(
        md.contains(
            "| 流れ④「IHEAT要員の登録」の名称 | 変更 | IHEAT要員の登録 | IHEAT要員の登録・更新 |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| 情報項目「緊急連絡先」 | 追加 | － | 緊急連絡先 |"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.path().join("changes0.html")).expect("html");
    assert!(html.contains("<svg"), "the HTML carries the diagram");
    // The xlsx is a workbook whose sheets hold the two tables, every cell a string.
    let xlsx = std::fs::File::open(dir.path().join("changes0.xlsx")).expect("xlsx");
    let mut zip = zip::ZipArchive::new(xlsx).expect("zip");
    let mut shared = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").expect("strings"),
        &mut shared,
    )
    .expect("read");
    assert!(shared.contains("IHEAT要員の登録・更新"), "{shared}");
}

#[test]
fn render_changes_from_marks_the_changed_step_and_adds_the_legend() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (old, new) = versions(dir.path());
    let text = render_changes(dir.path(), &old, &new);
    let underlined: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("text-decoration=\"underline\""))
        .collect();
    assert!(
        underlined
            .iter()
            .any(|l| l.contains(">④ IHEAT要員の登録・更新<")),
        "step ④'s label is underlined: {underlined:?}"
    );
    assert!(
        underlined
            .iter()
            .any(|l| l.contains("太線・下線: 変更箇所（iheat-jp.ronからの追加・変更）")),
        "{underlined:?}"
    );
    assert_eq!(
        underlined.len(),
        2,
        "only the changed step and the legend: {underlined:?}"
    );
    assert!(text.contains("追加・変更した情報項目: 緊急連絡先"));
    // Without --changes-from nothing is underlined.
    let plain = dir.path().join("plain.svg");
    let (code, _, _) = run(nagare().arg("render").arg(&new).arg("-o").arg(&plain));
    assert_eq!(code, 0);
    assert!(!std::fs::read_to_string(&plain)
        .expect("svg")
        .contains("text-decoration"));
}

#[test]
fn a_change_with_nothing_to_mark_is_named_in_the_legend_not_called_no_change() {
    // Only the number of people changes: 基本情報, which has no box or arrow in the diagram.
    let dir = tempfile::tempdir().expect("tempdir");
    let old = PathBuf::from("models/iheat-jp.ron");
    let text = std::fs::read_to_string(&old).expect("model");
    let amended = text.replacen("count: 20)", "count: 25)", 1);
    assert_ne!(amended, text, "count changed");
    let new = dir.path().join("iheat-jp-v2.ron");
    std::fs::write(&new, amended).expect("write copy");
    let text = render_changes(dir.path(), &old, &new);
    assert!(
        text.contains("図に印のない変更: 基本情報の対象者"),
        "{text}"
    );
    assert!(!text.contains("変更なし"));
}

#[test]
fn the_readme_example_works() {
    let (code, out, err) = run(nagare().args([
        "diff",
        "models/iheat-jp.ron",
        "tests/fixtures/diff/iheat-jp-amended.ron",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        change_lines(&out).contains(&"［追加］情報項目「緊急連絡先」"),
        "{out}"
    );
    assert!(
        change_lines(&out).contains(&"［変更］流れ④「IHEAT要員の登録」の名称"),
        "{out}"
    );
}

#[test]
fn a_model_with_errors_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "Model(title: 1)").expect("write");
    let (code, _, err) = run(nagare().args(["diff", "models/iheat-jp.ron"]).arg(&bad));
    assert_eq!(code, 2);
    assert!(err.contains("bad.ron"), "{err}");
}

#[test]
fn the_library_marks_the_changed_step_and_item_and_lays_them_out_cleanly() {
    let controls = nagare::controls::Catalogue::builtin().unwrap_or_else(|_| panic!("controls"));
    let rules = nagare::rules::Catalogue::load(None).unwrap_or_else(|_| panic!("rules"));
    let load = |path: &Path| {
        nagare::model::load(path, &controls)
            .model
            .unwrap_or_else(|| panic!("{} loads", path.display()))
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (old, new) = versions(dir.path());
    let (old, new) = (load(&old), load(&new));
    let today = (2025, 4, 1);
    let old_findings = nagare::rules::engine::run(&old, &rules, today);
    let new_findings = nagare::rules::engine::run(&new, &rules, today);
    let diff = nagare::diff::diff(&old, &new, &old_findings, &new_findings);
    let marks = diff.marks("iheat-jp.ron");
    assert_eq!(marks.flows.iter().collect::<Vec<_>>(), vec!["4"]);
    assert_eq!(marks.items, vec!["緊急連絡先".to_string()]);
    assert!(marks.systems.is_empty() && marks.parties.is_empty() && marks.removed.is_empty());
    for view in [
        nagare::render::View::Committee,
        nagare::render::View::Layered,
    ] {
        let options = nagare::render::Options {
            view,
            highlight: true,
            changes: Some(marks.clone()),
            ..nagare::render::Options::default()
        };
        let scene = nagare::render::build_scene(&new, &new_findings, &options).expect("scene");
        assert!(
            scene.geometry_problems().is_empty(),
            "{view:?}: {:?}",
            scene.geometry_problems()
        );
        assert!(scene
            .texts
            .iter()
            .any(|t| t.underline && t.text.contains("IHEAT要員の登録・更新")));
    }
}
