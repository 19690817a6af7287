//! Unit tests with small databases written here by `mmdb-writer`.

use std::borrow::Cow;
use std::time::{Duration, UNIX_EPOCH};

use ipnetwork::IpNetwork;
use mmdb_writer::{IpVersion, Value, Writer, ipnet::IpNet};

use super::*;
use crate::analysis::tests as analysis;
use crate::diag::Loc;
use crate::model::{IpRange, NodeRef, SiteRole};

/// Both record layouts in common use.
#[derive(Clone, Copy)]
enum Layout {
    Flat,
    GeoIp2,
}

fn record(layout: Layout, cc: &str) -> Value {
    match layout {
        Layout::Flat => Value::map([("country_code", Value::from(cc))]),
        Layout::GeoIp2 => Value::map([
            (
                "country",
                Value::map([
                    ("iso_code", Value::from(cc)),
                    ("geoname_id", Value::from(3_017_382u32)),
                ]),
            ),
            ("continent", Value::map([("code", Value::from("EU"))])),
        ]),
    }
}

/// A database, byte-reproducible (fixed build epoch, non-empty description).
fn db(version: IpVersion, layout: Layout, entries: &[(&str, &str)]) -> GeoDatabase {
    let mut w = Writer::builder("sovmap-Test-Country")
        .ip_version(version)
        .description(&[("en", "sovmap unit-test database")])
        .build_epoch(UNIX_EPOCH + Duration::from_secs(1_781_654_400))
        .build();
    for (net, cc) in entries {
        let net: IpNet = net.parse().unwrap();
        w.insert_value(net, record(layout, cc)).unwrap();
    }
    GeoDatabase::from_bytes(Cow::Owned(w.to_bytes().unwrap()), "test.mmdb").unwrap()
}

fn range(s: &str) -> IpRange {
    IpRange {
        network: s.parse::<IpNetwork>().unwrap(),
        loc: Loc::default(),
    }
}

fn project(site: (&str, &[&str]), access: (&str, &[&str])) -> Project {
    let mut p = Project::default();
    let mut dc = analysis::site("dc", "host", site.0, SiteRole::Primary);
    dc.name = "DC".into();
    dc.ip_ranges = site.1.iter().map(|r| range(r)).collect();
    p.sites.insert("dc".into(), dc);
    let mut support = analysis::access(
        "support",
        "host",
        access.0,
        NodeRef::Site("dc".into()),
        None,
    );
    support.targets.clear();
    support.source_ip_ranges = access.1.iter().map(|r| range(r)).collect();
    p.access_paths.insert("support".into(), support);
    p
}

fn run(p: &Project, d: &GeoDatabase) -> Verification {
    verify(p, Reference::embedded(), d).unwrap()
}

fn shares(e: &RangeEvidence) -> Vec<(String, u128)> {
    e.countries
        .iter()
        .map(|c| (c.country.clone(), c.addresses))
        .collect()
}

#[test]
fn a_range_split_across_countries_gets_exact_shares_flat_layout() {
    let d = db(
        IpVersion::V4,
        Layout::Flat,
        &[("192.0.2.0/25", "FR"), ("192.0.2.128/26", "US")],
    );
    let v = run(&project(("FR", &["192.0.2.0/24"]), ("FR", &[])), &d);
    assert_eq!(d.info.layout, Some(RecordLayout::FlatCountryCode));
    let e = &v.ranges[0];
    assert_eq!(e.addresses, 256);
    assert_eq!(shares(e), vec![("FR".into(), 128), ("US".into(), 64)]);
    assert_eq!(e.countries[0].share, 0.5);
    assert_eq!(e.countries[1].share, 0.25);
    assert_eq!(e.no_data_addresses, 64);
    assert_eq!(e.verdict, Verdict::Contradicts);
    assert_eq!(v.findings.len(), 1);
    let f = &v.findings[0];
    assert_eq!(
        (f.code, f.severity),
        ("GEOIP-COUNTRY-MISMATCH", Severity::Warning)
    );
    assert_eq!(f.countries, vec!["US".to_string()]);
    assert!(
        f.message_en
            .contains("FR 50.00%, US 25.00%, no data 25.00%"),
        "{}",
        f.message_en
    );
}

