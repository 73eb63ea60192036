#!/usr/bin/env bash
# The ClickHouse benchmark of BENCHMARKS.md:
#   benches/clickhouse.sh [ROWS]        default: 10000000
# Generates a CSV with gen_events, imports it into SQLite, loads it into the
# ClickHouse server on 127.0.0.1 (database journeymap_bench) with a row
# number for the tie order, then times a 5-step funnel and the paths graph:
# Journeymap over ClickHouse, the local engine over the SQLite import, and
# the same SQL run by hand with clickhouse-client (and windowFunnel, which
# gives levels only). Needs clickhouse-server running and clickhouse-client.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
work=${BENCH_DIR:-$(mktemp -d)}
target=${CARGO_TARGET_DIR:-target}
db=journeymap_bench
cargo build --release --bin journeymap --bin gen_events
csv=$work/events-$rows.csv
[ -f "$csv" ] || "$target/release/gen_events" "$csv" "$rows" 1
sqlite=$work/events-$rows.sqlite
[ -f "$sqlite" ] || "$target/release/journeymap" import "$csv" --db "$sqlite" >/dev/null
ch() { clickhouse-client --allow_experimental_low_cardinality_type=1 "$@"; }
ch --query "CREATE DATABASE IF NOT EXISTS $db"
ch --query "DROP TABLE IF EXISTS $db.events"
ch --query "CREATE TABLE $db.events (person_id String, timestamp DateTime('UTC'),
  event LowCardinality(String), channel LowCardinality(String), cost Float64, revenue Float64,
  country LowCardinality(String), seq UInt64) ENGINE = MergeTree ORDER BY (person_id, timestamp)"
# 18.16 reads 'YYYY-MM-DD hh:mm:ss': the T and the Z go. seq is the row number.
start=$(date +%s.%N)
awk -F, -v OFS=, 'NR == 1 { print $0, "seq"; next } { sub("T", " ", $2); sub("Z", "", $2); print $0, NR - 2 }' "$csv" |
  ch --query "INSERT INTO $db.events FORMAT CSVWithNames"
echo "loaded $(ch --query "SELECT count() FROM $db.events") rows into ClickHouse in $(echo "$(date +%s.%N) - $start" | bc) s"
ch --query "OPTIMIZE TABLE $db.events FINAL"

cargo bench --bench clickhouse -- "$sqlite" "clickhouse://127.0.0.1/$db.events" --columns order=seq --sql "$work/sql"

# The same SQL by hand, best of 3 (client receiving the rows, not printing them).
by_hand() {
  local label=$1 file=$2 best=
  for _ in 1 2 3; do
    local s e t
    s=$(date +%s.%N)
    ch --query "$(cat "$file")" >/dev/null
    e=$(date +%s.%N)
    t=$(echo "($e - $s) * 1000" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  printf '%-44s best of 3: %9.1f ms\n' "clickhouse-client: $label" "$best"
}
by_hand "funnel's events" "$work/sql/funnel_events.sql"
by_hand "count of people" "$work/sql/people.sql"
by_hand "paths graph" "$work/sql/paths.sql"
cat > "$work/sql/window_funnel.sql" <<SQL
SELECT level, count() FROM (SELECT windowFunnel(1209600)(timestamp, event = 'page_view', event = 'signup',
  event = 'trial_start', event = 'demo_booked', event = 'purchase') AS level
  FROM $db.events GROUP BY person_id) GROUP BY level ORDER BY level
SQL
by_hand "windowFunnel levels (no times)" "$work/sql/window_funnel.sql"
echo "windowFunnel levels: $(ch --query "$(cat "$work/sql/window_funnel.sql")" | tr '\n' ' ')"
echo "(data left in $work; drop the table with: clickhouse-client --query 'DROP DATABASE $db')"
