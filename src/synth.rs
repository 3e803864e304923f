//! Synthetic models of any size, for benchmarks: an office-wide network of 課, systems and flows.
//!
//! The generator is deterministic (a fixed linear congruential generator), so a benchmark run measures
//! the same model every time. About one flow in a hundred has a gap (no encryption, undeclared party),
//! which is closer to a real office than a perfectly clean or perfectly broken model.

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
}
