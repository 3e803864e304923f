//! A mutational fuzz harness on stable Rust, with no fuzzing engine and no dependency (see docs/fuzzing.md).
//!
//! The seed corpus is every model the repository ships: `models/*.ron`, `tests/fixtures/**/*.ron` (including the
//! regression fixtures of `tests/fixtures/fuzz/`). Each case takes one seed and applies 1–4 mutations chosen by a
//! pseudo-random generator seeded from `(NAGARE_FUZZ_SEED, case number)`, so case *n* is the same input on every
//! machine and every run. The mutations are what a clerk's editor, Word or a bad paste produce (smart quotes,
//! full-width punctuation and spaces, a BOM, CRLF, control characters, a doubled line, a lost bracket, a truncated
//! file) and what an attacker would try (bit flips, huge numbers, deep nesting, very long names, escapes that spell
//! an existing key, names copied from elsewhere in the file, a flow or party entry duplicated).
//!
//! Each mutant goes through what `nagare build` does: load (read, UTF-8, RON, validation) → rules → the text and
//! JSON reports → the committee and layered SVG → the committee packet (Markdown, HTML) → the diff against its
//! seed; every `NAGARE_FUZZ_HEAVY`-th case also PNG + PDF, the outlined diagram and the xlsx. The harness fails on
//!
//! - a panic (caught with `catch_unwind`; the input is saved and shrunk),
//! - a case that takes longer than `NAGARE_FUZZ_CASE_SECS` (a hang),
//! - an error diagnostic without a place in the file (only an empty file or an I/O error may have none), or a
//!   place outside the text,
//! - a model refused with no error, or an error with a model,
//! - JSON that does not parse back,
//! - different output for the same input (every 8th case runs twice),
//! - the fast model reader (`src/ronfast.rs`) reading a value other than ron's, or accepting a text ron rejects,
//! - the places the fast reader notes while reading (its outline) differing from the span scan's.
//!
//! Budget: `NAGARE_FUZZ_SECS` (default 3 s, the short pass of `cargo test`; `.ci/run` gives it 60 s), or
//! `NAGARE_FUZZ_CASES` cases. `NAGARE_FUZZ_ONLY=n` replays case n. Crashes are written to
//! `target/tmp/fuzz-crashes/`; each one found becomes a fixture in `tests/fixtures/fuzz/`, which
//! [`regressions`] runs through the same pipeline on every `cargo test`.

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use codespan_reporting::term::termcolor::NoColor;
use nagare::controls::Catalogue as Controls;
use nagare::diag::Level;
use nagare::model::{self, Model};
use nagare::render::View;
use nagare::report::{self, ModelReport};
use nagare::rules::engine::Finding;

// ---------------------------------------------------------------------------------------------------------------
// Configuration

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

struct Config {
    seed: u64,
    secs: u64,
    cases: Option<u64>,
    only: Option<u64>,
    heavy_every: u64,
    case_timeout: Duration,
}

impl Config {
    fn from_env() -> Config {
        Config {
            seed: env_u64("NAGARE_FUZZ_SEED").unwrap_or(0x6e61_6761_7265),
            secs: env_u64("NAGARE_FUZZ_SECS").unwrap_or(3),
            cases: env_u64("NAGARE_FUZZ_CASES"),
            only: env_u64("NAGARE_FUZZ_ONLY"),
            heavy_every: env_u64("NAGARE_FUZZ_HEAVY").unwrap_or(16).max(1),
            case_timeout: Duration::from_secs(env_u64("NAGARE_FUZZ_CASE_SECS").unwrap_or(60)),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A small deterministic generator (SplitMix64): the same seed gives the same cases everywhere.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn case_rng(seed: u64, case: u64) -> Rng {
    let mut r = Rng::new(seed ^ case.wrapping_mul(0xd6e8_feb8_6659_fd93));
    r.next();
    r
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

struct Seed {
    path: PathBuf,
    bytes: Vec<u8>,
    /// The seed's own model and findings, when it loads (the diff stage compares a mutant with it).
    model: Option<(Model, Vec<Finding>)>,
}

fn ron_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            ron_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "ron") {
            out.push(p);
        }
    }
}

fn corpus_paths() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    ron_files(Path::new("models"), &mut paths);
    ron_files(Path::new("tests/fixtures"), &mut paths);
    paths
}

struct Env {
    controls: Controls,
    rules: nagare::rules::Catalogue,
    today: nagare::date::Date,
}

