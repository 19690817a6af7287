//! Clauses of the contract annex: `content/annex/<id>.md` (French) and
//! `content/annex/<id>.en.md` (English), Markdown with `+++` front matter.
//! A clause replaces sovmap's default clause of the same id and language
//! (`contract`, `language`, `changes`, `foreign-requests`, `audit`); any
//! other id adds a clause.

use super::decl::{State, file_id, front_matter_doc, keys};
use super::reader::{Ctx, DiagExt, Fields};
use crate::diag::Diagnostics;
use crate::model::{CLAUSE_PLACEHOLDERS, Clause};

pub fn read(state: &mut State, diags: &mut Diagnostics, file: usize) {
    let text = diags.files[file].text.clone();
    let name = std::path::Path::new(&diags.files[file].name)
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (stem, lang) = match name.strip_suffix(".en.md") {
        Some(stem) => (stem.to_string(), "en"),
        None => (name.strip_suffix(".md").unwrap_or(&name).to_string(), "fr"),
    };
    let mut ctx = Ctx {
        file,
        offset: 0,
        diags,
        syntax: Vec::new(),
    };
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
