//! The embedded Japanese font's bytes and which characters it can draw: shared by the renderer (measuring,
//! drawing) and the loader (warning about text a diagram would show as 〓).

use std::sync::OnceLock;

/// Noto Sans CJK JP Regular, cut to the cp932 and JIS X 0213:2004 repertoires plus the JP face's own CJK
/// Extension B and compatibility ideographs (name kanji such as 𠮷); see assets/fonts/README.md.
pub(crate) static FONT_DATA: &[u8] =
    include_bytes!("../assets/fonts/NotoSansCJKjp-Regular-subset.otf");

/// The parsed font, once per process.
pub(crate) fn face() -> Result<&'static ttf_parser::Face<'static>, String> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT_DATA, 0).ok())
        .as_ref()
        .ok_or_else(|| "埋め込みフォントを読めません".to_string())
}

/// True if the embedded font has a glyph for `c` (whitespace and control characters count as drawable:
/// labels turn them into spaces).
pub fn draws(c: char) -> bool {
    if c.is_whitespace() || c.is_control() {
        return true;
    }
    face().is_ok_and(|f| f.glyph_index(c).is_some_and(|g| g.0 != 0))
}

#[cfg(test)]
mod tests {
    /// The loader's check for undrawable characters skips ASCII without asking the font (model::validate).
    #[test]
    fn every_ascii_character_is_drawn() {
        for code in 0u8..0x80 {
            assert!(super::draws(char::from(code)), "U+{code:04X}");
        }
    }
}
