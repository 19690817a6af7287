/// mimalloc instead of the system allocator: loading, analysing and rendering
/// a large inventory make millions of small allocations from several threads
/// (rayon), where glibc's malloc spent about a third of `check`'s time
/// (`malloc_consolidate`, `unlink_chunk`; see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(sovmap::cli::run());
}
