//! The flow graph: parties and systems as nodes, flows as edges, and the item propagation every rule shares.
//!
//! This is the only module that knows petgraph. Everything it returns speaks in model terms
//! (`Endpoint`, flow indices into `Model::flows`), never in graph indices.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::itemset::ItemSet;
use crate::model::{Endpoint, Model};

/// The result of `FlowGraph::search_tree`: reachability and shortest chains from a set of endpoints.
pub struct SearchTree {
    forward: bool,
    seen: Vec<bool>,
    /// For each reached node, the flow that reached it and the node it came from.
    parent: Vec<Option<(usize, NodeIndex)>>,
    offset: usize,
}

impl SearchTree {
    fn index(&self, endpoint: Endpoint) -> usize {
        match endpoint {
            Endpoint::Party(p) => p,
            Endpoint::System(s) => self.offset + s,
        }
    }

    /// Whether the search reached `endpoint`.
    pub fn reached(&self, endpoint: Endpoint) -> bool {
        self.seen
            .get(self.index(endpoint))
            .copied()
            .unwrap_or(false)
    }

    /// The chain of flows between the search's start set and `endpoint`, in flow direction.
    pub fn chain(&self, endpoint: Endpoint) -> Option<Vec<usize>> {
        if !self.reached(endpoint) {
            return None;
        }
        let mut flows = Vec::new();
        let mut at = self.index(endpoint);
        while let Some((flow, prev)) = self.parent.get(at).copied().flatten() {
            flows.push(flow);
            at = prev.index();
            if flows.len() > self.parent.len() {
                break;
            }
        }
        // A forward search walked back from the end; a backward search walked forward from the start.
        if self.forward {
            flows.reverse();
        }
        Some(flows)
    }
}

/// Parties and systems joined by flows, with what each node receives and holds.
pub struct FlowGraph<'m> {
    model: &'m Model,
    graph: DiGraph<Endpoint, usize>,
    /// Items arriving at each node by some flow (indexed like graph nodes).
    received: Vec<ItemSet>,
    /// Items stored at or arriving at each node.
    held: Vec<ItemSet>,
    /// For each party, the systems it runs or hosts.
    party_systems: Vec<Vec<usize>>,
    /// For each party: items arriving at it or a system it runs, and everything held by systems it hosts.
    party_received: Vec<ItemSet>,
    /// For each node: a data flow whose items the paper does not state arrives at it.
    unknown: Vec<bool>,
    /// For each party: the same, at it or a system it runs.
    party_unknown: Vec<bool>,
    /// Flows arriving at each node, in model order: node `n`'s are `incoming[incoming_start[n]..incoming_start[n + 1]]`.
    /// Rules ask for these per subject, so they are laid out once instead of collected and sorted per call.
    incoming: Vec<usize>,
    incoming_start: Vec<usize>,
    /// Flows leaving each node, in model order, laid out like `incoming`.
    outgoing: Vec<usize>,
    outgoing_start: Vec<usize>,
}

/// Flows grouped by node, each group in model order: (flows, where each node's group starts; one more than nodes).
fn group_by_node(
    node_count: usize,
    node_of_flow: impl Iterator<Item = usize> + Clone,
) -> (Vec<usize>, Vec<usize>) {
    let mut start = vec![0usize; node_count + 1];
    for n in node_of_flow.clone() {
        start[n + 1] += 1;
    }
    for n in 0..node_count {
        start[n + 1] += start[n];
    }
    let mut next = start.clone();
    let mut flows = vec![0usize; start[node_count]];
    for (f, n) in node_of_flow.enumerate() {
        flows[next[n]] = f;
        next[n] += 1;
    }
    (flows, start)
}

