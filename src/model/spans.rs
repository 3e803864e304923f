//! Where each value sits in the model text: a light second pass over RON that ron itself already accepted.
//!
//! serde gives values without positions, so after ron has parsed the file this scanner walks the same
//! text and records the byte range of every value by its path (`systems / 区イントラPC / party`). The
//! validator uses it to point diagnostics at the right line. Duplicate map keys are found by the parser itself
//! (`raw::Keyed`, comparing keys as ron decoded them); this scan only says where the n-th key of a map is written.
//!
//! When the fast reader (`crate::ronfast`) parsed the file, it noted where each value of those first levels
//! starts ([`Outline`]), and [`SpanIndex::from_outline`] builds the same index from those notes without walking the
//! text again; [`SpanIndex::scan`] remains for files ron parsed, and for the scans of single elements.
//!
//! Only the first [`EAGER`] levels (a section and its entries: `systems / 区イントラPC`) are recorded up front —
//! every element needs its own place. A deeper path (a field, a control wording) is asked for only by a
//! diagnostic, so its element is scanned again when it is asked for: a model of 10⁶ values keeps no index of them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use crate::ronfast::{Outline, Step};

/// Paths up to this length are recorded by [`SpanIndex::scan`]; longer ones are found by scanning their element.
pub(crate) const EAGER: usize = 2;

/// Byte ranges of values and map keys, keyed by their path in the model.
#[derive(Debug, Default)]
pub(crate) struct SpanIndex<'a> {
    /// The scanned text, for the scans of single elements that deeper paths need.
    text: &'a str,
    /// Keyed by a hash of the path, so recording a value does not copy its path (models reach 10⁶ values).
    spans: HashMap<u64, Range<usize>, PathHashed>,
    /// For each map (by the hash of its path), the range of every key in written order, repeats included.
    map_keys: HashMap<u64, Vec<Range<usize>>, PathHashed>,
    /// For each list shallower than [`EAGER`] (by the hash of its path), the range of every element: filled by
    /// [`SpanIndex::from_outline`] only, for [`SpanIndex::list_element`].
    elements: HashMap<u64, Vec<Range<usize>>, PathHashed>,
    /// Whether every key listed in `map_keys` is a string without escapes, so a key's place in its map's list is the
    /// place of its name ([`SpanIndex::map_entry`]); set by [`SpanIndex::from_outline`] only.
    plain_keys: bool,
}

