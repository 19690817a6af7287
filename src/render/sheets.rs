//! The spreadsheet exports of each language: `transfers.csv` (the transfers
//! table) and `transfers.xlsx` (one sheet per table of the page), with the
//! page's column headers and wording.
//!
//! A child module of `site`: the rows are the pages' own view models
//! (`TransferV`, `ActorRowV`, …), so a spreadsheet says exactly what the page
//! says. Nothing here decides anything.
//!
//! CSV, decided for Excel as people open it (double-click): Excel splits a
//! CSV on the *list separator of the system's regional settings* — `;` in
//! French settings, `,` in English ones — and reads it as UTF-8 only with a
//! byte-order mark. So each language's file starts with a UTF-8 BOM, uses
//! `;` (French) or `,` (English), CRLF line ends and RFC 4180 quoting (a
//! cell holding the separator, a quote or a line break is quoted). Lists
//! inside a cell are joined with ", ". Cells that a spreadsheet would run as
//! formulas (`=`, `+`, `-`, `@`, tab, CR first) get a leading apostrophe.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use super::{Ctx, Link, OwnLink};
use crate::analysis::Exi31Form;
use crate::i18n::{self, Lang};
use crate::labels;

/// One table of the page, as text.
pub(super) struct Table {
    /// Sheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// Excel's limits: characters in a cell, rows in a sheet.
const MAX_CELL: usize = 32_767;
const MAX_ROWS: usize = 1_048_576;
/// Column widths, in characters.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

fn texts(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Measures' titles, each marked "(French original)" on an English sheet
/// when it has no `title_en`.
fn own_texts(x: &Ctx, links: &[OwnLink]) -> String {
    links
        .iter()
        .map(|l| x.marked(&l.text, l.fr))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The separator of the language's CSV file.
pub(super) fn separator(lang: Lang) -> char {
    if lang.is_fr() { ';' } else { ',' }
}

/// The transfers table (`transfers.csv` and the first sheet).
pub(super) fn transfers(x: &Ctx) -> Table {
    let l = x.lang;
    let rows =
        x.c.analysis
            .transfers
            .iter()
            .map(|t| {
                let v = x.transfer_v(t);
                vec![
                    v.id,
                    v.kind.to_string(),
                    v.country,
                    t.country.clone(),
                    v.recipient.text,
                    texts(&v.services),
                    v.data,
                    i18n::yes_no(t.health, l).to_string(),
                    i18n::yes_no(t.storage, l).to_string(),
                    x.marked(&v.purpose, v.purpose_fr),
                    v.basis,
                    v.basis_reference.unwrap_or_default(),
                    x.marked_list(&v.safeguards, v.safeguards_fr),
                    own_texts(x, &v.measures),
                ]
            })
            .collect();
    Table {
        name: x.t("sheet_transfers"),
        header: [
            "col_ref",
            "col_kind",
            "col_country",
            "col_country_code",
            "col_recipient",
            "col_services",
            "col_data",
            "col_health",
            "col_storage",
            "col_purpose",
            "col_basis",
            "basis_reference",
            "col_safeguards",
            "col_measures",
        ]
        .map(|k| x.t(k))
        .to_vec(),
        rows,
    }
}

/// Every table of the page, one sheet each: the form of each scope, the
/// actors tables (EXI 31), the EXI 30 risks, the transfers, the sites, the
/// flows and the remote-access paths.
pub(super) fn all(x: &Ctx) -> Vec<Table> {
    let c = x.c;
    let a = &c.analysis;
    let p = &c.project;
    let l = x.lang;
    let provider = x.t("provider_section").to_string();
    let mut forms = vec![(provider.clone(), a.provider_form)];
    forms.extend(a.services.values().map(|s| (x.service(&s.id).text, s.form)));
    let form_rows = forms
        .iter()
        .map(|(scope, form)| {
            vec![
                scope.clone(),
                labels::form(*form, l).to_string(),
                x.statement(*form).map(|s| s.text).unwrap_or_default(),
            ]
        })
        .collect();
    let mut actor_rows = Vec::new();
    let sections = std::iter::once((provider, a.provider_form, &a.provider_actors)).chain(
        a.services
            .values()
            .map(|s| (x.service(&s.id).text, s.form, &s.actors)),
    );
    for (scope, form, rows) in sections {
        if form != Exi31Form::Table {
            continue;
        }
        for r in rows {
            let v = x.actor_row(r);
            let exi29 = if v.exi29.is_empty() {
                x.t("no").to_string()
            } else {
                format!("{}{}{}", x.t("yes"), x.t("colon_end"), v.exi29.join(" | "))
            };
            let exi30 = if v.exi30.is_empty() {
                x.t("no").to_string()
            } else {
                v.exi30
                    .iter()
                    .map(|e| e.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            actor_rows.push(vec![
                scope.clone(),
                v.name.text,
                v.role.to_string(),
                v.hds.to_string(),
                v.secnumcloud.to_string(),
                v.activities.join(", "),
                exi29,
                exi30,
            ]);
        }
    }
    let risk_rows = a
        .exposures
        .iter()
        .map(|e| {
            let v = x.risk_row(e);
            vec![
                v.entity.text,
                v.country,
                v.how,
                v.adequacy,
                v.laws
                    .iter()
                    .map(|l| {
                        if l.summary.is_empty() {
                            l.name.clone()
                        } else {
                            format!("{} — {}", l.name, l.summary)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" | "),
                own_texts(x, &v.measures),
                v.residual
                    .iter()
                    .map(|r| x.marked(&r.text, r.fr))
                    .collect::<Vec<_>>()
                    .join(" | "),
            ]
        })
        .collect();
    let site_rows = p
        .sites
        .values()
        .map(|s| {
            let v = x.site_v(s);
            vec![
                v.id,
                v.name,
                v.city,
                v.country,
                s.country.clone(),
                v.operator.text,
                v.role.to_string(),
                texts(&v.services),
                v.evidence.join(" | "),
            ]
        })
        .collect();
    let flow_rows = p
        .flows
        .keys()
        .filter_map(|id| x.flow_v(id))
        .map(|v| {
            vec![
                v.id,
                v.kind.to_string(),
                v.from.text,
                v.to.text,
                v.data,
                v.basis.unwrap_or_default(),
                v.description
                    .map(|d| x.marked(&d, v.description_fr))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let access_rows = p
        .access_paths
        .keys()
        .filter_map(|id| x.access_v(id))
        .map(|v| {
            vec![
                v.id,
                x.marked(&v.name, v.name_fr),
                v.team.text,
                v.place,
                texts(&v.targets),
                x.marked(&v.purpose, v.purpose_fr),
                x.marked_list(&v.safeguards, v.safeguards_fr),
                v.basis.unwrap_or_default(),
            ]
        })
        .collect();
    let h = |keys: &[&str]| keys.iter().map(|k| x.t(k)).collect::<Vec<_>>();
    vec![
        Table {
            name: x.t("sheet_forms"),
            header: h(&["col_scope", "form", "col_statement"]),
            rows: form_rows,
        },
        Table {
            name: x.t("sheet_actors"),
            header: h(&[
                "col_scope",
                "col_actor",
                "col_role",
                "col_hds",
                "col_snc",
                "col_activities",
                "col_exi29",
                "col_exi30",
            ]),
            rows: actor_rows,
        },
        Table {
            name: x.t("sheet_risks"),
            header: h(&[
                "col_actor",
                "col_country",
                "col_subjection",
                "col_adequacy",
                "col_laws",
                "col_measures",
                "col_residual",
            ]),
            rows: risk_rows,
        },
        transfers(x),
        Table {
            name: x.t("sheet_sites"),
            header: h(&[
                "col_ref",
                "col_site",
                "col_city",
                "col_country",
                "col_country_code",
                "col_operator",
                "col_role",
                "col_services",
                "geoip_evidence",
            ]),
            rows: site_rows,
        },
        Table {
            name: x.t("sheet_flows"),
            header: h(&[
                "col_ref",
                "col_kind",
                "col_from",
                "col_to",
                "col_data",
                "col_basis",
                "col_description",
            ]),
            rows: flow_rows,
        },
        Table {
            name: x.t("sheet_access"),
            header: h(&[
                "col_ref",
                "col_access",
                "col_team",
                "col_country",
                "col_targets",
                "col_purpose",
                "col_safeguards",
                "col_basis",
            ]),
            rows: access_rows,
        },
    ]
}

/// One CSV cell before quoting: control and bidirectional characters made
/// visible, formula triggers neutralised with a leading apostrophe (a
/// spreadsheet opening the file must not run a cell).
pub(crate) fn guarded(s: &str) -> String {
    // Control and bidirectional characters replaced (U+FFFD): a spreadsheet
    // or terminal showing the file must not act on them.
    let s = crate::visible::replace_controls(s);
    let s = s.as_ref();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A table as CSV: UTF-8 BOM, `sep` between cells, CRLF after each row;
/// a cell is quoted per RFC 4180 (by the `csv` crate) when it holds the
/// separator, a quote or a line break.
pub(super) fn csv(t: &Table, sep: char) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(u8::try_from(sep).unwrap_or(b','))
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(t.header.iter().map(|c| guarded(c)))?;
    for r in &t.rows {
        w.write_record(r.iter().map(|c| guarded(c)))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A cell's text within Excel's limit (a longer one is cut, marked "…").
fn capped(s: &str) -> std::borrow::Cow<'_, str> {
    // Excel counts UTF-16 units; chars() is a safe lower bound on bytes cut.
    if s.encode_utf16().count() <= MAX_CELL {
        return s.into();
    }
    let mut out = String::new();
    let mut units = 0;
    for ch in s.chars() {
        units += ch.len_utf16();
        if units > MAX_CELL - 1 {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out.into()
}

/// Column width in characters: the longest line of the header or of a cell
/// (first 1,000 rows), between [`MIN_WIDTH`] and [`MAX_WIDTH`]; longer
/// text wraps.
fn widths(t: &Table) -> Vec<f64> {
    let len = |s: &str| s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    (0..t.header.len())
        .map(|i| {
            let longest = t
                .rows
                .iter()
                .take(1000)
                .filter_map(|r| r.get(i))
                .map(|s| len(s))
                .chain([len(t.header[i])])
                .max()
                .unwrap_or(0);
            (longest + 2).clamp(MIN_WIDTH, MAX_WIDTH) as f64
        })
        .collect()
}

/// The workbook: one sheet per table, header row bold and frozen, filters
/// on the header, column widths set, long text wrapped. Byte-identical for
/// identical input: the document's dates are the publication's
/// (`created`), and the zip entries carry a fixed time.
pub(super) fn xlsx(
    tables: &[Table],
    title: &str,
    lang: Lang,
    created: jiff::civil::Date,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(
        u16::try_from(created.year()).unwrap_or(2000),
        u8::try_from(created.month()).unwrap_or(1),
        u8::try_from(created.day()).unwrap_or(1),
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author(super::GENERATOR)
            .set_creation_datetime(&date),
    );
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.name)?;
        for (i, w) in widths(t).into_iter().enumerate() {
            ws.set_column_width(col(i)?, w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        let last_col = col(t.header.len().saturating_sub(1))?;
        for (i, h) in t.header.iter().enumerate() {
            ws.write_string_with_format(0, col(i)?, *h, &head)?;
        }
        let shown = t.rows.len().min(MAX_ROWS - 2);
        for (n, r) in t.rows.iter().take(shown).enumerate() {
            let row = u32::try_from(n + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (i, cell) in r.iter().enumerate() {
                if !cell.is_empty() {
                    let cell = crate::visible::replace_controls(cell);
                    ws.write_string_with_format(row, col(i)?, capped(&cell), &body)?;
                }
            }
        }
        if shown < t.rows.len() {
            // More rows than a sheet holds: say so on the last row.
            let more = if lang.is_fr() {
                format!(
                    "… {} lignes de plus : voir transfers.json",
                    t.rows.len() - shown
                )
            } else {
                format!("… {} more rows: see transfers.json", t.rows.len() - shown)
            };
            ws.write_string(
                u32::try_from(shown + 1).map_err(|_| XlsxError::RowColumnLimitError)?,
                0,
                more,
            )?;
        }
        let last_row = u32::try_from(shown).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.autofilter(0, 0, last_row, last_col)?;
    }
    wb.save_to_buffer()
}

fn col(i: usize) -> Result<u16, XlsxError> {
    u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One cell as the CSV file writes it (between two other cells).
    fn csv_cell(s: &str, sep: char) -> String {
        let t = Table {
            name: "T",
            header: vec!["h"],
            rows: vec![vec!["a".into(), s.into(), "b".into()]],
        };
        let text = String::from_utf8(csv(&t, sep).unwrap()).unwrap();
        let inner = text.strip_prefix(&format!("\u{feff}h\r\na{sep}")).unwrap();
        let cell = inner.strip_suffix(&format!("{sep}b\r\n")).unwrap();
        cell.to_string()
    }

    #[test]
    fn csv_quotes_per_rfc_4180_and_neutralises_formulas() {
        for sep in [',', ';'] {
            assert_eq!(csv_cell("plain", sep), "plain");
            assert_eq!(csv_cell("say \"hi\"", sep), "\"say \"\"hi\"\"\"");
            assert_eq!(csv_cell("two\nlines", sep), "\"two\nlines\"");
            assert_eq!(csv_cell("+33 1 23", sep), "'+33 1 23");
            assert_eq!(csv_cell("-1", sep), "'-1");
            assert_eq!(csv_cell("@SUM(A1)", sep), "'@SUM(A1)");
            assert_eq!(csv_cell("\tx", sep), "'\tx");
            assert_eq!(csv_cell("\rx", sep), "\"'\rx\"");
            assert_eq!(csv_cell("a=b", sep), "a=b");
            assert_eq!(csv_cell("", sep), "");
        }
        assert_eq!(
            csv_cell("a\u{1b}[2Jb\u{202e}c", ';'),
            "a\u{fffd}[2Jb\u{fffd}c"
        );
        // Only the file's own separator forces quotes.
        assert_eq!(csv_cell("a,b", ','), "\"a,b\"");
        assert_eq!(csv_cell("a,b", ';'), "a,b");
        assert_eq!(csv_cell("a ; b", ';'), "\"a ; b\"");
        assert_eq!(csv_cell("a ; b", ','), "a ; b");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")", ';'),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
    }

    #[test]
    fn csv_has_a_bom_crlf_and_the_separator() {
        let t = Table {
            name: "T",
            header: vec!["Réf.", "Pays"],
            rows: vec![
                vec!["a".into(), "France ; Maroc".into()],
                vec!["=1+1".into(), "x, y".into()],
            ],
        };
        assert_eq!(
            String::from_utf8(csv(&t, ';').unwrap()).unwrap(),
            "\u{feff}Réf.;Pays\r\na;\"France ; Maroc\"\r\n'=1+1;x, y\r\n"
        );
        assert_eq!(
            String::from_utf8(csv(&t, ',').unwrap()).unwrap(),
            "\u{feff}Réf.,Pays\r\na,France ; Maroc\r\n'=1+1,\"x, y\"\r\n"
        );
    }

    #[test]
    fn long_cells_are_cut_to_excels_limit_and_widths_are_bounded() {
        let long = "é".repeat(MAX_CELL + 10);
        let c = capped(&long);
        assert_eq!(c.encode_utf16().count(), MAX_CELL);
        assert!(c.ends_with('…'));
        assert_eq!(capped("short"), "short");
        let t = Table {
            name: "T",
            header: vec!["A", "Column header"],
            rows: vec![vec!["x".repeat(500), "ab\ncd".into()]],
        };
        assert_eq!(widths(&t), vec![MAX_WIDTH as f64, 15.0]);
    }
}