fn env() -> Env {
    Env {
        controls: Controls::builtin()
            .map_err(|(_, d)| d.message)
            .expect("controls"),
        rules: nagare::rules::Catalogue::load(None)
            .map_err(|e| format!("{} rule pack errors", e.len()))
            .expect("rules"),
        today: nagare::date::parse("2026-04-01").expect("date"),
    }
}

fn load_corpus(env: &Env) -> Vec<Seed> {
    corpus_paths()
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read seed");
            let loaded = model::load(&path, &env.controls);
            let model = loaded.model.map(|m| {
                let findings = nagare::rules::engine::run(&m, &env.rules, env.today);
                (m, findings)
            });
            Seed { path, bytes, model }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations

/// Moves `pos` back to the start of a UTF-8 character (so an insertion keeps valid text valid).
fn boundary(buf: &[u8], mut pos: usize) -> usize {
    pos = pos.min(buf.len());
    while pos > 0 && pos < buf.len() && (buf[pos] & 0xC0) == 0x80 {
        pos -= 1;
    }
    pos
}

fn insert(buf: &mut Vec<u8>, pos: usize, what: &[u8]) {
    let pos = boundary(buf, pos);
    buf.splice(pos..pos, what.iter().copied());
}

/// Byte ranges of the lines (with their newline).
fn lines(buf: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in buf.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < buf.len() {
        out.push((start, buf.len()));
    }
    out
}

/// Byte ranges of the `"…"` strings, contents only (escapes skipped).
fn strings(buf: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < buf.len() {
        if buf[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < buf.len() && buf[j] != b'"' && buf[j] != b'\n' {
                j += if buf[j] == b'\\' { 2 } else { 1 };
            }
            if j < buf.len() && buf[j] == b'"' {
                out.push((start, j));
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The balanced `(…)` or `[…]` or `{…}` starting at an opener, as a byte range including both brackets.
fn balanced(buf: &[u8], open: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = open;
    while i < buf.len() {
        let b = buf[i];
        if in_string {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some((open, i + 1));
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    ",",
    ",,",
    ":",
    "\\",
    "#",
    "r#",
    "//",
    "/*",
    "*/",
    "'",
    "Some(",
    "None",
    "()",
    "#![enable(implicit_some)]",
    "#![enable(unwrap_newtypes)]",
    "true",
    "-",
    ".",
    "b\"",
    "r\"",
    "r#\"",
];

const UNICODE: &[&str] = &[
    "\u{201C}",
    "\u{201D}",
    "\u{2018}",
    "\u{2019}",
    "\u{FF02}",
    "\u{FF0C}",
    "\u{3000}",
    "\u{FF08}",
    "\u{FF09}",
    "\u{FF1A}",
    "\u{FF3B}",
    "\u{FF3D}",
    "\u{FF5B}",
    "\u{FF5D}",
    "\u{3001}",
    "\u{3002}",
    "\u{2460}",
    "\u{20BB7}",
    "\u{1F600}",
    "\u{FEFF}",
    "\u{200B}",
    "\u{202E}",
    "\u{FFFD}",
    "\u{0301}",
    "\u{2028}",
    "\u{85}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "\u{D7FF}",
    "\u{E000}",
    "ｱｲｳ",
    "〓",
    "髙",
    "𠀋",
];

const CONTROLS: &[&str] = &[
    "\0",
    "\x07",
    "\x08",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x1b[31m",
    "\r",
    "\t",
    "\x7f",
    "\x0b",
    "\x0c",
    "\r\n",
];

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999",
    "1e309",
    "-0",
    "0x10",
    "1_000",
    "NaN",
    "inf",
    "1.5",
    "007",
    "２",
];

const TEXTS: &[&str] = &[
    "",
    " ",
    "\u{3000}",
    "\\x49D",
    "\\u{1F600}",
    "\\n",
    "\\\\",
    "\\\"",
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(A1)",
    "-2",
    "<script>alert(1)</script>",
    "]]>",
    "&amp;",
    "a|b",
    "line\\nbreak",
    "\\u{202E}abc",
    "\\u{0}",
    "\\x1b[2J",
    "令和99年99月99日",
    "R6.2.30",
    "2024-02-29",
    "0000-00-00",
    "昭和64年1月8日",
    "①",
    "1-1",
    "0",
    "99999",
    "個人番号",
    "特定個人情報",
    "LGWAN-ASP",
    "r#LGWAN-ASP",
    "インターネット",
    "本人",
];

const IDENTS: &[&str] = &[
    "本人",
    "実施機関",
    "外部",
    "委託先",
    "インターネット",
    "LGWAN",
    "LGWAN-ASP",
    "r#LGWAN-ASP",
    "専用線",
    "媒体",
    "クラウド",
    "庁内",
    "マイナンバー利用事務系",
    "外部結合",
    "個人番号",
    "Unknown",
    "unstated",
    "none",
    "true",
    "false",
    "Some",
    "None",
    "r#true",
    "_",
    "x",
];

fn random_token<'a>(rng: &mut Rng, list: &'a [&'a str]) -> &'a [u8] {
    rng.pick(list).as_bytes()
}

/// Applies one mutation. `others` are the other seeds (for splicing).
/// `gentle` keeps to mutations that leave the syntax whole (numbers, strings, names, entries, groups), so the mutant
/// often still loads and reaches the rules, the drawing and the packet.
fn mutate(buf: &mut Vec<u8>, rng: &mut Rng, others: &[Seed], gentle: bool) {
    let len = buf.len();
    let at = rng.below(len + 1);
    let which = if gentle {
        *rng.pick(&[15, 17, 18, 19, 20, 23])
    } else {
        rng.below(24)
    };
    match which {
        // Bit flip and random byte (these may break UTF-8 on purpose).
        0 if len > 0 => buf[at.min(len - 1)] ^= 1 << rng.below(8),
        1 if len > 0 => buf[at.min(len - 1)] = rng.next() as u8,
        // A structural token inserted, or one removed.
        2 | 3 => insert(buf, at, random_token(rng, TOKENS)),
        4 | 5 => {
            let positions: Vec<usize> = buf
                .iter()
                .enumerate()
                .filter(|(_, b)| b"()[]{}\",:".contains(b))
                .map(|(i, _)| i)
                .collect();
            if !positions.is_empty() {
                buf.remove(*rng.pick(&positions));
            }
        }
        // What Word and Windows editors produce.
        6 => insert(buf, at, random_token(rng, UNICODE)),
        7 => {
            // ASCII punctuation replaced with its full-width or smart form, everywhere or once.
            let (from, to): (&[u8], &str) = *rng.pick(&[
                (b"\"" as &[u8], "\u{201C}"),
                (b"\"", "\u{201D}"),
                (b"\"", "\u{FF02}"),
                (b",", "\u{FF0C}"),
                (b",", "\u{3001}"),
                (b":", "\u{FF1A}"),
                (b"(", "\u{FF08}"),
                (b")", "\u{FF09}"),
                (b"    ", "\u{3000}\u{3000}"),
                (b" ", "\u{00A0}"),
            ]);
            let all = rng.chance(4);
            let mut out = Vec::with_capacity(buf.len());
            let mut i = 0;
            let mut done = false;
            let skip = rng.below(64);
            let mut seen = 0;
            while i < buf.len() {
                if (!done || all) && buf[i..].starts_with(from) {
                    if seen >= skip || all {
                        out.extend_from_slice(to.as_bytes());
                        i += from.len();
                        done = true;
                        continue;
                    }
                    seen += 1;
                }
                out.push(buf[i]);
                i += 1;
            }
            *buf = out;
        }
        8 => insert(buf, at, random_token(rng, CONTROLS)),
        9 => {
            if rng.chance(2) {
                buf.splice(0..0, "\u{FEFF}".bytes());
            } else {
                // CRLF line ends.
                let mut out = Vec::with_capacity(buf.len() * 11 / 10);
                for &b in buf.iter() {
                    if b == b'\n' {
                        out.push(b'\r');
                    }
                    out.push(b);
                }
                *buf = out;
            }
        }
        // Lines: duplicated, deleted, swapped.
        10..=12 => {
            let ls = lines(buf);
            if !ls.is_empty() {
                let (s, e) = *rng.pick(&ls);
                let (s2, e2) = *rng.pick(&ls);
                match rng.below(3) {
                    0 => {
                        let line = buf[s..e].to_vec();
                        buf.splice(e..e, line);
                    }
                    1 => {
                        buf.drain(s..e);
                    }
                    _ if s2 > e => {
                        let (a, b) = (buf[s..e].to_vec(), buf[s2..e2].to_vec());
                        buf.splice(s2..e2, a);
                        buf.splice(s..e, b);
                    }
                    _ => {}
                }
            }
        }
        // A range deleted, or the file truncated.
        13 => {
            let end = (at + 1 + rng.below(32)).min(len);
            buf.drain(at.min(end)..end);
        }
        14 => buf.truncate(boundary(buf, at)),
        // Numbers.
        15 => {
            let digits: Vec<usize> = (0..len)
                .filter(|&i| buf[i].is_ascii_digit() && (i == 0 || !buf[i - 1].is_ascii_digit()))
                .collect();
            if !digits.is_empty() {
                let s = *rng.pick(&digits);
                let mut e = s;
                while e < len && buf[e].is_ascii_digit() {
                    e += 1;
                }
                buf.splice(s..e, random_token(rng, NUMBERS).iter().copied());
            }
        }
        // Deep nesting, past ron's recursion limit or just under it.
        16 => {
            let depth = *rng.pick(&[64usize, 127, 128, 129, 200, 1000, 5000]);
            let (open, close) = *rng.pick(&[("[", "]"), ("(", ")"), ("{", "}"), ("Some(", ")")]);
            let mut nest = open.repeat(depth);
            if rng.chance(2) {
                nest.push_str(&close.repeat(depth));
            }
            insert(buf, at, nest.as_bytes());
        }
        // The contents of a string replaced: an awkward text, another string of the file (a rename, a duplicate
        // key, a reference to something else) or a very long name.
        17 | 18 => {
            let ss = strings(buf);
            if !ss.is_empty() {
                let (s, e) = *rng.pick(&ss);
                let with: Vec<u8> = match rng.below(4) {
                    0 | 1 => {
                        let (s2, e2) = *rng.pick(&ss);
                        let mut v = buf[s2..e2].to_vec();
                        if rng.chance(3) {
                            // The same key spelt with an escape (`"ID"` and `"\x49D"`).
                            if let Some(&c) = v.first().filter(|c| c.is_ascii_alphanumeric()) {
                                v.splice(0..1, format!("\\x{c:02X}").bytes());
                            }
                        }
                        v
                    }
                    2 => random_token(rng, TEXTS).to_vec(),
                    _ => {
                        let unit = *rng.pick(&["あ", "x", "𠮷", "\u{3000}", "\\\"", "ー"]);
                        unit.repeat(*rng.pick(&[80usize, 1000, 20000])).into_bytes()
                    }
                };
                buf.splice(s..e, with);
            }
        }
        // A bare identifier (enum value, field name) replaced.
        19 => {
            let idents: Vec<(usize, usize)> = {
                let mut v = Vec::new();
                let mut i = 0;
                let mut in_string = false;
                while i < len {
                    let b = buf[i];
                    if b == b'"' {
                        in_string = !in_string;
                        i += 1;
                    } else if !in_string && (b.is_ascii_alphabetic() || b >= 0xE0) {
                        let s = i;
                        while i < len
                            && (buf[i].is_ascii_alphanumeric() || buf[i] == b'_' || buf[i] >= 0x80)
                        {
                            i += 1;
                        }
                        v.push((s, i));
                    } else {
                        i += 1;
                    }
                }
                v
            };
            if !idents.is_empty() {
                let (s, e) = *rng.pick(&idents);
                buf.splice(s..e, random_token(rng, IDENTS).iter().copied());
            }
        }
        // A whole entry (a party, a flow, a list) duplicated after itself, or removed.
        20 | 21 => {
            let opens: Vec<usize> = (0..len).filter(|&i| b"([{".contains(&buf[i])).collect();
            if !opens.is_empty() {
                if let Some((s, e)) = balanced(buf, *rng.pick(&opens)) {
                    if rng.chance(3) {
                        buf.drain(s..e);
                    } else {
                        // Include the key before it (`"name": (…)`) so the copy is a duplicate entry.
                        let mut k = s;
                        while k > 0 && !b",[{(\n".contains(&buf[k - 1]) {
                            k -= 1;
                        }
                        let mut copy = buf[k..e].to_vec();
                        copy.splice(0..0, b", ".iter().copied());
                        buf.splice(e..e, copy);
                    }
                }
            }
        }
        // A chunk of another seed spliced in.
        22 if !others.is_empty() => {
            let other = &rng.pick(others).bytes;
            if !other.is_empty() {
                let s = boundary(other, rng.below(other.len()));
                let e = boundary(other, (s + 1 + rng.below(400)).min(other.len()));
                let chunk = other[s..e.max(s)].to_vec();
                insert(buf, at, &chunk);
            }
        }
        // A chain of groups that include each other (validation expands groups).
        23 => {
            let depth = *rng.pick(&[2usize, 10, 100, 500]);
            let mut text = String::from("groups: {");
            for i in 0..depth {
                text.push_str(&format!("\"g{i}\": [\"g{}\"], ", i + 1));
            }
            text.push_str(&format!("\"g{depth}\": [\"g0\"]}},\n"));
            if rng.chance(2) {
                // Make it a chain, not a cycle.
                text = text.replace("[\"g0\"]},\n", "[]},\n");
            }
            // After the line `Model(` if there is one.
            let pos = buf
                .windows(6)
                .position(|w| w == b"Model(")
                .map_or(at, |p| p + 6);
            insert(buf, pos, text.as_bytes());
        }
        _ => {}
    }
}

fn mutant(seed_idx: usize, rng: &mut Rng, corpus: &[Seed]) -> Vec<u8> {
    let mut buf = corpus[seed_idx].bytes.clone();
    // Mostly one or two mutations, so many mutants still parse and reach the rules and the drawing.
    let n = *rng.pick(&[1usize, 1, 1, 2, 2, 3, 4]);
    let gentle = rng.chance(2);
    for _ in 0..n {
        mutate(&mut buf, rng, corpus, gentle);
    }
    buf
}

// ---------------------------------------------------------------------------------------------------------------
// The pipeline

/// What one input produced; `digest` covers every output, so two runs must give the same one.
#[derive(Debug, Default)]
struct Outcome {
    loaded: bool,
    rendered: bool,
    digest: u64,
    /// Problems that are not panics (an error without a place, JSON that does not parse back…).
    problems: Vec<String>,
    /// Errors the pipeline returned (as `Err`), counted but not failing: e.g. a drawing refused.
    soft_errors: Vec<String>,
}

fn hash<T: Hash + ?Sized>(h: &mut DefaultHasher, value: &T) {
    value.hash(h);
}

/// Runs `bytes` through everything `nagare build` does (and the diff against its seed).
fn pipeline(bytes: &[u8], file: &Path, seed: &Seed, env: &Env, heavy: bool) -> Outcome {
    let mut out = Outcome::default();
    let mut h = DefaultHasher::new();
    std::fs::write(file, bytes).expect("write case");
    let loaded = model::load(file, &env.controls);
    let text = &loaded.source.text;

    // The fast reader gives ron's value or leaves the text to ron; never another value, never a text ron rejects.
    if let Some(problem) = model::fast_reader_disagreement(text) {
        out.problems.push(format!("fast reader: {problem}"));
    }
    // The places the fast reader noted while parsing are the span scan's places, or the scan is used.
    if let Some(problem) = model::span_outline_disagreement(text) {
        out.problems.push(format!("span outline: {problem}"));
    }

    // Every error has a place in the file, inside the text.
    for d in &loaded.diagnostics {
        hash(&mut h, &d.to_text(&loaded.source));
        if let Some((range, _)) = &d.primary {
            if range.start > text.len() || range.end > text.len() || range.start > range.end {
                out.problems.push(format!(
                    "{}: span {range:?} outside the text ({} bytes)",
                    d.code,
                    text.len()
                ));
            }
        } else if d.level == Level::Error
            && !matches!(d.code, "model::empty" | "io::read" | "io::too-large")
        {
            out.problems
                .push(format!("{}: error without a place: {}", d.code, d.message));
        }
    }
    if loaded.has_errors() == loaded.model.is_some() {
        out.problems.push(format!(
            "has errors = {}, model = {}",
            loaded.has_errors(),
            loaded.model.is_some()
        ));
    }

    let findings = loaded
        .model
        .as_ref()
        .map(|m| nagare::rules::engine::run(m, &env.rules, env.today))
        .unwrap_or_default();
    for f in &findings {
        if let Some(span) = &f.span {
            if span.end > text.len() || span.start > span.end {
                out.problems
                    .push(format!("finding {}: span {span:?} outside the text", f.id));
            }
        }
    }
    let report = ModelReport {
        source: &loaded.source,
        model: loaded.model.as_ref(),
        diagnostics: &loaded.diagnostics,
        findings: report::Findings::Built(&findings),
    };
    let mut text_report = NoColor::new(Vec::new());
    report::write_text(&report, &mut text_report).expect("text report");
    hash(&mut h, &text_report.into_inner());
    let mut json = Vec::new();
    report::write_json(
        &report::json_document(vec![report::to_json(&report)]),
        &mut json,
    )
    .expect("json report");
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&json) {
        out.problems
            .push(format!("JSON report does not parse: {e}"));
    }
    hash(&mut h, &json);

    let Some(m) = loaded.model.as_ref() else {
        out.digest = h.finish();
        return out;
    };
    out.loaded = true;

    // The drawings.
    let committee = nagare::render::Options {
        highlight: true,
        ..nagare::render::Options::default()
    };
    let layered = nagare::render::Options {
        view: View::Layered,
        ..committee.clone()
    };
    let svg = match nagare::render::render_svg(m, &findings, &committee) {
        Ok(svg) => {
            out.rendered = true;
            hash(&mut h, &svg);
            Some(svg)
        }
        Err(e) => {
            out.soft_errors.push(format!("render: {e}"));
            None
        }
    };
    match nagare::render::render_svg(m, &findings, &layered) {
        Ok(svg) => hash(&mut h, &svg),
        Err(e) => out.soft_errors.push(format!("render layered: {e}")),
    }
    if heavy {
        match nagare::render::render_all(m, &findings, &committee) {
            Ok(drawn) => {
                hash(&mut h, &drawn.png);
                hash(&mut h, &drawn.pdf);
            }
            Err(e) => out.soft_errors.push(format!("png/pdf: {e}")),
        }
        match nagare::packet::diagram(m, &findings, true) {
            Ok(outlined) => hash(&mut h, &outlined),
            Err(e) => out.soft_errors.push(format!("outlined diagram: {e}")),
        }
    }

    // The committee packet.
    let doc = nagare::packet::build(m, &findings, svg, &env.controls);
    hash(&mut h, &nagare::office::to_markdown(&doc));
    hash(&mut h, &nagare::office::to_html(&doc));
    if heavy {
        match nagare::office::to_xlsx(&doc) {
            Ok(bytes) => hash(&mut h, &bytes),
            Err(e) => out.soft_errors.push(format!("xlsx: {e}")),
        }
    }
    let judgement = nagare::pia::judge(m, None);
    let mut pia = Vec::new();
    nagare::pia::write_text(m, "case", &judgement, &mut pia).expect("pia");
    hash(&mut h, &pia);

    // The diff against the seed it came from.
    if let Some((old, old_findings)) = &seed.model {
        let diff = nagare::diff::diff(old, m, old_findings, &findings);
        hash(&mut h, &nagare::diff::to_text(&diff, "old", "new", old, m));
        let doc = nagare::diff::to_document(&diff, "old", "new", old, m);
        hash(&mut h, &nagare::office::to_markdown(&doc));
    }
    out.digest = h.finish();
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Running a case: on its own thread with the main thread's 8 MiB stack, a time limit, panics caught.

thread_local! {
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    static QUIET: RefCell<bool> = const { RefCell::new(false) };
}

/// Panics on a fuzzing thread are recorded (message and place), not printed; elsewhere the usual hook runs.
fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| *q.borrow()) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                PANIC.with(|p| *p.borrow_mut() = Some(format!("{place}: {message}")));
            } else {
                previous(info);
            }
        }));
    });
}

