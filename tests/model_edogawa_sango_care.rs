//! 江戸川区 令和2年度第11号議案 産後ケア（訪問型）事業 外部委託: every finding on the model, and why it is right given the paper.

mod common;

/// Each finding id with the reason it is a real gap in 第11号議案 (or a question the committee should ask).
/// Findings that are kept although the rule misfires are marked "Rule false positive".
const JUSTIFIED: &[(&str, &str)] = &[
    (
        "DC002@declared:委託事業者",
        "In 図中1-3 the 区 answers the 委託事業者's phone query with 「利用資格の有無」 (6 業務の内容 1(1)), but 7 情報の内容 \
         1 lists only the items of (1)〜(3). The eligibility result, which tells the 委託事業者 that the family meets the \
         対象者 conditions, is not among the items put before the committee.",
    ),
    (
        "DC004@item:利用資格の有無",
        "Same gap seen from the item: 「利用資格の有無」 leaves the 区 for the 委託事業者 (④, 図中1-3), yet it appears \
         in no list of 情報の内容 for the 委託事業者.",
    ),
    (
        "TR002@flow:1",
        "Largely a rule false positive, kept. The paper takes applications 「電話、メール等」 (図中1-1), and the items of \
         (1) include 「既往歴」 and 「健康状態」, but here the caller is the 本人 herself, so the mis-sending risk TR002 \
         describes hardly arises. What remains open is how the caller is identified before her health data is recorded.",
    ),
    (
        "TR002@flow:2",
        "Real gap: 「メール等で支援の申込み」 brings 「既往歴」「健康状態」 by e-mail over the internet. 3(12) 「ネットワーク上で\
         個人情報を伝送する場合は、暗号化を行うこと」 binds only the 委託事業者, not the applicant. The paper also does not \
         say which machine receives the mail, given the PC of 3(3) must be 「外部から接続できないよう保護」.",
    ),
    (
        "TR002@flow:3",
        "Real gap: the 委託事業者 checks eligibility 「利用希望者から得た情報を基に、区に電話で」 (図中1-2). The paper's item \
         list for this step, 「(1) 利用申込み・資格確認」, includes 「既往歴」 and 「健康状態」. It does not say which items \
         are read out on the phone or how the 区 verifies who is calling.",
    ),
    (
        "HS005@system:委託事業者のパソコン",
        "Real gap: the PC holds the 名簿（電子データ） and the 実施報告書 with 「既往歴」「健康状態」. 3(2)(3) limit who may use it \
         and log entry to the room (「入退室記録」), but nothing records who opened which record on the PC.",
    ),
    (
        "TR006@flow:11",
        "Real gap: 「ア及びイ（紙又は電子データ）を区へ提出する」 (図中5-2) gives no medium or network for the electronic \
         実施報告書 and 個人情報データ削除報告書. 3(12)'s encryption applies only 「ネットワーク上で…伝送する場合」, and the \
         paper does not say whether a network is used.",
    ),
    (
        "HY001@flow:5",
        "Real gap: 「支援者の派遣の調整を行う（別紙図中3）」 names no items or medium. The visiting 助産師 must at least learn the \
         利用者's address and condition. The paper does not say whether the 支援者 are the 委託事業者's 業務従事者 or individuals \
         it contracts, which would be 再委託 under 3(13).",
    ),
    (
        "HY001@flow:8",
        "図中4 is the visit itself (「支援者を派遣し…利用者の居所にて実施する」), so the arrow carries no named data; the \
         language has no service-arrow kind. Yet the 実施報告書 holds 「体重、身長、健康状態、支援内容及びその他特記事項」, \
         which can only be gathered at the visit. The paper does not say how they reach the 事業所; 3(5) covers paper only.",
    ),
    (
        "HY001@flow:12",
        "Real gap: 3 その他 (3) 「行政支援が必要な家庭についての報告」 is a report about identified families, given the purpose \
         「児童虐待の未然防止」 possibly about abuse concerns. The paper names no items or medium for it.",
    ),
];

#[test]
fn edogawa_sango_care_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-sango-care", JUSTIFIED);
    insta::assert_snapshot!("edogawa-sango-care", report);
}
