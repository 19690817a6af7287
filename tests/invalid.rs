//! Broken projects under `tests/fixtures/invalid/`: every problem must be
//! reported in one run, each with its file, line and column, with exit code 2
//! and never a panic.
//!
//! Each fixture is a complete small project derived from the example at the
//! repository root. The expected positions were counted by hand from the
//! fixture files (line and column are 1-based, columns count characters).
//!
//! Tests marked `#[ignore = "bug: …"]` state the behaviour we want where the
//! loader is wrong today; the lead removes the `ignore` once it is fixed.

mod common;

use std::fs;
use std::path::Path;

use common::{Diag, check, check_json, copy_example, files_under, fixtures, invalid_fixture};

// ---------------------------------------------------------------------------
// Expected diagnostics
// ---------------------------------------------------------------------------

/// One expected error (or note).
#[derive(Debug, Clone, Copy)]
struct Want {
    /// `None` for problems that are not about a place in a file.
    file: Option<&'static str>,
    line: usize,
    col: usize,
    /// Code without the `sovmap::` prefix.
    code: &'static str,
    /// Must appear in the message.
    msg: &'static str,
    /// Must appear in the hint, when given.
    help: Option<&'static str>,
}

/// An expected diagnostic at `file:line:col`.
const fn at(
    file: &'static str,
    line: usize,
    col: usize,
    code: &'static str,
    msg: &'static str,
) -> Want {
    Want {
        file: Some(file),
        line,
        col,
        code,
        msg,
        help: None,
    }
}

/// An expected diagnostic without a position (missing folder, unreadable file).
const fn unplaced(code: &'static str, msg: &'static str) -> Want {
    Want {
        file: None,
        line: 0,
        col: 0,
        code,
        msg,
        help: None,
    }
}

impl Want {
    const fn help(mut self, help: &'static str) -> Self {
        self.help = Some(help);
        self
    }

    fn matches(&self, d: &Diag) -> bool {
        let place = match self.file {
            Some(f) => {
                d.file.as_deref() == Some(f)
                    && d.line == Some(self.line)
                    && d.column == Some(self.col)
            }
            None => d.file.is_none(),
        };
        place
            && d.short_code() == self.code
            && d.message.contains(self.msg)
            && self
                .help
                .is_none_or(|h| d.help.as_deref().is_some_and(|dh| dh.contains(h)))
    }

    fn describe(&self) -> String {
        let place = match self.file {
            Some(f) => format!("{f}:{}:{}", self.line, self.col),
            None => "-".to_string(),
        };
        let help = self
            .help
            .map(|h| format!(" (help: …{h}…)"))
            .unwrap_or_default();
        format!("{place} [{}]: …{}…{help}", self.code, self.msg)
    }

    /// Start of the line the text output prints for this diagnostic.
    fn text_prefix(&self, level: &str) -> String {
        match self.file {
            Some(f) => format!("{f}:{}:{}: {level}[{}]: ", self.line, self.col, self.code),
            None => format!("{level}[{}]: ", self.code),
        }
    }
}

fn of_level<'a>(diags: &'a [Diag], level: &str) -> Vec<&'a Diag> {
    diags.iter().filter(|d| d.level == level).collect()
}

/// Match each wanted diagnostic to a distinct actual one; panic with both
/// lists when one is missing, or (when `exact`) when one is not wanted.
fn match_all(what: &str, actual: &[&Diag], wants: &[Want], exact: bool) {
    let mut left: Vec<&Diag> = actual.to_vec();
    let mut missing = Vec::new();
    for w in wants {
        match left.iter().position(|d| w.matches(d)) {
            Some(i) => {
                left.remove(i);
            }
            None => missing.push(w),
        }
    }
    if missing.is_empty() && (!exact || left.is_empty()) {
        return;
    }
    let mut msg = format!("{what}: the diagnostics differ from the expected ones\n");
    for w in &missing {
        msg.push_str(&format!("  missing:    {}\n", w.describe()));
    }
    if exact {
        for d in &left {
            msg.push_str(&format!("  unexpected: {}\n", d.describe()));
        }
    }
    msg.push_str("  actual:\n");
    for d in actual {
        msg.push_str(&format!(
            "    {}  (help: {})\n",
            d.describe(),
            d.help.as_deref().unwrap_or("-")
        ));
    }
    panic!("{msg}");
}