#[test]
fn access_from_the_eea_with_egress_outside_makes_the_annex_wrong() {
    let d = db(
        IpVersion::V4,
        Layout::Flat,
        &[("198.51.100.0/25", "FR"), ("198.51.100.128/25", "MA")],
    );
    let v = run(&project(("FR", &[]), ("FR", &["198.51.100.0/24"])), &d);
    let e = &v.ranges[0];
    assert_eq!(e.holder, Holder::Access);
    assert_eq!(e.verdict, Verdict::AnnexWrong);
    let f = &v.findings[0];
    assert_eq!(
        (f.code, f.severity),
        ("GEOIP-ACCESS-OUTSIDE-EEA", Severity::Error)
    );
    assert!(f.message_en.contains("annex would be wrong"));
    assert!(f.message_en.contains("50.00% of its source range"));
    // The same range declared from Morocco is a plain contradiction (FR is
    // "elsewhere", but the declared country holds half of it).
    let v = run(&project(("FR", &[]), ("MA", &["198.51.100.0/24"])), &d);
    assert_eq!(v.ranges[0].verdict, Verdict::Contradicts);
    assert_eq!(v.findings[0].severity, Severity::Warning);
}

#[test]
fn other_eea_countries_come_from_the_reference_data() {
    // Norway is in the EEA (not the EU); Switzerland is not.
    let d = db(
        IpVersion::V4,
        Layout::GeoIp2,
        &[("203.0.113.0/25", "FR"), ("203.0.113.128/25", "NO")],
    );
    assert_eq!(d.info.layout, Some(RecordLayout::CountryIsoCode));
    let v = run(&project(("FR", &["203.0.113.0/24"]), ("FR", &[])), &d);
    assert_eq!(v.ranges[0].verdict, Verdict::ElsewhereInEea);
    assert_eq!(v.findings[0].code, "GEOIP-ELSEWHERE-IN-EEA");
    let d = db(
        IpVersion::V4,
        Layout::GeoIp2,
        &[("203.0.113.0/25", "FR"), ("203.0.113.128/25", "CH")],
    );
    let v = run(&project(("FR", &[]), ("FR", &["203.0.113.0/24"])), &d);
    assert_eq!(v.ranges[0].verdict, Verdict::AnnexWrong);
}

#[test]
fn whole_range_in_the_declared_country_gives_no_finding() {
    let d = db(IpVersion::V4, Layout::Flat, &[("10.0.0.0/8", "FR")]);
    // A range inside one larger record.
    let v = run(
        &project(
            ("FR", &["10.1.2.0/24", "10.9.9.9/32"]),
            ("FR", &["10.0.0.0/8"]),
        ),
        &d,
    );
    assert!(v.findings.is_empty(), "{:?}", v.findings);
    assert_eq!(v.ranges.len(), 3);
    for e in &v.ranges {
        assert_eq!(e.verdict, Verdict::Agrees);
        assert_eq!(e.countries[0].share, 1.0);
        assert_eq!(e.countries[0].addresses, e.addresses);
    }
    assert_eq!(v.ranges[1].addresses, 1);
}

#[test]
fn no_data_is_a_notice() {
    let d = db(IpVersion::V4, Layout::Flat, &[("192.0.2.0/24", "FR")]);
    let v = run(&project(("FR", &["198.18.0.0/15"]), ("FR", &[])), &d);
    assert_eq!(v.ranges[0].verdict, Verdict::NoData);
    assert_eq!(v.ranges[0].no_data_share, 1.0);
    assert_eq!(
        (v.findings[0].code, v.findings[0].severity),
        ("GEOIP-NO-DATA", Severity::Notice)
    );
}

