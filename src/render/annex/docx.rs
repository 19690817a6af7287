//! The annex as a Word document (Office Open XML, `.docx`).
//!
//! The WordprocessingML is written here (a few hundred lines), zipped with
//! the `zip` crate: the docx crates in Rust lack repeated table header rows
//! (`w:tblHeader`), language tags on runs (`w:lang`) or the core title
//! property, which a legal team's Word file needs. What it holds: heading
//! styles (Heading 1–3) and the document's own styles; tables with the
//! header row repeated on every page, rows that never split across pages;
//! A4 pages with a footer (provider, version, date, page X / Y as Word
//! fields, the fingerprint); document properties (title, subject, version,
//! and the fingerprint as custom properties). Byte-identical for the same
//! annex (fixed zip timestamps, no clock).

use std::io::Write;

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::{AnnexDoc, Block, ParaStyle, Table, Text, canonical, group_hash, text};
use crate::render::xml::escape;

/// A4 in twentieths of a point, and the margins (2 cm).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN: u32 = 1134;
const TEXT_W: u32 = PAGE_W - 2 * MARGIN;

fn lang_tag(doc: &AnnexDoc) -> &'static str {
    if doc.lang.is_fr() { "fr-FR" } else { "en-GB" }
}

/// `<w:t>` keeping spaces, line breaks as `<w:br/>`.
fn t(s: &str) -> String {
    let mut out = String::new();
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(
            "<w:t xml:space=\"preserve\">{}</w:t>",
            escape(line)
        ));
    }
    out
}

/// The runs of a text: a French original in an English document is tagged
/// `w:lang="fr-FR"` and followed by the visible mark.
fn runs(doc: &AnnexDoc, x: &Text, rpr: &str) -> String {
    if x.fr_original && !doc.lang.is_fr() {
        format!(
            "<w:r><w:rPr>{rpr}<w:lang w:val=\"fr-FR\"/></w:rPr>{}</w:r><w:r><w:rPr>{rpr}<w:i/><w:color w:val=\"7A3E00\"/></w:rPr>{}</w:r>",
            t(&x.s),
            t(&format!(" ({})", text::t(doc.lang, "french_original_mark")))
        )
    } else if rpr.is_empty() {
        format!("<w:r>{}</w:r>", t(&x.s))
    } else {
        format!("<w:r><w:rPr>{rpr}</w:rPr>{}</w:r>", t(&x.s))
    }
}

fn para(style: &str, keep_next: bool, body: &str) -> String {
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{}</w:pPr>{body}</w:p>",
        if keep_next { "<w:keepNext/>" } else { "" }
    )
}

fn table(doc: &AnnexDoc, tb: &Table) -> String {
    let total: u32 = tb.widths.iter().sum::<u32>().max(1);
    let widths: Vec<u32> = tb.widths.iter().map(|w| w * TEXT_W / total).collect();
    let mut out = String::new();
    out.push_str(&para(
        "Caption",
        true,
        &runs(doc, &Text::plain(&tb.caption), ""),
    ));
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"AnnexTable\"/><w:tblW w:w=\"{TEXT_W}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
    ));
    for w in &widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    // The header row: repeated at the top of every page, never split.
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (h, w) in tb.header.iter().zip(&widths) {
        out.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8EEF5\"/></w:tcPr>{}</w:tc>",
            para("TableHeader", false, &runs(doc, &Text::plain(h), ""))
        ));
    }
    out.push_str("</w:tr>");
    for row in &tb.rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>"
            ));
            if cell.is_empty() {
                out.push_str(&para("TableText", false, ""));
            }
            for (j, x) in cell.iter().enumerate() {
                out.push_str(&para(
                    "TableText",
                    false,
                    &runs(doc, x, if i == 0 && j == 0 { "<w:b/>" } else { "" }),
                ));
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    // An empty paragraph after the table (Word needs one between tables).
    out.push_str(&para("Normal", false, ""));
    out
}

