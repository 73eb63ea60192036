#!/usr/bin/env bash
# The data benchmarks of BENCHMARKS.md, side by side in one run:
#   benches/run.sh [ROWS ...]        default: 1000000 10000000
# For each size: generate a CSV; import it with Journeymap and with the
# sqlite3 shell (.import --csv into a plain table), wall time and peak RSS;
# then the funnel and paths over the imported events, and DuckDB on the same
# CSV. Needs sqlite3, GNU time and DuckDB:
#   apt-get install -y sqlite3 time && pip install duckdb
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
work=${BENCH_DIR:-$(mktemp -d)}
cargo build --release --bin journeymap --bin gen_events
for rows in "${sizes[@]}"; do
  csv=$work/events-$rows.csv
  [ -f "$csv" ] || ./target/release/gen_events "$csv" "$rows" 1
  echo "== $rows rows, $(du -h "$csv" | cut -f1) of CSV"
  rm -f "$work/ours.sqlite" "$work/plain.sqlite"
  /usr/bin/time -f "import  journeymap: %e s wall, peak RSS %M KB" \
    ./target/release/journeymap import "$csv" --db "$work/ours.sqlite" >/dev/null
  /usr/bin/time -f "import  sqlite3 .import --csv: %e s wall, peak RSS %M KB" \
    sqlite3 "$work/plain.sqlite" ".import --csv $csv events"
  cargo bench --bench data -- "$work/ours.sqlite" --json "$work/ours.json"
  python3 benches/duckdb_compare.py "$csv" "$work/ours.json" 2
  rm -f "$work/plain.sqlite"
done
echo "(data left in $work)"
