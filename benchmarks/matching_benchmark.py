"""Benchmark of the duplicate matcher (not a test): precision, recall, time and memory at scale.

First the real names: ``benchmarks/data/real_name_pairs.tsv`` holds labelled pairs of names as
German public and welfare web pages write them (duplicate, unit, distinct), a quarter of them held
out and never tuned on. All their names go through ``find_pairs`` with the pre-filter on, as in
production; the figures are given for the tuned part and the held-out part separately.

Then generated names: a deterministic set of German organisation names (default 120,000) with
known duplicate clusters, through ``matching.matcher.find_pairs`` in 2 processes; on a 5,000-name
subset it also compares all pairs with rapidfuzz (brute force) and prints both and the ratio.

    .venv/bin/python benchmarks/matching_benchmark.py [--names 120000] [--subset 5000] [--seed 5]

Precision and recall of duplicates count pairs proposed as duplicates against the pairs labelled
duplicate (a "unit of" proposal is not a duplicate); of proposals, pairs proposed at all (duplicate
or unit) against the pairs labelled duplicate or unit.
"""

import argparse
import random
import resource
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process  # noqa: E402

from matching.matcher import DUPLICATE, Candidate, find_pairs  # noqa: E402
from matching.normalise import PLACES, fold  # noqa: E402

# Providers: (ways of writing the same provider), whether they take a local unit, whether their name is local.
PROVIDERS = [
    (["Caritasverband", "Caritas Verband", "Caritas"], "e.V."),
    (["Diakonisches Werk", "Diakonie"], "e.V."),
    (["Deutsches Rotes Kreuz Kreisverband", "DRK Kreisverband", "DRK-Kreisverband"], "e.V."),
    (["Arbeiterwohlfahrt Kreisverband", "AWO Kreisverband", "AWO"], "e.V."),
    (["Der Paritätische", "Der PARITÄTISCHE", "Paritätischer Wohlfahrtsverband"], ""),
    (["Internationaler Bund", "IB"], "e.V."),
    (["Arbeiter-Samariter-Bund", "ASB"], "e.V."),
    (["Sozialdienst katholischer Frauen", "SkF"], "e.V."),
    (["Malteser Hilfsdienst"], "e.V."),
    (["Johanniter-Unfall-Hilfe"], "e.V."),
    (["Evangelisches Dekanat", "Ev. Dekanat"], ""),
    (["Katholische Familienbildungsstätte", "Kath. Familienbildungsstätte"], ""),
    (["Volkshochschule", "VHS"], ""),
    (["Kinderschutzbund Ortsverband", "Kinderschutzbund Ortsverband"], "e.V."),
    (["Lebenshilfe"], "e.V."),
]
SERVICES = [
    ["Migrationsberatung für erwachsene Zuwanderer", "MBE"],
    ["Jugendmigrationsdienst", "JMD", "Jugend-Migrationsdienst"],
    ["Schuldnerberatung", "Schuldner-Beratung"],
    ["Suchtberatung", "Sucht-Beratung"],
    ["Flüchtlingsberatung", "Flüchtlings-Beratung"],
    ["Asylverfahrensberatung"],
    ["Erziehungsberatungsstelle", "Erziehungs-Beratungsstelle"],
    ["Schwangerschaftsberatung"],
    ["Sozialpsychiatrischer Dienst"],
    ["Familienzentrum", "Familien-Zentrum"],
    ["Integrationskurse"],
    ["Sprachcafé"],
    ["Seniorenberatung"],
    ["Wohnungslosenhilfe"],
    ["Freiwilligenzentrum", "Freiwilligen-Zentrum"],
    ["Selbsthilfebüro"],
    ["Ehrenamtskoordination"],
    ["Stadtteilbüro"],
    ["Frauenberatung"],
    ["Psychosoziales Zentrum für Geflüchtete"],
    ["Beratungsstelle für Menschen mit Behinderung"],
    ["Mehrgenerationenhaus", "MGH"],
    ["Sozialpädiatrisches Zentrum", "SPZ"],
    ["Jugendhilfe"],
    ["Kita-Fachberatung"],
    ["Bahnhofsmission"],
    ["Tafel"],
    ["Kleiderkammer"],
    ["Hausaufgabenhilfe"],
    ["Ambulante Pflege"],
]
# Names of local associations: (ways of writing the name).
ASSOCIATIONS = [
    ["Frauen helfen Frauen"],
    ["Frauenhaus"],
    ["Wildwasser"],
    ["Pro Familia"],
    ["Netzwerk Frühe Hilfen"],
    ["Freundeskreis Asyl", "Freundeskreis-Asyl"],
    ["Helferkreis Flüchtlinge", "Helferkreis für Flüchtlinge"],
    ["Türkisch-Islamische Gemeinde", "Türkisch Islamische Gemeinde"],
    ["Deutsch-Türkischer Freundschaftsverein"],
    ["Afrikanischer Kulturverein"],
    ["Verein für Integration und Bildung"],
    ["Förderverein Willkommenskultur"],
    ["Initiative Ankommen"],
    ["Mieterverein"],
    ["Seniorenrat", "Senioren-Rat"],
    ["Ausländerbeirat", "Integrationsbeirat"],
    ["Interkultureller Garten"],
    ["Sportverein Eintracht"],
    ["Bürgerstiftung"],
    ["Sozialkritischer Arbeitskreis"],
    ["Koordinierungskreis Asyl"],
    ["Patenmodell", "Paten-Modell"],
    ["Mäander"],
    ["Weiterleben"],
]
AUTHORITIES = [
    ["Ausländerbehörde"],
    ["Jugendamt"],
    ["Sozialamt"],
    ["Gesundheitsamt"],
    ["Agentur für Arbeit", "Arbeitsamt"],
    ["Jobcenter"],
    ["Büro für Integration"],
    ["Fachdienst Zuwanderung und Flüchtlinge"],
    ["Pflegestützpunkt", "Pflege-Stützpunkt"],
    ["Studierendenwerk", "Studentenwerk"],
]
COUNTY = {"Landkreis": ["Landkreis", "Kreis", "LK"], "Stadt": ["Stadt"]}
SEPARATORS = [" - ", " – ", ", ", " "]
TOWNS = [place.replace("Bad-", "Bad ") for place in PLACES if not place.endswith(("kreis", ")"))]


