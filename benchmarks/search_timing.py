"""How long the public search takes for the query set (benchmarks/search_queries.txt), one client, uncached.

    .venv/bin/python -m benchmarks.search_timing --db postgres --scale nation

Uses the database `make bench` builds for the scale (benchmarks.run), or --database-url. Each query
is searched once to warm the connection and the caches of the database, then timed once in this
process (the search itself, no page cache); prints the median, p95 and the slowest queries.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", default="county")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database-url", help="a database other than the benchmark's")
    arguments = parser.parse_args(argv)
    from benchmarks.run import database_url
    from benchmarks.search_quality import read_queries

    os.environ["VERNETZT_DATABASE_URL"] = arguments.database_url or database_url(
        arguments.db, arguments.scale, arguments.postgres_url
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vernetzt.settings")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

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
