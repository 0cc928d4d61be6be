"""The 1,000-residents rule (§ 84 HGO): a municipality with more than 1,000 foreign residents elects
a foreign residents' council. Read from the municipal statistics, latest figures against the ones before."""

from dataclasses import dataclass

from django.utils import timezone

from .models import Body, DelegatingCouncil, Municipality, MunicipalityStatistic

# "mehr als 1.000": 1,000 itself is not above the line.
FOREIGN_RESIDENTS_THRESHOLD = 1000


@dataclass
class ThresholdRow:
    municipality: Municipality
    latest: MunicipalityStatistic | None
    previous: MunicipalityStatistic | None
    council: DelegatingCouncil | None

    @property
    def above(self):
        return self.latest is not None and self.latest.foreign_residents > FOREIGN_RESIDENTS_THRESHOLD

    @property
    def was_above(self):
        return self.previous is not None and self.previous.foreign_residents > FOREIGN_RESIDENTS_THRESHOLD

    @property
    def crossed(self):
        """ "up" or "down" when the line was crossed between the previous and the latest figures."""
        if self.latest is None or self.previous is None or self.above == self.was_above:
            return None
        return "up" if self.above else "down"

    @property
    def needs_council(self):
        return self.above and self.council is None

    @property
    def share(self):
        if not self.latest or not self.latest.population:
            return None
        return 100 * self.latest.foreign_residents / self.latest.population


def threshold_rows(county=None, on=None):
    """One row per municipality of the county, in name order, in four queries."""
    on = on or timezone.localdate()
    county_pk = county.pk if county else Body.home_pk()
    municipalities = list(Municipality.objects.filter(county_id=county_pk).order_by("name"))
    figures = {}
    for statistic in MunicipalityStatistic.objects.filter(municipality__county_id=county_pk).order_by(
        "municipality_id", "-date"
    ):
        figures.setdefault(statistic.municipality_id, []).append(statistic)
    councils = {}
    for council in DelegatingCouncil.objects.active(on).select_related("organisation"):
        councils.setdefault(council.organisation.municipality_id, council)
    rows = []
    for municipality in municipalities:
        found = figures.get(municipality.pk, [])
        rows.append(
            ThresholdRow(
                municipality,
                found[0] if found else None,
                found[1] if len(found) > 1 else None,
                councils.get(municipality.pk),
            )
        )
    return rows


def picture(rows):
    """What the office must act on: who is above the line, and who is above it without a council."""
    return {
        "above": sorted(row.municipality.name for row in rows if row.above),
        "without_council": sorted(row.municipality.name for row in rows if row.needs_council),
        "crossed": sorted((row.municipality.name, row.crossed) for row in rows if row.crossed),
    }
