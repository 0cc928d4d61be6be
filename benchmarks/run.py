"""`make bench`: the product under a production server on loopback, measured at a chosen scale.

    .venv/bin/python -m benchmarks.run --scale state --db sqlite
    .venv/bin/python -m benchmarks.run --scale nation --db postgres --duration 10

1. builds the database at the scale (benchmarks.generate) or reuses it if it is already there;
2. counts the SQL queries of every measured page (Django's test client, in-process);
3. starts gunicorn (2 sync workers) on 127.0.0.1 with production settings plus /bench/minimal/;
4. loads every public page and API list with 1 and 16 concurrent clients (threads, http.client) for
   a fixed time, once with the page cache on and once with it off, and records p50/p95/p99 latency
   and throughput, each beside the minimal view loaded just before at the same concurrency (three
   times in turn, ``--repeat``: each figure is the median of the runs);
   then the staff pages signed in as a member of the office (one client), and the share of public
   answers the page cache gives while another process changes one record per second;
5. times the batch jobs, each in its own process with its peak memory: the seed import into an
   empty database, a 10,000-row Excel import (rolled back), duplicate detection, the overlapping
   pairs of all networks and the network metrics;
6. writes the figures to benchmarks/results/<db>-<scale>.json and renders docs/benchmarks.md
   from every result file there (benchmarks/report.py).

PostgreSQL: --postgres-url names the server (default postgres://postgres@127.0.0.1:5432); the
database is bench_<scale> and is created (and dropped with --rebuild) by the harness.
"""

import argparse
import concurrent.futures
import contextlib
import datetime
import hashlib
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks.report import CONCURRENCY, DOC, RESULTS_DIR, fmt, render

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "127.0.0.1"
SECRET = "benchmark-only-secret-key-not-for-production-0123456789abcdef"
# A page whose single request takes longer than this is measured once, not under load.
SLOW_SECONDS = 5.0
MIN_REQUESTS = 20
REQUEST_TIMEOUT = 120.0


# --- databases ------------------------------------------------------------------------------------


def database_url(db, scale, postgres_url, name=None):
    if db == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{BENCH_DIR / ((name or scale) + '.sqlite3')}"
    return f"{postgres_url.rstrip('/')}/{name or 'bench_' + scale}"


def set_up_timing(description, argv=None):
    """For the scripts that time one part in their own process (``search_timing``, ``open_data_timing``):
    their arguments (--db, --scale, --postgres-url, --database-url) parsed, and Django set up on the
    database ``make bench`` builds for the scale, or the one given."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", default="county")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database-url", help="a database other than the benchmark's")
    arguments = parser.parse_args(argv)
    os.environ["VERNETZT_DATABASE_URL"] = arguments.database_url or database_url(
        arguments.db, arguments.scale, arguments.postgres_url
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    return arguments


def create_database(url, drop=False):
    """Create (after dropping, if asked) the database the URL names; a SQLite file is just removed."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = Path(parts.path)
        if drop:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url):
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        create_database(url, drop=True)
        return
    import psycopg

    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def var_dir(url):
    """The server's var/ directory (its page cache) for one database: never shared between databases."""
    return BENCH_DIR / "var" / hashlib.sha256(url.encode()).hexdigest()[:12]


def django_env(url, settings="benchmarks.settings", **extra):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        VERNETZT_DEBUG="0",
        VERNETZT_SECRET_KEY=SECRET,
        VERNETZT_ALLOWED_HOSTS=HOST,
        VERNETZT_DATABASE_URL=url,
        VERNETZT_VAR_DIR=str(var_dir(url)),
        VERNETZT_LOG_LEVEL="WARNING",
        # The staff pages are measured with one session for the whole run.
        VERNETZT_SESSION_IDLE_MINUTES="600",
        # The load comes from one address: the API's limits for it (120 a minute anonymous, and 600 for
        # any client, which DRF counts by address when nobody is signed in) would answer most requests
        # with 429. The limits are still checked on every request.
        VERNETZT_API_RATE_ANONYMOUS="10000000/minute",
        VERNETZT_API_RATE_USER="10000000/minute",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


# --- jobs, each in its own process ------------------------------------------------------------------


