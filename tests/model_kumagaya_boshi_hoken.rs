//! 熊谷市 評価書番号11 母子保健法に関する事務 重点項目評価書: every finding on the model, with the paper's own
//! sentence that makes it a question for the committee, and why.

mod common;

/// `(finding id, quote from seeds/003_d99fbf5824e3fa1f.txt, why a committee member would ask it)`.
const JUSTIFIED: &[common::Justified] = &[
    // ── 入手: 県の電子申請, ぴったりサービス, 医療機関
    (
        "DC001@party:県",
        "届出はマイナーポータルぴったりサービス検索・電子申請機能及び県の電子申請でも受領する",
        "I 1② says 妊娠の届出 are also received through the 県's e-application, but the 県 appears nowhere else: II 3① \
         入手元 leaves 「地方公共団体・地方独立行政法人」 unticked, II 3② 入手方法 and the I 2 system list omit it. Who runs \
         the service, on what arrangement it holds the 届出, and whether it takes 個人番号 are not stated.",
    ),
    (
        "TR006@flow:5",
        "県の電子申請でも受領する",
        "How the 届出 received by the 県's e-application reach the 母子健康センター (download, terminal, network, re-keying) \
         is not described at all.",
    ),
    (
        "TR006@flow:3",
        "住民が電子申請を行った際の申請データ取得画面又は機能を、地方公共団体に公開する機能",
        "II 3② lists マイナポータル as a way 特定個人情報 is obtained, so the 申請データ carries 個人番号. How the センター \
         takes it from the ぴったりサービス (screen or function, on which terminal and network) is not stated; システム5's \
         「他のシステムとの接続」 boxes are all blank.",
    ),
    (
        "TR006@flow:6",
        "情報提供書受理事業年月日",
        "別添1 records 情報提供書 received from 産科医療機関 and 妊婦健診 results with 「区市町村への連絡事項」, so 医療機関 send \
         health data to the city; the route and medium (FAX? 郵送?), the items and the safeguards are not stated, and II 3① \
         does not list 医療機関 as a 入手元.",
    ),
    // ── 提供: 他自治体 (III 5), 市町村長 (II 5), 情報照会 (I 5②)
    (
        "DC001@party:他自治体",
        "他自治体への提供については、あらかじめ定められた方法でのみ行っており",
        "III 5 (provision outside 委託 and the 情報提供ネットワークシステム) describes a 提供 of 特定個人情報 to 他自治体, but \
         II 5 declares a single 提供先 (市町村長, via the 情報提供ネットワークシステム). The recipients, legal basis and items \
         of this provision are not stated.",
    ),
    (
        "TR006@flow:21",
        "他自治体への提供については、あらかじめ定められた方法でのみ行っており、また、複数職員による確認を行っている。",
        "The 「あらかじめ定められた方法」 is never described: the medium, route and safeguards of the provision to 他自治体 \
         are open.",
    ),
    (
        "TR006@flow:15",
        "③提供する情報 番号利用法別表主務省令第40条",
        "Same root as DC005@declared:市町村長: the items sent through the 情報提供ネットワークシステム 「照会を受けたら都度」 are \
         not listed.",
    ),
    (
        "TR006@flow:16",
        "母子保健法による費用の徴収に関する事務",
        "I 5② gives the 情報照会 bases (95・96の項) and II 3② ticks 情報提供ネットワークシステム as an 入手方法, but neither \
         the 照会先 nor the information obtained is stated.",
    ),
    // ── 委託事項1: 株式会社ジーシーシー and its unnamed 再委託先・再々委託先
    (
        "MN003@declared:株式会社ジーシーシー",
        "システムの運用・保守業務、法制度改正に伴う改修作業業務",
        "委託事項1 is a 「特定個人情報ファイルの取扱いの委託」 of the system holding the whole 母子保健ファイル, 個人番号 \
         included; the 番号法 basis for the vendor handling 個人番号, and whether its work needs 個人番号 at all, are not stated.",
    ),
    (
        "TR006@flow:22",
        "①委託内容 システムの運用・保守業務、法制度改正に伴う改修作業",
        "How the vendor reaches the data (on site at the データセンター, remote maintenance, media) is not stated; III 4 says \
         only 「情報資産を提供する際、必要に応じ暗号またはパスワードの設定」.",
    ),
    (
        "OS007@party:再委託先",
        "再委託先及び再々委託先から承諾申請書の提出があり、内容を審査したところ適正であると認められたため承諾している。",
        "The 再委託 of system operation and maintenance (個人番号 included) is approved, yet the 再委託先 is not named — in a \
         paper whose III 7② reports 「委託業者が当市の承諾を得ないまま8,170件を再委託」.",
    ),
    (
        "MN003@declared:再委託先",
        "⑥再委託事項 システムの運用・保守業務、法制度改正に伴う改修作業全般",
        "The 再委託 covers the same work 「全般」, so 個人番号 reaches the unnamed 再委託先; the approval is stated, but not the \
         番号法 basis nor why the 再委託先 needs 個人番号.",
    ),
    (
        "TR006@flow:23",
        "再委託先においても委託先と同様の対策を実施している。",
        "The only statement about the 再委託先 is 「同様の対策」: by which route it gets the file and with which safeguards is \
         not stated.",
    ),
    (
        "OS007@party:再々委託先",
        "データ入力業務において、委託業者が当市の承諾を得ないまま8,170件を再委託し",
        "The 再々委託先 is approved (II 4 委託事項1 ⑤) but not named, with no 再々委託事項; after the city's own incident of \
         an unapproved 再委託, the committee should know who is at the end of the chain.",
    ),
    (
        "TR006@flow:24",
        "⑤再委託の許諾方法 再委託先及び再々委託先から承諾申請書の提出があり",
        "No items, route or safeguards are stated for the 再々委託; III 4's 「委託先と同様の対策」 is said of the 再委託先 only.",
    ),
    // ── 委託事項2: 母子保健コーディネーター(くまっこルーム職員)
    (
        "OS007@party:母子保健コーディネーター(くまっこルーム職員)",
        "③委託先名 母子保健コーディネーター(くまっこルーム職員)",
        "The 委託先名 is a job title: the contracting party (a company, an association, individuals) is not named.",
    ),
    (
        "TR006@flow:25",
        "母子健康手帳交付業務、妊娠・出産・産後に関する相談業務",
        "How the coordinators receive the 届出 and 相談 data, record them and return them to the センター is not described.",
    ),
    // ── ガバメントクラウドへの移行
    (
        "DC001@party:開発事業者",
        "地方公共団体が委託した開発事業者が既存の環境からガバメントクラウドへ移行することになる",
        "7 備考③ has a 開発事業者 extract the whole 母子保健ファイル and load it into the ガバメントクラウド, but II 4 lists only \
         two 委託事項 (ジーシーシー, くまっこルーム): who this 開発事業者 is and under which 委託 it handles the file is not stated.",
    ),
    (
        "TR006@flow:28",
        "データ抽出及びクラウド環境へのデータ投入、並びに利用しなくなった環境の破棄等を実施する。",
        "No route, safeguard or date is given for extracting the file from the current environment.",
    ),
    (
        "TR006@flow:29",
        "移行するデータを暗号化した上で、インターネットを経由しない専用回線を使用し",
        "For the 中間サーバー・プラットフォーム migration the paper states encryption and a dedicated line; for loading the \
         母子保健ファイル into the ガバメントクラウド it states neither.",
    ),
    (
        "HS003@system:ガバメントクラウド上のシステム",
        "健康情報システムへのアクセスにおいて、識別情報(ユーザID/パスワードと生体)による2因子認証を実施している。",
        "After the planned migration the whole file sits in the ガバメントクラウド. The GC measures cover the provider side \
         (closed network, no access by 国 and クラウド事業者, monitoring and logs); user authentication and access control \
         are described only for the current 健康情報システム.",
    ),
    // ── storage, hosting, segment and retention
    (
        "HS003@system:団体内統合宛名システム",
        "個人番号利用事務、事務取扱部署及び事務取扱担当者を紐付け、アクセス制御とログ管理を行う機能",
        "The 宛名 system stores 個人番号 linked to the 団体内統合宛名番号; access control and logging are stated, but how its \
         users are authenticated is not (the 2因子認証 is stated for the 健康情報システム only).",
    ),
    (
        "HS001@system:健康情報システム",
        "サーバーは、入退室管理を行っているデータセンターのサーバー室に設置している。",
        "Whose データセンター it is, where it is and under which contract are not stated, whereas the 中間サーバー and \
         ガバメントクラウド sections state 「日本国内でデータを保管」.",
    ),
    (
        "HS001@system:共通基盤システム",
        "府内連携機能からの住基情報の入手については、入退室管理をしているデータセンタ内のサーバ間通信に限定",
        "The 共通基盤システム holding 住基情報 sits in the same unnamed データセンタ; its operator, location and contract are \
         not stated.",
    ),
    (
        "HS008@model",
        "保管期間が経過した特定個人情報を記録した媒体は、復元不可能な状態で確実に消去・廃棄している。",
        "The paper refers to a 保管期間 but never gives one for the 母子保健ファイル in the 健康情報システム or for the linked \
         宛名 and 共通基盤 systems.",
    ),
    (
        "SG007@model",
        "特定個人情報を保有するサーバをインターネット等の外部ネットワークから隔離されたネットワーク上に設置している。",
        "The servers are said to be isolated from the internet, but the paper never places the 健康情報システム, the \
         宛名 and 共通基盤 systems or the 中間サーバー接続端末 (which writes to USB) in a segment of the 三層の対策.",
    ),
    // ── media: backups and the USB at the 中間サーバー接続端末
    (
        "TR004@flow:27",
        "特定個人情報を含む電子データを定期的に電子媒体に保存し、入退室管理された専用の保管場所に保管している。",
        "The backup media hold the whole file (個人番号, 健診結果); encryption is stated for the USB at the 中間サーバー接続端末 \
         (「格納する際には暗号化」) but not for these media, which may be taken out with approval.",
    ),
    (
        "TR003@flow:27",
        "バックアップファイルの持ち出しはセキュリティ責任者による承認を必須としている。",
        "Backups may leave the データセンタ with approval and the 「専用の保管場所」 is not located; how the media are carried \
         and whether their hand-over is recorded is not stated.",
    ),
    (
        "TR003@flow:20",
        "中間サーバー接続端末から外部記憶媒体に特定個人情報を格納する際には暗号化を行っている。",
        "Why 特定個人情報 is written to USB at the 接続端末 and where the USB goes are not stated; 貸出・返却 need 上長の承認, \
         but no lockable case or hand-over record for carrying it is stated.",
    ),
];

#[test]
fn kumagaya_boshi_hoken_findings_are_the_justified_ones() {
    let report = common::check_seed_model("kumagaya-boshi-hoken", JUSTIFIED);
    insta::assert_snapshot!("kumagaya-boshi-hoken", report);
}
