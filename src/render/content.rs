//! What the diagram says, independent of where it goes: the nodes (systems, and parties drawn as boxes),
//! each node's card (【name】, segment tags, held items), each flow's label, the finding marks,
//! the title block and the legend. Both views lay these out.

use std::collections::BTreeMap;

use crate::itemset::ItemSet;
use crate::model::{Endpoint, ItemKind, Model, Role, SystemKind};
use crate::rules::engine::{Finding, Subject};

use super::font::Measurer;
use super::scene::{BoxKind, BoxShape, Owner, Rect, Scene, Text};
use super::theme::*;
use super::Changes;

/// A group of more items than this is one line on a card: 「・母子保健ファイル（307項目、別紙参照）」.
const GROUP_SUMMARY_OVER: usize = 12;

/// A line of text laid out relative to some origin.
#[derive(Clone, Debug)]
pub(crate) struct RelText {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub color: &'static str,
    pub text: String,
    pub width: f64,
    /// A 変更箇所: drawn bold and underlined.
    pub underline: bool,
}

impl RelText {
    /// The text placed with its origin at (x, y), kept inside `container`.
    pub(crate) fn at(&self, x: f64, y: f64, container: Option<usize>) -> Text {
        Text {
            x: x + self.x,
            y: y + self.y,
            size: self.size,
            color: self.color,
            text: self.text.clone(),
            width: self.width,
            container,
            title: false,
            underline: self.underline,
        }
    }
}

/// A block of lines, each with its own size and colour, stacked top-down.
#[derive(Clone, Debug, Default)]
pub(crate) struct Block {
    pub lines: Vec<RelText>,
    pub w: f64,
    pub h: f64,
}

impl Block {
    /// Appends `text` wrapped to `max` px.
    pub(crate) fn push(
        &mut self,
        m: &mut Measurer,
        text: &str,
        size: f64,
        color: &'static str,
        max: f64,
    ) {
        self.push_capped(m, text, size, color, max, usize::MAX);
    }

    pub(crate) fn push_capped(
        &mut self,
        m: &mut Measurer,
        text: &str,
        size: f64,
        color: &'static str,
        max: f64,
        max_lines: usize,
    ) {
        for line in m.wrap_capped(text, size, max, max_lines) {
            let width = m.width(&line, size);
            let top = if self.lines.is_empty() {
                0.0
            } else {
                self.h + (LEADING - 1.0) * size
            };
            self.lines.push(RelText {
                x: 0.0,
                y: top + super::font::ASCENT * size,
                size,
                color,
                text: line,
                width,
                underline: false,
            });
            self.h = top + size;
            self.w = self.w.max(width);
        }
    }

    /// Underlines the lines from `start` on (a 変更箇所).
    pub(crate) fn underline_from(&mut self, start: usize) {
        for l in self.lines.iter_mut().skip(start) {
            l.underline = true;
        }
    }

    /// Emits the block with its top-left corner at (x, y).
    pub(crate) fn emit(&self, scene: &mut Scene, x: f64, y: f64, container: Option<usize>) {
        for l in &self.lines {
            scene.texts.push(l.at(x, y, container));
        }
    }
}

/// How a subject stands with respect to findings.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mark {
    /// Codes of unaccepted findings.
    pub open: Vec<String>,
    /// Codes of accepted findings.
    pub accepted: Vec<String>,
    /// Added or changed since the version given with `--changes-from` (drawn with a thick line and underlined).
    pub changed: bool,
}

impl Mark {
    pub(crate) fn is_empty(&self) -> bool {
        self.open.is_empty() && self.accepted.is_empty()
    }
    /// The colour the subject is drawn in: red with open findings, muted if all are accepted.
    pub(crate) fn color(&self) -> Option<&'static str> {
        if !self.open.is_empty() {
            Some(ALERT)
        } else if !self.accepted.is_empty() {
            Some(ACCEPTED)
        } else {
            None
        }
    }
    /// 「指摘 TR001・SG002（受容済み: DC001）」
    pub(crate) fn text(&self) -> String {
        let mut out = String::from("指摘");
        if !self.open.is_empty() {
            out.push(' ');
            out.push_str(&self.open.join("・"));
        }
        if !self.accepted.is_empty() {
            if !self.open.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("（受容済み: {}）", self.accepted.join("・")));
        }
        out
    }
}

/// What a mark is drawn on: a flow's arrow, a system's card, or a party's lane header and box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Marked {
    Flow(usize),
    System(usize),
    Party(usize),
}

impl Marked {
    /// Where a finding's typed subject is drawn, if it is drawn at all (items and acceptances are not).
    pub(crate) fn of(model: &Model, subject: Subject) -> Option<Marked> {
        match subject {
            Subject::Flow(f) => Some(Marked::Flow(f)),
            Subject::System(s) => Some(Marked::System(s)),
            Subject::Party(p) => Some(Marked::Party(p)),
            Subject::Declared(d) => model.declared.get(d).map(|d| Marked::Party(d.party)),
            Subject::Item(_) | Subject::Acceptance(_) => None,
        }
    }
}

