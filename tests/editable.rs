//! Outputs a clerk finishes by hand: the SVG has one named group per lane, card and arrow (with the arrow's label
//! and step number inside it), `--text outlines` keeps those groups with no live text left, and the draw.io file
//! has the same layout with one edge per flow between boxes that exist. Every seed model, both views, every page.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nagare::model::Model;
use nagare::render::scene::Owner;
use nagare::render::{self, Format, Options, Scene, TextMode, View};
use nagare::rules::engine::Finding;

mod support;
use support::{load, root};

fn findings(model: &Model) -> Vec<Finding> {
    support::findings_on(model, (2025, 1, 1))
}

fn options(view: View) -> Options {
    Options {
        view,
        highlight: true,
        ..Options::default()
    }
}

/// The seed models and the markup-in-labels fixture.
fn models() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("models"))
        .expect("models/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    paths.push(root().join("tests/golden/xss-labels.ron"));
    paths
}

/// Every scene a model is drawn as: the whole diagram and each printed page, in both views.
fn scenes(model: &Model, findings: &[Finding]) -> Vec<(String, Scene)> {
    let mut out = Vec::new();
    for view in [View::Committee, View::Layered] {
        let o = options(view);
        let whole = render::build_scene(model, findings, &o).expect("lays out");
        out.push((format!("{view:?} whole"), whole));
        let pages = render::build_pages(model, findings, &o).expect("pages");
        for (k, p) in pages.into_iter().enumerate() {
            out.push((format!("{view:?} page {}", k + 1), p));
        }
    }
    out
}

fn owner_id(o: Owner) -> String {
    match o {
        Owner::Lane(p) => format!("lane-{}", p + 1),
        Owner::Party(p) => format!("party-{}", p + 1),
        Owner::System(s) => format!("system-{}", s + 1),
        Owner::Flow(f) => format!("flow-{}", f + 1),
    }
}

/// The texts inside each `<g id>` of an SVG document.
fn group_texts(doc: &roxmltree::Document) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for g in doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("id").is_some())
    {
        let texts = g
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect();
        out.insert(g.attribute("id").unwrap_or_default().to_string(), texts);
    }
    out
}

#[test]
fn every_box_and_arrow_is_one_named_group_holding_its_texts() {
    for path in models() {
        let model = load(&path);
        let findings = findings(&model);
        for (what, scene) in scenes(&model, &findings) {
            let at = format!("{} {what}", path.display());
            let svg = render::scene_svg(&scene);
            let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{at}: {e}"));
            let mut ids = BTreeSet::new();
            for n in doc.descendants().filter(|n| n.attribute("id").is_some()) {
                let id = n.attribute("id").unwrap_or_default();
                assert!(ids.insert(id.to_string()), "{at}: id {id} twice");
            }
            // Every group is named for people and every drawn thing sits in a group.
            for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
                let name = g.attribute("data-name").unwrap_or_default();
                assert!(
                    !name.is_empty(),
                    "{at}: group {:?} unnamed",
                    g.attribute("id")
                );
                let title = g.children().find(|c| c.has_tag_name("title"));
                assert_eq!(title.and_then(|t| t.text()), Some(name), "{at}");
            }
            for n in doc
                .descendants()
                .filter(|n| n.has_tag_name("text") || n.has_tag_name("path"))
            {
                assert!(
                    n.ancestors().any(|a| a.has_tag_name("g")),
                    "{at}: a {} outside every group",
                    n.tag_name().name()
                );
            }
            let texts = group_texts(&doc);
            // Each flow's arrow is its own group, once, with its arrowhead.
            for f in scene.connectors.iter().filter_map(|c| c.flow) {
                let id = format!("flow-{}", f + 1);
                let g = doc
                    .descendants()
                    .find(|n| n.attribute("id") == Some(id.as_str()))
                    .unwrap_or_else(|| panic!("{at}: no group {id}"));
                assert!(
                    g.children().filter(|c| c.has_tag_name("path")).count() >= 1,
                    "{at}: {id} draws no line"
                );
            }
            // Each subject's box has its group, and each text is in the group of what it labels: a card's lines
            // in the card's group, a flow's label and step number in the flow's group.
            for o in scene.owners.boxes.values() {
                assert!(
                    texts.contains_key(&owner_id(*o)),
                    "{at}: no group for {o:?}"
                );
            }
            for (t, text) in scene.texts.iter().enumerate() {
                let Some(o) = scene.text_owner(t) else {
                    continue;
                };
                let id = owner_id(o);
                assert!(
                    texts.get(&id).is_some_and(|v| v.contains(&text.text)),
                    "{at}: 「{}」 is not inside {id}",
                    text.text
                );
            }
            let labelled = scene
                .texts
                .iter()
                .enumerate()
                .filter(|(t, _)| matches!(scene.text_owner(*t), Some(Owner::Flow(_))))
                .count();
            assert!(
                scene.connectors.iter().all(|c| c.flow.is_none()) || labelled > 0,
                "{at}: no text belongs to any flow"
            );
        }
    }
}

