//! The embedded Japanese font: measuring labels with its real advances, wrapping them, and the font database the PNG and PDF writers use.
//!
//! Every width in the scene comes from this font's `hmtx` advances, and the same font is the only one usvg
//! ever sees, so what is measured is what is drawn, on any machine, with or without CJK fonts installed.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::glyphs::face;
pub(crate) use crate::glyphs::FONT_DATA;

/// The family name inside the embedded font (nameID 1).
pub(crate) const FAMILY: &str = "Noto Sans CJK JP";

/// The font-family list written into the SVG: the embedded family first, then what Windows offices have.
pub(crate) const FAMILY_LIST: &str = "'Noto Sans CJK JP', 'Yu Gothic', 'Meiryo', sans-serif";

/// What stands in for a character the font cannot draw (〓, the typesetters' geta mark).
pub(crate) const REPLACEMENT: char = '〓';

/// Ascent of the em box used for layout, as a fraction of the font size (CJK glyphs sit in 0.88 / -0.12).
pub(crate) const ASCENT: f64 = 0.88;
/// Descent of the em box used for layout.
pub(crate) const DESCENT: f64 = 0.12;

/// The usvg font database holding only the embedded font; system fonts are never loaded.
pub(crate) fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_DATA.to_vec());
        // Generic families resolve to the embedded font too, so nothing can fall through to a missing face.
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Measures text with the embedded font; caches each character's advance.
pub(crate) struct Measurer {
    face: &'static ttf_parser::Face<'static>,
    units_per_em: f64,
    advances: HashMap<char, Option<u16>>,
}

impl Measurer {
    pub(crate) fn new() -> Result<Self, String> {
        let face = face()?;
        Ok(Measurer {
            face,
            units_per_em: f64::from(face.units_per_em()),
            advances: HashMap::new(),
        })
    }

    /// The advance of one character in font units, or None if the font has no glyph for it.
    fn advance(&mut self, c: char) -> Option<u16> {
        let face = self.face;
        *self.advances.entry(c).or_insert_with(|| {
            let glyph = face.glyph_index(c)?;
            if glyph.0 == 0 {
                return None;
            }
            face.glyph_hor_advance(glyph)
        })
    }

    /// True if the embedded font can draw `c`.
    pub(crate) fn has(&mut self, c: char) -> bool {
        self.advance(c).is_some()
    }

    /// The width of `text` at `size` px.
    pub(crate) fn width(&mut self, text: &str, size: f64) -> f64 {
        let units: f64 = text
            .chars()
            .map(|c| f64::from(self.advance(c).unwrap_or(1000)))
            .sum();
        units * size / self.units_per_em
    }

    /// Makes a label drawable: control characters become spaces, runs of spaces collapse,
    /// and characters the font lacks become 〓 (so usvg never needs a fallback font).
    pub(crate) fn clean(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            let c = if c.is_control() || c.is_whitespace() && c != '\u{3000}' {
                ' '
            } else {
                c
            };
            if c == ' ' {
                if !out.is_empty() {
                    space = true;
                }
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.push(if self.has(c) { c } else { REPLACEMENT });
        }
        out
    }