#[test]
fn ipv6_shares_use_128_bit_arithmetic() {
    let d = db(
        IpVersion::V6,
        Layout::GeoIp2,
        &[
            ("2001:db8::/33", "FR"),
            ("2001:db8:8000::/34", "DE"),
            ("2000::/3", "US"),
            ("2001:db8::/32", "FR"),
        ],
    );
    // Later inserts win: 2001:db8::/32 is all FR, the rest of 2000::/3 US.
    let v = run(
        &project(("FR", &["::/0", "2001:db8::/31"]), ("FR", &[])),
        &d,
    );
    let all = &v.ranges[0];
    assert_eq!(all.addresses, u128::MAX);
    assert_eq!(
        shares(all),
        vec![
            ("US".into(), (1u128 << 125) - (1u128 << 96)),
            ("FR".into(), 1u128 << 96)
        ]
    );
    assert!((all.countries[0].share - 0.125).abs() < 1e-9);
    assert_eq!(all.verdict, Verdict::Contradicts);
    let half = &v.ranges[1];
    assert_eq!(
        shares(half),
        vec![("FR".into(), 1u128 << 96), ("US".into(), 1u128 << 96)]
    );
    assert_eq!(half.countries[0].share, 0.5);
}

#[test]
fn ipv4_ranges_in_a_single_ipv6_database() {
    // GeoLite2-style: one IPv6 tree with IPv4 under ::/96.
    let d = db(
        IpVersion::V6,
        Layout::GeoIp2,
        &[("192.0.2.0/25", "FR"), ("192.0.2.128/25", "DE")],
    );
    let v = run(&project(("FR", &["192.0.2.0/24"]), ("FR", &[])), &d);
    assert_eq!(
        shares(&v.ranges[0]),
        vec![("DE".into(), 128), ("FR".into(), 128)]
    );
    assert_eq!(v.ranges[0].verdict, Verdict::ElsewhereInEea);
}

#[test]
fn ipv6_range_in_an_ipv4_only_database_is_a_notice() {
    let d = db(IpVersion::V4, Layout::Flat, &[("192.0.2.0/24", "FR")]);
    assert!(!d.covers_ipv6());
    let v = run(&project(("FR", &["2001:db8::/32"]), ("FR", &[])), &d);
    assert_eq!(v.ranges[0].verdict, Verdict::NotCovered);
    assert_eq!(
        (v.findings[0].code, v.findings[0].severity),
        ("GEOIP-IPV6-NOT-COVERED", Severity::Notice)
    );
    assert_eq!(d.country_of("2001:db8::1".parse().unwrap()), Ok(None));
}

#[test]
fn bad_databases_are_named_errors() {
    let e = GeoDatabase::from_bytes(Cow::Borrowed(b"not a database"), "x.mmdb")
        .err()
        .unwrap();
    assert_eq!(e.file, "x.mmdb");
    assert!(
        e.message.contains("not a valid MaxMind DB"),
        "{}",
        e.message
    );
    // Truncated: the metadata at the end is gone.
    let mut w = Writer::builder("T")
        .description(&[("en", "t")])
        .build_epoch(UNIX_EPOCH)
        .build();
    w.insert_value(
        "192.0.2.0/24".parse::<IpNet>().unwrap(),
        record(Layout::Flat, "FR"),
    )
    .unwrap();
    let bytes = w.to_bytes().unwrap();
    let cut = bytes[..bytes.len() / 2].to_vec();
    let e = GeoDatabase::from_bytes(Cow::Owned(cut), "cut.mmdb")
        .err()
        .unwrap();
    assert!(e.message.contains("truncated"), "{}", e.message);
    // Records without a country (an ASN database).
    let mut w = Writer::builder("GeoLite2-ASN")
        .description(&[("en", "asn")])
        .build_epoch(UNIX_EPOCH)
        .build();
    w.insert_value(
        "192.0.2.0/24".parse::<IpNet>().unwrap(),
        Value::map([("autonomous_system_number", Value::from(64_512u32))]),
    )
    .unwrap();
    let e = GeoDatabase::from_bytes(Cow::Owned(w.to_bytes().unwrap()), "asn.mmdb")
        .err()
        .unwrap();
    assert!(e.message.contains("no country"), "{}", e.message);
    let e = GeoDatabase::open(std::path::Path::new("/nonexistent/x.mmdb"), "x.mmdb")
        .err()
        .unwrap();
    assert_eq!(e.message, "no such file");
}

