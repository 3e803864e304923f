//! A fast reader for the RON that model files use, tried before ron; anything unusual is left to ron.
//!
//! ron's typed parse was the whole cost of loading a model (skipping whitespace char by char, classifying every
//! identifier character, an allocation per string). This reader is a byte-level `serde::Deserializer` over the same
//! text that drives the same `Deserialize` impls and makes the same calls on them as ron 0.12 does for the subset
//! of RON that model, rule and catalogue files use: structs with or without their name (`Model(…)`), `()` as an
//! empty struct, maps, lists, `Some(…)` and implicit `Some`, `None`, unit and struct enum variants (Japanese
//! identifiers included), strings with the common escapes, raw strings, unsigned decimal integers, `true`/`false`,
//! `//` and nested `/* */` comments, and `#![enable(implicit_some)]`.
//!
//! It never reports an error of its own: on anything it does not handle, or on any error at all, [`from_str`]
//! answers `None` and the caller parses with ron, so every message, position and suggestion stays ron's. It must
//! therefore never accept a text that ron rejects, nor read a value differently; the rules it follows are ron's
//! (cited in each function) and `model::raw`'s differential test checks them on every model, fixture and on
//! mutated texts.
//!
//! Asked for an [`Outline`] ([`from_str_outlined`]), it also notes where each value of the first levels starts, so
//! that `model::spans` can place diagnostics without walking the text a second time.

use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::Deserialize;

/// Nesting at which the reader gives up. ron stops at 128 of the same guards (`ronfile` sets that limit); giving
/// up earlier only means ron reads the file and reports the error itself.
const MAX_DEPTH: usize = 100;

/// Reads `text` as a `T` exactly as ron (with `implicit_some` on by default) would, or `None` if ron should.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    read(text, None).map(|(value, _)| value)
}

/// [`from_str`], also noting where each value of the first `levels` levels below the document's value starts
/// (the [`Outline`]). The outline is `None` when the text holds a map key that is not a string, which
/// `model::spans`' own scan of the text stops at: that scan must then be run instead, so the places found are the
/// same either way.
pub fn from_str_outlined<'de, T: Deserialize<'de>>(
    text: &'de str,
    levels: usize,
) -> Option<(T, Option<Outline>)> {
    read(text, Some(levels))
}

fn read<'de, T: Deserialize<'de>>(
    text: &'de str,
    levels: Option<usize>,
) -> Option<(T, Option<Outline>)> {
    // Both probes must have found serde's buffer types, or the untagged and tagged paths cannot be told apart.
    if content_type_name().is_empty() || tag_or_content_type_name().is_empty() {
        return None;
    }
    // Places hold 32-bit offsets and 8-bit levels; a text beyond them (never a model: files stop at 64 MiB) is
    // read without an outline.
    let outlined =
        levels.filter(|&l| l < usize::from(u8::MAX) && u32::try_from(text.len()).is_ok());
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        declined: false,
        level: 0,
        outline: outlined.map(|levels| Outline {
            places: Vec::new(),
            levels,
            unlike_scan: false,
        }),
    };
    reader.preamble().ok()?;
    reader.note(0, Step::Root);
    let value = T::deserialize(&mut reader).ok()?;
    reader.skip_ws().ok()?;
    // A Deserialize impl may swallow an error (a default on failure); the reader's own refusal still counts.
    if reader.declined || reader.pos != reader.bytes.len() {
        return None;
    }
    Some((value, reader.outline.filter(|o| !o.unlike_scan)))
}

/// Where the values of a document's first levels are written, noted while reading it ([`from_str_outlined`]), so
/// that `model::spans` can place diagnostics without walking the text a second time.
#[derive(Debug, Default)]
pub struct Outline {
    /// Every value, struct field value, list element and map key of the first levels, in written order.
    pub places: Vec<Place>,
    /// Places deeper than this are not noted.
    levels: usize,
    /// Set when the text holds something the span scan reads otherwise: the outline is then not handed out.
    unlike_scan: bool,
}

/// One noted value or map key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Byte offset where it is written (after any whitespace and comments before it).
    pub at: u32,
    /// 0 for the document's value, 1 for its fields, elements and entries, and so on.
    pub level: u8,
    /// How it hangs from the value one level up.
    pub step: Step,
}

