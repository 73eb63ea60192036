"""Whole-process timings, as a user runs them: Journeymap's funnel and paths
on its imported database beside chDB and DuckDB answering the same from the
CSV, each a process of its own under GNU time (wall time, peak RSS), and
a check that every answer is the same.

    python3 benches/whole_process.py JOURNEYMAP DATA.sqlite EVENTS.csv [THREADS] [RUNS]

Prints one line per command (median wall time of RUNS, largest peak RSS)
and the ratios; exits 1 if an answer differs.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

jm, db, csv = sys.argv[1], sys.argv[2], sys.argv[3]
threads = sys.argv[4] if len(sys.argv) > 4 else "2"
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 3
here = os.path.dirname(os.path.abspath(__file__))
STEPS = "page_view,signup,trial_start,demo_booked,purchase"


def timed(cmd):
    """(median wall s, max peak RSS MB, stdout of the last run)."""
    walls, rss, out = [], [], ""
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(mode="r") as t:
            proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd,
                                  capture_output=True, text=True, check=True)
            wall, kb = t.read().split()[-2:]
        walls.append(float(wall))
        rss.append(int(kb) / 1024)
        out = proc.stdout
    return statistics.median(walls), max(rss), out


def ref(mode):
    return [sys.executable, os.path.join(here, "reference.py"), mode, csv, threads]


commands = {
    "funnel": [jm, "funnel", "--db", db, "--steps", STEPS, "--window", "14d", "--json"],
    "paths": [jm, "paths", "--db", db, "--json"],
    "chdb-funnel": ref("chdb-funnel"),
    "duckdb-funnel": ref("duckdb-funnel"),
    "duckdb-paths": ref("duckdb-paths"),
}
results = {}
for name, cmd in commands.items():
    wall, rss, out = timed(cmd)
    results[name] = (wall, rss, json.loads(out))
    print(f"{name:<14} {wall:7.2f} s  peak RSS {rss:6.0f} MB  (median of {runs})", flush=True)

ours_funnel = [s["reached"] for s in results["funnel"][2]["steps"]]
ours_paths = sorted((p["from"], p["to"], p["count"]) for p in results["paths"][2])
same = True
for name in ("chdb-funnel", "duckdb-funnel"):
    theirs = results[name][2]["reached"]
    ok = theirs == ours_funnel
    same &= ok
    print(f"{name}: {theirs} {'same as' if ok else 'DIFFERENT from'} Journeymap {ours_funnel}")
theirs = sorted(tuple(p) for p in results["duckdb-paths"][2]["paths"])
ok = theirs == ours_paths
same &= ok
print(f"duckdb-paths: {len(theirs)} edges, {'same as' if ok else 'DIFFERENT from'} Journeymap's {len(ours_paths)}")
for ours, others in (("funnel", ("chdb-funnel", "duckdb-funnel")), ("paths", ("duckdb-paths",))):
    for other in others:
        print(f"{other} / Journeymap {ours}: {results[other][0] / max(results[ours][0], 0.005):.1f}x")
sys.exit(0 if same else 1)
