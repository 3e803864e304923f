//! The committee packet (`nagare report`): one [`Document`] built from a model, its findings and the diagram, with
//! the header of the 別紙, the 別紙 tables as a clerk fills them (one row per 相手方), the flows, the declared-vs-actual
//! matrix (party × item), the findings by severity, the accepted findings with their decision and the
//! 情報保護対策チェックリスト (○ / 「－」 with the reason) for the body and each 相手方.
//!
//! Nothing is invented: a header field the model does not have is left out, and a field the paper leaves open
//! (`unstated`) reads 「資料に記載なし」. The document is written by [`crate::office`] as HTML, xlsx or Markdown, or as
//! JSON (serde of the document); the same model gives the same bytes in every format.

use std::collections::BTreeSet;
use std::path::Path;

use crate::controls::Catalogue;
use crate::itemset::ItemSet;
use crate::model::{Basis, Controls, Endpoint, ItemRefs, Model, Role, Unstated};
use crate::office::{self, Document, Table};
use crate::rules::engine::Finding;
use crate::rules::Severity;

/// What a cell says when the paper leaves the field open (`unstated`).
pub const UNSTATED: &str = "資料に記載なし";
/// Matrix marks.
pub const BOTH: &str = "○";
pub const DECLARED_ONLY: &str = "別紙のみ";
pub const CARRIED_ONLY: &str = "図のみ";

/// How dates (acceptance 受容日・期限) are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dates {
    /// 令和7年3月31日, as committee papers write them (HTML, xlsx, Markdown).
    #[default]
    Wareki,
    /// 2025-03-31 (JSON).
    Iso,
}

/// Options for [`build_with`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub dates: Dates,
}

/// An output format of the packet, from the file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Xlsx,
    Markdown,
    Json,
}

impl Format {
    /// The format for `path`'s extension, or the Japanese message listing the ones that exist.
    pub fn from_path(path: &Path) -> Result<Format, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm") => Ok(Format::Html),
            Some("xlsx") => Ok(Format::Xlsx),
            Some("md") => Ok(Format::Markdown),
            Some("json") => Ok(Format::Json),
            Some(other) => Err(format!(
                "拡張子 .{other} の資料は書けません（.html .xlsx .md .json）"
            )),
            None => Err("出力ファイルに拡張子がありません（.html .xlsx .md .json）".to_string()),
        }
    }

    /// How dates are written in this format (JSON keeps ISO dates).
    pub fn dates(self) -> Dates {
        match self {
            Format::Json => Dates::Iso,
            _ => Dates::Wareki,
        }
    }
}

/// The diagram for the packet: the committee view as SVG with its text turned into outlines of the embedded font,
/// so the figure looks the same on a PC that does not have the font (the HTML is opened on clerks' PCs).
pub fn diagram(model: &Model, findings: &[Finding], highlight: bool) -> Result<String, String> {
    let options = crate::render::Options {
        highlight,
        ..crate::render::Options::default()
    };
    let svg = crate::render::render_svg(model, findings, &options)?;
    crate::render::outline_text(&svg)
}

/// The packet with 和暦 dates (for HTML, xlsx and Markdown).
pub fn build(
    model: &Model,
    findings: &[Finding],
    svg: Option<String>,
    catalogue: &Catalogue,
) -> Document {
    build_with(model, findings, svg, catalogue, &Options::default())
}

/// The document in `format`, as bytes.
pub fn to_bytes(doc: &Document, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Html => Ok(office::to_html(doc).into_bytes()),
        Format::Markdown => Ok(office::to_markdown(doc).into_bytes()),
        Format::Xlsx => office::to_xlsx(doc),
        Format::Json => {
            let mut out = serde_json::to_vec_pretty(doc).map_err(|e| e.to_string())?;
            out.push(b'\n');
            Ok(out)
        }
    }
}

/// Writes `doc` to `path` in the format its extension names; written beside the target and renamed, so a
/// failure never leaves half a file.
pub fn write(path: &Path, doc: &Document) -> Result<(), String> {
    let format = Format::from_path(path)?;
    crate::outfile::write_atomically(path, &to_bytes(doc, format)?)
}

