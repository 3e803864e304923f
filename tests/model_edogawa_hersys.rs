//! 江戸川区 令和2年度第12号議案 HER-SYS 外部結合: every finding on the model, the paper's sentence that makes it a
//! question, and why a committee member would accept it.

mod common;

const JUSTIFIED: &[common::Justified] = &[
    (
        "TR008@flow:電話・FAX",
        "保健所は電話やFAXで受けたデータの手入力もあるので、すべての機能権限を持つ",
        "The 保健予防課 receives data by phone and FAX and keys it into HER-SYS, which holds 発生届 and 健康観察 items \
         (病状・基礎疾患, all 要配慮). The paper states no FAX procedure (番号の事前確認, 送信前の確認) and nothing on where \
         received FAX sheets and call notes are kept and when they are destroyed.",
    ),
    // ---- who else reads what the 区 enters ----
    (
        "DC001@party:東京都",
        "都庁は同じデータをリアルタイムで共有可能（権限で制御）",
        "Everything the 区 enters into HER-SYS, including 陽性・症状・基礎疾患, can be read by 東京都 in real time, but the \
         paper's only 結合先 is 「厚生労働省が構築した HER-SYS」. Neither the basis for the 都 receiving the data nor the \
         scope of its 権限 is stated.",
    ),
    (
        "DC001@party:医療機関等の関係機関",
        "当該情報を保健所、医療機関、都道府県等の関係者間において迅速に共有できるようにするため",
        "The stated purpose and 業務 2 「医療機関等の関係機関との情報連携」 mean that medical institutions read the 区's \
         entries, yet they are not a declared 相手方 and the paper says neither which bodies nor which items.",
    ),
    // ---- the national cloud ----
    (
        "HS001@system:HER-SYS",
        "厚生労働省が構築したクラウド上の仮想専用領域",
        "HER-SYS holds every item of 別紙2 for the 区's patients, and is described only as a cloud area built by the \
         ministry: the cloud provider, where the data is held and which law governs it are not stated.",
    ),
    (
        "HS002@system:HER-SYS",
        "国のクラウドコンピューティングシステムに準じる",
        "For physical security, backup, authentication, server anti-virus and monitoring 別紙3 says only that they follow \
         「国のクラウドコンピューティングシステム」; no certification or audit of the cloud holding 要配慮個人情報 is named, \
         so the committee has nothing to check the claim against.",
    ),
    (
        "HS003@system:HER-SYS",
        "本システム利用者の操作履歴について、次の情報を記録して管理する。ア 最終アクセス日時 イ 利用者 ID ウ 氏名",
        "The only record the paper states is the 区 users' last access time, ID and name; nothing records which patient \
         records were viewed or changed, by the 区 or by the 都 and 医療機関 that share the system, and 別紙3 leaves \
         「システムの利用記録等の管理」 to a 運用規程 not yet written.",
    ),
    (
        "OS006@system:HER-SYS",
        "患者等の医療情報等を代理入力することによる正確なデータ管理",
        "The 区 puts its residents' medical data into a system run by another body, and the paper says nothing about how \
         long HER-SYS keeps it or when and by whom it is erased (during or after the pandemic).",
    ),
    // ---- phone and FAX intake ----
    (
        "TR006@flow:電話・FAX",
        "保健所は電話やFAXで受けたデータの手入力もあるので、すべての機能権限を持つ",
        "The 保健所 takes data by phone and FAX and keys it into HER-SYS, whose items are largely 要配慮 (検査結果, 症状, \
         基礎疾患). Who sends it, which items, and how misdirected FAXes and the received sheets are handled is not stated.",
    ),
];

#[test]
fn edogawa_hersys_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-hersys", JUSTIFIED);
    insta::assert_snapshot!("edogawa-hersys", report);
}