/// How a [`Place`] hangs from its parent, the last place noted one level up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The document's value.
    Root,
    /// A struct field's value; the field's name is written at `name_at`.
    Field { name_at: u32 },
    /// A list element by its position; the value inside `Some(…)` is element 0.
    Element(u32),
    /// A map key (a string literal).
    Key,
    /// The value of the map entry whose key is the last place noted at this level (noted above the deepest level
    /// only).
    EntryValue,
}

/// The reader's only error: "leave this text to ron".
#[derive(Debug)]
pub struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("left to ron")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        Declined
    }
}

type Result<T> = std::result::Result<T, Declined>;

struct Reader<'de> {
    text: &'de str,
    bytes: &'de [u8],
    pos: usize,
    depth: usize,
    /// Set by every refusal of the reader itself, so one swallowed by a visitor still sends the text to ron.
    declined: bool,
    /// Nesting of the value being read, as the outline counts it (0: the document's value).
    level: usize,
    /// Filled while reading when asked for ([`from_str_outlined`]).
    outline: Option<Outline>,
}

/// A string as read: borrowed when it has no escapes.
enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

/// ASCII characters that ron's identifiers may contain (`XID_Continue` restricted to ASCII).
fn is_ascii_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'de> Reader<'de> {
    /// Records a refusal; every error the reader makes goes through here.
    fn fail(&mut self) -> Declined {
        self.declined = true;
        Declined
    }

    /// Notes that a value (or key) of `level` starts here, if an outline is kept and goes that deep.
    fn note(&mut self, level: usize, step: Step) {
        if let Some(outline) = &mut self.outline {
            // An entry's value is at its key's place, noted already: it is noted only where its children are too
            // (or where it may be a map whose keys the outline's reader lists).
            if level <= outline.levels && !(step == Step::EntryValue && level == outline.levels) {
                // Both fit: `read` keeps no outline for longer texts or deeper levels.
                outline.places.push(Place {
                    at: self.pos as u32,
                    level: level as u8,
                    step,
                });
            }
        }
    }

    /// Marks the outline as not to be used (the span scan would read this text differently).
    fn unlike_scan(&mut self) {
        if let Some(outline) = &mut self.outline {
            outline.unlike_scan = true;
        }
    }

    /// The position as an outline offset (texts longer than `u32` get no outline).
    fn pos32(&self) -> u32 {
        self.pos as u32
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..)?.chars().next()
    }

    fn starts_with(&self, what: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(what))
    }

    fn expect(&mut self, b: u8) -> Result<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.fail())
        }
    }

    /// One level deeper, as ron's `guard_recursion!` counts it.
    fn nest(&mut self) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail());
        }
        self.depth += 1;
        Ok(())
    }

    fn unnest(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// ron's `skip_ws`: ASCII whitespace, `// …` to the end of the line, nested `/* … */`. The non-ASCII
    /// whitespace ron also skips (U+0085, U+200E …) is not skipped here, so the next token fails and ron reads it.
    fn skip_ws(&mut self) -> Result<()> {
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) = self.peek() {
                self.pos += 1;
            }
            if self.peek() != Some(b'/') {
                return Ok(());
            }
            match self.bytes.get(self.pos + 1) {
                Some(b'/') => {
                    // The newline itself is whitespace for the next round.
                    self.pos = memchr::memchr(b'\n', &self.bytes[self.pos..])
                        .map_or(self.bytes.len(), |n| self.pos + n);
                }
                Some(b'*') => {
                    self.pos += 2;
                    let mut level = 1usize;
                    while level > 0 {
                        let Some(n) = self.bytes[self.pos..]
                            .iter()
                            .position(|&b| b == b'/' || b == b'*')
                        else {
                            return Err(self.fail());
                        };
                        self.pos += n;
                        if self.starts_with(b"/*") {
                            level += 1;
                            self.pos += 2;
                        } else if self.starts_with(b"*/") {
                            level -= 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                _ => return Err(self.fail()),
            }
        }
    }

    /// ron's `comma`: whitespace, an optional comma, whitespace; whether there was one.
    fn comma(&mut self) -> Result<bool> {
        self.skip_ws()?;
        if self.peek() == Some(b',') {
            self.pos += 1;
            self.skip_ws()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Whether the character at `at` is `XID_Continue` (ron's `check_ident_other_char`).
    fn is_ident_char_at(&self, at: usize) -> bool {
        match self.bytes.get(at) {
            None => false,
            Some(&b) if b < 0x80 => is_ascii_ident_byte(b),
            Some(_) => self.char_at(at).is_some_and(unicode_ident::is_xid_continue),
        }
    }

    /// End of the run of `XID_Continue` characters starting at `from`.
    fn ident_run_end(&self, mut from: usize) -> usize {
        while let Some(&b) = self.bytes.get(from) {
            if b < 0x80 {
                if !is_ascii_ident_byte(b) {
                    break;
                }
                from += 1;
            } else {
                match self.char_at(from) {
                    Some(c) if unicode_ident::is_xid_continue(c) => from += c.len_utf8(),
                    _ => break,
                }
            }
        }
        from
    }

    /// Whether the text here is the word `word` and not the start of a longer identifier (ron's `check_ident`).
    fn at_word(&self, word: &str) -> bool {
        self.starts_with(word.as_bytes()) && !self.is_ident_char_at(self.pos + word.len())
    }

    fn consume_word(&mut self, word: &str) -> bool {
        let found = self.at_word(word);
        if found {
            self.pos += word.len();
        }
        found
    }

    /// Whether a string, byte string or raw identifier starts here (ron reads those differently from a name).
    fn at_literal_prefix(&self) -> bool {
        [&b"b\""[..], b"b'", b"br#", b"br\"", b"r\"", b"r#"]
            .iter()
            .any(|p| self.starts_with(p))
    }

    /// The start of a name (ron's `skip_identifier` without raw identifiers): its end, or `None`.
    fn name_end(&self) -> Option<usize> {
        let first = self.char_at(self.pos)?;
        if !(first == '_' || unicode_ident::is_xid_start(first))
            || (matches!(first, 'b' | 'r') && self.at_literal_prefix())
        {
            return None;
        }
        Some(self.ident_run_end(self.pos + first.len_utf8()))
    }

    /// ron's `identifier`: a name not followed by `.`, `+` or `-` (ron would suggest a raw identifier there).
    fn identifier(&mut self) -> Result<&'de str> {
        let Some(end) = self.name_end() else {
            return Err(self.fail());
        };
        if matches!(self.bytes.get(end), Some(b'.' | b'+' | b'-')) {
            return Err(self.fail());
        }
        let name = &self.text[self.pos..end];
        self.pos = end;
        Ok(name)
    }

    /// ron's `string`: `"…"` (escapes decoded) or `r#"…"#`.
    fn string(&mut self) -> Result<Text<'de>> {
        match self.peek() {
            Some(b'"') => self.quoted_string(),
            Some(b'r') => self.raw_string(),
            _ => Err(self.fail()),
        }
    }

    /// Offset from `from` of the next `"` or `\`.
    fn next_quote_or_escape(&self, from: usize) -> Option<usize> {
        memchr::memchr2(b'"', b'\\', self.bytes.get(from..)?).map(|n| from + n)
    }

    fn quoted_string(&mut self) -> Result<Text<'de>> {
        let start = self.pos + 1;
        let Some(mut at) = self.next_quote_or_escape(start) else {
            return Err(self.fail());
        };
        if self.bytes[at] == b'"' {
            self.pos = at + 1;
            return Ok(Text::Borrowed(&self.text[start..at]));
        }
        let mut out = String::from(&self.text[start..at]);
        loop {
            if self.bytes[at] == b'"' {
                self.pos = at + 1;
                return Ok(Text::Owned(out));
            }
            at += 1;
            at = match self.escape(at, &mut out) {
                Some(next) => next,
                None => return Err(self.fail()),
            };
            let Some(next) = self.next_quote_or_escape(at) else {
                return Err(self.fail());
            };
            match self.text.get(at..next) {
                Some(run) => out.push_str(run),
                None => return Err(self.fail()),
            }
            at = next;
        }
    }

    /// One escape after its `\` at `at`, as ron's `parse_escape` and `consume_string_continuation` read it; the
    /// position after it. Escapes that build a character from several `\x` bytes are left to ron.
    fn escape(&self, at: usize, out: &mut String) -> Option<usize> {
        let bytes = self.bytes;
        let line_end = if bytes[at..].starts_with(b"\r\n") {
            2
        } else if bytes.get(at) == Some(&b'\n') {
            1
        } else {
            0
        };
        if line_end > 0 {
            // A line continuation: the line break and the next line's leading whitespace are not text.
            let mut next = at + line_end;
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(next) {
                next += 1;
            }
            return Some(next);
        }
        let hex = |b: u8| (b as char).to_digit(16);
        match *bytes.get(at)? {
            b'\'' => out.push('\''),
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'0' => out.push('\0'),
            b'x' => {
                let value = hex(*bytes.get(at + 1)?)? * 16 + hex(*bytes.get(at + 2)?)?;
                if value >= 0x80 {
                    return None;
                }
                out.push(char::from_u32(value)?);
                return Some(at + 3);
            }
            b'u' => {
                if bytes.get(at + 1) != Some(&b'{') {
                    return None;
                }
                let mut next = at + 2;
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 6 && bytes.get(next) != Some(&b'}') {
                    value = value * 16 + hex(*bytes.get(next)?)?;
                    digits += 1;
                    next += 1;
                }
                if digits == 0 || bytes.get(next) != Some(&b'}') {
                    return None;
                }
                out.push(char::from_u32(value)?);
                return Some(next + 1);
            }
            _ => return None,
        }
        Some(at + 1)
    }

    /// ron's `raw_string`: `r`, some `#`, `"`, anything up to `"` and as many `#`.
    fn raw_string(&mut self) -> Result<Text<'de>> {
        let hashes = self.bytes[self.pos + 1..]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        let open = self.pos + 1 + hashes;
        if self.bytes.get(open) != Some(&b'"') {
            return Err(self.fail());
        }
        let start = open + 1;
        let ending = format!("\"{}", "#".repeat(hashes));
        let Some(n) = self.text[start..].find(&ending) else {
            return Err(self.fail());
        };
        self.pos = start + n + ending.len();
        Ok(Text::Borrowed(&self.text[start..start + n]))
    }

    /// An unsigned decimal integer that ron reads the same way whatever type is asked for: digits only, not
    /// followed by anything that would make it a float, a suffixed or based integer or a range.
    fn unsigned(&mut self) -> Result<u64> {
        let digits = self.bytes[self.pos..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = self.pos + digits;
        if digits == 0
            || matches!(self.bytes.get(end), Some(&b) if is_ascii_ident_byte(b) || matches!(b, b'.' | b'+' | b'-'))
        {
            return Err(self.fail());
        }
        let mut value = 0u64;
        for &b in &self.bytes[self.pos..end] {
            value = match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
            {
                Some(v) => v,
                None => return Err(self.fail()),
            };
        }
        self.pos = end;
        Ok(value)
    }

    /// The document's inner attributes: only `#![enable(implicit_some)]`, which is on anyway (ron's `attribute`).
    fn preamble(&mut self) -> Result<()> {
        self.skip_ws()?;
        while self.peek() == Some(b'#') {
            for b in [b'#', b'!', b'['] {
                self.expect(b)?;
                self.skip_ws()?;
            }
            if !self.consume_word("enable") {
                return Err(self.fail());
            }
            self.skip_ws()?;
            self.expect(b'(')?;
            self.skip_ws()?;
            loop {
                if self.identifier()? != "implicit_some" {
                    return Err(self.fail());
                }
                let comma = self.comma()?;
                let more = self.is_ident_char_at(self.pos);
                if !comma && more {
                    return Err(self.fail());
                }
                if !comma || !more {
                    break;
                }
            }
            self.skip_ws()?;
            for b in [b')', b']'] {
                self.expect(b)?;
                self.skip_ws()?;
            }
        }
        Ok(())
    }

    /// A struct's `( field: value, … )` after its optional name (ron's `handle_struct_after_name`).
    fn struct_body<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.expect(b'(')?;
        self.nest()?;
        let value = visitor.visit_map(Elements::new(self, b')', Keys::Names))?;
        self.unnest();
        self.skip_ws()?;
        self.expect(b')')?;
        Ok(value)
    }
}

