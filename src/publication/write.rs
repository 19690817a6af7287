//! Writes a publication: `transfers.json` (with its JSON Schema), the
//! versioned, machine-readable restatement of a project that [`super::read`]
//! reads back.
//!
//! `transfers.json` restates the declarations and what analysis decided, so
//! that a customer can diff two publications (`sovmap diff`) and judge them
//! against a policy (`sovmap review`). It is deterministic: arrays sorted by
//! id (project maps are `BTreeMap`s; analysis sorts its own lists), object
//! keys in a fixed order, every documented key always present (`null` when
//! absent), no wall-clock time. Declaration locations (file, line) and the
//! Markdown bodies of measures are not exported.
//!
//! The writer, the reader and the schema share one set of types
//! ([`crate::format::Publication`] and the types it holds): this module fills
//! them from a checked project and serialises them; the schema is derived
//! from the same types with schemars, so a key cannot be written without
//! being documented.

use std::collections::{BTreeSet, HashMap, HashSet};

use schemars::generate::SchemaSettings;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Checked;
use crate::analysis::Severity;
use crate::model::{IpRange, Project, english_key};
use crate::reference::Overridden;

use super::{TRANSFERS_FORMAT_VERSION, TRANSFERS_SCHEMA_FILE};
use crate::format::{
    AccessPath, AdequacyDecision, Coordinates, Entity, Exi31, Flow, HistoryEntry, Law, Measure,
    Provider, Publication, ReferenceFacts, Service, ServiceActor, ServiceExi31, Site, Summary,
    Transfer,
};

// ---------------------------------------------------------------------------
// transfers.json

/// A value of the model or the analysis as the format's type. Both spell it
/// the same in JSON, so the conversion goes through serde, and it is checked:
/// the value must serialise back the same (a key or a value the format's
/// types do not know, such as a new variant read as `Unknown`, is an error
/// rather than a silent change; the tests run every fixture through it).
fn via<T: Serialize + DeserializeOwned>(v: impl Serialize) -> Result<T, serde_json::Error> {
    let source = serde_json::to_value(v)?;
    let typed = T::deserialize(&source)?;
    if same(&source, &serde_json::to_value(&typed)?) {
        Ok(typed)
    } else {
        let mut shown = source.to_string();
        if let Some((i, _)) = shown.char_indices().nth(200) {
            shown.truncate(i);
        }
        Err(serde::ser::Error::custom(format!(
            "the transfers.json types do not keep this value as it is: {shown}"
        )))
    }
}

/// Equal JSON values, a missing key counting as `null` (the format leaves
/// out some keys that the model writes as `null`, e.g. an SCC module not
/// stated).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).all(|k| {
            same(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
            )
        }),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

fn ips(r: &[IpRange]) -> Vec<String> {
    r.iter().map(|i| i.network.to_string()).collect()
}

fn is_overridden(list: &[Overridden], kind: &str, id: &str) -> bool {
    list.iter().any(|o| o.kind == kind && o.id == id)
}

fn opt(s: &Option<String>) -> Option<String> {
    s.clone()
}

/// Entity id → id of the entity at the top of its control chain, for the
/// entities that have a parent. Linear in the number of entities whatever
/// the depth: each walk stops at the first entity already resolved.
fn ultimate_parents(p: &Project) -> HashMap<&str, &str> {
    let mut top: HashMap<&str, &str> = HashMap::new();
    for id in p.entities.keys() {
        let mut walk: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut cur = id.as_str();
        let end = loop {
            if let Some(&t) = top.get(cur) {
                break t;
            }
            // The loader rejects ownership cycles; stop anyway if one slipped in.
            if !seen.insert(cur) {
                break cur;
            }
            match p.entities.get(cur).and_then(|e| e.parent.as_deref()) {
                Some(parent) => match p.entities.get_key_value(parent) {
                    Some((k, _)) => {
                        walk.push(cur);
                        cur = k.as_str();
                    }
                    None => break cur,
                },
                None => break cur,
            }
        };
        for w in walk {
            top.insert(w, end);
        }
    }
    top
}

