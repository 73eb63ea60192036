#!/usr/bin/env bash
# The data benchmarks of BENCHMARKS.md, side by side in one run:
#   benches/run.sh [ROWS ...]        default: 1000000 10000000
# For each size: generate a CSV; import it with Journeymap and with the
# sqlite3 shell (.import --csv into a plain table), taking turns, wall time
# and peak RSS, median of RUNS;
# the in-memory funnel and paths (cargo bench --bench data) against DuckDB's
# queries on the loaded CSV; then whole processes: `journeymap funnel` and
# `journeymap paths` on the imported database against chDB and DuckDB
# reading the CSV, checking every answer is the same. Needs sqlite3, GNU
# time, DuckDB and chDB:
#   apt-get install -y sqlite3 time && pip install duckdb chdb
# BENCH_DIR keeps the data (CSV files are reused); RUNS sets the repeats
# of each whole process (median; default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
work=${BENCH_DIR:-$(mktemp -d)}
runs=${RUNS:-3}
cargo build --release --bin journeymap --bin gen_events
# A copy, so a build elsewhere into a shared target directory cannot swap it mid-run.
mkdir -p "$work/bin"
cp "${CARGO_TARGET_DIR:-target}/release/journeymap" "${CARGO_TARGET_DIR:-target}/release/gen_events" "$work/bin/"
jm=$work/bin/journeymap
for rows in "${sizes[@]}"; do
  csv=$work/events-$rows.csv
  [ -f "$csv" ] || "$work/bin/gen_events" "$csv" "$rows" 1
  echo "== $rows rows, $(du -h "$csv" | cut -f1) of CSV"
  # Each import into a new database, taking turns, RUNS times: the median.
  : >"$work/import-times"
  for _ in $(seq "$runs"); do
    rm -f "$work/ours.sqlite" "$work/plain.sqlite"
    /usr/bin/time -a -o "$work/import-times" -f "journeymap %e %M" \
      "$jm" import "$csv" --db "$work/ours.sqlite" >/dev/null
    /usr/bin/time -a -o "$work/import-times" -f "sqlite3 %e %M" \
      sqlite3 "$work/plain.sqlite" ".import --csv $csv events"
  done
  rm -f "$work/plain.sqlite"
  for who in journeymap sqlite3; do
    grep "^$who " "$work/import-times" | sort -n -k2 | sed -n "$(((runs + 1) / 2))p" |
      awk -v runs="$runs" '{printf "import  %s: %s s wall, peak RSS %d KB (median of %d)\n", $1, $2, $3, runs}'
  done
  awk '{t[$1] = t[$1] " " $2} END {for (w in t) print "  all runs, " w ":" t[w]}' "$work/import-times"
  cargo bench --bench data -- "$work/ours.sqlite" --json "$work/ours.json"
  python3 benches/duckdb_compare.py "$csv" "$work/ours.json" 2
  python3 benches/whole_process.py "$jm" "$work/ours.sqlite" "$csv" 2 "$runs"
done
echo "(data left in $work)"
