"""DuckDB on the same CSV: the 5-step funnel and the paths graph as SQL.

    python3 benches/duckdb_compare.py EVENTS.csv RESULTS.json [THREADS]

RESULTS.json is what `cargo bench --bench data -- DB --json RESULTS.json`
wrote; this script checks DuckDB's answers equal Journeymap's, then prints
both timings. Loading the CSV is timed apart from the queries.

The funnel is windowFunnel with one event per step, in SQL: from every
step-1 event, follow the earliest next-step event after the previous one
and within the window of the start (a self-join per step); a person's level
is the longest such chain. Event order is Journeymap's: person, time, then
file order.
"""
import json
import sys
import time

import duckdb

csv, results = sys.argv[1], sys.argv[2]
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
RUNS = 3
WINDOW_MS = 14 * 24 * 3600 * 1000
STEPS = ["page_view", "signup", "trial_start", "demo_booked", "purchase"]

con = duckdb.connect()
con.execute(f"SET threads = {threads}")

start = time.perf_counter()
con.execute(f"""
CREATE TABLE raw AS
SELECT person_id, epoch_ms("timestamp") AS ts, event, channel
FROM read_csv('{csv}', header = true, columns = {{
  'person_id': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'event': 'VARCHAR', 'channel': 'VARCHAR',
  'cost': 'DOUBLE', 'revenue': 'DOUBLE', 'country': 'VARCHAR'}})
""")
con.execute("CREATE TABLE events AS SELECT *, row_number() OVER (ORDER BY person_id, ts, rowid) AS r FROM raw")
load = time.perf_counter() - start
rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
print(f"duckdb {duckdb.__version__}, {threads} threads: loaded and ordered {rows} rows in {load:.2f} s")


def funnel_sql():
    ctes = [f"s1 AS (SELECT person_id, r, ts AS t0 FROM events WHERE event = '{STEPS[0]}')"]
    for k, step in enumerate(STEPS[1:], start=2):
        ctes.append(f"""s{k} AS (
  SELECT s.person_id, s.t0, min(e.r) AS r
  FROM s{k - 1} s JOIN events e
    ON e.person_id = s.person_id AND e.event = '{step}' AND e.r > s.r AND e.ts - s.t0 <= {WINDOW_MS}
  GROUP BY s.person_id, s.t0, s.r)""")
    levels = " UNION ALL ".join(f"SELECT person_id, {k} AS l FROM s{k}" for k in range(1, len(STEPS) + 1))
    counts = ", ".join(f"count(*) FILTER (WHERE level >= {k})" for k in range(1, len(STEPS) + 1))
    return (f"WITH {', '.join(ctes)}, lv AS ({levels}), "
            f"pl AS (SELECT person_id, max(l) AS level FROM lv GROUP BY person_id) SELECT {counts} FROM pl")


PATHS_SQL = """
SELECT event AS "from", nxt AS "to", count(*) AS count
FROM (SELECT event, lead(event) OVER (PARTITION BY person_id ORDER BY r) AS nxt FROM events)
WHERE nxt IS NOT NULL
GROUP BY ALL
ORDER BY count DESC, "from", "to"
"""


def best_of(label, sql):
    best, out = None, None
    for _ in range(RUNS):
        t = time.perf_counter()
        out = con.execute(sql).fetchall()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    print(f"{label:<24} best of {RUNS}: {best * 1000:9.1f} ms")
    return out, best * 1000


ours = json.load(open(results))
reached, funnel_ms = best_of("duckdb funnel", funnel_sql())
paths, paths_ms = best_of("duckdb paths", PATHS_SQL)
same_funnel = list(reached[0]) == ours["reached"]
same_paths = sorted(map(tuple, paths)) == sorted((p["from"], p["to"], p["count"]) for p in ours["paths"])
print(f"funnel {list(reached[0])}: {'same as' if same_funnel else 'DIFFERENT from'} Journeymap {ours['reached']}")
print(f"paths: {len(paths)} edges, {'same as' if same_paths else 'DIFFERENT from'} Journeymap")
print(f"funnel: Journeymap {ours['funnel_ms']:.1f} ms, DuckDB {funnel_ms:.1f} ms, DuckDB/Journeymap = {funnel_ms / ours['funnel_ms']:.1f}x")
print(f"paths:  Journeymap {ours['paths_ms']:.1f} ms, DuckDB {paths_ms:.1f} ms, DuckDB/Journeymap = {paths_ms / ours['paths_ms']:.1f}x")
sys.exit(0 if same_funnel and same_paths else 1)
