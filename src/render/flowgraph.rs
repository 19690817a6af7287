//! The flow graph as Graphviz DOT, a Mermaid flowchart or JSON, for
//! `sovmap graph` and the site's service pages (which publish the graph of
//! each service beside the page).
//!
//! Nodes are entities, sites, services and access origins, labelled with
//! their names and countries; nodes outside the EEA are marked (a service is
//! inside the EEA when all its storage sites are). Edges are labelled by kind.
//! The output is sorted, so identical input gives identical output.

use std::collections::HashMap;
use std::fmt::Write as _;

use fixedbitset::FixedBitSet;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::Checked;
use crate::graph::{Edge, FlowGraph, Node, Reach, ServiceReach};
use crate::model::english_key;

/// Version of the JSON output; bumped on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// The formats the graph is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

/// The graph of the whole project, or of one service (what holds or can
/// reach its personal data, plus the parents of the entities kept), in
/// `format`, with country names in `lang` ("fr" or "en"). The caller checks
/// that `service` is declared.
pub fn render(c: &Checked, service: Option<&str>, lang: &str, format: GraphFormat) -> String {
    let g = FlowGraph::build(&c.project);
    let kept = match service {
        None => {
            let mut all = FixedBitSet::with_capacity(g.graph.node_count());
            all.insert_range(..);
            all
        }
        Some(sid) => kept_nodes(&g, &g.reach_indices(&c.project, sid, Reach::Personal)),
    };
    let mut view = Catalogue::new(c, &g).view(&g, service, &kept);
    view.name_countries(c, lang);
    write_view(&view, format)
}

/// The graphs of every service of the project, in several formats, for the
/// site: one graph and one reach computation for all of them (building
/// either per service made the site quadratic in the project's size), and
/// every node and edge printed once (per language for nodes, whose country
/// names are translated), then copied into each service's graph that keeps
/// it: a service's graph is mostly a selection of lines.
pub struct ServiceGraphs<'a> {
    c: &'a Checked,
    graph: FlowGraph,
    reach: ServiceReach,
    catalogue: Catalogue<'a>,
    /// Per language given to [`ServiceGraphs::new`]: each node's DOT line
    /// and Mermaid shape, by node index.
    node_lines: Vec<(String, Vec<String>, Vec<String>)>,
    /// Each edge's DOT line and Mermaid arrow, by edge index (empty for an
    /// edge that is never printed).
    edge_lines: Vec<(String, String)>,
    /// The same on English graphs, for the edges labelled with the
    /// provider's own text (see [`ViewEdge::label_en`]).
    edge_lines_en: Vec<Option<(String, String)>>,
}

