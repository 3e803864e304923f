//! 江戸川区 令和2年度第10号議案 空き家等実態調査 外部委託: every finding on the model, and why it is right given the paper.

mod common;

/// Each finding id with the reason it is a real gap in 第10号議案 (or a question the committee should ask).
const JUSTIFIED: &[(&str, &str)] = &[
    (
        "DC002@declared:委託事業者",
        "The 委託事業者 receives three things that 別紙2 「委託業務で扱う個人情報の項目」 does not list: \
         「区が提供する情報」 (6, with its contents unstated), the 「写真データ」 of 「調査対象建築物及びその周辺」 \
         (6-1), and the answers to the 「今後の意向等に関するアンケート」 (6-3). The committee approves only the \
         別紙2 items.",
    ),
    (
        "HS001@system:委託事業者の情報システム",
        "4(4) describes 「当該事務処理を行う情報システム」 with access control and 「外部から接続できないよう保護対策」 \
         but does not say where it runs. The 履行場所 is 「委託事業者の事業所」, which suggests but does not state \
         on-premises hosting in Japan. The committee should ask.",
    ),
    (
        "DC004@item:区が提供する情報",
        "6 「委託事業者は、区が提供する情報を利用し」: the paper gives this information's contents, format and source \
         nowhere, and it is not in 別紙2. 「水道の閉栓情報」, for instance, cannot be seen from the road, so the \
         committee should ask what the 区 hands over.",
    ),
    (
        "DC004@item:写真データ",
        "6-1 has every building 「及びその周辺を公道から写真撮影」 and submitted to the 区. The photos may show \
         people, 表札 and vehicles, yet 写真データ is not among the 別紙2 items.",
    ),
    (
        "DC004@item:今後の意向等（アンケート回答）",
        "6-3 sends 「今後の意向等に関するアンケート」 to named 所有者等 and chases 「未回答の場合」. The answers are \
         personal information about identified owners and are not in 別紙2.",
    ),
    (
        "TR006@flow:3",
        "6-1 says the contractor 「建築物の基本情報及び空き家判定・状況を記録する」 in the field, but not on what \
         (tablet, paper form) or how the records get back to the 事業所. 4(6) 「個人情報外部持出簿」 and 4(7) show \
         that personal data is carried in the field. (③ is observation, which the model writes as a flow from the \
         所有者等.)",
    ),
    (
        "TR006@flow:4",
        "6-1 「そのデータを区へ提出する（提出後、データは消去する。）」: no channel or medium is stated for the photos of \
         all ~34万 buildings.",
    ),
    (
        "TR006@flow:5",
        "6-2 has the contractor 「登記事項証明書（土地・建物）の交付申請書類を作成する」. How these documents reach \
         the 区 is not stated.",
    ),
    (
        "TR006@flow:6",
        "6-3 says only 「区が取得した登記事項証明書」. How the 区 obtains them from the 登記所 is not stated. The step \
         lies outside the 委託 itself but is where 所有者情報 comes from.",
    ),
    (
        "TR006@flow:7",
        "6-3 identifies 所有者等 by 「区が取得した登記事項証明書…及び固定資産税課税情報」, which the contractor needs in \
         order to send the アンケート. The paper does not say how or on what medium this reaches the contractor. The \
         model applies the general hand-over rules 4(1) and 実施機関の対策2(1), but the medium is unknown.",
    ),
    (
        "TR006@flow:9",
        "The アンケート's return path (to the contractor or to the 区, 返信用封筒 or otherwise) is not stated. The model \
         infers that answers reach the contractor from 「未回答の場合は催促を行う」.",
    ),
    (
        "TR006@flow:10",
        "6-3 「未回答の場合は催促を行う」: the method of the reminder (郵送, 電話, 訪問) is not stated.",
    ),
    (
        "TR006@flow:11",
        "6-4 「データベース、個別管理票及び調査報告書を作成し…区へ提出する」: the medium is not stated, nor whether \
         the データベース is encrypted. Only 実施機関の対策2(1) (direct hand-over, 受渡簿) can be read as covering it.",
    ),
    (
        "HY001@flow:14",
        "⑭ is the 「消去報告」 of 4(11), a report about deletion that carries no personal data, and its label says so. \
         This is the notification case the rule itself allows for.",
    ),
    (
        "OS005@declared:委託事業者",
        "The paper never mentions 再委託: no 禁止, no 事前承諾, no 再委託先. It only binds the contractor to \
         「個人情報保護に関する特約条項等」. A field survey of 「区内に約34万戸ある建築物」 is the kind of work likely to \
         be subcontracted.",
    ),
];

#[test]
fn edogawa_akiya_chosa_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-akiya-chosa", JUSTIFIED);
    insta::assert_snapshot!("edogawa-akiya-chosa", report);
}
