//! The spreadsheets of the published site, read back as a user's software
//! reads them: `transfers.csv` (UTF-8 BOM, the page's language, `;` for
//! French Excel, `,` for English) and `transfers.xlsx` (one sheet per
//! table, header frozen, filters, widths) read with calamine, as LibreOffice
//! or Excel would.

mod common;

use std::fs;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{repo_root, sovmap};
use serde_json::Value;

/// An RFC 4180 reader with a given separator; panics on anything else
/// (a stray quote, a missing CRLF).
fn read_csv(s: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => {
                assert!(cell.is_empty(), "quote inside an unquoted cell: {cell}");
                quoted = true;
            }
            (false, c) if c == sep => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("bare LF outside quotes"),
            (false, c) => cell.push(c),
        }
    }
    assert!(cell.is_empty() && row.is_empty(), "unterminated last row");
    rows
}

fn build(out: &Path) {
    let o = sovmap()
        .arg("build")
        .arg("--root")
        .arg(repo_root())
        .arg("--output")
        .arg(out)
        .arg("-q")
        .output()
        .expect("run sovmap");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The CSV of a language folder: checks the BOM and returns the rows.
fn csv(site: &Path, file: &str, sep: char) -> Vec<Vec<String>> {
    let bytes = fs::read(site.join(file)).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file}: no UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"));
    let rows = read_csv(&text, sep);
    let width = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == width), "{file}: ragged rows");
    rows
}

fn sheets(site: &Path, file: &str) -> (Vec<String>, Xlsx<Cursor<Vec<u8>>>) {
    let bytes = fs::read(site.join(file)).unwrap();
    let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    (wb.sheet_names(), wb)
}

fn rows(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("{sheet}: a cell that is not text: {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn zip_entry(site: &Path, file: &str, entry: &str) -> String {
    let bytes = fs::read(site.join(file)).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(entry).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn spreadsheets_open_in_the_pages_language() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&site);
    let json: Value =
        serde_json::from_str(&fs::read_to_string(site.join("transfers.json")).unwrap()).unwrap();
    let transfers = json["transfers"].as_array().unwrap().len();
    assert!(transfers >= 2);

    // French (the site's first language, at the root): `;`, French headers and words.
    let fr = csv(&site, "transfers.csv", ';');
    assert_eq!(
        fr[0],
        [
            "Réf.",
            "Nature",
            "Pays",
            "Code pays (ISO)",
            "Destinataire ou équipe",
            "Services",
            "Données",
            "Données de santé",
            "Stockage",
            "Finalité",
            "Fondement",
            "Référence",
            "Garanties",
            "Mesures"
        ]
    );
    assert_eq!(fr.len(), 1 + transfers);
    let casa = fr
        .iter()
        .find(|r| r[0] == "access:support-n2-casablanca")
        .unwrap();
    assert_eq!(casa[1], "accès à distance");
    assert_eq!(casa[2], "Maroc");
    assert_eq!(casa[3], "MA");
    assert_eq!(casa[4], "Atlas Infogérance SARL");
    assert_eq!(
        casa[5],
        "Dossier patient informatisé managé, PostgreSQL managé HDS"
    );
    assert_eq!(casa[7], "oui");
    // English: `,`, English headers and words, same rows.
    let en = csv(&site, "en/transfers.csv", ',');
    assert_eq!(en[0][0], "Ref.");
    assert_eq!(en[0][2], "Country");
    assert_eq!(en.len(), fr.len());
    let casa = en
        .iter()
        .find(|r| r[0] == "access:support-n2-casablanca")
        .unwrap();
    assert_eq!(casa[2], "Morocco");
    assert_eq!(casa[7], "yes");

    // The workbook: one sheet per table, the transfers sheet says what the CSV says.
    let (names, mut wb) = sheets(&site, "transfers.xlsx");
    assert_eq!(
        names,
        [
            "Forme de la page",
            "Acteurs EXI 31",
            "Risques EXI 30",
            "Transferts",
            "Sites",
            "Flux",
            "Accès à distance"
        ]
    );
    assert_eq!(rows(&mut wb, "Transferts"), fr);
    let sites = rows(&mut wb, "Sites");
    assert_eq!(sites.len(), 1 + json["sites"].as_array().unwrap().len());
    assert_eq!(sites[0][1], "Site");
    let flows = rows(&mut wb, "Flux");
    assert_eq!(flows.len(), 1 + json["flows"].as_array().unwrap().len());
    let access = rows(&mut wb, "Accès à distance");
    assert_eq!(
        access.len(),
        1 + json["access_paths"].as_array().unwrap().len()
    );
    let risks = rows(&mut wb, "Risques EXI 30");
    assert_eq!(risks.len(), 1 + json["exposures"].as_array().unwrap().len());
    assert!(
        risks.iter().skip(1).any(|r| r[4].contains("CLOUD Act")),
        "{risks:?}"
    );
    let actors = rows(&mut wb, "Acteurs EXI 31");
    assert_eq!(actors[0][1], "Acteur (raison sociale)");
    assert!(actors.iter().any(|r| r[0] == "Ensemble des services"));
    let forms = rows(&mut wb, "Forme de la page");
    assert_eq!(forms.len(), 2 + json["services"].as_array().unwrap().len());
    let (names_en, mut wb_en) = sheets(&site, "en/transfers.xlsx");
    assert_eq!(names_en[3], "Transfers");
    assert_eq!(rows(&mut wb_en, "Transfers"), en);

    // Every sheet: header frozen, filter on it, widths set, header bold.
    for i in 1..=names.len() {
        let xml = zip_entry(
            &site,
            "transfers.xlsx",
            &format!("xl/worksheets/sheet{i}.xml"),
        );
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "sheet {i}: {xml}"
        );
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet {i}");
        assert!(xml.contains("<col min=\"1\" max=\"1\" width="), "sheet {i}");
    }
    assert!(zip_entry(&site, "transfers.xlsx", "xl/styles.xml").contains("<b/>"));

    // The index links to both, in its own language.
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains(r#"href="transfers.xlsx""#));
    let index_en = fs::read_to_string(site.join("en/index.html")).unwrap();
    assert!(index_en.contains(r#"href="../en/transfers.xlsx""#));

    // Same input, same bytes (no clock in the workbook).
    let again = dir.path().join("again");
    build(&again);
    for f in [
        "transfers.csv",
        "transfers.xlsx",
        "en/transfers.csv",
        "en/transfers.xlsx",
    ] {
        assert_eq!(
            fs::read(site.join(f)).unwrap(),
            fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}
