//! Reading a country code typed by a user, and recognising what they typed
//! when it is not an alpha-2 code (an alpha-3 or numeric code, a name in
//! English or French) so that the diagnostic can suggest the right code.
//!
//! Names are never accepted in place of codes: "Congo" or "Guinea" name
//! several countries, and a declaration file must mean one thing.

use super::{CountryLookup, Reference};

/// Most candidates named in an ambiguity hint (the full list is in
/// `candidates`).
const HINT_MAX: usize = 6;

pub(super) fn lookup_country(r: &Reference, input: &str) -> CountryLookup {
    let raw = input.trim();
    if raw.is_empty() {
        return CountryLookup::Unknown {
            hint: Some("write an ISO 3166-1 alpha-2 country code, e.g. `FR`".to_string()),
        };
    }
    let upper = raw.to_ascii_uppercase();
    let letters = |n: usize| upper.len() == n && upper.bytes().all(|b| b.is_ascii_alphabetic());

    if letters(2) {
        if let Some(a) = r.aliases.iter().find(|a| a.code == upper) {
            return CountryLookup::Found {
                code: a.target.clone(),
                note: Some(a.note.clone()),
            };
        }
        if r.index.contains_key(&upper) {
            return CountryLookup::Found {
                note: r.code_note(&upper, "en").map(str::to_string),
                code: upper,
            };
        }
        let hint = (upper == "EU").then(|| {
            "`EU` is not a country: write the code of the member state, e.g. `FR`".to_string()
        });
        return CountryLookup::Unknown { hint };
    }
    if letters(3)
        && let Some(c) = r.countries.iter().find(|c| c.alpha3 == upper)
    {
        return CountryLookup::Unknown {
            hint: Some(format!(
                "`{raw}` is an ISO alpha-3 code: write `{}` ({})",
                c.code, c.name_en
            )),
        };
    }
    if upper.len() == 3
        && upper.bytes().all(|b| b.is_ascii_digit())
        && let Some(c) = r.countries.iter().find(|c| c.numeric == upper)
    {
        return CountryLookup::Unknown {
            hint: Some(format!(
                "`{raw}` is an ISO numeric code: write `{}` ({})",
                c.code, c.name_en
            )),
        };
    }

    let wanted = tokens(raw);
    if wanted.is_empty() {
        return CountryLookup::Unknown { hint: None };
    }
    // Exact: the input is one of the country's names. Partial: the input's
    // words appear, in order, inside a short name ("Guinea" in
    // "Guinea-Bissau"). Official long names count only when exact, otherwise
    // "Ireland" would also point at "United Kingdom of Great Britain and
    // Northern Ireland".
    let mut exact: Vec<&str> = Vec::new();
    let mut partial: Vec<&str> = Vec::new();
    for c in &r.countries {
        let short = [c.name_en.as_str(), c.name_fr.as_str()]
            .into_iter()
            .chain(c.other_names.iter().map(String::as_str));
        let mut is_exact = false;
        let mut is_partial = false;
        for n in short {
            let t = tokens(n);
            if t == wanted {
                is_exact = true;
            } else if contains_run(&t, &wanted) {
                is_partial = true;
            }
        }
        if c.official_names.iter().any(|n| tokens(n) == wanted) {
            is_exact = true;
        }
        if is_exact {
            exact.push(&c.code);
        } else if is_partial {
            partial.push(&c.code);
        }
    }
    // A multi-word exact name ("United States") settles it; a single word
    // shared by several names ("Congo", "Guinea") does not.
    if exact.len() == 1 && (partial.is_empty() || wanted.len() > 1) {
        return CountryLookup::Unknown {
            hint: Some(write_code(r, exact[0])),
        };
    }
    let candidates: Vec<String> = exact
        .iter()
        .chain(partial.iter())
        .map(|c| c.to_string())
        .collect();
    match candidates.len() {
        0 => CountryLookup::Unknown { hint: None },
        1 => CountryLookup::Unknown {
            hint: Some(write_code(r, &candidates[0])),
        },
        n => {
            let mut listed: Vec<String> = candidates
                .iter()
                .take(HINT_MAX)
                .map(|c| format!("`{c}` ({})", r.country_name(c, "en")))
                .collect();
            if n > HINT_MAX {
                listed.push(format!("{} more", n - HINT_MAX));
            }
            CountryLookup::Ambiguous {
                hint: format!(
                    "`{raw}` matches several countries: {}; write the ISO alpha-2 code of the one meant",
                    listed.join(", ")
                ),
                candidates,
            }
        }
    }
}

fn write_code(r: &Reference, code: &str) -> String {
    format!("write `{code}` ({})", r.country_name(code, "en"))
}

fn contains_run(hay: &[String], needle: &[String]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Lower-case words with accents removed, split on anything that is not a
/// letter or digit ("Côte d'Ivoire" → ["cote", "d", "ivoire"]).
pub(super) fn tokens(s: &str) -> Vec<String> {
    let mut folded = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        match fold(ch) {
            Some(rep) => folded.push_str(rep),
            None if ch.is_alphanumeric() => folded.push(ch),
            None => folded.push(' '),
        }
    }
    folded.split_whitespace().map(str::to_string).collect()
}

/// ASCII replacement of the accented letters found in country names.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}
