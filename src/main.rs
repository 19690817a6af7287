fn main() {
    std::process::exit(sovmap::cli::run());
}
