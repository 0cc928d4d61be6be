"""Terms of office and memberships with dates validate against the OParl 1.1 schemas (issue 22)."""

import datetime
import json
from pathlib import Path

import jsonschema
import pytest

from register.models import Membership
from tests.register.kab_builders import delegate, make_council, make_kab, make_term

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]
SCHEMAS = Path(__file__).parent / "schemas"


def validator(name):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def test_terms_and_dated_memberships_validate(client):
    kab = make_kab()
    term = make_term(kab, datetime.date(2021, 4, 1), datetime.date(2026, 3, 31), election=datetime.date(2021, 3, 14))
    council = make_council(kab, "Dieburg")
    member = delegate(
        kab, term, council, public=True, start_date=datetime.date(2021, 4, 1), end_date=datetime.date(2026, 3, 31)
    )
    deputy = delegate(
        kab,
        term,
        council,
        role=Membership.Role.DEPUTY,
        deputy_of=member,
        public=True,
        start_date=datetime.date(2022, 1, 1),
    )

    data = client.get(f"/oparl/v1.1/legislative-term/{term.pk}").json()
    validator("LegislativeTerm").validate(data)
    assert (data["name"], data["startDate"], data["endDate"]) == (term.name, "2021-04-01", "2026-03-31")
    assert data["vernetzt:electionDate"] == "2021-03-14"
    assert data["vernetzt:organization"].endswith(f"/organization/network-{kab.pk}")

    for membership, end in ((member, "2026-03-31"), (deputy, None)):
        data = client.get(f"/oparl/v1.1/membership/{membership.pk}").json()
        validator("Membership").validate(data)
        assert data["startDate"] == membership.start_date.isoformat() and data.get("endDate") == end
        assert data["vernetzt:legislativeTerm"].endswith(f"/legislative-term/{term.pk}")
        assert data["onBehalfOf"].endswith(f"/organization/institution-{council.organisation_id}")
    term_url = client.get(f"/oparl/v1.1/legislative-term/{term.pk}").json()["id"]
    listed = client.get(f"/oparl/v1.1/body/{term.body_id}/legislative-terms").json()["data"]
    assert [item["id"] for item in listed] == [term_url]
