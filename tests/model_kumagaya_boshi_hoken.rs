//! 熊谷市 評価書番号11 母子保健法に関する事務 重点項目評価書: every finding on the model, and why it is right given the paper.

mod common;

/// Each finding id with the reason it is a real gap in the 評価書 (or a question the committee should ask).
const JUSTIFIED: &[(&str, &str)] = &[
    // ── ぴったりサービス path (root cause: I 2 システム5 describes only functions; its 「他のシステムとの接続」 is blank)
    (
        "TR001@flow:3",
        "I 1② says 「届出はマイナーポータルぴったりサービス…でも受領する」 and II 3② lists 「その他（マイナポータル）」 as an \
         入手方法 of 特定個人情報, so the 妊娠届 goes over the internet; nothing in the 評価書 states encryption for this path. Same \
         root as MN002@flow:3, HS006 and DC001 on マイナポータル: システム5 has no safeguards at all.",
    ),
    (
        "MN002@flow:3",
        "The 妊娠届 via ぴったりサービス carries 個人番号 (II 3② gives マイナポータル as a way 特定個人情報 is obtained) over the \
         internet, and the paper states no protection for it. The committee should ask how the 個人番号 is protected on this path.",
    ),
    (
        "HS006@system:ぴったりサービス",
        "システム5 「マイナポータルぴったりサービスのサービス検索・電子申請機能」 is reached by residents over the internet and \
         holds 申請データ with 個人番号 and pregnancy details until the センター fetches it; no authentication of any kind is \
         stated for it.",
    ),
    (
        "DC001@party:マイナポータル",
        "申請データ including 個人番号 sits in the ぴったりサービス (「申請データ取得画面又は機能を、地方公共団体に公開する」), yet its \
         operator is not named anywhere and it is neither a 委託先 (II 4) nor a 提供先 (II 5). The committee should learn who \
         runs it and on what basis it holds the data.",
    ),
    (
        "TR006@flow:4",
        "How 申請データ moves from the ぴったりサービス 「申請データ取得画面又は機能」 to the センター (LGWAN? download to which \
         terminal? re-keying?) is not stated; システム5's connection boxes are all blank.",
    ),
    // ── 県の電子申請 (root cause: mentioned once in I 1②, absent from I 2, II 3② and II 4)
    (
        "TR001@flow:5",
        "I 1② 「…及び県の電子申請でも受領する」 is the only mention of the 県 system: it is not in I 2 システム一覧 nor in II 3② \
         入手方法, so no safeguard is stated for the residents' submission over the internet.",
    ),
    (
        "HS006@system:県の電子申請",
        "Same root: the 県の電子申請 receives 妊娠届 details (妊婦ハイリスク区分 etc.) from the internet and the paper says nothing \
         about its authentication.",
    ),
    (
        "DC001@party:埼玉県",
        "The 県の電子申請 receives 妊娠届 data but the 県 (or whoever runs the service) is not among the 委託先 or 提供先; the paper \
         does not say who operates it or whether 個人番号 is collected there.",
    ),
    (
        "TR006@flow:6",
        "How the 届出 received by the 県の電子申請 reaches the 母子健康センター is not described at all.",
    ),
    // ── 情報提供ネットワークシステム and the hosts of the 中間サーバー and ガバメントクラウド
    // ── storage and hosting
    (
        "HS001@system:健康情報システム",
        "II 6 only says 「サーバーは、入退室管理を行っているデータセンターのサーバー室に設置」: whose データセンター it is, where it is \
         and under which contract is not stated, unlike the 中間サーバー and ガバメントクラウド sections which state 「日本国内でデータを\
         保管」.",
    ),
    (
        "HS003@system:ガバメントクラウド",
        "The ＜ガバメントクラウドにおける措置＞ cover the provider side (「国及びクラウド事業者がアクセスできないよう制御」, 入退室管理) \
         but not who among the city and the ASP/運用管理補助者 may access the migrated 母子保健ファイル; the III 3 controls are \
         written for the current 健康情報システム only.",
    ),
    (
        "HS004@system:ガバメントクラウド",
        "Same gap: no user authentication is stated for the ガバメントクラウド environment; the 2因子認証 of III 3 is described for \
         the current 健康情報システム and the paper does not say it carries over after 「既存の環境からガバメントクラウドへ移行」.",
    ),
    (
        "HS004@system:団体内統合宛名システム",
        "The 団体内統合宛名システム stores 個人番号 (「個人番号と団体内統合宛名番号を紐付け」) and has 「アクセス制御とログ管理」, but \
         authentication is not stated for it; the 共通基盤's 「認証やアクセス制御等の管理機能を一元化」 may cover it, which the \
         paper does not say.",
    ),
    (
        "TR004@flow:24",
        "III 7 「特定個人情報を含む電子データを定期的に電子媒体に保存し、入退室管理された専用の保管場所に保管」: the backup media \
         hold the whole file, and no encryption of them is stated (only for USB at the 中間サーバー接続端末).",
    ),
    (
        "TR003@flow:24",
        "III 3 allows backups to leave the data centre 「バックアップファイルの持ち出しはセキュリティ責任者による承認」, and the 「専用の\
         保管場所」 is not located; how the media are carried there is not described.",
    ),
    (
        "TR005@flow:24",
        "Taking out backups needs approval, but no record (受渡簿) of the media's movements or custody is stated; 「記録をとる」 is \
         said only for 府内の端末の持ち出し.",
    ),
    // ── 中間サーバー接続端末 and its USB (root cause: the terminal, its segment and the USB's purpose are not described)
    (
        "TR003@flow:23",
        "III 6 「中間サーバー接続端末から外部記憶媒体に特定個人情報を格納する際には暗号化」: where the USB goes after that is not \
         stated, so neither how it is carried nor whether it travels is known.",
    ),
    (
        "TR005@flow:23",
        "The USB's 「貸出、利用、データ消去、返却等」 follow rules with 上長の承認, but no record of what 特定個人情報 was written and \
         handed on is stated.",
    ),
    (
        "TR006@flow:22",
        "「中間サーバー接続端末から情報提供を入手し、健康情報システムへ登録する場合、複数の職員によるチェック」: how the 照会結果 get \
         from the 接続端末 into the 健康情報システム (re-keying, the USB of ㉓, a network path) is not said, although III 6 also \
         claims 「中間サーバー 健康情報システム間は、データセンタ内のサーバ間通信に限定」.",
    ),
    (
        "SG007@system:中間サーバー接続端末",
        "The paper never says where the 中間サーバー接続端末 sits. It can write to USB, while III 3 says staff handle 特定個人情報 on \
         terminals where 「外部記録媒体への出力が不可能」, so it is not one of those isolated terminals as described.",
    ),
    // ── other segment gaps
    (
        "SG007@system:共通基盤システム",
        "The 共通基盤システム(庁内連携システム) carries 住基情報 to the 健康情報システム (「府内連携機能で取得」) and centralises \
         authentication, but whether it is in the isolated network the paper describes for 特定個人情報 servers is not stated.",
    ),
    // ── 委託
    (
        "TR006@flow:2",
        "委託事項2 「母子健康手帳交付、妊娠・出産・産後に関する相談」 (added 令和7年5月12日) says nothing about how the くまっこルーム \
         coordinators receive and record the 届出 and 相談 data or return them to the センター.",
    ),
    (
        "DC005@declared:株式会社ジーシーシー",
        "委託事項1 entrusts 「システムの運用・保守業務、法制度改正に伴う改修作業」 of the 母子保健ファイル to 株式会社ジーシーシー, but \
         the paper never says how the vendor reaches the data (remote maintenance, on-site at the データセンター, media); only \
         「必要に応じ暗号またはパスワードの設定」.",
    ),
    (
        "DC005@declared:ジーシーシーの再委託先",
        "Same root: 「再委託先及び再々委託先から承諾申請書の提出があり…承諾」, but the 再委託先 is unnamed and no path to it is \
         described — notable after the reported incident 「委託業者が当市の承諾を得ないまま8,170件を再委託」.",
    ),
    (
        "DC005@declared:ジーシーシーの再々委託先",
        "Same root: the 再々委託先 is consented to but unnamed, with no 再々委託事項 and no described data path.",
    ),
    (
        "TR006@flow:25",
        "7 備考③: 「地方公共団体が委託した開発事業者が既存の環境からガバメントクラウドへ移行…データ抽出及びクラウド環境へのデータ\
         投入」 — no route, transport safeguard or date is given, whereas the 中間サーバー migration states 「暗号化…インターネットを\
         経由しない専用回線」. The 開発事業者 is also not among the 委託事項.",
    ),
    // ── flows without items
    (
        "HY001@flow:10",
        "III 2 「市町村CSからの住登外情報については、職員2名以上でダブルチェックを行って…情報を入手」: which items (4情報? \
         個人番号?) and by what means are not stated, and 住基ネット is not ticked in the 健康情報システム's connections.",
    ),
    (
        "HY002@system:市町村CS",
        "Same root as HY001@flow:10: the paper names 市町村CS only as a source of 住登外情報 without saying what it provides.",
    ),
    (
        "HY001@flow:11",
        "システム2 「個人番号確認機能 個別業務システムからの要求に基づき、本人確認のために必要な情報を確認する機能」: what is returned \
         to the 健康情報システム is not stated, and II 2④ does not say how 個人番号 enters the file.",
    ),
    (
        "HY001@flow:14",
        "⑭ 「情報照会要求の受領」 carries the 「符号」 and the request (I 2 システム3 ②1, ②7), not items of the 母子保健ファイル; \
         the model language has no kind for 符号, so the step is shown empty. Kept so the committee sees that the paper does not \
         list what a 照会要求 contains.",
    ),
    (
        "HY001@flow:17",
        "Same as ⑭: the 情報照会 is keyed by 符号, and I 5② gives the 照会 bases (95・96の項) but no information items or 照会先.",
    ),
    (
        "HY002@system:紙の帳票類",
        "II 6 「紙の帳票類は、鍵のかかる倉庫やキャビネットに保管」 is the only mention: which forms (the 妊娠届出書 with 個人番号?) are \
         kept on paper, and for how long, is not stated.",
    ),
    // ── counter intake (rule false positives)
];

#[test]
fn kumagaya_boshi_hoken_findings_are_the_justified_ones() {
    let report = common::check_seed_model("kumagaya-boshi-hoken", JUSTIFIED);
    insta::assert_snapshot!("kumagaya-boshi-hoken", report);
}
