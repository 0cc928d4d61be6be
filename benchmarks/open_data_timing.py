"""How long the open data downloads take (``/daten/…``), one client, uncached, and how large they are.

    .venv/bin/python -m benchmarks.open_data_timing --db postgres --scale nation

Uses the database `make bench` builds for the scale (benchmarks.run), or --database-url. Each dataset is
downloaded once in each format through Django's test client in this process with the page cache off
(what the first visitor after a change waits for), the smallest first; prints the seconds, the size,
the SQL queries and the process's peak memory so far.
"""

import resource
import time

DATASETS = ["netzwerke", "organisationen", "mitgliedschaften"]


def main(argv=None):
    from benchmarks.run import HOST, set_up_timing

    arguments = set_up_timing(__doc__, argv)
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(SERVER_NAME=HOST)
    client.get(reverse("portal:open_data"))  # the first request of a process loads the URLconf
    print(f"open data downloads, {arguments.db} {arguments.scale}, page cache off:")
    for fmt in ("csv", "xlsx"):
        for dataset in DATASETS:
            with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(reverse("api:open_data", args=[dataset, fmt]))
                seconds = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(
                f"  {dataset}.{fmt}: {seconds:6.1f} s, {len(response.content) / 2**20:5.1f} MB,"
                f" {len(captured)} SQL queries, peak memory so far {peak} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
