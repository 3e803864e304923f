//! The controls catalogue (rules/controls.ron): papers' wordings resolve to the intended safeguard, compound wordings
//! split into several, weak wordings are marked, and every wording belongs to one entry.

use std::collections::BTreeMap;

use nagare::controls::{normalize, Catalogue};

fn catalogue() -> Catalogue {
    Catalogue::builtin().unwrap_or_else(|(_, d)| {
        panic!(
            "the built-in controls catalogue does not load: {}",
            d.message
        )
    })
}

fn ids(catalogue: &Catalogue, written: &str) -> Option<Vec<String>> {
    catalogue.resolve_ids(written)
}

/// Wordings of municipal papers and vendor specifications, with the one entry each must reach.
const WORDINGS: &[(&str, &str)] = &[
    // protocols and their versions
    ("TLS1.2以上", "tls12"),
    ("TLS 1.2", "tls12"),
    ("ＴＬＳ１．３", "tls12"),
    ("TLS1.2/1.3", "tls12"),
    ("TLSv1.2以上", "tls12"),
    ("SSL/TLS1.2以上", "tls12"),
    ("TLS", "tls-unversioned"),
    ("HTTPS", "tls-unversioned"),
    ("https通信", "tls-unversioned"),
    ("SSL/TLS", "tls-unversioned"),
    ("SSL・TLS", "tls-unversioned"),
    ("SSL", "ssl"),
    ("SSL通信", "ssl"),
    ("SSL暗号化通信", "ssl"),
    ("常時SSL化", "ssl"),
    ("SSL3.0", "ssl3"),
    ("SSLv3", "ssl3"),
    ("TLS1.0", "tls-legacy"),
    ("TLS1.1", "tls-legacy"),
    ("TLS1.0以上", "tls-legacy"),
    ("SFTP", "secure-file-transfer"),
    ("FTPS", "secure-file-transfer"),
    ("SCP", "secure-file-transfer"),
    // networks
    ("VPN", "vpn"),
    ("IPsec", "vpn"),
    ("IPsec-VPN", "vpn"),
    ("インターネットVPN", "vpn"),
    ("SSL-VPN", "vpn"),
    ("IP-VPN", "ip-vpn"),
    ("広域イーサネット", "ip-vpn"),
    ("閉域網", "closed-network"),
    ("閉域SIM", "closed-network"),
    ("LGWAN", "lgwan"),
    ("LGWAN-ASP", "lgwan"),
    ("専用線", "leased-line"),
    ("専用回線", "leased-line"),
    ("三層の対策", "network-isolation"),
    ("インターネット分離", "network-isolation"),
    // mail
    ("暗号化メール", "mail-encryption"),
    ("S/MIME", "mail-encryption"),
    ("Ｓ／ＭＩＭＥ", "mail-encryption"),
    ("パスワード付きZIP", "ppap"),
    ("パスワード付きzipファイル", "ppap"),
    ("PPAP", "ppap"),
    ("添付ファイルの暗号化", "attachment-encryption"),
    ("宛先の複数人確認", "recipient-double-check"),
    ("FAXの送信前確認", "fax-procedure"),
    ("誤送信防止", "misdelivery-prevention"),
    // post
    ("簡易書留", "registered-mail"),
    ("書留", "registered-mail"),
    ("配達証明", "registered-mail"),
    ("特定記録", "recorded-mail"),
    ("配達記録", "recorded-mail"),
    ("本人限定受取郵便", "restricted-delivery"),
    ("親展", "sealed-mail"),
    ("圧着はがき", "sealed-mail"),
    // hand-over
    ("施錠できるケース", "lockable-case"),
    ("施錠可能なケース", "lockable-case"),
    ("鍵付きカバン", "lockable-case"),
    ("受渡簿", "hand-over-record"),
    ("受け渡し簿", "hand-over-record"),
    // consent
    ("本人同意", "consent"),
    ("同意書", "consent"),
    ("本人の同意", "consent"),
    // files and media
    ("暗号化ファイル", "file-password"),
    ("ファイルの暗号化", "file-password"),
    ("ファイルのパスワード設定", "file-password"),
    ("暗号化USBメモリ", "file-password"),
    ("ディスク暗号化", "data-encryption"),
    // authentication
    ("ID・パスワード", "authentication"),
    ("ID/パスワード", "authentication"),
    ("ＩＤ／パスワード等認証", "authentication"),
    ("IDとパスワード", "authentication"),
    ("多要素認証", "two-factor"),
    ("二要素認証", "two-factor"),
    ("2要素認証", "two-factor"),
    ("２段階認証", "two-factor"),
    ("MFA", "two-factor"),
    ("ワンタイムパスワード", "otp"),
    ("生体認証", "biometric"),
    ("指紋認証", "biometric"),
    ("静脈認証", "biometric"),
    ("ICカード", "ic-card"),
    ("公的個人認証", "jpki"),
    ("クライアント証明書", "client-certificate"),
    ("端末認証", "client-certificate"),
    // logs, terminals, malware
    ("ログ取得", "access-log"),
    ("アクセスログ", "access-log"),
    ("監査ログ", "access-log"),
    ("操作ログ", "operation-log"),
    ("画面転送", "screen-transfer"),
    ("VDI", "screen-transfer"),
    ("仮想デスクトップ", "screen-transfer"),
    ("リモートデスクトップ", "screen-transfer"),
    ("無害化", "sanitization"),
    ("ファイル無害化", "sanitization"),
    ("メール無害化", "sanitization"),
    ("ウイルスチェック", "antivirus"),
    // certifications
    ("ISMAP", "ismap"),
    ("ISMS", "iso27001"),
    ("ISO27001", "iso27001"),
    ("ISO/IEC 27001", "iso27001"),
    ("JIS Q 27001", "iso27001"),
    ("Pマーク", "privacy-mark"),
    ("プライバシーマーク", "privacy-mark"),
    // erasure and contracts
    ("消去証明", "erasure-report"),
    ("消去証明書", "erasure-report"),
    ("データ消去証明書", "erasure-report"),
    ("溶解証明書", "erasure-report"),
    ("物理破壊", "secure-disposal"),
    ("シュレッダー", "secure-disposal"),
    ("守秘義務", "confidentiality"),
    ("秘密保持契約", "confidentiality"),
    ("NDA", "confidentiality"),
    ("誓約書", "pledge"),
    ("誓約書の提出", "pledge"),
    // the seed papers' own sentences
    (
        "通信内容は暗号化させ、通信途上の個人情報の盗用、改ざん、成りすましを防止させる",
        "encryption",
    ),
    (
        "ネットワーク上で個人情報を伝送する場合は、暗号化を行うこと",
        "encryption",
    ),
    (
        "VPN等の技術を利用し、団体ごとに通信回線を分離するとともに、通信を暗号化",
        "vpn",
    ),
    (
        "インターネット網と分離した通信キャリアの閉域網で接続",
        "closed-network",
    ),
    ("ID、パスワードに加えてワンタイムパスワード", "otp"),
    ("復元不可能な状態で確実に消去・廃棄", "secure-disposal"),
];

