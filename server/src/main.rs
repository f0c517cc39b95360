fn main() {
    std::process::exit(lqls::cli::main());
}
