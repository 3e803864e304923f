//! Synthetic models of any size, for benchmarks: an office-wide network of 課, systems and flows.
//!
//! Two shapes, both deterministic by seed (a fixed linear congruential generator), so a benchmark run measures
//! the same model every time. [`model_text`] is benign: about one flow in a hundred has a gap (no encryption,
//! undeclared party). [`office`] is finding-dense (issue 12): most flows draw a finding, unknown control wordings
//! ask for suggestions, so the cost of findings and diagnostics is measured, not hidden.

use std::fmt::Write;

/// A tiny deterministic generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// RON text of a model with about `nodes` parties and systems and twice as many flows.
pub fn model_text(nodes: usize, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let items = 60;
    let parties = (nodes / 50).max(3);
    let systems = nodes.saturating_sub(parties).max(1);
    let segments = [
        "マイナンバー利用事務系",
        "LGWAN接続系",
        "LGWAN接続系",
        "インターネット接続系",
    ];
    let mut out = String::with_capacity(nodes * 400);
    out.push_str("Model(\n    title: \"合成モデル（性能計測用）\",\n    document: \"bench\",\n    items: {\n");
    for i in 0..items {
        let kind = match i % 20 {
            0 => "個人番号",
            1..=4 => "要配慮個人情報",
            _ => "一般",
        };
        let _ = writeln!(out, "        \"項目{i:03}\": (kind: {kind}),");
    }
    out.push_str("    },\n    groups: {\n");
    for g in 0..10 {
        let members: Vec<String> = (0..6)
            .map(|k| format!("\"項目{:03}\"", g * 6 + k))
            .collect();
        let _ = writeln!(out, "        \"グループ{g}\": [{}],", members.join(", "));
    }
    out.push_str("    },\n    parties: {\n        \"住民\": (role: 本人),\n");
    for p in 1..parties {
        let role = if p % 5 == 0 {
            "外部"
        } else if p == 1 {
            "実施機関"
        } else {
            "庁内"
        };
        let _ = writeln!(
            out,
            "        \"課{p:05}\": (role: {role}, controls: [\"消去報告\", \"再委託の事前承諾\"]),"
        );
    }
    out.push_str("    },\n    systems: {\n");
    for s in 0..systems {
        let party = 1 + s % (parties - 1);
        let segment = if party % 5 == 0 {
            "外部"
        } else {
            segments[s % segments.len()]
        };
        let stored: Vec<String> = (0..3)
            .map(|_| format!("\"項目{:03}\"", 5 + rng.below(items - 5)))
            .collect();
        let _ = writeln!(
            out,
            "        \"システム{s:06}\": (party: \"課{party:05}\", segment: {segment}, stores: [{}], controls: [\"アクセス制御\", \"ID/パスワード等認証\", \"アクセスログ取得\", \"国内法が適用されるサーバ環境\"]),",
            stored.join(", ")
        );
    }
    out.push_str("    },\n    flows: [\n");
    let flows = systems * 2;
    for f in 0..flows {
        // Mostly forward edges (a layered office), some back edges.
        let from = rng.below(systems);
        let to = if rng.below(10) < 8 {
            (from + 1 + rng.below(50)) % systems
        } else {
            rng.below(systems)
        };
        let to = if to == from { (to + 1) % systems } else { to };
        let via = ["LGWAN", "庁内LAN", "サーバ間", "インターネット", "閉域網"][rng.below(5)];
        let controls = if rng.below(100) == 0 {
            ""
        } else {
            "\"通信内容の暗号化\", \"画面転送\""
        };
        let group = rng.below(10);
        let _ = writeln!(
            out,
            "        (no: {}, from: \"システム{from:06}\", to: \"システム{to:06}\", label: \"連携{f}\", via: {via}, controls: [{controls}], items: [\"グループ{group}\"]),",
            f + 1
        );
    }
    out.push_str("    ],\n    declared: {\n");
    for p in (5..parties).step_by(5) {
        if rng.below(10) > 0 {
            let _ = writeln!(out, "        \"課{p:05}\": (basis: 業務委託, items: [\"グループ0\", \"グループ1\", \"グループ2\", \"グループ3\", \"グループ4\", \"グループ5\", \"グループ6\", \"グループ7\"]),");
        }
    }
    out.push_str("    },\n)\n");
    out
}

