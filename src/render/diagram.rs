//! The diagram graph: what a view draws, decided before anything is placed. From the model and its findings
//! a view picks the flows (all, or one printed page's steps), the nodes they touch, the lanes that hold them
//! (in the committee's order 本人 → 実施機関 → 庁内 → 外部), the finding marks by typed subject, the legend
//! and the title block's notes. Layouts read a `DiagramGraph` and decide only where things go.

use std::collections::{HashMap, HashSet};

use crate::model::{Endpoint, Model};
use crate::rules::engine::Finding;

use super::content::{self, Marked, Marks, TitleExtra};
use super::theme::role_rank;

/// How much a drawing holds: the whole diagram on screen, or a printed page where every px counts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Density {
    pub min_card_w: f64,
    pub max_card_w: f64,
    pub label_max_w: f64,
    /// Items listed on a card before 「ほか N 項目」.
    pub max_items: usize,
    /// Controls listed under a lane per party or system before 「ほか N 件」 (the checklist has them all);
    /// 0 leaves the lane's controls out (a printed diagram lists them on a page of their own).
    pub max_controls: usize,
    /// The lanes are widened to fill at least this width (px), so that printed pages share one scale.
    pub min_width: f64,
}

/// The whole diagram on one canvas.
pub(crate) const SCREEN: Density = Density {
    min_card_w: 170.0,
    max_card_w: 260.0,
    label_max_w: 190.0,
    max_items: 9,
    max_controls: 24,
    min_width: 0.0,
};

/// One printed page of a split diagram.
pub(crate) const PRINT: Density = Density {
    min_card_w: 150.0,
    max_card_w: 210.0,
    label_max_w: 165.0,
    max_items: 5,
    max_controls: 0,
    min_width: 1000.0,
};

/// What one drawing of the committee view holds: the whole diagram, or one page of it.
#[derive(Clone, Debug)]
pub(crate) struct Selection {
    /// The flows drawn, as indices into `model.flows`.
    pub flows: Vec<usize>,
    /// Draw only the nodes these flows touch, and only the lanes that hold such a node (a page of a split
    /// diagram); otherwise every node and every lane.
    pub only_touched: bool,
    pub density: Density,
    /// The title block: page number, notes, and whether it is the short form of a continuation page.
    pub title: TitleExtra,
    /// The legend lists every finding (the whole diagram), or only those marked on this drawing plus these.
    pub legend_all: bool,
    pub legend_extra: Vec<usize>,
}

impl Selection {
    /// The whole diagram on one canvas.
    pub(crate) fn whole(model: &Model) -> Selection {
        Selection {
            flows: (0..model.flows.len()).collect(),
            only_touched: false,
            density: SCREEN,
            title: TitleExtra::default(),
            legend_all: true,
            legend_extra: Vec::new(),
        }
    }
}

/// A box in the diagram: a system, or a party drawn as a box; `lane` indexes `DiagramGraph::lanes`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DiagramNode {
    pub endpoint: Endpoint,
    pub lane: usize,
}

/// An arrow: the flow it draws, its two ends and the relays it passes through on the way (`through`), all
/// indices into `DiagramGraph::nodes`. A layout may draw the relays as boxes the arrow passes through, or
/// only name them in the label.
#[derive(Clone, Debug)]
pub(crate) struct DiagramEdge {
    pub flow: usize,
    pub from: usize,
    pub to: usize,
    pub through: Vec<usize>,
}

/// What one drawing shows. Invariants: every edge's ends are nodes; every node's lane is a lane; nodes
/// are grouped by lane in lane order; edges are in the order of `Selection::flows`.
pub(crate) struct DiagramGraph<'f> {
    /// Parties, one lane each, left to right.
    pub lanes: Vec<usize>,
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<DiagramEdge>,
    pub marks: Marks,
    pub legend: Vec<&'f Finding>,
    pub title: TitleExtra,
    pub density: Density,
    pub highlight: bool,
}

/// The graph of `sel` (both views draw it; the layered view always draws the whole model).
pub(crate) fn build<'f>(
    model: &Model,
    findings: &'f [Finding],
    highlight: bool,
    changes: Option<&super::Changes>,
    sel: &Selection,
) -> Result<DiagramGraph<'f>, String> {
    let marks = Marks::new(model, findings, highlight).with_changes(model, changes);

    // The nodes drawn: every node, or those the selected flows touch.
    let mut touched: HashSet<Endpoint> = HashSet::new();
    for &f in &sel.flows {
        let flow = model
            .flows
            .get(f)
            .ok_or_else(|| format!("流れ {f} はモデルにありません"))?;
        touched.insert(flow.from);
        touched.insert(flow.to);
        touched.extend(flow.through.iter().copied());
    }
    let shown = |e: &Endpoint| !sel.only_touched || touched.contains(e);
    let lane_shown: HashSet<usize> = touched.iter().map(|&e| model.party_of(e)).collect();

    // Lanes in role order, model order within a role.
    let mut lanes: Vec<usize> = (0..model.parties.len())
        .filter(|p| !sel.only_touched || lane_shown.contains(p))
        .collect();
    lanes.sort_by_key(|&p| (role_rank(model.parties[p].role), p));
    let lane_of_party: HashMap<usize, usize> =
        lanes.iter().enumerate().map(|(l, &p)| (p, l)).collect();

    // Nodes, grouped by lane (a stable sort keeps model order within a lane).
    let mut nodes: Vec<DiagramNode> = content::nodes(model)
        .into_iter()
        .filter(shown)
        .filter_map(|e| {
            lane_of_party
                .get(&model.party_of(e))
                .map(|&lane| DiagramNode { endpoint: e, lane })
        })
        .collect();
    nodes.sort_by_key(|n| n.lane);
    let node_of: HashMap<Endpoint, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.endpoint, i))
        .collect();

    let mut edges = Vec::with_capacity(sel.flows.len());
    for &f in &sel.flows {
        let flow = &model.flows[f];
        let (Some(&from), Some(&to)) = (node_of.get(&flow.from), node_of.get(&flow.to)) else {
            return Err(format!("流れ{} の端が図にありません", flow.no.mark()));
        };
        let through = flow
            .through
            .iter()
            .filter_map(|e| node_of.get(e).copied())
            .filter(|&n| n != from && n != to)
            .collect();
        edges.push(DiagramEdge {
            flow: f,
            from,
            to,
            through,
        });
    }

    // The legend: every finding, or those marked on this drawing (and any the caller adds).
    let flows: HashSet<usize> = sel.flows.iter().copied().collect();
    let drawn = |f: &Finding| match f.target.and_then(|t| Marked::of(model, t)) {
        Some(Marked::Flow(k)) => flows.contains(&k),
        Some(Marked::System(k)) => node_of.contains_key(&Endpoint::System(k)),
        Some(Marked::Party(k)) => lane_of_party.contains_key(&k),
        None => false,
    };
    let extra: HashSet<usize> = sel.legend_extra.iter().copied().collect();
    let legend: Vec<&Finding> = findings
        .iter()
        .enumerate()
        .filter(|&(i, f)| sel.legend_all || drawn(f) || extra.contains(&i))
        .map(|(_, f)| f)
        .collect();

    Ok(DiagramGraph {
        lanes,
        nodes,
        edges,
        marks,
        legend,
        title: sel.title.clone(),
        density: sel.density,
        highlight,
    })
}