def run_job(name, url, timeout, *args):
    """Run ``name`` in a child process; returns its JSON lines (a timeout or a crash is recorded)."""
    command = [PYTHON, "-m", "benchmarks.run", "--job", name, *args]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=django_env(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        lines = parse_lines(stdout)
        lines.append({"error": f"stopped after {timeout:.0f} s", "seconds": time.perf_counter() - started})
        return lines
    lines = parse_lines(stdout)
    if process.returncode != 0:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        lines.append({"error": f"exit {process.returncode}: {tail}"[:300]})
    return lines


def parse_lines(text):
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                found.append(json.loads(line))
    return found


def emit(**data):
    data.setdefault("peak_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(data, default=str), flush=True)


def job_status():
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.generate import already_generated
    from register.models import Membership, Network, Organisation

    call_command("migrate", verbosity=0)
    emit(
        generated=already_generated(),
        networks=Network.objects.count(),
        organisations=Organisation.objects.count(),
        memberships=Membership.objects.count(),
        vendor=connection.vendor,
        version=database_version(connection),
    )


def database_version(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def job_generate(scale, seed):
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.generate import generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = generate(scale, int(seed), out=sys.stderr)
    if connection.vendor == "postgresql":
        # The visibility map now rather than when autovacuum gets to it (a server may run without
        # autovacuum): without it every index lookup reads the table rows as well, which a database
        # in production does not.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    emit(seconds=time.perf_counter() - started, counts=counts)


# Search terms the public types: names, parts of words, a typo, two words in any order.
SEARCH_TERMS = [
    "caritas", "diakonie", "awo", "paritätisch", "paritaetisch", "migration", "integrat", "jugend",
    "frauen beratung", "beratung frauen", "sprachkurs", "netzwrek", "ehrenamt", "flucht", "kreis", "verein",
]  # fmt: skip
# How many different pages of one kind the clients take turns at.
ROTATION = 20


def job_endpoints():
    """The endpoints to measure: for each, the paths the clients take turns at, with the queries and
    the server time of one uncached request (Django's test client in this process, page cache off)."""
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from register.models import Body, Network, Organisation

    networks = list(
        Network.objects.annotate(n=Count("memberships")).order_by("-n", "pk").values_list("slug", flat=True)[:ROTATION]
    )
    organisations = list(
        Organisation.objects.annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .values_list("slug", flat=True)[:ROTATION]
    )
    # The seed's own networks (the county's page), beside generated ones: their real names and purposes
    # share fewer words with other networks than the generated ones do, which the similar networks feel.
    own = list(
        Network.objects.exclude(slug__startswith="gen-net-").exclude(slug__in=networks).values_list("slug", flat=True)
    )
    body = Body.home_pk()
    lists = ["organizations", "memberships", "meetings", "persons"]
    wanted = [
        ("minimal view", "bench-minimal", [[]], ""),
        ("home page", "portal:home", [[]], ""),
        ("network directory", "portal:networks", [[]], ""),
        ("network page", "portal:network", [[slug] for slug in networks], ""),
        ("network page, the county's own", "portal:network", [[slug] for slug in sorted(own)], ""),
        ("organisation page", "portal:organisation", [[slug] for slug in organisations], ""),
        ("search", "portal:search", [[]], ["?" + urlencode({"q": term}) for term in SEARCH_TERMS]),
        ("events", "portal:events", [[]], ""),
        ("open data page", "portal:open_data", [[]], ""),
        ("message form", "portal:write_message", [[]], ""),
        ("OParl system", "api:oparl:system", [[]], ""),
        ("OParl bodies", "api:oparl:bodies", [[]], ""),
        *((f"OParl {kind}", "api:oparl:body-list", [[body, kind]] if body else [], "") for kind in lists),
        ("API networks", "api:rest:network-list", [[]], ""),
        ("API organisations", "api:rest:organisation-list", [[]], ""),
        ("API memberships", "api:rest:membership-list", [[]], ""),
        ("API events", "api:rest:event-list", [[]], ""),
        # Last: at large scales they may run out of time, and the others are still counted.
        ("network map page", "analysis:map", [[]], ""),
        ("network map data", "analysis:map_data", [[]], ""),
    ]
    client = Client(SERVER_NAME=HOST)
    client.get(reverse("bench-minimal"))  # the first request of a process loads the URLconf
    measure_in_process(client, wanted)


def measure_in_process(client, wanted):
    """For each (label, URL name, [arguments], query or [queries]): emit the paths, and the queries and
    server time of one request to each with the page cache off (Django's test client, this process)."""
    import statistics

    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    for label, name, arguments, queries in wanted:
        try:
            paths = [reverse(name, args=args) for args in arguments]
        except NoReverseMatch:
            continue
        paths = [path + query for path in paths for query in (queries if isinstance(queries, list) else [queries])]
        if not paths:
            continue
        emit(label=label, path=paths[0], paths=paths, status=None, note="no answer within the job's time limit")
        counts, seconds, statuses, sizes = [], [], set(), []
        for path in paths:
            started = time.perf_counter()
            with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            seconds.append(time.perf_counter() - started)
            counts.append(len(captured))
            statuses.add(response.status_code)
            sizes.append(len(response.content))
        emit(
            label=label,
            status=max(statuses),
            queries=max(counts),
            bytes=max(sizes),
            seconds=statistics.median(seconds),
            uncached_ms=[round(value * 1000, 1) for value in seconds],
            note="",
        )


def job_seed_import():
    from django.core.management import call_command

    from importing.demo import load_demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo()
    emit(seconds=time.perf_counter() - started)


def excel_rows(count, municipalities):
    """``count`` organisation rows: new providers, every fifth a unit of the row above it."""
    import random

    from benchmarks.generate import PROVIDERS, UNITS, place_name

    rng = random.Random(8)
    rows, last_top = [], None
    for number in range(count):
        if last_top and number % 5 == 4:
            rows.append([f"{rng.choice(UNITS)} {number}", last_top, "", "", "", "", "", "", "", "", "", ""])
            continue
        names, category, legal_form, _units = rng.choice(PROVIDERS)
        name = f"{names[0]} {place_name(rng)} Import {number}"
        last_top = name
        rows.append(
            [
                name,
                "",
                "",
                {"welfare": "Wohlfahrtsverband", "authority": "Behörde", "education": "Bildung"}.get(
                    category, "Verein"
                ),
                {"ev": "e.V.", "ggmbh": "gGmbH"}.get(legal_form, ""),
                rng.choice(municipalities),
                f"https://import{number}.example.org",
                f"info@import{number}.example.org",
                f"06151 {number:06d}",
                f"Hauptstraße {number % 90 + 1}",
                f"{64000 + number % 999:05d}",
                "Darmstadt",
            ]
        )
    return rows


def job_excel_import(count):
    """Read, check and write a 10,000-row .xlsx of organisations, then roll it back."""
    import openpyxl
    from django.db import transaction

    from importing.tabular import read_table
    from importing.tabular_plan import KnownEntries, make_plan, write_plan
    from register.history import audit_context
    from register.models import Municipality

    municipalities = list(Municipality.objects.order_by("pk").values_list("name", flat=True)[:200])
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Organisationen"
    sheet.append(
        ["Name", "Übergeordnete Organisation", "Kurzname", "Kategorie", "Rechtsform", "Kommune", "Website"]
        + ["E-Mail", "Telefon", "Straße und Hausnummer", "PLZ", "Ort"]
    )
    for row in excel_rows(int(count), municipalities):
        sheet.append([value or None for value in row])
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    started = time.perf_counter()
    table = read_table("organisations", "organisationen.xlsx", data)
    read = time.perf_counter() - started
    plan = make_plan(table, KnownEntries())
    planned = time.perf_counter() - started
    with transaction.atomic():
        with audit_context(source="benchmark"):
            summary = write_plan(plan, "benchmark")
        written = time.perf_counter() - started
        transaction.set_rollback(True)
    emit(
        seconds=written,
        read_seconds=read,
        check_seconds=planned - read,
        write_seconds=written - planned,
        rows=len(table.rows),
        problems=len(plan.problems),
        summary=summary,
        file_mb=len(data) / 1e6,
    )


def job_duplicates():
    from django.core.management import call_command, get_commands

    if "find_duplicates" not in get_commands():
        emit(error="no find_duplicates command")
        return
    from register.models import Organisation

    started = time.perf_counter()
    call_command("find_duplicates", stdout=sys.stderr)
    seconds = time.perf_counter() - started
    try:
        from matching.services import open_suggestion_count

        suggestions = open_suggestion_count()
    except ImportError:
        suggestions = None
    emit(seconds=seconds, organisations=Organisation.objects.count(), suggestions=suggestions)


def job_overlap():
    from analysis import overlap

    started = time.perf_counter()
    profiles = overlap.network_profiles()
    loaded = time.perf_counter() - started
    pairs = overlap.overlapping_pairs(profiles)
    emit(seconds=time.perf_counter() - started, profile_seconds=loaded, networks=len(profiles), pairs=len(pairs))


def job_graph():
    from analysis.graph import MapFilters, build_graph

    started = time.perf_counter()
    graph = build_graph(MapFilters())
    emit(
        seconds=time.perf_counter() - started,
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        clusters=graph.graph.get("clusters"),
    )


# The office's member of staff whose pages the benchmark measures signed in.
STAFF_USER = "bench-office"


def job_staff():
    """A signed-in office session (second factor passed) and the staff pages to measure with it."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.db.models import Count
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from register.models import Network, Organisation

    user, _ = User.objects.get_or_create(username=STAFF_USER)
    user.groups.add(Group.objects.get_or_create(name="office")[0])
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    client = Client(SERVER_NAME=HOST)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    emit(cookie=f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    # A network with about 40 members (the largest up to 40), as a coordinator's usual one.
    network = (
        Network.objects.annotate(members=Count("memberships"))
        .filter(members__lte=40)
        .order_by("-members", "pk")
        .values_list("pk", "members")
        .first()
    )
    on_network = [[network[0]]] if network else []
    organisation = Organisation.objects.filter(parent__isnull=False).order_by("pk").values_list("pk", flat=True).first()
    on_organisation = [[organisation]] if organisation else []
    members = network[1] if network else 0
    measure_in_process(
        client,
        [
            ("workspace home", "workspace:home", [[]], ""),
            ("organisation list", "workspace:organisations", [[]], ""),
            ("organisation list searched", "workspace:organisations", [[]], "?q=caritas"),
            ("network list", "workspace:networks", [[]], ""),
            (f"network with {members} members", "workspace:network", on_network, ""),
            ("its edit page", "workspace:network_edit", on_network, ""),
            ("change history", "workspace:changes", [[]], ""),
            ("duplicate queue", "matching:queue", [[]], ""),
            ("import page", "importing:tabular", [[]], ""),
            ("meetings", "meetings:list", [[]], ""),
            # Forms that chose among every organisation, network or meeting of the register (megabytes).
            ("organisation edit page", "workspace:organisation_edit", on_organisation, ""),
            ("new meeting", "meetings:meeting_create", [[]], ""),
            ("new need", "needs:need_create", [[]], ""),
            ("inquiry report", "inquiries:report", [[]], ""),
            # Reports over every network (millions of pairs of members at nation scale).
            ("cooperation report", "needs:cooperation", [[]], ""),
            ("translations to do", "workspace:translations", [[]], "?language=en"),
        ],
    )


def job_edits(seconds):
    """One change per second for ``seconds``, as staff somewhere make them: a network's or an
    organisation's text, saved as the workspace saves it (history, signals)."""
    import random

    from register.models import Network, Organisation

    rng = random.Random(7)
    kinds = [
        (Network, "purpose", list(Network.objects.values_list("pk", flat=True))),
        (Organisation, "description", list(Organisation.objects.values_list("pk", flat=True))),
    ]
    edits, end, due = 0, time.monotonic() + float(seconds), time.monotonic()
    while due < end:
        time.sleep(max(0.0, due - time.monotonic()))
        model, field, pks = kinds[edits % 2]
        record = model.objects.get(pk=rng.choice(pks))
        text = getattr(record, field).split(" (Stand ")[0]
        setattr(record, field, f"{text} (Stand {edits})"[: model._meta.get_field(field).max_length or None])
        record.save()
        edits += 1
        due += 1.0
    emit(edits=edits, seconds=float(seconds))


JOBS = {
    "status": job_status,
    "generate": job_generate,
    "endpoints": job_endpoints,
    "seed_import": job_seed_import,
    "excel_import": job_excel_import,
    "duplicates": job_duplicates,
    "overlap": job_overlap,
    "graph": job_graph,
    "staff": job_staff,
    "edits": job_edits,
}


def run_as_job(name, args, memory_limit_mb):
    if memory_limit_mb:
        limit = int(memory_limit_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import django

    django.setup()
    try:
        JOBS[name](*args)
    except MemoryError:
        emit(error=f"out of memory (limit {memory_limit_mb} MB address space)")
        sys.exit(3)


# --- the server and the load ------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the production settings and the minimal view, on a free loopback port; with
    ``cache=False`` the page cache is off (``VERNETZT_PAGE_CACHE_SECONDS=0``)."""

    def __init__(self, url, workers, cache=True):
        self.url, self.workers, self.port, self.process = url, workers, free_port(), None
        self.env = django_env(url) if cache else django_env(url, VERNETZT_PAGE_CACHE_SECONDS="0")

    def __enter__(self):
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(var_dir(self.url) / "cache", ignore_errors=True)  # start with an empty page cache
        self.log = open(BENCH_DIR / "gunicorn.log", "a")  # noqa: SIM115
        command = [
            GUNICORN, "vernetzt.wsgi", "-w", str(self.workers), "-b", f"{HOST}:{self.port}",
            "--timeout", str(int(REQUEST_TIMEOUT)), "--graceful-timeout", "5", "--backlog", "256",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True
        )
        try:
            return self._wait_until_ready()
        except BaseException:
            self.__exit__()  # a server that never answered must not outlive the harness
            raise

    def _wait_until_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {BENCH_DIR / 'gunicorn.log'}")
            try:
                if fetch(self.port, "/bench/minimal/", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    @property
    def worker_rss_mb(self):
        """Resident memory of the master and its workers now (Linux /proc)."""
        total = 0
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024


def fetch(port, path, timeout=REQUEST_TIMEOUT, headers=None):
    """One GET on a new connection (gunicorn's sync workers close every connection);
    (status, bytes, whether the page cache answered)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST, "Accept-Language": "de", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body), response.getheader("X-Page-Cache") == "hit"
    finally:
        connection.close()


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def load(port, paths, clients, duration, max_requests, headers=None, min_requests=MIN_REQUESTS):
    """``clients`` threads request the paths in turn, back to back, for ``duration`` seconds (or max_requests),
    and for at least ``min_requests`` requests: a p95 of fewer answers is the slowest of them."""
    latencies, errors, hits, lock = [], [], [0], threading.Lock()
    stop_at = time.perf_counter() + duration
    issued = [0]

    def client():
        while True:
            with lock:
                enough = issued[0] >= min(min_requests, max_requests)
                if issued[0] >= max_requests or (enough and time.perf_counter() >= stop_at):
                    return
                path = paths[issued[0] % len(paths)]
                issued[0] += 1
            started = time.perf_counter()
            try:
                status, _size, hit = fetch(port, path, headers=headers)
            except OSError as error:
                status, hit = type(error).__name__, False
            elapsed = time.perf_counter() - started
            with lock:
                hits[0] += hit
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(status)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "hits": hits[0],
        "errors": len(errors),
        "error_kinds": sorted({str(e) for e in errors})[:3],
        "seconds": elapsed,
        "throughput": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
    }


def ms(seconds):
    return None if seconds is None else seconds * 1000


MINIMAL = "/bench/minimal/"
MEDIAN_FIGURES = ("throughput", "p50_ms", "p95_ms", "p99_ms")


def median_of(runs):
    """One run's figures from several runs of the same load: the median of each latency and of the
    throughput (of the minimal view beside it as well); the requests, hits and errors of all of them."""
    combined = {**runs[-1], "repeats": len(runs)}
    for key in MEDIAN_FIGURES:
        measured = [run[key] for run in runs if run[key] is not None]  # None: no answer in that run
        combined[key] = statistics.median(measured) if measured else None
    for key in ("requests", "hits", "errors", "seconds"):
        combined[key] = sum(run[key] for run in runs)
    combined["error_kinds"] = sorted({kind for run in runs for kind in run["error_kinds"]})[:3]
    if "minimal" in runs[0]:
        combined["minimal"] = median_of([run["minimal"] for run in runs])
    return combined


def measure_http(
    url, endpoints, duration, max_requests, workers, log, cache=True, headers=None, concurrency=CONCURRENCY, repeat=1
):
    """Load each endpoint at each concurrency, right after the minimal view at the same concurrency
    (with the same headers), so that each figure stands beside a yardstick measured moments before;
    ``repeat`` times in turn, each figure the median of the runs (``median_of``)."""
    results = []
    with Server(url, workers, cache=cache) as server:
        for endpoint in endpoints:
            if endpoint.get("status") != 200:
                note = endpoint.get("note") or f"status {endpoint.get('status')}"
                results.append({**endpoint, "runs": [], "note": f"{note}: not measured"})
                continue
            # One request to each path first: with the page cache on, the answers the clients then get come
            # from it as long as the data does not change; the uncached cost is the endpoint's "uncached ms".
            paths = endpoint.get("paths") or [endpoint["path"]]
            first, status = 0.0, 200
            for path in paths:
                started = time.perf_counter()
                try:
                    status, _size, _hit = fetch(server.port, path, headers=headers)
                except OSError as error:
                    status = type(error).__name__
                first = max(first, time.perf_counter() - started)
                if status != 200:
                    break
            entry = {**endpoint, "first_ms": first * 1000, "runs": [], "note": ""}
            if status != 200:
                entry["note"] = f"server answered {status}"
            for clients in concurrency:
                if status != 200:
                    break
                if first > SLOW_SECONDS and clients > 1:
                    entry["note"] = f"one request takes {first:.1f} s: not loaded with {clients} clients"
                    break
                limit = max_requests if first <= SLOW_SECONDS else 3
                runs = []
                for _ in range(repeat if first <= SLOW_SECONDS else 1):
                    minimal = load(server.port, [MINIMAL], clients, duration, max_requests, headers)
                    runs.append({**load(server.port, paths, clients, duration, limit, headers), "minimal": minimal})
                run = median_of(runs)
                entry["runs"].append(run)
                log(
                    f"    {endpoint['label']:<24} c={clients:<2} {run['requests']:>6} req, median of {len(runs)}: "
                    f"p50 {fmt(run['p50_ms'])} p95 {fmt(run['p95_ms'])} p99 {fmt(run['p99_ms'])} ms "
                    f"{run['throughput']:.1f}/s ({share(run, run['minimal'])} of minimal) errors {run['errors']}"
                )
            entry["server_rss_mb"] = server.worker_rss_mb
            results.append(entry)
    return results


def share(run, minimal):
    return f"{run['throughput'] / minimal['throughput']:.0%}" if minimal["throughput"] else "–"


def measure_hit_rate(url, endpoints, seconds, workers, log):
    """16 clients take turns at every public path (warmed once) for ``seconds`` while another process
    changes one record per second: the share of answers the page cache still gives."""
    paths = [
        path
        for endpoint in endpoints
        if endpoint.get("status") == 200 and endpoint["label"] != "minimal view"
        for path in endpoint.get("paths") or [endpoint["path"]]
    ]
    edits = {}
    with Server(url, workers) as server:
        for path in paths:
            fetch(server.port, path)
        editor = threading.Thread(
            target=lambda: edits.update(single(run_job("edits", url, seconds + 300, str(seconds))))
        )
        editor.start()
        run = load(server.port, paths, 16, seconds, 10**9)
        editor.join()
    run.update(paths=len(paths), edits=edits.get("edits"), edit_error=edits.get("error"))
    run["hit_rate"] = run["hits"] / run["requests"] if run["requests"] else None
    log(f"    hit rate under edits: {run['hits']} of {run['requests']} answers from the cache, {run['edits']} edits")
    return run


# --- the whole run --------------------------------------------------------------------------------------


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="county", choices=["county", "tiny", "state", "nation"])
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rebuild", action="store_true", help="drop and generate the database again")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of load per endpoint and concurrency")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each load, taken in turn with the minimal view; figures: their median",
    )
    parser.add_argument("--max-requests", type=int, default=5_000, help="at most this many requests per run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--job-timeout", type=float, default=900.0, help="seconds a batch job may take")
    parser.add_argument("--memory-limit", type=int, default=4096, help="address-space limit of a job in MB")
    parser.add_argument("--excel-rows", type=int, default=10_000)
    parser.add_argument(
        "--edit-seconds", type=float, default=60.0, help="seconds of load while one record changes per second"
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--render-only", action="store_true", help="only write docs/benchmarks.md from the results")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    arguments, rest = parser.parse_known_args(argv)
    if arguments.job:
        return run_as_job(arguments.job, rest, os.environ.get("BENCH_MEMORY_LIMIT_MB"))
    if arguments.render_only:
        render()
        return None

    def log(text):
        print(text, flush=True)

    os.environ["BENCH_MEMORY_LIMIT_MB"] = str(arguments.memory_limit)
    url = database_url(arguments.db, arguments.scale, arguments.postgres_url)
    label = f"{arguments.db}-{arguments.scale}"
    log(f"== {label}: {url}")
    result = {"scale": arguments.scale, "db": arguments.db, "started": now_utc(), "machine": machine()}

    create_database(url, drop=arguments.rebuild)
    status = single(run_job("status", url, 600))
    needs_data = status.get("networks", 0) == 0 or (arguments.scale != "county" and not status.get("generated"))
    if needs_data:
        if status.get("networks"):  # a database of another scale: start again
            create_database(url, drop=True)
        log(f"  generating {arguments.scale} …")
        generated = single(run_job("generate", url, 7200, arguments.scale, str(arguments.seed)))
        result["generation"] = generated
        log(f"  generated in {fmt(generated.get('seconds'))} s {generated.get('error', '')}")
        status = single(run_job("status", url, 600))
    else:  # the data of an earlier run: keep the figures of its generation
        result["generation"] = previous_result(label).get("generation")
    result["database"] = status.get("version", arguments.db)
    result["data"] = {key: status.get(key) for key in ("organisations", "networks", "memberships")}
    log(f"  {result['database']}: {result['data']}")

    if not arguments.skip_http:
        endpoints = {}
        for line in run_job("endpoints", url, arguments.job_timeout):
            if "label" in line:
                endpoints.setdefault(line["label"], {}).update(line)
        endpoints = list(endpoints.values())
        for endpoint in endpoints:
            log(
                f"  {endpoint['label']:<24} {endpoint['status']} {endpoint.get('queries', '?'):>4} queries "
                f"{endpoint['path']}"
            )
        measure = (arguments.duration, arguments.max_requests, arguments.workers, log)
        repeat = max(1, arguments.repeat)
        log("  public pages and API lists, page cache on:")
        result["http"] = measure_http(url, endpoints, *measure, repeat=repeat)
        log("  the same, page cache off:")
        result["http_uncached"] = measure_http(url, endpoints, *measure, cache=False, repeat=repeat)
        result["workers"] = arguments.workers
        result["duration"] = arguments.duration
        result["repeat"] = repeat
        staff, cookie = {}, ""
        for line in run_job("staff", url, arguments.job_timeout):
            if "cookie" in line:
                cookie = line["cookie"]
            elif "label" in line:
                staff.setdefault(line["label"], {}).update(line)
        log("  staff pages, signed in, one client:")
        result["staff"] = measure_http(
            url, list(staff.values()), *measure, headers={"Cookie": cookie}, concurrency=(1,), repeat=repeat
        )
        log(f"  public pages while one record changes per second ({arguments.edit_seconds:.0f} s):")
        result["hit_rate"] = measure_hit_rate(url, endpoints, arguments.edit_seconds, arguments.workers, log)

    if not arguments.skip_jobs:
        result["jobs"] = run_jobs(arguments, url, log)

    result["finished"] = now_utc()
    result["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{label}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    render()
    log(f"  results in {RESULTS_DIR / (label + '.json')}, report in {DOC}")
    return result


def run_jobs(arguments, url, log):
    jobs = {}
    seed_url = database_url(arguments.db, arguments.scale, arguments.postgres_url, name=f"bench_seed_{os.getpid()}")
    create_database(seed_url, drop=True)
    try:
        jobs["seed import (empty database)"] = single(run_job("seed_import", seed_url, arguments.job_timeout))
    finally:
        drop_database(seed_url)
    plan = [
        (f"Excel import, {arguments.excel_rows:,} rows", "excel_import", [str(arguments.excel_rows)]),
        ("duplicate detection (find_duplicates)", "duplicates", []),
        ("overlapping pairs of all networks", "overlap", []),
        ("network metrics (whole map)", "graph", []),
    ]
    for label, name, args in plan:
        log(f"  job: {label} …")
        jobs[label] = single(run_job(name, url, arguments.job_timeout, *args))
    for label, figures in jobs.items():
        log(
            f"    {label:<40} {fmt(figures.get('seconds'))} s, {fmt(figures.get('peak_rss_mb'), 0)} MB "
            f"{figures.get('error', '')}"
        )
    return jobs


def previous_result(label):
    try:
        return json.loads((RESULTS_DIR / f"{label}.json").read_text())
    except (OSError, ValueError):
        return {}


def single(lines):
    merged = {}
    for line in lines:
        merged.update(line)
    return merged


def now_utc():
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


if __name__ == "__main__":
    main()