/// Findings indexed by the typed subject they are about.
#[derive(Default)]
pub(crate) struct Marks {
    by_subject: BTreeMap<Marked, Mark>,
    /// What changed since an earlier version (`render --changes-from`), resolved to drawn subjects.
    changed: std::collections::BTreeSet<Marked>,
    changes: Option<Changes>,
}

impl Marks {
    pub(crate) fn new(model: &Model, findings: &[Finding], highlight: bool) -> Self {
        let mut marks = Marks::default();
        if !highlight {
            return marks;
        }
        for f in findings {
            let Some(at) = f.target.and_then(|t| Marked::of(model, t)) else {
                continue;
            };
            let mark = marks.by_subject.entry(at).or_default();
            let list = if f.accepted.is_some() {
                &mut mark.accepted
            } else {
                &mut mark.open
            };
            if !list.iter().any(|c| **c == *f.code) {
                list.push(f.code.to_string());
            }
        }
        marks
    }

    /// Marks what changed since an earlier version, too.
    pub(crate) fn with_changes(mut self, model: &Model, changes: Option<&Changes>) -> Self {
        if let Some(c) = changes {
            for (p, party) in model.parties.iter().enumerate() {
                if c.parties.contains(&party.name) {
                    self.changed.insert(Marked::Party(p));
                }
            }
            for (k, system) in model.systems.iter().enumerate() {
                if c.systems.contains(&system.name) {
                    self.changed.insert(Marked::System(k));
                }
            }
            for (f, flow) in model.flows.iter().enumerate() {
                if c.flows.contains(&flow.no.id()) {
                    self.changed.insert(Marked::Flow(f));
                }
            }
        }
        self.changes = changes.cloned();
        self
    }

    pub(crate) fn get(&self, at: Marked) -> Mark {
        let mut mark = self.by_subject.get(&at).cloned().unwrap_or_default();
        mark.changed = self.changed.contains(&at);
        mark
    }

    pub(crate) fn flow(&self, f: usize) -> Mark {
        self.get(Marked::Flow(f))
    }

    /// What changed since the earlier version, for the legend.
    pub(crate) fn changes(&self) -> Option<&Changes> {
        self.changes.as_ref()
    }

