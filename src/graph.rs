//! The flow graph: who holds, moves, reaches and controls the data.
//!
//! Nodes are entities, sites, services and access origins (one per remote
//! access path: a team of an entity, in a country). Edges are data flows,
//! remote access, operation of a site, storage of a service at a site,
//! performance of a service by an actor, employment of a team, and control
//! (parent → subsidiary). Analysis asks the graph which entities are involved
//! in a service, following data wherever it goes — including onward transfers
//! through subcontractors' own subcontractors.

use std::collections::{BTreeSet, HashMap};

use fixedbitset::FixedBitSet;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::model::{NodeRef, Project};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Node {
    Entity(String),
    Site(String),
    Service(String),
    /// The origin of a remote-access path (keyed by the access path id).
    AccessOrigin(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum Edge {
    /// Data flow (flow id), from → to.
    Flow(String),
    /// Remote access (access id), origin → target.
    Access(String),
    /// Entity operates site.
    Operates,
    /// Service stores its data at site.
    Stores,
    /// Entity performs HDS activities for service.
    Performs,
    /// Entity employs the team behind an access origin.
    Employs,
    /// Parent controls subsidiary.
    Controls,
}

pub struct FlowGraph {
    pub graph: DiGraph<Node, Edge>,
    /// Node → index (hashed: looked up for every edge and every query).
    index: HashMap<Node, NodeIndex>,
}

impl FlowGraph {
    pub fn build(p: &Project) -> FlowGraph {
        let mut g = FlowGraph {
            graph: DiGraph::new(),
            index: HashMap::new(),
        };
        for id in p.entities.keys() {
            g.node(Node::Entity(id.clone()));
        }
        for id in p.sites.keys() {
            g.node(Node::Site(id.clone()));
        }
        for id in p.services.keys() {
            g.node(Node::Service(id.clone()));
        }
        for e in p.entities.values() {
            if let Some(parent) = &e.parent {
                g.edge(
                    Node::Entity(parent.clone()),
                    Node::Entity(e.id.clone()),
                    Edge::Controls,
                );
            }
        }
        for s in p.sites.values() {
            g.edge(
                Node::Entity(s.operator.clone()),
                Node::Site(s.id.clone()),
                Edge::Operates,
            );
        }
        for s in p.services.values() {
            for site in &s.sites {
                g.edge(
                    Node::Service(s.id.clone()),
                    Node::Site(site.clone()),
                    Edge::Stores,
                );
            }
            for a in &s.actors {
                g.edge(
                    Node::Entity(a.entity.clone()),
                    Node::Service(s.id.clone()),
                    Edge::Performs,
                );
            }
        }
        for f in p.flows.values() {
            g.edge(node_of(&f.from), node_of(&f.to), Edge::Flow(f.id.clone()));
        }
        for a in p.access_paths.values() {
            let origin = Node::AccessOrigin(a.id.clone());
            g.edge(Node::Entity(a.team.clone()), origin.clone(), Edge::Employs);
            for t in &a.targets {
                g.edge(origin.clone(), node_of(t), Edge::Access(a.id.clone()));
            }
        }
        g
    }

    fn node(&mut self, n: Node) -> NodeIndex {
        if let Some(i) = self.index.get(&n) {
            return *i;
        }
        let i = self.graph.add_node(n.clone());
        self.index.insert(n, i);
        i
    }

    fn edge(&mut self, a: Node, b: Node, e: Edge) {
        let a = self.node(a);
        let b = self.node(b);
        self.graph.add_edge(a, b, e);
    }

    pub fn index_of(&self, n: &Node) -> Option<NodeIndex> {
        self.index.get(n).copied()
    }

    /// Everything that holds or can reach a service's data: its storage sites
    /// and their operators, its actors, every node its data flows to (onward,
    /// transitively, respecting flows restricted to other services), the
    /// access origins reaching any of these and the teams' entities.
    ///
    /// Control edges are not followed: a parent is not an actor, but its
    /// jurisdiction reaches its subsidiaries (see [`FlowGraph::control_chain`]).
    /// For every service at once, use [`FlowGraph::service_reach`].
    pub fn reach_of_service(&self, p: &Project, service: &str, scope: Reach) -> BTreeSet<Node> {
        self.reach_indices(p, service, scope)
            .into_iter()
            .map(|i| self.graph[i].clone())
            .collect()
    }

    /// [`FlowGraph::reach_of_service`] as node indices, in index order.
    pub fn reach_indices(&self, p: &Project, service: &str, scope: Reach) -> Vec<NodeIndex> {
        let Some(start) = self.index_of(&Node::Service(service.to_string())) else {
            return Vec::new();
        };
        self.propagate(p, scope, &[(start, service)])
            .into_iter()
            .flatten()
            .collect()
    }

    /// The reach (see [`FlowGraph::reach_of_service`]) of every service of
    /// the project: one search per service over a precomputed list of the
    /// edges that carry data (in parallel), then one bit per service on
    /// every node reached. A service's reach does not grow with the size of
    /// the inventory (its sites, actors and onward flows), so this is linear
    /// in the number of services; propagating all services' bits together
    /// along every edge cost nodes × services / 64 words (and a bit set of
    /// every service on every restricted flow): quadratic, 6 s at 100,000
    /// entities.
    pub fn service_reach(&self, p: &Project, scope: Reach) -> ServiceReach {
        let starts: Vec<(NodeIndex, &str)> = p
            .services
            .keys()
            .filter_map(|s| Some((self.index_of(&Node::Service(s.clone()))?, s.as_str())))
            .collect();
        let nodes = self.propagate(p, scope, &starts);
        let mut bits = vec![FixedBitSet::with_capacity(starts.len()); self.graph.node_count()];
        for (i, reached) in nodes.iter().enumerate() {
            for n in reached {
                bits[n.index()].insert(i);
            }
        }
        ServiceReach {
            services: starts.iter().map(|(_, s)| s.to_string()).collect(),
            bits,
            nodes,
        }
    }

    /// For each start service, the nodes its data reaches, in graph index
    /// order.
    fn propagate(
        &self,
        p: &Project,
        scope: Reach,
        starts: &[(NodeIndex, &str)],
    ) -> Vec<Vec<NodeIndex>> {
        use rayon::prelude::*;
        let carrying = Carrying::new(self, p, scope);
        starts
            .par_iter()
            .map_init(
                || FixedBitSet::with_capacity(self.graph.node_count()),
                |seen, (start, service)| {
                    let mut reached = vec![*start];
                    seen.insert(start.index());
                    let mut next = 0;
                    while let Some(&here) = reached.get(next) {
                        next += 1;
                        for &(to, restricted) in &carrying.onward[here.index()] {
                            let admitted = restricted.is_none_or(|r| {
                                carrying.restrictions[r].iter().any(|s| s == service)
                            });
                            if admitted && !seen.put(to.index()) {
                                reached.push(to);
                            }
                        }
                    }
                    // Clear only what this search set (the buffer is reused).
                    for n in &reached {
                        seen.set(n.index(), false);
                    }
                    reached.sort_unstable();
                    reached
                },
            )
            .collect()
    }

    /// The node controlling node `i` (its `parent`), if any.
    pub fn parent_index(&self, i: NodeIndex) -> Option<NodeIndex> {
        self.graph
            .edges_directed(i, Direction::Incoming)
            .find(|e| matches!(e.weight(), Edge::Controls))
            .map(|e| e.source())
    }

    /// The chain of parents of an entity, nearest first (cycle-safe).
    pub fn control_chain(&self, entity: &str) -> Vec<String> {
        let mut chain = Vec::new();
        let Some(mut i) = self.index_of(&Node::Entity(entity.to_string())) else {
            return chain;
        };
        // Visited nodes (a long chain must not be searched at each step).
        let mut seen = std::collections::HashSet::from([i]);
        while let Some(pi) = self.parent_index(i) {
            match &self.graph[pi] {
                Node::Entity(id) if seen.insert(pi) => {
                    chain.push(id.clone());
                    i = pi;
                }
                _ => break,
            }
        }
        chain
    }
}

/// The edges along which a service's data travels, per node, decided once
/// for all services: forward along storage and flows carrying data of the
/// scope (a flow restricted to services only for those), backward from
/// what holds data to whoever operates, performs, employs, or reaches it by
/// an access path of the scope. A service's data never enters another
/// service.
struct Carrying<'p> {
    /// Node → nodes the data moves on to, with the restriction (index in
    /// `restrictions`) of a flow limited to some services.
    onward: Vec<Vec<(NodeIndex, Option<usize>)>>,
    /// Services a restricted flow carries the data of.
    restrictions: Vec<&'p [String]>,
}

impl<'p> Carrying<'p> {
    fn new(g: &FlowGraph, p: &'p Project, scope: Reach) -> Carrying<'p> {
        let mut onward = vec![Vec::new(); g.graph.node_count()];
        let mut restrictions = Vec::new();
        for e in g.graph.edge_references() {
            let (from, to, restriction) = match e.weight() {
                Edge::Stores => (e.source(), e.target(), None),
                Edge::Flow(fid) => match p.flows.get(fid) {
                    // Anonymous data is not personal data: it drags no one in.
                    Some(f) if f.data.iter().any(|d| scope.admits(*d)) => {
                        if f.services.is_empty() {
                            (e.source(), e.target(), None)
                        } else {
                            restrictions.push(f.services.as_slice());
                            (e.source(), e.target(), Some(restrictions.len() - 1))
                        }
                    }
                    _ => continue,
                },
                // Entities reached hold data: whoever operates, performs or
                // employs is reached backwards.
                Edge::Operates | Edge::Performs | Edge::Employs => (e.target(), e.source(), None),
                Edge::Access(aid)
                    if p.access_paths
                        .get(aid)
                        .is_some_and(|a| a.data.iter().any(|d| scope.admits(*d))) =>
                {
                    (e.target(), e.source(), None)
                }
                _ => continue,
            };
            if !matches!(g.graph[to], Node::Service(_)) {
                onward[from.index()].push((to, restriction));
            }
        }
        Carrying {
            onward,
            restrictions,
        }
    }
}

/// Which nodes each service's data reaches (see [`FlowGraph::service_reach`]).
pub struct ServiceReach {
    /// Service ids, sorted: bit `i` of a node is `services[i]`.
    pub services: Vec<String>,
    /// Per node (graph index): the services whose data reaches it.
    bits: Vec<FixedBitSet>,
    /// Per service: the nodes its data reaches, in graph index order.
    nodes: Vec<Vec<NodeIndex>>,
}

impl ServiceReach {
    /// Services whose data reaches a node, sorted by id.
    pub fn services_at(&self, node: NodeIndex) -> impl Iterator<Item = &str> + '_ {
        self.bits
            .get(node.index())
            .into_iter()
            .flat_map(|b| b.ones())
            .map(|i| self.services[i].as_str())
    }

    /// The set of services (bit positions) whose data reaches a node.
    pub fn bits_at(&self, node: NodeIndex) -> Option<&FixedBitSet> {
        self.bits.get(node.index())
    }

    /// Nodes reached by the service at position `i` of `services`.
    pub fn nodes_of(&self, i: usize) -> &[NodeIndex] {
        self.nodes.get(i).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Every node reached by at least one service, in graph index order.
    pub fn all_nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.bits
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_clear())
            .map(|(i, _)| NodeIndex::new(i))
    }
}

