//! Splitting the committee view onto printed pages: consecutive steps (①②…) go on one page while the page,
//! scaled to fit the paper, keeps its smallest text at or above `MIN_PT`; each page draws only the lanes and
//! boxes its steps touch, and says in its title block which steps it holds and where the others are. Pages
//! are laid out by `committee_elk` (ELK Layered, a lane per partition).
//!
//! Every flow is drawn on exactly one page; a box that several pages need is drawn on each of them.
//! Cost: one layout per step tried, each of one page's size, so linear in the number of flows times a page.

use std::collections::HashSet;

use crate::model::{Endpoint, Model};
use crate::rules::engine::Finding;

use super::committee;
use super::content::{self, Block, Marked, TitleExtra};
use super::diagram::{self, Density, Selection};
use super::font::Measurer;
use super::scene::Scene;
use super::scene::{BoxKind, BoxShape, Rect};
use super::theme::*;

/// The smallest text a committee paper can carry, in points.
pub const MIN_PT: f64 = 7.0;

/// A printed page: its rows of steps (each a list of flows, one row of lanes) and the density it is drawn at.
type Page = (Vec<Vec<usize>>, Density);

/// The whole diagram is also tried with our own lane layout up to this many boxes.
const OWN_LANES_MAX: usize = 60;

/// At most this many rows of lanes on one page.
const MAX_ROWS: usize = 3;

/// A page holding fewer flows than this takes the next step's flows one by one rather than ending.
const SPARSE_PAGE: usize = 3;

/// The drawable area of a page in points: (width, height).
pub(crate) type Area = (f64, f64);

/// The scale at which `scene` fits `area`, and the size in points its smallest text prints at.
pub fn fit(scene: &Scene, area: Area) -> (f64, f64) {
    let scale = (area.0 / scene.width.max(1.0)).min(area.1 / scene.height.max(1.0));
    let smallest = scene
        .texts
        .iter()
        .map(|t| t.size)
        .fold(f64::INFINITY, f64::min);
    let smallest = if smallest.is_finite() { smallest } else { 0.0 };
    (scale, scale * smallest)
}

fn fits(scene: &Scene, area: Area) -> bool {
    // A little above the limit, so rounding in the PDF never takes a page under it.
    fit(scene, area).1 >= MIN_PT + 0.05
}