#[test]
fn each_wording_resolves_to_its_one_entry() {
    let catalogue = catalogue();
    let wrong: Vec<String> = WORDINGS
        .iter()
        .filter_map(|&(written, id)| {
            let got = ids(&catalogue, written);
            (got.as_deref() != Some(&[id.to_string()][..]))
                .then(|| format!("{written}: want {id}, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn encryption_is_implied_only_where_the_channel_is_encrypted() {
    let catalogue = catalogue();
    let implies_encryption = |written: &str| {
        let found =
            ids(&catalogue, written).unwrap_or_else(|| panic!("{written} does not resolve"));
        catalogue
            .closure(found.iter().map(String::as_str))
            .contains("encryption")
    };
    for written in [
        "TLS1.2以上",
        "TLS",
        "HTTPS",
        "SSL",
        "SSL3.0",
        "TLS1.0",
        "VPN",
        "IPsec",
        "インターネットVPN",
        "SFTP",
        "FTPS",
        "S/MIME",
        "暗号化メール",
        "通信暗号化",
    ] {
        assert!(
            implies_encryption(written),
            "{written} should imply 通信内容の暗号化"
        );
    }
    // Closed networks isolate but do not encrypt; file encryption protects the file, not the channel.
    for written in [
        "IP-VPN",
        "閉域網",
        "LGWAN",
        "専用線",
        "ファイルのパスワード設定",
        "添付ファイルの暗号化",
        "パスワード付きZIP",
        "簡易書留",
        "施錠できるケース",
    ] {
        assert!(
            !implies_encryption(written),
            "{written} should not imply 通信内容の暗号化"
        );
    }
    let ppap = catalogue.closure(["ppap"]);
    assert!(
        ppap.contains("file-password") && ppap.contains("attachment-encryption"),
        "{ppap:?}"
    );
    assert!(catalogue
        .closure(["restricted-delivery"])
        .contains("registered-mail"));
    assert!(catalogue.closure(["ip-vpn"]).contains("network-isolation"));
}

#[test]
fn compound_wordings_split_into_each_control() {
    let catalogue = catalogue();
    let cases: &[(&str, &[&str])] = &[
        ("VPN・2要素認証", &["vpn", "two-factor"]),
        ("ＶＰＮ・２要素認証", &["vpn", "two-factor"]),
        ("SSL通信、ID・パスワード", &["ssl", "authentication"]),
        (
            "ID・パスワード・2要素認証",
            &["authentication", "two-factor"],
        ),
        ("ISO/IEC27017、ISO/IEC27018", &["iso27017", "iso27018"]),
        ("暗号化及び認証", &["encryption", "authentication"]),
        ("VPN並びに多要素認証", &["vpn", "two-factor"]),
        (
            "施錠できるケースと受渡簿",
            &["lockable-case", "hand-over-record"],
        ),
        ("アクセスログ，操作ログ", &["access-log", "operation-log"]),
        ("閉域網及VPN", &["closed-network", "vpn"]),
        ("VPN＋ワンタイムパスワード", &["vpn", "otp"]),
        // Fewest parts: the first part is one control, not ICカード + 生体による認証.
        (
            "ICカードと生体による認証・VPN",
            &["card-biometric-2fa", "vpn"],
        ),
        // A trailing 等 is the wording before it.
        ("ファイアウォール等", &["firewall"]),
        ("VPN・多要素認証等", &["vpn", "two-factor"]),
        // The same control twice is one id.
        ("VPN・IPsec", &["vpn"]),
    ];
    for &(written, want) in cases {
        let got = ids(&catalogue, written);
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, Some(want), "{written}");
    }
    let parts = catalogue.resolve_parts("VPN・2要素認証").expect("splits");
    let parts: Vec<(&str, &str)> = parts.iter().map(|(w, c)| (*w, c.id.as_str())).collect();
    assert_eq!(parts, [("VPN", "vpn"), ("2要素認証", "two-factor")]);
}

#[test]
fn exact_wordings_are_never_split() {
    let catalogue = catalogue();
    for (written, id) in [
        ("ID・パスワード", "authentication"),
        ("IDとパスワード", "authentication"),
        ("ID及びパスワード", "authentication"),
        ("ICカードと生体による認証", "card-biometric-2fa"),
        ("職員認証・権限管理", "auth-and-access-control"),
        ("侵入検知・侵入防止", "intrusion-detection"),
        ("SSL/TLS", "tls-unversioned"),
        ("入退室管理（申請、承認、記録）", "entry-control"),
    ] {
        let parts = catalogue
            .resolve_parts(written)
            .unwrap_or_else(|| panic!("{written} does not resolve"));
        assert_eq!(parts.len(), 1, "{written} was split: {parts:?}");
        assert_eq!(parts[0].1.id, id, "{written}");
        assert_eq!(
            catalogue.resolve(written).map(|c| c.id.as_str()),
            Some(id),
            "{written}"
        );
    }
}

#[test]
fn a_compound_with_an_unknown_part_or_an_alternative_does_not_resolve() {
    let catalogue = catalogue();
    for written in [
        "VPN・未知の対策",
        "通信の暗号か",
        "暗号化つうしん",
        // 又は promises one of the two, not both.
        "VPN又は専用線",
        "VPNまたは専用線",
        "・VPN",
        "等",
        "",
    ] {
        assert_eq!(ids(&catalogue, written), None, "{written}");
    }
}

#[test]
fn weak_wordings_are_marked_with_a_reason() {
    let catalogue = catalogue();
    let weak: BTreeMap<&str, &str> = catalogue
        .controls
        .iter()
        .filter_map(|c| Some((c.id.as_str(), catalogue.weakness(&c.id)?)))
        .collect();
    assert_eq!(
        weak.keys().copied().collect::<Vec<_>>(),
        ["ppap", "ssl", "ssl3", "tls-legacy"],
        "the weak entries changed; update this list deliberately"
    );
    for (id, why) in &weak {
        assert!(
            why.chars().count() >= 30
                && why.chars().any(|c| ('\u{3040}'..='\u{30FF}').contains(&c)),
            "{id}: the reason should be a Japanese sentence a committee can read: {why}"
        );
    }
    for strong in [
        "tls12",
        "tls-unversioned",
        "vpn",
        "encryption",
        "secure-file-transfer",
        "mail-encryption",
        "registered-mail",
        "recorded-mail",
    ] {
        assert_eq!(catalogue.weakness(strong), None, "{strong}");
    }
    assert_eq!(catalogue.weakness("no-such-id"), None);
    // A weak protocol still names encryption, so TR001 does not call the flow unencrypted.
    for id in ["ssl", "ssl3", "tls-legacy"] {
        assert!(catalogue.closure([id]).contains("encryption"), "{id}");
    }
}

#[test]
fn no_entry_implies_a_weak_one() {
    // Otherwise a strong wording would be reported as weak through what it implies.
    let catalogue = catalogue();
    for control in &catalogue.controls {
        let closure = catalogue.closure([control.id.as_str()]);
        for implied in closure.iter().filter(|id| **id != control.id) {
            assert_eq!(
                catalogue.weakness(implied),
                None,
                "{} implies the weak {implied}",
                control.id
            );
        }
    }
}

#[test]
fn every_wording_appears_once_in_the_whole_catalogue() {
    let catalogue = catalogue();
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut repeated = Vec::new();
    for control in &catalogue.controls {
        for name in std::iter::once(&control.label).chain(&control.aliases) {
            if let Some((other, first)) =
                seen.insert(normalize(name), (control.id.clone(), name.clone()))
            {
                repeated.push(format!(
                    "「{name}」({}) repeats 「{first}」({other})",
                    control.id
                ));
            }
        }
        // An id is a wording too: it may only read as its own entry.
        if let Some((other, first)) = seen.get(&normalize(&control.id)) {
            if *other != control.id {
                repeated.push(format!("id {} reads as 「{first}」({other})", control.id));
            }
        }
    }
    assert!(repeated.is_empty(), "{repeated:#?}");
}

#[test]
fn every_entry_has_a_source_and_an_ascii_id() {
    let catalogue = catalogue();
    for control in &catalogue.controls {
        assert!(
            control
                .source
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty()),
            "{} has no source",
            control.id
        );
        assert!(
            control
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: ids are lower-case ASCII",
            control.id
        );
    }
}

#[test]
fn a_model_records_every_control_of_a_compound_wording() {
    let catalogue = catalogue();
    let text = r#"Model(
    title: "複合した対策名",
    items: { "氏名": () },
    parties: { "区": (role: 実施機関), "業者": (role: 外部) },
    flows: [
        (no: 1, from: "区", to: "業者", via: インターネット, controls: ["VPN・2要素認証"], items: ["氏名"]),
        (no: 2, from: "業者", to: "区", via: インターネット, controls: ["SSL通信"], items: ["氏名"]),
    ],
    declared: { "業者": (basis: 外部結合, items: ["氏名"]) },
)"#;
    let loaded =
        nagare::model::load_source(nagare::diag::Source::new("compound.ron", text), &catalogue);
    let unknown: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("control::"))
        .map(|d| d.message.as_str())
        .collect();
    assert!(unknown.is_empty(), "{unknown:?}");
    let model = loaded.model.expect("the model loads");
    let first = &model.flows[0].controls.ids;
    for id in ["vpn", "two-factor", "authentication", "encryption"] {
        assert!(first.contains(id), "flow 1 lacks {id}: {first:?}");
    }
    let second = &model.flows[1].controls.ids;
    assert!(
        second.contains("ssl") && second.contains("encryption"),
        "{second:?}"
    );
}

