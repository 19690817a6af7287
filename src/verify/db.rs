//! Opening a GeoIP country database (MaxMind DB format, `.mmdb`) and reading
//! the country of an address or of every sub-network of a range.
//!
//! Two record layouts are in common use and both are read: GeoIP2 / GeoLite2 /
//! DB-IP (`{country: {iso_code: "FR"}, registered_country: …}`) and the flat
//! layout of ip-location-db (`{country_code: "FR"}`). `Reader::verify()` is
//! not called: it rejects the ip-location-db files although lookups work.

use std::borrow::Cow;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ipnetwork::IpNetwork;
use maxminddb::{LookupResult, MaxMindDbError, PathElement, Reader, WithinOptions};
use serde::{Deserialize, Serialize};

/// A database compiled into the binary (`data/geoip/`, see its
/// `LICENSE.md`), chosen with `--geoip-db NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedded {
    /// DB-IP Lite country (CC BY 4.0): where a block is used, from DB-IP's
    /// own measurements and providers' geofeeds, so a cloud region's
    /// ranges are placed where the region is. The default.
    DbIp,
    /// ip-location-db iptoasn-country (PDDL): the country an address
    /// block's autonomous system is *registered* in (a US cloud provider's
    /// Paris region is "US"). The default until sovmap 0.1's issue 20.
    IpToAsn,
}

/// Who must be credited for a database's data, and how (a link on pages
/// that show its results).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// The credit line, e.g. "IP Geolocation by DB-IP".
    pub text: &'static str,
    pub url: &'static str,
    pub licence: &'static str,
}

impl Embedded {
    pub const DEFAULT: Embedded = Embedded::DbIp;
    pub const ALL: [Embedded; 2] = [Embedded::DbIp, Embedded::IpToAsn];

    /// The name given to `--geoip-db`.
    pub fn key(self) -> &'static str {
        match self {
            Embedded::DbIp => "dbip",
            Embedded::IpToAsn => "iptoasn",
        }
    }

    /// How the database is named in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Embedded::DbIp => {
                "embedded: DB-IP Lite country, via ip-location-db dbip-country 2.3.2026060120 (CC BY 4.0)"
            }
            Embedded::IpToAsn => {
                "embedded: ip-location-db iptoasn-country 2.3.2026061719 (PDDL-1.0)"
            }
        }
    }

    /// A short name for messages ("DB-IP Lite").
    pub fn short_name(self) -> &'static str {
        match self {
            Embedded::DbIp => "DB-IP Lite",
            Embedded::IpToAsn => "iptoasn",
        }
    }

    /// The IPv4 and IPv6 files.
    fn files(self) -> (&'static [u8], &'static [u8]) {
        match self {
            Embedded::DbIp => (
                include_bytes!("../../data/geoip/dbip-country-ipv4.mmdb"),
                include_bytes!("../../data/geoip/dbip-country-ipv6.mmdb"),
            ),
            Embedded::IpToAsn => (
                include_bytes!("../../data/geoip/iptoasn-country-ipv4.mmdb"),
                include_bytes!("../../data/geoip/iptoasn-country-ipv6.mmdb"),
            ),
        }
    }

    /// The credit its licence requires (None: public domain).
    pub fn attribution(self) -> Option<Attribution> {
        match self {
            // CC BY 4.0; DB-IP asks web pages that show results of the
            // database for a link back (data/geoip/DBIP-LICENSE.txt).
            Embedded::DbIp => Some(Attribution {
                text: "IP Geolocation by DB-IP",
                url: "https://db-ip.com",
                licence: "CC BY 4.0",
            }),
            Embedded::IpToAsn => None,
        }
    }
}

type Bytes = Cow<'static, [u8]>;

/// A database that could not be used; always names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoIpError {
    /// The file as the user gave it (or the embedded database's name).
    pub file: String,
    pub message: String,
    /// What to do.
    pub help: String,
}

impl std::fmt::Display for GeoIpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for GeoIpError {}

/// Where the country of a record is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordLayout {
    /// `country.iso_code` (GeoIP2, GeoLite2 Country/City, DB-IP).
    CountryIsoCode,
    /// `country_code` (ip-location-db).
    FlatCountryCode,
}

impl RecordLayout {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordLayout::CountryIsoCode => "country.iso_code",
            RecordLayout::FlatCountryCode => "country_code",
        }
    }
}