enum Verdict {
    Done(Outcome),
    Panicked(String),
}

fn run_case(
    bytes: &[u8],
    file: &Path,
    seed: &Seed,
    env: &Env,
    heavy: bool,
    timeout: Duration,
) -> Verdict {
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn_scoped(scope, || {
                QUIET.with(|q| *q.borrow_mut() = true);
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    pipeline(bytes, file, seed, env, heavy)
                }));
                let verdict = match result {
                    Ok(outcome) => Verdict::Done(outcome),
                    Err(_) => Verdict::Panicked(
                        PANIC
                            .with(|p| p.borrow_mut().take())
                            .unwrap_or_else(|| "panic".to_string()),
                    ),
                };
                let _ = tx.send(verdict);
            })
            .expect("spawn case thread");
        match rx.recv_timeout(timeout) {
            Ok(verdict) => {
                let _ = worker.join();
                verdict
            }
            Err(_) => {
                // A hang: report it and end the whole test process, since the thread cannot be stopped.
                let dir = crash_dir();
                let path = dir.join("hang.ron");
                let _ = std::fs::write(&path, bytes);
                eprintln!(
                    "fuzz: a case ran longer than {timeout:?}; input saved to {}",
                    path.display()
                );
                std::process::exit(101);
            }
        }
    })
}

