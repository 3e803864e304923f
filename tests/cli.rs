//! End-to-end: a clerk runs `nagare` on a model and reads what it prints, and scripts read its exit code and JSON.

use assert_cmd::Command;

mod support;
use support::nagare;

fn stdout_of(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_iheat_reports_the_undeclared_logo_form_operator_in_japanese() {
    let (code, out, _) = stdout_of(nagare().args(["check", "models/iheat-jp.ron"]));
    assert_eq!(code, 1, "high findings → exit 1\n{out}");
    assert!(
        out.contains("[高] DC001 別紙に記載のない外部の相手に個人情報が渡る"),
        "{out}"
    );
    assert!(out.contains("関係者「LoGoフォーム」"), "{out}");
    assert!(
        out.contains("経路: 対象者 →① LoGoフォームのサーバ"),
        "{out}"
    );
    assert!(
        out.contains("models/iheat-jp.ron:"),
        "findings point at the model line: {out}"
    );
    assert!(
        !out.contains("\u{1b}["),
        "no colour when NO_COLOR is set / not a TTY"
    );
}

#[test]
fn fail_on_controls_the_exit_code() {
    let (code, _, _) =
        stdout_of(nagare().args(["check", "--fail-on", "重大", "models/iheat-jp.ron"]));
    assert_eq!(code, 0, "iheat has no 重大 finding");
    let (code, _, _) =
        stdout_of(nagare().args(["check", "--fail-on", "low", "models/iheat-jp.ron"]));
    assert_eq!(code, 1);
    let (code, _, err) =
        stdout_of(nagare().args(["check", "--fail-on", "すごく高い", "models/iheat-jp.ron"]));
    assert_eq!(code, 2);
    assert!(err.contains("重大度ではありません"), "{err}");
}

#[test]
fn json_output_has_a_stable_schema_and_ids() {
    let (code, out, _) =
        stdout_of(nagare().args(["check", "--format", "json", "models/iheat-jp.ron"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc["version"], 2);
    let model = &doc["models"][0];
    assert_eq!(model["file"], "models/iheat-jp.ron");
    assert_eq!(model["document"], "資料32-1");
    let findings = model["findings"].as_array().expect("findings");
    let logo = findings
        .iter()
        .find(|f| f["id"] == "DC001@party:LoGoフォーム")
        .expect("DC001 finding");
    for field in [
        "code",
        "name",
        "severity",
        "severity_ja",
        "title",
        "message",
        "location",
        "line",
        "column",
        "path",
        "path_flows",
        "fix",
        "covers",
        "beyond_acceptance",
        "unread_controls",
    ] {
        assert!(!logo[field].is_null(), "field {field} missing: {logo}");
    }
    assert_eq!(logo["severity"], "high");
    assert_eq!(logo["path_flows"], serde_json::json!(["1"]));
    assert!(
        logo["covers"]
            .as_array()
            .is_some_and(|c| c.iter().any(|a| a == "system:LoGoフォームのサーバ")),
        "covers names the receiving system: {logo}"
    );
    // Same model, same bytes.
    let (_, again, _) =
        stdout_of(nagare().args(["check", "--format", "json", "models/iheat-jp.ron"]));
    assert_eq!(out, again);
}

#[test]
fn every_shipped_model_loads_without_errors() {
    for entry in std::fs::read_dir("models").expect("models").flatten() {
        let path = entry.path();
        let (code, out, err) = stdout_of(nagare().arg("check").arg(&path));
        assert!(
            code == 0 || code == 1,
            "{}: exit {code}\n{out}\n{err}",
            path.display()
        );
        assert!(!out.contains("エラー["), "{}: {out}", path.display());
    }
}

#[test]
fn every_broken_fixture_exits_2_with_a_pointed_message_and_no_panic() {
    for entry in std::fs::read_dir("tests/fixtures/diag")
        .expect("fixtures")
        .flatten()
    {
        let path = entry.path();
        let (code, out, err) = stdout_of(nagare().arg("check").arg(&path));
        assert!(
            !err.contains("panicked") && !out.contains("panicked"),
            "{}: {err}",
            path.display()
        );
        let name = path.to_string_lossy();
        let warning_only = name.contains("control__") || name.contains("model__missing-glyph");
        if warning_only {
            assert!(
                code == 0 || code == 1,
                "{}: warnings do not stop the check",
                path.display()
            );
        } else {
            assert_eq!(code, 2, "{}\n{out}", path.display());
            assert!(out.contains("エラー["), "{}: {out}", path.display());
        }
    }
}

#[test]
fn garbage_truncation_nesting_and_huge_input_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = std::fs::read_to_string("models/iheat-jp.ron").expect("model");
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    // Binary garbage from a fixed generator.
    let mut x: u32 = 12345;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    cases.push(("garbage".into(), garbage));
    // 100 000 nested brackets.
    cases.push((
        "nested".into(),
        format!(
            "Model(title: \"x\", groups: {{\"g\": {}{}}})",
            "[".repeat(100_000),
            "]".repeat(100_000)
        )
        .into_bytes(),
    ));
    // A truncated model, cut mid-way.
    let cut = model
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| i > model.len() / 2)
        .unwrap_or(0);
    cases.push(("truncated".into(), model.as_bytes()[..cut].to_vec()));
    // Shift_JIS-looking bytes inside a string.
    cases.push((
        "sjis".into(),
        b"Model(title: \"\x83\x65\x83\x58\x83\x67\")".to_vec(),
    ));
    for (name, bytes) in cases {
        let path = dir.path().join(format!("{name}.ron"));
        std::fs::write(&path, bytes).expect("write");
        let (code, out, err) = stdout_of(nagare().arg("check").arg(&path));
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(out.contains("エラー["), "{name}: a pointed message: {out}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn a_50_megabyte_model_is_handled_without_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.ron");
    // ~50 MB: a long list of items, and one unknown reference at the end so the check stops with a pointed error.
    let mut text = String::with_capacity(52 * 1024 * 1024);
    text.push_str("Model(title: \"大きなモデル\", items: {");
    let mut i = 0u32;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!(
            "\"項目{i:08}\": (note: \"大量の情報項目のうちの一つ\"),\n"
        ));
        i += 1;
    }
    text.push_str(
        "}, parties: {\"区\": (role: 実施機関)}, systems: {\"台帳\": (party: \"区役所\")})",
    );
    std::fs::write(&path, text).expect("write");
    let (code, out, err) = stdout_of(nagare().arg("check").arg(&path));
    assert_eq!(code, 2, "{err}");
    assert!(
        out.contains("model::unknown-party"),
        "{}",
        &out[..out.len().min(2000)]
    );
}

