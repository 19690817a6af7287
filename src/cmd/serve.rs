//! `sovmap serve`: preview the site with live reload (see [`crate::serve`]).

use crate::cli::{EXIT_INVALID, EXIT_OK, Global, ServeArgs};
use crate::serve::{self, Options};

pub fn run(global: &Global, args: &ServeArgs) -> i32 {
    let opts = Options {
        root: global.root.clone(),
        as_of: global.as_of,
        interface: args.interface,
        port: args.port,
        color: global.use_color(),
        quiet: global.quiet,
    };
    match serve::run(opts) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {}", crate::visible::visible(&e.to_string()));
            EXIT_INVALID
        }
    }
}
