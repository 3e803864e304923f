//! Drawing the committee diagram: model (+ findings) → `Scene` (laid out, pure data) → SVG → one usvg tree → PNG / PDF.
//!
//! Stages: `content` says what is drawn, `committee` / `layered` decide where, `scene` holds the result,
//! `svg` writes it, `output` turns the parsed SVG into PNG and PDF with the embedded font (`font`).

mod committee;
mod committee_elk;
mod content;
mod diagram;
pub mod font;
mod layered;
mod output;
pub mod pages;
pub mod scene;
mod svg;
mod theme;

use std::io::Write;
use std::path::Path;

use crate::model::Model;
use crate::rules::engine::Finding;

pub use output::png_scale;
pub use scene::Scene;

/// Which drawing: the committee's lanes, or a general layered graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Committee,
    Layered,
}

/// The paper a PDF is printed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    A4,
    A3,
}

/// How to draw.
#[derive(Clone, Debug)]
pub struct Options {
    pub view: View,
    pub highlight: bool,
    pub page: Page,
    pub landscape: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            view: View::Committee,
            highlight: false,
            page: Page::A4,
            landscape: true,
        }
    }
}

/// An output format, from the file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Pdf,
}

impl Format {
    /// The format for `path`'s extension, or the Japanese message saying which ones exist.
    pub fn from_path(path: &Path) -> Result<Format, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            Some("pdf") => Ok(Format::Pdf),
            Some(other) => Err(format!("拡張子 .{other} は描けません（.svg .png .pdf）")),
            None => Err("出力ファイルに拡張子がありません（.svg .png .pdf）".to_string()),
        }
    }
}

/// Lays the model out; the scene is what every format is drawn from.
pub fn build_scene(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<Scene, String> {
    let mut m = font::Measurer::new()?;
    match options.view {
        View::Committee => {
            let graph = diagram::build(
                model,
                findings,
                options.highlight,
                &diagram::Selection::whole(model),
            )?;
            committee::layout(model, &graph, &mut m)
        }
        View::Layered => {
            let graph = diagram::build(
                model,
                findings,
                options.highlight,
                &diagram::Selection::whole(model),
            )?;
            layered::layout(model, &graph, &mut m)
        }
    }
}

/// The diagram as printed pages for `options.page`: the committee view split by steps so that its smallest
/// text prints at `pages::MIN_PT` or more; the layered view on one page.
pub fn build_pages(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<Vec<Scene>, String> {
    match options.view {
        View::Committee => {
            let mut m = font::Measurer::new()?;
            pages::committee_pages(
                model,
                findings,
                options.highlight,
                page_area(options),
                &mut m,
            )
        }
        View::Layered => Ok(vec![build_scene(model, findings, options)?]),
    }
}

/// The drawable area of the page in points (inside the margin).
pub fn page_area(options: &Options) -> (f64, f64) {
    let (w, h) = page_points(options);
    (
        f64::from(w - 2.0 * PAGE_MARGIN),
        f64::from(h - 2.0 * PAGE_MARGIN),
    )
}

/// The diagram as an SVG document.
pub fn render_svg(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<String, String> {
    let scene = build_scene(model, findings, options)?;
    Ok(svg::write(&scene, svg::Frame::natural(&scene)))
}

/// The diagram as PNG bytes (2× scale, at most 8000 px a side).
pub fn render_png(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<Vec<u8>, String> {
    let svg = render_svg(model, findings, options)?;
    output::png(&output::parse(&svg)?)
}

/// The diagram as a PDF (A4/A3, landscape unless `options.landscape` is false): as many pages as it needs
/// for its text to stay readable, all at one scale.
pub fn render_pdf(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<Vec<u8>, String> {
    let trees = build_pages(model, findings, options)?
        .iter()
        .map(|scene| output::parse(&svg::write(scene, svg::Frame::natural(scene))))
        .collect::<Result<Vec<_>, String>>()?;
    output::pdf(&trees, page_points(options), PAGE_MARGIN)
}

/// The diagram in `format`.
pub fn render_bytes(
    model: &Model,
    findings: &[Finding],
    options: &Options,
    format: Format,
) -> Result<Vec<u8>, String> {
    match format {
        Format::Svg => {
            let svg = render_svg(model, findings, options)?;
            // Make sure what we hand out parses and every text resolves to the embedded font.
            output::parse(&svg)?;
            Ok(svg.into_bytes())
        }
        Format::Png => render_png(model, findings, options),
        Format::Pdf => render_pdf(model, findings, options),
    }
}

const MM: f32 = 72.0 / 25.4;
/// The white margin around the drawing on paper, in points (10 mm).
const PAGE_MARGIN: f32 = MM * 10.0;

fn page_points(options: &Options) -> (f32, f32) {
    let (w, h) = match options.page {
        Page::A4 => (210.0 * MM, 297.0 * MM),
        Page::A3 => (297.0 * MM, 420.0 * MM),
    };
    if options.landscape {
        (h, w)
    } else {
        (w, h)
    }
}

/// Draws `model` to `output`; the format comes from the extension. The file is rendered in memory,
/// written to a temporary file beside `output` and renamed, so a failed render never leaves half a file.
pub fn render_to_file(
    model: &Model,
    findings: &[Finding],
    options: &Options,
    output: &Path,
) -> Result<(), String> {
    let format = Format::from_path(output)?;
    let bytes = render_bytes(model, findings, options, format)?;
    write_atomically(output, &bytes)
}

fn write_atomically(output: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = output
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("nagare");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, output));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{} に書き出せません: {e}", output.display())
    })
}
