//! Drawing the committee diagram: model (+ findings) → `Scene` (laid out, pure data) → SVG → one usvg tree → PNG / PDF.
//!
//! Stages: `content` says what is drawn, `committee` / `layered` decide where, `scene` holds the result,
//! `svg` writes it, `output` turns the parsed SVG into PNG and PDF with the embedded font (`font`).

mod committee;
mod committee_elk;
mod content;
mod diagram;
mod dot;
mod drawio;
pub mod font;
mod layered;
mod output;
pub mod pages;
pub mod quality;
pub mod scene;
mod svg;
mod theme;

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

/// How to draw: every function below takes one, so a drawing of changes or with outlined text is asked for the
/// same way as any other.
#[derive(Clone, Debug)]
pub struct Options {
    pub view: View,
    pub highlight: bool,
    pub page: Page,
    pub landscape: bool,
    /// What changed since an earlier version, marked (`render --changes-from`); None draws no marks.
    pub changes: Option<Changes>,
    /// How an SVG carries its text (the other formats are not affected).
    pub text: TextMode,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            view: View::Committee,
            highlight: false,
            page: Page::A4,
            landscape: true,
            changes: None,
            text: TextMode::Live,
        }
    }
}

/// What to mark as changed since an earlier version (`render --changes-from`): boxes, arrows and item names
/// drawn with a thick line and underlined, as an amended paper marks its 変更箇所 with 太字下線.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// The earlier version, as named in the legend (a file name).
    pub since: String,
    pub parties: std::collections::BTreeSet<String>,
    pub systems: std::collections::BTreeSet<String>,
    /// Step ids (`4`, `1-1`).
    pub flows: std::collections::BTreeSet<String>,
    /// Item names, in model order.
    pub items: Vec<String>,
    /// What the earlier version had and this one no longer has (listed in the legend).
    pub removed: Vec<String>,
    /// What changed but has no box or arrow to mark (基本情報, 別紙の相手方), listed in the legend so that it never
    /// says 「変更なし」 of a version that changed.
    pub unmarked: Vec<String>,
}

impl Changes {
    /// Nothing to mark.
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty()
            && self.systems.is_empty()
            && self.flows.is_empty()
            && self.items.is_empty()
            && self.removed.is_empty()
            && self.unmarked.is_empty()
    }
}

/// An output format, from the file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Pdf,
    /// A draw.io file (`.drawio`): the same layout, editable by hand.
    Drawio,
    /// Graphviz DOT: the layered view's graph with nagare's sizes (`render::dot`).
    Dot,
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
            Some("drawio") => Ok(Format::Drawio),
            Some("dot") => Ok(Format::Dot),
            Some(other) => Err(format!(
                "拡張子 .{other} は描けません（.svg .png .pdf .drawio .dot）"
            )),
            None => {
                Err("出力ファイルに拡張子がありません（.svg .png .pdf .drawio .dot）".to_string())
            }
        }
    }
}