fn crash_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-crashes");
    std::fs::create_dir_all(&dir).expect("crash dir");
    dir
}

/// Shrinks a panicking input while it still panics at the same place: whole lines first, then byte ranges.
fn shrink(bytes: &[u8], place: &str, file: &Path, seed: &Seed, env: &Env, heavy: bool) -> Vec<u8> {
    let same = |candidate: &[u8]| -> bool {
        matches!(
            run_case(candidate, file, seed, env, heavy, Duration::from_secs(60)),
            Verdict::Panicked(p) if p.split(": ").next() == place.split(": ").next()
        )
    };
    let mut best = bytes.to_vec();
    let mut tries = 0;
    let mut chunk = best.len() / 2;
    while chunk >= 1 && tries < 2000 {
        let mut i = 0;
        let mut progressed = false;
        while i < best.len() && tries < 2000 {
            let end = (i + chunk).min(best.len());
            let mut candidate = best[..i].to_vec();
            candidate.extend_from_slice(&best[end..]);
            tries += 1;
            if same(&candidate) {
                best = candidate;
                progressed = true;
            } else {
                i += chunk;
            }
        }
        if !progressed {
            chunk /= 2;
        }
    }
    best
}

#[derive(Default)]
struct Stats {
    cases: u64,
    loaded: u64,
    rendered: u64,
    heavy: u64,
    repeated: u64,
    soft_errors: std::collections::BTreeMap<String, u64>,
    slowest: (Duration, u64),
}

