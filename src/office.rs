//! Documents for the office: headings, key–value blocks, tables and an inline diagram, written as Markdown, a
//! self-contained HTML page that prints on A4, or an Excel workbook (one sheet per table).
//!
//! Every writer treats user text as inert: Markdown cells escape `|` and line breaks, HTML escapes markup, and
//! xlsx cells are written as strings, so a label starting with `=`, `+`, `-` or `@` never becomes a formula.
//! Output is deterministic: the same document gives the same bytes.

use serde::Serialize;

/// A document: a title and blocks in reading order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One part of a document.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section heading (level 1 or 2).
    Heading {
        level: u8,
        text: String,
    },
    /// A paragraph of plain text.
    Paragraph {
        text: String,
    },
    /// 項目: 内容 pairs, as a header block of a 別紙 (件名, 保有課…).
    Fields {
        name: String,
        fields: Vec<(String, String)>,
    },
    Table(Table),
    /// A table too long for the printed page (a full party × item grid): its own sheet in Excel; Markdown and
    /// HTML say where to find it.
    Appendix(Table),
    /// A diagram as SVG markup produced by nagare's renderer (HTML only; other writers skip it).
    Svg {
        #[serde(skip)]
        svg: String,
    },
}

/// A table: `name` is the sheet name in Excel, `caption` the heading shown above it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Table {
    pub name: String,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading {
            level,
            text: text.into(),
        });
    }

    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph { text: text.into() });
    }

    pub fn fields(&mut self, name: impl Into<String>, fields: Vec<(String, String)>) {
        self.blocks.push(Block::Fields {
            name: name.into(),
            fields,
        });
    }

    pub fn table(&mut self, table: Table) {
        self.blocks.push(Block::Table(table));
    }

    pub fn appendix(&mut self, table: Table) {
        self.blocks.push(Block::Appendix(table));
    }

    pub fn svg(&mut self, svg: String) {
        self.blocks.push(Block::Svg { svg });
    }
}

// ---- Markdown ---------------------------------------------------------------------------------

/// A table cell in Markdown: `|` escaped, line breaks as `<br>`, nothing else interpreted.
fn md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if out.is_empty() {
        out.push(' ');
    }
    out
}

/// Running text in Markdown: line structure kept, markup characters that would start a block escaped.
fn md_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line: String = line
                .chars()
                .filter(|c| !c.is_control())
                .map(|c| match c {
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            match line.chars().next() {
                Some('#' | '>' | '-' | '+' | '*' | '|' | '=') => format!("\\{line}"),
                _ => line,
            }
        })
        .collect::<Vec<_>>()
        .join("  \n")
}

/// The document as Markdown (GitHub tables).
pub fn to_markdown(doc: &Document) -> String {
    let mut out = format!("# {}\n", md_text(&doc.title));
    for block in &doc.blocks {
        out.push('\n');
        match block {
            Block::Heading { level, text } => {
                let hashes = "#".repeat(usize::from((*level).clamp(1, 4)) + 1);
                out.push_str(&format!("{hashes} {}\n", md_text(text)));
            }
            Block::Paragraph { text } => {
                out.push_str(&md_text(text));
                out.push('\n');
            }
            Block::Fields { fields, .. } => {
                out.push_str("| 項目 | 内容 |\n|---|---|\n");
                for (k, v) in fields {
                    out.push_str(&format!("| {} | {} |\n", md_cell(k), md_cell(v)));
                }
            }
            Block::Table(t) => {
                if !t.caption.is_empty() {
                    out.push_str(&format!("**{}**\n\n", md_cell(&t.caption)));
                }
                let header: Vec<String> = t.headers.iter().map(|h| md_cell(h)).collect();
                out.push_str(&format!("| {} |\n", header.join(" | ")));
                out.push_str(&format!("|{}\n", "---|".repeat(t.headers.len().max(1))));
                for row in &t.rows {
                    let cells: Vec<String> = (0..t.headers.len().max(row.len()))
                        .map(|i| md_cell(row.get(i).map_or("", String::as_str)))
                        .collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                if t.rows.is_empty() {
                    out.push_str("\n（該当なし）\n");
                }
            }
            Block::Appendix(t) => {
                out.push_str(&format!(
                    "（表「{}」{} 行は Excel 版を参照）\n",
                    md_cell(&t.caption),
                    t.rows.len()
                ));
            }
            Block::Svg { .. } => {
                out.push_str("（図は HTML 版・PDF 版を参照）\n");
            }
        }
    }
    out
}

// ---- HTML --------------------------------------------------------------------------------------

/// Text for HTML element content and attributes: escaped, control characters dropped, line breaks as `<br>`.
pub fn html_escape(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|&c| c == '\n' || !c.is_control())
        .collect();
    crate::markup::escape(&clean).replace('\n', "<br>")
}