impl<'a> SpanIndex<'a> {
    /// Scans `text`; stops quietly at anything it does not understand (ron has already reported real errors).
    pub fn scan(text: &'a str) -> SpanIndex<'a> {
        let mut scanner = Scanner {
            s: text.as_bytes(),
            text,
            pos: 0,
            limit: EAGER,
            index: SpanIndex {
                text,
                ..SpanIndex::default()
            },
        };
        scanner.skip_preamble();
        let mut path = Vec::new();
        let _ = scanner.value(&mut path, 0);
        scanner.index
    }

    /// The index [`SpanIndex::scan`] would give, built from the fast reader's notes of where the values of the first
    /// [`EAGER`] levels start (read with that many levels), reading only those values' first tokens. `None` when the
    /// notes do not line up with the text as the scan reads it: the caller then scans.
    pub fn from_outline(text: &'a str, outline: &Outline) -> Option<SpanIndex<'a>> {
        let mut scanner = Scanner {
            s: text.as_bytes(),
            text,
            pos: 0,
            limit: EAGER,
            index: SpanIndex {
                text,
                ..SpanIndex::default()
            },
        };
        // The scan stops at a vertical tab, which the reader skips as whitespace (it is rare enough, in strings and
        // comments too, to send every text that holds one to the scan).
        if memchr::memchr(0x0B, text.as_bytes()).is_some() {
            return None;
        }
        scanner.skip_preamble();
        // The scan skips an inner attribute up to its first `]` whatever it holds; the reader reads it. Both must
        // find the document's value at the same place.
        let root = outline.places.first()?;
        if root.step != Step::Root || root.at as usize != scanner.pos {
            return None;
        }
        // The path hash of the last place met at each level: a place's parent is the last one a level up.
        let mut hashes = [0u64; EAGER + 1];
        // Nearly every place is a path of its own (repeated keys aside).
        scanner.index.spans.reserve(outline.places.len());
        let mut digits = itoa::Buffer::new();
        scanner.index.plain_keys = true;
        for place in &outline.places {
            let level = usize::from(place.level);
            if level > EAGER {
                return None;
            }
            scanner.pos = place.at as usize;
            let parent = || level.checked_sub(1).map(|up| hashes[up]);
            let (hash, range) = match place.step {
                Step::Root => (PATH_HASH_START, Some(scanner.place_range()?)),
                Step::Field { name_at } => {
                    let name_at = name_at as usize;
                    let name = text
                        .as_bytes()
                        .get(name_at..scanner.field_name_end(name_at))?;
                    (extend_hash(parent()?, name), Some(scanner.place_range()?))
                }
                Step::Element(index) => {
                    let list = parent()?;
                    let segment = digits.format(index).as_bytes();
                    let range = scanner.place_range()?;
                    // Elements come in order, so a list's n-th element is its n-th range.
                    if let Some(elements) = scanner.index.elements.get_mut(&list) {
                        elements.push(range.clone());
                    }
                    (extend_hash(list, segment), Some(range))
                }
                Step::Key => {
                    let map = parent()?;
                    let key = scanner.key_text()?;
                    scanner.index.plain_keys &= matches!(key, Cow::Borrowed(_));
                    let range = place.at as usize..scanner.pos;
                    // Its map is shallower than EAGER, so its keys are listed (as `Scanner::map` lists them).
                    if let Some(keys) = scanner.index.map_keys.get_mut(&map) {
                        keys.push(range.clone());
                    }
                    (extend_hash(map, key.as_bytes()), Some(range))
                }
                // At its key's path, which holds the key's range already: only a map here needs noting (below).
                Step::EntryValue => (hashes[level], None),
            };
            hashes[level] = hash;
            if let Some(range) = range {
                scanner.index.spans.entry(hash).or_insert(range);
            }
            // A map shallower than EAGER starts a fresh list of keys (a later map at the same path replaces an
            // earlier one's, as the scan's insert at the map's end does).
            match text.as_bytes().get(place.at as usize) {
                Some(b'{') if level < EAGER => {
                    scanner.index.map_keys.insert(hash, Vec::new());
                }
                Some(b'[') if level < EAGER => {
                    scanner.index.elements.insert(hash, Vec::new());
                }
                _ => {}
            }
        }
        Some(scanner.index)
    }

    /// Whether two indexes hold the same places (for the differential tests of [`SpanIndex::from_outline`]).
    #[doc(hidden)]
    pub fn same_places(&self, other: &SpanIndex) -> bool {
        self.text == other.text && self.spans == other.spans && self.map_keys == other.map_keys
    }

    /// The range of the value (or map key) at `path`.
    #[cfg(test)]
    pub fn get<S: AsRef<str>>(&self, path: &[S]) -> Option<Range<usize>> {
        if path.len() <= EAGER {
            return self.spans.get(&path_hash(path)).cloned();
        }
        self.element(path)?.spans.get(&path_hash(path)).cloned()
    }

    /// The range of the `n`-th key (0-based, as written, repeats included) of the map at `path`.
    pub fn key_at<S: AsRef<str>>(&self, path: &[S], n: usize) -> Option<Range<usize>> {
        let keys = if path.len() < EAGER {
            self.map_keys.get(&path_hash(path))?.get(n).cloned()
        } else {
            self.element(path)?
                .map_keys
                .get(&path_hash(path))?
                .get(n)
                .cloned()
        };
        keys
    }

    /// [`SpanIndex::nearest`] of `[section, name]` for the entry `name` of the map `section` (a section of the model),
    /// whose first writing is its `written`-th entry (0-based, repeats included): read by position from the list of
    /// the map's keys when every key is written plainly (then that key is the first with this name, as the scan
    /// records it), without hashing the name or probing the index.
    pub fn map_entry(&self, section: &str, written: usize, name: &str) -> Option<Range<usize>> {
        if self.plain_keys {
            if let Some(range) = self
                .map_keys
                .get(&path_hash(&[section]))
                .and_then(|keys| keys.get(written))
            {
                return Some(range.clone());
            }
        }
        self.nearest(&[section, name])
    }

    /// [`SpanIndex::nearest`] of `[section, index]` for the `index`-th element of the list `section` (`index_text`
    /// is `index` in decimal), read by position when the list's elements were noted.
    pub fn list_element(
        &self,
        section: &str,
        index: usize,
        index_text: &str,
    ) -> Option<Range<usize>> {
        if let Some(range) = self
            .elements
            .get(&path_hash(&[section]))
            .and_then(|elements| elements.get(index))
        {
            return Some(range.clone());
        }
        self.nearest(&[section, index_text])
    }

    /// The range at `path`, or at the nearest ancestor that has one.
    pub fn nearest<S: AsRef<str>>(&self, path: &[S]) -> Option<Range<usize>> {
        let deep = (path.len() > EAGER)
            .then(|| self.element(path))
            .flatten()
            .and_then(|element| {
                (EAGER + 1..=path.len())
                    .rev()
                    .find_map(|n| element.spans.get(&path_hash(&path[..n])).cloned())
            });
        deep.or_else(|| {
            (0..=path.len().min(EAGER))
                .rev()
                .find_map(|n| self.spans.get(&path_hash(&path[..n])).cloned())
        })
    }

    /// Where the element holding `path` starts (its first [`EAGER`] segments, or the nearest ancestor of them that
    /// has a place): never after [`SpanIndex::nearest`] of `path`. Elements do not overlap, so a place whose element
    /// starts later than another's element lies further down the file: a caller can rank many places by this
    /// cheap lookup and ask `nearest` (a scan of the element) only for the first few.
    pub fn element_start<S: AsRef<str>>(&self, path: &[S]) -> Option<usize> {
        self.nearest(&path[..path.len().min(EAGER)])
            .map(|range| range.start)
    }

    /// Everything below the element that holds `path` (its first [`EAGER`] segments), scanned in full.
    fn element<S: AsRef<str>>(&self, path: &[S]) -> Option<SpanIndex<'a>> {
        let prefix = path.get(..EAGER)?;
        let start = self.spans.get(&path_hash(prefix))?.start;
        let mut scanner = Scanner {
            s: self.text.as_bytes(),
            text: self.text,
            pos: start,
            limit: usize::MAX,
            index: SpanIndex {
                text: self.text,
                ..SpanIndex::default()
            },
        };
        // A map entry is recorded at its key: its value follows the key and the colon.
        if scanner.at_string() {
            scanner.key()?;
            scanner.skip_ws();
            if scanner.peek()? != b':' {
                return None;
            }
            scanner.pos += 1;
        }
        let mut inner: Vec<String> = prefix.iter().map(|s| s.as_ref().to_string()).collect();
        let _ = scanner.value(&mut inner, EAGER);
        Some(scanner.index)
    }
}

/// A line for each key whose value differs between the scan's map and the outline's, or is in only one of them.
fn differences<V: PartialEq + std::fmt::Debug, S>(
    what: &str,
    scanned: &HashMap<u64, V, S>,
    outlined: &HashMap<u64, V, S>,
    lines: &mut Vec<String>,
) where
    S: std::hash::BuildHasher,
{
    for (hash, value) in scanned {
        let other = outlined.get(hash);
        if other != Some(value) {
            lines.push(format!(
                "{what} {hash:016x}: scan {value:?}, outline {other:?}"
            ));
        }
    }
    for (hash, value) in outlined {
        if !scanned.contains_key(hash) {
            lines.push(format!("{what} {hash:016x}: scan none, outline {value:?}"));
        }
    }
}

/// Where the index built from the fast reader's outline ([`SpanIndex::from_outline`]) and the scan's
/// ([`SpanIndex::scan`]) differ on `text` read as a model, if they do; nothing when the reader leaves the text to
/// ron or hands out no outline for it (the scan is used then). For the differential tests and `tests/fuzz.rs`.
#[doc(hidden)]
pub fn span_outline_disagreement(text: &str) -> Option<String> {
    let (_, outline) = crate::ronfast::from_str_outlined::<super::raw::RawModel>(text, EAGER)?;
    let from_outline = SpanIndex::from_outline(text, &outline?)?;
    let scanned = SpanIndex::scan(text);
    let mut lines = Vec::new();
    // The lookups by position answer what the lookups by path would.
    let mut digits = itoa::Buffer::new();
    for (list, elements) in &from_outline.elements {
        for (index, range) in elements.iter().enumerate() {
            let segment = digits.format(index).as_bytes();
            let by_path = scanned.spans.get(&extend_hash(*list, segment));
            if by_path != Some(range) {
                lines.push(format!(
                    "element {index} of {list:016x}: by path {by_path:?}, by position {range:?}"
                ));
            }
        }
    }
    if from_outline.plain_keys {
        for (map, keys) in &from_outline.map_keys {
            let mut seen = std::collections::HashSet::new();
            for (written, range) in keys.iter().enumerate() {
                let name = text.get(range.start + 1..range.end.saturating_sub(1))?;
                if !seen.insert(name) {
                    continue;
                }
                let by_path = scanned.spans.get(&extend_hash(*map, name.as_bytes()));
                if by_path != Some(range) {
                    lines.push(format!(
                        "key {written} of {map:016x}: by path {by_path:?}, by position {range:?}"
                    ));
                }
            }
        }
    }
    if lines.is_empty() && from_outline.same_places(&scanned) {
        return None;
    }
    differences("path", &scanned.spans, &from_outline.spans, &mut lines);
    differences(
        "keys",
        &scanned.map_keys,
        &from_outline.map_keys,
        &mut lines,
    );
    lines.sort();
    lines.truncate(12);
    Some(format!(
        "the outline's places differ from the scan's:\n{}",
        lines.join("\n")
    ))
}

/// The keys are FNV-1a hashes already ([`path_hash`]): hashing them again (SipHash) only costs time.
type PathHashed = std::hash::BuildHasherDefault<AlreadyHashed>;

/// A hasher that passes a `u64` key through.
#[derive(Default)]
struct AlreadyHashed(u64);

impl std::hash::Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys reach this hasher; fold anything else in FNV style so it still works.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The hash of the empty path (FNV-1a's offset basis).
const PATH_HASH_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over the path's segments, each followed by a separator no name contains.
fn path_hash<S: AsRef<str>>(path: &[S]) -> u64 {
    path.iter().fold(PATH_HASH_START, |hash, segment| {
        extend_hash(hash, segment.as_ref().as_bytes())
    })
}

/// The hash of a path one segment longer than the path hashed to `hash`.
fn extend_hash(mut hash: u64, segment: &[u8]) -> u64 {
    for &byte in segment.iter().chain(&[0xFF]) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

struct Scanner<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Paths longer than this are walked over, not recorded.
    limit: usize,
    index: SpanIndex<'a>,
}

const MAX_DEPTH: usize = 512;

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    let mut depth = 1usize;
                    while depth > 0 && self.pos < self.s.len() {
                        if self.s[self.pos..].starts_with(b"/*") {
                            depth += 1;
                            self.pos += 2;
                        } else if self.s[self.pos..].starts_with(b"*/") {
                            depth -= 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips whitespace and inner attributes (`#![enable(...)]`) up to the document's value.
    fn skip_preamble(&mut self) {
        self.skip_ws();
        while self.peek() == Some(b'#') {
            while let Some(c) = self.peek() {
                self.pos += 1;
                if c == b']' {
                    break;
                }
            }
            self.skip_ws();
        }
    }

    /// The range [`Scanner::value`] records for the value starting here, read the same way (a string or raw string
    /// whole, a compound value's first line, a word alone without the `( … )` that may follow it).
    fn place_range(&mut self) -> Option<Range<usize>> {
        let start = self.pos;
        match self.peek()? {
            b'"' => self.skip_string()?,
            b'r' if matches!(self.s.get(self.pos + 1), Some(b'"') | Some(b'#')) => {
                self.raw_string()?;
            }
            b'(' | b'[' | b'{' => return Some(self.first_line(start)),
            b'\'' => {
                self.pos += 1;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == b'\\' {
                        self.pos += 1;
                    } else if c == b'\'' {
                        break;
                    }
                }
            }
            _ => {
                self.pos = self.word_end(start);
                if self.pos == start {
                    return None;
                }
            }
        }
        Some(start..self.pos)
    }

    /// End of the run of word characters [`Scanner::value`] reads as an identifier, number or bool.
    fn word_end(&self, mut at: usize) -> usize {
        while let Some(&c) = self.s.get(at) {
            if c.is_ascii_alphanumeric()
                || c == b'_'
                || c == b'.'
                || c == b'-'
                || c == b'+'
                || c >= 0x80
            {
                at += 1;
            } else {
                break;
            }
        }
        at
    }

    /// End of a struct field's name starting at `at`, as [`Scanner::parens`] reads it.
    fn field_name_end(&self, mut at: usize) -> usize {
        while let Some(&c) = self.s.get(at) {
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                at += 1;
            } else {
                break;
            }
        }
        at
    }

    /// A map key as [`Scanner::key`] decodes it, borrowed when it has no escapes.
    fn key_text(&mut self) -> Option<Cow<'a, str>> {
        if self.peek()? == b'"' {
            let body = self.pos + 1;
            let plain = self
                .s
                .get(body..)?
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
            if self.s[body + plain] == b'"' {
                self.pos = body + plain + 1;
                return self.text.get(body..body + plain).map(Cow::Borrowed);
            }
        }
        self.key().map(Cow::Owned)
    }