/// What outputs say about the database: which one, what kind, how old.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatabaseInfo {
    /// The file given, or [`Embedded::name`].
    pub name: String,
    pub embedded: bool,
    /// `database_type` of the metadata (both halves for the embedded pair).
    pub database_type: String,
    /// `build_epoch` of the metadata, seconds since 1970 (UTC).
    pub build_epoch: u64,
    /// The build date, `YYYY-MM-DD` (UTC).
    pub build_date: String,
    /// 4 (IPv4 only) or 6.
    pub ip_version: u16,
    /// The layout found in the records (None: no record was found to tell).
    pub layout: Option<RecordLayout>,
    /// English description of the metadata, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The credit the database's licence requires (embedded DB-IP data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
    /// Which embedded database (None: a file).
    #[serde(skip)]
    pub which: Option<Embedded>,
}

impl DatabaseInfo {
    /// "the embedded DB-IP Lite database (2026-06-01)" / "geo/City.mmdb (2026-05-01)", for messages.
    pub fn short(&self, lang: &str) -> String {
        match (self.embedded, lang == "fr") {
            (true, false) => format!(
                "the embedded {} database ({})",
                self.which.unwrap_or(Embedded::DEFAULT).short_name(),
                self.build_date
            ),
            (true, true) => format!(
                "la base embarquée {} ({})",
                self.which.unwrap_or(Embedded::DEFAULT).short_name(),
                self.build_date
            ),
            (false, _) => format!("{} ({})", self.name, self.build_date),
        }
    }
}

enum Readers {
    /// Separate IPv4 and IPv6 files (the embedded default).
    Pair {
        v4: Reader<Bytes>,
        v6: Reader<Bytes>,
    },
    Single(Reader<Bytes>),
}

/// An open country database.
pub struct GeoDatabase {
    readers: Readers,
    pub info: DatabaseInfo,
}

/// The fields of a record sovmap reads; every other field is skipped.
#[derive(Deserialize)]
struct CountryRecord<'a> {
    #[serde(borrow, default)]
    country_code: Option<&'a str>,
    #[serde(borrow, default)]
    country: Option<IsoCode<'a>>,
    #[serde(borrow, default)]
    registered_country: Option<IsoCode<'a>>,
}

#[derive(Deserialize)]
struct IsoCode<'a> {
    #[serde(borrow, default)]
    iso_code: Option<&'a str>,
}

impl<'a> CountryRecord<'a> {
    /// The located country first (`country.iso_code`), then the flat
    /// `country_code`, then the registered country (GeoLite2 records of
    /// anycast or satellite blocks have only that one).
    fn code(&self) -> Option<&'a str> {
        self.country
            .as_ref()
            .and_then(|c| c.iso_code)
            .or(self.country_code)
            .or_else(|| self.registered_country.as_ref().and_then(|c| c.iso_code))
            .filter(|c| !c.is_empty())
    }

    fn layout(&self) -> Option<RecordLayout> {
        if self.country.as_ref().and_then(|c| c.iso_code).is_some()
            || self
                .registered_country
                .as_ref()
                .and_then(|c| c.iso_code)
                .is_some()
        {
            Some(RecordLayout::CountryIsoCode)
        } else if self.country_code.is_some() {
            Some(RecordLayout::FlatCountryCode)
        } else {
            None
        }
    }
}

/// One sub-network of a range that the database holds a record for.
#[derive(Debug, Clone, Copy)]
pub struct SubNetwork<'a> {
    /// Addresses of the declared range that this record covers.
    pub prefix_len: u8,
    /// The record's country code as written in the database (None: a record
    /// without a country).
    pub country: Option<&'a str>,
}

