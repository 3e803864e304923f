//! 江戸川区 令和2年度第7号・第8号議案 国民健康保険 オンライン資格確認（全項目評価の再実施・外部委託）:
//! every finding on the model, with the paper's sentence that makes it a committee question.
//!
//! Not listed (rule problems reported to the lead, not justified here):
//! `OS004@party:情報提供ネットワークシステムの運営主体` and `OS007@party:情報提供ネットワークシステムの運営主体`
//! treat the 情報提供ネットワークシステム as a member of the 委託 chain (DC001 already exempts it).

mod common;

/// `(finding id, quote from seeds/002_79353f9b62952691.txt, why a committee member would accept the question)`.
const JUSTIFIED: &[common::Justified] = &[
    // ── 国の資格確認システム: accepted (令和元年11月答申) ──
    (
        "DC001@party:国",
        "都国保連の国保情報集約システム（以下「集約システム」という。）を介して医療保険者等向け中間サーバー及び資格確認システムに連携（※）することとなった",
        "国's 資格確認システム receives every 別紙2 item except 個人番号 (1(3), 2(3)), and 国 is not among the 委託先 of 第8号. \
         The paper marks this 連携 「※ 令和元年 11 月諮問答申済み」, so the model records the earlier 答申 as an acceptance.",
    ),
    (
        "AC003@acceptance:DC001@party:国",
        "令和元年 11 月諮問答申済み",
        "The paper says only that the 連携 to the 中間サーバー and 資格確認システム was answered in 令和元年11月; it does not say \
         which items or recipients that 答申 covered, so whether today's 83 items (特定疾病・長期入院 included) fall within it \
         is a question for the committee (the model records no covers because the paper gives none).",
    ),
    // ── 情報の内容（別紙2）に無い機関別符号 ──
    (
        "DC002@declared:国民健康保険中央会",
        "取りまとめ機関が情報提供ネットワークシステムから機関別符号を取得し、機関別符号ファイルに格納する。",
        "The 取りまとめ機関 (国民健康保険中央会 with 支払基金) obtain and store 機関別符号 for the 区's insured, yet 「情報の内容」 \
         is only 別紙2, which does not list 機関別符号. Why is it not in what the committee is asked to approve?",
    ),
    (
        "DC002@declared:支払基金",
        "別紙2「加入者情報登録インターフェイスファイル項目一覧」のとおり",
        "支払基金 is the 委託先 for 「機関別符号取得等事務」 and keeps the 機関別符号ファイル, but 「情報の内容」 points only to 別紙2 \
         (the 集約システム→中間サーバー interface), which has no 機関別符号.",
    ),
    // ── 再委託先 国民健康保険中央会 ──
    (
        "OS002@declared:国民健康保険中央会",
        "イ 再委託先 国民健康保険中央会",
        "The 再委託先 receives 「個人番号を含む資格情報等」 (6 1(1)). 番号法第10条第1項 requires the 区's 許諾 for a 再委託 of \
         個人番号利用事務, and neither paper says it was given or how (実施機関の対策 2(2) only sets contract terms and 立入調査).",
    ),
    (
        "DC009@declared:都国保連",
        "契約期間中のみならず、準備期間中及び契約終了後においても、同様の取扱いとすること。",
        "The paper speaks of a 契約期間, a 準備期間 and the end of the contract, but never says when the 委託 to 都国保連 \
         starts or ends, so the committee cannot tell how long the 区's 資格情報 stays with the 委託先.",
    ),
    (
        "DC009@declared:支払基金",
        "契約期間中のみならず、準備期間中及び契約終了後においても、同様の取扱いとすること。",
        "Same for 支払基金: no period is stated for the 機関別符号取得等事務 委託 and its 中間サーバー.",
    ),
    (
        "DC009@declared:国民健康保険中央会",
        "再委託先と委託先の契約においても、区と委託先との契約で明記する個人情報保護に関する事項を遵守させる",
        "The 再委託 to 国民健康保険中央会 is bound to the 区's contract terms, but neither that contract nor the 再委託 has a \
         stated period: the committee cannot tell until when the 再委託先 holds the 区's 資格情報 with 個人番号.",
    ),
    (
        "MN003@declared:国民健康保険中央会",
        "集約システムの委託区画から個人番号を含む資格情報等を医療保険者等向け中間サーバーの委託区画に連携する。",
        "個人番号 reaches the 再委託先's 委託区画, but no 番号法 basis (第9条・第10条, 第19条) for it handling 個人番号 is stated.",
    ),
    // ── 返却・消去、再委託の制限 ──
    (
        "MN003@declared:都国保連",
        "国民健康保険法第 113 条の 3 に基づき、オンライン資格確認関係業務を受託することとなる公法人",
        "都国保連 receives 「特定個人情報を含む資格情報等」 through the 集約システム, but the only basis the paper gives is \
         国民健康保険法第113条の3; it names no 番号法 basis (別表 entry, 第19条 provision) for a 委託先 handling 個人番号.",
    ),
    (
        "MN003@declared:支払基金",
        "社会保険診療報酬支払基金法の規定に基づき設立され、国民健康保険法第 113 条の 3 に基づき、オンライン資格確認関係業務を受託することとなる法人",
        "支払基金 co-runs the 中間サーバー that holds 個人番号 and links it to the 機関別符号; again only 国民健康保険法 is cited, \
         no 番号法 basis for handling 個人番号 on the 区's behalf.",
    ),
    (
        "OS003@declared:都国保連",
        "契約期間中のみならず、準備期間中及び契約終了後においても、同様の取扱いとすること。",
        "This is all the paper says about the end of the contract: no 返却 of data, no 消去 from the 集約システム, no 消去報告, \
         although the 集約システム holds all of 別紙2 including 個人番号.",
    ),
    (
        "OS003@declared:国民健康保険中央会",
        "再委託先と委託先の契約においても、区と委託先との契約で明記する個人情報保護に関する事項を遵守させる",
        "The 再委託先 is bound only to the 区's contract terms (7 2), which say nothing on 返却・消去; the 区's data in the \
         委託区画 and 資格履歴ファイル has no stated end.",
    ),
    (
        "OS003@declared:支払基金",
        "契約期間中のみならず、準備期間中及び契約終了後においても、同様の取扱いとすること。",
        "Same gap for 支払基金, which co-runs the 中間サーバー (「共同して運営」) holding 別紙2 with 個人番号 and the 機関別符号ファイル.",
    ),
    (
        "OS005@declared:都国保連",
        "個人情報保護に関する特約条項等の遵守を義務付けるとともに、業務従事者に対する秘密保持義務を当該契約書に明記する。",
        "都国保連 does 再委託 to 国民健康保険中央会 (「都国保連から再委託を受けた」), but the contract terms listed in 7 2 contain \
         no 再委託の禁止 or 事前承諾 clause.",
    ),
    (
        "OS005@declared:支払基金",
        "個人情報保護に関する特約条項等の遵守を義務付けるとともに、業務従事者に対する秘密保持義務を当該契約書に明記する。",
        "The same contract terms bind 支払基金; nothing restricts it from passing the work on, although 3 already has the work \
         done 「共同して」 with another body.",
    ),
    // ── システム ──
    (
        "HS008@model",
        "医療保険者等向け中間サーバーの委託区画から取得した資格情報等を、資格履歴ファイルに格納する。",
        "The 集約システム and the 中間サーバー keep the 区's 資格情報 with 個人番号, and the 中間サーバー keeps a 「資格履歴」; \
         how long either keeps it and how it is erased is not stated.",
    ),
    // ── 経路・対策の記載がない段 ──
    (
        "TR006@flow:登録",
        "市町村国保の被保険者の資格情報は、都道府県ごとの国保連が管理する集約システム（①）を介して登録する。",
        "The 区 sends 「特定個人情報を含む資格情報等」 to the 集約システム, but no line, medium or encryption is named — the one \
         public comment was 「セキュリティの確保に不安がある」 and the 評価書 was 「修正なし」.",
    ),
    (
        "TR006@flow:1(1)",
        "集約システムの委託区画から個人番号を含む資格情報等を医療保険者等向け中間サーバーの委託区画に連携する。",
        "This step carries 個人番号 between 都国保連 and the 取りまとめ機関; the network and its protection are not stated.",
    ),
    (
        "TR006@flow:1(3)",
        "個人番号を除いた資格履歴ファイルを資格確認システムに連携する。",
        "No line or protection is stated between the 中間サーバー and 国's 資格確認システム for a file holding 83 items of every \
         insured person, including 特定疾病 data.",
    ),
    (
        "TR006@flow:2(2)要求",
        "区からの資格情報の登録後、システムの自動処理により、符号取得要求ファイルを生成する。",
        "The paper names the 符号取得要求ファイル but not its contents (does it carry 個人番号?) nor how it reaches the \
         情報提供ネットワークシステム.",
    ),
    (
        "TR006@flow:2(2)取得",
        "取りまとめ機関が情報提供ネットワークシステムから機関別符号を取得し、機関別符号ファイルに格納する。",
        "How the 機関別符号 are received from the 情報提供ネットワークシステム (line, protection) is not stated.",
    ),
    (
        "TR006@flow:2(3)",
        "取得した機関別符号と個人番号を連携させ、個人番号を除いた資格履歴ファイルを資格確認システムに連携する。",
        "The second 連携 to the 資格確認システム (機関別符号取得等事務) likewise names no line or protection. The paper writes it as \
         its own step; whether it is the same transfer as 1(3) is not stated.",
    ),
];

#[test]
fn edogawa_kokuho_online_shikaku_findings_are_the_justified_ones() {
    let report = common::check_seed_model("edogawa-kokuho-online-shikaku", JUSTIFIED);
    insta::assert_snapshot!("edogawa-kokuho-online-shikaku", report);
}
