//! 江戸川区 令和2年度第11号議案 産後ケア（訪問型）事業 外部委託: every finding on the model, the paper's sentence that
//! makes it a question, and why a committee member would accept it.

mod common;

const JUSTIFIED: &[common::Justified] = &[
    // ---- 支援者（助産師）: who they are and what they receive is not stated ----
    (
        "DC001@party:支援者",
        "支援者の派遣の調整を行う（別紙図中3）",
        "The 委託事業者 dispatches 助産師 (支援者) to the 利用者's home, so they must learn at least her address and \
         condition, yet the paper names only the 委託事業者 as the party the processing is entrusted to. Whether the 支援者 \
         are its own 業務従事者 or midwives it recruits and pays (「支援者の募集、研修及び派遣」「支援者の報酬支払」), which \
         would be a 再委託 needing prior approval under 3(13), is not said, so the committee must ask.",
    ),
    (
        "OS007@party:支援者",
        "再委託を行う場合は、事前に区の承認を受けるものとし",
        "If the 支援者 are 再委託先, the 区's approval must name them; the paper names no one beyond 「助産師」 and does not \
         say how the approved 支援者 will be reported to the 区 or the committee.",
    ),
    (
        "OS007@party:委託事業者",
        "答申後プロポーザルにて委託事業者選定",
        "The committee is asked to approve an outsourcing whose contractor is chosen only after the 答申; it may ask that \
         the selected company (and its safeguards) be reported back.",
    ),
    // ---- 資格確認 by phone (図中1-2, 1-3) ----
    (
        "DC002@declared:委託事業者",
        "区に電話で資格確認を行い、利用資格の有無を確認する",
        "The 区 tells the 委託事業者 whether the applicant is eligible (図中1-3), but 「利用資格の有無」 is not among the items \
         of 7 情報の内容 that the committee is asked to approve. The result tells the 委託事業者 facts the 区 holds \
         (residence, eligibility), so it should be listed or its content explained.",
    ),
    (
        "TR002@flow:1-2",
        "利用希望者から得た情報を基に、区に電話で資格確認を行い",
        "The items the paper lists for 「(1) 利用申込み・資格確認」 include 既往歴 and 健康状態, and eligibility depends on \
         「医療的な処置の必要がない者」. The 委託事業者 passes this information to the 区 by phone; which items are read \
         out, and how mishearing or a wrong number is guarded against, is not stated.",
    ),
    (
        "TR006@flow:1-2",
        "利用資格の有無を確認する（別紙図中1-2及び1-3）",
        "No safeguard is stated for the phone enquiry from the 委託事業者 to the 区 (図中1-2): neither caller verification \
         nor a record of what was asked.",
    ),
    (
        "TR006@flow:1-3",
        "利用資格の有無を確認する（別紙図中1-2及び1-3）",
        "The 区 answers eligibility by phone (図中1-3) with no stated safeguard; before confirming facts about a resident \
         the 区 should know it is speaking to the 委託事業者.",
    ),
    // ---- application by phone or mail (図中1-1) ----
    (
        "TR008@flow:1-1",
        "利用希望者から電話、メール等で支援の申込みを受け付ける",
        "Applications bring 既往歴 and 健康状態 to the 委託事業者 by phone or e-mail. The paper says nothing about how they \
         are taken (identity of the caller, mishearing, mail sent to a wrong or shared address) or how call notes and \
         mails are kept and deleted; 3(12) encryption binds only what the 委託事業者 itself sends.",
    ),
    // ---- steps the paper names without items, medium or safeguards ----
    (
        "TR006@flow:3-1",
        "希望日程や支援内容の確認のための連絡を電話又はメールにて行う（別紙図中3-1）",
        "What the 委託事業者 says or mails to the applicant about dates and 支援内容 is not listed; a mail about the planned \
         care can carry health information, and a wrong address discloses it.",
    ),
    (
        "TR006@flow:3",
        "支援者の派遣の調整を行う（別紙図中3）",
        "Nothing says what the 委託事業者 passes to the visiting 支援者 (address, 既往歴, 健康状態…) or by what means, although \
         the visit cannot happen without it.",
    ),
    (
        "TR006@flow:5-2イ",
        "ア及びイ（紙又は電子データ）を区へ提出する",
        "The 実施報告書 and 個人情報データ削除報告書 are electronic data, but the paper gives no medium (mail, 記録媒体, …) \
         for handing them to the 区; 3(12) encryption applies only 「ネットワーク上で」, which is not said to be used.",
    ),
    (
        "TR006@flow:5-2引継ぎ",
        "継続的な支援が必要な利用者については区に引き継ぐ（別紙図中5-2）",
        "A hand-over of families who need continued support: what information is handed over, and how, is not stated.",
    ),
    (
        "TR006@flow:その他(3)",
        "(3) 行政支援が必要な家庭についての報告",
        "Given the stated aim 「児童虐待の未然防止」, a report on families needing 行政支援 may carry the most sensitive \
         observations of the service; its items, medium and safeguards are not stated.",
    ),
    (
        "TR006@flow:対策3(9)",
        "本業務に用いた個人情報を含む紙媒体は、各利用者に対する支援終了時又は業務の委託期間終了時に区に返却すること",
        "Which paper records are returned (beyond the 実施確認書 already handed over at 図中5-2, e.g. application notes) is \
         not said, so the committee cannot tell what the 委託事業者 keeps until then.",
    ),
    // ---- the 委託事業者's PC and items ----
    (
        "HS003@system:委託事業者のパソコン",
        "ID、パスワード等によりアクセス権を制御するとともに",
        "The PC holds the 名簿 and 実施報告書 with 既往歴, 健康状態 and 支援内容. Access is limited by ID and password, and entry \
         to the room is logged (3(2)), but no record of who opened which record on the PC is required.",
    ),
    (
        "DC007@declared:委託事業者",
        "体重、身長、出産週数、出産医療機関、健康状態、支援内容及びその他特記事項",
        "The 実施報告書 holds 体重, 身長 and その他特記事項 (and 連絡先), which can only come from the home visit (図中4), yet no \
         step says how the 支援者's observations reach the 委託事業者 (paper notes, a private phone, …). The committee would \
         ask how these items are obtained and carried.",
    ),
];

#[test]
fn edogawa_sango_care_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-sango-care", JUSTIFIED);
    insta::assert_snapshot!("edogawa-sango-care", report);
}