const HTML_STYLE: &str = r#"
@page { size: A4 portrait; margin: 15mm 12mm; }
body { font-family: "BIZ UDPGothic", "Yu Gothic", "Meiryo", "Noto Sans CJK JP", sans-serif; font-size: 10.5pt;
       color: #111; margin: 0 auto; max-width: 190mm; line-height: 1.5; }
h1 { font-size: 15pt; border-bottom: 2px solid #333; padding-bottom: 2mm; }
h2 { font-size: 12.5pt; margin-top: 7mm; border-left: 4px solid #335; padding-left: 2mm; break-after: avoid; }
h3 { font-size: 11pt; margin-top: 5mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; }
th, td { border: 1px solid #555; padding: 1mm 1.5mm; vertical-align: top; text-align: left; word-break: break-all; }
th { background: #e8ebf2; }
tr { break-inside: avoid; }
table.fields th { width: 28%; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 1mm; }
.diagram { width: 100%; break-inside: avoid; }
.diagram svg { width: 100%; height: auto; border: 1px solid #ccc; }
.s { white-space: nowrap; }
h2 + p, h3 + p { break-after: avoid; }
/* The diagram is drawn landscape: it prints on a landscape A4 page of its own. */
@page wide { size: A4 landscape; margin: 10mm 12mm; }
@media print {
  body { max-width: none; }
  .diagram { page: wide; }
  .diagram svg { max-height: 170mm; border: none; }
}
.none { color: #666; }
"#;

/// A short cell (「外部結合」「DC001」「○」) is kept on one line, so a narrow column is never squeezed to one
/// character per line by its long neighbours.
fn short_class(text: &str) -> &'static str {
    if !text.contains('\n') && display_width(text) <= 12 {
        " class=\"s\""
    } else {
        ""
    }
}

/// The document as one self-contained HTML page (inline CSS and SVG, no external resources).
pub fn to_html(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", html_escape(&doc.title)));
    out.push_str(&format!("<style>{HTML_STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", html_escape(&doc.title)));
    // A heading right before a diagram goes on the diagram's page with it.
    let mut in_diagram = false;
    for (n, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading { level, text } => {
                if matches!(doc.blocks.get(n + 1), Some(Block::Svg { .. })) {
                    out.push_str("<div class=\"diagram\">\n");
                    in_diagram = true;
                }
                let h = (*level).clamp(1, 4) + 1;
                out.push_str(&format!("<h{h}>{}</h{h}>\n", html_escape(text)));
            }
            Block::Paragraph { text } => {
                out.push_str(&format!("<p>{}</p>\n", html_escape(text)));
            }
            Block::Fields { fields, .. } => {
                out.push_str("<table class=\"fields\">\n");
                for (k, v) in fields {
                    out.push_str(&format!(
                        "<tr><th>{}</th><td>{}</td></tr>\n",
                        html_escape(k),
                        html_escape(v)
                    ));
                }
                out.push_str("</table>\n");
            }
            Block::Table(t) => {
                out.push_str("<table>\n");
                if !t.caption.is_empty() {
                    out.push_str(&format!("<caption>{}</caption>\n", html_escape(&t.caption)));
                }
                out.push_str("<thead><tr>");
                for h in &t.headers {
                    out.push_str(&format!("<th{}>{}</th>", short_class(h), html_escape(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in &t.rows {
                    out.push_str("<tr>");
                    for i in 0..t.headers.len().max(row.len()) {
                        let cell = row.get(i).map_or("", String::as_str);
                        out.push_str(&format!(
                            "<td{}>{}</td>",
                            short_class(cell),
                            html_escape(cell)
                        ));
                    }
                    out.push_str("</tr>\n");
                }
                if t.rows.is_empty() {
                    out.push_str(&format!(
                        "<tr><td class=\"none\" colspan=\"{}\">該当なし</td></tr>\n",
                        t.headers.len().max(1)
                    ));
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Appendix(t) => {
                out.push_str(&format!(
                    "<p class=\"none\">表「{}」（{} 行）は Excel 版にあります。</p>\n",
                    html_escape(&t.caption),
                    t.rows.len()
                ));
            }
            Block::Svg { svg } => {
                // The renderer's own SVG: its text is already escaped; drop the XML prolog for inline use.
                let body = svg.find("<svg").map_or(svg.as_str(), |at| &svg[at..]);
                if !std::mem::take(&mut in_diagram) {
                    out.push_str("<div class=\"diagram\">\n");
                }
                out.push_str(body);
                out.push_str("\n</div>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

// ---- Excel -------------------------------------------------------------------------------------

/// Display width of text in Excel's units (a full-width character counts as two).
fn display_width(text: &str) -> usize {
    text.lines()
        .map(|line| {
            line.chars()
                .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

/// Column widths (display units) narrowed, longest first, until they add up to at most `budget`; no column is
/// made narrower than 10 units unless it was already.
fn fit_widths(natural: &[usize], budget: usize) -> Vec<usize> {
    let mut cap = natural.iter().copied().max().unwrap_or(0).min(60);
    let total = |cap: usize| natural.iter().map(|w| (*w).min(cap)).sum::<usize>();
    while cap > 10 && total(cap) > budget {
        cap -= 1;
    }
    natural.iter().map(|w| (*w).min(cap)).collect()
}

/// Lines the tallest cell of a row takes when wrapped at `widths`.
fn row_lines(cells: &[&str], widths: &[usize]) -> usize {
    cells
        .iter()
        .zip(widths)
        .map(|(cell, w)| {
            cell.lines()
                .map(|line| display_width(line).div_ceil((*w).max(1)).max(1))
                .sum::<usize>()
                .max(1)
        })
        .max()
        .unwrap_or(1)
}

/// Row height in points for `lines` lines of 11-point text (Excel's limit is 409).
fn row_height(lines: usize) -> f64 {
    (lines as f64 * 15.0 + 3.0).min(409.0)
}

/// A valid, unique sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c => c,
        })
        .filter(|c| !c.is_control())
        .take(28)
        .collect();
    let clean = if clean.trim().is_empty() {
        "表".to_string()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{clean}{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// The document as an xlsx workbook: the fields blocks on a first sheet 「表紙」, then one sheet per table,
/// Japanese headers in bold, widths that fit the text, every cell a string.
pub fn to_xlsx(doc: &Document) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{
        DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook,
    };

    let mut workbook = Workbook::new();
    // A fixed creation time keeps the bytes the same on every run.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| e.to_string())?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&doc.title)
            .set_creation_datetime(&created),
    );
    let font = "Meiryo UI";
    let text = Format::new()
        .set_font_name(font)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let head = text.clone().set_bold().set_background_color("E8EBF2");
    let title = Format::new()
        .set_font_name(font)
        .set_bold()
        .set_font_size(14);
    let mut taken: Vec<String> = Vec::new();

    let fields: Vec<&(String, String)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Fields { fields, .. } => Some(fields.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    if !fields.is_empty() {
        let name = sheet_name("表紙", &mut taken);
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name).map_err(|e| e.to_string())?;
        sheet
            .write_string_with_format(0, 0, &doc.title, &title)
            .map_err(|e| e.to_string())?;
        let mut widths = [8usize, 20];
        for (r, (k, v)) in fields.iter().enumerate() {
            let row = u32::try_from(r + 2).map_err(|e| e.to_string())?;
            sheet
                .write_string_with_format(row, 0, k, &head)
                .map_err(|e| e.to_string())?;
            sheet
                .write_string_with_format(row, 1, v, &text)
                .map_err(|e| e.to_string())?;
            widths[0] = widths[0].max(display_width(k));
            widths[1] = widths[1].max(display_width(v));
        }
        let widths = fit_widths(&widths, 100);
        for (c, w) in widths.iter().enumerate() {
            let col = u16::try_from(c).map_err(|e| e.to_string())?;
            sheet
                .set_column_width(col, *w as f64 + 2.0)
                .map_err(|e| e.to_string())?;
        }
        for (r, (k, v)) in fields.iter().enumerate() {
            let row = u32::try_from(r + 2).map_err(|e| e.to_string())?;
            let lines = row_lines(&[k.as_str(), v.as_str()], &widths);
            sheet
                .set_row_height(row, row_height(lines))
                .map_err(|e| e.to_string())?;
        }
        sheet.set_paper_size(9); // A4
        sheet.set_print_fit_to_pages(1, 0);
    }

    for block in &doc.blocks {
        let (Block::Table(t) | Block::Appendix(t)) = block else {
            continue;
        };
        let name = sheet_name(&t.name, &mut taken);
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name).map_err(|e| e.to_string())?;
        let caption = if t.caption.is_empty() {
            &t.name
        } else {
            &t.caption
        };
        sheet
            .write_string_with_format(0, 0, caption, &title)
            .map_err(|e| e.to_string())?;
        let columns = t
            .headers
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
        let mut widths = vec![4usize; columns];
        for (c, h) in t.headers.iter().enumerate() {
            let col = u16::try_from(c).map_err(|e| e.to_string())?;
            sheet
                .write_string_with_format(2, col, h, &head)
                .map_err(|e| e.to_string())?;
            widths[c] = widths[c].max(display_width(h));
        }
        for (r, row) in t.rows.iter().enumerate() {
            let excel_row = u32::try_from(r + 3).map_err(|e| e.to_string())?;
            for (c, cell) in row.iter().enumerate() {
                let col = u16::try_from(c).map_err(|e| e.to_string())?;
                // write_string: a cell is always text, never a formula, whatever it starts with.
                sheet
                    .write_string_with_format(excel_row, col, cell, &text)
                    .map_err(|e| e.to_string())?;
                widths[c] = widths[c].max(display_width(cell));
            }
        }
        // Wide columns wrap instead of running off the page: the longest are narrowed until the table fits
        // a landscape A4 page at a readable size, and each row is made tall enough for its wrapped text.
        let widths = fit_widths(&widths, 150);
        for (c, w) in widths.iter().enumerate() {
            let col = u16::try_from(c).map_err(|e| e.to_string())?;
            sheet
                .set_column_width(col, *w as f64 + 2.0)
                .map_err(|e| e.to_string())?;
        }
        let header: Vec<&str> = t.headers.iter().map(String::as_str).collect();
        sheet
            .set_row_height(2, row_height(row_lines(&header, &widths)))
            .map_err(|e| e.to_string())?;
        for (r, row) in t.rows.iter().enumerate() {
            let excel_row = u32::try_from(r + 3).map_err(|e| e.to_string())?;
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            sheet
                .set_row_height(excel_row, row_height(row_lines(&cells, &widths)))
                .map_err(|e| e.to_string())?;
        }
        sheet.set_freeze_panes(3, 0).map_err(|e| e.to_string())?;
        sheet.set_landscape();
        sheet.set_paper_size(9); // A4
        sheet.set_print_fit_to_pages(1, 0);
    }
    if taken.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet
            .write_string_with_format(0, 0, &doc.title, &title)
            .map_err(|e| e.to_string())?;
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        let mut doc = Document::new("件名 <script>");
        doc.fields("表紙", vec![("件名".into(), "=HYPERLINK(\"x\")".into())]);
        doc.table(Table {
            name: "指摘/一覧".into(),
            caption: "指摘".into(),
            headers: vec!["コード".into(), "内容".into()],
            rows: vec![
                vec!["DC001".into(), "a|b\nc".into()],
                vec!["@SUM(A1)".into(), "+1".into()],
            ],
        });
        doc
    }

    #[test]
    fn markdown_keeps_tables_intact() {
        let md = to_markdown(&sample());
        assert!(md.contains("| DC001 | a\\|b<br>c |"), "{md}");
        assert!(md.contains("# 件名 &lt;script&gt;"), "{md}");
        assert!(!md.contains("<script>"));
    }

    #[test]
    fn html_escapes_user_text() {
        let html = to_html(&sample());
        assert!(html.contains("件名 &lt;script&gt;"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn xlsx_is_deterministic() {
        let a = to_xlsx(&sample()).expect("xlsx");
        let b = to_xlsx(&sample()).expect("xlsx");
        assert_eq!(a, b, "same document, same bytes");
        assert!(a.starts_with(b"PK"));
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("指摘/一覧", &mut taken), "指摘_一覧");
        assert_eq!(sheet_name("指摘/一覧", &mut taken), "指摘_一覧2");
        assert!(sheet_name(&"長".repeat(40), &mut taken).chars().count() <= 31);
    }
}
