//! Clauses of the contract annex: `content/annex/<id>.md` (French) and
//! `content/annex/<id>.en.md` (English), Markdown with `+++` front matter.
//! A clause replaces sovmap's default clause of the same id and language
//! (`contract`, `language`, `changes`, `foreign-requests`, `audit`); any
//! other id adds a clause. The English body of a measure,
//! `content/measures/<id>.en.md`, is read here too, the same way.

use super::decl::{State, file_id, front_matter_doc, keys};
use super::reader::{Ctx, DiagExt, Fields};
use crate::diag::Diagnostics;
use crate::model::{CLAUSE_PLACEHOLDERS, Clause, Page, english_key};

/// A translated Markdown file (annex clauses, measures' English texts): its
/// text, name, id and language (`<id>.en.md` is English, `<id>.md` French),
/// and the context to read it in.
fn open(
    diags: &mut Diagnostics,
    file: usize,
) -> (
    std::sync::Arc<String>,
    String,
    String,
    &'static str,
    Ctx<'_>,
) {
    let text = diags.files[file].text.clone();
    let name = std::path::Path::new(&diags.files[file].name)
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (stem, lang) = match name.strip_suffix(".en.md") {
        Some(stem) => (stem.to_string(), "en"),
        None => (name.strip_suffix(".md").unwrap_or(&name).to_string(), "fr"),
    };
    let ctx = Ctx {
        file,
        offset: 0,
        diags,
        syntax: Vec::new(),
    };
    (text, name, stem, lang, ctx)
}

/// Whether a file under `content/measures/` is a measure's English body.
pub fn is_english(path: &std::path::Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".en.md"))
}

/// `content/measures/<id>.en.md`: the English body of measure `<id>` (the
/// French file's front matter keeps `title_en` and `residual_risk_en`).
/// Its `+++` front matter is optional and holds no key; the measure is
/// looked up once everything is loaded.
pub fn read_measure_body(state: &mut State, diags: &mut Diagnostics, file: usize) {
    let (text, name, stem, _, mut ctx) = open(diags, file);
    let opened = text
        .split_inclusive('\n')
        .next()
        .is_some_and(|l| l.trim_end() == "+++");
    let body = if opened {
        let Some((doc, body)) = front_matter_doc(&mut ctx, &text, "English measure body") else {
            return;
        };
        let f = Fields::new(&doc, 0..1, format!("English body `{name}`"));
        f.finish(&mut ctx, keys::MEASURE_EN);
        body
    } else {
        text.as_str()
    };
    let Some(id) = file_id(&mut ctx, stem) else {
        return;
    };
    state.english.insert(
        crate::model::english_key::measure_body(&id.value),
        body.to_string(),
    );
    state
        .measure_bodies
        .push((id.value, crate::diag::Loc::new(file, 0..0)));
}

/// `content/pages/<id>.md`: a free page, front matter `title` (required);
/// `content/pages/<id>.en.md`: its English version, with the same front
/// matter (its English title), looked up once every page is read.
pub fn read_page(state: &mut State, diags: &mut Diagnostics, file: usize) {
    let (text, name, stem, lang, mut ctx) = open(diags, file);
    let Some((doc, body)) = front_matter_doc(&mut ctx, &text, "page") else {
        return;
    };
    let what = match lang {
        "en" => format!("English page `{name}`"),
        _ => format!("page `{stem}`"),
    };
    let mut f = Fields::new(&doc, 0..1, what);
    let title = f.req_str(&mut ctx, "title", "\"About us\"");
    f.finish(&mut ctx, keys::PAGE);
    let (Some(id), Some(title)) = (file_id(&mut ctx, stem), title) else {
        return;
    };
    if lang == "en" {
        let english = [
            (english_key::page_title(&id.value), title.value),
            (english_key::page_body(&id.value), body.to_string()),
        ];
        state.english.extend(english);
        let at = crate::diag::Loc::new(file, 0..0);
        state.page_translations.push((id.value, at));
    } else if state.claim(&mut ctx, "page", &id) {
        let page = Page {
            id: id.value.clone(),
            title: title.value,
            body: body.to_string(),
            loc: ctx.loc(0..1),
        };
        state.pages.insert(id.value, page);
    }
}

pub fn read(state: &mut State, diags: &mut Diagnostics, file: usize) {
    let (text, name, stem, lang, mut ctx) = open(diags, file);
    let Some((doc, body)) = front_matter_doc(&mut ctx, &text, "annex clause") else {
        return;
    };
    // Placeholders of the body: `{{ name }}` with a known name.
    // Spans are relative to the front matter (the context's offset).
    let body_start = text.len() - body.len() - ctx.offset;
    let mut rest = 0;
    while let Some(i) = body[rest..].find("{{") {
        let start = rest + i;
        let Some(len) = body[start..].find("}}") else {
            ctx.error(
                "bad-placeholder",
                body_start + start..body_start + start + 2,
                "`{{` is never closed in this annex clause",
            )
            .with_help_mut(format!(
                "write a placeholder as `{{{{ name }}}}` with a name among {}",
                CLAUSE_PLACEHOLDERS.join(", ")
            ));
            break;
        };
        let inner = body[start + 2..start + len].trim();
        if !CLAUSE_PLACEHOLDERS.contains(&inner) {
            ctx.error(
                "bad-placeholder",
                body_start + start..body_start + start + len + 2,
                format!("unknown placeholder `{{{{ {inner} }}}}` in this annex clause"),
            )
            .with_help_mut(format!(
                "the placeholders are {}; write other text as it should appear",
                CLAUSE_PLACEHOLDERS
                    .iter()
                    .map(|p| format!("`{{{{ {p} }}}}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = start + len + 2;
    }
    let mut f = Fields::new(&doc, 0..1, format!("annex clause `{name}`"));
    let title = f.req_str(&mut ctx, "title", "\"Audit right\"");
    let order = f.opt_int(&mut ctx, "order", "60").map(|o| o.value);
    f.finish(&mut ctx, keys::CLAUSE);
    let (Some(id), Some(title)) = (file_id(&mut ctx, stem), title) else {
        return;
    };
    state.clauses.insert(
        (id.value.clone(), lang.to_string()),
        Clause {
            id: id.value,
            lang: lang.to_string(),
            title: title.value,
            order,
            body: body.to_string(),
            loc: ctx.loc(0..1),
        },
    );
}
