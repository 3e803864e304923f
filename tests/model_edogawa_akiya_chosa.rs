//! 江戸川区 令和2年度第10号議案 空き家等実態調査 外部委託: every finding on the model, with the paper's sentence
//! that makes it a question the committee would accept.

mod common;

/// `(finding id, quote from 第10号議案, why a committee member would accept the question)`.
const JUSTIFIED: &[common::Justified] = &[
    (
        "DC002@declared:委託事業者",
        "調査対象建築物及びその周辺を公道から写真撮影し、そのデータを区へ提出する",
        "The contractor photographs every building 「及びその周辺」, so people, 表札 and vehicles can appear, but 写真データ \
         is not among the 別紙2 「委託業務で扱う個人情報の項目」 the committee is asked to approve.",
    ),
    (
        "OS005@declared:委託事業者",
        "個人情報保護に関する特約条項等の遵守を義務付けるとともに、業務従事者に対する秘密保持義務を当該契約書に明記する",
        "The contract terms the paper lists say nothing about 再委託 (no 禁止, no 事前承諾, no 再委託先), although the work \
         is a field survey of 「区内に約 34 万戸ある建築物」 that is often subcontracted.",
    ),
    (
        "TR006@flow:1",
        "委託事業者は、区が提供する情報を利用し、以下のとおり実態調査業務を行う",
        "This is the only stated channel from the 区 to the contractor, and the paper never says what 「区が提供する情報」 \
         is (所有者情報? 課税者情報? 水道の閉栓情報?), how many records, or on which medium.",
    ),
    (
        "TR006@flow:3",
        "そのデータを区へ提出する（提出後、データは消去する。）",
        "The photos of all buildings are handed to the 区, but the medium and its protection (encryption, 受渡簿) are not \
         stated for this step.",
    ),
    (
        "TR006@flow:4",
        "登記事項証明書（土地・建物）の交付申請書類を作成する",
        "The contractor prepares the 交付申請書類, which identify the properties whose owners are sought; their contents and \
         how they reach the 区 (which, by 6-3 「区が取得した」, applies) are not stated.",
    ),
    (
        "TR006@flow:5",
        "今後の意向等に関するアンケートを所有者等に送付し",
        "The paper does not say how the アンケート is sent (郵送?), under whose name, or which address (所有者 or 課税者) is \
         used, although it goes to owners identified from 登記 and 課税情報.",
    ),
    (
        "TR006@flow:6",
        "未回答の場合は催促を行う",
        "The method of the reminder (電話, 訪問, 再送付) and what it carries are not stated; a visit or a call to an \
         identified owner is a different handling of personal information from a letter.",
    ),
    (
        "TR006@flow:7",
        "データベース、個別管理票及び調査報告書を作成し、令和 3 年 3 月までに区へ提出する",
        "The contractor's deliverables hold the owners' data, but the paper states no medium, encryption or hand-over \
         record for this step; 実施機関の対策 2(1) is not tied to it.",
    ),
    (
        "TR006@flow:8",
        "作業終了後の返却時においては、受け渡された情報媒体種別及び数量その他必要な事項を確認の上、受渡し時同様に返却の記録をする",
        "The return is checked against what was lent, but what was lent (「区が提供する情報」) is not stated, so the \
         committee cannot tell what must come back and what may stay with the contractor.",
    ),
    (
        "HS008@model",
        "作業終了後、区から貸与された資料の返却及び消去報告を行うこと",
        "Deletion is stated only for the lent material and the photos. The database, 個別管理票 and owners' data the \
         contractor builds in its own 情報システム have no stated retention or deletion after delivery.",
    ),
];

#[test]
fn edogawa_akiya_chosa_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-akiya-chosa", JUSTIFIED);
    insta::assert_snapshot!("edogawa-akiya-chosa", report);
}