// ---------------------------------------------------------------------------------------------------------------
// The tests

/// The bounded fuzzing pass: a few seconds under `cargo test`, longer with `NAGARE_FUZZ_SECS`.
#[test]
fn fuzz_pipeline() {
    install_hook();
    let config = Config::from_env();
    let env = env();
    let corpus = load_corpus(&env);
    assert!(
        corpus.len() >= 8,
        "the seed corpus is models/ and tests/fixtures/"
    );
    let loading: Vec<usize> = (0..corpus.len())
        .filter(|&i| corpus[i].model.is_some())
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("case.ron");
    let started = Instant::now();
    let budget = Duration::from_secs(config.secs);
    let mut stats = Stats::default();
    let mut failures: Vec<String> = Vec::new();
    let cases: Box<dyn Iterator<Item = u64>> = match config.only {
        Some(n) => Box::new(std::iter::once(n)),
        None => Box::new(0..),
    };
    for case in cases {
        if config.only.is_none() {
            let over_time = config.cases.is_none() && started.elapsed() >= budget;
            if over_time || config.cases.is_some_and(|n| case >= n) || failures.len() >= 20 {
                break;
            }
        }
        let mut rng = case_rng(config.seed, case);
        // Three cases in four start from a seed that loads, so many mutants reach the rules and the drawing.
        let seed_idx = if !loading.is_empty() && !rng.chance(4) {
            *rng.pick(&loading)
        } else {
            rng.below(corpus.len())
        };
        let seed = &corpus[seed_idx];
        let bytes = mutant(seed_idx, &mut rng, &corpus);
        let heavy = case % config.heavy_every == 0;
        if config.only.is_some() {
            let path = crash_dir().join(format!("case-{case}.ron"));
            let _ = std::fs::write(&path, &bytes);
            eprintln!(
                "fuzz: case {case} from {}: {}",
                seed.path.display(),
                path.display()
            );
        }
        let t = Instant::now();
        let verdict = run_case(&bytes, &file, seed, &env, heavy, config.case_timeout);
        let took = t.elapsed();
        if took > stats.slowest.0 {
            stats.slowest = (took, case);
        }
        stats.cases += 1;
        stats.heavy += u64::from(heavy);
        let label = format!("case {case} (seed {})", seed.path.display());
        match verdict {
            Verdict::Done(outcome) => {
                stats.loaded += u64::from(outcome.loaded);
                stats.rendered += u64::from(outcome.rendered);
                for e in &outcome.soft_errors {
                    let kind: String = e.chars().take(60).collect();
                    *stats.soft_errors.entry(kind).or_default() += 1;
                }
                if !outcome.problems.is_empty() {
                    let path = crash_dir().join(format!("problem-{case}.ron"));
                    let _ = std::fs::write(&path, &bytes);
                    failures.push(format!(
                        "{label}: {}\n  input: {}",
                        outcome.problems.join("; "),
                        path.display()
                    ));
                }
                if case % 8 == 0 {
                    stats.repeated += 1;
                    match run_case(&bytes, &file, seed, &env, heavy, config.case_timeout) {
                        Verdict::Done(again) if again.digest == outcome.digest => {}
                        _ => {
                            let path = crash_dir().join(format!("nondeterministic-{case}.ron"));
                            let _ = std::fs::write(&path, &bytes);
                            failures.push(format!(
                                "{label}: a second run gave different output\n  input: {}",
                                path.display()
                            ));
                        }
                    }
                }
            }
            Verdict::Panicked(place) => {
                let small = shrink(&bytes, &place, &file, seed, &env, heavy);
                let path = crash_dir().join(format!("panic-{case}.ron"));
                let _ = std::fs::write(&path, &small);
                failures.push(format!(
                    "{label}: panic at {place}\n  input (shrunk from {} to {} bytes): {}",
                    bytes.len(),
                    small.len(),
                    path.display()
                ));
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "fuzz: seed {:#x}: {} cases in {secs:.1} s ({:.0}/s), {} loaded as models ({:.0} %), {} drawn, {} with png/pdf/xlsx, \
         {} run twice; slowest case {} took {:.2} s; {} failures",
        config.seed,
        stats.cases,
        stats.cases as f64 / secs.max(0.001),
        stats.loaded,
        100.0 * stats.loaded as f64 / stats.cases.max(1) as f64,
        stats.rendered,
        stats.heavy,
        stats.repeated,
        stats.slowest.1,
        stats.slowest.0.as_secs_f64(),
        failures.len(),
    );
    for (kind, n) in &stats.soft_errors {
        eprintln!("fuzz: refused (not a failure) {n}×: {kind}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every fixture of `tests/fixtures/fuzz/` (inputs the fuzzer once broke nagare with) goes through the whole
/// pipeline without a panic, with every error placed, twice with the same output.
#[test]
fn regressions() {
    install_hook();
    let env = env();
    let mut paths = Vec::new();
    ron_files(Path::new("tests/fixtures/fuzz"), &mut paths);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("case.ron");
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).expect("fixture");
        let loaded = model::load(path, &env.controls);
        let model = loaded.model.map(|m| {
            let findings = nagare::rules::engine::run(&m, &env.rules, env.today);
            (m, findings)
        });
        let seed = Seed {
            path: path.clone(),
            bytes: bytes.clone(),
            model,
        };
        let first = run_case(&bytes, &file, &seed, &env, true, Duration::from_secs(120));
        let second = run_case(&bytes, &file, &seed, &env, true, Duration::from_secs(120));
        match (first, second) {
            (Verdict::Done(a), Verdict::Done(b)) => {
                if !a.problems.is_empty() {
                    failures.push(format!("{}: {}", path.display(), a.problems.join("; ")));
                }
                if a.digest != b.digest {
                    failures.push(format!("{}: output differs between runs", path.display()));
                }
            }
            (Verdict::Panicked(p), _) | (_, Verdict::Panicked(p)) => {
                failures.push(format!("{}: panic at {p}", path.display()))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same seed and case number give the same input (so a case number in a report is enough to replay it).
#[test]
fn cases_are_reproducible() {
    let env = env();
    let corpus = load_corpus(&env);
    for case in 0..200 {
        let make = || {
            let mut rng = case_rng(1, case);
            let idx = rng.below(corpus.len());
            mutant(idx, &mut rng, &corpus)
        };
        assert_eq!(make(), make(), "case {case}");
    }
}

/// Issue 11's crash: a valid model with 30 000 nested groups overflowed the stack (exit 134). Generated here
/// rather than kept as a 600 KB fixture; it must load and go through the whole pipeline.
#[test]
fn deep_group_chain() {
    install_hook();
    let env = env();
    let n = 30_000;
    let mut groups: Vec<String> = (0..n)
        .map(|i| format!("\"g{i}\": [\"g{}\"]", i + 1))
        .collect();
    groups.push(format!("\"g{n}\": [\"氏名\"]"));
    let text = format!(
        "#![enable(implicit_some)]\nModel(\n    title: \"深い入れ子\",\n    items: {{ \"氏名\": () }},\n    groups: {{ {} }},\n    \
         parties: {{ \"本人\": (role: 本人), \"市\": (role: 実施機関) }},\n    \
         flows: [ (no: 1, from: \"本人\", to: \"市\", label: \"申請\", via: 紙, items: [\"g0\"]) ],\n)\n",
        groups.join(", ")
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("case.ron");
    let seed = Seed {
        path: file.clone(),
        bytes: Vec::new(),
        model: None,
    };
    match run_case(
        text.as_bytes(),
        &file,
        &seed,
        &env,
        false,
        Duration::from_secs(120),
    ) {
        Verdict::Done(outcome) => {
            assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
            assert!(
                outcome.loaded && outcome.rendered,
                "the chain is a valid model"
            );
        }
        Verdict::Panicked(p) => panic!("panic at {p}"),
    }
}