#[test]
fn embedded_database_answers_both_families() {
    for which in Embedded::ALL {
        embedded_answers(which);
    }
}

fn embedded_answers(which: Embedded) {
    let d = GeoDatabase::embedded_named(which).unwrap();
    assert!(d.info.embedded);
    assert_eq!(d.info.name, which.name());
    assert_eq!(d.info.layout, Some(RecordLayout::FlatCountryCode));
    assert_eq!(
        d.country_of("8.8.8.8".parse().unwrap()).unwrap(),
        Some("US")
    );
    assert!(
        d.country_of("2001:4860::8888".parse().unwrap())
            .unwrap()
            .is_some()
    );
    assert_eq!(d.country_of("10.0.0.1".parse().unwrap()).unwrap(), None);
}

#[test]
fn percentages_never_round_to_a_misleading_value() {
    assert_eq!(percent(1.0), "100.00%");
    assert_eq!(percent(0.5), "50.00%");
    assert_eq!(percent(1.0 / 16_777_216.0), "<0.01%");
    assert_eq!(percent(1.0 - 1.0 / 16_777_216.0), ">99.99%");
}

#[test]
fn evidence_is_found_per_holder() {
    let d = db(IpVersion::V4, Layout::Flat, &[("10.0.0.0/8", "FR")]);
    let mut p = project(
        ("FR", &["10.1.0.0/16", "10.2.0.0/16"]),
        ("FR", &["10.3.0.0/16"]),
    );
    let mut other = p.sites["dc"].clone();
    other.id = "ab".into();
    other.ip_ranges = vec![range("10.4.0.0/16")];
    p.sites.insert("ab".into(), other);
    let v = run(&p, &d);
    let ids = |h: Holder, id: &str| -> Vec<String> {
        v.for_holder(h, id)
            .iter()
            .map(|r| r.range.to_string())
            .collect()
    };
    assert_eq!(ids(Holder::Site, "dc"), vec!["10.1.0.0/16", "10.2.0.0/16"]);
    assert_eq!(ids(Holder::Site, "ab"), vec!["10.4.0.0/16"]);
    assert_eq!(ids(Holder::Access, "support"), vec!["10.3.0.0/16"]);
    assert!(ids(Holder::Access, "dc").is_empty());
    assert!(ids(Holder::Site, "zz").is_empty());
}

#[test]
fn geoip2_records_without_country_fall_back_to_the_registered_country() {
    let mut w = Writer::builder("GeoLite2-Country")
        .ip_version(IpVersion::V6)
        .description(&[("en", "sovmap unit-test database")])
        .build_epoch(UNIX_EPOCH + Duration::from_secs(1_781_654_400))
        .build();
    w.insert_value(
        "192.0.2.0/25".parse::<IpNet>().unwrap(),
        record(Layout::GeoIp2, "FR"),
    )
    .unwrap();
    // An anycast block: no `country`, only `registered_country`.
    w.insert_value(
        "192.0.2.128/25".parse::<IpNet>().unwrap(),
        Value::map([(
            "registered_country",
            Value::map([("iso_code", Value::from("US"))]),
        )]),
    )
    .unwrap();
    let d = GeoDatabase::from_bytes(Cow::Owned(w.to_bytes().unwrap()), "t.mmdb").unwrap();
    assert_eq!(d.info.layout, Some(RecordLayout::CountryIsoCode));
    assert_eq!(
        d.country_of("192.0.2.200".parse().unwrap()).unwrap(),
        Some("US")
    );
    let v = run(&project(("FR", &["192.0.2.0/24"]), ("FR", &[])), &d);
    assert_eq!(
        shares(&v.ranges[0]),
        vec![("FR".into(), 128), ("US".into(), 128)]
    );
}