/// Run the fixture in JSON and text; check exit code 2, status, and that the
/// wanted errors are reported (and nothing else when `exact`).
fn check_fixture(fixture: &str, wants: &[Want], exact: bool) -> Vec<Diag> {
    let root = invalid_fixture(fixture);

    let (code, report) = check_json(&root);
    assert_eq!(code, Some(2), "{fixture}: exit code of --format json");
    assert_eq!(report.status, "invalid", "{fixture}: JSON status");
    assert_eq!(report.format_version, 1, "{fixture}: JSON format_version");
    for d in &report.diagnostics {
        assert!(
            d.code.starts_with("sovmap::"),
            "{fixture}: code without the sovmap:: prefix: {}",
            d.describe()
        );
        assert!(
            d.level == "error" || d.level == "note",
            "{fixture}: unknown level: {}",
            d.describe()
        );
    }
    let errors = of_level(&report.diagnostics, "error");
    match_all(&format!("{fixture} (json)"), &errors, wants, exact);

    let run = check(&root, &[]);
    assert_eq!(
        run.code,
        Some(2),
        "{fixture}: exit code (text)\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked"),
        "{fixture}: panic\n{}",
        run.stderr
    );
    for w in wants {
        let prefix = w.text_prefix("error");
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(w.msg)),
            "{fixture}: the text output has no line starting `{prefix}` with `{}`:\n{}",
            w.msg,
            run.stderr
        );
    }
    let headers = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error[") || l.contains(": error["))
        .count();
    assert_eq!(
        headers,
        errors.len(),
        "{fixture}: the text output and the JSON output list different numbers of errors\n{}",
        run.stderr
    );
    let n = errors.len();
    let summary = format!(
        "error: the declarations are invalid ({n} problem{}); nothing was analysed",
        if n == 1 { "" } else { "s" }
    );
    assert!(
        run.stderr.contains(&summary),
        "{fixture}: no `{summary}` in\n{}",
        run.stderr
    );
    report.diagnostics
}

/// Exactly these errors (notes aside), in both output formats.
fn assert_exact(fixture: &str, wants: &[Want]) -> Vec<Diag> {
    check_fixture(fixture, wants, true)
}

/// At least these errors, in both output formats.
fn assert_includes(fixture: &str, wants: &[Want]) -> Vec<Diag> {
    check_fixture(fixture, wants, false)
}

/// Exactly these notes, in JSON (`diagnostics` or `notes`) and in the text output.
fn assert_notes(fixture: &str, wants: &[Want]) {
    let root = invalid_fixture(fixture);
    let (_, report) = check_json(&root);
    let all: Vec<Diag> = report.diagnostics.into_iter().chain(report.notes).collect();
    let notes = of_level(&all, "note");
    match_all(&format!("{fixture} (json notes)"), &notes, wants, true);
    let run = check(&root, &[]);
    let text = format!("{}{}", run.stdout, run.stderr);
    for w in wants {
        let (file, line, col) = (w.file.unwrap_or(""), w.line, w.col);
        let invalid_style = w.text_prefix("note");
        let analysed_style = format!("note: {file}:{line}:{col}: ");
        assert!(
            text.lines().any(
                |l| (l.starts_with(&invalid_style) || l.starts_with(&analysed_style))
                    && l.contains(w.msg)
            ),
            "{fixture}: no note line for {} in\n{text}",
            w.describe()
        );
    }
}

// ---------------------------------------------------------------------------
// Fixtures and what they hold
// ---------------------------------------------------------------------------

/// Every folder under tests/fixtures/invalid/ (kept in sync by `every_fixture_is_tested`).
const FIXTURES: &[&str] = &[
    "bad-enums",
    "control-characters",
    "countries",
    "country-aliases",
    "date-literal-impossible",
    "dates",
    "declaration-not-a-table",
    "duplicate-ids",
    "empty-content",
    "hds-values",
    "integer-radix",
    "invalid-declaration-cascade",
    "ip-ranges",
    "languages-and-theme",
    "measure-front-matter",
    "missing-config",
    "missing-keys",
    "non-utf8",
    "ownership-cycle",
    "ownership-cycle-files",
    "reference-override",
    "reference-override-several",
    "reference-override-syntax",
    "reference-override-typo",
    "toml-syntax",
    "toml-syntax-missing-equals",
    "toml-syntax-unclosed-header",
    "unexpected-file",
    "unknown-keys",
    "unknown-refs",
    "unknown-site-many-flows",
    "unquoted-boolean-like",
    "wrong-type-activities",
    "wrong-types",
];

#[test]
fn every_fixture_is_tested() {
    let dir = fixtures().join("invalid");
    let mut found: Vec<String> = fs::read_dir(&dir)
        .expect("tests/fixtures/invalid")
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type()
                .ok()?
                .is_dir()
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    found.sort();
    assert_eq!(
        found, FIXTURES,
        "fixture folders and the FIXTURES list differ"
    );
}

const ENT: &str = "content/entities/hexagone-sante.toml";
const SITES: &str = "content/sites/datacentres.toml";
const SVC: &str = "content/services/dossier-patient.toml";
const ACCESS: &str = "content/access/teams.toml";
const CFG: &str = "sovmap.toml";

/// Several syntax errors in one file, and in several files (a declaration
/// file, the configuration, a measure's front matter): all in one run.
#[test]
fn toml_syntax_errors_in_several_files() {
    const M: &str = "content/measures/chiffrement.md";
    assert_exact(
        "toml-syntax",
        &[
            at(CFG, 4, 11, "toml-syntax", "quoted"),
            at(ENT, 5, 33, "toml-syntax", "basic string"),
            at(ENT, 7, 15, "toml-syntax", "quoted"),
            at(ENT, 8, 7, "toml-syntax", "boolean"),
            at(ENT, 9, 1, "toml-syntax", "duplicate key"),
            at(SITES, 3, 24, "toml-syntax", "literal string"),
            at(SITES, 5, 16, "toml-syntax", "TOML syntax error"),
            at(SITES, 7, 15, "toml-syntax", "escaped"),
            at(M, 3, 42, "toml-syntax", "basic string"),
        ],
    );
}

/// `website "…"` (no `=`) on line 5: what follows is still checked.
#[test]
fn toml_syntax_missing_equals_is_reported() {
    assert_includes(
        "toml-syntax-missing-equals",
        &[at(ENT, 5, 9, "toml-syntax", "TOML syntax error")],
    );
}

#[test]
fn toml_syntax_missing_equals_does_not_hide_later_problems() {
    assert_exact(
        "toml-syntax-missing-equals",
        &[
            at(ENT, 5, 9, "toml-syntax", "TOML syntax error"),
            at(ENT, 11, 1, "unknown-key", "descripton"),
            at(ENT, 12, 7, "toml-syntax", "TOML syntax error"),
        ],
    );
}

#[test]
fn toml_syntax_unclosed_header_is_reported() {
    assert_includes(
        "toml-syntax-unclosed-header",
        &[at(
            "content/sites/offices.toml",
            1,
            8,
            "toml-syntax",
            "TOML syntax error",
        )],
    );
}

#[test]
fn toml_syntax_unclosed_header_reported_once() {
    assert_exact(
        "toml-syntax-unclosed-header",
        &[at(
            "content/sites/offices.toml",
            1,
            8,
            "toml-syntax",
            "TOML syntax error",
        )],
    );
}

#[test]
fn unknown_keys_with_did_you_mean() {
    assert_exact(
        "unknown-keys",
        &[
            at(CFG, 4, 1, "unknown-key", "`notice_day`").help("did you mean `notice_days`"),
            at(
                CFG,
                7,
                1,
                "unknown-key",
                "`partial_adequacy_is_exposur` in [policy]",
            )
            .help("did you mean `partial_adequacy_is_exposure`"),
            at(ENT, 5, 1, "unknown-key", "`websit`").help("did you mean `website`"),
            at(ENT, 11, 3, "unknown-key", "`expire`").help("did you mean `expires`"),
            at(ENT, 14, 3, "unknown-key", "`entitty`").help("did you mean `[[entity]]`"),
            at(SITES, 7, 1, "unknown-key", "`coordinate`").help("did you mean `coordinates`"),
            at(
                SITES,
                9,
                1,
                "missing-key",
                "site `bordeaux` has no `country`",
            ),
            at(SITES, 13, 1, "unknown-key", "`countri`").help("did you mean `country`"),
            at(SVC, 5, 1, "unknown-key", "`secnumclod`").help("did you mean `secnumcloud`"),
            at(SVC, 10, 3, "unknown-key", "`role` in [[service.actor]]").help("entity, activities"),
            at(
                "content/flows/journaux.toml",
                7,
                1,
                "unknown-key",
                "`servics`",
            )
            .help("did you mean `services`"),
            at(
                "content/measures/chiffrement.md",
                6,
                1,
                "unknown-key",
                "`residual_levle`",
            )
            .help("did you mean `residual_level`"),
        ],
    );
}

#[test]
fn missing_required_keys() {
    assert_exact(
        "missing-keys",
        &[
            at(CFG, 1, 1, "missing-key", "`name`"),
            at(ENT, 6, 3, "missing-key", "`issued`"),
            at(ENT, 11, 1, "missing-key", "entity has no `id`"),
            at(
                ENT,
                15,
                1,
                "missing-key",
                "entity `alsace-dc` has no `legal_name`",
            ),
            at(
                ENT,
                15,
                1,
                "missing-key",
                "entity `alsace-dc` has no `country`",
            ),
            at(SITES, 8, 1, "missing-key", "site `bordeaux` has no `name`"),
            at(SITES, 8, 1, "missing-key", "site `bordeaux` has no `role`"),
            at(
                SVC,
                10,
                3,
                "missing-key",
                "[[service.actor]] has no `activities`",
            ),
            at(SVC, 13, 1, "missing-key", "where its data is stored"),
            at(SVC, 13, 1, "missing-key", "at least one actor"),
            at(
                "content/flows/journaux.toml",
                1,
                1,
                "missing-key",
                "has no `to`",
            ),
            at(
                "content/flows/journaux.toml",
                1,
                1,
                "missing-key",
                "which data",
            ),
            at(ACCESS, 1, 1, "missing-key", "has no `purpose`"),
            at(ACCESS, 1, 1, "missing-key", "what it reaches"),
            at(
                "content/measures/chiffrement.md",
                2,
                1,
                "missing-key",
                "has no `title`",
            ),
            at(
                "content/measures/chiffrement.md",
                2,
                1,
                "missing-key",
                "what it mitigates",
            ),
            at(
                "content/pages/contact.md",
                2,
                1,
                "missing-key",
                "page `contact` has no `title`",
            ),
        ],
    );
}

#[test]
fn wrong_types() {
    const FLOWS: &str = "content/flows/journaux.toml";
    assert_exact(
        "wrong-types",
        &[
            at(
                CFG,
                3,
                20,
                "wrong-type",
                "`publication_date` must be a date, found an integer",
            ),
            at(
                CFG,
                4,
                15,
                "wrong-type",
                "`notice_days` must be a whole number, found a string",
            ),
            at(CFG, 7, 32, "wrong-type", "`partial_adequacy_is_exposure`"),
            at(
                ENT,
                5,
                7,
                "wrong-type",
                "`dpf` must be true or false, found a string",
            ),
            at(ENT, 6, 11, "wrong-type", "`website`"),
            at(
                ENT,
                10,
                12,
                "wrong-type",
                "`issued` must be a date, found an integer",
            ),
            at(
                ENT,
                19,
                17,
                "wrong-type",
                "`control_share` must be a number, found a string",
            ),
            at(
                ENT,
                20,
                20,
                "wrong-type",
                "`adequacy_scopes` must list strings",
            ),
            at(
                ENT,
                26,
                7,
                "wrong-type",
                "`hds` must be a table, found a string",
            ),
            at(SITES, 7, 15, "bad-coordinates", "`coordinates`"),
            at(
                SITES,
                8,
                8,
                "wrong-type",
                "`city` must be a string in quotes, found a list",
            ),
            at(
                SVC,
                4,
                9,
                "wrong-type",
                "`sites` must be a list of strings, found an integer",
            ),
            at(SVC, 5, 15, "wrong-type", "`secnumcloud`"),
            at(
                FLOWS,
                6,
                8,
                "wrong-type",
                "`data` must be a list of strings",
            ),
            at(FLOWS, 7, 15, "wrong-type", "`description`"),
            at(ACCESS, 7, 14, "wrong-type", "`systematic`"),
            at(
                ACCESS,
                8,
                15,
                "wrong-type",
                "`safeguards` must list strings, found a boolean",
            ),
            at(
                "content/measures/chiffrement.md",
                6,
                18,
                "wrong-type",
                "`residual_level`",
            ),
        ],
    );
}

#[test]
fn wrong_type_activities_is_reported() {
    assert_includes(
        "wrong-type-activities",
        &[
            at(
                ENT,
                7,
                16,
                "wrong-type",
                "`activities` must be a list of numbers, found a string",
            ),
            at(
                SVC,
                8,
                16,
                "wrong-type",
                "`activities` must be a list of numbers, found an integer",
            ),
        ],
    );
}

#[test]
fn wrong_type_activities_reported_once() {
    assert_exact(
        "wrong-type-activities",
        &[
            at(ENT, 7, 16, "wrong-type", "`activities`"),
            at(SVC, 8, 16, "wrong-type", "`activities`"),
        ],
    );
}

#[test]
fn duplicate_ids_in_one_file_and_across_files() {
    assert_exact(
        "duplicate-ids",
        &[
            at(
                ENT,
                7,
                6,
                "duplicate-id",
                "entity `hexasante` is declared twice",
            )
            .help("first declared at content/entities/hexagone-sante.toml:2:6"),
            at(
                "content/entities/subcontractors.toml",
                7,
                6,
                "duplicate-id",
                "entity `hexasante`",
            )
            .help("first declared at content/entities/hexagone-sante.toml:2:6"),
            at(
                "content/sites/offices.toml",
                2,
                6,
                "duplicate-id",
                "site `sxb1`",
            )
            .help("first declared at content/sites/datacentres.toml:2:6"),
            at(
                "content/services/imagerie.toml",
                2,
                6,
                "duplicate-id",
                "service `dossier-patient`",
            )
            .help("first declared at content/services/dossier-patient.toml:2:6"),
            at(
                "content/flows/journaux.toml",
                9,
                6,
                "duplicate-id",
                "flow `journaux`",
            )
            .help("first declared at content/flows/journaux.toml:2:6"),
            at(
                "content/measures/chiffrement-b.md",
                2,
                6,
                "duplicate-id",
                "measure `chiffrement`",
            )
            .help("first declared at content/measures/chiffrement-a.md:2:6"),
        ],
    );
}

#[test]
fn references_to_unknown_ids() {
    const FLOWS: &str = "content/flows/replication.toml";
    const M: &str = "content/measures/bastion.md";
    assert_exact(
        "unknown-refs",
        &[
            at(
                CFG,
                2,
                8,
                "unknown-id",
                "the `host` of sovmap.toml refers to unknown entity `hexasant`",
            )
            .help("did you mean `hexasante`"),
            at(
                ENT,
                5,
                10,
                "unknown-id",
                "parent of entity `hexasante` refers to unknown entity `hexasante-holdng`",
            ),
            at(
                ENT,
                12,
                22,
                "unknown-id",
                "`hds_exempted_under` of entity `atlas-infogerance` refers to unknown entity `hexagone`",
            ),
            at(
                SITES,
                4,
                12,
                "unknown-id",
                "operator of site `sxb1` refers to unknown entity `alsace-dc`",
            ),
            at(SVC, 4, 18, "unknown-id", "unknown site `par-stratus`"),
            at(
                SVC,
                11,
                12,
                "unknown-id",
                "actor of service `dossier-patient` refers to unknown entity `stratus-fr`",
            ),
            at(FLOWS, 4, 6, "unknown-id", "`to` of flow `replication`"),
            at(FLOWS, 7, 32, "unknown-id", "unknown service `imagerie`"),
            at(FLOWS, 11, 8, "unknown-id", "`from` of flow `journaux`").help("did you mean `sxb1`"),
            at(FLOWS, 12, 6, "unknown-id", "`sentinelle`"),
            at(
                ACCESS,
                3,
                8,
                "unknown-id",
                "team of access path `support-n2` refers to unknown entity `atlas`",
            ),
            at(
                ACCESS,
                5,
                31,
                "unknown-id",
                "target of access path `support-n2`",
            ),
            at(M, 5, 63, "unknown-id", "`access:support-n3`")
                .help("did you mean `access:support-n2`"),
            at(M, 5, 84, "unknown-id", "`entity:stratus-inc`"),
            at(M, 5, 106, "unknown-id", "`law:US-CLOUDACT`").help("did you mean `law:US-CLOUD`"),
        ],
    );
}

#[test]
fn unknown_id_hints_are_good_english() {
    let diags = assert_includes("unknown-refs", &[]);
    for d in diags {
        let help = d.help.clone().unwrap_or_default();
        assert!(
            !help.contains("entitys") && !help.contains("site or services"),
            "{} — help: {help}",
            d.describe()
        );
    }
}

#[test]
fn unknown_and_ambiguous_countries() {
    assert_exact(
        "countries",
        &[
            at(ENT, 9, 11, "unknown-country", "`XX`"),
            at(ENT, 14, 11, "unknown-country", "`DEU`").help("write `DE`"),
            at(ENT, 19, 11, "ambiguous-country", "`Korea`").help("`KR`"),
            at(SITES, 12, 11, "unknown-country", "`FRA`").help("write `FR`"),
            at(SITES, 19, 11, "unknown-country", "`France`").help("write `FR`"),
            // `EU` is a region value now (member state not stated); a
            // name is still refused, with the region values in the help.
            at(ACCESS, 4, 11, "unknown-country", "`Europe`").help("`unknown`"),
        ],
    );
    // `EL` is accepted with a note, even in an invalid project.
    assert_notes("countries", &[at(ACCESS, 11, 11, "country-alias", "`EL`")]);
}

/// A VALID project: the EU codes `EL` and `UK` are accepted with a note.
#[test]
fn eu_alias_codes_are_accepted_with_a_note() {
    let root = invalid_fixture("country-aliases");
    let run = check(&root, &[]);
    assert_eq!(
        run.code,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let (code, report) = check_json(&root);
    assert_eq!(code, Some(0));
    assert_eq!(report.status, "analysed");
    assert_notes(
        "country-aliases",
        &[
            at(ENT, 15, 11, "country-alias", "`EL`"),
            at(SITES, 12, 11, "country-alias", "`UK`"),
        ],
    );
    assert!(
        run.stdout.contains("`GR`") && run.stdout.contains("`GB`"),
        "{}",
        run.stdout
    );
}

#[test]
fn invalid_ip_ranges_and_host_bits() {
    assert_exact(
        "ip-ranges",
        &[
            at(SITES, 7, 30, "bad-ip-range", "`300.1.1.1/8`"),
            at(SITES, 7, 45, "bad-ip-range", "`10.0.0.0/33`"),
            at(
                SITES,
                7,
                60,
                "ip-host-bits",
                "`10.0.0.1/8` has host bits set",
            )
            .help("`10.0.0.0/8`"),
            at(ACCESS, 7, 21, "ip-host-bits", "`2001:db8::1/32`").help("`2001:db8::/32`"),
            at(ACCESS, 7, 39, "bad-ip-range", "`not-an-ip`"),
        ],
    );
}

#[test]
fn too_long_prefix_is_named_as_such() {
    let diags = assert_includes(
        "ip-ranges",
        &[at(SITES, 7, 45, "bad-ip-range", "`10.0.0.0/33`")],
    );
    let d = diags
        .iter()
        .find(|d| d.line == Some(7) && d.column == Some(45))
        .expect("diagnostic");
    assert!(d.message.contains("prefix"), "{}", d.describe());
}

#[test]
fn impossible_dates_and_dates_with_a_time() {
    assert_exact(
        "dates",
        &[
            at(
                CFG,
                3,
                20,
                "bad-date",
                "`publication_date` must be a date without a time",
            ),
            at(ENT, 8, 12, "bad-date", "`2025-02-30` is not a real date"),
            at(ENT, 9, 13, "bad-date", "`2025-13-01` is not a real date"),
            at(
                ENT,
                19,
                12,
                "bad-date",
                "`issued` must be a date without a time",
            ),
            at(
                ENT,
                20,
                13,
                "bad-date",
                "`expires` must be a date without a time",
            ),
            at(ENT, 31, 13, "bad-date", "expires before it was issued"),
        ],
    );
}

/// Unquoted impossible dates are rejected by the TOML parser: one report each.
#[test]
fn impossible_date_literals_reported_once() {
    assert_exact(
        "date-literal-impossible",
        &[
            at(ENT, 8, 12, "toml-syntax", "day"),
            at(ENT, 9, 13, "toml-syntax", "month"),
        ],
    );
}

#[test]
fn ownership_cycle() {
    assert_exact(
        "ownership-cycle",
        &[at(
            "content/entities/group.toml",
            24,
            10,
            "ownership-cycle",
            "holding-a → holding-b → holding-c → holding-a",
        )],
    );
}

#[test]
fn ownership_cycle_across_files_is_reported() {
    let diags = assert_includes("ownership-cycle-files", &[]);
    let cycles: Vec<&Diag> = diags
        .iter()
        .filter(|d| d.short_code() == "ownership-cycle")
        .collect();
    assert_eq!(cycles.len(), 1, "{diags:#?}");
    assert!(
        cycles[0]
            .message
            .contains("holding-a → holding-b → holding-c → holding-a"),
        "{}",
        cycles[0].describe()
    );
}

#[test]
fn ownership_cycle_across_files_points_at_a_parent() {
    let diags = assert_includes("ownership-cycle-files", &[]);
    let d = diags
        .iter()
        .find(|d| d.short_code() == "ownership-cycle")
        .expect("cycle reported");
    let place = (d.file.as_deref(), d.line, d.column);
    // Either the parent that closes the cycle (holding-c → holding-a) or the
    // first parent of the chain (holding-a → holding-b).
    assert!(
        place == (Some("content/entities/group.toml"), Some(18), Some(10))
            || place == (Some("content/entities/holding-a.toml"), Some(8), Some(10)),
        "{}",
        d.describe()
    );
}

#[test]
fn measures_and_pages_without_or_with_broken_front_matter() {
    assert_exact(
        "measure-front-matter",
        &[
            at("content/measures/broken.md", 5, 18, "toml-syntax", "quoted"),
            at(
                "content/measures/broken.md",
                6,
                28,
                "toml-syntax",
                "unclosed array",
            ),
            at(
                "content/measures/no-front-matter.md",
                1,
                1,
                "no-front-matter",
                "measure",
            ),
            at(
                "content/measures/unclosed.md",
                1,
                1,
                "no-front-matter",
                "measure",
            ),
            at(
                "content/measures/yaml.md",
                1,
                1,
                "no-front-matter",
                "measure",
            ),
            at("content/pages/about.md", 1, 1, "no-front-matter", "page"),
        ],
    );
}

#[test]
fn unclosed_front_matter_is_named_as_such() {
    let diags = assert_includes(
        "measure-front-matter",
        &[at(
            "content/measures/unclosed.md",
            1,
            1,
            "no-front-matter",
            "",
        )],
    );
    let d = diags
        .iter()
        .find(|d| d.file.as_deref() == Some("content/measures/unclosed.md"))
        .expect("diagnostic");
    assert!(
        !d.message.contains("has no front matter"),
        "{}",
        d.describe()
    );
}

#[test]
fn unquoted_words_are_reported() {
    assert_includes(
        "unquoted-boolean-like",
        &[
            at(
                "content/measures/chiffrement.md",
                4,
                8,
                "toml-syntax",
                "TOML syntax error",
            ),
            at(SITES, 7, 8, "toml-syntax", "TOML syntax error"),
        ],
    );
}

#[test]
fn unquoted_words_reported_once() {
    assert_exact(
        "unquoted-boolean-like",
        &[
            at(
                "content/measures/chiffrement.md",
                4,
                8,
                "toml-syntax",
                "TOML syntax error",
            ),
            at(SITES, 7, 8, "toml-syntax", "TOML syntax error"),
        ],
    );
}

#[test]
fn non_utf8_files_are_located() {
    assert_exact(
        "non-utf8",
        &[
            at(
                "content/entities/subcontractors.toml",
                5,
                26,
                "not-utf8",
                "",
            ),
            at("content/measures/bastion.md", 3, 13, "not-utf8", ""),
            at(SITES, 7, 1, "unknown-key", "`citi`"),
        ],
    );
}

#[test]
fn unexpected_files_are_located() {
    let diags = assert_includes("unexpected-file", &[]);
    for d in diags {
        assert!(
            d.file.is_some() && d.line.is_some() && d.column.is_some(),
            "{}",
            d.describe()
        );
    }
}

#[test]
fn empty_content_folder() {
    assert_exact(
        "empty-content",
        &[at(CFG, 2, 8, "unknown-id", "`hexasante`")],
    );
}

#[test]
fn missing_config_and_other_problems_in_one_run() {
    assert_exact(
        "missing-config",
        &[
            unplaced("no-project", "sovmap.toml"),
            at(SITES, 7, 1, "unknown-key", "`citi`"),
        ],
    );
}

#[test]
fn bad_enum_values() {
    const FLOWS: &str = "content/flows/sauvegarde.toml";
    const M: &str = "content/measures/chiffrement.md";
    assert_exact(
        "bad-enums",
        &[
            at(CFG, 4, 20, "bad-value", "language `de`"),
            at(SITES, 13, 8, "bad-value", "`primery` is not a valid `role`")
                .help("did you mean `primary`"),
            at(SITES, 20, 8, "bad-value", "`bureau` is not a valid `role`"),
            at(FLOWS, 5, 8, "bad-value", "`bakup` is not a valid `kind`")
                .help("did you mean `backup`"),
            at(FLOWS, 6, 9, "bad-value", "`healt` is not a valid `data`")
                .help("did you mean `health`"),
            at(FLOWS, 7, 9, "bad-basis", "`scc-5`"),
            at(ACCESS, 7, 9, "bad-basis", "`dpf`"),
            at(ACCESS, 8, 9, "bad-value", "`sante` is not a valid `data`"),
            at(M, 4, 8, "bad-value", "`technique` is not a valid `kind`"),
            at(
                M,
                6,
                18,
                "bad-value",
                "`moyen` is not a valid `residual_level`",
            ),
        ],
    );
}

#[test]
fn hds_activities_and_percentages() {
    assert_exact(
        "hds-values",
        &[
            at(CFG, 4, 15, "bad-value", "`notice_days`").help("e.g. `notice_days = 30`"),
            at(CFG, 7, 23, "bad-value", "`expiry_warning_days`"),
            at(ENT, 6, 17, "bad-value", "`control_share` is a percentage")
                .help("e.g. `control_share = 51`"),
            at(ENT, 9, 23, "bad-activity", "7 is not an HDS activity"),
            at(ENT, 13, 17, "bad-value", "referential `2020`"),
            at(
                ENT,
                15,
                1,
                "bad-value",
                "`control_share` is given but no `parent`",
            ),
            at(SVC, 8, 17, "bad-activity", "0 is not an HDS activity"),
        ],
    );
}

/// Raw terminal codes in a file and escaped ones in values (issue 15): every
/// problem reported, and no raw control character on the terminal.
#[test]
fn control_characters_never_reach_the_terminal_raw() {
    const EVIL: &str = "content/entities/evil.toml";
    let diags = assert_exact(
        "control-characters",
        &[
            at(EVIL, 1, 48, "toml-syntax", "invalid comment character"),
            at(EVIL, 1, 52, "toml-syntax", "invalid comment character"),
            at(EVIL, 1, 57, "toml-syntax", "carriage return"),
            at(EVIL, 1, 57, "toml-syntax", "invalid unquoted key"),
            at(EVIL, 1, 59, "toml-syntax", "key with no value"),
            at(
                EVIL,
                5,
                11,
                "unknown-country",
                "is not an ISO 3166-1 alpha-2",
            ),
        ],
    );
    // JSON keeps the value (escaped as JSON does), the terminal shows it.
    assert!(
        diags.iter().any(|d| d.message.contains("`X\u{1b}[8mY`")),
        "{diags:?}"
    );
    let run = check(&invalid_fixture("control-characters"), &[]);
    let raw = run.stderr.chars().find(|&c| sovmap::visible::is_unsafe(c));
    assert_eq!(raw, None, "{}", run.stderr);
    assert!(
        run.stderr.contains("`X\\u{1b}[8mY` is not"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\\u{1b}[2J\\u{1b}[1A\\u{d}\\u{202e} hidden"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_languages_and_unknown_theme() {
    assert_exact(
        "languages-and-theme",
        &[
            at(CFG, 4, 13, "bad-value", "`languages` is empty").help("remove the line for both"),
            at(CFG, 5, 9, "unknown-theme", "theme `sombre` does not exist")
                .help("themes in this project: `clair`"),
        ],
    );
}

/// 120 flows naming one missing site: one problem, with a count.
#[test]
fn one_unknown_site_named_by_many_flows_is_one_problem() {
    let diags = assert_exact(
        "unknown-site-many-flows",
        &[at(
            "content/flows/logs.toml",
            4,
            6,
            "unknown-id",
            "`nowhere` (and 119 other places: content/flows/logs.toml:11:6, content/flows/logs.toml:18:6, content/flows/logs.toml:25:6, … 116 more)",
        )],
    );
    assert_eq!(diags.len(), 1);
}

#[test]
fn integer_radix_activity_is_reported() {
    assert_includes(
        "integer-radix",
        &[at(ENT, 9, 23, "bad-activity", "is not an HDS activity")],
    );
}

#[test]
fn integer_radix_and_overflow() {
    assert_exact(
        "integer-radix",
        &[
            at(ENT, 6, 17, "bad-value", "`control_share`"),
            at(ENT, 9, 23, "bad-activity", "7 is not an HDS activity"),
            at(ENT, 19, 17, "bad-value", "`control_share`"),
        ],
    );
}

#[test]
fn reference_override_with_a_missing_key() {
    assert_exact(
        "reference-override",
        &[at(CFG, 6, 1, "bad-reference", "missing field `decision`")],
    );
}

#[test]
fn reference_override_first_problem_is_reported() {
    assert_includes(
        "reference-override-several",
        &[at(CFG, 5, 1, "bad-reference", "`decision`")],
    );
}

#[test]
fn reference_override_all_problems_are_reported() {
    assert_exact(
        "reference-override-several",
        &[
            at(CFG, 5, 1, "bad-reference", "`decision`"),
            at(CFG, 20, 14, "bad-reference", "sure"),
        ],
    );
}

#[test]
fn reference_override_table_typo_is_reported() {
    assert_includes(
        "reference-override-typo",
        &[at(CFG, 5, 13, "unknown-key", "`adequcy`").help("did you mean `adequacy`")],
    );
}

#[test]
fn reference_override_table_typo_reported_once() {
    assert_exact(
        "reference-override-typo",
        &[at(CFG, 5, 13, "unknown-key", "`adequcy`")],
    );
}

#[test]
fn syntax_error_in_config_with_overrides_is_reported() {
    assert_includes(
        "reference-override-syntax",
        &[at(CFG, 1, 23, "toml-syntax", "basic string")],
    );
}

#[test]
fn syntax_error_in_config_with_overrides_reported_once() {
    assert_exact(
        "reference-override-syntax",
        &[at(CFG, 1, 23, "toml-syntax", "basic string")],
    );
}

#[test]
fn invalid_declaration_is_reported() {
    assert_includes(
        "invalid-declaration-cascade",
        &[
            at(ENT, 1, 1, "missing-key", "`legal_name`"),
            at(ENT, 3, 1, "unknown-key", "`legal_nam`"),
        ],
    );
}

#[test]
fn invalid_declaration_does_not_cascade() {
    assert_exact(
        "invalid-declaration-cascade",
        &[
            at(ENT, 1, 1, "missing-key", "`legal_name`"),
            at(ENT, 3, 1, "unknown-key", "`legal_nam`"),
        ],
    );
}

#[test]
fn declaration_that_is_not_a_table() {
    let diags = assert_includes("declaration-not-a-table", &[]);
    let errors = of_level(&diags, "error");
    assert_eq!(errors.len(), 1, "{diags:#?}");
    let d = errors[0];
    assert_eq!(
        (d.file.as_deref(), d.line, d.column),
        (
            Some("content/entities/subcontractors.toml"),
            Some(1),
            Some(1)
        ),
        "{}",
        d.describe()
    );
}

#[test]
fn declaration_that_is_not_a_table_is_named_as_such() {
    let diags = assert_includes("declaration-not-a-table", &[]);
    for d in of_level(&diags, "error") {
        assert!(
            !d.message.contains("not something sovmap declares"),
            "{}",
            d.describe()
        );
    }
}

/// The text output prints `file:line:col` twice: in its own first line and in
/// the snippet header drawn by miette. Both must agree.
#[test]
fn text_snippet_position_matches_first_line() {
    let run = check(&invalid_fixture("toml-syntax"), &[]);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let mut compared = 0;
    for (i, l) in lines.iter().enumerate() {
        let Some((place, _)) = l.split_once(": error[") else {
            continue;
        };
        let header = lines[i + 1..]
            .iter()
            .find_map(|h| {
                h.split_once("╭─[")
                    .map(|(_, rest)| rest.trim_end_matches(']'))
            })
            .expect("snippet header");
        assert_eq!(header, place, "in\n{}", run.stderr);
        compared += 1;
    }
    assert_eq!(compared, 9);
}

/// A broken legal fact does not take the valid ones down with it: the
/// example's measure mitigating `law:MA-CPP-108` (a fact its sovmap.toml
/// overrides) still finds that law when another override is broken.
#[test]
fn a_broken_reference_override_keeps_the_valid_ones() {
    let dir = example_copy();
    let config = dir.path().join("sovmap.toml");
    let mut text = fs::read_to_string(&config).expect("read sovmap.toml");
    text.push_str("\n[[reference.adequacy]]\nid = \"XX-BROKEN\"\ncountry = \"JP\"\n");
    fs::write(&config, text).expect("write sovmap.toml");
    let (code, report) = check_json(dir.path());
    assert_eq!(code, Some(2));
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["sovmap::bad-reference"], "{report:?}");
}

/// A required key written without `=` is one mistake: the syntax error, not
/// also "has no `country`". A key really missing next to it is still reported.
#[test]
fn a_broken_key_line_is_not_also_reported_missing() {
    let dir = example_copy();
    fs::write(
        dir.path().join("content/entities/broken.toml"),
        "[[entity]]\nid = \"x1\"\nwebsite \"w\"\nlegal_name = \"X\"\n\n\
         [[entity]]\nid = \"x2\"\ncountry \"FR\"\nlegal_name \"Y\"\n",
    )
    .expect("write");
    let (code, report) = check_json(dir.path());
    assert_eq!(code, Some(2));
    let got: Vec<(String, Option<usize>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.line))
        .collect();
    let want = [
        ("sovmap::missing-key", Some(1)),
        ("sovmap::toml-syntax", Some(3)),
        ("sovmap::toml-syntax", Some(8)),
        ("sovmap::toml-syntax", Some(9)),
    ];
    let want: Vec<(String, Option<usize>)> =
        want.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    assert_eq!(got, want, "{report:?}");
    assert!(report.diagnostics[0].message.contains("`country`"));
}

/// 5 000 problems in one 300 KB file: all counted, the first 50 printed
/// each with its snippet, then how many more (issue 15: a log file renamed
/// `.toml` printed 438 MB). JSON says how many were left out.
#[test]
fn many_problems_are_capped_and_counted() {
    let dir = example_copy();
    let many: String = (0..5000)
        .map(|i| format!("[[entity]]\nid = \"e{i}\"\nlegal_name = \"E {i}\"\ncountry = \"XX\"\n\n"))
        .collect();
    fs::write(dir.path().join("content/entities/many.toml"), many).expect("write");
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("(5000 problems)"),
        "{}",
        run.stderr.len()
    );
    // Each shown one with its own snippet, at its own line.
    assert_eq!(
        run.stderr.matches("╭─[content/entities/many.toml:").count(),
        50
    );
    assert!(run.stderr.contains("╭─[content/entities/many.toml:249:11]"));
    assert!(
        run.stderr
            .contains("… and 4950 more problems in content/entities/many.toml"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(2000)..]
    );
    let json = check(dir.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(50));
    assert_eq!(v["omitted"], 4950);
    assert_eq!(
        v["omitted_by_file"][0]["file"],
        "content/entities/many.toml"
    );
    assert_eq!(v["omitted_by_file"][0]["count"], 4950);
}

// ---------------------------------------------------------------------------
// Never a panic: corrupted copies of the valid example
// ---------------------------------------------------------------------------

/// xorshift64*: a fixed-seed generator, so that every run tests the same variants.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A byte that TOML or Markdown front matter cares about, or any byte.
    fn nasty_byte(&mut self) -> u8 {
        const SPECIAL: &[u8] = b"[]{}\"'=\n\r#,.:+-_\\ \t0123456789tfeE\x00\x7f\xc3\xa9\xff";
        if self.below(3) == 0 {
            self.next() as u8
        } else {
            SPECIAL[self.below(SPECIAL.len())]
        }
    }
}

/// Run `sovmap check` and require exit 0, 1 or 2 and no panic.
fn assert_no_panic(root: &Path, what: &str, args: &[&str]) {
    let run = check(root, args);
    let ok = matches!(run.code, Some(0..=2))
        && !run.stderr.contains("panicked")
        && !run.stdout.contains("panicked");
    if !ok {
        // Keep the project for reproduction.
        let keep = std::env::temp_dir().join(format!(
            "sovmap-no-panic-failure-{}",
            what.replace(['/', ' ', '@', ':'], "_")
        ));
        let _ = fs::remove_dir_all(&keep);
        common::copy_dir(root, &keep);
        panic!(
            "{what}: exit {:?} (expected 0, 1 or 2); project kept in {}\nstdout:\n{}\nstderr:\n{}",
            run.code,
            keep.display(),
            run.stdout,
            run.stderr
        );
    }
}

/// The declaration files of the example: `sovmap.toml` and everything under `content/`.
fn declaration_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = vec![std::path::PathBuf::from("sovmap.toml")];
    files.extend(files_under(root, &root.join("content")));
    files
}

fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_example(dir.path());
    dir
}

