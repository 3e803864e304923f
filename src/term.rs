//! Inert terminal text: a model's labels, names and paths reach the terminal as text, never as commands.
//!
//! A label holding ESC, BEL or an OSC sequence (`\u{1b}]0;title\u{7}`, `\u{1b}[2J`) could retitle the terminal or
//! clear the screen when `nagare check` prints it. Every control character is shown instead as its Unicode control
//! picture (ESC → ␛, BEL → ␇), C1 controls and bidirectional overrides as `\u{…}`; newline and tab stay (they are
//! the layout of our own output), and a carriage return stays only before a newline (a CRLF file's line end).
//! Colour is not affected: it is set through [`WriteColor::set_color`], which bypasses the filter.

use std::borrow::Cow;
use std::io::{self, Write};

use codespan_reporting::term::termcolor::{ColorSpec, WriteColor};

/// What `c` is shown as, or None when it is printed as it is. `next` is the character after it (for CR LF).
fn replacement(c: char, next: Option<char>) -> Option<Cow<'static, str>> {
    match c {
        '\n' | '\t' => None,
        '\r' if next == Some('\n') => None,
        // C0 controls → U+2400.., DEL → ␡.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).map(|p| Cow::Owned(p.to_string())),
        '\u{7f}' => Some(Cow::Borrowed("␡")),
        // C1 controls (CSI U+009B, OSC U+009D …) and the marks that reorder text on screen.
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some(Cow::Owned(format!("\\u{{{:x}}}", c as u32)))
        }
        _ => None,
    }
}

/// True when some byte of `text` may start a character [`replacement`] changes (a C0 control other than LF and
/// TAB, DEL, a C1 control U+0080–U+009F, or a bidirectional mark U+202A–U+202E / U+2066–U+2069). Most report
/// text has none, and a byte scan is far cheaper than decoding every character.
fn may_need_replacing(text: &str) -> bool {
    let b = text.as_bytes();
    // A block at a time: most report text has no byte that can start such a character, and a whole block is ruled
    // out by comparisons the compiler does on many bytes at once; a block that may hold one is looked at byte by
    // byte (a line's end does not count, so that is rare: an arrow or a circled number, U+2xxx, in a block).
    const BLOCK: usize = 32;
    let mut blocks = b.chunks_exact(BLOCK);
    let mut at = 0;
    for block in &mut blocks {
        if block_may_start_one(block) && (at..at + BLOCK).any(|j| starts_replaced(b, j)) {
            return true;
        }
        at += BLOCK;
    }
    (at..b.len()).any(|j| starts_replaced(b, j))
}

/// True when some byte of `block` is a control other than LF and TAB, or is 0x7f, 0xc2 or 0xe2 (may be a false
/// positive, never a false negative: the bytes are then looked at one by one). No early exit, so it vectorises.
fn block_may_start_one(block: &[u8]) -> bool {
    let found = block.iter().fold(0u8, |found, &c| {
        let control = (c < 0x20) & (c != b'\n') & (c != b'\t');
        found | u8::from(control | (c == 0x7f) | (c == 0xc2) | (c == 0xe2))
    });
    found != 0
}

/// Whether the byte at `i` starts a character [`replacement`] may change.
fn starts_replaced(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\n' | b'\t' => false,
        0x00..=0x1f | 0x7f => true,
        0xc2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xe2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(n)) => (0xaa..=0xae).contains(n),
            (Some(0x81), Some(n)) => (0xa6..=0xa9).contains(n),
            _ => false,
        },
        _ => false,
    }
}