    /// Wraps `text` to lines no wider than `max` px: breaks between any two CJK characters and at spaces,
    /// keeps ASCII words whole where they fit, and keeps closing punctuation off the start of a line.
    pub(crate) fn wrap(&mut self, text: &str, size: f64, max: f64) -> Vec<String> {
        let text = self.clean(text);
        if text.is_empty() {
            return Vec::new();
        }
        let atoms = atoms(&text);
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for atom in atoms {
            if atom == " " {
                if !line.is_empty() {
                    line.push(' ');
                    line_w += self.width(" ", size);
                }
                continue;
            }
            let w = self.width(&atom, size);
            if line_w + w <= max + 0.01 {
                line.push_str(&atom);
                line_w += w;
                continue;
            }
            // Does not fit: start a new line (dropping a trailing space), splitting the atom if it alone is too wide.
            if !line.trim_end().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            line = String::new();
            line_w = 0.0;
            if w <= max + 0.01 {
                line.push_str(&atom);
                line_w = w;
            } else {
                for c in atom.chars() {
                    let cw = self.width(c.encode_utf8(&mut [0; 4]), size);
                    if line_w + cw > max + 0.01 && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
        }
        if !line.trim_end().is_empty() {
            lines.push(line.trim_end().to_string());
        }
        lines
    }

    /// Like `wrap`, but at most `max_lines` lines; the last one ends in … if text was cut.
    pub(crate) fn wrap_capped(
        &mut self,
        text: &str,
        size: f64,
        max: f64,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines = self.wrap(text, size, max);
        if lines.len() > max_lines && max_lines > 0 {
            lines.truncate(max_lines);
            if let Some(last) = lines.last_mut() {
                let ell = self.width("…", size);
                while !last.is_empty() && self.width(last, size) + ell > max {
                    last.pop();
                }
                last.push('…');
            }
        }
        lines
    }
}

/// True for characters between which a line may break (kana, kanji, full-width forms, circled numbers).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2460..=0x24FF | 0x2E80..=0x2FFF | 0x3000..=0x30FF | 0x3190..=0x33FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Characters that must not start a line (閉じ括弧・句読点・中黒・長音).
fn no_line_start(c: char) -> bool {
    "、。，．・：；？！）」』】〕〉》｝］ー～々ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.:;!?)]}%"
        .contains(c)
}

/// Characters that must not end a line (開き括弧).
fn no_line_end(c: char) -> bool {
    "（「『【〔〈《｛［([{".contains(c)
}

/// Splits text into unbreakable atoms: one CJK character, one ASCII word, or one space;
/// closing punctuation is glued to the atom before it and opening brackets to the atom after.
fn atoms(text: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c == ' ' || is_cjk(c) || no_line_end(c) || no_line_start(c) {
            if !word.is_empty() {
                raw.push(std::mem::take(&mut word));
            }
            raw.push(c.to_string());
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        raw.push(word);
    }
    let mut out: Vec<String> = Vec::new();
    let mut pending_open = String::new();
    for atom in raw {
        let first = atom.chars().next().unwrap_or(' ');
        if atom.chars().count() == 1 && no_line_end(first) {
            pending_open.push(first);
            continue;
        }
        if atom.chars().count() == 1 && no_line_start(first) && pending_open.is_empty() {
            if let Some(last) = out.last_mut().filter(|l| l.as_str() != " ") {
                last.push(first);
                continue;
            }
        }
        if atom == " " {
            if !pending_open.is_empty() {
                out.push(std::mem::take(&mut pending_open));
            }
            out.push(atom);
        } else {
            out.push(format!("{}{atom}", std::mem::take(&mut pending_open)));
        }
    }
    if !pending_open.is_empty() {
        out.push(pending_open);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_cjk_as_one_em() {
        let mut m = Measurer::new().expect("font");
        assert!((m.width("氏名", 10.0) - 20.0).abs() < 0.01);
        assert!(m.width("abc", 10.0) < 20.0);
    }

    #[test]
    fn wraps_between_cjk_and_keeps_words() {
        let mut m = Measurer::new().expect("font");
        let lines = m.wrap("IHEAT要員の登録情報をダウンロードする", 10.0, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| m.width(l, 10.0) <= 60.01));
        assert!(lines[0].starts_with("IHEAT"), "{lines:?}");
        let lines = m.wrap("氏名、住所。", 10.0, 20.0);
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with('、') && !l.starts_with('。')),
            "{lines:?}"
        );
    }

    #[test]
    fn replaces_missing_characters() {
        let mut m = Measurer::new().expect("font");
        assert_eq!(m.clean("a\u{1F600}b\n c"), "a〓b c");
    }
}