/// Every file of `content/` truncated at every 7th byte. One run per file:
/// the truncated copies are added beside the intact project as extra files
/// (`zz-cut-0007.toml` …), so that each run reads about a hundred variants.
#[test]
fn truncated_content_files_never_panic() {
    let dir = example_copy();
    let root = dir.path();
    let files: Vec<_> = declaration_files(root)
        .into_iter()
        .filter(|f| f.starts_with("content"))
        .collect();
    assert!(
        files.len() >= 10,
        "example has {} content files",
        files.len()
    );
    for (run, rel) in files.iter().enumerate() {
        let bytes = fs::read(root.join(rel)).expect("read");
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("toml");
        let folder = root.join(rel.parent().expect("parent"));
        let mut added = Vec::new();
        for cut in (0..bytes.len()).step_by(7) {
            let p = folder.join(format!("zz-cut-{cut:04}.{ext}"));
            fs::write(&p, &bytes[..cut]).expect("write");
            added.push(p);
        }
        let args: &[&str] = if run % 2 == 0 {
            &[]
        } else {
            &["--format", "json"]
        };
        assert_no_panic(
            root,
            &format!("{} truncated every 7th byte", rel.display()),
            args,
        );
        for p in added {
            fs::remove_file(p).expect("remove");
        }
    }
}

