//! 江戸川区 令和2年度第9号議案 在宅勤務型テレワーク・e-ship 仕様変更: every finding on the model, with the paper's
//! sentence that makes it a question the committee would accept.

mod common;

/// `(finding id, quote from 第9号議案, why a committee member would accept the question)`.
const JUSTIFIED: &[common::Justified] = &[
    (
        "HS007@model",
        "全庁LAN内の接続管理用サーバにより、職員の執務環境に配備している全庁LAN端末（以下「自席端末」という。）と、テレワーク専用端末との接続を確立する",
        "Steps ① (connection) and ③ (remote operation) reach the 自席端末 from the テレワーク専用端末 at the 職員's home \
         (「自宅に限る」). The paper names no authentication of the 職員 or the terminal (ID・パスワード, 証明書, 多要素) and no \
         log of the connection or of what is done in the remote session, although the 平成19年 答申 had forbidden remote \
         access from the home.",
    ),
    (
        "TR003@flow:5",
        "持ち出しが必要となる場合は、情報資産の格付けに応じて適切に取り扱わなければならない",
        "別紙1 9(2)③ lets 紙媒体 be taken home, and 機密性3 (個人情報) is only 「原則持出し禁止」. No 持出しの記録・承認, \
         carrying case, home storage or return check is stated for paper that leaves the 庁舎.",
    ),
    (
        "TR009@flow:2",
        "テレワーク専用端末と全庁LANは、通信キャリアのネットワークデータセンターを介し、専用回線で接続する",
        "The 自席端末's screen, which 別紙2 特徴4 says is 「システム利用権限も含めて同じ環境」, passes through the carrier's \
         data centre. The paper states 閉域網・専用回線 and 「インターネットと分離」 but no encryption, and nothing about \
         whether the (unnamed) carrier can read or keep the traffic.",
    ),
    (
        "SG007@model",
        "全庁情報システムネットワークの LGWAN 環境（以下「全庁 LAN」という。）とテレワークシステムの利用環境（以下「テレワーク環境」という。）",
        "2(2) distinguishes the テレワーク環境 from the 全庁LAN (LGWAN環境) but never places the テレワーク専用端末 in the 三層 \
         model, although the LGWAN接続系 screen reaches it; the 庁舎内のプリンタ is described only as connected 「自席端末を介して」.",
    ),
];

#[test]
fn edogawa_telework_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-telework", JUSTIFIED);
    insta::assert_snapshot!("edogawa-telework", report);
}
