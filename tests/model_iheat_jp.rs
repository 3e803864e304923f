//! 新宿区 資料32-1 IHEAT.JP 外部結合: every finding on the model, and the paper's sentence that makes it a question.

mod common;

/// Each finding id, the sentence of `seeds/000_cf81d6a34adccc7c.txt` that makes it a question, and why a committee
/// member would accept it.
const JUSTIFIED: &[common::Justified] = &[
    (
        "DC001@party:LoGoフォーム",
        "結合の相手方  IHEAT事務局（日本公衆衛生協会）",
        "The 別紙 names only IHEAT事務局 as 結合の相手方, yet the figure has every applicant send the seven items to \
         【LoGoフォームのサーバ】 (①), which lists them as stored. The form operator is not in the 別紙 as 結合先 or \
         委託先, and the paper does not say whether an earlier approval covers it.",
    ),
    (
        "DC009@declared:IHEAT事務局",
        "地域保健法の改正により IHEATは法定化され",
        "The paper cites 地域保健法 only as background and the 要綱 article only as the reason for 付議. It never says \
         whether putting the 要員's data into 日本公衆衛生協会's IHEAT.JP is a 提供 or a 委託, nor on which provision \
         it rests.",
    ),
    (
        "OS006@system:LoGoフォームのサーバ",
        "システム上で不要となった電子データを削除させ、電子データの消去を行ったことの報告書を提出させる。",
        "This erasure clause binds only the 結合先 (IHEAT事務局). The LoGoフォーム server keeps every application for \
         the 区 until ③ 「申請情報をダウンロード」, and the paper states no retention period, deletion after download \
         or 消去報告 for it; the figure's control list has none either.",
    ),
    (
        "TR006@flow:2",
        "②IHEAT要員の申請データを収受",
        "② is drawn between the LoGoフォーム and the 区, but the paper does not say what is received, over which line, \
         on which 区 terminal, or how it differs from ③ 「申請情報をダウンロード」.",
    ),
    (
        "TR006@flow:3",
        "【LGWAN回線】③申請情報をダウンロード",
        "The download of all seven items is labelled only 【LGWAN回線】. The figure marks 「通信暗号化」 on the two \
         【インターネット回線】 but not here, and the checklist covers the 結合 with IHEAT.JP, so no safeguard \
         (who may download, encryption) is stated for this step.",
    ),
    (
        "HS008@model",
        "【区イントラPC】・氏名・生年月日",
        "The figure lists the seven items beside 【区イントラPC】: the applications downloaded in ③ are kept on the \
         区's PC, but the paper gives no retention period or erasure for them.",
    ),
    (
        "SG007@model",
        "区のイントラ PCを用い、インターネット回線を介して、IHEAT.JPのサーバと結合を行う。",
        "The same 区イントラPC takes ③ over 【LGWAN回線】 and reaches IHEAT.JP over the internet (④⑥⑦). The paper \
         does not say which 三層 segment it is on, nor how it reaches both networks (画面転送, 無害化).",
    ),
];

#[test]
fn iheat_findings_are_the_justified_ones() {
    let report = common::check_seed_model("iheat-jp", JUSTIFIED);
    insta::assert_snapshot!("iheat-jp", report);
}

#[test]
fn the_design_example_loads_exactly_as_written() {
    let controls = nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls");
    let loaded = nagare::model::load(
        std::path::Path::new("tests/fixtures/design/iheat-jp.ron"),
        &controls,
    );
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        loaded
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    let model = loaded.model.expect("model");
    assert_eq!(model.flows.len(), 7);
    assert_eq!(model.items.len(), 7);
    assert_eq!(model.declared.len(), 1);
}
