//! Acceptances that cannot hide new gaps: a committee decision records what the finding covered, and a new
//! recipient system, item or step under the same id makes the finding new again.

use nagare::diag::Source;
use nagare::rules::engine::Finding;

const TODAY: (u32, u32, u32) = (2026, 4, 1);

/// A form operator that stores what residents send, not in the 別紙 (DC001), with `extra` spliced into its
/// systems and flows and `accepted` as the model's acceptances.
fn model(extra_system: &str, extra_flow: &str, accepted: &str) -> String {
    format!(
        r#"Model(
    title: "受容の範囲",
    items: {{ "氏名": (), "住所": (), "電話番号": () }},
    parties: {{
        "住民": (role: 本人),
        "区": (role: 実施機関),
        "フォーム事業者": (role: 外部),
    }},
    systems: {{
        "区の端末": (party: "区", segment: LGWAN接続系),
        "フォームのサーバ": (party: "フォーム事業者", stores: ["氏名", "住所"], retention: "ダウンロード後30日で削除"),
        {extra_system}
    }},
    flows: [
        (no: 1, from: "住民", to: "フォームのサーバ", via: インターネット, controls: ["TLS1.2以上"], items: ["氏名", "住所"]),
        (no: 2, from: "フォームのサーバ", to: "区の端末", via: LGWAN, items: ["氏名", "住所"]),
        {extra_flow}
    ],
    accepted: [{accepted}],
)"#
    )
}

fn findings(text: &str) -> Vec<Finding> {
    let controls = nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls");
    let rules = nagare::rules::Catalogue::load(None)
        .map_err(|e| format!("{} pack errors", e.len()))
        .expect("rules");
    let loaded = nagare::model::load_source(Source::new("accept.ron", text.to_string()), &controls);
    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert!(messages.is_empty(), "{messages:?}");
    let model = loaded.model.expect("model");
    nagare::rules::engine::run(&model, &rules, TODAY)
}

fn dc001(findings: &[Finding]) -> &Finding {
    findings
        .iter()
        .find(|f| f.id == "DC001@party:フォーム事業者")
        .expect("DC001 on the form operator")
}

const DECISION: &str = r#"(finding: "DC001@party:フォーム事業者", reason: "LGWAN-ASP として区の契約で管理", by: "令和6年度第3回会議",
     covers: ["flow:1", "item:住所", "item:氏名", "system:フォームのサーバ"])"#;

#[test]
fn the_finding_lists_what_it_covers() {
    let found = findings(&model("", "", ""));
    assert_eq!(
        dc001(&found).covers,
        [
            "flow:1",
            "item:住所",
            "item:氏名",
            "system:フォームのサーバ"
        ]
    );
}

#[test]
fn an_acceptance_covers_the_finding_it_saw() {
    let found = findings(&model("", "", DECISION));
    let f = dc001(&found);
    assert!(f.accepted.is_some(), "{f:?}");
    assert!(f.beyond_acceptance.is_empty());
}

#[test]
fn a_new_item_under_the_same_id_is_reported_as_new() {
    let found = findings(&model(
        "",
        r#"(no: 3, from: "住民", to: "フォームのサーバ", via: インターネット, controls: ["TLS1.2以上"], items: ["電話番号"]),"#,
        DECISION,
    ));
    let f = dc001(&found);
    assert!(
        f.accepted.is_none(),
        "a new item must not hide under the old decision"
    );
    assert_eq!(f.beyond_acceptance, ["flow:3", "item:電話番号"]);
}

#[test]
fn a_new_recipient_system_under_the_same_id_is_reported_as_new() {
    let found = findings(&model(
        r#""フォームの分析基盤": (party: "フォーム事業者", stores: ["氏名"], retention: "1年"),"#,
        r#"(no: 3, from: "フォームのサーバ", to: "フォームの分析基盤", via: サーバ間, controls: ["TLS1.2以上"], items: ["氏名"]),"#,
        DECISION,
    ));
    let f = dc001(&found);
    assert!(
        f.accepted.is_none(),
        "a new system of the party must not hide under the old decision"
    );
    assert_eq!(f.beyond_acceptance, ["flow:3", "system:フォームの分析基盤"]);
}

#[test]
fn an_acceptance_without_covers_still_covers_its_id() {
    let legacy =
        r#"(finding: "DC001@party:フォーム事業者", reason: "承認済み", by: "令和元年答申")"#;
    let found = findings(&model("", "", legacy));
    assert!(dc001(&found).accepted.is_some());
}
