//! The committee packet (`nagare report`): the 別紙 tables, the declared-vs-actual matrix and the checklist say what
//! the seed papers say; every format is the same bytes on every run; a hostile label stays inert.

use std::io::Read;
use std::path::{Path, PathBuf};

use nagare::controls::Catalogue as Controls;
use nagare::model::Model;
use nagare::office::{Block, Document, Table};
use nagare::packet::{self, Format};
use nagare::rules::engine::Finding;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn controls() -> Controls {
    Controls::builtin().unwrap_or_else(|_| panic!("built-in controls catalogue"))
}

fn load_text(name: &str, text: &str) -> Model {
    let source = nagare::diag::Source::new(name.to_string(), text.to_string());
    let loaded = nagare::model::load_source(source, &controls());
    loaded
        .model
        .unwrap_or_else(|| panic!("{name} does not load: {:?}", loaded.diagnostics))
}

fn load(name: &str) -> Model {
    let path = root().join("models").join(format!("{name}.ron"));
    let text = std::fs::read_to_string(&path).expect("model file");
    load_text(&path.display().to_string(), &text)
}

fn findings(model: &Model) -> Vec<Finding> {
    let rules =
        nagare::rules::Catalogue::load(None).unwrap_or_else(|_| panic!("built-in rule packs"));
    nagare::rules::engine::run(model, &rules, (2026, 4, 1))
}

fn packet(name: &str) -> Document {
    let model = load(name);
    let f = findings(&model);
    packet::build(&model, &f, None, &controls())
}

fn table<'d>(doc: &'d Document, name: &str) -> &'d Table {
    doc.blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) | Block::Appendix(t) if t.name == name => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn column(t: &Table, header_starts: &str) -> usize {
    t.headers
        .iter()
        .position(|h| h.starts_with(header_starts))
        .unwrap_or_else(|| panic!("no column {header_starts} in {:?}", t.headers))
}

#[test]
fn iheat_external_link_sheet_has_the_iheat_row_with_its_items() {
    let doc = packet("iheat-jp");
    let t = table(&doc, "別紙_外部結合");
    assert_eq!(
        t.headers,
        [
            "相手方",
            "根拠",
            "情報項目",
            "形態・方法",
            "期間",
            "法令上の根拠"
        ]
    );
    assert_eq!(t.rows.len(), 1, "{:?}", t.rows);
    let row = &t.rows[0];
    assert_eq!(row[0], "IHEAT事務局（日本公衆衛生協会）");
    assert_eq!(row[1], "外部結合");
    assert!(
        row[2].starts_with("IHEAT要員の登録情報（氏名、生年月日"),
        "{}",
        row[2]
    );
    assert!(row[2].contains("所有資格"), "{}", row[2]);
    assert!(row[3].contains("インターネット回線"), "{}", row[3]);
    assert!(row[4].starts_with("令和６年９月２日"), "{}", row[4]);
    assert_eq!(row[5], packet::UNSTATED, "law is unstated in the paper");
    // The header: what the model has, nothing invented.
    let Some(Block::Fields { fields, .. }) = doc.blocks.first() else {
        panic!("header first")
    };
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "件名",
            "資料番号",
            "保有課",
            "登録業務の名称",
            "目的",
            "対象者と人数",
            "期間",
            "指摘"
        ]
    );
}