/// The committee view as pages for `area`: one page if the whole diagram fits, else pages of consecutive steps.
pub(crate) fn committee_pages(
    model: &Model,
    findings: &[Finding],
    highlight: bool,
    changes: Option<&super::Changes>,
    area: Area,
    m: &mut Measurer,
) -> Result<Vec<Scene>, String> {
    // The whole diagram on one page if it fits: as ELK lays it out, or else as our own lane layout does
    // (denser on some small models, e.g. テレワーク on A3; its quadratic steps are only tried on small ones).
    let g = diagram::build(
        model,
        findings,
        highlight,
        changes,
        &Selection::whole(model),
    )?;
    let whole = super::committee_elk::layout(model, &g, m);
    if let Ok(whole) = whole {
        if fits(&whole, area) || model.flows.is_empty() {
            return Ok(vec![whole]);
        }
    }
    if g.nodes.len() <= OWN_LANES_MAX {
        let own = committee::layout(model, &g, m)?;
        if fits(&own, area) || model.flows.is_empty() {
            return Ok(vec![own]);
        }
    }

    // Steps in order; flows of one step (③, ③-1, ③-2) stay together when they fit.
    let mut order: Vec<usize> = (0..model.flows.len()).collect();
    // Numbered steps in number order, then steps the paper names without a number (〔業務2〕) in model order.
    order.sort_by_key(|&f| {
        let numbers = model.flows[f].no.numbers();
        (numbers.is_empty(), numbers.to_vec(), f)
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for f in order {
        match groups.last_mut() {
            Some(g)
                if !model.flows[f].no.numbers().is_empty()
                    && model.flows[g[0]].no.numbers().first()
                        == model.flows[f].no.numbers().first() =>
            {
                g.push(f)
            }
            _ => groups.push(vec![f]),
        }
    }

    // Greedy: add the next step to the page's last row of lanes, or else as a new row under it, while the page
    // still fits; a nearly empty page takes a step's flows one by one, and a step too big alone is split by
    // flow. Each trial is drawn with each of `widths()` and keeps the one printing largest: a page of many
    // steps between few lanes is tall and narrow, and wider labels turn its height into width.
    let trial = |rows: &[Vec<usize>], m: &mut Measurer| -> Result<Option<Density>, String> {
        let mut best: Option<(f64, Density)> = None;
        for d in widths() {
            let scene = draw_rows(
                model,
                findings,
                highlight,
                changes,
                rows,
                d,
                placeholder_title(),
                &[],
                m,
            )?;
            let pt = fit(&scene, area).1;
            if fits(&scene, area) && best.is_none_or(|(b, _)| pt > b + 0.05) {
                best = Some((pt, d));
            }
        }
        Ok(best.map(|(_, d)| d))
    };
    // The page with `flows` added to its last row, or else as a new row, if either fits.
    let add =
        |page: &[Vec<usize>], flows: &[usize], m: &mut Measurer| -> Result<Option<Page>, String> {
            let mut tries: Vec<Vec<Vec<usize>>> = Vec::new();
            if let Some((last, before)) = page.split_last() {
                let mut p = before.to_vec();
                p.push(last.iter().chain(flows).copied().collect());
                tries.push(p);
            }
            if page.len() < MAX_ROWS {
                let mut p = page.to_vec();
                p.push(flows.to_vec());
                tries.push(p);
            }
            for rows in tries {
                if let Some(d) = trial(&rows, m)? {
                    return Ok(Some((rows, d)));
                }
            }
            Ok(None)
        };
    let mut pages: Vec<Page> = Vec::new();
    let mut current: Page = (Vec::new(), diagram::PRINT);
    let held = |p: &Page| p.0.iter().map(Vec::len).sum::<usize>();
    for group in groups {
        if let Some(p) = add(&current.0, &group, m)? {
            current = p;
            continue;
        }
        // A nearly empty page takes the step's first flows rather than ending here.
        if held(&current) >= SPARSE_PAGE {
            pages.push(std::mem::replace(
                &mut current,
                (Vec::new(), diagram::PRINT),
            ));
            if let Some(p) = add(&current.0, &group, m)? {
                current = p;
                continue;
            }
        }
        for f in group {
            if let Some(p) = add(&current.0, &[f], m)? {
                current = p;
                continue;
            }
            if held(&current) > 0 {
                pages.push(std::mem::replace(
                    &mut current,
                    (Vec::new(), diagram::PRINT),
                ));
            }
            // A flow that does not fit even alone gets a page of its own, drawn as small as it must be.
            current = add(&current.0, &[f], m)?.unwrap_or((vec![vec![f]], diagram::PRINT));
        }
    }
    if held(&current) > 0 {
        pages.push(current);
    }
    rebalance(model, &mut pages, &trial, m)?;

    // What no page draws: boxes without a flow, and findings about nothing drawn.
    let touched: HashSet<Endpoint> = model
        .flows
        .iter()
        .flat_map(|f| [f.from, f.to].into_iter().chain(f.through.iter().copied()))
        .collect();
    // A host is drawn as the frame around the systems it hosts.
    let hosts: HashSet<usize> = model
        .systems
        .iter()
        .enumerate()
        .filter(|&(i, _)| touched.contains(&Endpoint::System(i)))
        .filter_map(|(_, s)| s.host)
        .collect();
    let untouched: Vec<String> = content::nodes(model)
        .into_iter()
        .filter(|e| !touched.contains(e))
        .filter(|e| !matches!(e, Endpoint::Party(p) if hosts.contains(p)))
        .map(|e| content::node_title(model, e))
        .collect();
    let lanes_drawn: HashSet<usize> = touched.iter().map(|&e| model.party_of(e)).collect();
    let undrawn: Vec<usize> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| match f.target.and_then(|t| Marked::of(model, t)) {
            Some(Marked::Flow(_)) => false,
            Some(Marked::System(s)) => !touched.contains(&Endpoint::System(s)),
            Some(Marked::Party(p)) => !lanes_drawn.contains(&p),
            None => true,
        })
        .map(|(i, _)| i)
        .collect();

    // Findings about nothing drawn go under the last page, or on a page of their own if they do not fit there.
    let last = pages.len() - 1;
    let legend_page = highlight && !undrawn.is_empty() && {
        let (rows, d) = &pages[last];
        !fits(
            &draw_rows(
                model,
                findings,
                highlight,
                changes,
                rows,
                *d,
                placeholder_title(),
                &undrawn,
                m,
            )?,
            area,
        )
    };
    let controls = controls_blocks(model, m);
    let n_controls = controls_pages(model, &controls, area, 0, 0, m).len();
    let n = pages.len() + usize::from(legend_page) + n_controls;
    let mut scenes = Vec::with_capacity(n);
    for (k, (rows, density)) in pages.iter().enumerate() {
        let flows: Vec<usize> = rows.concat();
        let mut notes = Vec::new();
        if k < last {
            notes.push(format!(
                "続き: {}ページ（{}〜）",
                k + 2,
                first_step(model, &pages[k + 1].0.concat())
            ));
        }
        if k == 0 && n_controls > 0 {
            notes.push(format!(
                "関係者・システムごとの安全対策: {}ページ",
                n - n_controls + 1
            ));
        }
        if k == last && !untouched.is_empty() {
            notes.push(format!(
                "流れのない関係者・システム: {}",
                untouched.join("、")
            ));
        }
        let (from, to) = (first_step(model, &flows), last_step(model, &flows));
        let steps = if from == to {
            from
        } else {
            format!("{from}〜{to}")
        };
        let title = TitleExtra {
            page: Some(format!("{}/{}ページ　流れ{steps}", k + 1, n)),
            notes,
            compact: k > 0,
        };
        let extra = if k == last && highlight && !legend_page {
            undrawn.as_slice()
        } else {
            &[]
        };
        scenes.push(draw_rows(
            model, findings, highlight, changes, rows, *density, title, extra, m,
        )?);
    }
    if legend_page {
        let page = format!("{}/{n}ページ　図に示していない指摘", scenes.len() + 1);
        scenes.push(committee::legend_page(model, findings, &undrawn, &page, m));
    }
    let first = scenes.len() + 1;
    scenes.extend(controls_pages(model, &controls, area, first, n, m));
    Ok(scenes)
}

/// Lays out a page's rows with each label width; the one printing largest, if any fits.
type Trial<'a> = dyn Fn(&[Vec<usize>], &mut Measurer) -> Result<Option<Density>, String> + 'a;

/// A page the greedy split left nearly empty (fewer than `SPARSE_PAGE` flows, e.g. one step on its own)
/// takes the last steps of the page before it, one step at a time, while both pages still fit: 「①〜⑥, ⑦」
/// becomes 「①〜⑤, ⑥〜⑦」. The page count never grows; each move costs two page layouts per label width.
fn rebalance(
    model: &Model,
    pages: &mut [Page],
    trial: &Trial<'_>,
    m: &mut Measurer,
) -> Result<(), String> {
    let held = |p: &Page| p.0.iter().map(Vec::len).sum::<usize>();
    for k in 1..pages.len() {
        while held(&pages[k]) < SPARSE_PAGE && held(&pages[k - 1]) > held(&pages[k]) + 1 {
            // The flows of the previous page's last step (③, ③-1, ③-2 move together).
            let Some(last_row) = pages[k - 1].0.last() else {
                break;
            };
            let Some(&tail) = last_row.last() else {
                break;
            };
            let moved: Vec<usize> = last_row
                .iter()
                .copied()
                .filter(|&f| step(model, f) == step(model, tail))
                .collect();
            let mut before = pages[k - 1].0.clone();
            if let Some(row) = before.last_mut() {
                row.retain(|f| !moved.contains(f));
            }
            before.retain(|r| !r.is_empty());
            let mut after = pages[k].0.clone();
            match after.first_mut() {
                Some(row) => {
                    let rest = std::mem::take(row);
                    *row = moved.iter().copied().chain(rest).collect();
                }
                None => after.push(moved.clone()),
            }
            if before.is_empty() || held(&(after.clone(), diagram::PRINT)) > held(&pages[k - 1]) {
                break;
            }
            let (Some(db), Some(da)) = (trial(&before, m)?, trial(&after, m)?) else {
                break;
            };
            pages[k - 1] = (before, db);
            pages[k] = (after, da);
        }
    }
    Ok(())
}

/// The step a flow belongs to: ③-1 and ③-2 share ③'s number and move between pages together; a flow
/// without a number is a step of its own.
fn step(model: &Model, f: usize) -> (usize, usize) {
    match model.flows[f].no.numbers().first() {
        Some(&n) => (0, n as usize),
        None => (1, f),
    }
}

/// The label widths a page is tried with (px): the print density's, and three wider ones (a page of many
/// steps between two lanes turns its height into width: 産後ケア's unnumbered steps fit one page, not two).
fn widths() -> [Density; 4] {
    let wider = |w: f64| Density {
        label_max_w: w,
        ..diagram::PRINT
    };
    [diagram::PRINT, wider(260.0), wider(360.0), wider(500.0)]
}

fn placeholder_title() -> TitleExtra {
    TitleExtra {
        page: Some("10/10ページ　流れ⑩〜⑩".to_string()),
        notes: vec![
            "続き: 10ページ（⑩〜）".to_string(),
            "関係者・システムごとの安全対策: 10ページ".to_string(),
        ],
        compact: false,
    }
}

/// Width of a column on a controls page, in px.
const CONTROLS_COL_W: f64 = 360.0;
const CONTROLS_GAP: f64 = 16.0;
const CONTROLS_PAD: f64 = 10.0;

/// Each party's controls, then each of its systems', one block each (lane order), with the lane's colour.
fn controls_blocks(model: &Model, m: &mut Measurer) -> Vec<(Block, &'static str)> {
    let mut parties: Vec<usize> = (0..model.parties.len()).collect();
    parties.sort_by_key(|&p| (role_rank(model.parties[p].role), p));
    let max = CONTROLS_COL_W - 2.0 * CONTROLS_PAD;
    let mut out = Vec::new();
    for p in parties {
        let party = &model.parties[p];
        let fill = lane_colors(party.role).0;
        if !party.controls.written.is_empty() {
            let mut b = Block::default();
            b.push(
                m,
                &format!("{}の対策", party.display()),
                BODY_SIZE,
                INK,
                max,
            );
            b.push_tokens(m, &party.controls.written, SMALL_SIZE, CONTROL_INK, max, 40);
            out.push((b, fill));
        }
        for sys in model
            .systems
            .iter()
            .filter(|s| s.party == p && !s.controls.written.is_empty())
        {
            let mut b = Block::default();
            b.push(
                m,
                &format!("【{}】の対策（{}）", sys.display(), party.display()),
                BODY_SIZE,
                INK,
                max,
            );
            b.push_tokens(m, &sys.controls.written, SMALL_SIZE, CONTROL_INK, max, 40);
            out.push((b, fill));
        }
    }
    out
}

/// The controls blocks in columns on as many pages as they need, numbered from `first` of `total`.
fn controls_pages(
    model: &Model,
    blocks: &[(Block, &'static str)],
    area: Area,
    first: usize,
    total: usize,
    m: &mut Measurer,
) -> Vec<Scene> {
    if blocks.is_empty() {
        return Vec::new();
    }
    // The page in px at the scale that prints the smallest text at MIN_PT.
    let scale = (MIN_PT + 0.1) / SMALL_SIZE;
    let (pw, ph) = (area.0 / scale, area.1 / scale);
    let cols = (((pw - 2.0 * MARGIN + CONTROLS_GAP) / (CONTROLS_COL_W + CONTROLS_GAP)).floor()
        as usize)
        .max(1);
    let mut scenes: Vec<Scene> = Vec::new();
    let mut k = 0;
    while k < blocks.len() {
        let mut scene = Scene::default();
        let total_w = cols as f64 * (CONTROLS_COL_W + CONTROLS_GAP) - CONTROLS_GAP;
        let extra = TitleExtra {
            page: Some(if total > 0 {
                format!(
                    "{}/{total}ページ　関係者・システムごとの安全対策",
                    first + scenes.len()
                )
            } else {
                "関係者・システムごとの安全対策".to_string()
            }),
            notes: Vec::new(),
            compact: true,
        };
        let top = MARGIN
            + content::title_block(&mut scene, model, &extra, MARGIN, MARGIN, total_w, m)
            + 14.0;
        let mut col_y = vec![top; cols];
        let start = k;
        while k < blocks.len() {
            let (b, fill) = &blocks[k];
            let h = b.h + 2.0 * CONTROLS_PAD;
            // The shortest column takes the next block; a block taller than a page goes alone.
            let (c, y) = col_y
                .iter()
                .copied()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, top));
            if y + h > ph - MARGIN && k > start {
                break;
            }
            let x = MARGIN + c as f64 * (CONTROLS_COL_W + CONTROLS_GAP);
            let idx = scene.boxes.len();
            scene.boxes.push(BoxShape {
                rect: Rect::new(x, y, CONTROLS_COL_W, h),
                kind: BoxKind::Frame,
                fill: Some(fill),
                stroke: Some(TITLE_STROKE),
                stroke_width: 1.0,
                dashed: false,
                radius: 3.0,
                parent: None,
            });
            b.emit(&mut scene, x + CONTROLS_PAD, y + CONTROLS_PAD, Some(idx));
            col_y[c] = y + h + 10.0;
            k += 1;
        }
        let bottom = col_y.iter().copied().fold(top, f64::max);
        scene.width = (MARGIN + total_w + MARGIN).ceil();
        scene.height = (bottom + MARGIN).ceil();
        scenes.push(scene);
    }
    scenes
}

/// One printed page: the title and legend of all its flows, each row of steps laid out under the one before.
#[allow(clippy::too_many_arguments)]
fn draw_rows(
    model: &Model,
    findings: &[Finding],
    highlight: bool,
    changes: Option<&super::Changes>,
    rows: &[Vec<usize>],
    density: Density,
    title: TitleExtra,
    legend_extra: &[usize],
    m: &mut Measurer,
) -> Result<Scene, String> {
    let mut sel = page_selection(rows.concat(), title);
    sel.density = density;
    sel.legend_extra = legend_extra.to_vec();
    let page = diagram::build(model, findings, highlight, changes, &sel)?;
    let graphs = rows
        .iter()
        .map(|flows| {
            let mut s = page_selection(flows.clone(), TitleExtra::default());
            s.density = density;
            diagram::build(model, findings, highlight, changes, &s)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Should ELK ever fail on a page, the page falls back to our own lane layout rather than failing the PDF.
    super::committee_elk::layout_rows(model, &page, &graphs, m)
        .or_else(|_| committee::layout(model, &page, m))
}

fn page_selection(flows: Vec<usize>, title: TitleExtra) -> Selection {
    Selection {
        flows,
        only_touched: true,
        density: diagram::PRINT,
        title,
        legend_all: false,
        legend_extra: Vec::new(),
    }
}

/// The first and last steps of a page, in the order pages are cut (numbered steps by number, then the
/// unnumbered ones in model order), so that 〔5-2ア〕〜〔対策3(9)〕 names the page's ends, not the
/// alphabetically smallest and largest names.
fn first_step(model: &Model, flows: &[usize]) -> String {
    flows
        .first()
        .map_or(String::new(), |&f| model.flows[f].no.mark())
}

fn last_step(model: &Model, flows: &[usize]) -> String {
    flows
        .last()
        .map_or(String::new(), |&f| model.flows[f].no.mark())
}
