"""The register's table columns write what the templates would."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from register.tables import date_column, datetime_column

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")


@pytest.mark.parametrize("language", ["de", "en"])
def test_date_columns_write_what_the_date_filter_writes(language):
    """In the local time zone and the format of the language, as ``{{ value|date:format }}`` (late in the evening
    UTC is the next day in Germany)."""
    moment = datetime.datetime(2026, 3, 14, 23, 30, tzinfo=datetime.UTC)
    day = datetime.date(2026, 3, 14)
    with translation.override(language), timezone.override("Europe/Berlin"):
        for column, value, format in [
            (datetime_column("Date"), moment, "SHORT_DATETIME_FORMAT"),
            (date_column("Day"), moment, "SHORT_DATE_FORMAT"),
            (date_column("Day"), day, "SHORT_DATE_FORMAT"),
        ]:
            expected = Template(f'{{{{ value|date:"{format}" }}}}').render(Context({"value": value}))
            assert column.render(value) == expected
    with translation.override("de"), timezone.override("Europe/Berlin"):
        assert datetime_column("Date").render(moment) == "15.03.2026 00:30"
