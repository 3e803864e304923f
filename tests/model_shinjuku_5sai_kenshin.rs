//! 新宿区 資料61 5歳児健康診査 健康管理システム (ガバメントクラウド): every finding on the model, and why it is right given the paper.

mod common;

/// Each finding id with the reason it is a real gap in 資料61 (or a question the committee should ask).
const JUSTIFIED: &[(&str, &str)] = &[
    (
        "HY001@flow:1",
        "① is the 委託の内容 「システム改修業務 5歳児健康診査の管理機能(標準化項目)の追加」, and the paper says what it \
         should not carry (「入力及び取込みテストにおいては、ダミーデータを使わせる」, 「実データを使用した検証作業は、区職員が実施する」) \
         but never states that the 改修 step carries no personal data. The 委託先 still gives 「必要な支援」 on the 実データ検証, \
         so the committee should confirm that nothing moves in this step.",
    ),
    (
        "OS005@declared:株式会社両備システムズ",
        "The checklist only says 「再委託先がある場合には、委託先との間に立入り調査等ができる契約内容を付す」. That covers \
         oversight once a 再委託 exists. Nowhere does the paper forbid 再委託 or require the 区's 事前承諾, and it does not \
         say whether 両備システムズ subcontracts.",
    ),
    (
        "SG007@system:区イントラ端末",
        "The 結合の形態 names only 「情報戦略課が提供する区イントラ端末」. It does not say whether the terminal is on \
         マイナンバー利用事務系 or LGWAN接続系, yet ③④ bring all of 資料61-2 to it, 「個人番号」 included.",
    ),
    (
        "TR006@flow:2",
        "The paper says the 5歳児健診 adds 「5歳児健診結果情報、5歳児健診アンケート情報」 to the system, but not how they \
         reach the 区: whether the アンケート is a paper 問診票 or 電子申請, or who records the results.",
    ),
    (
        "TR006@flow:3",
        "「区イントラ端末から、ガバメントクラウド接続サービスを利用して…ガバメントクラウドに結合する」 names a service \
         but not the line type (閉域網, 専用線 or インターネットVPN). This step registers every 資料61-2 item, 個人番号 \
         included, so the committee should ask.",
    ),
    (
        "TR006@flow:4",
        "Same gap for 参照 over the same 結合: only 「ガバメントクラウド接続サービス」 is named, with no line type for \
         bringing 資料61-2 (個人番号 included) back to the 区イントラ端末.",
    ),
    (
        "TR006@flow:5",
        "The 委託 is 「システムの保守・障害復旧」「運用支援、問い合わせ対応」 on 「電磁的媒体(健康管理システム)」, so \
         両備システムズ works on data held on ガバメントクラウド. The paper does not say whether that access is remote or on \
         site, over which network, or from which terminal.",
    ),
];

#[test]
fn shinjuku_5sai_kenshin_findings_are_the_justified_ones() {
    let report = common::check_seed_model("shinjuku-5sai-kenshin", JUSTIFIED);
    insta::assert_snapshot!("shinjuku-5sai-kenshin", report);
}