fn document(doc: &AnnexDoc, fingerprint: &str) -> String {
    let tt = |k| text::t(doc.lang, k);
    let mut body = String::new();
    let mut hash_done = false;
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                let level = (*level).clamp(1, 3);
                body.push_str(&para(
                    &format!("Heading{level}"),
                    true,
                    &runs(doc, &Text::plain(text), ""),
                ));
            }
            Block::Para { style, text } => {
                let (st, prefix) = match style {
                    ParaStyle::Normal => ("Normal", ""),
                    ParaStyle::Note => ("Note", ""),
                    ParaStyle::Bullet => ("ListBullet", "•\t"),
                    ParaStyle::Placeholder => ("Placeholder", ""),
                };
                let mut r = String::new();
                if !prefix.is_empty() {
                    r.push_str(&format!(
                        "<w:r>{}</w:r>",
                        t(prefix).replace('\t', "</w:t><w:tab/><w:t>")
                    ));
                }
                r.push_str(&runs(doc, text, ""));
                body.push_str(&para(st, false, &r));
            }
            Block::Empty(s) => {
                body.push_str(&para("Normal", false, &runs(doc, &Text::plain(s), "")))
            }
            Block::Facts(facts) => {
                let mut items: Vec<(String, String)> = facts
                    .iter()
                    .map(|(k, v)| (k.clone(), runs(doc, v, "")))
                    .collect();
                let first = !hash_done;
                if first {
                    hash_done = true;
                    items.push((
                        tt("fingerprint").to_string(),
                        format!(
                            "<w:r><w:rPr><w:rStyle w:val=\"Hash\"/></w:rPr>{}</w:r>",
                            t(&group_hash(fingerprint))
                        ),
                    ));
                }
                let n = items.len();
                for (i, (k, v)) in items.into_iter().enumerate() {
                    let label = format!(
                        "<w:r><w:rPr><w:b/></w:rPr>{}</w:r>",
                        t(&format!(
                            "{k}{}",
                            if doc.lang.is_fr() { " : " } else { ": " }
                        ))
                    );
                    body.push_str(&para("Fact", i + 1 < n, &format!("{label}{v}")));
                }
                if first {
                    let file = format!("{}.txt", doc.stem());
                    body.push_str(&para(
                        "Note",
                        false,
                        &runs(
                            doc,
                            &Text::plain(tt("fingerprint_note").replace("{file}", &file)),
                            "",
                        ),
                    ));
                }
            }
            Block::Table(tb) => body.push_str(&table(doc, tb)),
        }
    }
    body.push_str(&para(
        "Note",
        false,
        &format!(
            "<w:r><w:rPr><w:b/></w:rPr>{}</w:r><w:r><w:rPr><w:rStyle w:val=\"Hash\"/></w:rPr>{}</w:r>",
            t(&format!(
                "{}{}",
                tt("fingerprint"),
                if doc.lang.is_fr() { " : " } else { ": " }
            )),
            t(&group_hash(fingerprint))
        ),
    ));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{body}\
<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
<w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" w:header=\"567\" w:footer=\"454\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n"
    )
}

fn footer(doc: &AnnexDoc, fingerprint: &str) -> String {
    let mut first = vec![doc.party.clone()];
    if let Some(v) = &doc.version {
        first.push(format!("{} {v}", text::t(doc.lang, "version")));
    }
    if let Some(d) = &doc.date {
        first.push(d.clone());
    }
    let field = |instr: &str, shown: &str| {
        format!(
            "<w:fldSimple w:instr=\" {instr} \\* MERGEFORMAT \"><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr><w:r>{}</w:r><w:r><w:tab/></w:r><w:r>{}</w:r>{}<w:r><w:t xml:space=\"preserve\"> / </w:t></w:r>{}</w:p>\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr><w:r>{}</w:r><w:r><w:rPr><w:rStyle w:val=\"Hash\"/></w:rPr>{}</w:r></w:p></w:ftr>\n",
        t(&first.join(" · ")),
        t(&format!("{} ", text::t(doc.lang, "page"))),
        field("PAGE", "1"),
        field("NUMPAGES", "1"),
        t(&format!("{} ", text::t(doc.lang, "fingerprint_short"))),
        t(&group_hash(fingerprint)),
    )
}

fn styles(doc: &AnnexDoc) -> String {
    let lang = lang_tag(doc);
    let st = |id: &str, name: &str, kind: &str, extra: &str| {
        format!(
            "<w:style w:type=\"{kind}\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{extra}</w:style>"
        )
    };
    let heading = |n: u8, size: u32, before: u32| {
        st(
            &format!("Heading{n}"),
            &format!("heading {n}"),
            "paragraph",
            &format!(
                "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"120\"/><w:outlineLvl w:val=\"{}\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3A5F\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>",
                n - 1
            ),
        )
    };
    let all = [
        st(
            "Normal",
            "Normal",
            "paragraph",
            "<w:qFormat/><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr>",
        ),
        heading(1, 32, 0),
        heading(2, 26, 360),
        heading(3, 22, 240),
        st(
            "Caption",
            "caption",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"18\"/></w:rPr>",
        ),
        st(
            "Note",
            "Note",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:rPr><w:color w:val=\"404040\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr>",
        ),
        st(
            "Fact",
            "Fact",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepLines/><w:spacing w:after=\"40\"/></w:pPr>",
        ),
        st(
            "ListBullet",
            "List Bullet",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepLines/><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr>",
        ),
        st(
            "Placeholder",
            "Placeholder",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:pPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FFF6CC\"/></w:pPr>",
        ),
        st(
            "TableHeader",
            "Table Header",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr>",
        ),
        st(
            "TableText",
            "Table Text",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr>",
        ),
        st(
            "Footer",
            "footer",
            "paragraph",
            "<w:basedOn w:val=\"Normal\"/><w:pPr><w:tabs><w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"15\"/><w:szCs w:val=\"15\"/></w:rPr>",
        ),
        st(
            "Hash",
            "Fingerprint",
            "character",
            "<w:rPr><w:rFonts w:ascii=\"Liberation Mono\" w:hAnsi=\"Liberation Mono\" w:cs=\"Liberation Mono\"/></w:rPr>",
        ),
        st(
            "AnnexTable",
            "Annex Table",
            "table",
            "<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/></w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>",
        ),
    ];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Liberation Sans\" w:hAnsi=\"Liberation Sans\" w:eastAsia=\"Liberation Sans\" w:cs=\"Liberation Sans\"/>\
<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"{lang}\" w:eastAsia=\"{lang}\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:pPrDefault></w:docDefaults>{}</w:styles>\n",
        all.concat()
    )
}

