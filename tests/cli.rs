//! End-to-end: a clerk runs `nagare` on a model and reads what it prints, and scripts read its exit code and JSON.

use assert_cmd::Command;

fn nagare() -> Command {
    let mut cmd = Command::cargo_bin("nagare").expect("binary");
    cmd.env("NO_COLOR", "1").env("NAGARE_TODAY", "2025-04-01");
    cmd
}

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
        assert!(!out.contains("error["), "{}: {out}", path.display());
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
        let warning_only = path.to_string_lossy().contains("control__");
        if warning_only {
            assert!(
                code == 0 || code == 1,
                "{}: warnings do not stop the check",
                path.display()
            );
        } else {
            assert_eq!(code, 2, "{}\n{out}", path.display());
            assert!(out.contains("error["), "{}: {out}", path.display());
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
        assert!(out.contains("error["), "{name}: a pointed message: {out}");
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