#[test]
fn missing_model_file_is_an_error_not_a_panic() {
    let (code, out, _) = stdout_of(nagare().args(["check", "models/no-such-model.ron"]));
    assert_eq!(code, 2);
    assert!(out.contains("見つかりません"), "{out}");
}

#[test]
fn rules_lists_at_least_25_documented_rules_and_explain_prints_each() {
    let (code, out, _) = stdout_of(nagare().args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let rules: Vec<serde_json::Value> = serde_json::from_str(&out).expect("JSON array");
    assert!(rules.len() >= 25, "{} rules", rules.len());
    for rule in &rules {
        for field in [
            "code",
            "title",
            "severity",
            "checks",
            "why",
            "fix",
            "source",
            "false_positives",
        ] {
            assert!(
                rule[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} missing in {rule}"
            );
        }
        let code = rule["code"].as_str().unwrap_or_default();
        let (exit, text, _) = stdout_of(nagare().args(["explain", code]));
        assert_eq!(exit, 0, "explain {code}");
        for heading in ["■ なぜ問題か", "■ 対応", "■ 根拠", "■ 誤検出の可能性"]
        {
            assert!(text.contains(heading), "explain {code} lacks {heading}");
        }
    }
    let (exit, _, err) = stdout_of(nagare().args(["explain", "TR01"]));
    assert_eq!(exit, 2);
    assert!(
        err.contains("TR001") || err.contains("nagare rules"),
        "{err}"
    );
}

#[test]
fn a_model_saved_with_a_utf8_bom_checks_like_one_without() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bom.ron");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read("models/iheat-jp.ron").expect("model"));
    std::fs::write(&path, bytes).expect("write");
    let path = path.to_string_lossy().into_owned();
    let (code_bom, out_bom, _) = stdout_of(nagare().args(["check", "--format", "json", &path]));
    let (code, out, _) =
        stdout_of(nagare().args(["check", "--format", "json", "models/iheat-jp.ron"]));
    assert_eq!(code_bom, code, "{out_bom}");
    let findings = |text: &str| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(text).expect("json")["models"][0]["findings"]
            .clone()
    };
    assert_eq!(
        findings(&out_bom),
        findings(&out),
        "same findings, same lines"
    );
}