fn document(c: &Checked, history: &[HistoryEntry]) -> Result<Publication, serde_json::Error> {
    let p = &c.project;
    let a = &c.analysis;
    let r = &c.reference;
    let as_of = a.as_of;
    // The English version of a text of the provider, if declared.
    let en = |key: String| p.english_of(&key).map(str::to_string);

    // Reference facts the analysis relied on.
    let mut decision_ids: BTreeSet<&str> = BTreeSet::new();
    for t in &a.transfers {
        decision_ids.extend(t.adequacy.decision());
    }
    for x in &a.exposures {
        decision_ids.extend(x.adequacy.decision());
    }
    let law_ids: BTreeSet<&str> = a
        .exposures
        .iter()
        .flat_map(|x| x.laws.iter().map(String::as_str))
        .collect();
    let adequacy_decisions = decision_ids
        .into_iter()
        .filter_map(|id| r.decision(id))
        .map(|d| {
            Ok(AdequacyDecision {
                id: d.id.clone(),
                country: d.country.clone(),
                name: d.name.clone(),
                name_fr: d.name_fr.clone(),
                decision: d.decision.clone(),
                adopted: Some(d.adopted),
                expires: d.expiry_as_of(as_of),
                repealed: d.repealed,
                scope_condition: opt(&d.scope_condition),
                scope: d.scope.clone(),
                scope_fr: d.scope_fr.clone(),
                confidence: via(d.confidence)?,
                overridden: is_overridden(&r.overridden, "adequacy", &d.id),
            })
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    let laws = law_ids
        .into_iter()
        .filter_map(|id| r.law(id))
        .map(|l| {
            Ok(Law {
                id: l.id.clone(),
                country: l.country.clone(),
                name: l.name.clone(),
                name_fr: l.name_fr.clone(),
                summary: l.summary.clone(),
                summary_fr: l.summary_fr.clone(),
                in_force: l.in_force.or(l.enacted),
                repealed: l.repealed,
                confidence: via(l.confidence)?,
                overridden: is_overridden(&r.overridden, "law", &l.id),
            })
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    let mut overridden: Vec<&Overridden> = a.overridden.iter().collect();
    overridden.sort_by(|x, y| (x.kind, &x.id).cmp(&(y.kind, &y.id)));
    let ultimate = ultimate_parents(p);

    Ok(Publication {
        schema: TRANSFERS_SCHEMA_FILE.into(),
        format_version: TRANSFERS_FORMAT_VERSION,
        generator: Some(concat!("sovmap ", env!("CARGO_PKG_VERSION")).into()),
        as_of,
        provider: Provider {
            name: p.config.name.clone(),
            host: p.config.host.clone(),
            host_legal_name: p.entities.get(&p.config.host).map(|e| e.legal_name.clone()),
            version: opt(&p.config.version),
            publication_date: p.config.publication_date,
            base_url: opt(&p.config.base_url),
            notice_days: p.config.notice_days,
        },
        policy: Some(via(&a.policy)?),
        reference: Some(ReferenceFacts {
            compiled_on: Some(r.meta.compiled_on),
            sources_up_to: Some(r.meta.sources_up_to),
            overridden: via(&overridden)?,
            adequacy_decisions,
            laws,
        }),
        exi31: Some(Exi31 {
            form: via(a.provider_form)?,
            actors: via(&a.provider_actors)?,
        }),
        summary: Some(Summary {
            transfers: a.transfers.len(),
            health_transfers: a.transfers.iter().filter(|t| t.health).count(),
            exposures: a.exposures.len(),
            errors: a.count(Severity::Error),
            warnings: a.count(Severity::Warning),
            notices: a.count(Severity::Notice),
        }),
        entities: p
            .entities
            .values()
            .map(|e| {
                Ok(Entity {
                    id: e.id.clone(),
                    legal_name: e.legal_name.clone(),
                    country: e.country.clone(),
                    parent: opt(&e.parent),
                    control_share: e.control_share,
                    ultimate_parent: ultimate.get(e.id.as_str()).map(|t| t.to_string()),
                    control_chain: Vec::new(),
                    description: opt(&e.description),
                    description_en: en(english_key::entity_description(&e.id)),
                    website: opt(&e.website),
                    hds: e.hds.as_ref().map(via).transpose()?,
                    hds_exempted_under: opt(&e.hds_exempted_under),
                    secnumcloud: e.secnumcloud.as_ref().map(via).transpose()?,
                    dpf: e.dpf,
                    adequacy_scopes: e.adequacy_scopes.clone(),
                    chain: links(p, &e.id),
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        sites: p
            .sites
            .values()
            .map(|s| {
                Ok(Site {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    operator: s.operator.clone(),
                    country: s.country.clone(),
                    city: opt(&s.city),
                    coordinates: s.coordinates.map(|(lat, lon)| Coordinates { lat, lon }),
                    ip_ranges: ips(&s.ip_ranges),
                    role: via(s.role)?,
                    chain: links(p, &s.id),
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        services: p
            .services
            .values()
            .map(|s| {
                Ok(Service {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    description: opt(&s.description),
                    description_en: en(english_key::service_description(&s.id)),
                    secnumcloud: s.secnumcloud,
                    sites: s.sites.clone(),
                    actors: s
                        .actors
                        .iter()
                        .map(|x| ServiceActor {
                            entity: x.entity.clone(),
                            activities: x.activities.clone(),
                        })
                        .collect(),
                    exi31: a
                        .services
                        .get(&s.id)
                        .map(|x| {
                            Ok::<_, serde_json::Error>(ServiceExi31 {
                                form: via(x.form)?,
                                actors: via(&x.actors)?,
                                storage_countries: x.storage_countries.clone(),
                                transfers: x.transfers.clone(),
                                exposures: x.exposures.clone(),
                            })
                        })
                        .transpose()?,
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        flows: p
            .flows
            .values()
            .map(|f| {
                Ok(Flow {
                    id: f.id.clone(),
                    from: via(&f.from)?,
                    to: via(&f.to)?,
                    kind: via(f.kind)?,
                    data: via(&f.data)?,
                    services: f.services.clone(),
                    basis: f.basis.as_ref().map(via).transpose()?,
                    basis_reference: opt(&f.basis_reference),
                    description: opt(&f.description),
                    description_en: en(english_key::flow_description(&f.id)),
                    chain: links(p, &f.id),
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        access_paths: p
            .access_paths
            .values()
            .map(|x| {
                Ok(AccessPath {
                    id: x.id.clone(),
                    team: x.team.clone(),
                    name: opt(&x.name),
                    name_en: en(english_key::access_name(&x.id)),
                    country: x.country.clone(),
                    city: opt(&x.city),
                    source_ip_ranges: ips(&x.source_ip_ranges),
                    targets: via(&x.targets)?,
                    purpose: x.purpose.clone(),
                    purpose_en: en(english_key::access_purpose(&x.id)),
                    safeguards: x.safeguards.clone(),
                    basis: x.basis.as_ref().map(via).transpose()?,
                    basis_reference: opt(&x.basis_reference),
                    data: via(&x.data)?,
                    systematic: x.systematic,
                    chain: links(p, &x.id),
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        measures: p
            .measures
            .values()
            .map(|m| {
                Ok(Measure {
                    id: m.id.clone(),
                    title: m.title.clone(),
                    title_en: en(english_key::measure_title(&m.id)),
                    kind: via(m.kind)?,
                    mitigates: via(&m.mitigates)?,
                    residual_risk: opt(&m.residual_risk),
                    residual_level: m.residual_level.map(via).transpose()?,
                    chain: links(p, &m.id),
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        transfers: a
            .transfers
            .iter()
            .map(|t| {
                Ok(Transfer {
                    id: t.id.clone(),
                    kind: via(t.kind)?,
                    source: t.source.clone(),
                    country: t.country.clone(),
                    recipient: t.recipient.clone(),
                    site: opt(&t.site),
                    services: t.services.clone(),
                    data: via(&t.data)?,
                    health: t.health,
                    storage: t.storage,
                    adequacy: via(&t.adequacy)?,
                    basis: t.basis.as_ref().map(via).transpose()?,
                    basis_reference: opt(&t.basis_reference),
                    basis_status: via(t.basis_status)?,
                    purpose: opt(&t.purpose),
                    safeguards: t.safeguards.clone(),
                    measures: t.measures.clone(),
                })
            })
            .collect::<Result<_, serde_json::Error>>()?,
        exposures: via(&a.exposures)?,
        findings: via(a
            .findings
            .iter()
            .map(|f| FindingOut {
                code: f.code,
                severity: f.severity,
                rule: f.rule,
                subject: &f.subject,
                services: &f.services,
                countries: &f.countries,
                laws: &f.laws,
                message_en: &f.message_en,
                message_fr: &f.message_fr,
                hint: f.hint.as_deref(),
            })
            .collect::<Vec<_>>())?,
        history: history.to_vec(),
        chains: via(p.chains.values().collect::<Vec<_>>())?,
    })
}

/// The published keys of an analysis finding (its other fields, such as
/// its location in the declarations, stay out of the file).
#[derive(Serialize)]
struct FindingOut<'a> {
    code: &'a str,
    severity: Severity,
    rule: &'a str,
    subject: &'a crate::analysis::Subject,
    services: &'a [String],
    countries: &'a [String],
    laws: &'a [String],
    message_en: &'a str,
    message_fr: &'a str,
    hint: Option<&'a str>,
}

fn links(p: &Project, id: &str) -> Vec<String> {
    p.chain_of(id).into_iter().map(|l| l.id.clone()).collect()
}

/// `transfers.json`: every entity, site, service, flow, access path, measure
/// (without its body), transfer, exposure and finding, the EXI 31 forms, the
/// provider, the policy and the reference facts used. Pretty-printed,
/// deterministic, with a trailing newline; see [`transfers_schema`].
pub fn transfers_json(checked: &Checked) -> String {
    transfers_json_with_history(checked, &[])
}

/// [`transfers_json`] with the publication history (newest first) that
/// `sovmap build` carries from one publication to the next (see `crate::publication::history`).
pub fn transfers_json_with_history(checked: &Checked, history: &[HistoryEntry]) -> String {
    // Serialising plain data to a String cannot fail (no non-string map
    // keys, no failing Serialize impl), nor can the conversions (tested);
    // keep a valid document regardless.
    let text = document(checked, history).and_then(|d| serde_json::to_string_pretty(&d));
    let mut s = text.unwrap_or_else(|e| {
        format!(
            "{{\n  \"$schema\": \"{TRANSFERS_SCHEMA_FILE}\",\n  \"format_version\": {TRANSFERS_FORMAT_VERSION},\n  \"error\": {}\n}}",
            Value::String(e.to_string())
        )
    });
    s.push('\n');
    s
}

/// The export as [`crate::publication::parse`] would read it back, for the
/// history of a build: the same typed document, without going through the
/// text and the checks meant for other people's files.
pub fn as_published(checked: &Checked) -> Result<Publication, serde_json::Error> {
    document(checked, &[])
}

// ---------------------------------------------------------------------------
// JSON Schema

/// The JSON Schema (draft 2020-12) of `transfers.json`, derived from the
/// format's types (their doc comments are its descriptions), as a value.
/// It describes what sovmap writes: every key it always writes is
/// `required`; keys added in a later version may appear (no
/// `additionalProperties: false`, which would make every new key an
/// incompatible change).
pub fn schema_value() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut v = generator.into_root_schema_for::<Publication>().to_value();
    if let Value::Object(m) = &mut v {
        let mut head = serde_json::Map::new();
        head.insert(
            "$schema".into(),
            Value::String("https://json-schema.org/draft/2020-12/schema".into()),
        );
        head.insert("$id".into(), Value::String(TRANSFERS_SCHEMA_FILE.into()));
        head.insert(
            "title".into(),
            Value::String(format!(
                "sovmap transfers.json, format version {TRANSFERS_FORMAT_VERSION}"
            )),
        );
        for (k, x) in std::mem::take(m) {
            head.entry(k).or_insert(x);
        }
        // The version this sovmap writes (the type reads every earlier one).
        if let Some(Value::Object(fv)) = head
            .get_mut("properties")
            .and_then(|p| p.get_mut("format_version"))
        {
            fv.insert("const".into(), Value::from(TRANSFERS_FORMAT_VERSION));
        }
        *m = head;
    }
    unwrap_descriptions(&mut v);
    v
}

/// Doc comments are wrapped at 100 columns; a description is one line per
/// paragraph.
fn unwrap_descriptions(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match x {
                    Value::String(text) if k == "description" => {
                        *text = text
                            .split("\n\n")
                            .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                            .collect::<Vec<_>>()
                            .join("\n\n");
                    }
                    _ => unwrap_descriptions(x),
                }
            }
        }
        Value::Array(xs) => xs.iter_mut().for_each(unwrap_descriptions),
        _ => {}
    }
}

/// [`schema_value`] with `additionalProperties: false` on every object: to
/// check a file this sovmap wrote key for key (every key it writes is
/// documented), as the tests do. Files from a later version may fail it.
pub fn strict_schema_value() -> Value {
    fn close(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("properties") {
                    m.insert("additionalProperties".into(), Value::Bool(false));
                }
                m.values_mut().for_each(close);
            }
            Value::Array(xs) => xs.iter_mut().for_each(close),
            _ => {}
        }
    }
    let mut v = schema_value();
    close(&mut v);
    v
}

/// The JSON Schema (draft 2020-12) of `transfers.json`, pretty-printed with
/// a trailing newline. Publish it as `transfers.schema.json` beside it.
pub fn transfers_schema() -> String {
    let mut s = serde_json::to_string_pretty(&schema_value()).unwrap_or_default();
    s.push('\n');
    s
}
#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    use crate::example;

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap_or_else(|e| panic!("invalid JSON: {e}"))
    }

    /// Errors of `doc` against the strict schema, with their paths.
    fn problems(doc: &Value) -> Vec<String> {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&strict_schema_value())
            .unwrap_or_else(|e| panic!("the schema compiles: {e}"));
        validator
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn example_json_validates_against_the_schema() {
        let c = example();
        let doc = parse(&transfers_json(&c));
        let errs = problems(&doc);
        assert!(errs.is_empty(), "{errs:#?}");
    }

    #[test]
    fn json_with_a_history_validates_against_the_schema() {
        let c = example();
        // Compare the example with a copy that lost a measure: a history
        // entry with changes, details and risks.
        let first = crate::publication::parse(std::path::Path::new("t.json"), &transfers_json(&c))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut older = first.clone();
        older.provider.version = Some("2026.3".into());
        older.measures.push(crate::publication::Measure {
            id: "gone".into(),
            title: "Gone".into(),
            title_en: None,
            kind: crate::publication::MeasureKind::Technical,
            mitigates: Vec::new(),
            residual_risk: None,
            residual_level: None,
            chain: Vec::new(),
        });
        older.sites[0].city = Some("Elsewhere".into());
        let list = crate::publication::changes::compare(&older, &first);
        assert!(list.riskier());
        let entry = crate::publication::history::entry(&first, Some(&list));
        let history = crate::publication::history::accumulate(Some(&older), entry);
        assert_eq!(history.len(), 2);
        let doc = parse(&transfers_json_with_history(&c, &history));
        let errs = problems(&doc);
        assert!(errs.is_empty(), "{errs:#?}");
        assert_eq!(
            doc["history"][0]["changes"].as_array().map(Vec::len),
            Some(list.changes.len())
        );
    }

    #[test]
    fn the_strict_schema_catches_missing_unknown_and_mistyped_keys() {
        let c = example();
        let doc = parse(&transfers_json(&c));
        let fails = |d: &Value, what: &str| {
            let errs = problems(d);
            assert!(errs.iter().any(|e| e.contains(what)), "{what}: {errs:#?}");
        };
        let mut missing = doc.clone();
        if let Some(t) = missing["transfers"][0].as_object_mut() {
            t.remove("basis_status");
        }
        fails(&missing, "basis_status");
        // A key written but not documented: the drift the derived schema prevents.
        let mut extra = doc.clone();
        extra["sites"][0]["secret"] = json!(1);
        fails(&extra, "secret");
        let mut extra_top = doc.clone();
        extra_top["added_later"] = json!([]);
        fails(&extra_top, "added_later");
        // Version 1's repeated chain is no longer part of the format.
        let mut v1_key = doc.clone();
        v1_key["entities"][0]["control_chain"] = json!([]);
        fails(&v1_key, "control_chain");
        let mut typed = doc.clone();
        typed["transfers"][0]["health"] = json!("yes");
        fails(&typed, "health");
        let mut bad_enum = doc.clone();
        bad_enum["transfers"][0]["basis_status"] = json!("maybe");
        fails(&bad_enum, "basis_status");
        let mut bad_country = doc.clone();
        bad_country["entities"][0]["country"] = json!("France");
        fails(&bad_country, "country");
        let mut bad_date = doc.clone();
        bad_date["as_of"] = json!("2026-13-45");
        fails(&bad_date, "as_of");
        let mut old_version = doc;
        old_version["format_version"] = json!(1);
        fails(&old_version, "format_version");
        // The open, published schema lets a later version add keys.
        let open = jsonschema::validator_for(&schema_value())
            .unwrap_or_else(|e| panic!("the schema compiles: {e}"));
        assert!(open.is_valid(&extra_top));
    }

    /// Every property and every definition of the schema has a description.
    fn undocumented(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    for (k, p) in props {
                        if p.get("description")
                            .and_then(Value::as_str)
                            .is_none_or(str::is_empty)
                        {
                            out.push(format!("{path}.{k}"));
                        }
                    }
                }
                if let Some(Value::Object(defs)) = m.get("$defs") {
                    for (k, d) in defs {
                        if d.get("description").is_none() {
                            out.push(format!("$defs.{k}"));
                        }
                    }
                }
                for (k, x) in m {
                    undocumented(x, &format!("{path}.{k}"), out);
                }
            }
            Value::Array(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    undocumented(x, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn schema_is_draft_2020_12_derived_and_fully_documented() {
        let text = transfers_schema();
        let s = parse(&text);
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(s["$id"], TRANSFERS_SCHEMA_FILE);
        assert_eq!(
            s["properties"]["format_version"]["const"],
            TRANSFERS_FORMAT_VERSION
        );
        let mut missing = Vec::new();
        undocumented(&s, "$", &mut missing);
        assert!(missing.is_empty(), "{missing:?}");
        // Every $ref resolves.
        for (i, _) in text.match_indices("\"$ref\": \"#/$defs/") {
            let rest = &text[i + 17..];
            let name = rest.split('"').next().unwrap_or_default();
            assert!(s["$defs"].get(name).is_some(), "{name}");
        }
        // Values only read from other versions are not offered to writers.
        assert!(!text.contains("\"unknown\""), "{text}");
        assert!(!text.contains("control_chain"));
        // Descriptions are not cut where their doc comments wrap.
        let entity = &s["$defs"]["Entity"]["properties"];
        assert_eq!(
            entity["ultimate_parent"]["description"],
            "Id of the entity at the top of the control chain (reached by following `parent` ids); null when the entity has no parent. Format version 2 and later."
        );
        assert!(text.ends_with("}\n"));
        assert_eq!(text, transfers_schema());
    }

    #[test]
    fn example_json_is_complete_and_deterministic() {
        let c = example();
        let text = transfers_json(&c);
        assert!(text.ends_with("}\n"));
        assert_eq!(text, transfers_json(&c));
        let doc = parse(&text);
        assert_eq!(doc["$schema"], "transfers.schema.json");
        assert_eq!(doc["format_version"], TRANSFERS_FORMAT_VERSION);
        assert_eq!(doc["as_of"], "2026-11-15");
        assert_eq!(doc["provider"]["name"], "Hexagone Santé");
        assert_eq!(doc["provider"]["host"], "hexasante");
        assert_eq!(doc["provider"]["version"], "2026.4");
        assert_eq!(doc["provider"]["publication_date"], "2026-11-15");
        assert_eq!(
            doc["provider"]["base_url"],
            "https://transparence.hexasante.example/"
        );
        assert_eq!(doc["policy"]["partial_adequacy_is_exposure"], true);
        assert_eq!(doc["exi31"]["form"], "table");
        let ids = |k: &str| -> Vec<String> { ids_of(&doc[k]) };
        // Nothing lost: every declaration, sorted by id.
        let p = &c.project;
        assert_eq!(
            ids("entities"),
            p.entities.keys().cloned().collect::<Vec<_>>()
        );
        assert_eq!(ids("sites"), p.sites.keys().cloned().collect::<Vec<_>>());
        assert_eq!(
            ids("services"),
            p.services.keys().cloned().collect::<Vec<_>>()
        );
        assert_eq!(ids("flows"), p.flows.keys().cloned().collect::<Vec<_>>());
        assert_eq!(
            ids("access_paths"),
            p.access_paths.keys().cloned().collect::<Vec<_>>()
        );
        assert_eq!(
            ids("measures"),
            p.measures.keys().cloned().collect::<Vec<_>>()
        );
        let t_ids: Vec<String> = c.analysis.transfers.iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids("transfers"), t_ids);
        assert_eq!(
            ids("exposures"),
            c.analysis
                .exposures
                .iter()
                .map(|x| x.id.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            doc["findings"].as_array().map(Vec::len),
            Some(c.analysis.findings.len())
        );
        // Measures without their Markdown body.
        assert!(doc["measures"][0].get("body").is_none());
        assert!(!text.contains("Aucun intervenant situé hors de l'EEE n'a d'accès direct"));
        // The reference facts used: Canada's partial decision, the US laws and
        // the provider's Moroccan law, marked overridden.
        let decisions = ids_of(&doc["reference"]["adequacy_decisions"]);
        assert!(decisions.contains(&"CA".to_string()), "{decisions:?}");
        let laws = ids_of(&doc["reference"]["laws"]);
        assert!(laws.contains(&"US-CLOUD".to_string()), "{laws:?}");
        let ma = doc["reference"]["laws"]
            .as_array()
            .and_then(|a| a.iter().find(|l| l["id"] == "MA-CPP-108"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(ma["overridden"], true);
        assert_eq!(
            doc["reference"]["overridden"],
            json!([{"kind": "law", "id": "MA-CPP-108", "action": "added"}])
        );
        // Entities state their parent and ultimate parent once; the
        // ultimate parent has none.
        let entity = |id: &str| {
            doc["entities"]
                .as_array()
                .and_then(|a| a.iter().find(|e| e["id"] == id))
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(entity("stratus-fr")["parent"], "stratus-inc");
        assert_eq!(entity("stratus-fr")["ultimate_parent"], "stratus-inc");
        assert_eq!(entity("stratus-inc")["ultimate_parent"], Value::Null);
        assert!(entity("stratus-fr").get("control_chain").is_none());
        // No declaration location leaks.
        assert!(!text.contains("\"loc\""));
        // The typed document reads back as built.
        let read = crate::publication::parse(std::path::Path::new("t.json"), &text)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(as_published(&c).ok(), Some(read));
    }

    #[test]
    fn ultimate_parents_are_found_in_one_pass_over_a_deep_chain() {
        let mut c = example();
        // A 3,000-deep chain above the host's entity: e0 ← e1 ← … ← e2999.
        let template = c.project.entities["stratus-inc"].clone();
        for i in 0..3000 {
            let mut e = template.clone();
            e.id = format!("e{i:04}");
            e.parent = (i > 0).then(|| format!("e{:04}", i - 1));
            c.project.entities.insert(e.id.clone(), e);
        }
        let top = ultimate_parents(&c.project);
        assert_eq!(top.get("e2999"), Some(&"e0000"));
        assert_eq!(top.get("e0001"), Some(&"e0000"));
        assert_eq!(top.get("e0000"), None);
        assert_eq!(top.get("stratus-fr"), Some(&"stratus-inc"));
        // Stated once per entity: the file grows linearly with the depth.
        let text = transfers_json(&c);
        assert!(text.matches("\"e0000\"").count() <= 3001 + 1, "quadratic");
    }

    fn ids_of(v: &Value) -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    #[ignore = "writes /tmp/transfers.json and /tmp/transfers.schema.json for a look"]
    fn write_example_exports() {
        let c = example();
        let _ = std::fs::write("/tmp/transfers.json", transfers_json(&c));
        let _ = std::fs::write("/tmp/transfers.schema.json", transfers_schema());
    }
}