/// `text` with every control character made visible (see the module documentation).
pub fn inert(text: &str) -> Cow<'_, str> {
    if !may_need_replacing(text) {
        return Cow::Borrowed(text);
    }
    let mut chars = text.char_indices().peekable();
    let mut out: Option<String> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        match (replacement(c, next), &mut out) {
            (Some(r), Some(s)) => s.push_str(&r),
            (Some(r), None) => {
                let mut s = String::with_capacity(text.len() + 8);
                s.push_str(&text[..i]);
                s.push_str(&r);
                out = Some(s);
            }
            (None, Some(s)) => s.push(c),
            (None, None) => {}
        }
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// A writer that passes text through [`inert`]. Bytes are decoded as UTF-8 across `write` calls (an incomplete
/// character or a trailing CR waits for the next call); bytes that are not UTF-8 are shown as U+FFFD.
pub struct Inert<W> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Inert<W> {
    pub fn new(inner: W) -> Self {
        Inert {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes what is pending; `end` means no more bytes follow (flush), so nothing may wait.
    fn drain(&mut self, end: bool) -> io::Result<()> {
        // The common case: whole characters, not ending in a CR that may be half of CR LF.
        if let Ok(text) = std::str::from_utf8(&self.pending) {
            if end || !text.ends_with('\r') {
                let result = self.inner.write_all(inert(text).as_bytes());
                self.pending.clear();
                return result;
            }
        }
        let mut data = std::mem::take(&mut self.pending);
        let mut start = 0;
        let mut text = String::new();
        loop {
            match std::str::from_utf8(&data[start..]) {
                Ok(s) => {
                    text.push_str(s);
                    start = data.len();
                    break;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    // Safe: from_utf8 just said these bytes are valid.
                    text.push_str(std::str::from_utf8(&data[start..start + valid]).unwrap_or(""));
                    start += valid;
                    match e.error_len() {
                        Some(n) => {
                            text.push('\u{fffd}');
                            start += n;
                        }
                        None if end => {
                            text.push('\u{fffd}');
                            start = data.len();
                            break;
                        }
                        None => break,
                    }
                }
            }
        }
        let mut keep = data.split_off(start);
        // A CR at the very end may be the first half of CR LF.
        if !end && keep.is_empty() && text.ends_with('\r') {
            text.pop();
            keep = vec![b'\r'];
        }
        self.pending = keep;
        self.inner.write_all(inert(&text).as_bytes())
    }

    /// Writes what is still pending and gives the writer back.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.drain(true)?;
        Ok(self.inner)
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write> Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Nothing waiting and whole characters not ending in a CR: pass it on without copying it first.
        // A batch that ends inside a character passes on its whole characters and keeps the rest.
        if self.pending.is_empty() {
            let (text, rest) = match simdutf8::basic::from_utf8(buf) {
                Ok(text) => (text, &[][..]),
                // Not whole characters: std's error says where they end.
                Err(_) => match std::str::from_utf8(buf) {
                    Ok(text) => (text, &[][..]),
                    Err(e) if e.error_len().is_none() => {
                        let (valid, rest) = buf.split_at(e.valid_up_to());
                        (std::str::from_utf8(valid).unwrap_or_default(), rest)
                    }
                    Err(_) => ("", buf),
                },
            };
            if !text.is_empty() && !text.ends_with('\r') {
                self.inner.write_all(inert(text).as_bytes())?;
                self.pending.extend_from_slice(rest);
                return Ok(buf.len());
            }
        }
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: WriteColor> WriteColor for Inert<W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.drain(true)?;
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.reset()
    }

    fn is_synchronous(&self) -> bool {
        self.inner.is_synchronous()
    }
}

/// A writer that gathers text and passes it on in large pieces (a report of many findings is then a few writes, not
/// one system call per line). Colour changes pass the gathered text on first, so text and colour stay in order.
/// Call `flush` at the end.
pub struct Batched<'a> {
    inner: &'a mut dyn WriteColor,
    buf: Vec<u8>,
}

impl<'a> Batched<'a> {
    const LIMIT: usize = 1 << 16;

    pub fn new(inner: &'a mut dyn WriteColor) -> Self {
        Batched {
            inner,
            buf: Vec::with_capacity(Self::LIMIT),
        }
    }

    fn pass_on(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

impl Write for Batched<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= Self::LIMIT {
            self.pass_on()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on()?;
        self.inner.flush()
    }
}

impl WriteColor for Batched<'_> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        // Without colour a colour change writes nothing: keep gathering.
        if !self.inner.supports_color() {
            return Ok(());
        }
        self.pass_on()?;
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        if !self.inner.supports_color() {
            return Ok(());
        }
        self.pass_on()?;
        self.inner.reset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::term::termcolor::NoColor;

    #[test]
    fn control_characters_become_visible_text() {
        assert_eq!(inert("区イントラPC"), "区イントラPC");
        assert!(matches!(inert("ふつうの名前\n次の行\t"), Cow::Borrowed(_)));
        assert_eq!(inert("a\u{1b}]0;title\u{7}b"), "a␛]0;title␇b");
        assert_eq!(inert("\u{1b}[2J"), "␛[2J");
        assert_eq!(inert("x\u{9b}2J\u{202e}"), "x\\u{9b}2J\\u{202e}");
        assert_eq!(inert("a\rb\r\n"), "a␍b\r\n");
        assert_eq!(inert("\u{0}\u{7f}"), "␀␡");
    }

    #[test]
    fn the_writer_filters_across_split_writes() {
        let mut w = Inert::new(NoColor::new(Vec::new()));
        let text = "名前\u{1b}[2J\u{9d}0;t\u{7}\r\n終わり\r";
        // Byte by byte: every multi-byte character and the CR LF are split.
        for b in text.as_bytes() {
            w.write_all(std::slice::from_ref(b)).unwrap();
        }
        w.flush().unwrap();
        let out = String::from_utf8(w.get_mut().get_ref().clone()).unwrap();
        assert_eq!(out, "名前␛[2J\\u{9d}0;t␇\r\n終わり␍");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'));
    }

    #[test]
    fn the_block_scan_misses_no_character_that_is_replaced() {
        // Every character that may be replaced, and some neighbours, at every place of texts of many lengths.
        let probes: Vec<char> = (0u32..0x100)
            .chain(0x2000..0x2100)
            .chain([0x3042, 0x1_f600])
            .filter_map(char::from_u32)
            .collect();
        for len in [0, 1, 31, 32, 33, 64, 70] {
            for at in 0..=len {
                for &c in &probes {
                    let text: String = std::iter::repeat_n('a', at)
                        .chain([c, '\n'])
                        .chain(std::iter::repeat_n('あ', len - at))
                        .collect();
                    let b = text.as_bytes();
                    let one_by_one = (0..b.len()).any(|j| starts_replaced(b, j));
                    assert_eq!(
                        may_need_replacing(&text),
                        one_by_one,
                        "{c:?} at {at} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn invalid_utf8_is_replaced_not_passed_through() {
        let mut w = Inert::new(Vec::new());
        w.write_all(b"a\xff\x1bb\xe3\x81").unwrap();
        w.flush().unwrap();
        assert_eq!(String::from_utf8(w.inner).unwrap(), "a\u{fffd}␛b\u{fffd}");
    }
}