def typo(rng, text):
    """One slip of the keyboard in a word of six letters or more that is not a place."""
    words = text.split(" ")
    places = {fold(town) for town in TOWNS}
    choices = [i for i, word in enumerate(words) if len(word) >= 6 and fold(word) not in places and word.isalpha()]
    if not choices:
        return text
    index = rng.choice(choices)
    word = words[index]
    position = rng.randrange(1, len(word) - 1)
    operation = rng.randrange(4)
    if operation == 0:
        word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    elif operation == 1:
        word = word[:position] + word[position + 1 :]
    elif operation == 2:
        word = word[:position] + word[position] + word[position:]
    else:
        word = word[:position] + rng.choice("aeinrst") + word[position + 1 :]
    words[index] = word
    return " ".join(words)


def transliterate(text):
    return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("Ü", "Ue").replace("ß", "ss")


class Entity:
    """One real organisation; ``render`` writes one of its names."""

    def __init__(self, kind, forms, place, level, service=None, legal=""):
        self.kind, self.forms, self.place, self.level = kind, forms, place, level
        self.service, self.legal = service, legal

    def signature(self):
        return (self.kind, self.forms[0], self.place, self.level, self.service[0] if self.service else "")

    def render(self, rng, canonical=True, drop_place=False):
        form = self.forms[0] if canonical else rng.choice(self.forms)
        place = "" if drop_place else self.place
        if self.level and place:
            place = f"{self.level if canonical else rng.choice(COUNTY[self.level])} {place}"
        legal = self.legal
        if not canonical and legal and rng.random() < 0.4:
            legal = rng.choice(["", "e. V.", "eV", "e.V"])
        if self.kind == "provider":
            text = " ".join(part for part in [form, place, legal] if part)
            if self.service:
                service = self.service[0] if canonical else rng.choice(self.service)
                text += (SEPARATORS[0] if canonical else rng.choice(SEPARATORS)) + service
        elif self.kind == "association":
            text = " ".join(part for part in [form, place, legal] if part)
        elif not canonical and place and self.level and rng.random() < 0.3:
            genitive = "des Landkreises" if self.level == "Landkreis" else "der Stadt"
            text = f"{form} {genitive} {self.place}"
        else:
            text = " ".join(part for part in [form, place] if part)
        return text

    def variant(self, rng, may_drop_place):
        text = self.render(rng, canonical=False, drop_place=may_drop_place and rng.random() < 0.3)
        for _ in range(rng.randint(1, 2)):
            operation = rng.random()
            if operation < 0.3:
                text = typo(rng, text)
            elif operation < 0.45:
                text = transliterate(text)
            elif operation < 0.55:
                text = text.upper() if rng.random() < 0.3 else text.lower()
            elif operation < 0.65:
                text = text.replace("-", " ") if rng.random() < 0.5 else text.replace(" e.V.", ", e.V.")
        return text