/// Which of ron's three readings a map key gets.
#[derive(Clone, Copy)]
enum Keys {
    /// Struct fields: bare names.
    Names,
    /// Map keys: any value.
    Values,
}

/// ron's `CommaSeparated`: elements up to `close`, a trailing comma allowed.
struct Elements<'a, 'de> {
    reader: &'a mut Reader<'de>,
    close: u8,
    had_comma: bool,
    keys: Keys,
    /// The outline's level of the elements (one below the container's).
    level: usize,
    /// Elements read so far (a list element's position).
    count: u32,
    /// Where the last struct field's name is written.
    name_at: u32,
}

impl<'a, 'de> Elements<'a, 'de> {
    fn new(reader: &'a mut Reader<'de>, close: u8, keys: Keys) -> Self {
        let level = reader.level + 1;
        Elements {
            reader,
            close,
            had_comma: true,
            keys,
            level,
            count: 0,
            name_at: 0,
        }
    }

    /// Reads an element's value one level down, noted in the outline as `step`.
    fn element<T: DeserializeSeed<'de>>(&mut self, seed: T, step: Step) -> Result<T::Value> {
        self.reader.note(self.level, step);
        self.reader.level = self.level;
        self.reader.nest()?;
        let value = seed.deserialize(&mut *self.reader);
        self.reader.level = self.level - 1;
        let value = value?;
        self.reader.unnest();
        Ok(value)
    }

    fn has_element(&mut self) -> Result<bool> {
        self.reader.skip_ws()?;
        let at_close = self.reader.peek() == Some(self.close);
        match (self.had_comma, at_close) {
            (true, _) => Ok(!at_close),
            (false, true) => Ok(false),
            (false, false) => Err(self.reader.fail()),
        }
    }
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        let value = self.element(seed, Step::Element(self.count))?;
        self.count = self.count.saturating_add(1);
        self.had_comma = self.reader.comma()?;
        Ok(Some(value))
    }
}

