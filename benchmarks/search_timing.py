"""How long the public search takes for the query set (benchmarks/search_queries.txt), one client, uncached.

    .venv/bin/python -m benchmarks.search_timing --db postgres --scale nation

Uses the database `make bench` builds for the scale (benchmarks.run), or --database-url. Each query
is searched once to warm the connection and the caches of the database, then timed once in this
process (the search itself, no page cache); prints the median, p95 and the slowest queries.
"""

import datetime
import json
import statistics
import time


def main(argv=None):
    from benchmarks.run import set_up_timing

    arguments = set_up_timing(__doc__, argv)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.search_quality import read_queries
    from portal.search import Index

    queries = [query for query, _expected in read_queries()]
    for query in queries:
        Index().search(query)
    timings, counts = [], set()
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            Index().search(query)
            timings.append((time.perf_counter() - started, query))
        counts.add(len(captured))
    seconds = sorted(elapsed for elapsed, _query in timings)
    p95 = seconds[int(0.95 * (len(seconds) - 1))]
    median = statistics.median(seconds)
    print(
        f"search, {arguments.db} {arguments.scale}: {len(queries)} queries, median {median * 1000:.1f} ms,"
        f" p95 {p95 * 1000:.1f} ms, slowest {seconds[-1] * 1000:.1f} ms; {min(counts)}-{max(counts)} SQL queries each"
    )
    slowest = sorted(timings, reverse=True)[:5]
    for elapsed, query in slowest:
        print(f"  {elapsed * 1000:7.1f} ms  {query}")
    from benchmarks.report import SEARCH_DIR, render

    SEARCH_DIR.mkdir(parents=True, exist_ok=True)
    result = {
        "db": arguments.db,
        "database": connection.vendor,
        "scale": arguments.scale,
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "queries": len(queries),
        "median_ms": round(median * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(seconds[-1] * 1000, 1),
        "sql_queries": [min(counts), max(counts)],
        "slowest": [[round(elapsed * 1000, 1), query] for elapsed, query in slowest],
    }
    (SEARCH_DIR / f"{arguments.db}-{arguments.scale}.json").write_text(json.dumps(result, indent=1) + "\n")
    render()


if __name__ == "__main__":
    main()