def generate(count, seed):
    """``count`` names: [(name, cluster id)]; names of one cluster denote one organisation."""
    rng = random.Random(seed)
    entities, seen = [], set()
    base_count = {}
    while len(entities) < int(count * 0.78):
        roll = rng.random()
        place = rng.choice(TOWNS)
        if roll < 0.62:
            forms, legal = rng.choice(PROVIDERS)
            service = rng.choice(SERVICES) if rng.random() < 0.85 else None
            entity = Entity("provider", forms, place, "", service, legal)
        elif roll < 0.85:
            entity = Entity(
                "association", rng.choice(ASSOCIATIONS), place, "", None, "e.V." if rng.random() < 0.7 else ""
            )
        else:
            level = rng.choice(["Landkreis", "Stadt"])
            entity = Entity("authority", rng.choice(AUTHORITIES), place, level)
        if entity.signature() in seen:
            continue
        seen.add(entity.signature())
        entities.append(entity)
        base = entity.signature()[:2] + entity.signature()[3:]
        base_count[base] = base_count.get(base, 0) + 1
    names = [(entity.render(rng), index) for index, entity in enumerate(entities)]
    while len(names) < count:
        index = rng.randrange(len(entities))
        entity = entities[index]
        base = entity.signature()[:2] + entity.signature()[3:]
        names.append((entity.variant(rng, may_drop_place=base_count[base] == 1), index))
    rng.shuffle(names)
    return names


def true_pairs(names):
    clusters = {}
    for position, (_name, cluster) in enumerate(names):
        clusters.setdefault(cluster, []).append(position)
    return {pair for members in clusters.values() for pair in combinations(members, 2)}


def evaluate(predicted, truth):
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