impl<'de> de::MapAccess<'de> for Elements<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        // An internally tagged enum's key: ron then reads the value with its own tag deserializer.
        if std::any::type_name::<K::Value>() == tag_or_content_type_name() {
            return Err(self.reader.fail());
        }
        match self.keys {
            Keys::Names => self.name_at = self.reader.pos32(),
            Keys::Values if self.reader.outline.is_some() => {
                // The span scan reads only string literals as keys and stops at anything else.
                let at = self.reader.pos;
                let hashes = self.reader.bytes[at..]
                    .iter()
                    .skip(1)
                    .take_while(|&&b| b == b'#')
                    .count();
                let string = match self.reader.peek() {
                    Some(b'"') => true,
                    Some(b'r') => self.reader.bytes.get(at + 1 + hashes) == Some(&b'"'),
                    _ => false,
                };
                if !string {
                    self.reader.unlike_scan();
                }
                self.reader.note(self.level, Step::Key);
            }
            Keys::Values => {}
        }
        self.reader.nest()?;
        let key = match self.keys {
            Keys::Names => seed.deserialize(FieldName(&mut *self.reader))?,
            Keys::Values => seed.deserialize(&mut *self.reader)?,
        };
        self.reader.unnest();
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.reader.skip_ws()?;
        self.reader.expect(b':')?;
        self.reader.skip_ws()?;
        let step = match self.keys {
            Keys::Names => Step::Field {
                name_at: self.name_at,
            },
            Keys::Values => Step::EntryValue,
        };
        let value = self.element(seed, step)?;
        self.had_comma = self.reader.comma()?;
        Ok(value)
    }
}