    fn record(&mut self, path: &[String], range: Range<usize>) {
        if path.len() <= self.limit {
            self.index.spans.entry(path_hash(path)).or_insert(range);
        }
    }

    /// Whether the next value is a string literal (plain or raw).
    fn at_string(&self) -> bool {
        match self.peek() {
            Some(b'"') => true,
            Some(b'r') => matches!(self.s.get(self.pos + 1), Some(b'"') | Some(b'#')),
            _ => false,
        }
    }

    /// The segment to push for a child of `path`: its name, or nothing when the child is not recorded anyway.
    fn segment(&self, path: &[String], name: impl FnOnce() -> String) -> String {
        if path.len() < self.limit {
            name()
        } else {
            String::new()
        }
    }

    /// Range from `start` to the end of its line (trailing spaces trimmed): a compact label for a compound value.
    fn first_line(&self, start: usize) -> Range<usize> {
        let end = memchr::memchr(b'\n', &self.s[start..]).map_or(self.text.len(), |n| start + n);
        let trimmed = self.text[start..end].trim_end().len();
        start..start + trimmed.max(1)
    }

    fn value(&mut self, path: &mut Vec<String>, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let start = self.pos;
        match self.peek()? {
            b'"' => {
                self.skip_string()?;
                self.record(path, start..self.pos);
            }
            b'r' if matches!(self.s.get(self.pos + 1), Some(b'"') | Some(b'#')) => {
                self.raw_string()?;
                self.record(path, start..self.pos);
            }
            b'(' => {
                if path.len() <= self.limit {
                    let range = self.first_line(start);
                    self.record(path, range);
                }
                self.parens(path, depth)?;
            }
            b'[' => {
                if path.len() <= self.limit {
                    let range = self.first_line(start);
                    self.record(path, range);
                }
                self.list(path, depth)?;
            }
            b'{' => {
                if path.len() <= self.limit {
                    let range = self.first_line(start);
                    self.record(path, range);
                }
                self.map(path, depth)?;
            }
            b'\'' => {
                self.pos += 1;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == b'\\' {
                        self.pos += 1;
                    } else if c == b'\'' {
                        break;
                    }
                }
                self.record(path, start..self.pos);
            }
            _ => {
                // identifier, number, bool: a run of word characters (UTF-8 letters included)
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric()
                        || c == b'_'
                        || c == b'.'
                        || c == b'-'
                        || c == b'+'
                        || c >= 0x80
                    {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                if self.pos == start {
                    return None;
                }
                self.record(path, start..self.pos);
                self.skip_ws();
                if self.peek() == Some(b'(') {
                    self.parens(path, depth)?;
                }
            }
        }
        Some(())
    }

