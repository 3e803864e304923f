//! PNG and PDF from one usvg tree: the SVG is parsed once with a font database that holds only the embedded
//! font; resvg rasterises that tree, svg2pdf embeds it (text stays text, the font subset goes in the PDF).

use std::collections::BTreeMap;

use super::font;

/// Longest side of a PNG, in pixels.
pub(crate) const MAX_PNG_SIDE: f64 = 8000.0;
/// PNG pixels per SVG unit, for readability when pasted into a paper.
pub(crate) const PNG_SCALE: f64 = 2.0;

/// Parses SVG text with the embedded font only, and checks that every text was shaped with it.
pub(crate) fn parse(svg: &str) -> Result<usvg::Tree, String> {
    let options = usvg::Options {
        font_family: font::FAMILY.to_string(),
        fontdb: font::fontdb(),
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| format!("SVG を読み直せません: {e}"))?;
    check_text(tree.root())?;
    Ok(tree)
}

/// usvg only warns when a font or a glyph is missing and then draws nothing; here that is an error.
fn check_text(group: &usvg::Group) -> Result<(), String> {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => check_text(g)?,
            usvg::Node::Text(t) => {
                let wanted = t
                    .chunks()
                    .iter()
                    .map(|c| c.text().chars().filter(|c| !c.is_whitespace()).count())
                    .sum::<usize>();
                let glyphs: Vec<_> = t
                    .layouted()
                    .iter()
                    .flat_map(|s| s.positioned_glyphs.iter())
                    .collect();
                let missing = glyphs.iter().filter(|g| g.id.0 == 0).count();
                if wanted > 0
                    && (glyphs.is_empty() || missing > 0 || t.flattened().children().is_empty())
                {
                    let text: String = t.chunks().iter().map(|c| c.text()).collect();
                    return Err(format!("文字「{text}」を埋め込みフォントで描けません"));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Rasterises the tree at 2× (less if that would exceed 8000 px), on white.
pub(crate) fn png(tree: &usvg::Tree) -> Result<Vec<u8>, String> {
    let size = tree.size();
    let (w, h) = (f64::from(size.width()), f64::from(size.height()));
    let scale = PNG_SCALE.min(MAX_PNG_SIDE / w.max(h).max(1.0));
    let pw = (w * scale).round().clamp(1.0, MAX_PNG_SIDE) as u32;
    let ph = (h * scale).round().clamp(1.0, MAX_PNG_SIDE) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(pw, ph)
        .ok_or_else(|| format!("{pw}×{ph} の画像を作れません"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        tree,
        resvg::tiny_skia::Transform::from_scale(scale as f32, scale as f32),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("PNG を書けません: {e}"))
}

/// The scale a PNG of a `w`×`h` drawing is rendered at.
pub fn png_scale(w: f64, h: f64) -> f64 {
    PNG_SCALE.min(MAX_PNG_SIDE / w.max(h).max(1.0))
}

/// A PDF of `page` size (points), one page per tree, every drawing at the same scale: the largest that fits
/// each of them inside `margin` points (so a box is the same size on every page).
pub(crate) fn pdf(trees: &[usvg::Tree], page: (f32, f32), margin: f32) -> Result<Vec<u8>, String> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref};

    let (pw, ph) = page;
    let scale = trees
        .iter()
        .map(|t| {
            let size = t.size();
            ((pw - 2.0 * margin) / size.width()).min((ph - 2.0 * margin) / size.height())
        })
        .fold(f32::INFINITY, f32::min);
    if !scale.is_finite() {
        return Err("PDF に描く図がありません".to_string());
    }
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let pages = alloc.bump();
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::new();
    let mut chunks = Vec::new();
    for tree in trees {
        let (chunk, svg_ref) = svg2pdf::to_chunk(tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| format!("PDF に変換できません: {e}"))?;
        let page_id = alloc.bump();
        let content_id = alloc.bump();
        let mut map = BTreeMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let svg_ref = *map.get(&svg_ref).ok_or("PDF の図の参照が見つかりません")?;
        let size = tree.size();
        let (dw, dh) = (size.width() * scale, size.height() * scale);
        let (x, y) = ((pw - dw) / 2.0, (ph - dh) / 2.0);
        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, pw, ph));
        p.parent(pages);
        p.contents(content_id);
        let name = Name(b"S1");
        p.resources().x_objects().pair(name, svg_ref);
        p.finish();
        let mut content = Content::new();
        // The XObject is the unit square; stretch it to the drawing's size, centred on the page.
        content
            .save_state()
            .transform([dw, 0.0, 0.0, dh, x, y])
            .x_object(name)
            .restore_state();
        pdf.stream(content_id, &content.finish());
        page_ids.push(page_id);
        chunks.push(chunk);
    }
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).count(page_ids.len() as i32).kids(page_ids);
    for chunk in &chunks {
        pdf.extend(chunk);
    }
    Ok(pdf.finish())
}