/// Builds the packet with the dates `path`'s format wants (ISO for .json, 和暦 otherwise) and writes it.
pub fn write_report(
    path: &Path,
    model: &Model,
    findings: &[Finding],
    svg: Option<String>,
    catalogue: &Catalogue,
) -> Result<(), String> {
    let format = Format::from_path(path)?;
    let doc = build_with(
        model,
        findings,
        svg,
        catalogue,
        &Options {
            dates: format.dates(),
        },
    );
    crate::outfile::write_atomically(path, &to_bytes(&doc, format)?)
}

/// The packet.
pub fn build_with(
    model: &Model,
    findings: &[Finding],
    svg: Option<String>,
    catalogue: &Catalogue,
    options: &Options,
) -> Document {
    let graph = crate::graph::FlowGraph::build(model);
    let mut doc = Document::new(model.title.clone());
    doc.fields("表紙", header(model, findings));
    if let Some(svg) = svg {
        doc.heading(1, "個人情報の流れ");
        doc.svg(svg);
    }
    declared_tables(&mut doc, model);
    flows_table(&mut doc, model, catalogue);
    matrix(&mut doc, model, &graph);
    findings_section(&mut doc, findings, options.dates);
    checklist(&mut doc, model, catalogue);
    threshold_section(&mut doc, model);
    doc
}

// ---- header ------------------------------------------------------------------------------------

fn header(model: &Model, findings: &[Finding]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![("件名".into(), model.title.clone())];
    let mut add = |name: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            fields.push((name.to_string(), v));
        }
    };
    add("資料番号", model.document.clone());
    add("保有課", model.owner.clone());
    add("登録業務の名称", model.work.clone());
    add("目的", model.purpose.clone());
    add(
        "対象者と人数",
        model.subjects.as_ref().map(|s| {
            let mut text = s.label.clone();
            let mut numbers = Vec::new();
            if let Some(n) = s.count {
                numbers.push(format!("{n}人"));
            }
            if let Some(r) = &s.range {
                numbers.push(r.clone());
            }
            if !numbers.is_empty() {
                text.push_str(&format!("　{}", numbers.join("・")));
            }
            text
        }),
    );
    add("期間", model.period.clone());
    add(
        "特定個人情報保護評価",
        model.assessment.as_ref().map(|a| a.level.ja().to_string()),
    );
    let open = findings.iter().filter(|f| f.accepted.is_none()).count();
    fields.push((
        "指摘".into(),
        format!(
            "{}（未対応 {open} 件）",
            crate::report::summary_line(findings)
        ),
    ));
    fields
}

// ---- items -------------------------------------------------------------------------------------

/// Up to this many items a group is listed in full; beyond, only its size is given.
const GROUP_LISTED: usize = 10;
/// Up to this many written names a list is shown in full.
const NAMES_LISTED: usize = 12;

/// Items as the paper writes them: group names with their items (or their size, for a long group), then items.
pub fn items_summary(model: &Model, refs: &ItemRefs) -> String {
    let describe = |written: &str| -> String {
        match model.groups.iter().find(|g| g.name == written) {
            Some(g) if g.items.len() <= GROUP_LISTED => {
                format!("{written}（{}）", model.item_names(&g.items))
            }
            Some(g) => format!("{written}（{}項目、別紙参照）", g.items.len()),
            None => written.to_string(),
        }
    };
    let mut parts: Vec<String> = refs
        .written
        .iter()
        .take(if refs.written.len() > NAMES_LISTED + 1 {
            NAMES_LISTED
        } else {
            refs.written.len()
        })
        .map(|w| describe(w))
        .collect();
    if refs.written.len() > parts.len() {
        parts.push(format!(
            "ほか{}（計{}項目、別紙参照）",
            refs.written.len() - parts.len(),
            refs.set.len()
        ));
    }
    parts.join("、")
}

