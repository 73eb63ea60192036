//! Writes a synthetic events CSV for benchmarks and demos:
//! `gen_events OUT.csv ROWS [SEED]`. Deterministic for a given seed.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(rows)) = (
        args.first(),
        args.get(1).and_then(|r| r.replace('_', "").parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen_events OUT.csv ROWS [SEED]   e.g. gen_events /tmp/events.csv 10_000_000");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    match journeymap::store::write_synthetic_csv(std::path::Path::new(out), rows, seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen_events: {out}: {err}");
            ExitCode::FAILURE
        }
    }
}