/// Methods whose RON the reader leaves to ron.
macro_rules! decline {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
                Err(self.reader().fail())
            }
        )*
    };
}

/// The methods with extra arguments that the reader leaves to ron.
macro_rules! decline_compound {
    () => {
        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _visitor: V,
        ) -> Result<V::Value> {
            Err(self.reader().fail())
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _visitor: V,
        ) -> Result<V::Value> {
            Err(self.reader().fail())
        }

        fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
            Err(self.reader().fail())
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _len: usize,
            _visitor: V,
        ) -> Result<V::Value> {
            Err(self.reader().fail())
        }
    };
}

/// A struct field's name, read as a bare identifier (ron's `id::Deserializer`).
struct FieldName<'a, 'de>(&'a mut Reader<'de>);

impl<'a, 'de> FieldName<'a, 'de> {
    fn reader(self) -> &'a mut Reader<'de> {
        self.0
    }
}

impl<'de> de::Deserializer<'de> for FieldName<'_, 'de> {
    type Error = Declined;

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let name = self.0.identifier()?;
        visitor.visit_borrowed_str(name)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_identifier(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_identifier(visitor)
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_identifier(visitor)
    }

    decline! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_option deserialize_unit deserialize_seq
        deserialize_map deserialize_ignored_any
    }
    decline_compound! {}

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(self.reader().fail())
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(self.reader().fail())
    }
}