/// `sovmap.toml` cannot be batched (one per project): truncated every 13th byte.
#[test]
fn truncated_config_never_panics() {
    let dir = example_copy();
    let root = dir.path();
    let path = root.join("sovmap.toml");
    let original = fs::read(&path).expect("read");
    for (i, cut) in (0..original.len()).step_by(13).enumerate() {
        fs::write(&path, &original[..cut]).expect("write");
        let args: &[&str] = if i % 2 == 0 {
            &[]
        } else {
            &["--format", "json"]
        };
        assert_no_panic(root, &format!("sovmap.toml cut at byte {cut}"), args);
    }
}

/// One file of the example at a time is mutated in place (the rest stays valid,
/// so the analysis also runs on odd but valid projects): random bytes
/// inserted or overwritten, a line deleted or repeated, a cut at a line end.
#[test]
fn mutated_files_never_panic() {
    let dir = example_copy();
    let root = dir.path();
    let mut rng = Rng(0x5EED_0F50_5EA7_2026);
    const PER_FILE: usize = 8;
    for rel in declaration_files(root) {
        let path = root.join(&rel);
        let original = fs::read(&path).expect("read");
        for round in 0..PER_FILE {
            let mut bytes = original.clone();
            let how = match rng.below(6) {
                0 => {
                    let at = rng.below(bytes.len() + 1);
                    let n = 1 + rng.below(8);
                    for k in 0..n {
                        let b = rng.nasty_byte();
                        bytes.insert(at + k, b);
                    }
                    format!("{n} bytes inserted at {at}")
                }
                1 => {
                    let n = 1 + rng.below(4);
                    for _ in 0..n {
                        let at = rng.below(bytes.len());
                        if let Some(b) = bytes.get_mut(at) {
                            *b = rng.nasty_byte();
                        }
                    }
                    format!("{n} bytes overwritten")
                }
                2 | 3 => {
                    let text = String::from_utf8_lossy(&original).into_owned();
                    let lines: Vec<&str> = text.split_inclusive('\n').collect();
                    let l = rng.below(lines.len());
                    let mut out = String::new();
                    for (i, line) in lines.iter().enumerate() {
                        if i != l {
                            out.push_str(line);
                        } else if rng.below(2) == 0 {
                            out.push_str(line);
                            out.push_str(line);
                        }
                    }
                    bytes = out.into_bytes();
                    format!("line {} deleted or repeated", l + 1)
                }
                4 => {
                    let ends: Vec<usize> = original
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1)
                        .collect();
                    let cut = ends.get(rng.below(ends.len())).copied().unwrap_or(0);
                    bytes.truncate(cut);
                    format!("cut after the line ending at byte {cut}")
                }
                _ => {
                    let cut = rng.below(bytes.len() + 1);
                    bytes.truncate(cut);
                    format!("cut at byte {cut}")
                }
            };
            fs::write(&path, &bytes).expect("write");
            let args: &[&str] = match round % 3 {
                0 => &[],
                1 => &["--format", "json"],
                _ => &["--lang", "fr", "--deny", "notice"],
            };
            assert_no_panic(
                root,
                &format!("{} round {round}: {how}", rel.display()),
                args,
            );
        }
        fs::write(&path, &original).expect("restore");
    }
}

/// Hidden files and editor backups are skipped; anything else sovmap does not
/// read is an error, located at the file itself.
#[test]
fn unexpected_files() {
    assert_exact(
        "unexpected-file",
        &[
            at(
                "content/README.md",
                1,
                1,
                "unexpected-file",
                "not a file sovmap reads",
            ),
            at(
                "content/entities/notes.txt",
                1,
                1,
                "unexpected-file",
                "not a file sovmap reads",
            ),
            at(
                "content/measures/draft.txt",
                1,
                1,
                "unexpected-file",
                "not a file sovmap reads",
            ),
            at(
                "content/sites/offices.md",
                1,
                1,
                "unexpected-file",
                "not a file sovmap reads",
            ),
        ],
    );
}