// ── Issue 11: a CLI in one language, inert terminal output, safe output files ──

/// The English words of clap's own help and errors, which a clerk must never see.
const CLAP_ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "Print version",
    "error:",
    "[default",
    "[possible values",
    "[OPTIONS]",
    "For more information",
];

fn assert_no_clap_english(what: &str, text: &str) {
    for word in CLAP_ENGLISH {
        assert!(!text.contains(word), "{what}: 「{word}」\n{text}");
    }
}

#[test]
fn help_and_usage_errors_are_all_japanese() {
    let commands = [
        "check",
        "render",
        "watch",
        "init",
        "diff",
        "build",
        "rules",
        "explain",
        "report",
        "controls",
        "pia",
        "inventory",
        "help",
    ];
    let (code, out, _) = stdout_of(nagare().arg("--help"));
    assert_eq!(code, 0);
    assert!(out.contains("使い方: nagare"), "{out}");
    assert!(
        out.contains("コマンド:") && out.contains("オプション:"),
        "{out}"
    );
    assert!(out.contains("ヘルプを表示") && out.contains("版（バージョン）を表示"));
    assert_no_clap_english("nagare --help", &out);
    for command in commands {
        for flag in ["--help", "-h"] {
            let (code, out, err) = stdout_of(nagare().args([command, flag]));
            assert_eq!(code, 0, "{command} {flag}: {err}");
            assert!(out.contains(&format!("使い方: nagare {command}")), "{out}");
            assert_no_clap_english(&format!("{command} {flag}"), &out);
        }
        let (code, out, _) = stdout_of(nagare().args(["help", command]));
        assert_eq!(code, 0);
        assert_no_clap_english(&format!("help {command}"), &out);
    }
    // Every argument and option has a description.
    for command in commands {
        let (_, out, _) = stdout_of(nagare().args([command, "--help"]));
        for line in out.lines().filter(|l| l.starts_with("  ")) {
            let described = line.trim().split("  ").filter(|p| !p.is_empty()).count() >= 2;
            assert!(described, "{command}: no description: {line}");
        }
    }
    for argv in [
        vec![],
        vec!["chekc"],
        vec!["check"],
        vec!["check", "--bogus", "models/iheat-jp.ron"],
        vec!["check", "--format", "xml", "models/iheat-jp.ron"],
        vec!["render"],
        vec!["report", "models/iheat-jp.ron"],
        vec!["help", "rendr"],
    ] {
        let (code, out, err) = stdout_of(nagare().args(&argv));
        assert_eq!(code, 2, "{argv:?}");
        assert!(!err.is_empty(), "{argv:?}: {out}");
        assert_no_clap_english(&format!("{argv:?}"), &err);
    }
    let (_, _, err) = stdout_of(nagare().arg("chekc"));
    assert!(
        err.contains("「chekc」というコマンドはありません。「check」のことですか？"),
        "{err}"
    );
    let (_, _, err) = stdout_of(nagare().arg("check"));
    assert!(err.contains("必要な引数が指定されていません"), "{err}");
    assert!(err.contains("使い方: nagare check"), "{err}");
}

#[test]
fn write_errors_are_japanese_and_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("ないフォルダ");
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec!["render".into(), "models/iheat-jp.ron".into()],
            "図.svg".into(),
        ),
        (
            vec!["report".into(), "models/iheat-jp.ron".into()],
            "資料.md".into(),
        ),
        (
            vec![
                "diff".into(),
                "models/iheat-jp.ron".into(),
                "tests/fixtures/diff/iheat-jp-amended.ron".into(),
            ],
            "変更.md".into(),
        ),
    ];
    for (args, file) in cases {
        let target = missing.join(&file);
        let (code, _, err) = stdout_of(nagare().args(&args).arg("-o").arg(&target));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("に書き出せません"), "{args:?}: {err}");
        assert!(err.contains(&file), "names the file: {err}");
        assert!(err.contains("ないフォルダ がありません"), "{err}");
        for english in ["os error", "No such file", "directory"] {
            assert!(!err.contains(english), "{args:?}: {err}");
        }
    }
    // A rules folder that does not exist (read errors are Japanese too).
    let (code, out, err) = stdout_of(
        nagare()
            .args(["check", "models/iheat-jp.ron", "--rules"])
            .arg(&missing),
    );
    assert_eq!(code, 2);
    let all = format!("{out}{err}");
    assert!(
        all.contains("ルールのフォルダを読めません: 見つかりません"),
        "{all}"
    );
    assert!(!all.contains("os error"), "{all}");
    // build into a path that is a file.
    let file = dir.path().join("ファイル");
    std::fs::write(&file, "x").expect("write");
    let (code, _, err) = stdout_of(
        nagare()
            .args(["build", "models/iheat-jp.ron", "-o"])
            .arg(&file),
    );
    assert_eq!(code, 2);
    assert!(err.contains("フォルダではなくファイルです"), "{err}");
}

