//! `sovmap graph`: print the flow graph as Graphviz DOT, a Mermaid flowchart
//! or JSON (the graph itself is [`crate::render::flowgraph`]).

use std::io::Write;

use crate::cli::{EXIT_INVALID, EXIT_OK, Format, Global, GraphArgs, GraphFormat};
use crate::render::flowgraph;

pub fn run(global: &Global, args: &GraphArgs) -> i32 {
    let checked = match crate::check_project(&global.root, global.as_of) {
        Err(diags) => {
            let format = match args.format {
                GraphFormat::Json => Format::Json,
                _ => Format::Text,
            };
            crate::cmd::check::print_invalid(&diags, format, global.use_color());
            return EXIT_INVALID;
        }
        Ok((c, _)) => c,
    };
    if let Some(sid) = &args.service
        && !checked.project.services.contains_key(sid)
    {
        crate::cmd::annex::unknown_service(&checked, sid);
        return EXIT_INVALID;
    }
    let format = match args.format {
        GraphFormat::Dot => flowgraph::GraphFormat::Dot,
        GraphFormat::Mermaid => flowgraph::GraphFormat::Mermaid,
        GraphFormat::Json => flowgraph::GraphFormat::Json,
    };
    let out = flowgraph::render(
        &checked,
        args.service.as_deref(),
        global.lang.code(),
        format,
    );
    // Labels are escaped for their format; anything else from the files
    // (ids in JSON are escaped by serde) made visible.
    let out = crate::visible::visible(&out);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    EXIT_OK
}
