"""The benchmark's second peer: DuckDB (Python package, 2 threads) on the same generated folder.

Reads a request from standard input (JSON: the folder, the runs, the tables' columns and the queries
in DuckDB's SQL) and writes the answer to standard output (JSON: DuckDB's version, the load time,
the memory it holds, and per query the median time and a digest of its rows, so the Swift side can
check that DuckDB found the same rows without passing them all).

What is timed is `CREATE TEMP TABLE … AS` the query: DuckDB computes the whole result and keeps it
in its own columns, as CentreQL's `query` materialises its rows. (`execute` alone only starts a
streaming result: 0.9 ms for a filter over 500,000 rows that takes 15 ms to finish. Turning the rows
into Python objects, 90 ms there, is left out.)
"""
import json
import resource
import statistics
import sys
import time

import duckdb


def canonical(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return "%.6g" % value
    return str(value)


def digest(rows, ordered):
    """FNV-1a (64 bits) over the rows as text, sorted by their UTF-8 bytes unless the order matters."""
    lines = ["|".join(canonical(v) for v in row).encode() for row in rows]
    if not ordered:
        lines.sort()
    h = 0xCBF29CE484222325
    for line in lines:
        for byte in line + b"\n":
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def load(con, request):
    """Every CSV read by read_csv as text, then typed: figures split into an amount and `NAME_q`."""
    start = time.perf_counter()
    for table in request["tables"]:
        path = "%s/%s.csv" % (request["directory"], table["name"])
        parts = []
        for column in table["columns"]:
            name, kind = column["name"], column["type"]
            if kind == "figure":
                parts.append("CAST(NULLIF(regexp_replace(%s, '[近约余]', '', 'g'), '') AS DOUBLE) AS %s" % (name, name))
                parts.append("NULLIF(regexp_replace(%s, '[^近约余]', '', 'g'), '') AS %s_q" % (name, name))
            elif kind in ("int", "bool"):
                cast = "BIGINT" if kind == "int" else "BOOLEAN"
                parts.append("CAST(NULLIF(%s, '') AS %s) AS %s" % (name, cast, name))
            elif kind == "decimal":
                parts.append("CAST(NULLIF(%s, '') AS DOUBLE) AS %s" % (name, name))
            else:
                parts.append("NULLIF(%s, '') AS %s" % (name, name))
        con.execute("CREATE TABLE %s AS SELECT %s FROM read_csv('%s', all_varchar = true, header = true)"
                    % (table["name"], ", ".join(parts), path))
    return time.perf_counter() - start


def resident_kib():
    """The process's resident set now, in kibibytes (/proc/self/status's VmRSS)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    request = json.load(sys.stdin)
    con = duckdb.connect(":memory:")
    con.execute("SET threads = %d" % request.get("threads", 2))
    resident = resident_kib()
    seconds = load(con, request)
    # The process's resident peak over the load, above what it held before (kibibytes on Linux).
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - resident) * 1024
    memory = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]
    results = []
    for query in request["queries"]:
        rows = con.execute(query["sql"]).fetchall()
        times = []
        for _ in range(request["runs"]):
            start = time.perf_counter()
            con.execute("CREATE OR REPLACE TEMP TABLE benchmark_result AS " + query["sql"])
            times.append(time.perf_counter() - start)
        results.append({"number": query["number"], "seconds": statistics.median(times),
                        "rows": len(rows), "digest": digest(rows, query["ordered"])})
    json.dump({"version": duckdb.__version__, "load": seconds, "memory": memory, "peak": peak, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