impl<'m> FlowGraph<'m> {
    /// Builds the graph and computes, once, what every node receives and holds.
    pub fn build(model: &'m Model) -> Self {
        let node_count = model.parties.len() + model.systems.len();
        let mut graph = DiGraph::with_capacity(node_count, model.flows.len());
        for p in 0..model.parties.len() {
            graph.add_node(Endpoint::Party(p));
        }
        for s in 0..model.systems.len() {
            graph.add_node(Endpoint::System(s));
        }
        let mut this = FlowGraph {
            model,
            graph,
            received: Vec::new(),
            held: Vec::new(),
            party_systems: vec![Vec::new(); model.parties.len()],
            party_received: Vec::new(),
            unknown: vec![false; node_count],
            party_unknown: vec![false; model.parties.len()],
            incoming: Vec::new(),
            incoming_start: Vec::new(),
            outgoing: Vec::new(),
            outgoing_start: Vec::new(),
        };
        for (i, flow) in model.flows.iter().enumerate() {
            let (a, b) = (this.node(flow.from), this.node(flow.to));
            this.graph.add_edge(a, b, i);
        }
        (this.incoming, this.incoming_start) = group_by_node(
            node_count,
            model.flows.iter().map(|f| this.node(f.to).index()),
        );
        (this.outgoing, this.outgoing_start) = group_by_node(
            node_count,
            model.flows.iter().map(|f| this.node(f.from).index()),
        );
        let items = model.items.len();
        this.received = vec![ItemSet::with_capacity(items); node_count];
        for flow in &model.flows {
            let to = this.node(flow.to).index();
            this.received[to].union_with(&flow.items.set);
            if flow.is_data() && flow.items_unstated() {
                this.unknown[to] = true;
            }
        }
        this.held = this.received.clone();
        for (s, system) in model.systems.iter().enumerate() {
            let n = this.node(Endpoint::System(s)).index();
            this.held[n].union_with(&system.stores.set);
        }
        // One pass over the systems: what each party receives (a cloud host holds what its tenants' systems store).
        let mut party_received: Vec<ItemSet> = (0..model.parties.len())
            .map(|p| this.received[p].clone())
            .collect();
        let mut party_unknown: Vec<bool> = this.unknown[..model.parties.len()].to_vec();
        for (s, system) in model.systems.iter().enumerate() {
            let n = model.parties.len() + s;
            if let Some(set) = party_received.get_mut(system.party) {
                set.union_with(&this.received[n]);
            }
            party_unknown[system.party] |= this.unknown[n];
            this.party_systems[system.party].push(s);
            // A host, or a body running the system jointly, holds what the system holds.
            let others = system.host.into_iter().chain(system.joint.iter().copied());
            for other in others {
                if other == system.party || this.party_systems[other].contains(&s) {
                    continue;
                }
                party_received[other].union_with(&this.held[n]);
                party_unknown[other] |= this.unknown[n];
                this.party_systems[other].push(s);
            }
        }
        this.party_received = party_received;
        this.party_unknown = party_unknown;
        this
    }

    /// A data flow whose items the paper does not state arrives at `endpoint`.
    pub fn receives_unknown(&self, endpoint: Endpoint) -> bool {
        self.unknown[self.node(endpoint).index()]
    }

    /// The same for a party: at it, a system it runs, or a system it hosts or runs jointly.
    pub fn party_receives_unknown(&self, party: usize) -> bool {
        self.party_unknown[party]
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    fn node(&self, endpoint: Endpoint) -> NodeIndex {
        match endpoint {
            Endpoint::Party(p) => NodeIndex::new(p),
            Endpoint::System(s) => NodeIndex::new(self.model.parties.len() + s),
        }
    }

    fn endpoint(&self, node: NodeIndex) -> Endpoint {
        self.graph[node]
    }

    /// Every node, parties first then systems, in model order.
    pub fn endpoints(&self) -> impl Iterator<Item = Endpoint> + '_ {
        self.graph.node_indices().map(|n| self.graph[n])
    }

    /// Items arriving at `endpoint` by any flow.
    pub fn received(&self, endpoint: Endpoint) -> &ItemSet {
        &self.received[self.node(endpoint).index()]
    }