fn utc_date(epoch: u64) -> String {
    i64::try_from(epoch)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

fn describe(e: &MaxMindDbError) -> String {
    format!("not a valid MaxMind DB (.mmdb) file: truncated, damaged or of another format ({e})")
}

impl GeoDatabase {
    /// The default database compiled into the binary.
    pub fn embedded() -> Result<GeoDatabase, GeoIpError> {
        Self::embedded_named(Embedded::DEFAULT)
    }

    /// A database compiled into the binary (two files, picked by address family).
    pub fn embedded_named(which: Embedded) -> Result<GeoDatabase, GeoIpError> {
        let err = |e: MaxMindDbError| GeoIpError {
            file: which.name().to_string(),
            message: describe(&e),
            help: "the binary is damaged: rebuild sovmap".to_string(),
        };
        let (v4, v6) = which.files();
        let v4 = Reader::from_source(Cow::Borrowed(v4)).map_err(err)?;
        let v6 = Reader::from_source(Cow::Borrowed(v6)).map_err(err)?;
        let m = v4.metadata();
        let database_type = if v4.metadata().database_type == v6.metadata().database_type {
            m.database_type.clone()
        } else {
            format!("{} + {}", m.database_type, v6.metadata().database_type)
        };
        let build_epoch = m.build_epoch.max(v6.metadata().build_epoch);
        let mut db = GeoDatabase {
            info: DatabaseInfo {
                name: which.name().to_string(),
                embedded: true,
                database_type,
                build_epoch,
                build_date: utc_date(build_epoch),
                ip_version: 6,
                layout: None,
                description: None,
                attribution: which.attribution(),
                which: Some(which),
            },
            readers: Readers::Pair { v4, v6 },
        };
        db.info.layout = db.detect_layout().map_err(|e| GeoIpError {
            file: which.name().to_string(),
            message: describe(&e),
            help: "the binary is damaged: rebuild sovmap".to_string(),
        })?;
        Ok(db)
    }

    /// Open a database file. `shown` is how the file is named in messages
    /// (the path as the user wrote it).
    pub fn open(path: &Path, shown: &str) -> Result<GeoDatabase, GeoIpError> {
        let bytes = std::fs::read(path).map_err(|e| GeoIpError {
            file: shown.to_string(),
            message: match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::IsADirectory => "is a folder, not a .mmdb file".to_string(),
                _ => format!("cannot be read ({e})"),
            },
            help: "give the path of a MaxMind-format country database (.mmdb), or drop --geoip / `geoip` to use the embedded one".to_string(),
        })?;
        Self::from_bytes(Cow::Owned(bytes), shown)
    }

    /// A database held in memory (tests, benchmarks).
    pub fn from_bytes(bytes: Cow<'static, [u8]>, shown: &str) -> Result<GeoDatabase, GeoIpError> {
        let bad = |message: String| {
            GeoIpError {
            file: shown.to_string(),
            message,
            help: "download the database again, or give another file; supported: MaxMind GeoLite2/GeoIP2 Country or City, DB-IP, ip-location-db country databases".to_string(),
        }
        };
        let reader = Reader::from_source(bytes).map_err(|e| bad(describe(&e)))?;
        let m = reader.metadata();
        if m.ip_version != 4 && m.ip_version != 6 {
            return Err(bad(format!("unsupported ip_version {}", m.ip_version)));
        }
        let mut db = GeoDatabase {
            info: DatabaseInfo {
                name: shown.to_string(),
                embedded: false,
                database_type: m.database_type.clone(),
                build_epoch: m.build_epoch,
                build_date: utc_date(m.build_epoch),
                ip_version: m.ip_version,
                layout: None,
                description: m
                    .description
                    .get("en")
                    .or_else(|| m.description.values().next())
                    .filter(|d| !d.trim().is_empty())
                    .cloned(),
                attribution: None,
                which: None,
            },
            readers: Readers::Single(reader),
        };
        db.info.layout = db.detect_layout().map_err(|e| bad(describe(&e)))?;
        if db.info.layout.is_none() && db.has_any_record().map_err(|e| bad(describe(&e)))? {
            return Err(bad(format!(
                "its records hold no country (neither `country.iso_code` nor `country_code`; database type `{}`): is it an ASN, ISP or anonymous-IP database?",
                db.info.database_type
            )));
        }
        Ok(db)
    }

    fn readers(&self) -> Vec<&Reader<Bytes>> {
        match &self.readers {
            Readers::Pair { v4, v6 } => vec![v4, v6],
            Readers::Single(r) => vec![r],
        }
    }

    /// The layout of the first records that carry a country.
    fn detect_layout(&self) -> Result<Option<RecordLayout>, MaxMindDbError> {
        for r in self.readers() {
            // The first records with data; a country database has a country
            // in nearly all of them.
            for item in r.networks(WithinOptions::default())?.take(4096) {
                let item = item?;
                if let Some(rec) = item.decode::<CountryRecord>()?
                    && let Some(l) = rec.layout()
                {
                    return Ok(Some(l));
                }
            }
        }
        Ok(None)
    }

    fn has_any_record(&self) -> Result<bool, MaxMindDbError> {
        for r in self.readers() {
            if let Some(item) = r.networks(WithinOptions::default())?.next() {
                item?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The reader that answers for this address family; None for IPv6 in an
    /// IPv4-only database (maxminddb would return an error, not "no data").
    fn reader_for(&self, v6: bool) -> Option<&Reader<Bytes>> {
        match &self.readers {
            Readers::Pair { v4, v6: r6 } => Some(if v6 { r6 } else { v4 }),
            Readers::Single(r) if v6 && r.metadata().ip_version == 4 => None,
            Readers::Single(r) => Some(r),
        }
    }

    /// Whether the database can answer for IPv6 addresses.
    pub fn covers_ipv6(&self) -> bool {
        self.reader_for(true).is_some()
    }

    fn read_error(&self, e: MaxMindDbError) -> GeoIpError {
        GeoIpError {
            file: self.info.name.clone(),
            message: format!("a record cannot be read ({e})"),
            help: "the database is damaged or not a country database: download it again or give another file".to_string(),
        }
    }

    /// The country code of one address (as written in the database), None
    /// when it has no record or no country. `Ok(None)` too for an IPv6
    /// address in an IPv4-only database: check [`Self::covers_ipv6`].
    pub fn country_of(&self, ip: IpAddr) -> Result<Option<&str>, GeoIpError> {
        let Some(r) = self.reader_for(ip.is_ipv6()) else {
            return Ok(None);
        };
        let found = r.lookup(ip).map_err(|e| self.read_error(e))?;
        self.record_country(&found).map_err(|e| self.read_error(e))
    }

    /// The country code of a record. The known layout's key is read directly
    /// (no decoding of the rest of a City record: names, subdivisions…);
    /// otherwise, or when that key is missing, the whole record is read.
    fn record_country<'a>(
        &self,
        found: &LookupResult<'a, Bytes>,
    ) -> Result<Option<&'a str>, MaxMindDbError> {
        if !found.has_data() {
            return Ok(None);
        }
        let path: &[PathElement<'_>] = match self.info.layout {
            Some(RecordLayout::FlatCountryCode) => &[PathElement::Key("country_code")],
            Some(RecordLayout::CountryIsoCode) => {
                &[PathElement::Key("country"), PathElement::Key("iso_code")]
            }
            None => &[],
        };
        if !path.is_empty()
            && let Ok(Some(code)) = found.decode_path::<&str>(path)
            && !code.is_empty()
        {
            return Ok(Some(code));
        }
        Ok(found.decode::<CountryRecord>()?.and_then(|r| r.code()))
    }

    /// Whether the database has a record for this address (tree walk only,
    /// no decoding; for benchmarks).
    pub fn has_record(&self, ip: IpAddr) -> bool {
        self.reader_for(ip.is_ipv6())
            .and_then(|r| r.lookup(ip).ok())
            .is_some_and(|f| f.has_data())
    }

    /// Every record of the database inside `range` (or the one record that
    /// contains the whole range), with the part of the range it covers,
    /// given as a prefix length in the range's own address family: the
    /// record covers `2^(bits - prefix_len)` of the range's addresses.
    /// Networks without data are not listed. None for an IPv6 range in an
    /// IPv4-only database.
    pub fn sub_networks(
        &self,
        range: IpNetwork,
    ) -> Result<Option<Vec<SubNetwork<'_>>>, GeoIpError> {
        let Some(r) = self.reader_for(range.is_ipv6()) else {
            return Ok(None);
        };
        let opts = WithinOptions::default().include_aliased_networks();
        let mut out = Vec::new();
        // Records are shared by many networks: decode each offset once.
        let mut cache: Vec<(usize, Option<&str>)> = Vec::new();
        for item in r.within(range, opts).map_err(|e| self.read_error(e))? {
            let item: LookupResult<'_, Bytes> = item.map_err(|e| self.read_error(e))?;
            let Some(offset) = item.offset() else {
                continue;
            };
            let net = item.network().map_err(|e| self.read_error(e))?;
            // A record larger than the range covers all of it; a record of
            // the other family (IPv4 range above the IPv4 subtree of an
            // IPv6 database) too.
            let prefix_len = if net.is_ipv6() == range.is_ipv6() {
                net.prefix().max(range.prefix())
            } else {
                range.prefix()
            };
            let country = match cache.iter().find(|(o, _)| *o == offset) {
                Some((_, c)) => *c,
                None => {
                    let c = self.record_country(&item).map_err(|e| self.read_error(e))?;
                    if cache.len() < 64 {
                        cache.push((offset, c));
                    }
                    c
                }
            };
            out.push(SubNetwork {
                prefix_len,
                country,
            });
        }
        Ok(Some(out))
    }
}

/// Resolve `--geoip FILE` / `geoip = "…"`: a path relative to the project root
/// when it comes from `sovmap.toml`, as given (relative to the current folder)
/// on the command line.
pub fn resolve(root: &Path, from_config: bool, path: &Path) -> PathBuf {
    if from_config && path.is_relative() {
        root.join(path)
    } else {
        path.to_path_buf()
    }
}
