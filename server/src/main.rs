// The same allocator as the benchmarks measure: much faster than glibc's for the parsers' many small
// allocations.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(lqls::cli::main());
}
