//! Partial knowledge: the values a declaration may use where the document it
//! transcribes does not say (a country "EU", a parent "outside the EU", a
//! basis not stated…).
//!
//! Real transfer maps and subprocessor lists say "servers: EU", "parent:
//! United States" with no legal name, "basis: not stated". sovmap keeps such
//! values as they are instead of inventing a precise one; the analysis judges
//! each at its worst plausible value for the conclusion at hand and says so in
//! a `CONFIRM-…` finding (what is unknown, why it matters, what to ask).
//!
//! A *place* is what a `country` key may hold: an ISO 3166-1 alpha-2 code, or
//! one of the region values below. Codes are stored as written here
//! (`EU`, `EEA`, `non-EU`, `unknown`) so that exports keep them verbatim.

/// Some member state of the European Union, not named.
pub const EU: &str = "EU";
/// Some state of the European Economic Area, not named.
pub const EEA: &str = "EEA";
/// A country outside the European Union, not named ("controlled from outside
/// the EU"). At worst a third country without an adequacy decision.
pub const NON_EU: &str = "non-EU";
/// Not stated at all. At worst outside the EEA, without adequacy.
pub const UNKNOWN: &str = "unknown";

/// What a `country` value says about the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An ISO country code (or anything else: the loader has checked it).
    Country,
    /// Some EU member state.
    Eu,
    /// Some EEA state.
    Eea,
    /// Outside the EU, country not named.
    NonEu,
    /// Not stated.
    Unknown,
}

impl Place {
    /// Whether the value names no country at all (a region or unknown).
    pub fn is_region(self) -> bool {
        self != Place::Country
    }

    /// Whether the value is surely inside the EEA (EU or EEA, member state
    /// not named): enough for EXI 28, but the state must still be told.
    pub fn surely_eea(self) -> bool {
        matches!(self, Place::Eu | Place::Eea)
    }

    /// Whether the place may be outside the EEA and is not named: judged as
    /// a third country without an adequacy decision until confirmed.
    pub fn unstated_third_country(self) -> bool {
        matches!(self, Place::NonEu | Place::Unknown)
    }
}

/// Classify a stored `country` value.
pub fn place(code: &str) -> Place {
    let c = code.trim();
    if c.eq_ignore_ascii_case(EU) {
        Place::Eu
    } else if c.eq_ignore_ascii_case(EEA) {
        Place::Eea
    } else if c.eq_ignore_ascii_case(NON_EU)
        || c.eq_ignore_ascii_case("outside-EU")
        || c.eq_ignore_ascii_case("non-EEA")
    {
        Place::NonEu
    } else if c.eq_ignore_ascii_case(UNKNOWN) {
        Place::Unknown
    } else {
        Place::Country
    }
}

/// The stored spelling of a region value typed by a user (`eu`, `Eu`,
/// `outside-eu`, `UNKNOWN`…), or `None` for anything else.
pub fn parse_region(input: &str) -> Option<&'static str> {
    match place(input) {
        Place::Country => None,
        Place::Eu => Some(EU),
        Place::Eea => Some(EEA),
        Place::NonEu => Some(NON_EU),
        Place::Unknown => Some(UNKNOWN),
    }
}

/// How a region value reads on a page or in a message; `None` for a country.
pub fn region_name(code: &str, fr: bool) -> Option<&'static str> {
    Some(match (place(code), fr) {
        (Place::Country, _) => return None,
        (Place::Eu, false) => "EU (member state not stated)",
        (Place::Eu, true) => "UE (État membre non précisé)",
        (Place::Eea, false) => "EEA (state not stated)",
        (Place::Eea, true) => "EEE (État non précisé)",
        (Place::NonEu, false) => "outside the EU (country not stated)",
        (Place::NonEu, true) => "hors UE (pays non précisé)",
        (Place::Unknown, false) => "country not stated",
        (Place::Unknown, true) => "pays non précisé",
    })
}

/// The values accepted in place of a country code, for help messages.
pub const REGION_SPELLINGS: &str =
    "`EU` (some member state), `EEA`, `non-EU` (outside the EU, country not named) or `unknown`";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_read_in_any_case_and_stored_one_way() {
        assert_eq!(parse_region("eu"), Some(EU));
        assert_eq!(parse_region(" Eea "), Some(EEA));
        assert_eq!(parse_region("outside-eu"), Some(NON_EU));
        assert_eq!(parse_region("Non-EU"), Some(NON_EU));
        assert_eq!(parse_region("UNKNOWN"), Some(UNKNOWN));
        assert_eq!(parse_region("FR"), None);
        assert_eq!(parse_region("US"), None);
    }

    #[test]
    fn only_eu_and_eea_are_surely_inside() {
        assert!(place("EU").surely_eea());
        assert!(place("EEA").surely_eea());
        assert!(!place("non-EU").surely_eea());
        assert!(!place("unknown").surely_eea());
        assert!(place("unknown").unstated_third_country());
        assert!(place("non-EU").unstated_third_country());
        assert!(!place("EU").unstated_third_country());
        assert!(!place("DE").is_region());
    }

    #[test]
    fn names_never_invent_a_country() {
        assert_eq!(
            region_name("EU", false),
            Some("EU (member state not stated)")
        );
        assert_eq!(region_name("unknown", true), Some("pays non précisé"));
        assert_eq!(region_name("FR", false), None);
    }
}