/// Reads an integer of type `$t` through `$visit` (ron's `integer`, restricted to unsigned decimals).
macro_rules! integer {
    ($($method:ident $t:ty, $visit:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
                let value = self.unsigned()?;
                match <$t>::try_from(value) {
                    Ok(v) => visitor.$visit(v),
                    Err(_) => Err(self.fail()),
                }
            }
        )*
    };
}

impl<'de> Reader<'de> {
    fn reader(&mut self) -> &mut Reader<'de> {
        self
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Declined;

    /// ron's `deserialize_any`, for what an untagged enum buffers: strings, numbers, booleans, `None`, lists,
    /// maps and bare enum names.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.starts_with(b"()") {
            self.pos += 2;
            return visitor.visit_unit();
        }
        if let Some(end) = self.name_end() {
            let name = &self.text[self.pos..end];
            match name {
                "true" | "false" => {
                    self.pos = end;
                    return visitor.visit_bool(name == "true");
                }
                "None" => {
                    self.pos = end;
                    return visitor.visit_none();
                }
                "Some" | "inf" | "inff32" | "inff64" | "NaN" | "NaNf32" | "NaNf64" => {
                    return Err(self.fail())
                }
                _ => {}
            }
            self.pos = end;
            self.skip_ws()?;
            // serde's buffer takes a bare enum name as a string; a struct or tuple after it is left to ron.
            if self.peek() == Some(b'(') || std::any::type_name::<V::Value>() != content_type_name()
            {
                return Err(self.fail());
            }
            return visitor.visit_str(name);
        }
        match self.peek() {
            Some(b'[') => self.deserialize_seq(visitor),
            Some(b'{') => self.deserialize_map(visitor),
            Some(b'"' | b'r') => self.deserialize_str(visitor),
            Some(b'0'..=b'9') => {
                // ron gives an untyped number the smallest unsigned type that holds it.
                let value = self.unsigned()?;
                if let Ok(v) = u8::try_from(value) {
                    visitor.visit_u8(v)
                } else if let Ok(v) = u16::try_from(value) {
                    visitor.visit_u16(v)
                } else if let Ok(v) = u32::try_from(value) {
                    visitor.visit_u32(v)
                } else {
                    visitor.visit_u64(value)
                }
            }
            _ => Err(self.fail()),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.consume_word("true") {
            visitor.visit_bool(true)
        } else if self.consume_word("false") {
            visitor.visit_bool(false)
        } else {
            Err(self.fail())
        }
    }

    integer! {
        deserialize_i8 i8, visit_i8;
        deserialize_i16 i16, visit_i16;
        deserialize_i32 i32, visit_i32;
        deserialize_i64 i64, visit_i64;
        deserialize_u8 u8, visit_u8;
        deserialize_u16 u16, visit_u16;
        deserialize_u32 u32, visit_u32;
        deserialize_u64 u64, visit_u64;
    }

    decline! {
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
    }
    decline_compound! {}

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    /// ron's `deserialize_option` with `implicit_some`: `None`, `Some(value)` or the value itself.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.consume_word("None") {
            return visitor.visit_none();
        }
        if self.consume_word("Some") {
            self.skip_ws()?;
            self.expect(b'(')?;
            self.skip_ws()?;
            // The span scan reads `Some(…)` as a name and a tuple: the value is its element 0, one level down.
            self.level += 1;
            self.note(self.level, Step::Element(0));
            self.nest()?;
            let value = visitor.visit_some(&mut *self);
            self.level -= 1;
            let value = value?;
            self.unnest();
            self.comma()?;
            self.expect(b')')?;
            return Ok(value);
        }
        self.nest()?;
        let value = visitor.visit_some(&mut *self)?;
        self.unnest();
        Ok(value)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.starts_with(b"()") {
            self.pos += 2;
            visitor.visit_unit()
        } else {
            Err(self.fail())
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'[')?;
        self.nest()?;
        let value = visitor.visit_seq(Elements::new(self, b']', Keys::Values))?;
        self.unnest();
        self.skip_ws()?;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // ron reads the keys of a map that stands for a struct (`#[serde(flatten)]`) differently.
        if expects_struct(&visitor) {
            return Err(self.fail());
        }
        self.expect(b'{')?;
        self.nest()?;
        let value = visitor.visit_map(Elements::new(self, b'}', Keys::Values))?;
        self.unnest();
        self.skip_ws()?;
        self.expect(b'}')?;
        Ok(value)
    }

    /// ron's `deserialize_struct`: an optional name that must be the struct's, then `( … )`.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // ron reads `start..end` for the standard ranges.
        if name.starts_with("Range") {
            return Err(self.fail());
        }
        if self.is_ident_char_at(self.pos) && (name.is_empty() || self.identifier()? != name) {
            return Err(self.fail());
        }
        self.skip_ws()?;
        self.struct_body(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.nest()?;
        let value = visitor.visit_enum(Variant(&mut *self))?;
        self.unnest();
        Ok(value)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let name = self.identifier()?;
        visitor.visit_borrowed_str(name)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }
}