#[test]
fn render_without_o_writes_the_model_name_svg_beside_the_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = dir.path().join("保健所.ron");
    std::fs::copy("models/iheat-jp.ron", &model).expect("copy");
    let (code, out, err) = stdout_of(nagare().arg("render").arg(&model));
    assert_eq!(code, 0, "{err}");
    let svg = dir.path().join("保健所.svg");
    assert!(std::fs::read_to_string(&svg).expect("svg").contains("<svg"));
    assert!(out.contains("保健所.svg を書き出しました"), "{out}");
    let (_, help, _) = stdout_of(nagare().args(["render", "--help"]));
    assert!(help.contains("モデルと同じフォルダ"), "{help}");
}

#[test]
fn o_naming_a_folder_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["render", "models/iheat-jp.ron"],
        vec!["report", "models/iheat-jp.ron"],
        vec![
            "diff",
            "models/iheat-jp.ron",
            "tests/fixtures/diff/iheat-jp-amended.ron",
        ],
    ] {
        let (code, _, err) = stdout_of(nagare().args(&args).arg("-o").arg(dir.path()));
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("はフォルダです"), "{args:?}: {err}");
        assert!(
            err.contains("iheat-jp") || err.contains("amended"),
            "an example name: {err}"
        );
        assert!(!err.contains("拡張子がありません"), "{err}");
    }
}

#[test]
fn no_output_ever_replaces_the_input_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model_text = std::fs::read("models/iheat-jp.ron").expect("model");
    // A model saved under an output's extension.
    for name in ["x.svg", "x.md", "x.pdf"] {
        std::fs::write(dir.path().join(name), &model_text).expect("write");
    }
    let at = |name: &str| dir.path().join(name);
    let dotted = |name: &str| dir.path().join(".").join(name);
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "render".into(),
            at("x.svg").into(),
            "-o".into(),
            at("x.svg").into(),
        ],
        vec!["render".into(), at("x.svg").into()],
        vec![
            "render".into(),
            at("x.pdf").into(),
            "-o".into(),
            dotted("x.pdf").into(),
        ],
        vec![
            "render".into(),
            at("x.svg").into(),
            "--changes-from".into(),
            at("x.pdf").into(),
            "-o".into(),
            at("x.pdf").into(),
        ],
        vec![
            "report".into(),
            at("x.md").into(),
            "-o".into(),
            at("x.md").into(),
        ],
        vec![
            "diff".into(),
            at("x.md").into(),
            at("x.svg").into(),
            "-o".into(),
            at("x.md").into(),
        ],
        vec!["watch".into(), "--once".into(), at("x.svg").into()],
    ];
    for args in runs {
        let (code, _, err) = stdout_of(nagare().args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("入力のモデル"), "{args:?}: {err}");
    }
    for name in ["x.svg", "x.md", "x.pdf"] {
        assert_eq!(
            std::fs::read(at(name)).expect("model"),
            model_text,
            "{name} kept"
        );
    }
    // build: a model named m.json, built into its own folder, would be replaced by m.json.
    std::fs::write(at("m.json"), &model_text).expect("write");
    let (code, _, err) = stdout_of(
        nagare()
            .arg("build")
            .arg(at("m.json"))
            .arg("-o")
            .arg(dir.path()),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("入力のモデル"), "{err}");
    assert_eq!(std::fs::read(at("m.json")).expect("model"), model_text);
}

#[test]
fn init_writes_a_template_that_checks_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("新しいモデル.ron");
    let (code, out, err) = stdout_of(nagare().arg("init").arg(&path));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("nagare check"), "{out}");
    let text = std::fs::read_to_string(&path).expect("template");
    assert_eq!(text, nagare::cli::TEMPLATE);
    for word in ["unstated:", "na:", "not:", "cite:", "// "] {
        assert!(text.contains(word), "{word}");
    }
    let (code, out, err) = stdout_of(nagare().args(["check", "--format", "json"]).arg(&path));
    assert_ne!(code, 2, "the template loads: {err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        doc["models"][0]["diagnostics"],
        serde_json::json!([]),
        "{out}"
    );
    // A second init keeps what the clerk has written.
    std::fs::write(&path, "// 書きかけ").expect("write");
    let (code, _, err) = stdout_of(nagare().arg("init").arg(&path));
    assert_eq!(code, 2);
    assert!(err.contains("すでにあります"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "// 書きかけ");
    // In the current folder by default.
    let (code, _, _) = stdout_of(nagare().arg("init").current_dir(dir.path()));
    assert_eq!(code, 0);
    assert!(dir.path().join("model.ron").is_file());
}

