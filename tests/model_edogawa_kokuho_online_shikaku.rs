//! 江戸川区 令和2年度第7号・第8号議案 国民健康保険 オンライン資格確認（全項目評価の再実施・外部委託）:
//! every finding on the model, and why it is right given the papers.

mod common;

/// Each finding id with the reason it is a real gap in 第7号・第8号議案 (or a question the committee should ask).
const JUSTIFIED: &[(&str, &str)] = &[
    (
        "OS002@declared:国民健康保険中央会",
        "第8号 7 1(1)イ names 国民健康保険中央会 as 「再委託先」 (3: 「都国保連から再委託を受けた」), and it receives \
         「個人番号を含む資格情報等」 in the 中間サーバーの委託区画 (6 1(1); 別紙2 項番6・7 「個人番号(マイナンバー)」). \
         Neither paper records the 区's 許諾 or 承諾 for this 再委託; 実施機関の対策 2(2) only makes the 再委託 contract \
         carry the same terms and provides 「定期的に立入調査」, while 番号法第10条 requires the 最初の委託者's 許諾.",
    ),
    (
        "DC001@party:国",
        "国 is not a 委託先 in 第8号, yet the 「国が構築するオンライン資格確認等システム」 receives 「個人番号を除いた資格履歴ファイル」 \
         (6 1(3), 2(3)), i.e. every 別紙2 item but 個人番号. The paper itself says this 連携 was decided earlier \
         (「資格確認システムに連携（※）」「※ 令和元年11月諮問答申済み」), so the model records it as accepted.",
    ),
    (
        "OS004@party:国",
        "The 資格履歴ファイル reaches 国's 資格確認システム from the 取りまとめ機関 (再委託先・委託先), and 国 is not a 再委託先 of \
         them. As for DC001, the paper relies on the 「令和元年11月諮問答申済み」 連携, recorded as accepted.",
    ),
    (
        "DC002@declared:国民健康保険中央会",
        "6 2(2) says 「取りまとめ機関が情報提供ネットワークシステムから機関別符号を取得し、機関別符号ファイルに格納する」, and the \
         取りまとめ機関 include 国民健康保険中央会; but 7 「情報の内容」 is only 別紙2, which has no 機関別符号.",
    ),
    (
        "DC002@declared:支払基金",
        "支払基金 is the 委託先 for 「機関別符号取得等事務」 (7 1(2)) and stores the 機関別符号 it obtains, yet the 「情報の内容」 put \
         before the committee (別紙2) does not list 機関別符号.",
    ),
    (
        "DC004@item:機関別符号",
        "別紙1 says 「医療保険者等向け中間サーバーには個人番号や機関別符号が含まれる」, and 6 2(2) stores it in the \
         機関別符号ファイル, but no 委託先's 情報の内容 (別紙2) includes it.",
    ),
    (
        "HS001@system:国保情報集約システム",
        "The paper says only 「都国保連の国保情報集約システム」 (「都道府県ごとの国保連が管理する集約システム（①）」); where it runs \
         and under which law is not stated, although it stores all of 別紙2 including 個人番号.",
    ),
    (
        "HS001@system:中間サーバー（委託区画）",
        "The 中間サーバー is 「国民健康保険中央会及び社会保険診療報酬支払基金が共同して運営する」, but neither paper says where it is \
         hosted or that a 国内法 environment is assured; the public comment 「セキュリティの確保に不安がある」 led to 「修正なし」.",
    ),
    (
        "HS001@system:中間サーバー（資格履歴ファイル）",
        "Same gap for the 資格履歴ファイル, which holds 別紙2 with 個人番号 and, per 別紙1, 「被用者保険等の他の医療保険者の資格情報」.",
    ),
    (
        "HS001@system:中間サーバー（機関別符号ファイル）",
        "Same gap for the 機関別符号ファイル of the 中間サーバー (6 2(2)): no hosting or 国内法 statement.",
    ),
    (
        "HS001@system:資格確認システム",
        "The 資格確認システム is only 「国が構築する」 and 「別途構築し、運用する」; the papers say nothing about where it runs. Being \
         a 国 system makes a foreign-law problem unlikely, but the paper leaves it unstated.",
    ),
    (
        "HS003@system:資格確認システム",
        "7 3(2) 「取り扱うことができる者を限定し…アクセス権を制御」 binds the 委託先's 「当該事務処理を行う情報システム」, not 国's \
         資格確認システム, which holds every 別紙2 item except 個人番号 (including 特定疾病療養受療証情報) for use by \
         「医療機関等」; who may see it is not stated.",
    ),
    (
        "HS004@system:資格確認システム",
        "Same gap: no 「ID及びパスワード」 or other authentication is stated for the 資格確認システム.",
    ),
    (
        "HS005@system:資格確認システム",
        "Same gap: 「システムのアクセス記録は定期的に確認」 is required of the 委託先's systems only; nothing is said of access logs \
         on the 資格確認システム.",
    ),
    (
        "OS003@declared:都国保連",
        "7 3(6) says only 「契約期間中のみならず、準備期間中及び契約終了後においても、同様の取扱い」; no 返却 of data or 消去・消去報告 \
         from the 集約システム is stated.",
    ),
    (
        "OS003@declared:国民健康保険中央会",
        "Same gap for the 再委託先: nothing on deleting the 区's records from the 委託区画 or 資格履歴ファイル, or reporting it, at \
         contract end.",
    ),
    (
        "OS003@declared:支払基金",
        "Same gap for 支払基金, which co-runs the 中間サーバー (「共同して運営」) and keeps the 機関別符号ファイル.",
    ),
    (
        "TR006@flow:1",
        "① the 区 registers 「特定個人情報を含む資格情報等」 in the 集約システム (「集約システム（①）を介して登録する」), but neither \
         paper names the line (LGWAN, 専用線, 電子記録媒体…) — exactly the public comment's 「セキュリティの確保に不安がある」.",
    ),
    (
        "TR006@flow:2",
        "② 「集約システムの委託区画から個人番号を含む資格情報等を医療保険者等向け中間サーバーの委託区画に連携する」 (6 1(1)) names no \
         network between 都国保連 and the 中間サーバー.",
    ),
    (
        "TR006@flow:3",
        "③ 「委託区画から取得した資格情報等を、資格履歴ファイルに格納する」 (6 1(2)) moves the 区's data into a file shared with other \
         insurers; the paper does not say whether 委託区画 and 資格履歴ファイル are separate servers or how the move is made. \
         (The model splits the 中間サーバー into areas, so this in-server step shows as a flow.)",
    ),
    (
        "TR006@flow:4",
        "④ 「個人番号を除いた資格履歴ファイルを資格確認システムに連携する」 (6 1(3)) names no network between the 中間サーバー and 国's \
         資格確認システム.",
    ),
    (
        "TR006@flow:7",
        "⑦ 「情報提供ネットワークシステムから機関別符号を取得」 (6 2(2)) names no line to the 情報提供ネットワークシステム.",
    ),
    (
        "TR006@flow:8",
        "⑧ (6 2(3)) again sends 「個人番号を除いた資格履歴ファイル」 to the 資格確認システム with no network stated.",
    ),
    (
        "HY001@flow:5",
        "⑤ 「システムの自動処理により、符号取得要求ファイルを生成する」 (6 2(1)): the paper never says what the 符号取得要求ファイル \
         contains, e.g. whether it carries 個人番号.",
    ),
    (
        "HY001@flow:6",
        "⑥ the 符号取得要求 to the 情報提供ネットワークシステム (6 2(2)) likewise has no stated contents, so the committee cannot tell \
         whether 個人番号 leaves the 中間サーバー here.",
    ),
    (
        "OS005@declared:都国保連",
        "都国保連 does 再委託 to 国民健康保険中央会, but 7 2 「委託契約における規定」 lists only 条例・規則・特約条項等 and 秘密保持義務; \
         no 再委託の禁止 or 事前承諾 term is stated.",
    ),
    (
        "OS005@declared:支払基金",
        "Same gap for 支払基金; 3 even says the work is done 「共同して」 by the 取りまとめ機関, yet no 再委託 restriction is stated.",
    ),
];

#[test]
fn edogawa_kokuho_online_shikaku_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-kokuho-online-shikaku", JUSTIFIED);
    insta::assert_snapshot!("edogawa-kokuho-online-shikaku", report);
}
