//! 江戸川区 令和2年度第9号議案 在宅勤務型テレワーク・e-ship 仕様変更: every finding on the model, and why it is right given the paper.

mod common;

/// Each finding id with the reason it is a real gap in 第9号議案 (or a question the committee should ask).
const JUSTIFIED: &[(&str, &str)] = &[
    (
        "DC001@party:通信キャリア",
        "5(1)イ connects the テレワーク専用端末 and 全庁LAN 「通信キャリアのネットワークデータセンターを介し」, so \
         the screen (④⑤) and input (⑥⑦) pass through the carrier, which the paper never names and which states no \
         通信の暗号化 or contract terms. That is a fair question, but the carrier only relays the traffic; it is not a \
         結合の相手方 to declare. The model cannot mark a relay node, so the rule treats the carrier as a recipient.",
    ),
    (
        "TR003@flow:9",
        "別紙1 9(2)③ lets 紙媒体 be taken home 「情報資産の格付けに応じて適切に取り扱わなければならない」, and \
         機密性3 is only 「原則持出し禁止」. No 施錠可能なケース or other carrying rule is stated for paper that goes \
         to the 自宅.",
    ),
    (
        "TR005@flow:9",
        "The same take-home of 紙媒体 (9(2)③) has no 持出簿 or approval record. Compare 第10号議案's \
         「個人情報外部持出簿」; nothing here records what left the 庁舎 or checks that it came back.",
    ),
    (
        "TR006@flow:8",
        "5(1)ウ says printing goes only to 「自席端末を介して接続されている庁舎内のプリンタ」 and does not say how that \
         printer is connected. The printed output also sits in the 庁舎 while the 実施職員 is at home, and the paper \
         does not say who collects it.",
    ),
    (
        "HY001@flow:1",
        "① is connection setup 「接続管理用サーバにより…接続を確立する」 (5(1)ウ). The paper does not say what the \
         terminal sends, or how the terminal or the 職員 is authenticated (no ID/パスワード, 証明書 or 多要素認証 is \
         mentioned).",
    ),
    (
        "HY001@flow:2",
        "② is the same 接続要求 passed by the carrier's data centre to the 接続管理用サーバ. Again the paper names no \
         authentication for the remote session.",
    ),
    (
        "HY001@flow:3",
        "③ 「自席端末と、テレワーク専用端末との接続を確立する」 is a control step with no data. Who may establish a \
         session, and whether remote sessions are logged, is not stated.",
    ),
    (
        "SG007@system:テレワーク専用端末",
        "The terminal lives in the 「テレワーク環境」, which 2(2) distinguishes from 「全庁LAN」 (LGWAN環境). The paper \
         says it is 「インターネットと分離」 but does not place it in the 三層 model, although the 全庁LAN screen \
         reaches it.",
    ),
    (
        "SG007@system:庁舎内のプリンタ",
        "The printer that receives ⑧ 印刷物 is described only as 「自席端末を介して接続されている庁舎内のプリンタ」, \
         with no segment. Presumably it is on the 全庁LAN (LGWAN接続系), but the paper does not say.",
    ),
];

#[test]
fn edogawa_telework_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-telework", JUSTIFIED);
    insta::assert_snapshot!("edogawa-telework", report);
}