#[test]
fn iheat_matrix_marks_logo_form_items_as_figure_only() {
    let doc = packet("iheat-jp");
    let t = table(&doc, "突き合わせ");
    let logo: Vec<&Vec<String>> = t
        .rows
        .iter()
        .filter(|r| r[0].starts_with("LoGoフォーム"))
        .collect();
    assert!(!logo.is_empty(), "{:?}", t.rows);
    for row in &logo {
        assert_eq!(row[2], packet::CARRIED_ONLY, "{row:?}");
    }
    // The seven items collapse into the group row, carried by ①.
    assert!(
        logo.iter()
            .any(|r| r[1] == "IHEAT要員の登録情報（7項目）" && r[3].contains('①')),
        "{logo:?}"
    );
    let iheat: Vec<&Vec<String>> = t
        .rows
        .iter()
        .filter(|r| r[0].starts_with("IHEAT事務局"))
        .collect();
    assert!(
        iheat.iter().all(|r| r[2] == packet::BOTH),
        "declared and carried: {iheat:?}"
    );
    assert!(iheat.iter().any(|r| r[3].contains('④')), "{iheat:?}");
    // The full grid (Excel) has one row per item.
    let grid = table(&doc, "突き合わせ_全項目");
    assert_eq!(grid.rows.len(), 7);
    let c = column(grid, "LoGoフォーム");
    assert!(grid
        .rows
        .iter()
        .all(|r| r[c].starts_with(packet::CARRIED_ONLY)));
}

#[test]
fn five_year_checklist_shows_stated_and_not_applicable_with_reason() {
    let doc = packet("shinjuku-5sai-kenshin");
    let t = table(&doc, "チェックリスト");
    let body = column(&t.clone(), "新宿区 健康づくり課");
    let contractor = column(t, "株式会社両備システムズ");
    let na = "－（電子データのみの取扱いのため）";
    let na_rows: Vec<&Vec<String>> = t.rows.iter().filter(|r| r[body] == na).collect();
    assert!(
        na_rows.len() >= 2,
        "the paper marks three rows 「－」: {:?}",
        t.rows
    );
    assert!(na_rows.iter().all(|r| r[contractor] == na));
    // Row names are catalogue labels.
    let catalogue = controls();
    for row in &na_rows {
        assert!(
            catalogue.controls.iter().any(|c| c.label == row[0]),
            "{}",
            row[0]
        );
    }
    let encryption = t
        .rows
        .iter()
        .find(|r| r[0] == "通信内容の暗号化")
        .expect("encryption row");
    assert_eq!(encryption[body], "○");
    // The 外部結合 and 業務委託 sheets both exist, one row each.
    assert_eq!(table(&doc, "別紙_外部結合").rows.len(), 1);
    let outsourcing = table(&doc, "別紙_業務委託");
    assert!(
        outsourcing.rows[0][2].contains("項目、別紙参照）"),
        "{:?}",
        outsourcing.rows
    );
}

fn all_formats(name: &str) -> Vec<(Format, Vec<u8>)> {
    let model = load(name);
    let f = findings(&model);
    let svg = packet::diagram(&model, &f, false).expect("diagram");
    [Format::Html, Format::Xlsx, Format::Markdown, Format::Json]
        .into_iter()
        .map(|format| {
            let doc = packet::build_with(
                &model,
                &f,
                (format == Format::Html).then(|| svg.clone()),
                &controls(),
                &packet::Options {
                    dates: format.dates(),
                },
            );
            (format, packet::to_bytes(&doc, format).expect("writes"))
        })
        .collect()
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    for name in ["iheat-jp", "shinjuku-5sai-kenshin", "kumagaya-boshi-hoken"] {
        let a = all_formats(name);
        let b = all_formats(name);
        for ((format, x), (_, y)) in a.iter().zip(&b) {
            assert!(x == y, "{name} {format:?} differs between runs");
        }
        let html = String::from_utf8(a[0].1.clone()).expect("utf-8");
        assert!(html.contains("<svg"), "the diagram is inline");
        assert!(
            !html.contains("<text"),
            "diagram text is outlined, not left to a font"
        );
        assert!(
            !html.contains("http://") || !html.contains("src=\"http"),
            "no external resources"
        );
    }
}

fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut text = String::new();
            file.read_to_string(&mut text).expect("utf-8 part");
            (file.name().to_string(), text)
        })
        .collect()
}

