//! `nagare inventory`: the join of one body's papers, the cross-paper questions (on the seed models and on small
//! fixtures that fire and that do not), the alias table's diagnostics, and the GraphML / JSON Lines / HTML outputs.

use assert_cmd::Command;
use nagare::inventory::{self, Aliases, Inventory, NodeKind, Paper};

fn controls() -> nagare::controls::Catalogue {
    nagare::controls::Catalogue::builtin()
        .map_err(|(_, d)| d.message)
        .expect("controls")
}

/// Every `*.ron` model of a folder (not the alias table), as papers.
fn papers(dir: &str) -> Vec<Paper> {
    let controls = controls();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .filter(|p| p.file_name().is_some_and(|f| f != inventory::ALIASES_FILE))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let loaded = nagare::model::load(path, &controls);
            let model = loaded
                .model
                .unwrap_or_else(|| panic!("{} loads", path.display()));
            let file = path.file_name().unwrap_or_default().to_string_lossy();
            Paper::new(file.into_owned(), model)
        })
        .collect()
}

fn build(dir: &str) -> Inventory {
    Inventory::build(papers(dir), &Aliases::default())
}

fn seed_text(path: &str) -> String {
    let text = std::fs::read_to_string(path).expect("seed paper");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn nagare() -> Command {
    let mut cmd = Command::cargo_bin("nagare").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn seed_models_group_by_body_and_are_never_joined_across_bodies() {
    let inv = build("models");
    let bodies: Vec<(&str, usize)> = inv
        .bodies
        .iter()
        .map(|b| (b.name.as_str(), b.papers.len()))
        .collect();
    // IHEAT.JP is a national system, but models/iheat-jp.ron is 新宿区's paper (owner: "新宿区 健康部保健予防課").
    assert_eq!(bodies, [("新宿区", 2), ("江戸川区", 5), ("熊谷市", 1)]);
    for body in &inv.bodies {
        for node in &body.nodes {
            assert!(
                node.id.starts_with(&format!("{}/", body.name)),
                "{}",
                node.id
            );
        }
    }
}

/// 江戸川区's five papers share no system: each paper's systems are its own (HER-SYS, the テレワーク terminals,
/// the オンライン資格確認 servers, the contractors' PCs and media). So no item one paper sends into a system can
/// continue along another paper's flow, no system is placed twice, and no 個人番号 crosses papers: zero
/// cross-paper findings is the truth, and the test says so with what the join did instead.
#[test]
fn edogawa_seed_papers_have_no_cross_paper_finding_and_the_joins_are_the_papers_own_words() {
    let inv = build("models");
    let body = inv
        .bodies
        .iter()
        .find(|b| b.name == "江戸川区")
        .expect("江戸川区");
    assert!(body.findings.is_empty(), "{}", inv.summary());
    let shared: Vec<(&str, NodeKind)> = body
        .shared()
        .map(|(_, n)| (n.name.as_str(), n.kind))
        .collect();
    // 江戸川区 is the 実施機関 of three papers (空き家, オンライン資格確認, テレワーク): one node.
    assert_eq!(shared, [("江戸川区", NodeKind::Party)]);
    // Two papers call their contractor 「委託事業者」, but they are two companies: the 空き家 paper names
    // 東日本総合計画株式会社, the 産後ケア paper will choose one by proposal. They stay apart, with a note.
    let paper = seed_text("seeds/002_79353f9b62952691.txt");
    for quote in [
        "委託事業者法人名東日本総合計画株式会社",
        "答申後プロポーザルにて委託事業者選定",
    ] {
        assert!(paper.contains(quote), "quote not in the paper: {quote}");
    }
    let contractors: Vec<&str> = body
        .nodes
        .iter()
        .filter(|n| n.places.iter().any(|p| p.written == "委託事業者"))
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(
        contractors,
        [
            "委託事業者（東日本総合計画株式会社）",
            "委託事業者（答申後プロポーザルにて選定）"
        ]
    );
    assert!(
        body.notes
            .iter()
            .any(|n| n.contains("関係者「委託事業者」") && n.contains("別の相手として扱いました")),
        "{:?}",
        body.notes
    );
}

/// 新宿区's two papers name the 区's intranet terminal differently (資料32-1 「【区イントラPC】」, 資料61-1
/// 「情報戦略課が提供する区イントラ端末」). Names are never fuzzily joined: the inventory suggests the alias, and
/// the alias table joins them.
#[test]
fn shinjuku_intranet_terminal_is_suggested_as_an_alias_and_joined_by_the_table() {
    assert!(seed_text("seeds/000_cf81d6a34adccc7c.txt").contains("【区イントラPC】"));
    assert!(
        seed_text("seeds/001_7ddcdac62409cabd.txt").contains("情報戦略課が提供する区イントラ端末")
    );
    let inv = build("models");
    let body = &inv.bodies[0];
    assert_eq!(body.name, "新宿区");
    assert!(
        body.notes
            .iter()
            .any(|n| n.contains("「区イントラPC」") && n.contains("「区イントラ端末」")),
        "{:?}",
        body.notes
    );
    assert!(!body.shared().any(|(_, n)| n.kind == NodeKind::System));

    let source = nagare::diag::Source::new(
        "aliases.ron",
        r#"Aliases(bodies: {"新宿区": (systems: {"区イントラ端末": ["区イントラPC"]})})"#,
    );
    let table = Aliases::parse(&source).expect("parses");
    let papers: Vec<Paper> = papers("models")
        .into_iter()
        .filter(|p| p.body == "新宿区")
        .collect();
    assert!(table.check(&papers).is_empty());
    let inv = Inventory::build(papers, &table);
    let joined: Vec<&str> = inv.bodies[0]
        .shared()
        .filter(|(_, n)| n.kind == NodeKind::System)
        .map(|(_, n)| n.name.as_str())
        .collect();
    assert_eq!(joined, ["区イントラ端末"]);
    // Both papers' names are kept on the joined node.
    let node = inv.bodies[0]
        .nodes
        .iter()
        .find(|n| n.name == "区イントラ端末")
        .expect("node");
    let written: Vec<&str> = node.places.iter().map(|p| p.written.as_str()).collect();
    assert_eq!(written, ["区イントラPC", "区イントラ端末"]);
    // The IHEAT terminal's items do not continue along 資料61-1's flows (different items): still no finding.
    assert!(inv.bodies[0].findings.is_empty());
}

#[test]
fn cross_fixture_fires_all_three_questions_with_their_paths() {
    let inv = build("tests/fixtures/inventory/cross");
    assert_eq!(inv.bodies.len(), 1);
    let body = &inv.bodies[0];
    let found: Vec<(&str, &str)> = body
        .findings
        .iter()
        .map(|f| (f.code, f.id.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("XP001", "XP001@テスト市:a-juki.ron:外部業者"),
            ("XP002", "XP002@テスト市:共通基盤"),
            ("XP003", "XP003@テスト市:a-juki.ron:共通基盤:b-fukushi.ron"),
        ]
    );
    let xp001 = &body.findings[0];
    let hops: Vec<String> = xp001.path.iter().map(|&e| body.hop_text(e)).collect();
    assert_eq!(
        hops,
        [
            "第1号議案 ②（住民記録システム → 共通基盤）",
            "第2号議案 ①（共通基盤 → 業者サーバ）"
        ]
    );
    // Only the items both flows carry reach the contractor (住所 stays in paper A, 口座番号 is paper B's own).
    let items: Vec<&str> = xp001
        .items
        .iter()
        .map(|&i| body.items[i].name.as_str())
        .collect();
    assert_eq!(items, ["氏名", "個人番号"]);
    assert!(body.findings[1]
        .message
        .contains("第1号議案では「LGWAN接続系」、第2号議案では「インターネット接続系」"));
    assert_eq!(body.findings[2].path.len(), 2);
}

#[test]
fn declared_fixture_fires_nothing() {
    // Paper B declares 外部業者 for what it sends, places 共通基盤 in the same segment, and sends no 個人番号.
    let inv = build("tests/fixtures/inventory/declared");
    assert!(inv.bodies[0].findings.is_empty(), "{}", inv.summary());
    assert_eq!(inv.bodies[0].shared().count(), 2);
}

#[test]
fn models_of_two_bodies_are_not_joined_even_with_the_same_system_name() {
    let inv = build("tests/fixtures/inventory/two-bodies");
    assert_eq!(inv.bodies.len(), 2);
    assert!(inv
        .bodies
        .iter()
        .all(|b| b.shared().count() == 0 && b.findings.is_empty()));
    assert!(inv.summary().contains("団体が異なるモデルは結合しません"));
}

#[test]
fn bad_alias_is_pointed_at_with_a_suggestion_and_exit_2() {
    let out = nagare()
        .args(["inventory", "tests/fixtures/inventory/bad-aliases"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "エラー[aliases::unknown-name]: テスト市の資料に「共通期盤」というシステムはありません"
        ),
        "{err}"
    );
    assert!(err.contains("aliases.ron:6:"), "{err}");
    assert!(err.contains("「共通基盤」のことですか？"), "{err}");
}

#[test]
fn alias_table_errors_are_diagnostics() {
    let parse = |text: &str| Aliases::parse(&nagare::diag::Source::new("aliases.ron", text));
    // A name mapped to two canonical names.
    let twice = parse(
        r#"Aliases(bodies: {"テスト市": (systems: {"甲": ["共通基盤"], "乙": ["共通基盤"]})})"#,
    )
    .expect_err("twice");
    assert_eq!(twice[0].code, "aliases::twice");
    assert!(
        twice[0].message.contains("「甲」と「乙」"),
        "{}",
        twice[0].message
    );
    // An unknown field is a syntax diagnostic with a place.
    let unknown = parse(r#"Aliases(bodies: {"テスト市": (sistems: {})})"#).expect_err("field");
    assert!(unknown[0].primary.is_some());
    // A body with no models in the folder.
    let table = parse(r#"Aliases(bodies: {"テスト町": ()})"#).expect("parses");
    let problems = table.check(&papers("tests/fixtures/inventory/cross"));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "aliases::unknown-body");
    assert_eq!(
        problems[0].help.as_deref(),
        Some("「テスト市」のことですか？")
    );
}

#[test]
fn graphml_parses_back_with_every_node_and_edge() {
    let inv = build("models");
    let text = inventory::export::graphml(&inv);
    let doc = roxmltree::Document::parse(&text).expect("well-formed GraphML");
    let graph = doc
        .descendants()
        .find(|n| n.has_tag_name("graph"))
        .expect("graph");
    let ids: std::collections::BTreeSet<&str> = graph
        .children()
        .filter(|n| n.has_tag_name("node"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    let nodes: usize = inv.bodies.iter().map(|b| b.nodes.len()).sum();
    let edges: usize = inv.bodies.iter().map(|b| b.edges.len()).sum();
    assert_eq!(ids.len(), nodes, "node ids are unique");
    let edge_ends: Vec<(&str, &str)> = graph
        .children()
        .filter(|n| n.has_tag_name("edge"))
        .map(|n| {
            (
                n.attribute("source").unwrap_or(""),
                n.attribute("target").unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(edge_ends.len(), edges);
    assert!(edge_ends
        .iter()
        .all(|(s, t)| ids.contains(s) && ids.contains(t)));
    // Every data element names a declared key.
    let keys: std::collections::BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("key"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert!(doc
        .descendants()
        .filter(|n| n.has_tag_name("data"))
        .all(|n| n.attribute("key").is_some_and(|k| keys.contains(k))));
}

#[test]
fn jsonl_lines_follow_schema_version_1() {
    let inv = build("tests/fixtures/inventory/cross");
    let text = inventory::export::jsonl(&inv);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    let mut edge_ids = std::collections::BTreeSet::new();
    let mut counts = std::collections::BTreeMap::new();
    for v in &lines {
        assert_eq!(v["version"], 1, "{v}");
        assert_eq!(v["body"], "テスト市", "{v}");
        let ty = v["type"].as_str().expect("type");
        *counts.entry(ty.to_string()).or_insert(0) += 1;
        match ty {
            "node" => {
                assert!(ids.insert(v["id"].as_str().expect("id").to_string()));
                assert!(matches!(v["kind"].as_str(), Some("関係者" | "システム")));
            }
            "edge" => {
                assert!(edge_ids.insert(v["id"].as_str().expect("id").to_string()));
                assert!(v["items"].is_array() && v["data"].is_boolean());
            }
            "body" | "item" | "finding" => {}
            other => panic!("unknown line type {other}"),
        }
    }
    for v in lines.iter().filter(|v| v["type"] == "edge") {
        assert!(ids.contains(v["from"].as_str().unwrap_or("")));
        assert!(ids.contains(v["to"].as_str().unwrap_or("")));
    }
    for v in lines.iter().filter(|v| v["type"] == "finding") {
        for e in v["path"].as_array().expect("path") {
            assert!(edge_ids.contains(e.as_str().unwrap_or("")), "{e}");
        }
    }
    assert_eq!(counts["body"], 1);
    assert_eq!(counts["node"], 6);
    assert_eq!(counts["edge"], 3);
    assert_eq!(counts["finding"], 3);
}

#[test]
fn html_is_self_contained_deterministic_and_escapes_model_text() {
    let text = r#"Model(
        title: "</script><script>alert(1)</script>",
        owner: "エスケープ市 課",
        items: {"氏名<b>": ()},
        parties: {"本人": (role: 本人), "区&課": (role: 実施機関)},
        systems: {"<img src=x onerror=alert(1)>": (party: "区&課")},
        flows: [(no: 1, from: "本人", to: "<img src=x onerror=alert(1)>", label: "\"引用\"", via: 手渡し, items: ["氏名<b>"])],
    )"#;
    let loaded = nagare::model::load_source(nagare::diag::Source::new("x.ron", text), &controls());
    let model = loaded.model.expect("loads");
    let inv = Inventory::build(vec![Paper::new("x.ron", model)], &Aliases::default());
    let page = inventory::html::page(&inv);
    assert!(!page.contains("<img src=x"), "a model string became markup");
    assert!(
        !page.contains("</script><script>alert"),
        "a model string closed the script"
    );
    assert_eq!(
        page.matches("</script>").count(),
        2,
        "two script elements, each closed once"
    );
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // Self-contained: nothing is fetched.
    for external in ["http://", "https://", "src=\"", "@import", "url("] {
        let outside_xmlns = page.replace("http://www.w3.org/2000/svg", "");
        assert!(!outside_xmlns.contains(external), "{external}");
    }
    assert_eq!(page, inventory::html::page(&inv), "same input, same bytes");
}

#[test]
fn cli_writes_each_format_and_refuses_an_unknown_extension() {
    let dir = tempfile::tempdir().expect("tmp");
    for ext in ["html", "graphml", "jsonl"] {
        let out = dir.path().join(format!("inv.{ext}"));
        let run = nagare()
            .args(["inventory", "tests/fixtures/inventory/cross", "-o"])
            .arg(&out)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert_eq!(run.status.code(), Some(1), "findings → exit 1\n{stdout}");
        assert!(stdout.contains("XP001"), "{stdout}");
        assert!(out.is_file());
    }
    let run = nagare()
        .args(["inventory", "tests/fixtures/inventory/cross", "-o"])
        .arg(dir.path().join("inv.csv"))
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains(".html（画面）・.graphml"));
}

#[test]
fn synthetic_body_with_shared_systems_joins_in_one_pass() {
    // Two papers of one body generated with the same system names: every system is shared, and the search runs
    // over items each flow carries. The point is that it finishes and joins, not how long it takes.
    let controls = controls();
    let papers: Vec<Paper> = (0..2u64)
        .map(|seed| {
            let text = nagare::synth::model_text(400, seed + 1).replacen(
                "document: \"bench\",",
                &format!("document: \"合成{seed}\", owner: \"合成市 課{seed}\","),
                1,
            );
            let loaded = nagare::model::load_source(
                nagare::diag::Source::new(format!("p{seed}.ron"), text),
                &controls,
            );
            Paper::new(
                format!("p{seed}.ron"),
                loaded.model.expect("synthetic model loads"),
            )
        })
        .collect();
    let inv = Inventory::build(papers, &Aliases::default());
    assert_eq!(inv.bodies.len(), 1);
    let body = &inv.bodies[0];
    assert!(
        body.shared()
            .filter(|(_, n)| n.kind == NodeKind::System)
            .count()
            > 300
    );
    // Every finding's path starts with a flow of one paper and continues with another's.
    for f in body.findings.iter().filter(|f| f.code == "XP001") {
        let papers: Vec<usize> = f.path.iter().map(|&e| body.edges[e].paper).collect();
        assert!(papers.len() >= 2 && papers[0] != papers[1], "{papers:?}");
    }
}

/// Loads the page in headless Chromium (when installed) and reads the markers its script writes into the DOM.
#[test]
fn page_runs_in_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        // CI installs Chromium and sets NAGARE_REQUIRE_CHROMIUM, so there the page is always run.
        assert!(
            std::env::var_os("NAGARE_REQUIRE_CHROMIUM").is_none(),
            "NAGARE_REQUIRE_CHROMIUM is set but chromium is not installed"
        );
        println!(
            "skipped: chromium is not installed (the page is still checked for escaping above)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let html = dir.path().join("inv.html");
    let inv = build("tests/fixtures/inventory/cross");
    inventory::write(&inv, &html, inventory::Format::Html).expect("written");
    let profile = dir.path().join("profile");
    let dom = |hash: &str| -> String {
        let url = format!("file://{}{hash}", html.display());
        let out = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--virtual-time-budget=3000",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .output()
            .expect("chromium runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let plain = dom("");
    assert!(
        plain.contains("data-ready=\"1\""),
        "the script ran to its end"
    );
    assert!(plain.contains("data-nodes=\"6\"") && plain.contains("data-edges=\"3\""));
    assert!(plain.contains("テスト市: 資料 2 件"), "status line written");
    let finding = dom("#finding=XP001%40%E3%83%86%E3%82%B9%E3%83%88%E5%B8%82%3Aa-juki.ron%3A%E5%A4%96%E9%83%A8%E6%A5%AD%E8%80%85");
    // Path: 2 edges and 3 nodes lit, plus the finding's row in the list.
    assert!(finding.contains("data-lit=\"6\""), "finding path lit");
    let item = dom("#item=%E5%80%8B%E4%BA%BA%E7%95%AA%E5%8F%B7");
    assert!(item.contains("情報項目「個人番号」"), "item detail shown");
}

/// The alias table shown in docs/inventory.md is valid for `models/`, and its per-paper entry takes the 産後ケア
/// paper's 委託事業者 out of the label rule (so the note about two 委託事業者 goes away).
#[test]
fn documented_alias_table_is_valid_for_the_seed_models() {
    let doc = std::fs::read_to_string("docs/inventory.md").expect("docs");
    let start = doc.find("Aliases(\n").expect("example in docs");
    let end = start + doc[start..].find("```").expect("end of example");
    let source = nagare::diag::Source::new("docs/inventory.md", &doc[start..end]);
    let table = Aliases::parse(&source).expect("the documented table parses");
    let papers = papers("models");
    let problems: Vec<String> = table
        .check(&papers)
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let inv = Inventory::build(papers, &table);
    let edogawa = inv
        .bodies
        .iter()
        .find(|b| b.name == "江戸川区")
        .expect("江戸川区");
    assert!(edogawa.nodes.iter().any(|n| n.name == "産後ケア委託事業者"));
    assert!(
        !edogawa
            .notes
            .iter()
            .any(|n| n.contains("別の相手として扱いました")),
        "{:?}",
        edogawa.notes
    );
}

/// A minimal paper of テスト市 with one system, for the joining rules.
fn tiny(file: &str, system: &str, segment: &str) -> Paper {
    let text = format!(
        r#"Model(
            title: "{file}",
            owner: "テスト市 課",
            items: {{"氏名": ()}},
            parties: {{"住民": (role: 本人), "テスト市": (role: 実施機関)}},
            systems: {{"{system}": (party: "テスト市", segment: {segment})}},
            flows: [(no: 1, from: "住民", to: "{system}", label: "届出", via: 手渡し, items: ["氏名"])],
        )"#
    );
    let loaded = nagare::model::load_source(nagare::diag::Source::new(file, text), &controls());
    Paper::new(file, loaded.model.expect("tiny model loads"))
}

#[test]
fn names_join_after_width_and_space_folding_only_and_likely_aliases_become_notes() {
    let inv = Inventory::build(
        vec![
            tiny("a.ron", "ＨＥＲ－ＳＹＳ", "LGWAN接続系"),
            tiny("b.ron", "HER-SYS", "LGWAN接続系"),
            tiny("c.ron", "住民 サーバ", "LGWAN接続系"),
            tiny("d.ron", "住民サーバー", "LGWAN接続系"),
        ],
        &Aliases::default(),
    );
    let body = &inv.bodies[0];
    let systems: Vec<(&str, usize)> = body
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::System)
        .map(|n| (n.name.as_str(), n.papers().len()))
        .collect();
    // Full-width letters and signs fold; サーバ and サーバー are different words and stay apart.
    assert_eq!(
        systems,
        [
            ("ＨＥＲ－ＳＹＳ", 2),
            ("住民 サーバ", 1),
            ("住民サーバー", 1)
        ]
    );
    assert!(
        body.notes
            .iter()
            .any(|n| n.contains("「住民 サーバ」") && n.contains("「住民サーバー」")),
        "{:?}",
        body.notes
    );
    // The 本人 of four papers are four nodes.
    assert_eq!(
        body.nodes
            .iter()
            .filter(|n| n.places.iter().any(|p| p.written == "住民"))
            .count(),
        4
    );
    // Exports are byte-identical when built again.
    let again = Inventory::build(
        vec![
            tiny("a.ron", "ＨＥＲ－ＳＹＳ", "LGWAN接続系"),
            tiny("b.ron", "HER-SYS", "LGWAN接続系"),
            tiny("c.ron", "住民 サーバ", "LGWAN接続系"),
            tiny("d.ron", "住民サーバー", "LGWAN接続系"),
        ],
        &Aliases::default(),
    );
    assert_eq!(
        inventory::export::jsonl(&inv),
        inventory::export::jsonl(&again)
    );
    assert_eq!(
        inventory::export::graphml(&inv),
        inventory::export::graphml(&again)
    );
}
