//! The `sovmap` command: argument definitions ([`cli`]) and one module per
//! command ([`cmd`]) over the library. The command line is the binary's
//! business: the library exposes functions and types, no clap structs.

mod cli;
mod cmd;

// The library's modules and functions, so that the commands name them as the
// library's own modules do (`crate::load`, `crate::check_project`).
#[allow(unused_imports)]
use sovmap::*;

/// mimalloc instead of the system allocator: loading, analysing and rendering
/// a large inventory make millions of small allocations from several threads
/// (rayon), where glibc's malloc spent about a third of `check`'s time
/// (`malloc_consolidate`, `unlink_chunk`; see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its v3 `mi_option_e`, which
/// libmimalloc-sys does not name; the test below checks the number).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Keep freed memory instead of handing it back to the system a second
    // later (mimalloc v3's default): a build frees and reallocates its page buffers and template
    // values all the time, and every page handed back was zeroed again by
    // the kernel when reused (a huge page at a time: 13 % of a build of
    // 100,000 entities, 47,000 page faults at 10,000 instead of 800). The
    // process is short-lived, and `serve` reuses what it keeps.
    // SAFETY: sets a plain option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    std::process::exit(cmd::run());
}

#[cfg(test)]
mod tests {
    #[test]
    fn option_fifteen_is_the_purge_delay() {
        // Its default in mimalloc v3 is 1000 ms, which no other option
        // has (eager_commit_delay 1, use_numa_nodes 0, os_tag 100, …).
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads a plain option.
            let v = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
            assert_eq!(v, 1000);
        }
    }
}
