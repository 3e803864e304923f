//! 新宿区 資料61 5歳児健康診査 健康管理システム (ガバメントクラウド): every finding on the model, and the paper's
//! sentence that makes it a question.

mod common;

/// Each finding id, the sentence of `seeds/001_7ddcdac62409cabd.txt` that makes it a question, and why a committee
/// member would accept it.
const JUSTIFIED: &[common::Justified] = &[
    (
        "DC011@declared:株式会社両備システムズ",
        "5歳児健康診査の管理機能(標準化項目)の追加",
        "The change is the 5歳児 function (two items in bold in 資料61-2), yet the 委託 hands 両備 「記録項目 資料61-2のとおり」: \
         the whole 健康管理システム, with 個人番号, 課税・生活保護・障害・要介護 items. The committee should ask whether the 改修 \
         and 保守 need all of it, or whether the wider scope was approved earlier (令和5年度第9回) and which decision covers it.",
    ),
    (
        "MN003@declared:株式会社両備システムズ",
        "宛名番号、個人履歴番号、世帯番号、住民種別、住民状態、個人番号",
        "The 委託 別紙 has 両備システムズ 「処理させる情報項目 資料61-2のとおり」, and 資料61-2 lists 個人番号. The paper \
         gives no 番号法 basis (個人番号利用事務 and its 委託) for the 委託先 handling it.",
    ),
    (
        "OS005@declared:株式会社両備システムズ",
        "再委託先がある場合には、委託先との間に立入り調査等ができる契約内容を付す",
        "The only 再委託 term is conditional oversight once a 再委託先 exists. The paper neither forbids 再委託 nor \
         requires the 区's 事前承諾, which 番号法 第10条 requires for a 委託 that includes 個人番号.",
    ),
    (
        "HS008@model",
        "5歳児健診結果情報、5歳児健診アンケート情報",
        "The change adds the 5歳児健診 results and アンケート (要配慮) to 健康管理システム, which also holds 個人番号. The \
         paper states no retention period for them or for anything in 資料61-2; the erasure clauses bind only デジタル庁 \
         and the 委託先.",
    ),
    (
        "SG007@model",
        "情報戦略課が提供する区イントラ端末から",
        "The 結合の形態 names only the 区イントラ端末. Whether it is on マイナンバー利用事務系 or LGWAN接続系 is not \
         stated, although it reaches a system holding all of 資料61-2, 個人番号 included.",
    ),
    (
        "TR006@flow:健診",
        "5歳児健診結果情報、5歳児健診アンケート情報",
        "The paper adds these two 要配慮 records but does not say how they are collected (paper 問診票, 電子申請, \
         聞き取り), who enters them, or how the paper forms are kept.",
    ),
    (
        "TR006@flow:委託",
        "(1) システムの保守・障害復旧 (2) 運用支援、問い合わせ対応",
        "The 委託先 maintains a system on ガバメントクラウド that holds 個人番号 and 要配慮 data (「電磁的媒体(健康管理システム)」). \
         The paper does not say whether it works remotely or on site, over which network, or with what authentication \
         and logging; checklist 3 only covers entry to 「区のシステム機器設置場所」.",
    ),
];

#[test]
fn shinjuku_5sai_kenshin_findings_are_the_justified_ones() {
    let report = common::check_seed_model("shinjuku-5sai-kenshin", JUSTIFIED);
    insta::assert_snapshot!("shinjuku-5sai-kenshin", report);
}