def cpu_seconds():
    """CPU time of this process and of its finished workers."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_matcher(names, workers=2):
    entries = [Candidate(position, [name]) for position, (name, _cluster) in enumerate(names)]
    started, cpu = time.perf_counter(), cpu_seconds()
    pairs = find_pairs(entries, workers=workers)
    seconds = time.perf_counter() - started
    print(f"  ({seconds:.1f} s wall clock, {cpu_seconds() - cpu:.1f} s CPU in all processes)")
    predicted = {(min(p.first, p.second), max(p.first, p.second)) for p in pairs if p.verdict.kind == DUPLICATE}
    return predicted, seconds


def run_brute_force(names, cutoff):
    folded = [fold(name) for name, _cluster in names]
    started = time.perf_counter()
    predicted = set()
    for index, query in enumerate(folded[:-1]):
        for _choice, _score, offset in process.extract(
            query, folded[index + 1 :], scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=None
        ):
            predicted.add((index, index + 1 + offset))
    return predicted, time.perf_counter() - started


def subset(names, size, seed):
    """Whole clusters drawn at random until ``size`` names are reached."""
    rng = random.Random(seed + 1)
    clusters = {}
    for name, cluster in names:
        clusters.setdefault(cluster, []).append((name, cluster))
    keys = sorted(clusters)
    rng.shuffle(keys)
    chosen = []
    for key in keys:
        if len(chosen) >= size:
            break
        chosen.extend(clusters[key])
    return chosen[:size]


REAL_PAIRS = Path(__file__).resolve().parent / "data" / "real_name_pairs.tsv"


def real_pairs(path=REAL_PAIRS):
    """[(label, split, left, right)] of the labelled real names."""
    rows = []
    for line_text in path.read_text(encoding="utf-8").splitlines():
        if not line_text.strip() or line_text.startswith("#") or line_text.startswith("label\t"):
            continue
        label, split, left, right = line_text.split("\t")
        rows.append((label, split, left, right))
    return rows


def evaluate_real(rows):
    """{"duplicates": (precision, recall), "proposals": (precision, recall), "misses": [...]} of the
    labelled pairs, all names matched together with the pre-filter on."""
    names = sorted({name for _label, _split, left, right in rows for name in (left, right)})
    position = {name: index for index, name in enumerate(names)}
    found = {
        frozenset((pair.first, pair.second)): pair.verdict.kind
        for pair in find_pairs([Candidate(index, [name]) for index, name in enumerate(names)], prefilter=True)
    }
    counts = {"dup": [0, 0, 0], "any": [0, 0, 0]}  # true positives, false positives, false negatives
    misses = []
    for label, _split, left, right in rows:
        kind = found.get(frozenset((position[left], position[right])))
        for key, truth, said in (
            ("dup", label == "duplicate", kind == DUPLICATE),
            ("any", label != "distinct", kind is not None),
        ):
            if said and truth:
                counts[key][0] += 1
            elif said:
                counts[key][1] += 1
            elif truth:
                counts[key][2] += 1
        if (label == "duplicate") != (kind == DUPLICATE) or (label != "distinct") != (kind is not None):
            misses.append((label, kind or "-", left, right))

    def ratios(tp, fp, fn):
        return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)

    return {"duplicates": ratios(*counts["dup"]), "proposals": ratios(*counts["any"]), "misses": misses}


def report_real():
    rows = real_pairs()
    print(f"real names: {len(rows)} labelled pairs ({sum(1 for row in rows if row[1] == 'holdout')} held out)")
    results = {}
    for split in ("tune", "holdout"):
        part = [row for row in rows if row[1] == split]
        result = results[split] = evaluate_real(part)
        labels = {label: sum(1 for row in part if row[0] == label) for label in ("duplicate", "unit", "distinct")}
        counts = ", ".join(f"{count} {label}" for label, count in labels.items())
        print(f"  {split:<8} {len(part)} pairs ({counts})")
        for measure in ("duplicates", "proposals"):
            precision, recall = result[measure]
            print(f"    {measure:<11} precision {precision:.3f}  recall {recall:.3f}")
        for label, kind, left, right in result["misses"]:
            print(f"    missed: {label} as {kind}: {left} | {right}")
    return all(results[split]["duplicates"][0] >= 0.95 and results[split]["duplicates"][1] >= 0.90 for split in results)


def line(label, precision, recall, seconds, pairs):
    print(f"{label:<34} precision {precision:.3f}  recall {recall:.3f}  {seconds:7.2f} s  {pairs:>7} pairs proposed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=120_000)
    parser.add_argument("--subset", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--cutoff", type=float, default=90, help="token_sort_ratio cut-off of the brute force")
    args = parser.parse_args()

    real_ok = report_real()
    names = generate(args.names, args.seed)
    truth = true_pairs(names)
    print(f"{len(names)} names, {len({c for _n, c in names})} organisations, {len(truth)} duplicate pairs")
    print("examples:", *[name for name, _c in names[:8]], sep="\n  ")

    predicted, seconds = run_matcher(names)
    precision, recall = evaluate(predicted, truth)
    line(f"matcher on {len(names)}", precision, recall, seconds, len(predicted))
    rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"peak memory (largest resident set of one process) {rss / 1024:.0f} MiB")
    ok = precision >= 0.95 and recall >= 0.90 and seconds < 60

    small = subset(names, args.subset, args.seed)
    small_truth = true_pairs(small)
    small_predicted, small_seconds = run_matcher(small)
    line(f"matcher on {len(small)}", *evaluate(small_predicted, small_truth), small_seconds, len(small_predicted))
    brute_predicted, brute_seconds = run_brute_force(small, args.cutoff)
    line(
        f"brute force rapidfuzz on {len(small)}",
        *evaluate(brute_predicted, small_truth),
        brute_seconds,
        len(brute_predicted),
    )
    print(f"brute force / matcher time on {len(small)}: {brute_seconds / small_seconds:.1f}×")
    print("targets on real names (precision >= 0.95, recall >= 0.90):", "met" if real_ok else "NOT met")
    print("targets on generated names (precision >= 0.95, recall >= 0.90, < 60 s):", "met" if ok else "NOT met")
    return 0 if ok and real_ok else 1


if __name__ == "__main__":
    sys.exit(main())
