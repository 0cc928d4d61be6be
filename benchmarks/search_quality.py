"""How well the public search answers what people ask: success@5, MRR and the misses.

    .venv/bin/python -m benchmarks.search_quality             # demo data in a new SQLite file in var/
    .venv/bin/python -m benchmarks.search_quality --keep      # reuse that file if it is there

The queries and what a person would expect for each are in benchmarks/search_queries.txt. A query
succeeds when an expected entry is among the first five results (for "-": when nothing is found);
its reciprocal rank is 1/rank of the first expected entry (1 or 0 for "-"). The results of all
kinds are ranked together by their score.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = Path(__file__).with_name("search_queries.txt")


def read_queries(path=QUERIES):
    """[(query, [expected names])], [] meaning that nothing should be found."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected = (part.strip() for part in line.split("=>"))
        found.append((query, [] if expected == "-" else [name.strip() for name in expected.split(";")]))
    return found


def ranked(results):
    """The names of all results, best first (of equal scores the shorter name, as the search orders them)."""
    entries = [*results.networks, *results.organisations, *results.actor_groups, *results.focus_areas]
    entries.sort(key=lambda entry: (-entry.score, len(entry.sort_key), entry.sort_key))
    return [entry.name for entry in entries]


def measure(queries, search):
    """(success@5, MRR, misses); ``search`` maps a query to the ranked names."""
    successes, reciprocal, misses = 0, 0.0, []
    for query, expected in queries:
        names = search(query)
        if not expected:
            hit = 1 if not names else None
        else:
            hit = next((rank for rank, name in enumerate(names, 1) if any(e in name for e in expected)), None)
        if hit is not None and hit <= 5:
            successes += 1
        reciprocal += 1 / hit if hit else 0
        if hit != 1 and expected or hit is None:
            misses.append((query, expected, names[:5], hit))
    return successes / len(queries), reciprocal / len(queries), misses


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="reuse the demo database if it is there")
    parser.add_argument("--verbose", action="store_true", help="also the queries found below the first place")
    parser.add_argument("--database", default=str(ROOT / "var" / "search-quality.sqlite3"))
    arguments = parser.parse_args(argv)
    database = Path(arguments.database)
    if not arguments.keep:
        database.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    os.environ["VERNETZT_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vernetzt.settings")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.core.management import call_command

    from importing.demo import load_demo
    from portal.search import Index

    call_command("migrate", verbosity=0)
    load_demo(only_if_empty=True)
    queries = read_queries()
    success, mrr, misses = measure(queries, lambda query: ranked(Index().search(query)))
    failed = [miss for miss in misses if miss[3] is None or miss[3] > 5]
    print(f"{len(queries)} queries: success@5 {success:.3f}, MRR {mrr:.3f}, {len(failed)} misses")
    for query, expected, names, hit in failed if not arguments.verbose else misses:
        where = f"first expected at {hit}" if hit else "expected not found"
        print(f"- {query!r}: {where}; expected {expected or 'nothing'}; got {names}")


if __name__ == "__main__":
    main()
