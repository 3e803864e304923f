//! `nagare build`: every output of every model in one command, the same bytes as the single commands give.

use std::path::Path;

use assert_cmd::Command;

mod support;
use support::nagare;

fn run(cmd: &mut Command) -> (i32, Vec<u8>, String) {
    let out = cmd.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn build_writes_what_check_render_and_report_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().join("out");
    let (code, stdout, err) = run(nagare()
        .args(["build", "models/iheat-jp.ron", "-o"])
        .arg(&out_dir));
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert_eq!(code, 0, "{stdout}{err}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one line per model and a final line: {stdout}"
    );
    assert!(
        lines[0].starts_with("models/iheat-jp.ron → ")
            && lines[0]
                .contains("iheat-jp.{svg,png,pdf,drawio,json,check.txt,report.html,report.xlsx}")
            && lines[0].contains("指摘 "),
        "{stdout}"
    );
    assert!(lines[1].contains("1 件のモデルから 8 ファイル"), "{stdout}");

    // The same bytes as the single commands.
    let (_, check_text, _) = run(nagare().args(["check", "models/iheat-jp.ron"]));
    assert_eq!(read(&out_dir.join("iheat-jp.check.txt")), check_text);
    let (_, check_json, _) =
        run(nagare().args(["check", "--format", "json", "models/iheat-jp.ron"]));
    assert_eq!(read(&out_dir.join("iheat-jp.json")), check_json);
    for ext in ["svg", "png", "pdf", "drawio"] {
        let single = dir.path().join(format!("single.{ext}"));
        let (code, _, err) = run(nagare()
            .args(["render", "models/iheat-jp.ron", "--highlight", "-o"])
            .arg(&single));
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            read(&out_dir.join(format!("iheat-jp.{ext}"))),
            read(&single),
            ".{ext} differs from render --highlight"
        );
    }
    for (ext, highlight) in [("html", true), ("xlsx", false)] {
        let single = dir.path().join(format!("single.{ext}"));
        let mut cmd = nagare();
        cmd.args(["report", "models/iheat-jp.ron", "-o"])
            .arg(&single);
        if highlight {
            cmd.arg("--highlight");
        }
        let (code, _, err) = run(&mut cmd);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            read(&out_dir.join(format!("iheat-jp.report.{ext}"))),
            read(&single),
            ".report.{ext} differs from nagare report"
        );
    }

    // A second build gives the same bytes.
    let again = dir.path().join("again");
    let (code, _, _) = run(nagare()
        .args(["build", "models/iheat-jp.ron", "-o"])
        .arg(&again));
    assert_eq!(code, 0);
    for suffix in nagare::build::OUTPUTS {
        let name = format!("iheat-jp{suffix}");
        assert_eq!(
            read(&out_dir.join(&name)),
            read(&again.join(&name)),
            "{name} differs between runs"
        );
    }
}

#[test]
fn a_folder_is_built_in_name_order_and_a_broken_model_exits_2_after_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let models = dir.path().join("models");
    std::fs::create_dir(&models).expect("mkdir");
    std::fs::copy("models/iheat-jp.ron", models.join("b-iheat.ron")).expect("copy");
    std::fs::write(models.join("a-broken.ron"), "Model(title: 1)").expect("write");
    std::fs::write(models.join("notes.txt"), "not a model").expect("write");
    let out_dir = dir.path().join("out");
    let (code, stdout, err) = run(nagare().arg("build").arg(&models).arg("-o").arg(&out_dir));
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert_eq!(code, 2, "{stdout}{err}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].contains("a-broken.ron → ") && lines[0].contains("エラー"),
        "{stdout}"
    );
    assert!(
        lines[1].contains("b-iheat.ron → ") && lines[1].contains("指摘 "),
        "{stdout}"
    );
    assert!(err.contains("a-broken.ron:1:"), "the error is shown: {err}");
    // The broken model still gets its report saying why; the good one gets everything.
    assert!(out_dir.join("a-broken.check.txt").exists());
    assert!(!out_dir.join("a-broken.svg").exists());
    for suffix in nagare::build::OUTPUTS {
        assert!(
            out_dir.join(format!("b-iheat{suffix}")).exists(),
            "{suffix}"
        );
    }
}

#[test]
fn a_missing_input_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = run(nagare()
        .args(["build", "no-such-model.ron", "-o"])
        .arg(dir.path()));
    assert_eq!(code, 2);
    assert!(err.contains("no-such-model.ron がありません"), "{err}");
}
