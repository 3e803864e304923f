//! `nagare pia`: the しきい値判断 a clerk runs on a 評価書 model, and 和暦 dates in acceptances as the committee
//! writes them (JSON keeps ISO, text shows 和暦, expiry judged on Japan's date).

mod support;
use support::{nagare, run};

const KUMAGAYA: &str = "models/kumagaya-boshi-hoken.ron";

#[test]
fn kumagaya_comes_out_as_its_form_states() {
    let (code, out, err) = run(nagare().args(["pia", KUMAGAYA]));
    assert_eq!(code, 0, "{out}{err}");
    // V 1② しきい値判断結果「基礎項目評価及び重点項目評価の実施が義務付けられる」
    assert!(
        out.contains("義務付けられる評価: 基礎項目評価及び重点項目評価"),
        "{out}"
    );
    assert!(out.contains("判定: 一致"), "{out}");
    // The inputs and the rule are stated.
    assert!(out.contains("対象人数: 1万人以上10万人未満"), "{out}");
    assert!(out.contains("重大事故（過去3年以内）: 発生あり"), "{out}");
    assert!(
        out.contains("取扱者数（委託先の従業者を含む）: 資料に記載なし"),
        "{out}"
    );
    assert!(
        out.contains("取扱者数によらず基礎項目評価及び重点項目評価"),
        "{out}"
    );
    assert!(out.contains("特定個人情報保護評価指針 第5の2"), "{out}");
}

#[test]
fn kumagaya_as_json() {
    let (code, out, err) = run(nagare().args(["pia", KUMAGAYA, "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let j = &v["judgement"];
    assert_eq!(j["required"], "basic_and_focused");
    assert_eq!(j["required_ja"], "基礎項目評価及び重点項目評価");
    assert_eq!(j["declared"], "重点項目評価");
    assert_eq!(j["verdict"], "matches");
    assert_eq!(j["subjects"]["band"], "from10k_to100k");
    assert_eq!(j["incident"]["window_years"], 3);
    assert_eq!(j["incident"]["within_window"], true);
    assert_eq!(j["handlers"]["unstated"], true);
    assert_eq!(j["missing"].as_array().map(Vec::len), Some(0));
}

#[test]
fn another_incident_period_is_not_guessed() {
    // The form's 「過去3年以内に発生あり」 does not say whether it was within the last year.
    let (code, out, _) = run(nagare().args(["pia", KUMAGAYA, "--incident-years", "1"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("判定: 判断できない"), "{out}");
    assert!(out.contains("過去3年以内についての記載のため"), "{out}");
}

#[test]
fn a_missing_input_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.ron");
    std::fs::write(
        &path,
        r#"#![enable(implicit_some)]
Model(
    title: "取扱者数のない評価書",
    subjects: (label: "住民", range: "10万人以上30万人未満"),
    assessment: (level: 重点項目評価, serious_incident: false, incident_window_years: 1),
    items: { "個人番号": (kind: 個人番号) },
    parties: { "市": (role: 実施機関) },
)"#,
    )
    .expect("write");
    let (code, out, err) = run(nagare().arg("pia").arg(&path));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("義務付けられる評価: 判断できない"), "{out}");
    assert!(out.contains("足りない入力"), "{out}");
    assert!(out.contains("assessment.handlers"), "{out}");
    assert!(!out.contains("重大事故の発生の有無がありません"), "{out}");
}

#[test]
fn a_broken_model_exits_2() {
    let (code, _, err) = run(nagare().args(["pia", "tests/fixtures/diag/model__syntax.ron"]));
    assert_eq!(code, 2, "{err}");
}

/// A model with one finding (DC001 on the form operator) accepted with 和暦 dates.
fn accepted_model(on: &str, until: &str) -> String {
    format!(
        r#"Model(
    title: "和暦の受容",
    items: {{ "氏名": () }},
    parties: {{ "住民": (role: 本人), "区": (role: 実施機関), "フォーム事業者": (role: 外部) }},
    systems: {{
        "区の端末": (party: "区", segment: LGWAN接続系),
        "フォームのサーバ": (party: "フォーム事業者", stores: ["氏名"], retention: "30日"),
    }},
    flows: [
        (no: 1, from: "住民", to: "フォームのサーバ", via: インターネット, controls: ["TLS1.2以上"], items: ["氏名"]),
        (no: 2, from: "フォームのサーバ", to: "区の端末", via: LGWAN, items: ["氏名"]),
    ],
    accepted: [
        (finding: "DC001@party:フォーム事業者", reason: "区の契約で管理", by: "令和6年度第3回会議",
         on: "{on}", until: "{until}"),
    ],
)"#
    )
}

#[test]
fn wareki_acceptance_dates_are_iso_in_json_and_wareki_in_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.ron");
    std::fs::write(&path, accepted_model("令和６年９月２日", "R8.3.31")).expect("write");
    let (_, out, err) = run(nagare().args(["check", "--format", "json"]).arg(&path));
    let v: serde_json::Value = serde_json::from_str(&out).expect(&err);
    let dc001 = v["models"][0]["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["code"] == "DC001"))
        .cloned()
        .expect("DC001");
    assert_eq!(dc001["accepted"]["on"], "2024-09-02");
    assert_eq!(dc001["accepted"]["until"], "2026-03-31");
    let (_, text, _) = run(nagare().arg("check").arg(&path));
    assert!(
        text.contains(
            "受容: 区の契約で管理（令和6年度第3回会議、令和6年9月2日、令和8年3月31日まで）"
        ),
        "{text}"
    );
}

#[test]
fn a_wareki_expiry_is_judged_on_the_japanese_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.ron");
    std::fs::write(&path, accepted_model("2024-09-02", "令和7年3月31日")).expect("write");
    // 令和7年3月31日 is the last day covered.
    let (_, text, _) = run(nagare()
        .env("NAGARE_TODAY", "令和7年3月31日")
        .arg("check")
        .arg(&path));
    assert!(text.contains("（受容済み）"), "{text}");
    assert!(!text.contains("AC001"), "{text}");
    // The next day it has expired, and AC001 says so in 和暦.
    let (_, text, _) = run(nagare()
        .env("NAGARE_TODAY", "R7.4.1")
        .arg("check")
        .arg(&path));
    assert!(text.contains("AC001"), "{text}");
    assert!(text.contains("令和7年3月31日 で期限が切れている"), "{text}");
}
