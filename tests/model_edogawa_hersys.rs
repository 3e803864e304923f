//! 江戸川区 令和2年度第12号議案 HER-SYS 外部結合: every finding on the model, and why it is right given the paper.

mod common;

/// Each finding id with the reason it is a real gap in 第12号議案 (or a question the committee should ask).
/// Findings that are kept although the rule misfires are marked "Rule false positive".
const JUSTIFIED: &[(&str, &str)] = &[
    (
        "DC001@party:東京都",
        "Real gap: 別紙1 says 「都庁は同じデータをリアルタイムで共有可能（権限で制御）」, so everything the 区 enters reaches \
         東京都. The paper names only 「厚生労働省が構築したHER-SYS」 as 結合先 and gives no basis for 東京都 receiving it.",
    ),
    (
        "HS001@system:HER-SYS",
        "Real gap: the 結合先 is described only as 「厚生労働省が構築したクラウド上の仮想専用領域」. The cloud provider, the \
         location of the data and the governing law are not stated for a system holding every patient's 別紙2 items.",
    ),
    (
        "HS002@system:HER-SYS",
        "Real gap as written: no third-party certification of the cloud is stated, and 別紙3 only says the cloud's \
         physical security, backup and monitoring 「国のクラウドコンピューティングシステムに準じる」. The committee may \
         accept this for a national system, but the paper does not say so.",
    ),
    (
        "HS005@system:HER-SYS",
        "Real gap: 3(4) 利用状況の記録 keeps only 「最終アクセス日時、利用者ID、氏名」 for the 区's users, and 別紙3 leaves \
         「システムの利用記録等の管理」 to a future 運用規程. Nothing records which patient records were viewed or changed, by the \
         区 or by the other users (都庁, 医療機関).",
    ),
    (
        "TR006@flow:2",
        "別紙1 says 「各々がクラウド上にデータを登録」, so the 検査機関 registers the 「PCR検査結果」 itself. The paper describes \
         only the 区's connection (「インターネットを通じて」); how the 検査機関 connects is unstated.",
    ),
    (
        "TR006@flow:3",
        "Same gap: the 帰国者接触者外来・地域外来検査センター register 「ID管理情報」「基礎情報」「検査記録」「発生届」 directly, \
         and their channel is not described.",
    ),
    (
        "TR006@flow:8",
        "Real gap: 業務の内容 3 「陽性患者とのシステム経由による健康観察」 has patients reaching HER-SYS. No channel, device or \
         authentication is given; the 2段階の認証 is described for 「システム利用者」 only.",
    ),
    (
        "TR006@flow:9",
        "The 宿泊療養施設・社会福祉施設 register 「健康観察票」 (別紙1), and their channel is not described.",
    ),
    (
        "TR006@flow:10",
        "The 感染症指定医療機関 register 「診断情報」「入院情報、医療行為」 (別紙1), and their channel is not described.",
    ),
    (
        "TR006@flow:12",
        "「都庁は同じデータをリアルタイムで共有可能」: how 東京都 reaches the data (network, terminals) is not described, \
         although it receives everything the 区 enters.",
    ),
    (
        "HY001@flow:1",
        "Language limitation rather than a gap: 別紙1's 「検体」 arrow carries a specimen, not data, and nagare has no \
         kind for physical arrows. The arrow is outside the 区's 結合 and is kept because the figure draws it.",
    ),
    (
        "HY001@flow:4",
        "Real gap: 別紙1 「保健所は電話やFAXで受けたデータの手入力もある」 names neither the callers nor the items. If they \
         include 発生届 contents, 要配慮 data reaches the 区 by phone with no safeguard stated.",
    ),
    (
        "HY001@flow:5",
        "Same gap for FAX: sender, items, controls against misdirected FAX and keeping of the FAX paper are unstated; the \
         only rule is 「記録媒体等は保健予防課執務室内において施錠保管」.",
    ),
    (
        "HY001@flow:11",
        "Rule false positive, kept: the paper says what this arrow carries, 「確保した宿泊施設を登録」, i.e. facility data \
         and no personal information. HY001 cannot tell a non-personal flow from an empty one.",
    ),
];

#[test]
fn edogawa_hersys_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-hersys", JUSTIFIED);
    insta::assert_snapshot!("edogawa-hersys", report);
}