impl<'a> ServiceGraphs<'a> {
    /// For the languages `langs` ("fr", "en").
    pub fn new(c: &'a Checked, langs: &[&str]) -> ServiceGraphs<'a> {
        let graph = FlowGraph::build(&c.project);
        let reach = graph.service_reach(&c.project, Reach::Personal);
        let catalogue = Catalogue::new(c, &graph);
        let node_lines = langs
            .iter()
            .map(|lang| {
                let (mut dots, mut shapes) = (Vec::new(), Vec::new());
                for n in &catalogue.nodes {
                    let mut n = n.clone();
                    n.name_country(c, lang);
                    let mut line = String::new();
                    dot_node(&mut line, &n);
                    dots.push(line);
                    let mut shape = String::new();
                    mermaid_node(&mut shape, &n);
                    shapes.push(shape);
                }
                (lang.to_string(), dots, shapes)
            })
            .collect();
        let lines = |e: &ViewEdge| {
            let (mut line, mut arrow) = (String::new(), String::new());
            dot_edge(&mut line, e);
            mermaid_edge(&mut arrow, e);
            (line, arrow)
        };
        let edge_lines = catalogue
            .edges
            .iter()
            .map(|e| e.as_ref().map(lines).unwrap_or_default())
            .collect();
        let edge_lines_en = catalogue
            .edges
            .iter()
            .map(|e| {
                let mut e = e.clone().filter(|e| e.label_en.is_some())?;
                e.localise(ENGLISH);
                Some(lines(&e))
            })
            .collect();
        ServiceGraphs {
            c,
            graph,
            reach,
            catalogue,
            node_lines,
            edge_lines,
            edge_lines_en,
        }
    }

    /// The DOT line and Mermaid arrow of edge `e` in `lang`.
    fn edge_line(&self, e: usize, lang: &str) -> &(String, String) {
        match self.edge_lines_en.get(e) {
            Some(Some(en)) if !is_fr(lang) => en,
            _ => &self.edge_lines[e],
        }
    }

    /// The graph of `service` in each of `formats`, for each of `langs`
    /// (country names in that language): `result[lang][format]`, the same
    /// text as [`render`] gives for that service.
    pub fn render(
        &self,
        service: &str,
        langs: &[&str],
        formats: &[GraphFormat],
    ) -> Vec<Vec<String>> {
        let nodes = self
            .reach
            .services
            .binary_search_by(|s| s.as_str().cmp(service))
            .map(|i| self.reach.nodes_of(i))
            .unwrap_or(&[]);
        let kept = kept_nodes(&self.graph, nodes);
        let (nodes, edges) = self.catalogue.select(&self.graph, Some(service), &kept);
        langs
            .iter()
            .map(|lang| {
                let lines = self.node_lines.iter().find(|(l, _, _)| l == lang);
                formats
                    .iter()
                    .map(|format| match (format, lines) {
                        (GraphFormat::Dot, Some((_, dots, _))) => {
                            let mut o = String::new();
                            dot_head(&mut o, Some(service));
                            nodes.iter().for_each(|&n| o.push_str(&dots[n]));
                            edges
                                .iter()
                                .for_each(|&e| o.push_str(&self.edge_line(e, lang).0));
                            o.push_str("}\n");
                            o
                        }
                        (GraphFormat::Mermaid, Some((_, _, shapes))) => {
                            let mut o = String::new();
                            mermaid_head(&mut o, Some(service));
                            for (i, &n) in nodes.iter().enumerate() {
                                let _ = write!(o, "  n{i}");
                                o.push_str(&shapes[n]);
                                o.push('\n');
                            }
                            let at = |n: usize| self.catalogue.position(&nodes, n);
                            for &e in &edges {
                                let (a, b) = self.catalogue.ends[e];
                                let (Some(a), Some(b)) = (at(a), at(b)) else {
                                    continue;
                                };
                                let _ = write!(o, "  n{a} ");
                                o.push_str(&self.edge_line(e, lang).1);
                                let _ = writeln!(o, " n{b}");
                            }
                            mermaid_classes(
                                &mut o,
                                nodes.iter().map(|&n| self.catalogue.nodes[n].in_eea),
                            );
                            o
                        }
                        // Another format or language: from the view.
                        _ => {
                            let mut view = self.catalogue.view_of(Some(service), &nodes, &edges);
                            view.name_countries(self.c, lang);
                            write_view(&view, *format)
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// The nodes a service's reach keeps (as a bit set over the graph's node
/// indices): the reached nodes plus the control chain of every entity among
/// them (a parent's jurisdiction reaches its subsidiaries).
fn kept_nodes(g: &FlowGraph, nodes: &[NodeIndex]) -> FixedBitSet {
    let mut kept = FixedBitSet::with_capacity(g.graph.node_count());
    for &n in nodes {
        kept.insert(n.index());
    }
    // Each chain is walked up to where an earlier walk went (linear in the
    // entities, however deep the chains).
    let mut walked = FixedBitSet::with_capacity(g.graph.node_count());
    for &n in nodes {
        if !matches!(&g.graph[n], Node::Entity(_)) {
            continue;
        }
        let mut i = n;
        while !walked.put(i.index()) {
            match g.parent_index(i) {
                Some(p) if matches!(&g.graph[p], Node::Entity(_)) => {
                    kept.insert(p.index());
                    i = p;
                }
                _ => break,
            }
        }
    }
    kept
}

fn write_view(view: &View, format: GraphFormat) -> String {
    match format {
        GraphFormat::Dot => dot(view),
        GraphFormat::Mermaid => mermaid(view),
        GraphFormat::Json => json(view),
    }
}

/// A node as printed.
#[derive(Debug, Clone, Serialize)]
struct ViewNode {
    /// `kind:id`, unique (e.g. `entity:hexasante`).
    id: String,
    kind: &'static str,
    /// The declaration's id.
    key: String,
    /// Display name (legal name, site name, service name, team name).
    label: String,
    /// ISO 3166-1 alpha-2 code; none for services.
    country: Option<String>,
    country_name: Option<String>,
    city: Option<String>,
    in_eea: bool,
    /// The label on English graphs when it is the provider's own text (an
    /// access path's team name): its `name_en`, else the French original
    /// marked "(French original)". `None`: the same in every language.
    #[serde(skip)]
    label_en: Option<String>,
}

/// An edge as printed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
struct ViewEdge {
    from: String,
    to: String,
    /// `flow`, `access`, `operates`, `stores`, `performs`, `employs`, `controls`.
    kind: &'static str,
    /// Flow or access path id, for `flow` and `access` edges.
    #[serde(skip_serializing_if = "Option::is_none")]
    ref_id: Option<String>,
    label: String,
    /// Data categories carried (flows) or reachable (access paths).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data: Vec<String>,
    /// The label on English graphs (an access path's purpose: its
    /// `purpose_en`, else the French original marked), as for nodes.
    #[serde(skip)]
    label_en: Option<String>,
}

struct View {
    service: Option<String>,
    nodes: Vec<ViewNode>,
    edges: Vec<ViewEdge>,
}

fn node_id(n: &Node) -> String {
    match n {
        Node::Entity(id) => format!("entity:{id}"),
        Node::Site(id) => format!("site:{id}"),
        Node::Service(id) => format!("service:{id}"),
        Node::AccessOrigin(id) => format!("access:{id}"),
    }
}

/// Every node and edge of a graph as printed, with their order, from which
/// the view of any set of nodes is a selection (see [`Catalogue::select`]).
struct Catalogue<'a> {
    /// By node index (country names not set).
    nodes: Vec<ViewNode>,
    /// Rank of each node in the order of the printed ids (unique).
    node_rank: Vec<usize>,
    /// By edge index; `None` for an edge whose flow or access path is not
    /// declared (never printed).
    edges: Vec<Option<ViewEdge>>,
    /// Rank of each edge in the order of [`ViewEdge`]; equal edges (printed
    /// the same) share a rank, so that a view prints them once.
    edge_rank: Vec<usize>,
    /// The node indices at each end of each edge.
    ends: Vec<(usize, usize)>,
    /// The services a flow edge is restricted to (empty: all, and for the
    /// other edges), by edge index.
    only_for: Vec<&'a [String]>,
    /// Number of edges leaving each node, by node index.
    out_degree: Vec<usize>,
    /// The edges leaving each node with more than [`HUB_DEGREE`] of them,
    /// by (source, target) node index.
    hub_edges: HashMap<(usize, usize), Vec<usize>>,
}

/// Out-degree above which a node's edges are indexed by target (see
/// [`Catalogue::select`]).
const HUB_DEGREE: usize = 64;

impl<'a> Catalogue<'a> {
    fn new(c: &'a Checked, g: &FlowGraph) -> Catalogue<'a> {
        let nodes: Vec<ViewNode> = g.graph.node_weights().map(|n| view_node(c, n)).collect();
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&x, &y| nodes[x].id.cmp(&nodes[y].id));
        let mut node_rank = vec![0; nodes.len()];
        for (rank, &i) in order.iter().enumerate() {
            node_rank[i] = rank;
        }
        let mut edges = Vec::with_capacity(g.graph.edge_count());
        let mut ends = Vec::with_capacity(g.graph.edge_count());
        let mut only_for = Vec::with_capacity(g.graph.edge_count());
        for e in g.graph.edge_references() {
            let (edge, restricted) = match view_edge(c, g, &e) {
                Some((edge, restricted)) => (Some(edge), restricted),
                None => (None, &[][..]),
            };
            edges.push(edge);
            ends.push((e.source().index(), e.target().index()));
            only_for.push(restricted);
        }
        let mut order: Vec<usize> = (0..edges.len()).filter(|&i| edges[i].is_some()).collect();
        order.sort_by(|&x, &y| edges[x].cmp(&edges[y]));
        let mut edge_rank = vec![usize::MAX; edges.len()];
        let mut rank = 0;
        for (k, &i) in order.iter().enumerate() {
            if k > 0 && edges[order[k - 1]] != edges[i] {
                rank = k;
            }
            edge_rank[i] = rank;
        }
        let mut out_degree = vec![0; nodes.len()];
        for &(from, _) in &ends {
            out_degree[from] += 1;
        }
        let mut hub_edges: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (e, &(from, to)) in ends.iter().enumerate() {
            if out_degree[from] > HUB_DEGREE {
                hub_edges.entry((from, to)).or_default().push(e);
            }
        }
        Catalogue {
            nodes,
            node_rank,
            edges,
            edge_rank,
            ends,
            only_for,
            out_degree,
            hub_edges,
        }
    }

    /// The nodes in `kept` (bit set over node indices) and the edges
    /// between them, in print order, one of each set of equal edges; with
    /// `service`, flows restricted to other services are left out.
    fn select(
        &self,
        g: &FlowGraph,
        service: Option<&str>,
        kept: &FixedBitSet,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut nodes: Vec<usize> = kept.ones().collect();
        nodes.sort_by_key(|&n| self.node_rank[n]);
        // Only the edges leaving a kept node: linear in the view's size. A
        // hub (the host performs in every service, a cloud operates hundreds
        // of sites) is kept by most views: its few edges to the view's other
        // nodes are looked up instead of scanning all of them in every view,
        // which grew as services × hub degree (quadratic in the inventory).
        let mut edges: Vec<usize> = Vec::new();
        for &i in &nodes {
            if self.out_degree[i] > nodes.len().max(HUB_DEGREE) {
                for &j in &nodes {
                    if let Some(found) = self.hub_edges.get(&(i, j)) {
                        edges.extend(found);
                    }
                }
            } else {
                edges.extend(
                    g.graph
                        .edges(NodeIndex::new(i))
                        .filter(|e| kept.contains(e.target().index()))
                        .map(|e| e.id().index()),
                );
            }
        }
        edges.retain(|&e| {
            let only = self.only_for[e];
            self.edges[e].is_some()
                && service.is_none_or(|sid| only.is_empty() || only.iter().any(|s| s == sid))
        });
        edges.sort_by_key(|&e| self.edge_rank[e]);
        edges.dedup_by_key(|e| self.edge_rank[*e]);
        (nodes, edges)
    }

    /// Where node `n` is in `nodes` (as given by [`Catalogue::select`]).
    fn position(&self, nodes: &[usize], n: usize) -> Option<usize> {
        nodes
            .binary_search_by_key(&self.node_rank[n], |&m| self.node_rank[m])
            .ok()
    }

    /// The view of these nodes and edges (as given by [`Catalogue::select`]).
    fn view_of(&self, service: Option<&str>, nodes: &[usize], edges: &[usize]) -> View {
        View {
            service: service.map(str::to_string),
            nodes: nodes.iter().map(|&n| self.nodes[n].clone()).collect(),
            edges: edges
                .iter()
                .filter_map(|&e| self.edges[e].clone())
                .collect(),
        }
    }

    /// The view of the nodes in `kept` (see [`Catalogue::select`]).
    fn view(&self, g: &FlowGraph, service: Option<&str>, kept: &FixedBitSet) -> View {
        let (nodes, edges) = self.select(g, service, kept);
        self.view_of(service, &nodes, &edges)
    }
}

/// A node as printed (country name not set).
fn view_node(c: &Checked, n: &Node) -> ViewNode {
    let p = &c.project;
    let r = &c.reference;
    let country = |code: &str| (code.to_string(), r.is_eea(code));
    let (kind, key, label, place, city) = match n {
        Node::Entity(id) => {
            let e = p.entities.get(id);
            (
                "entity",
                id,
                e.map_or_else(|| id.clone(), |e| e.legal_name.clone()),
                e.map(|e| country(&e.country)),
                None,
            )
        }
        Node::Site(id) => {
            let s = p.sites.get(id);
            (
                "site",
                id,
                s.map_or_else(|| id.clone(), |s| s.name.clone()),
                s.map(|s| country(&s.country)),
                s.and_then(|s| s.city.clone()),
            )
        }
        Node::Service(id) => (
            "service",
            id,
            p.services
                .get(id)
                .map_or_else(|| id.clone(), |s| s.name.clone()),
            None,
            None,
        ),
        Node::AccessOrigin(id) => {
            let a = p.access_paths.get(id);
            (
                "access-origin",
                id,
                a.and_then(|a| a.name.clone()).unwrap_or_else(|| id.clone()),
                a.map(|a| country(&a.country)),
                a.and_then(|a| a.city.clone()),
            )
        }
    };
    let label_en = match n {
        // A service's name is printed as written without `name_en`.
        Node::Service(id) => p
            .english_of(&english_key::service_name(id))
            .map(str::to_string),
        Node::AccessOrigin(id) => p
            .access_paths
            .get(id)
            .and_then(|a| a.name.as_deref())
            .map(|name| english(c, name, &english_key::access_name(id))),
        _ => None,
    };
    let in_eea = match (n, &place) {
        (_, Some((_, eea))) => *eea,
        // A service is inside the EEA when all its storage sites are.
        (Node::Service(id), None) => p.services.get(id).is_none_or(|s| {
            s.sites
                .iter()
                .all(|site| p.sites.get(site).is_none_or(|x| r.is_eea(&x.country)))
        }),
        _ => true,
    };
    ViewNode {
        id: node_id(n),
        kind,
        key: key.clone(),
        label,
        country: place.as_ref().map(|x| x.0.clone()),
        country_name: None,
        city,
        in_eea,
        label_en,
    }
}

/// "fr", "en": the languages of [`render`].
const ENGLISH: &str = "en";

fn is_fr(lang: &str) -> bool {
    lang.starts_with("fr")
}

/// The provider's text `fr` on an English graph: its English version under
/// `key` of [`crate::model::Project::english`], else the French original
/// marked as such (a graph has no `lang` attribute to mark it with).
fn english(c: &Checked, fr: &str, key: &str) -> String {
    match c.project.english_of(key) {
        Some(en) => en.to_string(),
        None => format!(
            "{fr} ({})",
            crate::render::annex::text::t(crate::i18n::Lang::En, "french_original_mark")
        ),
    }
}

/// An edge as printed, and the services its flow is restricted to (empty:
/// all); `None` when its flow or access path is not declared.
fn view_edge<'a>(
    c: &'a Checked,
    g: &FlowGraph,
    e: &petgraph::graph::EdgeReference<'_, Edge>,
) -> Option<(ViewEdge, &'a [String])> {
    let p = &c.project;
    let (a, b) = (&g.graph[e.source()], &g.graph[e.target()]);
    let mut only_for: &[String] = &[];
    let mut label_en = None;
    let (kind, ref_id, label, data) = match e.weight() {
        Edge::Flow(fid) => {
            let f = p.flows.get(fid)?;
            only_for = &f.services;
            let data: Vec<String> = f.data.iter().map(|d| d.as_str().to_string()).collect();
            let label = format!("{} ({})", f.kind.as_str(), data.join(", "));
            ("flow", Some(fid.clone()), label, data)
        }
        Edge::Access(aid) => {
            let x = p.access_paths.get(aid)?;
            let data: Vec<String> = x.data.iter().map(|d| d.as_str().to_string()).collect();
            label_en = Some(english(c, &x.purpose, &english_key::access_purpose(aid)));
            ("access", Some(aid.clone()), x.purpose.clone(), data)
        }
        Edge::Operates => ("operates", None, "operates".to_string(), Vec::new()),
        Edge::Stores => ("stores", None, "stores".to_string(), Vec::new()),
        Edge::Performs => {
            let acts = match (a, b) {
                (Node::Entity(ent), Node::Service(sid)) => p
                    .services
                    .get(sid)
                    .and_then(|s| s.actors.iter().find(|x| &x.entity == ent))
                    .map(|x| {
                        x.activities
                            .iter()
                            .map(u8::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    }),
                _ => None,
            };
            let label = match acts {
                Some(l) if !l.is_empty() => format!("performs (HDS {l})"),
                _ => "performs".to_string(),
            };
            ("performs", None, label, Vec::new())
        }
        Edge::Employs => ("employs", None, "employs".to_string(), Vec::new()),
        Edge::Controls => {
            let share = match b {
                Node::Entity(id) => p.entities.get(id).and_then(|x| x.control_share),
                _ => None,
            };
            let label = match share {
                Some(s) => format!("controls ({s}%)"),
                None => "controls".to_string(),
            };
            ("controls", None, label, Vec::new())
        }
    };
    let edge = ViewEdge {
        from: node_id(a),
        to: node_id(b),
        kind,
        ref_id,
        label,
        data,
        label_en,
    };
    Some((edge, only_for))
}

impl View {
    /// Country names and the provider's texts (team names, purposes) in
    /// `lang` ("fr" or "en"), the only parts of a view that depend on the
    /// language.
    fn name_countries(&mut self, c: &Checked, lang: &str) {
        for n in &mut self.nodes {
            n.name_country(c, lang);
        }
        for e in &mut self.edges {
            e.localise(lang);
        }
    }
}

impl ViewNode {
    /// The country name, and the label, in `lang`.
    fn name_country(&mut self, c: &Checked, lang: &str) {
        self.country_name = self
            .country
            .as_ref()
            .map(|code| c.reference.country_name(code, lang));
        if !is_fr(lang)
            && let Some(en) = &self.label_en
        {
            self.label = en.clone();
        }
    }
}

impl ViewEdge {
    /// The label in `lang`.
    fn localise(&mut self, lang: &str) {
        if !is_fr(lang)
            && let Some(en) = &self.label_en
        {
            self.label = en.clone();
        }
    }
}

/// Second line of a node label: "Paris, France (FR)".
fn place_line(n: &ViewNode) -> Option<String> {
    let country = match (&n.country_name, &n.country) {
        (Some(name), Some(code)) if name != code => format!("{name} ({code})"),
        (_, Some(code)) => code.clone(),
        _ => return None,
    };
    Some(match &n.city {
        Some(city) => format!("{city}, {country}"),
        None => country,
    })
}

fn label_lines(n: &ViewNode) -> Vec<String> {
    let mut lines = vec![n.label.clone()];
    if let Some(place) = place_line(n) {
        lines.push(place);
    } else if n.kind == "service" {
        lines.push(if n.in_eea {
            "service (stored in the EEA)".to_string()
        } else {
            "service (stored outside the EEA)".to_string()
        });
    }
    lines
}

/// What DOT writes for the characters it escapes in a double-quoted string.
const DOT_ESCAPES: &[(char, &str)] = &[('\\', "\\\\"), ('"', "\\\"")];

/// What Mermaid writes for the characters it escapes in a label (entity codes).
const MERMAID_ESCAPES: &[(char, &str)] = &[
    ('"', "#quot;"),
    ('#', "#35;"),
    ('<', "#lt;"),
    ('>', "#gt;"),
    ('&', "#amp;"),
    // `%%{init: …}%%` is a directive wherever it appears in the text.
    ('%', "#37;"),
];

/// Append `s` with the characters of `escapes` replaced and control
/// characters (newlines, DEL, C1 controls) and bidirectional controls
/// ([`crate::visible::is_unsafe`]) turned into spaces. Text that
/// has none of them (most labels: graphs of thousands of nodes are written
/// for every service) is copied at once.
fn push_escaped(o: &mut String, s: &str, escapes: &[(char, &str)]) {
    // C1 controls (U+0080–U+009F) are encoded 0xC2 0x80–0x9F.
    let plain = !s.bytes().any(|b| {
        // 0xE2 and 0xD8 start the bidirectional controls and separators.
        b < 0x20
            || b == 0x7f
            || b == 0xc2
            || b == 0xe2
            || b == 0xd8
            || escapes.iter().any(|(c, _)| *c as u32 == u32::from(b))
    });
    if plain {
        o.push_str(s);
        return;
    }
    for c in s.chars() {
        match escapes.iter().find(|(e, _)| *e == c) {
            Some((_, with)) => o.push_str(with),
            None if c.is_control() || crate::visible::is_unsafe(c) => o.push(' '),
            None => o.push(c),
        }
    }
}

fn push_dot(o: &mut String, s: &str) {
    push_escaped(o, s, DOT_ESCAPES);
}

fn push_mermaid(o: &mut String, s: &str) {
    push_escaped(o, s, MERMAID_ESCAPES);
}

/// Escape text for a double-quoted DOT string.
fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_dot(&mut out, s);
    out
}

const EEA_FILL: &str = "#d9ead3";
const THIRD_FILL: &str = "#f4cccc";
const THIRD_LINE: &str = "#cc0000";

fn dot_shape(kind: &str) -> &'static str {
    match kind {
        "entity" => "box",
        "site" => "cylinder",
        "service" => "component",
        _ => "ellipse",
    }
}

fn dot(v: &View) -> String {
    let mut o = String::new();
    dot_head(&mut o, v.service.as_deref());
    v.nodes.iter().for_each(|n| dot_node(&mut o, n));
    v.edges.iter().for_each(|e| dot_edge(&mut o, e));
    o.push_str("}\n");
    o
}

/// The start of a DOT graph, up to its first node.
fn dot_head(o: &mut String, service: Option<&str>) {
    o.push_str("digraph sovmap {\n");
    o.push_str("  rankdir=LR;\n");
    o.push_str("  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n");
    o.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    if let Some(s) = service {
        let _ = writeln!(
            o,
            "  label=\"{}\";\n  labelloc=t;",
            dot_escape(&format!("service {s}"))
        );
    }
    o.push_str("  subgraph cluster_legend {\n");
    o.push_str("    label=\"Legend\";\n    style=dashed;\n");
    let _ = writeln!(
        o,
        "    \"legend:eea\" [label=\"inside the EEA\", shape=box, fillcolor=\"{EEA_FILL}\"];"
    );
    let _ = writeln!(
        o,
        "    \"legend:thirdcountry\" [label=\"outside the EEA (third country)\", shape=box, fillcolor=\"{THIRD_FILL}\", color=\"{THIRD_LINE}\", penwidth=2];"
    );
    o.push_str("    \"legend:eea\" -> \"legend:thirdcountry\" [style=invis];\n");
    o.push_str("  }\n");
}

/// A node's line in a DOT graph.
fn dot_node(o: &mut String, n: &ViewNode) {
    o.push_str("  \"");
    push_dot(o, &n.id);
    o.push_str("\" [label=\"");
    for (i, line) in label_lines(n).iter().enumerate() {
        if i > 0 {
            o.push_str("\\n");
        }
        push_dot(o, line);
    }
    o.push_str("\", shape=");
    o.push_str(dot_shape(n.kind));
    if n.in_eea {
        let _ = writeln!(o, ", fillcolor=\"{EEA_FILL}\", class=\"eea\"];");
    } else {
        let _ = writeln!(
            o,
            ", fillcolor=\"{THIRD_FILL}\", color=\"{THIRD_LINE}\", penwidth=2, class=\"thirdcountry\"];"
        );
    }
}

/// An edge's line in a DOT graph.
fn dot_edge(o: &mut String, e: &ViewEdge) {
    let style = match e.kind {
        "controls" => ", style=dashed",
        "access" => ", style=bold, color=\"#1f4e79\"",
        "flow" => ", color=\"#38761d\"",
        _ => "",
    };
    o.push_str("  \"");
    push_dot(o, &e.from);
    o.push_str("\" -> \"");
    push_dot(o, &e.to);
    o.push_str("\" [label=\"");
    push_dot(o, &e.label);
    o.push('"');
    o.push_str(style);
    o.push_str("];\n");
}

/// Escape text for a double-quoted Mermaid label (entity codes).
#[cfg(test)]
fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_mermaid(&mut out, s);
    out
}

fn mermaid(v: &View) -> String {
    let mut o = String::new();
    mermaid_head(&mut o, v.service.as_deref());
    // Nodes are sorted by id: a binary search, not a scan per edge.
    let idx = |id: &str| v.nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok();
    for (i, n) in v.nodes.iter().enumerate() {
        let _ = write!(o, "  n{i}");
        mermaid_node(&mut o, n);
        o.push('\n');
    }
    for e in &v.edges {
        let (Some(a), Some(b)) = (idx(&e.from), idx(&e.to)) else {
            continue;
        };
        let _ = write!(o, "  n{a} ");
        mermaid_edge(&mut o, e);
        let _ = writeln!(o, " n{b}");
    }
    mermaid_classes(&mut o, v.nodes.iter().map(|n| n.in_eea));
    o
}

/// The start of a Mermaid flowchart, up to its first node.
fn mermaid_head(o: &mut String, service: Option<&str>) {
    o.push_str("flowchart LR\n");
    if let Some(s) = service {
        o.push_str("  %% service ");
        push_escaped(o, s, &[('%', " ")]);
        o.push('\n');
    }
}

/// A node's shape and label in a Mermaid flowchart (after its `n<i>`).
fn mermaid_node(o: &mut String, n: &ViewNode) {
    let (open, close) = match n.kind {
        "entity" => ("[", "]"),
        "site" => ("[(", ")]"),
        "service" => ("[[", "]]"),
        _ => ("([", "])"),
    };
    o.push_str(open);
    o.push('"');
    for (j, line) in label_lines(n).iter().enumerate() {
        if j > 0 {
            o.push_str("<br/>");
        }
        push_mermaid(o, line);
    }
    o.push('"');
    o.push_str(close);
}

/// An edge's arrow and label in a Mermaid flowchart (between its ends).
fn mermaid_edge(o: &mut String, e: &ViewEdge) {
    let arrow = if e.kind == "controls" { "-.->" } else { "-->" };
    o.push_str(arrow);
    o.push_str("|\"");
    push_mermaid(o, &e.label);
    o.push_str("\"|");
}

/// The end of a Mermaid flowchart: its classes, and the nodes (by position,
/// inside the EEA or not) in each.
fn mermaid_classes(o: &mut String, in_eea: impl Iterator<Item = bool> + Clone) {
    let _ = writeln!(o, "  classDef eea fill:{EEA_FILL},stroke:#6aa84f;");
    let _ = writeln!(
        o,
        "  classDef thirdcountry fill:{THIRD_FILL},stroke:{THIRD_LINE},stroke-width:2px;"
    );
    for (class, eea) in [("eea", true), ("thirdcountry", false)] {
        let members: Vec<String> = in_eea
            .clone()
            .enumerate()
            .filter(|(_, x)| *x == eea)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(o, "  class {} {class}", members.join(","));
        }
    }
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    format_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
    nodes: &'a [ViewNode],
    edges: &'a [ViewEdge],
}

fn json(v: &View) -> String {
    let g = JsonGraph {
        format_version: JSON_FORMAT_VERSION,
        service: v.service.as_deref(),
        nodes: &v.nodes,
        edges: &v.edges,
    };
    let mut s = serde_json::to_string_pretty(&g).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(dot_escape("a\"b\\c\nd"), "a\\\"b\\\\c d");
        assert_eq!(mermaid_escape("a\"b<c>#&"), "a#quot;b#lt;c#gt;#35;#amp;");
        // C1 controls and DEL become spaces too; other text is kept.
        assert_eq!(dot_escape("a\u{85}b\u{7f}c é"), "a b c é");
        assert_eq!(mermaid_escape("x\u{9f}y\tz"), "x y z");
        assert_eq!(dot_escape("Ünïcödé ok"), "Ünïcödé ok");
    }

    /// Team names and purposes are the provider's texts: English graphs
    /// print their English versions, else the French original marked; the
    /// French graph and the JSON of both print what was declared in French
    /// in French only. The site's graphs (all services at once) agree.
    #[test]
    fn english_graphs_print_team_names_and_purposes_in_english_or_marked() {
        let mut c = crate::example();
        let (fr_name, fr_purpose) = (
            "Centre d'exploitation de Bordeaux",
            "Administration et exploitation (niveau 1 et 3)",
        );
        let (en_name, en_purpose) = (
            "Bordeaux operations centre",
            "Administration and operation (levels 1 and 3)",
        );
        for format in [GraphFormat::Dot, GraphFormat::Mermaid, GraphFormat::Json] {
            let fr = render(&c, None, "fr", format);
            let en = render(&c, None, "en", format);
            let fr_shown = fr.replace("#quot;", "\"");
            assert!(
                fr_shown.contains(fr_name) && fr_shown.contains(fr_purpose),
                "{fr}"
            );
            assert!(!fr.contains(en_name) && !fr.contains(en_purpose));
            assert!(en.contains(en_name) && en.contains(en_purpose), "{en}");
            assert!(!en.contains(fr_name) && !en.contains(fr_purpose));
        }
        c.project
            .english
            .remove(&english_key::access_name("exploitation-bordeaux"));
        c.project
            .english
            .remove(&english_key::access_purpose("exploitation-bordeaux"));
        let en = render(&c, Some("postgresql"), "en", GraphFormat::Dot);
        assert!(en.contains(&format!("{fr_name} (French original)")), "{en}");
        assert!(
            en.contains(&format!("{fr_purpose} (French original)")),
            "{en}"
        );
        let site = ServiceGraphs::new(&c, &["fr", "en"]);
        let both = site.render(
            "postgresql",
            &["fr", "en"],
            &[GraphFormat::Dot, GraphFormat::Mermaid],
        );
        assert_eq!(both[1][0], en);
        assert_eq!(
            both[0][0],
            render(&c, Some("postgresql"), "fr", GraphFormat::Dot)
        );
        assert_eq!(
            both[1][1],
            render(&c, Some("postgresql"), "en", GraphFormat::Mermaid)
        );
    }
}