/// The finding-dense shape (issue 12): `systems` systems spread over about 80 nested boundaries (20 parties, each
/// with the network segments its systems sit in), `systems * 3 / 2` flows with Japanese labels and items over mixed
/// media, and controls as papers word them: some catalogue wordings, some weak (SSL), some the catalogue does not
/// know (a near-miss spelling among them), some missing. Two external parties receive data but are not declared,
/// and 個人番号 travels on some flows, so most rule packs fire. It is a plain description so that peers (pytm,
/// Graphviz) can be given the same graph; [`Office::ron`] writes it as a model.
#[derive(Debug, Clone)]
pub struct Office {
    pub title: String,
    /// Item name and kind (`一般`, `要配慮個人情報`, `個人番号`).
    pub items: Vec<(String, &'static str)>,
    pub parties: Vec<OfficeParty>,
    pub systems: Vec<OfficeSystem>,
    pub flows: Vec<OfficeFlow>,
    /// Declared recipients: party index, basis, item indices.
    pub declared: Vec<(usize, &'static str, Vec<usize>)>,
}

#[derive(Debug, Clone)]
pub struct OfficeParty {
    pub name: String,
    /// `本人`, `実施機関`, `庁内` or `外部`.
    pub role: &'static str,
    pub controls: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct OfficeSystem {
    pub name: String,
    pub party: usize,
    /// The model's segment name (`LGWAN接続系` …): with the party, the nested boundary the system sits in.
    pub segment: &'static str,
    pub hosting: Option<&'static str>,
    pub stores: Vec<usize>,
    pub controls: Vec<&'static str>,
}

/// A flow between two nodes; a node is a system, or the party `住民` (index 0) when `from_party` is set.
#[derive(Debug, Clone)]
pub struct OfficeFlow {
    pub no: usize,
    pub from: usize,
    pub to: usize,
    /// The flow starts at party 0 (住民) rather than at system `from`.
    pub from_party: bool,
    pub label: String,
    pub via: &'static str,
    pub controls: Vec<&'static str>,
    pub items: Vec<usize>,
}

/// Segments of an internal party's systems (総務省 三層の対策), and of an external one's.
const INTERNAL_SEGMENTS: [&str; 4] = [
    "マイナンバー利用事務系",
    "LGWAN接続系",
    "インターネット接続系",
    "LGWAN_ASP",
];
const EXTERNAL_SEGMENTS: [&str; 2] = ["外部", "ガバメントクラウド"];

/// Flow controls as papers word them: catalogue wordings, a weak one, unknown ones (one a near miss), none.
const FLOW_CONTROLS: [&[&str]; 10] = [
    &["通信内容の暗号化"],
    &["TLS1.2以上", "アクセス制御"],
    &["VPN"],
    &["SSL通信"],
    &["閉域網"],
    &["通信内溶の暗号化"],
    &["専用アプリによる保護"],
    &["担当者による目視確認", "通信暗号化"],
    &[],
    &["ID/パスワード等認証"],
];
const SYSTEM_CONTROLS: [&[&str]; 5] = [
    &["アクセス制御", "ID/パスワード等認証", "アクセスログ取得"],
    &["アクセス制御", "国内法が適用されるサーバ環境"],
    &["生体認証（詳細は別途）"],
    &[],
    &["アクセスログ取得", "ウイルス対策ソフトの導入"],
];
const MEDIA: [&str; 10] = [
    "インターネット",
    "LGWAN",
    "専用線",
    "電子記録媒体",
    "庁内LAN",
    "サーバ間",
    "閉域網",
    "電子メール",
    "紙",
    "LGWAN",
];
const SYSTEM_WORDS: [&str; 10] = [
    "住民記録",
    "税務",
    "国保",
    "介護保険",
    "障害福祉",
    "子育て支援",
    "健診管理",
    "文書管理",
    "電子申請",
    "宛名管理",
];
const FLOW_WORDS: [&str; 8] = [
    "異動情報の連携",
    "課税情報の照会",
    "健診結果の送付",
    "申請データの取込",
    "通知書データの作成",
    "資格情報の確認",
    "給付実績の報告",
    "台帳の更新",
];

/// The finding-dense office of about `systems` systems (at least 20), deterministic by `seed`.
pub fn office(systems: usize, seed: u64) -> Office {
    let mut rng = Lcg(seed);
    let systems = systems.max(20);
    let items: Vec<(String, &'static str)> = (0..40)
        .map(|i| {
            let kind = match i {
                0 => "個人番号",
                1..=6 => "要配慮個人情報",
                _ => "一般",
            };
            let name = match i {
                0 => "個人番号".to_string(),
                1 => "病歴".to_string(),
                2 => "健診結果".to_string(),
                7 => "氏名".to_string(),
                8 => "住所".to_string(),
                9 => "生年月日".to_string(),
                _ => format!("情報項目{i:02}"),
            };
            (name, kind)
        })
        .collect();
    // 住民, the 実施機関, 12 庁内 and 6 外部: with their segments about 80 nested boundaries.
    let mut parties = vec![OfficeParty {
        name: "住民".to_string(),
        role: "本人",
        controls: Vec::new(),
    }];
    for p in 1..20 {
        let (name, role) = match p {
            1 => ("情報政策課".to_string(), "実施機関"),
            2..=13 => (format!("{}課", SYSTEM_WORDS[p % 10]), "庁内"),
            _ => (format!("委託事業者{:02}", p - 13), "外部"),
        };
        // Two 庁内 parties share a word; keep names unique.
        let name = if role == "庁内" && p >= 12 {
            format!("{name}第二")
        } else {
            name
        };
        let controls = if role == "外部" && p % 2 == 0 {
            vec!["消去報告", "再委託の事前承諾"]
        } else if role == "外部" {
            vec!["秘密保持契約（詳細は契約書）"]
        } else {
            Vec::new()
        };
        parties.push(OfficeParty {
            name,
            role,
            controls,
        });
    }
    let systems: Vec<OfficeSystem> = (0..systems)
        .map(|s| {
            let party = 1 + rng.below(parties.len() - 1);
            let external = parties[party].role == "外部";
            let segment = if external {
                EXTERNAL_SEGMENTS[rng.below(2)]
            } else {
                INTERNAL_SEGMENTS[rng.below(4)]
            };
            let hosting = match rng.below(4) {
                0 if external => Some("クラウド"),
                1 => Some("データセンター"),
                _ => None,
            };
            let stores = (0..1 + rng.below(3))
                .map(|_| rng.below(items.len()))
                .collect();
            OfficeSystem {
                name: format!("{}システム{s:06}", SYSTEM_WORDS[s % 10]),
                party,
                segment,
                hosting,
                stores,
                controls: SYSTEM_CONTROLS[rng.below(SYSTEM_CONTROLS.len())].to_vec(),
            }
        })
        .collect();
    let n = systems.len();
    let flows = (0..n * 3 / 2)
        .map(|f| {
            let from_party = rng.below(20) == 0;
            let from = rng.below(n);
            // Mostly to a near system (a layered office), sometimes anywhere.
            let to = if rng.below(10) < 7 {
                (from + 1 + rng.below(40)) % n
            } else {
                rng.below(n)
            };
            let to = if to == from { (to + 1) % n } else { to };
            let items = (0..1 + rng.below(3))
                .map(|_| {
                    // 個人番号 on about one flow in twelve.
                    if rng.below(12) == 0 {
                        0
                    } else {
                        1 + rng.below(items.len() - 1)
                    }
                })
                .collect();
            OfficeFlow {
                no: f + 1,
                from,
                to,
                from_party,
                label: FLOW_WORDS[rng.below(FLOW_WORDS.len())].to_string(),
                via: MEDIA[rng.below(MEDIA.len())],
                controls: FLOW_CONTROLS[rng.below(FLOW_CONTROLS.len())].to_vec(),
                items,
            }
        })
        .collect();
    // Four of the six external parties and every other 庁内 party are declared, each with part of the items.
    let mut declared = Vec::new();
    for (p, party) in parties.iter().enumerate() {
        let basis = match party.role {
            "外部" if p % 3 != 0 => "業務委託",
            "庁内" if p % 2 == 0 => "目的外利用",
            _ => continue,
        };
        let mut list: Vec<usize> = (7..items.len()).filter(|_| rng.below(3) > 0).collect();
        if p % 4 == 0 {
            list.push(1);
        }
        declared.push((p, basis, list));
    }
    Office {
        title: format!("合成モデル（所見の多い形、システム {n}）"),
        items,
        parties,
        systems,
        flows,
        declared,
    }
}

fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Office {
    /// The flow's source node name (a system, or the party 住民).
    pub fn from_name(&self, flow: &OfficeFlow) -> &str {
        if flow.from_party {
            &self.parties[0].name
        } else {
            &self.systems[flow.from].name
        }
    }

    /// The model as RON text.
    pub fn ron(&self) -> String {
        let mut out = String::with_capacity(self.flows.len() * 300 + self.systems.len() * 250);
        out.push_str("#![enable(implicit_some)]\nModel(\n");
        let _ = writeln!(out, "    title: \"{}\",", self.title);
        out.push_str("    document: \"bench-dense\",\n    items: {\n");
        for (name, kind) in &self.items {
            let _ = writeln!(out, "        \"{name}\": (kind: {kind}),");
        }
        out.push_str("    },\n    parties: {\n");
        for p in &self.parties {
            let _ = writeln!(
                out,
                "        \"{}\": (role: {}, controls: [{}]),",
                p.name,
                p.role,
                quoted_list(p.controls.iter().copied())
            );
        }
        out.push_str("    },\n    systems: {\n");
        for s in &self.systems {
            let hosting = s
                .hosting
                .map(|h| format!(" hosting: {h},"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "        \"{}\": (party: \"{}\", segment: {},{hosting} stores: [{}], controls: [{}]),",
                s.name,
                self.parties[s.party].name,
                s.segment,
                quoted_list(s.stores.iter().map(|&i| self.items[i].0.as_str())),
                quoted_list(s.controls.iter().copied())
            );
        }
        out.push_str("    },\n    flows: [\n");
        for f in &self.flows {
            let _ = writeln!(
                out,
                "        (no: {}, from: \"{}\", to: \"{}\", label: \"{}\", via: {}, controls: [{}], items: [{}]),",
                f.no,
                self.from_name(f),
                self.systems[f.to].name,
                f.label,
                f.via,
                quoted_list(f.controls.iter().copied()),
                quoted_list(f.items.iter().map(|&i| self.items[i].0.as_str()))
            );
        }
        out.push_str("    ],\n    declared: {\n");
        for (p, basis, items) in &self.declared {
            let _ = writeln!(
                out,
                "        \"{}\": (basis: {basis}, items: [{}]),",
                self.parties[*p].name,
                quoted_list(items.iter().map(|&i| self.items[i].0.as_str()))
            );
        }
        out.push_str("    },\n)\n");
        out
    }

    /// The nested boundaries: each party with systems, and inside it each (party, segment) pair in use.
    pub fn boundaries(&self) -> Vec<(usize, Option<&'static str>)> {
        let mut set = std::collections::BTreeSet::new();
        for s in &self.systems {
            set.insert((s.party, None));
            set.insert((s.party, Some(s.segment)));
        }
        set.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_models_load_and_check() {
        let text = super::model_text(500, 7);
        let controls = crate::controls::Catalogue::builtin()
            .map_err(|(_, d)| d.message)
            .unwrap();
        let loaded =
            crate::model::load_source(crate::diag::Source::new("synth.ron", text), &controls);
        let errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let model = loaded.model.unwrap();
        assert!(model.systems.len() + model.parties.len() >= 500);
        let rules = crate::rules::Catalogue::load(None)
            .map_err(|e| e.len())
            .unwrap();
        let findings = crate::rules::engine::run(&model, &rules, (2026, 4, 1));
        assert!(!findings.is_empty(), "the generator plants some gaps");
    }

    #[test]
    fn the_dense_office_is_valid_deterministic_and_full_of_findings() {
        let office = super::office(600, 3);
        assert_eq!(office.systems.len(), 600);
        assert_eq!(office.flows.len(), 900);
        let bounds = office.boundaries().len();
        assert!((60..=100).contains(&bounds), "{bounds} boundaries");
        let text = office.ron();
        assert_eq!(text, super::office(600, 3).ron(), "same seed, same text");
        assert_ne!(
            text,
            super::office(600, 4).ron(),
            "another seed, another office"
        );
        let controls = crate::controls::Catalogue::builtin()
            .map_err(|(_, d)| d.message)
            .unwrap();
        let loaded =
            crate::model::load_source(crate::diag::Source::new("dense.ron", text), &controls);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics.first());
        // Each unknown wording is one warning (the places are listed under it).
        let unknown = loaded
            .diagnostics
            .iter()
            .filter(|d| d.code == "control::unknown")
            .count();
        assert!(
            unknown >= 4,
            "unknown control wordings are warned about: {unknown}"
        );
        let model = loaded.model.unwrap();
        let rules = crate::rules::Catalogue::load(None)
            .map_err(|e| e.len())
            .unwrap();
        let findings = crate::rules::engine::run(&model, &rules, (2026, 4, 1));
        assert!(findings.len() > 450, "dense: {} findings", findings.len());
        let codes: std::collections::BTreeSet<_> = findings
            .iter()
            .map(|f| f.code.get(..2).unwrap_or(""))
            .collect();
        for pack in ["DC", "MN", "SG", "TR"] {
            assert!(codes.contains(pack), "{pack} fires: {codes:?}");
        }
    }
}