#[test]
fn long_share_lists_are_cut_but_keep_the_declared_country() {
    let codes = [
        "US", "CN", "JP", "KR", "BR", "GB", "CA", "RU", "AU", "IN", "TW", "MX", "ZA", "AR",
    ];
    let nets: Vec<(String, &str)> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("192.0.2.{}/28", i * 16), *c))
        .chain([("192.0.2.224/29".to_string(), "FR")])
        .collect();
    let entries: Vec<(&str, &str)> = nets.iter().map(|(n, c)| (n.as_str(), *c)).collect();
    let d = db(IpVersion::V4, Layout::Flat, &entries);
    let v = run(&project(("FR", &["192.0.2.0/24"]), ("FR", &[])), &d);
    let e = &v.ranges[0];
    assert_eq!(e.countries.len(), 15);
    assert_eq!(
        e.shares_text("en"),
        "AR 6.25%, AU 6.25%, BR 6.25%, CA 6.25%, CN 6.25%, GB 6.25%, IN 6.25%, JP 6.25%, KR 6.25%, MX 6.25%, FR 3.12%, 4 other countries 25.00%, no data 9.38%"
    );
    assert!(
        v.findings[0].message_en.contains("(+4))"),
        "{}",
        v.findings[0].message_en
    );
}

/// Paris cloud regions, from the providers' published range lists: AWS
/// eu-west-3 (ip-ranges.json), Google Cloud europe-west9 (cloud.json),
/// Microsoft Azure France Central (AzureCloud.francecentral service tag).
/// Each is a US company's block, used in Paris.
const PARIS_CLOUD: [&str; 10] = [
    "13.36.0.0/14",
    "15.236.0.0/15",
    "35.180.0.0/16",
    "2a05:d012::/36",
    "34.155.0.0/16",
    "34.163.0.0/16",
    "20.19.0.0/16",
    "20.74.0.0/17",
    "40.79.128.0/20",
    "51.103.0.0/17",
];

#[test]
fn the_default_database_places_paris_cloud_regions_in_france() {
    let d = GeoDatabase::embedded().unwrap();
    assert_eq!(d.info.which, Some(Embedded::DbIp));
    assert_eq!(d.info.build_date, "2026-06-01");
    assert_eq!(d.info.attribution, Embedded::DbIp.attribution());
    // A site in Paris with every range, and an admin team working from
    // those ranges, declared in France.
    let v = run(&project(("FR", &PARIS_CLOUD), ("FR", &PARIS_CLOUD)), &d);
    assert_eq!(v.ranges.len(), 2 * PARIS_CLOUD.len());
    for r in &v.ranges {
        assert_eq!(
            r.verdict,
            Verdict::Agrees,
            "{} {}",
            r.range,
            r.shares_text("en")
        );
        assert_eq!(r.declared_share(), 1.0, "{}", r.range);
    }
    assert!(v.findings.is_empty(), "{:?}", v.findings);
}

#[test]
fn the_registration_database_is_kept_and_says_us_for_the_same_ranges() {
    // What the default said before: the registry country of the provider,
    // so a correct annex was reported wrong.
    let d = GeoDatabase::embedded_named(Embedded::IpToAsn).unwrap();
    assert_eq!(d.info.build_date, "2026-06-17");
    assert_eq!(d.info.attribution, None);
    let v = run(&project(("FR", &PARIS_CLOUD), ("FR", &PARIS_CLOUD)), &d);
    for r in &v.ranges {
        assert_eq!(shares(r)[0].0, "US", "{}", r.range);
    }
    assert!(v.ranges.iter().any(|r| r.verdict == Verdict::AnnexWrong));
}