#[test]
fn watch_once_checks_prints_the_summary_and_draws() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = dir.path().join("m.ron");
    std::fs::copy("models/iheat-jp.ron", &model).expect("copy");
    let (code, out, err) = stdout_of(nagare().args(["watch", "--once"]).arg(&model));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 回目の検査"), "{out}");
    assert!(out.contains("[高] DC001"), "{out}");
    assert!(out.contains("指摘 "), "{out}");
    assert!(dir.path().join("m.svg").is_file());
    let (_, help, _) = stdout_of(nagare().args(["watch", "--help"]));
    assert!(help.contains("Ctrl-C"), "{help}");
    assert!(
        !help.contains("--once"),
        "the test switch is hidden: {help}"
    );
}

/// A model whose labels would retitle the terminal (OSC … BEL) and clear the screen (CSI 2J).
fn hostile_model() -> String {
    nagare::cli::TEMPLATE
        .replace(
            "title: \"〇〇事業",
            "title: \"\\u{1b}]0;乗っ取り\\u{7}\\u{1b}[2J〇〇事業",
        )
        .replace("\"〇〇市\"", "\"〇〇\\u{1b}]0;title\\u{7}市\\u{1b}[2J\"")
}

fn assert_inert(what: &str, text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{what}: a control character reached the terminal:\n{text:?}"
    );
}

#[test]
fn labels_with_terminal_escapes_are_printed_inert() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = dir.path().join("m.ron");
    std::fs::write(&model, hostile_model()).expect("write");
    let (code, out, err) = stdout_of(nagare().arg("check").arg(&model));
    assert_ne!(code, 2, "{err}{out}");
    assert_inert("check", &out);
    assert_inert("check stderr", &err);
    assert!(
        out.contains("␛]0;乗っ取り␇␛[2J〇〇事業"),
        "shown, not obeyed: {out}"
    );
    assert!(out.contains("〇〇␛]0;title␇市␛[2J"), "{out}");
    let (_, out, err) = stdout_of(nagare().args(["watch", "--once"]).arg(&model));
    assert_inert("watch", &out);
    assert_inert("watch stderr", &err);
    // A diagnostic quotes the model's line with the escape in it.
    let broken = hostile_model().replace("hosting: クラウド", "hosting: \"\u{1b}[2J\u{7}\"");
    std::fs::write(&model, broken).expect("write");
    let (code, out, err) = stdout_of(nagare().arg("check").arg(&model));
    assert_eq!(code, 2);
    assert_inert("diagnostic", &out);
    assert_inert("diagnostic stderr", &err);
    assert!(out.contains("␛[2J␇"), "{out}");
    // An output path with an escape in it, echoed by render.
    std::fs::write(&model, hostile_model()).expect("write");
    let target = dir.path().join("図\u{1b}[2J.svg");
    let (code, out, err) = stdout_of(nagare().arg("render").arg(&model).arg("-o").arg(&target));
    assert_eq!(code, 0, "{err}");
    assert_inert("render", &out);
    assert!(out.contains("図␛[2J.svg を書き出しました"), "{out}");
    // The text report build writes (read with cat) is inert too; the JSON escapes them.
    let built = dir.path().join("out");
    let (_, _, err) = stdout_of(nagare().arg("build").arg(&model).arg("-o").arg(&built));
    assert_inert("build stderr", &err);
    let text = std::fs::read_to_string(built.join("m.check.txt")).expect("check.txt");
    assert_inert("check.txt", &text);
    let json = std::fs::read_to_string(built.join("m.json")).expect("json");
    assert_inert("json", &json);
    assert!(json.contains("\\u001b"), "JSON keeps the text, escaped");
}