/// A field of a declared entry: its value, 「資料に記載なし」 when unstated, else empty.
fn field(value: Option<&String>, unstated: bool) -> String {
    match value {
        Some(v) => v.clone(),
        None if unstated => UNSTATED.to_string(),
        None => String::new(),
    }
}

// ---- 別紙 ---------------------------------------------------------------------------------------

/// The 別紙 a basis belongs to, its sheet name and caption.
fn basis_sheet(basis: &Basis) -> (u8, &'static str, &'static str) {
    match basis {
        Basis::ExternalLink => (0, "外部結合", "電子計算機の外部結合（結合の相手方）"),
        Basis::Outsourcing => (1, "業務委託", "業務委託（委託先）"),
        Basis::Subcontract { .. } => (2, "再委託", "再委託（再委託先）"),
        Basis::Provision => (3, "提供", "提供（提供先）"),
        Basis::OtherPurposeUse => (4, "目的外利用", "目的外利用・庁内提供"),
        Basis::Intake => (5, "入手", "入手（入手元・入手の経路）"),
    }
}

fn basis_text(model: &Model, d: &crate::model::Declared) -> String {
    let mut text = d.basis.ja().to_string();
    if let Basis::Subcontract { via, consent } = &d.basis {
        let via = model
            .parties
            .iter()
            .find(|p| &p.name == via)
            .map_or(via.as_str(), |p| p.display());
        let consent = match consent {
            Some(true) => "承諾あり",
            Some(false) => "承諾なし",
            None if d.stated.is_unstated(Unstated::Consent) => "承諾は資料に記載なし",
            None => "",
        };
        text.push_str(&format!("（委託先: {via}"));
        if !consent.is_empty() {
            text.push_str(&format!("、{consent}"));
        }
        text.push('）');
    }
    if d.subject_consent {
        text.push_str("（本人の同意による）");
    }
    text
}