fn core(doc: &AnnexDoc, fingerprint: &str) -> String {
    let date = doc.date.as_deref().unwrap_or(&doc.as_of);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:keywords>{}</cp:keywords>\
<dc:description>{}</dc:description><dc:language>{}</dc:language><cp:version>{}</cp:version>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:modified></cp:coreProperties>\n",
        escape(&doc.title),
        escape(&doc.scope),
        escape(&doc.party),
        escape(&canonical::token(doc, fingerprint)),
        escape(&format!("SHA-256 {fingerprint}")),
        lang_tag(doc),
        escape(doc.version.as_deref().unwrap_or("")),
    )
}

fn custom(doc: &AnnexDoc, fingerprint: &str) -> String {
    let props = [
        ("sovmap-annex", canonical::token(doc, fingerprint)),
        ("SHA-256", fingerprint.to_string()),
        ("Version", doc.version.clone().unwrap_or_default()),
        ("Scope", canonical::scope_key(doc.service.as_deref())),
        ("As of", doc.as_of.clone()),
    ];
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">",
    );
    for (i, (k, v)) in props.iter().enumerate() {
        out.push_str(&format!(
            "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{}\"><vt:lpwstr>{}</vt:lpwstr></property>",
            i + 2,
            escape(k),
            escape(v)
        ));
    }
    out.push_str("</Properties>\n");
    out
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
<Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/>\
</Types>\n";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/>\
</Relationships>\n";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>\n";

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>sovmap</Application></Properties>\n";

fn settings(doc: &AnnexDoc) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:defaultTabStop w:val=\"709\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:themeFontLang w:val=\"{}\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>\n",
        lang_tag(doc)
    )
}

/// The `.docx` bytes.
pub fn write(doc: &AnnexDoc) -> Result<Vec<u8>, String> {
    let fp = doc.fingerprint();
    let parts: Vec<(&str, String, bool)> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_string(), true),
        ("_rels/.rels", RELS.to_string(), true),
        // Stored uncompressed: `sovmap annex --verify` finds the
        // identification in the file's bytes.
        ("docProps/custom.xml", custom(doc, &fp), false),
        ("docProps/core.xml", core(doc, &fp), true),
        ("docProps/app.xml", APP.to_string(), true),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string(), true),
        ("word/document.xml", document(doc, &fp), true),
        ("word/styles.xml", styles(doc), true),
        ("word/settings.xml", settings(doc), true),
        ("word/footer1.xml", footer(doc, &fp), true),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body, deflate) in parts {
        let options = SimpleFileOptions::default()
            .compression_method(if deflate {
                CompressionMethod::Deflated
            } else {
                CompressionMethod::Stored
            })
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}
