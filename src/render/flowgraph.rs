//! The flow graph as Graphviz DOT, a Mermaid flowchart or JSON, for
//! `sovmap graph` and the site's service pages (which publish the graph of
//! each service beside the page).
//!
//! Nodes are entities, sites, services and access origins, labelled with
//! their names and countries; nodes outside the EEA are marked (a service is
//! inside the EEA when all its storage sites are). Edges are labelled by kind.
//! The output is sorted, so identical input gives identical output.

use std::fmt::Write as _;

use fixedbitset::FixedBitSet;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::Checked;
use crate::graph::{Edge, FlowGraph, Node, Reach, ServiceReach};

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
    let mut view = View::build(c, &g, service, &kept);
    view.name_countries(c, lang);
    write_view(&view, format)
}

/// The graphs of every service of the project, in several formats, for the
/// site: one graph and one reach computation for all of them (building
/// either per service made the site quadratic in the project's size).
pub struct ServiceGraphs<'a> {
    c: &'a Checked,
    graph: FlowGraph,
    reach: ServiceReach,
}

impl<'a> ServiceGraphs<'a> {
    pub fn new(c: &'a Checked) -> ServiceGraphs<'a> {
        let graph = FlowGraph::build(&c.project);
        let reach = graph.service_reach(&c.project, Reach::Personal);
        ServiceGraphs { c, graph, reach }
    }

    /// The graph of `service` in each of `formats`, for each of `langs`
    /// (country names in that language): `result[lang][format]`, the same
    /// text as [`render`] gives for that service. The view is built once
    /// for all languages.
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
        let mut view = View::build(self.c, &self.graph, Some(service), &kept);
        langs
            .iter()
            .map(|lang| {
                view.name_countries(self.c, lang);
                formats.iter().map(|f| write_view(&view, *f)).collect()
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
    for &n in nodes {
        if let Node::Entity(id) = &g.graph[n] {
            for parent in g.control_chain(id) {
                if let Some(i) = g.index_of(&Node::Entity(parent)) {
                    kept.insert(i.index());
                }
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

impl View {
    /// The view of the nodes in `kept` (bit set over node indices) and the
    /// edges between them; with `service`, flows restricted to other
    /// services are left out.
    fn build(c: &Checked, g: &FlowGraph, service: Option<&str>, kept: &FixedBitSet) -> View {
        let p = &c.project;
        let r = &c.reference;
        let country = |code: &str| (code.to_string(), r.is_eea(code));
        let mut nodes = Vec::new();
        for n in kept.ones().map(|i| &g.graph[NodeIndex::new(i)]) {
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
            nodes.push(ViewNode {
                id: node_id(n),
                kind,
                key: key.clone(),
                label,
                country: place.as_ref().map(|x| x.0.clone()),
                country_name: None,
                city,
                in_eea,
            });
        }
        let mut edges = Vec::new();
        // Only the edges leaving a kept node: linear in the view's size.
        let kept_edges = kept
            .ones()
            .flat_map(|i| g.graph.edges(NodeIndex::new(i)))
            .filter(|e| kept.contains(e.target().index()));
        for e in kept_edges {
            let (a, b) = (&g.graph[e.source()], &g.graph[e.target()]);
            let (kind, ref_id, label, data) = match e.weight() {
                Edge::Flow(fid) => {
                    let Some(f) = p.flows.get(fid) else { continue };
                    // With --service, skip flows restricted to other services.
                    if let Some(sid) = service
                        && !f.services.is_empty()
                        && !f.services.iter().any(|s| s == sid)
                    {
                        continue;
                    }
                    let data: Vec<String> = f.data.iter().map(|d| d.as_str().to_string()).collect();
                    let label = format!("{} ({})", f.kind.as_str(), data.join(", "));
                    ("flow", Some(fid.clone()), label, data)
                }
                Edge::Access(aid) => {
                    let Some(x) = p.access_paths.get(aid) else {
                        continue;
                    };
                    let data: Vec<String> = x.data.iter().map(|d| d.as_str().to_string()).collect();
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
            edges.push(ViewEdge {
                from: node_id(a),
                to: node_id(b),
                kind,
                ref_id,
                label,
                data,
            });
        }
        nodes.sort_by(|x, y| x.id.cmp(&y.id));
        edges.sort();
        edges.dedup();
        View {
            service: service.map(str::to_string),
            nodes,
            edges,
        }
    }

    /// Country names in `lang` ("fr" or "en"), the only part of a view that
    /// depends on the language.
    fn name_countries(&mut self, c: &Checked, lang: &str) {
        for n in &mut self.nodes {
            n.country_name = n
                .country
                .as_ref()
                .map(|code| c.reference.country_name(code, lang));
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
];

/// Append `s` with the characters of `escapes` replaced and control
/// characters (newlines, DEL, C1 controls) turned into spaces. Text that
/// has none of them (most labels: graphs of thousands of nodes are written
/// for every service) is copied at once.
fn push_escaped(o: &mut String, s: &str, escapes: &[(char, &str)]) {
    // C1 controls (U+0080–U+009F) are encoded 0xC2 0x80–0x9F.
    let plain = !s.bytes().any(|b| {
        b < 0x20 || b == 0x7f || b == 0xc2 || escapes.iter().any(|(c, _)| *c as u32 == u32::from(b))
    });
    if plain {
        o.push_str(s);
        return;
    }
    for c in s.chars() {
        match escapes.iter().find(|(e, _)| *e == c) {
            Some((_, with)) => o.push_str(with),
            None if c.is_control() => o.push(' '),
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
    o.push_str("digraph sovmap {\n");
    o.push_str("  rankdir=LR;\n");
    o.push_str("  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n");
    o.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    if let Some(s) = &v.service {
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
    for n in &v.nodes {
        o.push_str("  \"");
        push_dot(&mut o, &n.id);
        o.push_str("\" [label=\"");
        for (i, line) in label_lines(n).iter().enumerate() {
            if i > 0 {
                o.push_str("\\n");
            }
            push_dot(&mut o, line);
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
    for e in &v.edges {
        let style = match e.kind {
            "controls" => ", style=dashed",
            "access" => ", style=bold, color=\"#1f4e79\"",
            "flow" => ", color=\"#38761d\"",
            _ => "",
        };
        o.push_str("  \"");
        push_dot(&mut o, &e.from);
        o.push_str("\" -> \"");
        push_dot(&mut o, &e.to);
        o.push_str("\" [label=\"");
        push_dot(&mut o, &e.label);
        o.push('"');
        o.push_str(style);
        o.push_str("];\n");
    }
    o.push_str("}\n");
    o
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
    o.push_str("flowchart LR\n");
    if let Some(s) = &v.service {
        o.push_str("  %% service ");
        push_escaped(&mut o, s, &[]);
        o.push('\n');
    }
    // Nodes are sorted by id: a binary search, not a scan per edge.
    let idx = |id: &str| v.nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok();
    for (i, n) in v.nodes.iter().enumerate() {
        let (open, close) = match n.kind {
            "entity" => ("[", "]"),
            "site" => ("[(", ")]"),
            "service" => ("[[", "]]"),
            _ => ("([", "])"),
        };
        let _ = write!(o, "  n{i}{open}\"");
        for (j, line) in label_lines(n).iter().enumerate() {
            if j > 0 {
                o.push_str("<br/>");
            }
            push_mermaid(&mut o, line);
        }
        o.push('"');
        o.push_str(close);
        o.push('\n');
    }
    for e in &v.edges {
        let (Some(a), Some(b)) = (idx(&e.from), idx(&e.to)) else {
            continue;
        };
        let arrow = if e.kind == "controls" { "-.->" } else { "-->" };
        let _ = write!(o, "  n{a} {arrow}|\"");
        push_mermaid(&mut o, &e.label);
        let _ = writeln!(o, "\"| n{b}");
    }
    let _ = writeln!(o, "  classDef eea fill:{EEA_FILL},stroke:#6aa84f;");
    let _ = writeln!(
        o,
        "  classDef thirdcountry fill:{THIRD_FILL},stroke:{THIRD_LINE},stroke-width:2px;"
    );
    for (class, eea) in [("eea", true), ("thirdcountry", false)] {
        let members: Vec<String> = v
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.in_eea == eea)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(o, "  class {} {class}", members.join(","));
        }
    }
    o
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
}