/// An enum value: its variant's name, then nothing (unit) or `( field: value, … )` (ron's `Enum`).
struct Variant<'a, 'de>(&'a mut Reader<'de>);

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Declined;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        self.0.skip_ws()?;
        self.0.nest()?;
        let value = seed.deserialize(&mut *self.0)?;
        self.0.unnest();
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Declined;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value> {
        Err(self.0.fail())
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(self.0.fail())
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.0.skip_ws()?;
        self.0.struct_body(visitor)
    }
}

/// Whether a map visitor says it expects a struct (ron's check for `#[serde(flatten)]`), reading only the first
/// words of its `expecting` text.
fn expects_struct<'de, V: Visitor<'de>>(visitor: &V) -> bool {
    struct Expecting<'a, V>(&'a V);
    impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            self.0.expecting(f)
        }
    }
    /// Keeps the first bytes written and stops the formatting once it has them.
    struct Prefix {
        bytes: [u8; 7],
        len: usize,
    }
    impl fmt::Write for Prefix {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for &b in s.as_bytes() {
                if self.len == self.bytes.len() {
                    return Err(fmt::Error);
                }
                self.bytes[self.len] = b;
                self.len += 1;
            }
            Ok(())
        }
    }
    let mut prefix = Prefix {
        bytes: [0; 7],
        len: 0,
    };
    // The error only says the prefix is full.
    let _ = write!(prefix, "{}", Expecting(visitor));
    &prefix.bytes[..prefix.len] == b"struct "
}

/// The name of the value type serde buffers an untagged enum in (ron's `is_serde_content`, by type name: the
/// buffer borrows from the input, so it has no `TypeId`).
fn content_type_name() -> &'static str {
    static NAME: OnceLock<&'static str> = OnceLock::new();
    NAME.get_or_init(|| {
        #[derive(Deserialize)]
        enum Never {}
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Untagged {
            #[allow(dead_code)]
            A(Never),
        }
        match Untagged::deserialize(TypeNameProbe) {
            Err(TypeName(name)) => name,
            Ok(Untagged::A(never)) => match never {},
        }
    })
}

/// The name of the key type serde reads an internally tagged enum's keys as (ron's `is_serde_tag_or_content`).
fn tag_or_content_type_name() -> &'static str {
    static NAME: OnceLock<&'static str> = OnceLock::new();
    NAME.get_or_init(|| {
        #[derive(Deserialize)]
        enum Never {}
        #[derive(Deserialize)]
        #[serde(tag = "tag")]
        enum Tagged {
            #[allow(dead_code)]
            A { a: Never },
        }
        match Tagged::deserialize(TypeNameProbe) {
            Err(TypeName(name)) => name,
            Ok(Tagged::A { a }) => match a {},
        }
    })
}

/// A deserializer that answers with the type name of what it is asked to produce (a value, or a map's key).
struct TypeNameProbe;

#[derive(Debug)]
struct TypeName(&'static str);

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for TypeName {}

impl de::Error for TypeName {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        TypeName("")
    }
}

impl<'de> de::Deserializer<'de> for TypeNameProbe {
    type Error = TypeName;

    fn deserialize_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, TypeName> {
        let name = std::any::type_name::<V::Value>();
        // An internally tagged enum reads a map; its first key's type is the one asked about.
        match visitor.visit_map(TypeNameProbe) {
            Err(TypeName(key)) if !key.is_empty() => Err(TypeName(key)),
            _ => Err(TypeName(name)),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> de::MapAccess<'de> for TypeNameProbe {
    type Error = TypeName;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _seed: K,
    ) -> std::result::Result<Option<K::Value>, TypeName> {
        Err(TypeName(std::any::type_name::<K::Value>()))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        _seed: V,
    ) -> std::result::Result<V::Value, TypeName> {
        Err(TypeName(""))
    }
}
