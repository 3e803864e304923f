//! The office writers carry user text as inert text: no formula in xlsx, no broken Markdown table, no markup in HTML.

use std::io::Read;

use nagare::office::{to_html, to_markdown, to_xlsx, Document, Table};

fn hostile() -> Document {
    let mut doc = Document::new("件名");
    doc.fields("表紙", vec![("件名".into(), "=1+1".into())]);
    doc.table(Table {
        name: "一覧".into(),
        caption: "一覧".into(),
        headers: vec!["名前".into(), "備考".into()],
        rows: vec![
            vec!["=HYPERLINK(\"http://x\",\"y\")".into(), "+81-3".into()],
            vec!["-1".into(), "@SUM(A1:A2)".into()],
            vec!["a|b".into(), "改行\nあり<b>".into()],
        ],
    });
    doc
}

/// Every part of the xlsx package, unzipped, as text.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("utf-8 part");
        out.push((file.name().to_string(), text));
    }
    out
}

#[test]
fn xlsx_cells_starting_with_formula_characters_stay_text() {
    let parts = unzip(&to_xlsx(&hostile()).expect("xlsx"));
    for (name, text) in &parts {
        if name.starts_with("xl/worksheets/") {
            assert!(!text.contains("<f>"), "{name} has a formula: {text}");
        }
    }
    let strings = &parts
        .iter()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .expect("shared strings")
        .1;
    for s in ["=HYPERLINK(", "+81-3", "@SUM(A1:A2)", "=1+1"] {
        assert!(strings.contains(s), "{s} kept as text: {strings}");
    }
}

#[test]
fn markdown_tables_are_not_broken_by_pipes_or_newlines() {
    let md = to_markdown(&hostile());
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    for row in &rows {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 3, "every row has two cells: {row}");
    }
    assert!(md.contains("改行<br>あり&lt;b&gt;"), "{md}");
}

#[test]
fn html_carries_no_user_markup() {
    let html = to_html(&hostile());
    assert!(!html.contains("<b>"), "{html}");
    assert!(html.contains("あり&lt;b&gt;"));
}