const HOSTILE: &str = r#"#![enable(implicit_some)]
Model(
    title: "=HYPERLINK(\"http://x\")|<script>alert(1)</script>",
    owner: "@SUM(A1)",
    items: { "=1+1": (), "a|b<script>": () },
    parties: {
        "区": (role: 実施機関),
        "+業者": (role: 外部, label: "-業者|<script>x</script>"),
    },
    systems: { "箱": (party: "+業者", segment: 外部, hosting: クラウド, unstated: [controls, retention]) },
    flows: [
        (no: 1, from: "区", to: "箱", label: "<img src=x onerror=alert(1)>", via: インターネット,
         items: ["=1+1", "a|b<script>"], unstated: [controls]),
    ],
    declared: { "+業者": (basis: 業務委託, items: ["=1+1"], method: "|x|\n=2", unstated: [law, period]) },
)
"#;

#[test]
fn hostile_labels_stay_inert() {
    let model = load_text("hostile.ron", HOSTILE);
    let f = findings(&model);
    let doc = packet::build(&model, &f, None, &controls());
    let html =
        String::from_utf8(packet::to_bytes(&doc, Format::Html).expect("html")).expect("utf8");
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;"));

    let md =
        String::from_utf8(packet::to_bytes(&doc, Format::Markdown).expect("md")).expect("utf8");
    assert!(!md.contains("<script>"));
    // Every row of a table has as many cells as its header.
    let mut expected = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            expected = None;
            continue;
        }
        let cells = line.replace("\\|", "").matches('|').count();
        match expected {
            None => expected = Some(cells),
            Some(n) => assert_eq!(cells, n, "broken row: {line}"),
        }
    }

    let xlsx = packet::to_bytes(&doc, Format::Xlsx).expect("xlsx");
    let parts = unzip(&xlsx);
    for (name, text) in &parts {
        if name.starts_with("xl/worksheets/") {
            assert!(!text.contains("<f>"), "{name} has a formula");
        }
    }
    let strings = &parts
        .iter()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .expect("shared strings")
        .1;
    assert!(strings.contains("-業者|&lt;script&gt;"), "kept as text");

    let json = packet::to_bytes(&doc, Format::Json).expect("json");
    let value: serde_json::Value = serde_json::from_slice(&json).expect("valid json");
    assert_eq!(value["title"], model.title);
}

#[test]
fn cli_writes_each_format_and_refuses_an_unknown_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = root().join("models/iheat-jp.ron");
    for ext in ["md", "json", "xlsx", "html"] {
        let out = dir.path().join(format!("iheat.{ext}"));
        assert_cmd::Command::cargo_bin("nagare")
            .expect("binary")
            .args(["report"])
            .arg(&model)
            .arg("-o")
            .arg(&out)
            .env("NAGARE_TODAY", "2026-04-01")
            .assert()
            .success();
        assert!(Path::new(&out).exists());
    }
    let json = std::fs::read_to_string(dir.path().join("iheat.json")).expect("json");
    assert!(json.contains("IHEAT事務局（日本公衆衛生協会）"));
    assert_cmd::Command::cargo_bin("nagare")
        .expect("binary")
        .args(["report"])
        .arg(&model)
        .arg("-o")
        .arg(dir.path().join("x.docx"))
        .assert()
        .code(2);
}

#[test]
fn kumagaya_packet_states_its_threshold_judgement() {
    let doc = packet("kumagaya-boshi-hoken");
    let fields = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Fields { name, fields } if name == "しきい値判断" => Some(fields),
            _ => None,
        })
        .expect("しきい値判断 block");
    let required = fields
        .iter()
        .find(|(k, _)| k == "必要な評価")
        .expect("required");
    assert_eq!(required.1, "基礎項目評価及び重点項目評価", "{fields:?}");
    // A model without `assessment:` has no such section.
    let iheat = packet("iheat-jp");
    assert!(!iheat
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Fields { name, .. } if name == "しきい値判断")));
}