    /// Items stored at or arriving at `endpoint`.
    pub fn held(&self, endpoint: Endpoint) -> &ItemSet {
        &self.held[self.node(endpoint).index()]
    }

    /// Items arriving at a party or any system it runs, plus everything held by systems it hosts.
    pub fn party_received(&self, party: usize) -> &ItemSet {
        &self.party_received[party]
    }

    /// The party's own node and every system it runs or hosts.
    pub fn party_endpoints(&self, party: usize) -> impl Iterator<Item = Endpoint> + '_ {
        std::iter::once(Endpoint::Party(party)).chain(
            self.party_systems[party]
                .iter()
                .map(|&s| Endpoint::System(s)),
        )
    }

    /// Indices of flows arriving at `endpoint`, in model order.
    pub fn flows_into(&self, endpoint: Endpoint) -> std::iter::Copied<std::slice::Iter<'_, usize>> {
        let n = self.node(endpoint).index();
        self.incoming[self.incoming_start[n]..self.incoming_start[n + 1]]
            .iter()
            .copied()
    }

    /// Indices of flows leaving `endpoint`, in model order.
    pub fn flows_out_of(
        &self,
        endpoint: Endpoint,
    ) -> std::iter::Copied<std::slice::Iter<'_, usize>> {
        let n = self.node(endpoint).index();
        self.outgoing[self.outgoing_start[n]..self.outgoing_start[n + 1]]
            .iter()
            .copied()
    }

    /// Multi-hop propagation: starting from `seeds` (items present at some nodes), items travel along
    /// every flow that names them, over any number of hops. Returns what reaches each endpoint.
    pub fn propagate(&self, seeds: &[(Endpoint, ItemSet)]) -> Vec<(Endpoint, ItemSet)> {
        let n = self.graph.node_count();
        let mut state = vec![ItemSet::default(); n];
        let mut queue = VecDeque::new();
        let mut queued = vec![false; n];
        for (endpoint, items) in seeds {
            let node = self.node(*endpoint);
            state[node.index()].union_with(items);
            if !queued[node.index()] {
                queued[node.index()] = true;
                queue.push_back(node);
            }
        }
        while let Some(node) = queue.pop_front() {
            queued[node.index()] = false;
            let here = state[node.index()].clone();
            for edge in self.graph.edges_directed(node, Direction::Outgoing) {
                let moving = here.intersect(&self.model.flows[*edge.weight()].items.set);
                let target = edge.target();
                if !moving.is_empty()
                    && state[target.index()].union_with(&moving)
                    && !queued[target.index()]
                {
                    queued[target.index()] = true;
                    queue.push_back(target);
                }
            }
        }
        self.graph
            .node_indices()
            .map(|node| {
                (
                    self.endpoint(node),
                    std::mem::take(&mut state[node.index()]),
                )
            })
            .collect()
    }

    /// The chain of flows that brings `item` to `endpoint`, from where it starts (a node that stores it, the
    /// 本人 it is about, or one that nothing brings it to), shortest first. Empty if the item does not arrive by any flow.
    pub fn explain(&self, endpoint: Endpoint, item: usize) -> Vec<usize> {
        let target = self.node(endpoint);
        // Sparse: the search usually stops a few steps back, and a rule may ask for every system of a party,
        // so its cost must not be the size of the whole graph.
        let mut came_by: HashMap<NodeIndex, EdgeIndex> = HashMap::new();
        let mut seen: HashSet<NodeIndex> = HashSet::from([target]);
        let mut queue = VecDeque::from([target]);
        let mut origin = None;
        while let Some(node) = queue.pop_front() {
            let mut incoming: Vec<EdgeIndex> = self
                .graph
                .edges_directed(node, Direction::Incoming)
                .filter(|e| self.model.flows[*e.weight()].items.set.contains(item))
                .map(|e| e.id())
                .collect();
            incoming.sort_by_key(|&e| self.graph[e]);
            // Data starts where it is stored, or with the person it is about.
            let origin_here = match self.endpoint(node) {
                Endpoint::System(s) => self.model.systems[s].stores.set.contains(item),
                Endpoint::Party(p) => self.model.parties[p].role == crate::model::Role::Subject,
            };
            if node != target && (incoming.is_empty() || origin_here) {
                origin = Some(node);
                break;
            }
            for edge in incoming {
                let source = self.graph.edge_endpoints(edge).map(|(a, _)| a);
                if let Some(source) = source {
                    if seen.insert(source) {
                        came_by.insert(source, edge);
                        queue.push_back(source);
                    }
                }
            }
        }
        // Walk forward from the origin to the target. If every chain loops back, start at the nearest flow.
        let Some(mut node) = origin.or_else(|| {
            self.graph
                .edges_directed(target, Direction::Incoming)
                .filter(|e| self.model.flows[*e.weight()].items.set.contains(item))
                .min_by_key(|e| *e.weight())
                .map(|e| e.source())
        }) else {
            return Vec::new();
        };
        let mut path = Vec::new();
        while node != target {
            let Some(&edge) = came_by.get(&node) else {
                // Fallback origin: a direct flow into the target.
                if let Some(e) = self
                    .graph
                    .edges_connecting(node, target)
                    .filter(|e| self.model.flows[*e.weight()].items.set.contains(item))
                    .min_by_key(|e| *e.weight())
                {
                    path.push(*e.weight());
                }
                break;
            };
            path.push(self.graph[edge]);
            match self.graph.edge_endpoints(edge) {
                Some((_, next)) => node = next,
                None => break,
            }
            if path.len() > self.graph.edge_count() {
                break;
            }
        }
        path
    }

    /// A breadth-first search from all of `from` at once, forward along flows or backward against them,
    /// following only usable flows. The result answers, for every endpoint, whether it is connected and by
    /// which shortest chain of flows, without a search per endpoint.
    pub fn search_tree(
        &self,
        from: &[Endpoint],
        forward: bool,
        usable: impl Fn(usize) -> bool,
    ) -> SearchTree {
        let direction = if forward {
            Direction::Outgoing
        } else {
            Direction::Incoming
        };
        let n = self.graph.node_count();
        let mut seen = vec![false; n];
        let mut parent: Vec<Option<(usize, NodeIndex)>> = vec![None; n];
        let mut queue: VecDeque<NodeIndex> = VecDeque::new();
        for &e in from {
            let node = self.node(e);
            if !seen[node.index()] {
                seen[node.index()] = true;
                queue.push_back(node);
            }
        }
        while let Some(node) = queue.pop_front() {
            let mut edges: Vec<_> = self
                .graph
                .edges_directed(node, direction)
                .filter(|e| usable(*e.weight()))
                .collect();
            edges.sort_by_key(|e| *e.weight());
            for edge in edges {
                let next = if forward {
                    edge.target()
                } else {
                    edge.source()
                };
                if !seen[next.index()] {
                    seen[next.index()] = true;
                    parent[next.index()] = Some((*edge.weight(), node));
                    queue.push_back(next);
                }
            }
        }
        SearchTree {
            forward,
            seen,
            parent,
            offset: self.model.parties.len(),
        }
    }

    /// Human-readable chain: 対象者 →① LoGoフォームのサーバ →③ 区イントラPC.
    pub fn describe_path(&self, flows: &[usize]) -> String {
        let mut out = String::new();
        for (k, &f) in flows.iter().enumerate() {
            let flow = &self.model.flows[f];
            if k == 0 {
                out.push_str(self.model.endpoint_name(flow.from));
            }
            out.push_str(&format!(
                " →{} {}",
                flow.no.mark(),
                self.model.endpoint_name(flow.to)
            ));
        }
        out
    }
}