#[test]
fn outlined_text_keeps_the_groups_and_draws_no_text() {
    for name in ["iheat-jp", "edogawa-telework"] {
        let model = load(&root().join(format!("models/{name}.ron")));
        let findings = findings(&model);
        let o = options(View::Committee);
        let live = render::render_bytes(&model, &findings, &o, Format::Svg).expect("live SVG");
        let o = Options {
            text: TextMode::Outlines,
            ..o
        };
        let outlined =
            render::render_bytes(&model, &findings, &o, Format::Svg).expect("outlined SVG");
        let again = render::render_bytes(&model, &findings, &o, Format::Svg).expect("outlined SVG");
        assert!(outlined == again, "{name}: outlines differ between runs");
        let live = String::from_utf8(live).expect("UTF-8");
        let outlined = String::from_utf8(outlined).expect("UTF-8");
        assert!(live.contains("<text"), "{name}: live SVG has text");
        assert!(
            !outlined.contains("<text"),
            "{name}: outlined SVG still has <text>"
        );
        let groups = |svg: &str| -> BTreeMap<String, String> {
            let doc = roxmltree::Document::parse(svg).expect("parses");
            doc.descendants()
                .filter(|n| n.has_tag_name("g"))
                .filter_map(|n| {
                    Some((
                        n.attribute("id")?.to_string(),
                        n.attribute("data-name")?.to_string(),
                    ))
                })
                .collect()
        };
        let (a, b) = (groups(&live), groups(&outlined));
        assert!(a.len() > 5, "{name}: {a:?}");
        assert_eq!(a, b, "{name}: the outlined SVG lost or renamed groups");
    }
}

/// One `<diagram>` of a draw.io file: cell id → (parent, is edge, source, target, style, value).
struct Cell {
    parent: Option<String>,
    edge: bool,
    vertex: bool,
    source: Option<String>,
    target: Option<String>,
    style: String,
    value: String,
}

fn cells(diagram: roxmltree::Node) -> (BTreeMap<String, Cell>, Vec<String>) {
    let mut out = BTreeMap::new();
    let mut dupes = Vec::new();
    for c in diagram.descendants().filter(|n| n.has_tag_name("mxCell")) {
        // A cell wrapped in a UserObject takes its id and label from the wrapper.
        let wrapper = c.parent().filter(|p| p.has_tag_name("UserObject"));
        let id = wrapper
            .and_then(|w| w.attribute("id"))
            .or(c.attribute("id"))
            .unwrap_or_default()
            .to_string();
        let value = wrapper
            .and_then(|w| w.attribute("label"))
            .or(c.attribute("value"))
            .unwrap_or_default()
            .to_string();
        let cell = Cell {
            parent: c.attribute("parent").map(str::to_string),
            edge: c.attribute("edge") == Some("1"),
            vertex: c.attribute("vertex") == Some("1"),
            source: c.attribute("source").map(str::to_string),
            target: c.attribute("target").map(str::to_string),
            style: c.attribute("style").unwrap_or_default().to_string(),
            value,
        };
        if out.insert(id.clone(), cell).is_some() {
            dupes.push(id);
        }
    }
    (out, dupes)
}

/// A number from a draw.io style (`exitX=0.500;`).
fn style_num(style: &str, key: &str) -> Option<f64> {
    style
        .split(';')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
}