#[test]
fn a_failed_write_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().join("out");
    // A folder where build's diagram goes: the rename onto it fails after the temporary file is written.
    std::fs::create_dir_all(out_dir.join("iheat-jp.svg").join("中身")).expect("mkdir");
    let (code, _, err) = stdout_of(
        nagare()
            .args(["build", "models/iheat-jp.ron", "-o"])
            .arg(&out_dir),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("iheat-jp.svg に書き出せません"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    let left: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    assert!(
        out_dir.join("iheat-jp.png").is_file(),
        "the other outputs are written"
    );
}

/// Issue 11: a valid model with 30 000 nested groups is checked (groups expand on an explicit stack), not a
/// stack overflow (exit 134).
#[test]
fn thirty_thousand_nested_groups_are_checked_without_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("deep-groups.ron");
    let n = 30_000;
    let mut groups = String::from("\"g0\": [\"氏名\"]");
    for i in 1..n {
        groups.push_str(&format!(",\n\"g{i}\": [\"g{}\"]", i - 1));
    }
    let last = n - 1;
    let text = format!(
        "Model(title: \"深い入れ子\", items: {{\"氏名\": ()}}, groups: {{{groups}}}, \
         parties: {{\"区\": (role: 実施機関)}}, systems: {{\"台帳\": (party: \"区\", stores: [\"g{last}\"])}}, \
         flows: [(no: 1, from: \"区\", to: \"台帳\", items: [\"g{last}\"])])"
    );
    std::fs::write(&path, text).expect("write");
    let (code, out, err) = stdout_of(nagare().arg("check").arg(&path));
    assert!(
        code == 0 || code == 1,
        "exit {code}: {err}\n{}",
        &out[..out.len().min(2000)]
    );
    assert!(!out.contains("エラー["), "{}", &out[..out.len().min(2000)]);
}

/// Issue 11: a 1 MB unknown control name costs milliseconds in the suggestion search (it was ~9 s per MB).
#[test]
fn a_megabyte_control_name_is_answered_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("long-control.ron");
    let long = "a".repeat(1 << 20);
    let flows: String = (1..=5)
        .map(|n| format!("(no: {n}, from: \"区\", to: \"台帳\", controls: [\"{long}\"]),"))
        .collect();
    let text = format!(
        "Model(title: \"長い対策名\", parties: {{\"区\": (role: 実施機関)}}, \
         systems: {{\"台帳\": (party: \"区\")}}, flows: [{flows}])"
    );
    std::fs::write(&path, text).expect("write");
    let started = std::time::Instant::now();
    let (code, out, err) = stdout_of(nagare().args(["check", "--format", "json"]).arg(&path));
    let took = started.elapsed();
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert!(
        out.contains("control::unknown"),
        "{}",
        &out[..out.len().min(500)]
    );
    assert!(took.as_secs() < 20, "took {took:?}");
}

/// Issue 11: keys equal after escapes ("ID", "\x49D") are a duplicate (exit 2), not a silent replacement (exit 1).
#[test]
fn keys_equal_after_escapes_are_duplicates_not_silent_loss() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("escaped.ron");
    let text = "Model(title: \"t\", items: {\"ID\": (), \"\\x49D\": (kind: 個人番号)}, \
                parties: {\"区\": (role: 実施機関)}, systems: {\"台帳\": (party: \"区\", stores: [\"ID\"])})";
    std::fs::write(&path, text).expect("write");
    let (code, out, _) = stdout_of(nagare().arg("check").arg(&path));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("model::duplicate-name"), "{out}");
    assert!(
        out.contains("\\x49D"),
        "the second spelling is quoted: {out}"
    );
}

/// Issue 11: text pasted from Word never shows ron's English, and points at the character.
#[test]
fn word_pasted_characters_are_named_in_japanese() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text, expect) in [
        ("smart.ron", "Model(title: “t”, parties: {\"区\": (role: 実施機関)})", "全角の引用符"),
        ("space.ron", "Model(\n\u{3000}title: \"t\",\n)", "全角スペース"),
        ("comma.ron", "Model(title: \"t\",, parties: {})", "カンマが二つ続いています"),
        ("asp.ron", "Model(title: \"t\", parties: {\"区\": (role: 実施機関)}, systems: {\"s\": (party: \"区\", segment: LGWAN-ASP)})", "LGWAN_ASP"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let (code, out, _) = stdout_of(nagare().arg("check").arg(&path));
        assert_eq!(code, 2, "{name}: {out}");
        assert!(out.contains(expect), "{name}: {out}");
        for english in ["Expected", "raw identifier", "try the"] {
            assert!(!out.contains(english), "{name}: {out}");
        }
    }
}