/// Which data makes a node part of a service's reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Any personal data (GDPR chapter V: which services a transfer concerns).
    Personal,
    /// Health data only (HDS: who is involved in hosting the service's health data).
    Health,
}

impl Reach {
    fn admits(self, d: crate::model::DataCategory) -> bool {
        match self {
            Reach::Personal => d.is_personal(),
            Reach::Health => d.is_health(),
        }
    }
}

fn node_of(r: &NodeRef) -> Node {
    match r {
        NodeRef::Entity(s) => Node::Entity(s.clone()),
        NodeRef::Site(s) => Node::Site(s.clone()),
        NodeRef::Service(s) => Node::Service(s.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;

    fn example() -> Project {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::load::load(root, Reference::embedded());
        loaded.project.expect("the example project is valid")
    }

    #[test]
    fn reach_follows_sites_operators_flows_and_access_but_not_other_services() {
        let p = example();
        let g = FlowGraph::build(&p);
        let pg = g.reach_of_service(&p, "postgresql", Reach::Personal);
        assert!(pg.contains(&Node::Site("sxb1".into())));
        assert!(
            pg.contains(&Node::Entity("alsace-dc".into())),
            "operator of a storage site"
        );
        assert!(pg.contains(&Node::AccessOrigin("support-n2-casablanca".into())));
        assert!(
            pg.contains(&Node::Entity("atlas-infogerance".into())),
            "team's employer"
        );
        assert!(
            pg.contains(&Node::Entity("sentinelle".into())),
            "telemetry flow from a storage site"
        );
        // The replication flow is restricted to dossier-patient.
        assert!(!pg.contains(&Node::Site("par-stratus".into())));
        // Montreal reaches the dossier-patient service, not its sites: not postgresql.
        assert!(!pg.contains(&Node::AccessOrigin("incidents-montreal".into())));
        assert!(!pg.contains(&Node::Service("dossier-patient".into())));
        let dpi = g.reach_of_service(&p, "dossier-patient", Reach::Personal);
        assert!(dpi.contains(&Node::Site("par-stratus".into())));
        assert!(dpi.contains(&Node::Entity("stratus-fr".into())));
        // Only metadata goes to the SIEM: not involved in hosting health data.
        let health = g.reach_of_service(&p, "postgresql", Reach::Health);
        assert!(!health.contains(&Node::Entity("sentinelle".into())));
        assert!(health.contains(&Node::Entity("atlas-infogerance".into())));
    }

    #[test]
    fn control_chain_goes_up_to_the_ultimate_parent() {
        let p = example();
        let g = FlowGraph::build(&p);
        assert_eq!(
            g.control_chain("stratus-fr"),
            vec!["stratus-inc".to_string()]
        );
        assert_eq!(
            g.control_chain("hexasante"),
            vec!["hexasante-holding".to_string()]
        );
        assert!(g.control_chain("stratus-inc").is_empty());
    }
}
