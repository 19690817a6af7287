//! The flow graph: who holds, moves, reaches and controls the data.
//!
//! Nodes are entities, sites, services and access origins (one per remote
//! access path: a team of an entity, in a country). Edges are data flows,
//! remote access, operation of a site, storage of a service at a site,
//! performance of a service by an actor, employment of a team, and control
//! (parent → subsidiary). Analysis asks the graph which entities are involved
//! in a service, following data wherever it goes — including onward transfers
//! through subcontractors' own subcontractors.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::model::{NodeRef, Project};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
    index: BTreeMap<Node, NodeIndex>,
}

impl FlowGraph {
    pub fn build(p: &Project) -> FlowGraph {
        let mut g = FlowGraph {
            graph: DiGraph::new(),
            index: BTreeMap::new(),
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
    pub fn reach_of_service(&self, p: &Project, service: &str, scope: Reach) -> BTreeSet<Node> {
        let mut seen = BTreeSet::new();
        let Some(start) = self.index_of(&Node::Service(service.to_string())) else {
            return seen;
        };
        let mut queue = VecDeque::from([start]);
        let mut visited = BTreeSet::from([start]);
        while let Some(i) = queue.pop_front() {
            seen.insert(self.graph[i].clone());
            let mut next = Vec::new();
            for e in self.graph.edges_directed(i, Direction::Outgoing) {
                match e.weight() {
                    Edge::Stores => next.push(e.target()),
                    Edge::Flow(fid) => {
                        // Anonymous data is not personal data: it drags no one in.
                        let carries = p.flows.get(fid).is_some_and(|f| {
                            (f.services.is_empty() || f.services.iter().any(|s| s == service))
                                && f.data.iter().any(|d| scope.admits(*d))
                        });
                        if carries {
                            next.push(e.target());
                        }
                    }
                    _ => {}
                }
            }
            for e in self.graph.edges_directed(i, Direction::Incoming) {
                match e.weight() {
                    Edge::Operates | Edge::Performs | Edge::Employs => next.push(e.source()),
                    Edge::Access(aid)
                        if p.access_paths
                            .get(aid)
                            .is_some_and(|a| a.data.iter().any(|d| scope.admits(*d))) =>
                    {
                        next.push(e.source());
                    }
                    _ => {}
                }
            }
            // Entities reached hold data: follow their outgoing flows only
            // (not the services they perform for others).
            for n in next {
                let is_other_service = matches!(&self.graph[n], Node::Service(s) if s != service);
                if !is_other_service && visited.insert(n) {
                    queue.push_back(n);
                }
            }
        }
        seen
    }

    /// The chain of parents of an entity, nearest first (cycle-safe).
    pub fn control_chain(&self, entity: &str) -> Vec<String> {
        let mut chain = Vec::new();
        let Some(mut i) = self.index_of(&Node::Entity(entity.to_string())) else {
            return chain;
        };
        loop {
            let parent = self
                .graph
                .edges_directed(i, Direction::Incoming)
                .find(|e| matches!(e.weight(), Edge::Controls))
                .map(|e| e.source());
            match parent {
                Some(pi) => match &self.graph[pi] {
                    Node::Entity(id) if id != entity && !chain.contains(id) => {
                        chain.push(id.clone());
                        i = pi;
                    }
                    _ => break,
                },
                None => break,
            }
        }
        chain
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
