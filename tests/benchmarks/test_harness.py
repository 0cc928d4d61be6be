"""The benchmark harness: the load takes turns at an endpoint's paths, and the report marks missed targets."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from benchmarks import report, run


def test_the_clients_take_turns_at_every_path():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((run.HOST, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        figures = run.load(server.server_address[1], ["/a/", "/b/", "/c/"], clients=2, duration=5, max_requests=9)
    finally:
        server.shutdown()
    assert figures["requests"] == 9 and figures["errors"] == 0
    assert sorted(seen) == ["/a/"] * 3 + ["/b/"] * 3 + ["/c/"] * 3


def result(p95_ms, throughput, uncached_ms):
    def entry(label, p95, rate, uncached):
        runs = [{"clients": c, "requests": 100, "errors": 0, "throughput": rate} for c in report.CONCURRENCY]
        for figures in runs:
            figures.update(p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95)
        return {"label": label, "path": f"/{label}/", "paths": ["/x/", "/y/"], "runs": runs, "uncached_ms": uncached}

    return {
        "scale": "nation",
        "db": "postgres",
        "database": "PostgreSQL",
        "started": "now",
        "machine": {
            "cpus": 2,
            "cpu": "cpu",
            "memory": "1 GiB",
            "system": "Linux",
            "python": "3.11",
            "load_average": [1],
        },
        "data": {"organisations": 1, "networks": 1, "memberships": 1},
        "http": [entry("minimal view", 20.0, 500.0, [1.0]), entry("network page", p95_ms, throughput, uncached_ms)],
        "jobs": {"duplicate detection (find_duplicates)": {"seconds": 61.0, "peak_rss_mb": 100.0}},
    }


def test_the_report_shows_uncached_cost_and_marks_what_misses_the_targets():
    text = report.section(result(p95_ms=150.0, throughput=100.0, uncached_ms=[30.0, 10.0, 90.0]))
    assert "| network page `/network page/` and 1 more | ? | 30.0 / 90.0 |" in text
    assert "- missed: network page: p95 150 ms, throughput 20% of the minimal view's" in text
    assert "- missed: duplicate detection (find_duplicates): 61 s" in text


def test_the_report_says_when_every_page_meets_the_targets():
    text = report.section(result(p95_ms=50.0, throughput=400.0, uncached_ms=[5.0]))
    assert "- met at 16 clients: network page" in text
    assert "missed: network page" not in text