#[test]
fn a_suggestion_never_changes_the_legal_meaning() {
    let catalogue = catalogue();
    assert_eq!(
        catalogue.suggest("通信の暗号か").as_deref(),
        Some("通信内容の暗号化")
    );
    for written in [
        "再委託の禁止",
        "委託先の立入調査",
        "持出しの許可",
        "目的外利用の許可",
        "外部記録媒体への出力可",
    ] {
        if let Some(suggested) = catalogue.suggest(written) {
            let entry = catalogue
                .resolve(&suggested)
                .expect("a suggestion is a catalogue wording");
            assert!(
                nagare::diag::same_legal_meaning(written, &suggested),
                "{written} → {suggested} ({})",
                entry.id
            );
        }
    }
    assert_ne!(
        catalogue
            .suggest("再委託の禁止")
            .and_then(|s| catalogue.resolve(&s).map(|c| c.id.clone()))
            .as_deref(),
        Some("subcontract-approval")
    );
}

#[test]
fn every_control_a_rule_asks_about_is_in_the_catalogue() {
    // A rule testing an id the catalogue lacks never sees the control, and fires on every flow silently.
    let catalogue = catalogue();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir("rules").expect("rules folder").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "ron") || path.ends_with("controls.ron") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read a rule pack");
        for (at, _) in text.match_indices("control:") {
            let ids: String = text[at + "control:".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '|')
                .collect();
            for id in ids.split('|').filter(|id| !id.is_empty()) {
                if catalogue.by_id(id).is_none() {
                    missing.push(format!("{}: control:{id}", path.display()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules ask about controls the catalogue does not have: {missing:#?}"
    );
}
