//! The `nagare` binary: parse flags, run, map the outcome to an exit code (0 clean, 1 findings, 2 error).
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(nagare::cli::main())
}