    /// Item names added or changed since the earlier version (underlined on the cards).
    pub(crate) fn changed_items(&self) -> std::collections::BTreeSet<String> {
        self.changes
            .as_ref()
            .map(|c| c.items.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub(crate) fn node(&self, node: Endpoint) -> Mark {
        match node {
            Endpoint::System(s) => self.get(Marked::System(s)),
            Endpoint::Party(p) => self.get(Marked::Party(p)),
        }
    }
}

/// The boxes of the diagram: every system, and each party that has no system or is itself an end of a flow.
pub(crate) fn nodes(model: &Model) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for (p, _) in model.parties.iter().enumerate() {
        let has_systems = model.systems.iter().any(|s| s.party == p);
        let is_end = model
            .flows
            .iter()
            .any(|f| f.from == Endpoint::Party(p) || f.to == Endpoint::Party(p));
        if !has_systems || is_end {
            out.push(Endpoint::Party(p));
        }
        out.extend(
            model
                .systems
                .iter()
                .enumerate()
                .filter(|(_, s)| s.party == p)
                .map(|(i, _)| Endpoint::System(i)),
        );
    }
    out
}

/// A node's card laid out for a given width: texts and tags relative to the card's top-left corner.
#[derive(Clone, Debug)]
pub(crate) struct Card {
    /// What the card stands for (its group and id in the written drawing).
    pub node: Endpoint,
    pub w: f64,
    pub h: f64,
    pub texts: Vec<RelText>,
    /// Tag rectangles (relative) with their fill; their text is in `tag_texts` at the same index.
    pub tags: Vec<(Rect, &'static str)>,
    pub tag_texts: Vec<RelText>,
    pub stroke: Option<&'static str>,
    /// Added or changed since the earlier version: a thick outline.
    pub changed: bool,
    pub person: bool,
    /// The system runs on another party's infrastructure (`host`): drawn as a dashed frame around the card.
    pub hosted: bool,
}

pub(crate) const CARD_PAD: f64 = 9.0;
/// How far a host's dashed frame sits outside the card it hosts.
const HOST_FRAME: f64 = 4.0;
const TAG_H: f64 = 17.0;
const TAG_PAD: f64 = 5.0;
const TOKEN_GAP: f64 = 8.0;

/// The natural (unwrapped) width a node's card would like, for choosing a lane's card width.
pub(crate) fn card_natural_width(model: &Model, node: Endpoint, m: &mut Measurer) -> f64 {
    let title = node_title(model, node);
    let title = m.clean(&title);
    let mut w = m.width(&title, NODE_TITLE_SIZE);
    for (tag, _) in node_tags(model, node) {
        w = w.max(m.width(&tag, TAG_SIZE) + 2.0 * TAG_PAD);
    }
    w + 2.0 * CARD_PAD
}

/// 【name】 for a system, the display name for a party.
pub(crate) fn node_title(model: &Model, node: Endpoint) -> String {
    match node {
        Endpoint::System(s) => format!("【{}】", model.systems[s].display()),
        Endpoint::Party(p) => model.parties[p].display().to_string(),
    }
}

fn node_tags(model: &Model, node: Endpoint) -> Vec<(String, &'static str)> {
    let mut tags = Vec::new();
    if let Endpoint::System(s) = node {
        let sys = &model.systems[s];
        if let Some(seg) = sys.segment {
            tags.push((seg.ja().replace('_', "-"), segment_fill(seg)));
        }
        if let Some(h) = sys.hosting {
            tags.push((h.ja().to_string(), HOSTING_FILL));
        }
        if sys.kind != SystemKind::Business {
            tags.push((sys.kind.ja().to_string(), KIND_FILL));
        }
    }
    tags
}

/// The items a system holds (or, if it stores nothing, the items that reach it), as display sections.
fn node_sections(model: &Model, node: Endpoint) -> Vec<(Option<String>, ItemSet)> {
    match node {
        Endpoint::System(s) => {
            let sys = &model.systems[s];
            if !sys.stores.set.is_empty() {
                let mut sections = Vec::new();
                let mut loose = ItemSet::default();
                for w in &sys.stores.written {
                    if let Some(g) = model.groups.iter().find(|g| &g.name == w) {
                        sections.push((Some(g.name.clone()), g.items.clone()));
                    } else if let Some(i) = model.items.iter().position(|i| &i.name == w) {
                        loose.insert(i);
                    }
                }
                if !loose.is_empty() {
                    sections.push((
                        if sections.is_empty() {
                            None
                        } else {
                            Some("その他".to_string())
                        },
                        loose,
                    ));
                }
                return sections;
            }
            let mut received = ItemSet::default();
            for f in model.flows.iter().filter(|f| f.to == node) {
                received.union_with(&f.items.set);
            }
            if received.is_empty() {
                Vec::new()
            } else {
                vec![(Some("受け取る情報".to_string()), received)]
            }
        }
        Endpoint::Party(_) => Vec::new(),
    }
}

/// Lays out a node's card at width `w`.
/// `max_items` items are listed before the rest is summarised as 「ほか N 項目」; items in `marks_items` (changed
/// since an earlier version) are underlined.
pub(crate) fn card(
    model: &Model,
    node: Endpoint,
    mark: &Mark,
    marks_items: &std::collections::BTreeSet<String>,
    w: f64,
    max_items: usize,
    m: &mut Measurer,
) -> Card {
    let inner = w - 2.0 * CARD_PAD;
    let mut texts = Vec::new();
    let mut y = CARD_PAD;
    let mut block = Block::default();
    // 「デジタル庁の基盤上（ガバメントクラウド）」 above the name of a system that runs on another party's infrastructure.
    let host = match node {
        Endpoint::System(s) => model.systems[s].host,
        Endpoint::Party(_) => None,
    };
    if let Some(h) = host.and_then(|h| model.parties.get(h)) {
        let hosting = match node {
            Endpoint::System(s) => model.systems[s]
                .hosting
                .map_or(String::new(), |x| format!("（{}）", x.ja())),
            Endpoint::Party(_) => String::new(),
        };
        block.push(
            m,
            &format!("{}の基盤上{hosting}", h.display()),
            SMALL_SIZE,
            HOST_INK,
            inner,
        );
    }
    block.push(
        m,
        &node_title(model, node),
        NODE_TITLE_SIZE,
        mark.color().unwrap_or(INK),
        inner,
    );
    if mark.changed {
        block.underline_from(0);
    }
    if let Endpoint::Party(p) = node {
        if model.parties[p].role == Role::Subject {
            if let Some(subjects) = &model.subjects {
                let mut line = subjects.label.clone();
                if let Some(n) = subjects.count {
                    line.push_str(&format!("（約{n}人）"));
                } else if let Some(r) = &subjects.range {
                    line.push_str(&format!("（{r}）"));
                }
                block.push(m, &line, SMALL_SIZE, MUTED, inner);
            }
        }
    }
    place(&mut texts, &block, CARD_PAD, y);
    y += block.h;
    // Tags in a row, wrapping.
    let mut tags = Vec::new();
    let mut tag_texts = Vec::new();
    let tag_list = node_tags(model, node);
    if !tag_list.is_empty() {
        y += 6.0;
        let mut x = CARD_PAD;
        for (label, fill) in tag_list {
            let lines = m.wrap(&label, TAG_SIZE, inner - 2.0 * TAG_PAD);
            let tw = lines
                .iter()
                .map(|l| m.width(l, TAG_SIZE))
                .fold(0.0, f64::max)
                + 2.0 * TAG_PAD;
            if x > CARD_PAD && x + tw > CARD_PAD + inner {
                x = CARD_PAD;
                y += TAG_H + 4.0;
            }
            let h = TAG_H + (lines.len().max(1) - 1) as f64 * TAG_SIZE * LEADING;
            tags.push((Rect::new(x, y, tw, h), fill));
            for (k, line) in lines.iter().enumerate() {
                let width = m.width(line, TAG_SIZE);
                tag_texts.push(RelText {
                    x: x + TAG_PAD,
                    y: y + 12.5 + k as f64 * TAG_SIZE * LEADING,
                    size: TAG_SIZE,
                    color: INK,
                    text: line.clone(),
                    width,
                    underline: false,
                });
            }
            x += tw + 5.0;
            if lines.len() > 1 {
                x = CARD_PAD;
                y += h - TAG_H;
            }
        }
        y += TAG_H;
    }
    if !mark.is_empty() {
        let mut b = Block::default();
        b.push(
            m,
            &mark.text(),
            SMALL_SIZE,
            mark.color().unwrap_or(ALERT),
            inner,
        );
        y += 5.0;
        place(&mut texts, &b, CARD_PAD, y);
        y += b.h;
    }
    // Items.
    let mut shown = 0;
    let mut hidden = 0;
    for (heading, set) in node_sections(model, node) {
        let mut tokens = Vec::new();
        // A big group is named with its size, not listed: the 別紙 lists it.
        if let Some(h) = heading
            .as_ref()
            .filter(|h| model.groups.iter().any(|g| &g.name == *h))
        {
            if set.len() > GROUP_SUMMARY_OVER {
                if shown >= max_items {
                    hidden += set.len();
                    continue;
                }
                shown += 1;
                let line = format!("・{h}（{}項目、別紙参照）", set.len());
                y += 4.0;
                y = pack_tokens(
                    &mut texts,
                    m,
                    &[(line, INK, false)],
                    (CARD_PAD, y),
                    inner,
                    BODY_SIZE,
                );
                continue;
            }
        }
        for i in set.iter() {
            let Some(item) = model.items.get(i) else {
                continue;
            };
            if shown >= max_items {
                hidden += 1;
                continue;
            }
            shown += 1;
            let (suffix, color) = match item.kind {
                ItemKind::General => ("", INK),
                ItemKind::Sensitive => ("※", SENSITIVE_INK),
                ItemKind::MyNumber => ("◎", SENSITIVE_INK),
            };
            tokens.push((
                format!("・{}{suffix}", item.name),
                color,
                marks_items.contains(&item.name),
            ));
        }
        // A group whose items are all past the cap is counted in 「ほか N 項目」 without its heading.
        if tokens.is_empty() {
            continue;
        }
        if let Some(h) = heading {
            let mut b = Block::default();
            b.push(m, &h, SMALL_SIZE, MUTED, inner);
            y += 7.0;
            place(&mut texts, &b, CARD_PAD, y);
            y += b.h;
        }
        {
            y += 4.0;
            y = pack_tokens(&mut texts, m, &tokens, (CARD_PAD, y), inner, BODY_SIZE);
        }
    }
    if hidden > 0 {
        let mut b = Block::default();
        b.push(m, &format!("ほか {hidden} 項目"), SMALL_SIZE, MUTED, inner);
        y += 3.0;
        place(&mut texts, &b, CARD_PAD, y);
        y += b.h;
    }
    // What the paper says must never reach the system, and who runs it together with its party.
    if let Endpoint::System(sid) = node {
        let sys = &model.systems[sid];
        let mut b = Block::default();
        if !sys.excludes.written.is_empty() {
            b.push(
                m,
                &format!("持たない項目: {}", sys.excludes.written.join("、")),
                SMALL_SIZE,
                SENSITIVE_INK,
                inner,
            );
        }
        let joint: Vec<&str> = sys
            .joint
            .iter()
            .filter_map(|&p| model.parties.get(p))
            .map(|p| p.display())
            .collect();
        if !joint.is_empty() {
            b.push(
                m,
                &format!("共同運営: {}", joint.join("・")),
                SMALL_SIZE,
                HOST_INK,
                inner,
            );
        }
        if !b.lines.is_empty() {
            y += 5.0;
            place(&mut texts, &b, CARD_PAD, y);
            y += b.h;
        }
    }
    Card {
        node,
        w,
        h: y + CARD_PAD,
        texts,
        tags,
        tag_texts,
        stroke: mark.color(),
        changed: mark.changed,
        person: matches!(node, Endpoint::Party(p) if model.parties[p].role == Role::Subject),
        hosted: host.is_some(),
    }
}

fn place(texts: &mut Vec<RelText>, block: &Block, x: f64, y: f64) {
    for l in &block.lines {
        let mut l = l.clone();
        l.x += x;
        l.y += y;
        texts.push(l);
    }
}

/// Packs 「・氏名」-style tokens into lines of at most `max` px, several to a line where they fit;
/// returns the y below the last line.
fn pack_tokens(
    texts: &mut Vec<RelText>,
    m: &mut Measurer,
    tokens: &[(String, &'static str, bool)],
    (x0, y0): (f64, f64),
    max: f64,
    size: f64,
) -> f64 {
    let pitch = size * LEADING;
    let mut x = x0;
    let mut line = 0usize;
    let mut used_line = false;
    for (token, color, underline) in tokens {
        // A token too long for one line wraps with its continuation lines indented past the 「・」.
        let mut lines: Vec<(f64, String)> = m
            .wrap(token, size, max)
            .into_iter()
            .map(|l| (0.0, l))
            .collect();
        if lines.len() > 1 && token.starts_with('・') {
            let indent = m.width("・", size);
            let first = lines[0].1.clone();
            let rest = m
                .clean(token)
                .get(first.len()..)
                .unwrap_or_default()
                .trim()
                .to_string();
            lines.truncate(1);
            lines.extend(
                m.wrap(&rest, size, max - indent)
                    .into_iter()
                    .map(|l| (indent, l)),
            );
        }
        let w = lines
            .iter()
            .map(|(dx, l)| dx + m.width(l, size))
            .fold(0.0, f64::max);
        if lines.len() > 1 || x > x0 && x + w > x0 + max {
            if used_line {
                line += 1;
            }
            x = x0;
        }
        for (k, (dx, l)) in lines.iter().enumerate() {
            texts.push(RelText {
                x: x + dx,
                y: y0 + (line + k) as f64 * pitch + super::font::ASCENT * size,
                size,
                color,
                text: l.clone(),
                width: m.width(l, size),
                underline: *underline,
            });
        }
        used_line = true;
        if lines.len() > 1 {
            line += lines.len();
            used_line = false;
            x = x0;
        } else {
            x += w + TOKEN_GAP;
        }
    }
    let rows = if used_line { line + 1 } else { line };
    y0 + rows as f64 * pitch - (LEADING - 1.0) * size
}

impl Block {
    /// Appends 「・a　・b」 tokens packed several to a line, at most `cap` of them, then 「ほか N 件」.
    pub(crate) fn push_tokens(
        &mut self,
        m: &mut Measurer,
        tokens: &[String],
        size: f64,
        color: &'static str,
        max: f64,
        cap: usize,
    ) {
        if tokens.is_empty() {
            return;
        }
        let mut list: Vec<(String, &'static str, bool)> = tokens
            .iter()
            .take(cap)
            .map(|t| (format!("・{t}"), color, false))
            .collect();
        if tokens.len() > cap {
            list.push((format!("ほか {} 件", tokens.len() - cap), MUTED, false));
        }
        let top = if self.lines.is_empty() {
            0.0
        } else {
            self.h + (LEADING - 1.0) * size
        };
        let mut texts = Vec::new();
        let bottom = pack_tokens(&mut texts, m, &list, (0.0, top), max, size);
        for t in texts {
            self.w = self.w.max(t.x + t.width);
            self.lines.push(t);
        }
        self.h = bottom;
    }
}

/// A flow's label: ① label（kind） / 【network】 経由 relays / controls / items or 情報項目は記載なし / finding codes.
pub(crate) fn flow_label(
    model: &Model,
    f: usize,
    mark: &Mark,
    max: f64,
    m: &mut Measurer,
) -> Block {
    let flow = &model.flows[f];
    let mut b = Block::default();
    let color = mark.color().unwrap_or(INK);
    // An arrow that is not a data transfer says what it is (接続・制御・物・役務・報告).
    let kind = if flow.is_data() {
        String::new()
    } else {
        format!("（{}）", flow.kind.ja())
    };
    b.push(
        m,
        &format!("{} {}{kind}", flow.no.mark(), flow.label),
        LABEL_SIZE,
        color,
        max,
    );
    if mark.changed {
        b.underline_from(0);
    }
    let relays: Vec<&str> = flow
        .through
        .iter()
        .map(|&e| model.endpoint_name(e))
        .collect();
    let route = match (flow.via.is_empty(), relays.is_empty()) {
        (true, true) => String::new(),
        (false, true) => flow.via_label(),
        (true, false) => format!("経由: {}", relays.join("・")),
        (false, false) => format!("{} 経由: {}", flow.via_label(), relays.join("・")),
    };
    if !route.is_empty() {
        b.push(m, &route, SMALL_SIZE, NETWORK_INK, max);
    }
    if !flow.controls.written.is_empty() {
        b.push(
            m,
            &flow.controls.written.join("・"),
            SMALL_SIZE,
            CONTROL_INK,
            max,
        );
    }
    if !flow.items.written.is_empty() {
        // A group is named with its size: 〔母子保健ファイル（307項目）〕.
        let names: Vec<String> = flow
            .items
            .written
            .iter()
            .map(|w| match model.groups.iter().find(|g| &g.name == w) {
                Some(g) => format!("{w}（{}項目）", g.items.len()),
                None => w.clone(),
            })
            .collect();
        b.push_capped(
            m,
            &format!("〔{}〕", names.join("、")),
            SMALL_SIZE,
            MUTED,
            max,
            2,
        );
    } else if flow.is_data() && flow.items_unstated() {
        b.push(m, "〔情報項目は資料に記載なし〕", SMALL_SIZE, MUTED, max);
    }
    if !mark.is_empty() {
        b.push(m, &mark.text(), SMALL_SIZE, color, max);
    }
    b
}

/// True if any card lists a 要配慮 or 個人番号 item (then the title block explains ※ and ◎).
fn has_special_items(model: &Model) -> (bool, bool) {
    let mut sensitive = false;
    let mut mynumber = false;
    for node in nodes(model) {
        for (_, set) in node_sections(model, node) {
            for i in set.iter() {
                match model.items.get(i).map(|i| i.kind) {
                    Some(ItemKind::Sensitive) => sensitive = true,
                    Some(ItemKind::MyNumber) => mynumber = true,
                    _ => {}
                }
            }
        }
    }
    (sensitive, mynumber)
}

/// What a page adds to the title block.
#[derive(Clone, Debug, Default)]
pub(crate) struct TitleExtra {
    /// 「1/3ページ　流れ①〜④」, after the title.
    pub page: Option<String>,
    /// Lines under the metadata (what continues where, what is not drawn).
    pub notes: Vec<String>,
    /// A continuation page: the title and the notes only, without 担当・事務・対象 and the key.
    pub compact: bool,
}

/// Draws the title block across `w` px at (x, y); returns its height.
pub(crate) fn title_block(
    scene: &mut Scene,
    model: &Model,
    extra: &TitleExtra,
    x: f64,
    y: f64,
    w: f64,
    m: &mut Measurer,
) -> f64 {
    let pad = 12.0;
    // 資料番号 in a frame at the right.
    let doc = model
        .document
        .as_deref()
        .map(|d| m.clean(d))
        .filter(|d| !d.is_empty());
    let doc_w = doc
        .as_ref()
        .map_or(0.0, |d| m.width(d, DOC_SIZE).min(w * 0.3) + 2.0 * 10.0);
    let text_w = (w - 2.0 * pad - if doc_w > 0.0 { doc_w + 12.0 } else { 0.0 }).max(120.0);
    let mut title = Block::default();
    let page = extra
        .page
        .as_ref()
        .map_or(String::new(), |p| format!("（{p}）"));
    title.push(
        m,
        &format!("{}　個人情報の流れ{page}", model.title),
        TITLE_SIZE,
        INK,
        text_w,
    );
    let mut meta = Block::default();
    let mut parts = Vec::new();
    if let Some(o) = &model.owner {
        parts.push(format!("担当: {o}"));
    }
    if let Some(wk) = &model.work {
        parts.push(format!("事務: {wk}"));
    }
    if let Some(s) = &model.subjects {
        let mut t = format!("対象: {}", s.label);
        if let Some(n) = s.count {
            t.push_str(&format!("（約{n}人）"));
        } else if let Some(r) = &s.range {
            t.push_str(&format!("（{r}）"));
        }
        parts.push(t);
    }
    if extra.compact {
        parts.clear();
    }
    for p in &parts {
        meta.push(m, p, META_SIZE, MUTED, text_w);
    }
    let mut key = Vec::new();
    let (sensitive, mynumber) = has_special_items(model);
    if sensitive {
        key.push("※ 要配慮個人情報");
    }
    if mynumber {
        key.push("◎ 個人番号");
    }
    key.push("実線: 通信回線　破線: 紙・郵送・電話等　点線: 経路の記載なし");
    if !extra.compact {
        meta.push(m, &key.join("　"), SMALL_SIZE, MUTED, text_w);
    }
    for note in &extra.notes {
        meta.push(m, note, META_SIZE, INK, text_w);
    }
    let doc_block = doc.as_ref().map(|d| {
        let mut b = Block::default();
        b.push(m, d, DOC_SIZE, INK, doc_w - 20.0);
        b
    });
    let meta_gap = if meta.lines.is_empty() { 0.0 } else { 8.0 };
    let h = pad + title.h + meta_gap + meta.h + pad;
    let h = h.max(doc_block.as_ref().map_or(0.0, |b| b.h + 2.0 * pad + 8.0));
    let frame = scene.boxes.len();
    scene.boxes.push(BoxShape {
        rect: Rect::new(x, y, w, h),
        kind: BoxKind::Title,
        fill: Some(TITLE_FILL),
        stroke: Some(TITLE_STROKE),
        stroke_width: 1.0,
        dashed: false,
        radius: 4.0,
        parent: None,
    });
    let start = scene.texts.len();
    title.emit(scene, x + pad, y + pad, Some(frame));
    for t in &mut scene.texts[start..] {
        t.title = true;
    }
    meta.emit(scene, x + pad, y + pad + title.h + 8.0, Some(frame));
    if let Some(b) = doc_block {
        let bx = x + w - pad - doc_w;
        let by = y + pad;
        let doc_box = scene.boxes.len();
        scene.boxes.push(BoxShape {
            rect: Rect::new(bx, by, doc_w, b.h + 12.0),
            kind: BoxKind::Frame,
            fill: Some(WHITE),
            stroke: Some(INK),
            stroke_width: 1.2,
            dashed: false,
            radius: 0.0,
            parent: Some(frame),
        });
        b.emit(scene, bx + 10.0, by + 6.0, Some(doc_box));
    }
    h
}

/// Closes a view: the legends `gap` below `bottom` (findings when highlighting, then the 変更箇所 when drawing
/// changes), then a canvas tight to the content.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    scene: &mut Scene,
    findings: &[&Finding],
    highlight: bool,
    changes: Option<&Changes>,
    bottom: f64,
    gap: f64,
    total_w: f64,
    m: &mut Measurer,
) {
    let mut bottom = bottom;
    let legend_top = bottom + gap;
    let legend_h = legend(scene, findings, highlight, MARGIN, legend_top, total_w, m);
    if legend_h > 0.0 {
        bottom = legend_top + legend_h;
    }
    if let Some(changes) = changes {
        let top = bottom + gap;
        bottom = top + changes_legend(scene, changes, MARGIN, top, total_w, m);
    }
    scene.width = (MARGIN + total_w + MARGIN).ceil();
    scene.height = (bottom + MARGIN).ceil();
}

/// 「太線・下線: 変更箇所（…からの追加・変更）」 and what the earlier version had that this one no longer has.
fn changes_legend(
    scene: &mut Scene,
    changes: &Changes,
    x: f64,
    y: f64,
    w: f64,
    m: &mut Measurer,
) -> f64 {
    let pad = 12.0;
    let inner = w - 2.0 * pad;
    let mut b = Block::default();
    let since = if changes.since.is_empty() {
        String::new()
    } else {
        format!("（{}からの追加・変更）", changes.since)
    };
    b.push(
        m,
        &format!("太線・下線: 変更箇所{since}"),
        BODY_SIZE,
        INK,
        inner,
    );
    b.underline_from(0);
    if changes.is_empty() {
        b.push(m, "変更なし", SMALL_SIZE, MUTED, inner);
    }
    if !changes.items.is_empty() {
        let names: Vec<&str> = changes.items.iter().map(String::as_str).collect();
        b.push(
            m,
            &format!("追加・変更した情報項目: {}", names.join("、")),
            SMALL_SIZE,
            INK,
            inner,
        );
    }
    if !changes.removed.is_empty() {
        b.push(
            m,
            &format!("削除（図にないもの）: {}", changes.removed.join("、")),
            SMALL_SIZE,
            INK,
            inner,
        );
    }
    if !changes.unmarked.is_empty() {
        b.push(
            m,
            &format!("図に印のない変更: {}", changes.unmarked.join("、")),
            SMALL_SIZE,
            INK,
            inner,
        );
    }
    let h = pad + b.h + pad;
    let frame = scene.boxes.len();
    scene.boxes.push(BoxShape {
        rect: Rect::new(x, y, w, h),
        kind: BoxKind::Legend,
        fill: Some(WHITE),
        stroke: Some(INK),
        stroke_width: CHANGED_WIDTH,
        dashed: false,
        radius: 4.0,
        parent: None,
    });
    b.emit(scene, x + pad, y + pad, Some(frame));
    h
}

/// The finding codes and titles (all findings, drawn or not). Returns the legend's height (0 if none).
pub(crate) fn legend(
    scene: &mut Scene,
    findings: &[&Finding],
    highlight: bool,
    x: f64,
    y: f64,
    w: f64,
    m: &mut Measurer,
) -> f64 {
    if !highlight || findings.is_empty() {
        return 0.0;
    }
    let pad = 12.0;
    // code → (title, severity, open count, accepted count)
    let mut codes: BTreeMap<&str, (&str, &str, usize, usize)> = BTreeMap::new();
    for f in findings {
        let e = codes
            .entry(&*f.code)
            .or_insert((&*f.title, f.severity.ja(), 0, 0));
        if f.accepted.is_some() {
            e.3 += 1;
        } else {
            e.2 += 1;
        }
    }
    let mut head = Block::default();
    head.push(
        m,
        "指摘の凡例（赤: 未対応の指摘、茶: 受容済み）",
        BODY_SIZE,
        INK,
        w - 2.0 * pad,
    );
    // Two columns if wide enough.
    let cols = if w > 900.0 { 2 } else { 1 };
    let col_w = (w - 2.0 * pad - (cols - 1) as f64 * 16.0) / cols as f64;
    let mut blocks = Vec::new();
    for (code, (title, sev, open, accepted)) in &codes {
        let mut b = Block::default();
        let mut text = format!("{code}［{sev}］{title}");
        if *open > 1 || *accepted > 0 {
            text.push_str(&format!("（{}件", open + accepted));
            if *accepted > 0 {
                text.push_str(&format!("、うち受容済み{accepted}件"));
            }
            text.push('）');
        }
        b.push(
            m,
            &text,
            SMALL_SIZE,
            if *open > 0 { ALERT } else { ACCEPTED },
            col_w,
        );
        blocks.push(b);
    }
    let per_col = blocks.len().div_ceil(cols);
    let mut col_heights = vec![0.0f64; cols];
    for (k, b) in blocks.iter().enumerate() {
        let c = k / per_col.max(1);
        col_heights[c] += b.h + 4.0;
    }
    let body_h = col_heights.iter().copied().fold(0.0, f64::max);
    let h = pad + head.h + 8.0 + body_h + pad;
    let frame = scene.boxes.len();
    scene.boxes.push(BoxShape {
        rect: Rect::new(x, y, w, h),
        kind: BoxKind::Legend,
        fill: Some(ALERT_FILL),
        stroke: Some(ALERT),
        stroke_width: 1.0,
        dashed: false,
        radius: 4.0,
        parent: None,
    });
    head.emit(scene, x + pad, y + pad, Some(frame));
    let mut cy = vec![y + pad + head.h + 8.0; cols];
    for (k, b) in blocks.iter().enumerate() {
        let c = k / per_col.max(1);
        b.emit(
            scene,
            x + pad + c as f64 * (col_w + 16.0),
            cy[c],
            Some(frame),
        );
        cy[c] += b.h + 4.0;
    }
    h
}

/// Pushes a card's box, tags and texts into the scene at (x, y); returns the card box index.
pub(crate) fn emit_card(
    scene: &mut Scene,
    card: &Card,
    x: f64,
    y: f64,
    h: f64,
    parent: Option<usize>,
) -> usize {
    let owner = match card.node {
        Endpoint::Party(p) => Owner::Party(p),
        Endpoint::System(s) => Owner::System(s),
    };
    if card.hosted {
        // The host's frame, just outside the card (inside the lane's padding).
        scene.owners.boxes.insert(scene.boxes.len(), owner);
        scene.boxes.push(BoxShape {
            rect: Rect::new(x, y, card.w, h).inflate(HOST_FRAME, HOST_FRAME),
            kind: BoxKind::Frame,
            fill: None,
            stroke: Some(HOST_INK),
            stroke_width: 1.2,
            dashed: true,
            radius: 5.0,
            parent,
        });
    }
    let idx = scene.boxes.len();
    scene.owners.boxes.insert(idx, owner);
    scene.boxes.push(BoxShape {
        rect: Rect::new(x, y, card.w, h),
        kind: BoxKind::Node,
        fill: Some(WHITE),
        stroke: Some(
            card.stroke
                .unwrap_or(if card.changed { INK } else { NODE_STROKE }),
        ),
        stroke_width: if card.changed {
            CHANGED_WIDTH
        } else if card.stroke.is_some() {
            2.2
        } else {
            1.3
        },
        dashed: false,
        radius: if card.person { 14.0 } else { 3.0 },
        parent,
    });
    for t in &card.texts {
        scene.texts.push(t.at(x, y, Some(idx)));
    }
    let mut tag_boxes = Vec::new();
    for (r, fill) in &card.tags {
        tag_boxes.push(scene.boxes.len());
        scene.boxes.push(BoxShape {
            rect: r.translate(x, y),
            kind: BoxKind::Tag,
            fill: Some(fill),
            stroke: Some(TITLE_STROKE),
            stroke_width: 0.6,
            dashed: false,
            radius: 8.0,
            parent: Some(idx),
        });
    }
    for t in &card.tag_texts {
        let container = card
            .tags
            .iter()
            .position(|(r, _)| t.x >= r.x && t.x <= r.right() && t.y >= r.y && t.y <= r.bottom())
            .map(|k| tag_boxes[k]);
        scene.texts.push(t.at(x, y, container.or(Some(idx))));
    }
    idx
}

/// Names every subject the scene's boxes, texts and arrows stand for, and each arrow's ends, from the model:
/// what the SVG writer puts in `data-name` and `<title>` (so a clerk editing the file sees what a group is), and
/// the boxes each arrow joins (draw.io's `source` and `target`).
pub(crate) fn name_owners(scene: &mut Scene, model: &Model) {
    let mut owners: Vec<Owner> = scene
        .owners
        .boxes
        .values()
        .chain(scene.owners.texts.values())
        .copied()
        .collect();
    owners.extend(
        scene
            .connectors
            .iter()
            .filter_map(|c| c.flow)
            .map(Owner::Flow),
    );
    let drawn: std::collections::BTreeSet<Owner> = scene.owners.boxes.values().copied().collect();
    let box_of = |e: Endpoint| match e {
        Endpoint::System(s) => Owner::System(s),
        // A party with no card of its own is its lane.
        Endpoint::Party(p) if drawn.contains(&Owner::Party(p)) => Owner::Party(p),
        Endpoint::Party(p) => Owner::Lane(p),
    };
    let mut ends = BTreeMap::new();
    for f in scene.connectors.iter().filter_map(|c| c.flow) {
        if let Some(flow) = model.flows.get(f) {
            ends.insert(f, (box_of(flow.from), box_of(flow.to)));
        }
    }
    let mut names = BTreeMap::new();
    for o in owners {
        let name = match o {
            Owner::Lane(p) | Owner::Party(p) => {
                model.parties.get(p).map(|x| x.display().to_string())
            }
            Owner::System(s) => model.systems.get(s).map(|x| x.display().to_string()),
            Owner::Flow(f) => model.flows.get(f).map(|x| {
                format!(
                    "{} {}（{} → {}）",
                    x.no,
                    x.label,
                    model.endpoint_name(x.from),
                    model.endpoint_name(x.to)
                )
            }),
        };
        if let Some(name) = name {
            // A name goes into XML attributes: control characters (never drawn, not allowed in XML) become spaces.
            let name: String = name
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            names.insert(o, name);
        }
    }
    scene.owners.names = names;
    scene.owners.ends = ends;
}