/// Lays the model out; the scene is what every format is drawn from. What changed since an earlier version
/// (`options.changes`) is marked with thick lines, underlines and a legend.
pub fn build_scene(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<Scene, String> {
    let changes = options.changes.as_ref();
    let mut m = font::Measurer::new()?;
    let mut scene = match options.view {
        View::Committee => {
            let graph = diagram::build(
                model,
                findings,
                options.highlight,
                changes,
                &diagram::Selection::whole(model),
            )?;
            // ELK with a partition per lane, as the printed pages; our own lane layout only if ELK fails.
            committee_elk::layout(model, &graph, &mut m)
                .or_else(|_| committee::layout(model, &graph, &mut m))
        }
        View::Layered => {
            let graph = diagram::build(
                model,
                findings,
                options.highlight,
                changes,
                &diagram::Selection::whole(model),
            )?;
            layered::layout(model, &graph, &mut m)
        }
    }?;
    content::name_owners(&mut scene, model);
    scene.add_hops();
    Ok(scene)
}

/// The diagram as printed pages for `options.page`: the committee view split by steps so that its smallest
/// text prints at `pages::MIN_PT` or more; the layered view on one page.
pub fn build_pages(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<Vec<Scene>, String> {
    let mut scenes = match options.view {
        View::Committee => {
            let mut m = font::Measurer::new()?;
            let mut scenes = pages::committee_pages(
                model,
                findings,
                options.highlight,
                options.changes.as_ref(),
                page_area(options),
                &mut m,
            )?;
            scenes.iter_mut().for_each(Scene::add_hops);
            Ok::<_, String>(scenes)
        }
        View::Layered => Ok(vec![build_scene(model, findings, options)?]),
    }?;
    for scene in &mut scenes {
        content::name_owners(scene, model);
    }
    Ok(scenes)
}

/// The drawable area of the page in points (inside the margin).
pub fn page_area(options: &Options) -> (f64, f64) {
    let (w, h) = page_points(options);
    (
        f64::from(w - 2.0 * PAGE_MARGIN),
        f64::from(h - 2.0 * PAGE_MARGIN),
    )
}

/// The diagram as an SVG document with its text as text (`render_bytes` honours `options.text`).
pub fn render_svg(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<String, String> {
    let scene = build_scene(model, findings, options)?;
    Ok(svg::write(&scene, svg::Frame::natural(&scene)))
}

/// One laid-out scene (the whole diagram or a printed page) as an SVG document.
pub fn scene_svg(scene: &Scene) -> String {
    svg::write(scene, svg::Frame::natural(scene))
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
    pdf_of_pages(&build_pages(model, findings, options)?, options)
}

/// Printed pages as one PDF, every page at one scale on `options`' paper.
fn pdf_of_pages(pages: &[Scene], options: &Options) -> Result<Vec<u8>, String> {
    let trees = pages
        .iter()
        .map(|scene| output::parse(&svg::write(scene, svg::Frame::natural(scene))))
        .collect::<Result<Vec<_>, String>>()?;
    output::pdf(&trees, page_points(options), PAGE_MARGIN)
}

/// How an SVG carries its text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextMode {
    /// Text stays text: editable, and drawn in the embedded font's family or the PC's Japanese font.
    #[default]
    Live,
    /// Text turned into outlines of the embedded font: looks the same on every PC and in PowerPoint, no longer
    /// editable as text. Only the SVG changes: PNG is pixels, a PDF embeds the font, draw.io keeps its text.
    Outlines,
}

/// The diagram in `format`, its SVG text carried as `options.text` says.
pub fn render_bytes(
    model: &Model,
    findings: &[Finding],
    options: &Options,
    format: Format,
) -> Result<Vec<u8>, String> {
    if format == Format::Pdf {
        return render_pdf(model, findings, options);
    }
    if format == Format::Dot {
        return render_dot(model, findings, options).map(String::into_bytes);
    }
    if format == Format::Drawio {
        let pages = build_pages(model, findings, options)?;
        return Ok(drawio::write(&pages).into_bytes());
    }
    if format == Format::Svg && options.text == TextMode::Outlines {
        let scene = build_scene(model, findings, options)?;
        let outlined = outline_text(&svg::write(&scene, svg::Frame::natural(&scene)))?;
        return Ok(svg::name_groups(&outlined, &svg::group_names(&scene)).into_bytes());
    }
    let svg = render_svg(model, findings, options)?;
    // Make sure what we hand out parses and every text resolves to the embedded font.
    let tree = output::parse(&svg)?;
    match format {
        Format::Png => output::png(&tree),
        _ => Ok(svg.into_bytes()),
    }
}

/// The layered view's graph as Graphviz DOT (whichever view `options` names: both draw the same graph), with
/// nagare's card and label sizes and a cluster per role, so Graphviz and ELK can be compared on the same input.
pub fn render_dot(
    model: &Model,
    findings: &[Finding],
    options: &Options,
) -> Result<String, String> {
    dot_text(model, findings, options, true)
}

/// The DOT export, with or without the clusters per role (Graphviz is much slower with clusters; the layout
/// benchmark times it both ways).
pub fn dot_text(
    model: &Model,
    findings: &[Finding],
    options: &Options,
    clusters: bool,
) -> Result<String, String> {
    let mut m = font::Measurer::new()?;
    let graph = diagram::build(
        model,
        findings,
        options.highlight,
        options.changes.as_ref(),
        &diagram::Selection::whole(model),
    )?;
    Ok(dot::write(model, &graph, &mut m, clusters))
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

/// The diagram in every format, as `render_bytes` gives each.
#[derive(Clone, Debug)]
pub struct Drawn {
    pub svg: Vec<u8>,
    pub png: Vec<u8>,
    pub pdf: Vec<u8>,
    /// The printed pages as a draw.io file (one diagram per page, as in the PDF).
    pub drawio: Vec<u8>,
}

/// The diagram in every format from one layout and one parse.
pub fn render_all(model: &Model, findings: &[Finding], options: &Options) -> Result<Drawn, String> {
    let svg = render_svg(model, findings, options)?;
    let tree = output::parse(&svg)?;
    // One paging for the PDF and the draw.io file.
    let pages = build_pages(model, findings, options)?;
    Ok(Drawn {
        png: output::png(&tree)?,
        pdf: pdf_of_pages(&pages, options)?,
        drawio: drawio::write(&pages).into_bytes(),
        svg: svg.into_bytes(),
    })
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

/// The diagram's SVG with every text turned into outlines of the embedded font: it then looks the same on a PC
/// that lacks the font (its text is no longer selectable). Used for the diagram inside the HTML packet.
pub fn outline_text(svg: &str) -> Result<String, String> {
    let tree = output::parse(svg)?;
    // Two decimals of a drawing unit (a tenth of a point at most) are finer than any printer; more only adds bytes.
    let options = usvg::WriteOptions {
        coordinates_precision: 2,
        transforms_precision: 3,
        ..usvg::WriteOptions::default()
    };
    let svg = tree.to_string(&options);
    // usvg writes width and height only; a viewBox lets the page scale the drawing instead of cropping it.
    let size = tree.size();
    let head = format!(
        r#"<svg width="{}" height="{}""#,
        size.width(),
        size.height()
    );
    Ok(svg.replacen(
        &head,
        &format!(r#"{head} viewBox="0 0 {} {}""#, size.width(), size.height()),
        1,
    ))
}

/// Writes `bytes` to a temporary file beside `output` and renames it, so a failure never leaves half a file.
pub fn write_atomically(output: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::outfile::write_atomically(output, bytes)
}