    fn string(&mut self) -> Option<String> {
        debug_assert_eq!(self.peek(), Some(b'"'));
        self.pos += 1;
        // Most keys have no escape: take them whole rather than character by character.
        let plain = self.s[self.pos..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\')?;
        if self.s[self.pos + plain] == b'"' {
            let key = self.text.get(self.pos..self.pos + plain)?.to_string();
            self.pos += plain + 1;
            return Some(key);
        }
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..)?;
            let c = rest.chars().next()?;
            self.pos += c.len_utf8();
            match c {
                '"' => return Some(out),
                '\\' => {
                    let e = self.text.get(self.pos..)?.chars().next()?;
                    self.pos += e.len_utf8();
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '0' => out.push('\0'),
                        'u' => {
                            let rest = self.text.get(self.pos..)?;
                            if let Some(body) = rest.strip_prefix('{') {
                                let close = body.find('}')?;
                                let code = u32::from_str_radix(&body[..close], 16).ok()?;
                                out.push(char::from_u32(code)?);
                                self.pos += close + 2;
                            }
                        }
                        'x' => {
                            // `\xHH`, possibly several making one UTF-8 character, as ron reads them.
                            let mut bytes = vec![u8::from_str_radix(
                                self.text.get(self.pos..self.pos + 2)?,
                                16,
                            )
                            .ok()?];
                            self.pos += 2;
                            while std::str::from_utf8(&bytes).is_err() && bytes.len() < 4 {
                                let next = self.text.get(self.pos..self.pos + 4)?;
                                let hex = next.strip_prefix("\\x")?;
                                bytes.push(u8::from_str_radix(hex, 16).ok()?);
                                self.pos += 4;
                            }
                            out.push_str(std::str::from_utf8(&bytes).ok()?);
                        }
                        '\n' => {
                            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                                self.pos += 1;
                            }
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// Steps over a string literal without building its value (only map keys need the value).
    fn skip_string(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            // Jump to the next quote or backslash; the bytes between need no look.
            self.pos += self
                .s
                .get(self.pos..)?
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) -> Option<String> {
        self.pos += 1; // r
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let closing: String = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        let rest = self.text.get(self.pos..)?;
        let end = rest.find(&closing)?;
        let body = rest[..end].to_string();
        self.pos += end + closing.len();
        Some(body)
    }

    /// Steps over a map key without building its value.
    fn skip_key(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'r' => self.raw_string().map(drop),
            _ => None,
        }
    }

    fn key(&mut self) -> Option<String> {
        match self.peek()? {
            b'"' => self.string(),
            b'r' => self.raw_string(),
            _ => None,
        }
    }

    fn parens(&mut self, path: &mut Vec<String>, depth: usize) -> Option<()> {
        self.pos += 1; // (
        let mut index = 0usize;
        loop {
            self.skip_ws();
            if self.peek()? == b')' {
                self.pos += 1;
                return Some(());
            }
            // A field `name: value`, or a tuple element.
            let save = self.pos;
            let mut field = None;
            let word_start = self.pos;
            while let Some(c) = self.peek() {
                if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            if self.pos > word_start {
                let word = self.text.get(word_start..self.pos)?;
                self.skip_ws();
                if self.peek() == Some(b':') {
                    self.pos += 1;
                    field = Some(word);
                }
            }
            if field.is_none() {
                self.pos = save;
            }
            let segment = self.segment(path, || {
                field.map_or_else(|| index.to_string(), str::to_string)
            });
            path.push(segment);
            let result = self.value(path, depth + 1);
            path.pop();
            result?;
            index += 1;
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
            }
        }
    }

    fn list(&mut self, path: &mut Vec<String>, depth: usize) -> Option<()> {
        self.pos += 1; // [
        let mut index = 0usize;
        loop {
            self.skip_ws();
            if self.peek()? == b']' {
                self.pos += 1;
                return Some(());
            }
            let segment = self.segment(path, || index.to_string());
            path.push(segment);
            let result = self.value(path, depth + 1);
            path.pop();
            result?;
            index += 1;
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
            }
        }
    }

    fn map(&mut self, path: &mut Vec<String>, depth: usize) -> Option<()> {
        self.pos += 1; // {
        let mut keys = Vec::new();
        let result = self.entries(path, depth, &mut keys);
        if path.len() < self.limit {
            self.index.map_keys.insert(path_hash(path), keys);
        }
        result
    }

    fn entries(
        &mut self,
        path: &mut Vec<String>,
        depth: usize,
        keys: &mut Vec<Range<usize>>,
    ) -> Option<()> {
        loop {
            self.skip_ws();
            if self.peek()? == b'}' {
                self.pos += 1;
                return Some(());
            }
            let key_start = self.pos;
            let key = if path.len() < self.limit {
                self.key()?
            } else {
                self.skip_key()?;
                String::new()
            };
            let key_range = key_start..self.pos;
            keys.push(key_range.clone());
            path.push(key);
            self.record(path, key_range);
            self.skip_ws();
            if self.peek()? != b':' {
                path.pop();
                return None;
            }
            self.pos += 1;
            // The entry is located by its key (recorded first); its parts by their paths below the key.
            let result = self.value(path, depth + 1);
            path.pop();
            result?;
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_by_path_and_duplicate_keys() {
        let text = "#![enable(implicit_some)]\nModel(\n  systems: {\n    \"区イントラPC\": (party: \"新宿区\"),\n    \"区イントラPC\": (party: \"x\"),\n  },\n  flows: [(no: 1, from: \"a\", items: [\"氏名\", \"住所\"])],\n)";
        let index = SpanIndex::scan(text);
        let party = index.get(&["systems", "区イントラPC", "party"]).unwrap();
        assert_eq!(&text[party], "\"新宿区\"");
        let item = index.get(&["flows", "0", "items", "1"]).unwrap();
        assert_eq!(&text[item], "\"住所\"");
        let second = index.key_at(&["systems"], 1).unwrap();
        assert_eq!(&text[second], "\"区イントラPC\"");
        let escaped = SpanIndex::scan("{\"\\x49D\": 1, \"\\u{49}E\": 2, \"\\xe5\\x8c\\xba\": 3}");
        assert!(escaped.get(&["ID"]).is_some());
        assert!(escaped.get(&["IE"]).is_some());
        assert!(escaped.get(&["区"]).is_some());
    }

    /// The index from the fast reader's outline on the edges of what the scan reads: it equals the scan's, or the
    /// reader hands out no outline (and the scan is used).
    #[test]
    fn the_outline_agrees_with_the_scan_on_its_edges() {
        let outlined = |text: &str| {
            crate::ronfast::from_str_outlined::<crate::model::raw::RawModel>(text, EAGER)
                .and_then(|(_, outline)| SpanIndex::from_outline(text, &outline?))
                .is_some()
        };
        let agreeing = [
            "#![enable(implicit_some)]\nModel( // note\n  title: \"t\",  \n  systems: { // the systems\n    \"a\": (party: \"p\"),\n    \"a\": RawSystem(party: \"q\"),\n    r#\"b\"#: (),\n    \"\\u{63}\\x64\": (),\n  },\n  subjects: Some((label: \"x\")),\n  flows: [(no: 1, from: \"a\", to: \"b\", via: [電話, FAX]), (no: \"1-1\", from: \"a\", to: \"b\", via: Some(FAX))],\n)",
            "(title: r\"t\", items: {}, groups: {\"g\": [\"a\", \"b\"]}, parties: {\"p\": (role: 本人, label: None)})",
            "(title: \"t\", declared: {\"a\": (basis: 再委託(via: \"b\", consent: true,),),})",
            // A key continued over a CRLF line end: the scan keeps the line end in the key, and so must the outline.
            "(title: \"t\", items: {\"a\\\r\n  b\": ()})",
            "/* a */ ( /* b */ title /* c */ : /* d */ \"t\" /* e */ , )",
        ];
        for text in agreeing {
            assert!(outlined(text), "no outline: {text}");
            assert_eq!(span_outline_disagreement(text), None, "{text}");
        }
        // Read by the fast reader, but the scan stops early (a vertical tab) or skips the attribute differently
        // (a `]` in its comment): no outline, so the scan places them as before.
        let scanned = [
            "(title: \"t\",\x0b items: {\"a\": ()})",
            "#![enable(/* ] */ implicit_some)]\n(title: \"t\")",
        ];
        for text in scanned {
            assert!(
                crate::ronfast::from_str::<crate::model::raw::RawModel>(text).is_some(),
                "declined: {text}"
            );
            assert!(!outlined(text), "outlined: {text}");
        }
    }
}
