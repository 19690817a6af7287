//! Reading the tables of published lists: CSV (`;` or `,`, quoted fields,
//! UTF-8 with or without BOM), and HTML or Markdown tables. Every row keeps
//! the line it starts on, so that a row that cannot be read is reported with
//! its line.

/// One row of cells and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A problem with the file as a whole (not a row).
pub type TableError = String;

/// The rows of a CSV text: header first. The delimiter is the one of `;`,
/// `,` and tab that the header line uses most.
pub fn csv(text: &str) -> Result<Vec<Row>, TableError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delim = [';', ',', '\t']
        .into_iter()
        .max_by_key(|d| first.matches(*d).count())
        .unwrap_or(',');
    let mut rows = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    let mut at_cell_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                '\r' => {}
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted = true;
                at_cell_start = false;
            }
            '\r' => {}
            '\n' => {
                cells.push(std::mem::take(&mut cell).trim().to_string());
                if cells.iter().any(|c| !c.is_empty()) {
                    rows.push(Row {
                        line: row_line,
                        cells: std::mem::take(&mut cells),
                    });
                } else {
                    cells.clear();
                }
                line += 1;
                row_line = line;
                at_cell_start = true;
            }
            c if c == delim => {
                cells.push(std::mem::take(&mut cell).trim().to_string());
                at_cell_start = true;
            }
            c => {
                if !(at_cell_start && c == ' ') {
                    at_cell_start = false;
                }
                cell.push(c);
            }
        }
    }
    if quoted {
        return Err(format!(
            "line {row_line}: a quoted field is not closed before the end of the file"
        ));
    }
    cells.push(cell.trim().to_string());
    if cells.iter().any(|c| !c.is_empty()) {
        rows.push(Row {
            line: row_line,
            cells,
        });
    }
    Ok(rows)
}

/// The rows of the first HTML table (`<tr>` with `<th>`/`<td>` cells) or,
/// without one, of the Markdown table (`| a | b |` lines) in `text`.
pub fn html_or_markdown(text: &str) -> Result<Vec<Row>, TableError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lower = text.to_ascii_lowercase();
    if lower.contains("<tr") {
        Ok(html(text, &lower))
    } else {
        let rows = markdown(text);
        if rows.is_empty() {
            Err("no table found: expected an HTML table (<table><tr><td>…) or a Markdown table (| … | … | lines)".into())
        } else {
            Ok(rows)
        }
    }
}

fn line_at(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

fn html(text: &str, lower: &str) -> Vec<Row> {
    // Only the first table: a page may carry a second (the risk table).
    let end_of_table = lower.find("</table").unwrap_or(lower.len());
    let mut rows = Vec::new();
    let mut pos = 0;
    while let Some(i) = lower[pos..end_of_table].find("<tr") {
        let start = pos + i;
        let end = lower[start..end_of_table]
            .find("</tr")
            .map_or(end_of_table, |e| start + e);
        let mut cells = Vec::new();
        let mut p = start + 3;
        loop {
            let td = lower[p..end].find("<td");
            let th = lower[p..end].find("<th");
            let Some(c) = [td, th].into_iter().flatten().min() else {
                break;
            };
            let open = p + c;
            let Some(gt) = lower[open..end].find('>') else {
                break;
            };
            let content_start = open + gt + 1;
            let content_end = [
                lower[content_start..end].find("</td"),
                lower[content_start..end].find("</th"),
                lower[content_start..end].find("<td"),
                lower[content_start..end].find("<th"),
            ]
            .into_iter()
            .flatten()
            .min()
            .map_or(end, |e| content_start + e);
            cells.push(clean_html(&text[content_start..content_end]));
            p = content_end;
            if p >= end {
                break;
            }
            p += 1;
        }
        if !cells.is_empty() {
            rows.push(Row {
                line: line_at(text, start),
                cells,
            });
        }
        pos = end.max(start + 3);
    }
    rows
}

/// Text of an HTML fragment: tags removed (`<br>` and block ends as `, `),
/// common entities decoded, spaces collapsed.
fn clean_html(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in s.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let t = tag.trim_start_matches('/').to_ascii_lowercase();
                if t.starts_with("br") || t.starts_with("li") || t.starts_with('p') {
                    out.push_str(", ");
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    let decoded = decode_entities(&out);
    let collapsed = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_matches(|c: char| c == ',' || c.is_whitespace())
        .replace(" ,", ",")
        .replace(", ,", ",")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(semi) = after.find(';').filter(|n| *n <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "eacute" => Some('é'),
            "egrave" => Some('è'),
            "ecirc" => Some('ê'),
            "agrave" => Some('à'),
            "ccedil" => Some('ç'),
            "ocirc" => Some('ô'),
            "deg" => Some('°'),
            _ => name
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn markdown(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if !t.starts_with('|') {
            if !rows.is_empty() {
                break;
            }
            continue;
        }
        let inner = t.trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        let cells: Vec<String> = inner
            .split('|')
            .map(|c| clean_html(c.trim()).replace("**", "").trim().to_string())
            .collect();
        // The separator line under the header.
        if cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            continue;
        }
        rows.push(Row { line: i + 1, cells });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_quotes_bom_and_semicolons_with_lines() {
        let t = "\u{feff}Nom;Pays\n\"Acme; Inc\";\"États-\nUnis\"\n\nB;FR\n";
        let rows = csv(t).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].cells, vec!["Acme; Inc", "États-\nUnis"]);
        assert_eq!(rows[1].line, 2);
        assert_eq!(rows[2].line, 5);
        assert_eq!(rows[2].cells, vec!["B", "FR"]);
    }

    #[test]
    fn csv_commas_and_doubled_quotes() {
        let rows = csv("a,b\r\n\"x \"\"y\"\"\",z\r\n").unwrap();
        assert_eq!(rows[1].cells, vec!["x \"y\"", "z"]);
        assert!(csv("a,b\n\"open,z\n").is_err());
    }

    #[test]
    fn html_table_cells_are_text() {
        let t = "<p>x</p>\n<table>\n<tr><th>Acteur</th><th>HDS</th></tr>\n<tr><td><b>A &amp; B</b></td><td>oui<br>1°, 2°</td></tr>\n</table><table><tr><td>risk</td></tr></table>";
        let rows = html_or_markdown(t).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells, vec!["A & B", "oui, 1°, 2°"]);
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn markdown_table_skips_the_separator() {
        let t = "# Map\n\n| Acteur | HDS |\n|---|:---:|\n| **A** | oui |\n\nafter";
        let rows = html_or_markdown(t).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells, vec!["A", "oui"]);
        assert_eq!(rows[1].line, 5);
        assert!(html_or_markdown("no table here").is_err());
    }
}
