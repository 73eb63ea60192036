"""One reference query straight from the CSV, as a whole process of its own,
for `whole_process.py` to time beside Journeymap on its imported database:

    python3 benches/reference.py chdb-funnel|duckdb-funnel|duckdb-paths EVENTS.csv [THREADS]

Prints the answer as JSON: {"reached": [...]} per funnel step, or
{"paths": [[from, to, count], ...]}. The funnel is the 5 steps of
`benches/data.rs` in a 14-day window; events are ordered as Journeymap
orders them (person, time, then file order).
"""
import json
import sys

mode, csv = sys.argv[1], sys.argv[2]
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
WINDOW_S = 14 * 24 * 3600
STEPS = ["page_view", "signup", "trial_start", "demo_booked", "purchase"]


def cumulative(levels):
    """People per funnel level to people reaching each step."""
    return [sum(n for level, n in levels if level >= k) for k in range(1, len(STEPS) + 1)]


if mode == "chdb-funnel":
    import chdb

    conds = ", ".join(f"event = '{s}'" for s in STEPS)
    out = chdb.query(
        f"""SELECT level, count() FROM (
              SELECT person_id, windowFunnel({WINDOW_S})(timestamp, {conds}) AS level
              FROM file('{csv}', CSVWithNames) GROUP BY person_id)
            GROUP BY level SETTINGS max_threads = {threads}""",
        "JSONCompact",
    )
    print(json.dumps({"reached": cumulative(json.loads(str(out))["data"])}))
    sys.exit(0)

import duckdb

con = duckdb.connect()
con.execute(f"SET threads = {threads}")
# A table keeps the file's order in its rowid, which breaks ties as Journeymap does.
con.execute(f"""
CREATE TABLE events AS
SELECT person_id, epoch_ms("timestamp") AS ts, event
FROM read_csv('{csv}', header = true, columns = {{
  'person_id': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'event': 'VARCHAR', 'channel': 'VARCHAR',
  'cost': 'DOUBLE', 'revenue': 'DOUBLE', 'country': 'VARCHAR'}})
""")
if mode == "duckdb-paths":
    rows = con.execute("""
        SELECT event, nxt, count(*) FROM (
          SELECT event, lead(event) OVER (PARTITION BY person_id ORDER BY ts, rowid) AS nxt FROM events)
        WHERE nxt IS NOT NULL GROUP BY ALL""").fetchall()
    print(json.dumps({"paths": [list(r) for r in rows]}))
elif mode == "duckdb-funnel":
    # windowFunnel in SQL: from every step-1 event, the earliest next-step
    # event after the previous one within the window (a self-join per step).
    con.execute("CREATE TABLE ranked AS SELECT *, row_number() OVER (ORDER BY person_id, ts, rowid) AS r FROM events")
    ctes = [f"s1 AS (SELECT person_id, r, ts AS t0 FROM ranked WHERE event = '{STEPS[0]}')"]
    for k, step in enumerate(STEPS[1:], start=2):
        ctes.append(f"""s{k} AS (
          SELECT s.person_id, s.t0, min(e.r) AS r FROM s{k - 1} s JOIN ranked e
            ON e.person_id = s.person_id AND e.event = '{step}' AND e.r > s.r AND e.ts - s.t0 <= {WINDOW_S * 1000}
          GROUP BY s.person_id, s.t0, s.r)""")
    levels = " UNION ALL ".join(f"SELECT person_id, {k} AS l FROM s{k}" for k in range(1, len(STEPS) + 1))
    rows = con.execute(
        f"WITH {', '.join(ctes)}, lv AS ({levels}), pl AS (SELECT person_id, max(l) AS level FROM lv GROUP BY person_id) "
        "SELECT level, count(*) FROM pl GROUP BY level"
    ).fetchall()
    print(json.dumps({"reached": cumulative(rows)}))
else:
    sys.exit(f"unknown mode {mode}")