fn declared_tables(doc: &mut Document, model: &Model) {
    doc.heading(1, "別紙（相手方ごとの記載）");
    if model.declared.is_empty() {
        doc.paragraph("別紙に相手方の記載はありません。");
        return;
    }
    let mut sheets: Vec<(u8, &str, &str)> = model
        .declared
        .iter()
        .map(|d| basis_sheet(&d.basis))
        .collect();
    sheets.sort_unstable();
    sheets.dedup();
    for (_, name, caption) in sheets {
        let rows = model
            .declared
            .iter()
            .filter(|d| basis_sheet(&d.basis).1 == name)
            .map(|d| {
                let party = &model.parties[d.party];
                vec![
                    party.display().to_string(),
                    basis_text(model, d),
                    if d.stated.is_unstated(Unstated::Items) {
                        UNSTATED.to_string()
                    } else {
                        items_summary(model, &d.items)
                    },
                    field(d.method.as_ref(), d.stated.is_unstated(Unstated::Method)),
                    field(d.period.as_ref(), d.stated.is_unstated(Unstated::Period)),
                    field(d.law.as_ref(), d.stated.is_unstated(Unstated::Law)),
                ]
            })
            .collect();
        doc.table(Table {
            name: format!("別紙_{name}"),
            caption: caption.to_string(),
            headers: [
                "相手方",
                "根拠",
                "情報項目",
                "形態・方法",
                "期間",
                "法令上の根拠",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
    }
}

// ---- flows -------------------------------------------------------------------------------------

fn endpoint_display(model: &Model, e: Endpoint) -> String {
    match e {
        Endpoint::Party(p) => model.parties[p].display().to_string(),
        Endpoint::System(s) => {
            let sys = &model.systems[s];
            format!(
                "{}（{}）",
                sys.display(),
                model.parties[sys.party].display()
            )
        }
    }
}

/// Controls of an element as written, 「－」 ones with their reasons, or 「資料に記載なし」.
fn controls_text(controls: &Controls, unstated: bool, catalogue: &Catalogue) -> String {
    let mut parts: Vec<String> = controls.written.clone();
    for (id, reason) in &controls.na {
        parts.push(format!("－ {}（{reason}）", control_label(catalogue, id)));
    }
    if parts.is_empty() && unstated {
        return UNSTATED.to_string();
    }
    parts.join("、")
}

fn control_label<'c>(catalogue: &'c Catalogue, id: &'c str) -> &'c str {
    catalogue
        .controls
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.label.as_str())
}

fn flows_table(doc: &mut Document, model: &Model, catalogue: &Catalogue) {
    if model.flows.is_empty() {
        return;
    }
    let rows = model
        .flows
        .iter()
        .map(|f| {
            let mut label = f.label.clone();
            if !f.is_data() {
                label.push_str(&format!("〔{}〕", f.kind.ja()));
            }
            let mut via = if f.via.is_empty() && f.stated.is_unstated(Unstated::Via) {
                UNSTATED.to_string()
            } else {
                f.via_ja()
            };
            if !f.through.is_empty() {
                let through: Vec<String> = f
                    .through
                    .iter()
                    .map(|&e| endpoint_display(model, e))
                    .collect();
                via.push_str(&format!("（経由: {}）", through.join("、")));
            }
            let items = if f.items_unstated() {
                UNSTATED.to_string()
            } else {
                items_summary(model, &f.items)
            };
            vec![
                f.no.mark(),
                label,
                endpoint_display(model, f.from),
                endpoint_display(model, f.to),
                via,
                items,
                controls_text(
                    &f.controls,
                    f.stated.is_unstated(Unstated::Controls),
                    catalogue,
                ),
            ]
        })
        .collect();
    doc.heading(1, "流れ（図の番号順）");
    doc.table(Table {
        name: "流れ".into(),
        caption: "個人情報の流れ".into(),
        headers: [
            "番号",
            "流れ",
            "送り手",
            "受け手",
            "経路",
            "情報項目",
            "対策",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    });
}

// ---- declared vs actual ------------------------------------------------------------------------

/// One party's comparison: for each item, its mark and the flows (or stores) that carry it.
struct Compared {
    party: usize,
    /// (item, mark, carriers) in model order.
    items: Vec<(usize, &'static str, String)>,
    /// Notes: declared items unstated; flows carrying unstated items.
    extra: Vec<(String, &'static str, String)>,
}

/// The parties compared: every declared 相手方 and every other 外部・庁内 party that receives personal data.
fn compare(model: &Model, graph: &crate::graph::FlowGraph) -> Vec<Compared> {
    let mut out = Vec::new();
    for (p, party) in model.parties.iter().enumerate() {
        let declared = model.declared_for(p);
        let received = graph.party_received(p);
        let unknown = graph.party_receives_unknown(p);
        let relevant = declared.is_some()
            || (matches!(party.role, Role::External | Role::Internal)
                && (!received.is_empty() || unknown));
        if !relevant || party.role == Role::Agency {
            continue;
        }
        let endpoints: Vec<Endpoint> = graph.party_endpoints(p).collect();
        let into: Vec<usize> = (0..model.flows.len())
            .filter(|&f| model.flows[f].is_data() && endpoints.contains(&model.flows[f].to))
            .collect();
        let empty = ItemSet::default();
        let d_set = declared.map_or(&empty, |d| &d.items.set);
        let mut all = d_set.clone();
        all.union_with(received);
        let items = all
            .iter()
            .map(|i| {
                let mark = match (d_set.contains(i), received.contains(i)) {
                    (true, true) => BOTH,
                    (true, false) => DECLARED_ONLY,
                    _ => CARRIED_ONLY,
                };
                let mut carriers: Vec<String> = into
                    .iter()
                    .filter(|&&f| model.flows[f].items.set.contains(i))
                    .map(|&f| model.flows[f].no.mark())
                    .collect();
                if carriers.is_empty() && received.contains(i) {
                    // Held by a system the party runs, hosts or runs jointly, without a flow naming it.
                    carriers = endpoints
                        .iter()
                        .filter_map(|e| match e {
                            Endpoint::System(s) if model.systems[*s].stores.set.contains(i) => {
                                Some(format!("保管「{}」", model.systems[*s].display()))
                            }
                            _ => None,
                        })
                        .collect();
                }
                (i, mark, carriers.join(" "))
            })
            .collect();
        let mut extra = Vec::new();
        if let Some(d) = declared {
            if d.stated.is_unstated(Unstated::Items) {
                extra.push((
                    "（別紙に情報項目の記載なし）".to_string(),
                    DECLARED_ONLY,
                    String::new(),
                ));
            }
        }
        if unknown {
            let flows: Vec<String> = into
                .iter()
                .filter(|&&f| model.flows[f].items_unstated())
                .map(|&f| model.flows[f].no.mark())
                .collect();
            extra.push((
                "（情報項目の記載のない流れ）".to_string(),
                CARRIED_ONLY,
                flows.join(" "),
            ));
        }
        out.push(Compared {
            party: p,
            items,
            extra,
        });
    }
    out
}

fn matrix(doc: &mut Document, model: &Model, graph: &crate::graph::FlowGraph) {
    let compared = compare(model, graph);
    doc.heading(1, "別紙と図の突き合わせ（相手方 × 情報項目）");
    doc.paragraph(format!(
        "{BOTH}: 別紙に記載があり図の流れでも渡る　{DECLARED_ONLY}: 別紙に記載があるが図の流れでは渡らない　{CARRIED_ONLY}: 図の流れで渡るが別紙に記載がない。同じ結果になる項目はグループ名でまとめた（全項目は Excel 版の「突き合わせ_全項目」）。"
    ));
    if compared.is_empty() {
        doc.paragraph("突き合わせる相手方はありません。");
        return;
    }
    // Groups, largest first, for collapsing rows.
    let mut groups: Vec<&crate::model::Group> =
        model.groups.iter().filter(|g| g.items.len() >= 2).collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.items.len()));
    let mut rows = Vec::new();
    for c in &compared {
        let party = model.parties[c.party].display().to_string();
        let mut covered = BTreeSet::new();
        // (first item index, label, mark, carriers)
        let mut party_rows: Vec<(usize, String, &str, String)> = Vec::new();
        for g in &groups {
            let members: Vec<&(usize, &str, String)> = c
                .items
                .iter()
                .filter(|(i, _, _)| g.items.contains(*i))
                .collect();
            if members.len() != g.items.len() || members.iter().any(|(i, _, _)| covered.contains(i))
            {
                continue;
            }
            let (first, mark, carriers) = members[0];
            if members.iter().all(|(_, m, cs)| m == mark && cs == carriers) {
                covered.extend(members.iter().map(|(i, _, _)| *i));
                party_rows.push((
                    *first,
                    format!("{}（{}項目）", g.name, g.items.len()),
                    mark,
                    carriers.clone(),
                ));
            }
        }
        for (i, mark, carriers) in &c.items {
            if !covered.contains(i) {
                party_rows.push((*i, model.items[*i].name.clone(), mark, carriers.clone()));
            }
        }
        party_rows.sort_by_key(|r| r.0);
        for (_, label, mark, carriers) in party_rows {
            rows.push(vec![party.clone(), label, mark.to_string(), carriers]);
        }
        for (label, mark, carriers) in &c.extra {
            rows.push(vec![
                party.clone(),
                label.clone(),
                mark.to_string(),
                carriers.clone(),
            ]);
        }
    }
    doc.table(Table {
        name: "突き合わせ".into(),
        caption: "別紙と図の突き合わせ".into(),
        headers: ["相手方", "情報項目", "突き合わせ", "運ぶ流れ"]
            .map(String::from)
            .to_vec(),
        rows,
    });

    // The full grid, item × party, for the Excel workbook.
    let mut items: Vec<usize> = compared
        .iter()
        .flat_map(|c| c.items.iter().map(|(i, _, _)| *i))
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .collect();
    items.sort_unstable();
    let mut headers = vec!["情報項目".to_string(), "区分".to_string()];
    headers.extend(
        compared
            .iter()
            .map(|c| model.parties[c.party].display().to_string()),
    );
    let grid = items
        .iter()
        .map(|&i| {
            let mut row = vec![
                model.items[i].name.clone(),
                model.items[i].kind.ja().to_string(),
            ];
            row.extend(compared.iter().map(|c| {
                c.items
                    .iter()
                    .find(|(j, _, _)| *j == i)
                    .map(|(_, mark, carriers)| {
                        if carriers.is_empty() {
                            mark.to_string()
                        } else {
                            format!("{mark} {carriers}")
                        }
                    })
                    .unwrap_or_default()
            }));
            row
        })
        .collect();
    doc.appendix(Table {
        name: "突き合わせ_全項目".into(),
        caption: "別紙と図の突き合わせ（全項目）".into(),
        headers,
        rows: grid,
    });
}

// ---- findings ----------------------------------------------------------------------------------

/// A date as the committee writes it (令和7年3月31日) or ISO (JSON); text that is not a date stays as written.
fn date_text(text: &str, dates: Dates) -> String {
    match dates {
        Dates::Iso => crate::date::iso_text(text),
        Dates::Wareki => crate::date::wareki_text(text),
    }
}

fn finding_content(f: &Finding) -> String {
    let mut text = f.message.clone();
    if let Some(path) = &f.path {
        text.push_str(&format!("\n経路: {path}"));
    }
    if !f.unread_controls.is_empty() {
        text.push_str(&format!(
            "\n注意: 対策「{}」は対策カタログにないため、この判定に使っていません",
            f.unread_controls.join("」「")
        ));
    }
    if !f.beyond_acceptance.is_empty() {
        text.push_str(&format!(
            "\n受容の範囲外: 受容したときになかった {} があるため、新しい指摘として扱います",
            f.beyond_acceptance.join("、")
        ));
    }
    text
}

fn findings_section(doc: &mut Document, findings: &[Finding], dates: Dates) {
    doc.heading(1, "指摘");
    doc.paragraph(crate::report::summary_line(findings));
    let open: Vec<&Finding> = findings.iter().filter(|f| f.accepted.is_none()).collect();
    if open.is_empty() {
        doc.paragraph("未対応の指摘はありません。");
    }
    for severity in Severity::ALL {
        let rows: Vec<Vec<String>> = open
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| {
                vec![
                    f.code.to_string(),
                    f.title.to_string(),
                    f.location.clone(),
                    finding_content(f),
                    f.fix.to_string(),
                    f.id.clone(),
                ]
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        doc.heading(2, format!("重大度 {}（{} 件）", severity.ja(), rows.len()));
        doc.table(Table {
            name: format!("指摘_{}", severity.ja()),
            caption: format!("指摘（重大度 {}）", severity.ja()),
            headers: ["コード", "指摘", "場所", "内容・経路", "対応", "id"]
                .map(String::from)
                .to_vec(),
            rows,
        });
    }
    let accepted: Vec<Vec<String>> = findings
        .iter()
        .filter_map(|f| f.accepted.as_ref().map(|a| (f, a)))
        .map(|(f, a)| {
            vec![
                f.code.to_string(),
                f.severity.ja().to_string(),
                f.title.to_string(),
                f.location.clone(),
                a.reason.clone(),
                a.by.clone(),
                a.on.as_deref()
                    .map(|d| date_text(d, dates))
                    .unwrap_or_default(),
                a.until
                    .as_deref()
                    .map(|d| date_text(d, dates))
                    .unwrap_or_default(),
                f.id.clone(),
            ]
        })
        .collect();
    if !accepted.is_empty() {
        doc.heading(2, format!("委員会が受容した指摘（{} 件）", accepted.len()));
        doc.table(Table {
            name: "受容済み".into(),
            caption: "受容済みの指摘と決定".into(),
            headers: [
                "コード",
                "重大度",
                "指摘",
                "場所",
                "受容の理由",
                "決定",
                "受容日",
                "期限",
                "id",
            ]
            .map(String::from)
            .to_vec(),
            rows: accepted,
        });
    }
}

// ---- checklist ---------------------------------------------------------------------------------

/// One checklist column: a party with the controls of the systems it runs, hosts or runs jointly.
struct Column<'m> {
    header: String,
    controls: Vec<&'m Controls>,
    unstated: bool,
}

impl Column<'_> {
    fn cell(&self, id: &str, direct: &dyn Fn(&Controls) -> BTreeSet<String>) -> String {
        if self.controls.iter().any(|c| direct(c).contains(id)) {
            return "○".to_string();
        }
        if let Some(reason) = self.controls.iter().find_map(|c| c.na.get(id)) {
            return format!("－（{reason}）");
        }
        if self.controls.iter().any(|c| c.has(id)) {
            // Implied by a stated control (TLS1.2以上 ⇒ 通信内容の暗号化).
            return "○*".to_string();
        }
        String::new()
    }
}

fn checklist(doc: &mut Document, model: &Model, catalogue: &Catalogue) {
    // Catalogue ids a control list states directly (not only by implication).
    let direct = |c: &Controls| -> BTreeSet<String> {
        c.written
            .iter()
            .filter_map(|w| catalogue.resolve_ids(w))
            .flatten()
            .collect()
    };
    let column_for = |p: usize, suffix: &str| -> Column {
        let party = &model.parties[p];
        let mut controls = vec![&party.controls];
        let mut unstated = party.stated.is_unstated(Unstated::Controls);
        for s in &model.systems {
            if s.party == p || s.host == Some(p) || s.joint.contains(&p) {
                controls.push(&s.controls);
                unstated |= s.stated.is_unstated(Unstated::Controls) && s.party == p;
            }
        }
        Column {
            header: format!("{}{suffix}", party.display()),
            controls,
            unstated,
        }
    };
    let mut columns: Vec<Column> = Vec::new();
    for (p, party) in model.parties.iter().enumerate() {
        if party.role == Role::Agency {
            columns.push(column_for(p, "〔実施機関〕"));
        }
    }
    for d in &model.declared {
        if model.parties[d.party].role != Role::Agency {
            columns.push(column_for(d.party, &format!("〔{}〕", d.basis.ja())));
        }
    }
    // Parties outside the 別紙 whose controls the model states (the paper's figure names them).
    for (p, party) in model.parties.iter().enumerate() {
        if matches!(party.role, Role::External | Role::Internal) && model.declared_for(p).is_none()
        {
            let col = column_for(p, "〔別紙になし〕");
            if col
                .controls
                .iter()
                .any(|c| !c.written.is_empty() || !c.na.is_empty())
            {
                columns.push(col);
            }
        }
    }

    // Rows: every catalogue control stated or marked 「－」 anywhere in the model, in catalogue order.
    let mut all: Vec<&Controls> = Vec::new();
    all.extend(model.parties.iter().map(|p| &p.controls));
    all.extend(model.systems.iter().map(|s| &s.controls));
    all.extend(model.flows.iter().map(|f| &f.controls));
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut unknown: Vec<String> = Vec::new();
    for c in &all {
        used.extend(direct(c));
        used.extend(c.na.keys().cloned());
        for w in &c.unknown {
            if !unknown.contains(w) {
                unknown.push(w.clone());
            }
        }
    }
    doc.heading(1, "情報保護対策チェックリスト");
    doc.paragraph(
        "○: 資料に記載あり　○*: 記載された他の対策に含まれる　－: 対策の必要がない（括弧内は資料の理由）　空欄: 資料に記載なし。実施機関・相手方の列は、その関係者とそのシステム（運用・設置・共同運営するもの）に書かれた対策。流れごとの対策は「流れ」の表にある。",
    );
    if columns.is_empty() || (used.is_empty() && unknown.is_empty()) {
        doc.paragraph("資料に対策の記載はありません。");
        return;
    }
    let mut headers = vec!["対策".to_string()];
    headers.extend(columns.iter().map(|c| {
        let stated = c
            .controls
            .iter()
            .any(|k| !k.written.is_empty() || !k.na.is_empty());
        match (c.unstated, stated) {
            (true, false) => format!("{}（対策の記載なし）", c.header),
            (true, true) => format!("{}（一部の対策の記載なし）", c.header),
            _ => c.header.clone(),
        }
    }));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for control in &catalogue.controls {
        if !used.contains(&control.id) {
            continue;
        }
        let mut row = vec![control.label.clone()];
        row.extend(columns.iter().map(|c| c.cell(&control.id, &direct)));
        rows.push(row);
    }
    for w in &unknown {
        let mut row = vec![format!("{w}（対策カタログにない表記）")];
        row.extend(columns.iter().map(|c| {
            if c.controls.iter().any(|k| k.unknown.contains(w)) {
                "○".to_string()
            } else {
                String::new()
            }
        }));
        rows.push(row);
    }
    doc.table(Table {
        name: "チェックリスト".into(),
        caption: "情報保護対策チェックリスト".into(),
        headers,
        rows,
    });
}

// ---- しきい値判断 ----------------------------------------------------------------------------------

/// The しきい値判断 (特定個人情報保護評価指針) for a model with `assessment:`, from [`crate::pia::judge`] with the
/// period for 重大事故 the model states.
fn threshold_section(doc: &mut Document, model: &Model) {
    if model.assessment.is_none() {
        return;
    }
    let j = crate::pia::judge(model, None);
    doc.heading(1, "しきい値判断");
    let or_none = |v: Option<String>| v.unwrap_or_else(|| "記載なし".to_string());
    let mut fields = vec![("根拠".to_string(), j.guideline.to_string())];
    let subjects = match (&j.subjects.written, j.subjects.band_ja) {
        (Some(w), Some(b)) if w != b => Some(format!("{w}（{b}）")),
        (Some(w), _) => Some(w.clone()),
        (None, _) => None,
    };
    fields.push(("対象人数".into(), or_none(subjects)));
    let handlers = match (&j.handlers.written, j.handlers.unstated) {
        (Some(w), _) => Some(w.clone()),
        (None, true) => Some(UNSTATED.to_string()),
        (None, false) => None,
    };
    fields.push(("取扱者数（委託先を含む）".into(), or_none(handlers)));
    let period = j.incident.window_years.map_or_else(
        || "期間の記載なし".to_string(),
        |w| format!("過去{w}年以内"),
    );
    let incident = match (j.incident.within_window, j.incident.unstated) {
        (Some(true), _) => "発生あり",
        (Some(false), _) => "発生なし",
        (None, true) => UNSTATED,
        (None, false) => "記載なし",
    };
    fields.push((format!("重大事故（{period}）"), incident.to_string()));
    if !j.rule.is_empty() {
        fields.push(("適用した基準".into(), j.rule.join("\n")));
    }
    fields.push((
        "必要な評価".into(),
        j.required_ja.unwrap_or("判断できない").to_string(),
    ));
    fields.push((
        "実施した評価".into(),
        j.declared_ja.unwrap_or("記載なし").to_string(),
    ));
    fields.push(("判定".into(), j.summary()));
    if !j.missing.is_empty() {
        let missing: Vec<&str> = j.missing.iter().map(|m| m.message.as_str()).collect();
        fields.push(("不足している入力".into(), missing.join("\n")));
    }
    doc.fields("しきい値判断", fields);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_by_format() {
        assert_eq!(date_text("2024-09-02", Dates::Wareki), "令和6年9月2日");
        assert_eq!(date_text("2025-03-31", Dates::Iso), "2025-03-31");
        assert_eq!(date_text("いつか", Dates::Wareki), "いつか");
    }

    #[test]
    fn formats_from_extension() {
        assert_eq!(
            Format::from_path(Path::new("a/b.HTML")).ok(),
            Some(Format::Html)
        );
        assert_eq!(
            Format::from_path(Path::new("b.xlsx")).ok(),
            Some(Format::Xlsx)
        );
        assert!(Format::from_path(Path::new("b.pdf")).is_err());
    }
}