#[test]
fn drawio_has_the_pages_one_edge_per_flow_and_ends_that_exist() {
    for path in models() {
        let model = load(&path);
        let findings = findings(&model);
        for view in [View::Committee, View::Layered] {
            let at = format!("{} {view:?}", path.display());
            let o = options(view);
            let bytes =
                render::render_bytes(&model, &findings, &o, Format::Drawio).expect("drawio");
            let again =
                render::render_bytes(&model, &findings, &o, Format::Drawio).expect("drawio");
            assert!(bytes == again, "{at}: two runs differ");
            let xml = String::from_utf8(bytes).expect("UTF-8");
            let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{at}: {e}"));
            assert_eq!(doc.root_element().tag_name().name(), "mxfile");
            let pages = render::build_pages(&model, &findings, &o).expect("pages");
            let diagrams: Vec<_> = doc
                .root_element()
                .children()
                .filter(|n| n.has_tag_name("diagram"))
                .collect();
            assert_eq!(diagrams.len(), pages.len(), "{at}: one diagram per page");
            let mut flows_drawn: BTreeMap<String, usize> = BTreeMap::new();
            for (k, (d, page)) in diagrams.iter().zip(&pages).enumerate() {
                let at = format!("{at} page {}", k + 1);
                assert_eq!(
                    d.attribute("name"),
                    Some(format!("{}ページ", k + 1).as_str())
                );
                let (cells, dupes) = cells(*d);
                assert!(dupes.is_empty(), "{at}: ids twice: {dupes:?}");
                for (id, c) in &cells {
                    if let Some(p) = &c.parent {
                        assert!(cells.contains_key(p), "{at}: {id}'s parent {p} missing");
                    }
                }
                // Every box and every line of text of the page is a vertex.
                let vertices = cells.values().filter(|c| c.vertex).count();
                assert_eq!(vertices, page.boxes.len() + page.texts.len(), "{at}");
                for text in &page.texts {
                    assert!(
                        cells.values().any(|c| c.value == text.text),
                        "{at}: 「{}」 missing",
                        text.text
                    );
                }
                for (id, c) in cells.iter().filter(|(_, c)| c.edge) {
                    if !id.starts_with("flow-") {
                        continue;
                    }
                    *flows_drawn.entry(id.clone()).or_insert(0) += 1;
                    for (end, key) in [(&c.source, "exit"), (&c.target, "entry")] {
                        let end = end
                            .as_ref()
                            .unwrap_or_else(|| panic!("{at}: {id} has no {key} box"));
                        let box_cell = cells
                            .get(end)
                            .unwrap_or_else(|| panic!("{at}: {id}'s end {end} missing"));
                        assert!(box_cell.vertex, "{at}: {id} ends at {end}, not a box");
                        // The arrow leaves and enters its boxes where the layout drew it: on their outline.
                        for axis in ["X", "Y"] {
                            let v = style_num(&c.style, &format!("{key}{axis}"))
                                .unwrap_or_else(|| panic!("{at}: {id} has no {key}{axis}"));
                            assert!((-0.2..=1.2).contains(&v), "{at}: {id} {key}{axis}={v}");
                        }
                    }
                }
            }
            let expected: BTreeMap<String, usize> = (0..model.flows.len())
                .map(|f| (format!("flow-{}", f + 1), 1))
                .collect();
            assert_eq!(flows_drawn, expected, "{at}: every flow is one edge, once");
        }
    }
}

#[test]
fn drawio_labels_are_text_not_markup() {
    let model = load(&root().join("tests/golden/xss-labels.ron"));
    let bytes = render::render_bytes(&model, &[], &options(View::Committee), Format::Drawio)
        .expect("drawio");
    let xml = String::from_utf8(bytes).expect("UTF-8");
    assert!(!xml.contains("<script"), "raw markup in the file");
    assert!(xml.contains("html=0"), "labels are plain text, not HTML");
    assert!(!xml.contains("html=1"), "no label is read as HTML");
    let doc = roxmltree::Document::parse(&xml).expect("parses");
    assert!(
        doc.descendants()
            .filter_map(|n| n.attribute("value"))
            .any(|v| v.contains('<')),
        "a label with markup characters comes back as the same text"
    );
}

#[test]
fn the_format_comes_from_the_extension() {
    assert_eq!(
        Format::from_path(Path::new("図.drawio")),
        Ok(Format::Drawio)
    );
    let err = Format::from_path(Path::new("図.vsdx")).unwrap_err();
    assert!(err.contains(".drawio"), "{err}");
}

#[test]
fn render_writes_drawio_and_outlined_svg_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let model = root().join("models/iheat-jp.ron");
    let drawio = dir.path().join("図.drawio");
    assert_cmd::Command::cargo_bin("nagare")
        .expect("binary")
        .args(["render", model.to_str().unwrap_or_default(), "-o"])
        .arg(&drawio)
        .assert()
        .success();
    let xml = std::fs::read_to_string(&drawio).expect("written");
    assert!(xml.starts_with("<mxfile"), "{}", &xml[..xml.len().min(80)]);
    let svg = dir.path().join("図.svg");
    assert_cmd::Command::cargo_bin("nagare")
        .expect("binary")
        .args([
            "render",
            model.to_str().unwrap_or_default(),
            "--text",
            "outlines",
            "-o",
        ])
        .arg(&svg)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&svg).expect("written");
    assert!(!svg.contains("<text") && svg.contains("id=\"flow-1\""));
}
