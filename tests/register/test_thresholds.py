"""The 1,000-residents rule on four municipalities and two sets of figures, computed by hand.

                 31.12.2023        31.12.2024        council   expected
Dieburg          1,400 / 9,000     1,380 / 9,100     yes       above both times
Babenhausen        980 / 7,000     1,015 / 7,100     no        crosses up, needs a council
Bickenbach       1,000 / 5,000     1,000 / 5,050     no        exactly 1,000 is not "more than": below
Alsbach-Hähnlein 1,050 / 6,000       990 / 6,010     yes       crosses down
"""

import datetime

import pytest

from register.models import MunicipalityStatistic
from register.thresholds import picture, threshold_rows
from tests.register.kab_builders import make_council, make_kab

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]

FIGURES = {
    "Dieburg": [(1400, 9000), (1380, 9100)],
    "Babenhausen": [(980, 7000), (1015, 7100)],
    "Bickenbach": [(1000, 5000), (1000, 5050)],
    "Alsbach-Hähnlein": [(1050, 6000), (990, 6010)],
}
DATES = [datetime.date(2023, 12, 31), datetime.date(2024, 12, 31)]


def load(sets):
    from register.models import Municipality

    for name, figures in FIGURES.items():
        municipality = Municipality.objects.get(name=name)
        for date, (foreign, population) in list(zip(DATES, figures, strict=True))[:sets]:
            MunicipalityStatistic.objects.create(
                municipality=municipality, date=date, population=population, foreign_residents=foreign, source="HSL"
            )


def rows_by_name():
    return {row.municipality.name: row for row in threshold_rows() if row.municipality.name in FIGURES}


def test_first_set_of_figures():
    kab = make_kab()
    make_council(kab, "Dieburg")
    make_council(kab, "Alsbach-Hähnlein")
    load(1)
    rows = rows_by_name()
    assert {name: row.above for name, row in rows.items()} == {
        "Dieburg": True,
        "Babenhausen": False,
        "Bickenbach": False,
        "Alsbach-Hähnlein": True,
    }
    assert {name: row.crossed for name, row in rows.items()} == dict.fromkeys(FIGURES)
    assert picture(threshold_rows()) == {"above": ["Alsbach-Hähnlein", "Dieburg"], "without_council": [], "crossed": []}


def test_second_set_of_figures_crosses_the_line_both_ways(django_assert_max_num_queries):
    kab = make_kab()
    make_council(kab, "Dieburg")
    make_council(kab, "Alsbach-Hähnlein")
    load(2)
    with django_assert_max_num_queries(4):
        rows = rows_by_name()
    assert {name: (row.above, row.was_above, row.crossed, row.needs_council) for name, row in rows.items()} == {
        "Dieburg": (True, True, None, False),
        "Babenhausen": (True, False, "up", True),
        "Bickenbach": (False, False, None, False),
        "Alsbach-Hähnlein": (False, True, "down", False),
    }
    assert rows["Babenhausen"].latest.date == DATES[1] and rows["Babenhausen"].previous.date == DATES[0]
    assert round(rows["Babenhausen"].share, 2) == 14.30  # 1,015 of 7,100
    assert picture(threshold_rows()) == {
        "above": ["Babenhausen", "Dieburg"],
        "without_council": ["Babenhausen"],
        "crossed": [("Alsbach-Hähnlein", "down"), ("Babenhausen", "up")],
    }


def test_a_dissolved_council_no_longer_counts():
    kab = make_kab()
    make_council(kab, "Dieburg", dissolved_on=datetime.date(2020, 1, 1))
    load(2)
    assert rows_by_name()["Dieburg"].needs_council
