"""Migration 0018: the German choice values of networks and councils become English, in rows and history."""

import pytest

from tests.register.conftest import migrate

BEFORE = [
    ("register", "0017_network_organisation_and_history_notes"),
    ("contenttypes", "0002_remove_content_type_name"),
]
AFTER = [("register", "0018_english_choice_values")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_german_values_become_english_and_come_back():
    apps = migrate(BEFORE)
    Network = apps.get_model("register", "Network")
    Organisation = apps.get_model("register", "Organisation")
    DelegatingCouncil = apps.get_model("register", "DelegatingCouncil")
    ChangeRecord = apps.get_model("register", "ChangeRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    council = Network.objects.create(name="KAB", slug="kab", classification="beirat", organization_type="Gremium")
    Network.objects.create(name="AK", slug="ak", classification="arbeitskreis", organization_type="Sonstiges")
    town = Organisation.objects.create(name="Ausländerbeirat Dieburg", slug="abr-dieburg")
    DelegatingCouncil.objects.create(network=council, organisation=town, kind="auslaenderbeirat")
    network_type = ContentType.objects.get_or_create(app_label="register", model="network")[0]
    change = ChangeRecord.objects.create(
        content_type=network_type,
        object_id=council.pk,
        object_repr="KAB",
        action="update",
        changes={"classification": ["sonstiges", "beirat"], "topics": [None, ["Migration"]]},
    )

    apps = migrate(AFTER)
    Network = apps.get_model("register", "Network")
    assert dict(Network.objects.values_list("slug", "classification")) == {"kab": "council", "ak": "working_group"}
    assert dict(Network.objects.values_list("slug", "organization_type")) == {"kab": "committee", "ak": "other"}
    assert apps.get_model("register", "DelegatingCouncil").objects.get().kind == "foreign_residents_council"
    changes = apps.get_model("register", "ChangeRecord").objects.get(pk=change.pk).changes
    assert changes == {"classification": ["other", "council"], "topics": [None, ["Migration"]]}

    apps = migrate(BEFORE)
    Network = apps.get_model("register", "Network")
    assert dict(Network.objects.values_list("slug", "classification")) == {"kab": "beirat", "ak": "arbeitskreis"}
    assert apps.get_model("register", "DelegatingCouncil").objects.get().kind == "auslaenderbeirat"
    assert apps.get_model("register", "ChangeRecord").objects.get(pk=change.pk).changes["classification"] == [
        "sonstiges",
        "beirat",
    ]
