"""Issue 15, findings 3 and 12: personal tokens stay out of the addresses that reach access logs, the
stored order of anonymous answers says nothing about the order of arrival, and drafts, held answers and
links are sealed with the ``cryptography`` package under keys that survive a rotation of the secret."""

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from needs import links
from needs.mailing import link_for
from needs.models import Answer, HeldResponse, Response, SurveyInvitation
from tests.needs.needs_builders import add_people, invite, make_survey, open_link

pytestmark = pytest.mark.django_db


def answers_for(survey, text):
    single, number, free = survey.questions.order_by("position")
    return {
        f"q{single.pk}": str(single.choices.first().pk),
        f"q{number.pk}": "3",
        f"q{free.pk}": text,
        "action": "submit",
    }


def in_storage_order(table, column):
    """The column's values in the order the rows lie in the table (SQLite's rowid, PostgreSQL's ctid)."""
    place = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY {place}")  # noqa: S608 - names from the code
        return [row[0] for row in cursor.fetchall()]


def test_the_token_leaves_the_address_before_anything_is_sent(client, network):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single", "number", "text"))
    token = invite(survey)[person.pk]
    token_url = reverse("needs:respond", args=[token])

    opened = client.get(token_url)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("needs:answer", args=[survey.pk])
    page = client.get(opened["Location"])
    assert page.status_code == 200 and token not in page.content.decode()
    # Sending to the token's address stores nothing: answers go only to the address without it.
    client.post(token_url, answers_for(survey, "an die alte Adresse"))
    assert not SurveyInvitation.objects.filter(answered=True).exists()
    client.post(opened["Location"], answers_for(survey, "ohne Token"))
    assert SurveyInvitation.objects.get().answered
    # The token is gone from the session; the page still thanks the respondent.
    assert token not in str(dict(client.session))
    assert "Vielen Dank" in client.get(opened["Location"]).content.decode()


def test_without_the_link_in_the_session_the_page_asks_for_it(client, network):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single", "number", "text"))
    invite(survey)
    page = client.get(reverse("needs:answer", args=[survey.pk]))
    assert page.status_code == 403
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    client.post(reverse("needs:answer", args=[survey.pk]), answers_for(survey, "x"))
    assert not HeldResponse.objects.exists() and not Response.objects.exists()


def test_answers_lie_in_the_order_of_the_shuffle_not_of_arrival(client, network, monkeypatch):
    people = add_people(network, 5)
    survey = make_survey([network], kinds=("single", "number", "text"))
    tokens = invite(survey)
    monkeypatch.setattr("needs.release.shuffle", lambda items: items.reverse())
    arrival = [f"Antwort {index}" for index in range(5)]
    for person, text in zip(people, arrival, strict=True):
        client.post(open_link(client, tokens[person.pk]), answers_for(survey, text))
    stored = [text for text in in_storage_order(Answer._meta.db_table, "text") if text]
    assert stored == arrival[::-1]
    # The held rows were deleted on release; none of them kept the text readable while held.
    assert not HeldResponse.objects.exists()


def test_held_answers_are_sealed_and_shuffled_again_when_the_survey_closes(client, network, monkeypatch):
    people = add_people(network, 7)
    survey = make_survey([network], kinds=("single", "number", "text"))
    tokens = invite(survey)
    for index, person in enumerate(people):
        client.post(open_link(client, tokens[person.pk]), answers_for(survey, f"Antwort {index}"))
    assert Response.objects.count() == 5 and HeldResponse.objects.count() == 2
    assert all("Antwort" not in held.sealed for held in HeldResponse.objects.all())
    monkeypatch.setattr("needs.release.shuffle", lambda items: items.sort(key=lambda r: r["answers"][-1]["text"]))
    survey.closes_on = survey.opens_on
    survey.save()
    client.force_login(_office())
    assert client.get(reverse("needs:results", args=[survey.pk])).status_code == 200
    stored = [text for text in in_storage_order(Answer._meta.db_table, "text") if text]
    assert stored == [f"Antwort {index}" for index in range(7)]
    survey.refresh_from_db()
    assert survey.shuffled and not HeldResponse.objects.exists()


def _office():
    from django.contrib.auth.models import User

    return User.objects.create_superuser("office-links", "office-links@example.org", "x")


def test_links_drafts_and_held_answers_survive_a_rotation_of_the_secret(network, settings):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single",))
    invite(survey)
    invitation = SurveyInvitation.objects.get()
    old_link = link_for(invitation)
    token = old_link.rstrip("/").rsplit("/", 1)[-1]
    draft = links.seal_draft(token, {"q1": ["Ja"]})
    held = links.seal({"answers": []}, "held-response", str(survey.pk))
    old_secret = settings.SECRET_KEY

    with override_settings(SECRET_KEY="a-new-secret-" + "x" * 50, SECRET_KEY_FALLBACKS=[old_secret]):
        # The reminder repeats the link people have; drafts and held answers still open.
        assert link_for(invitation) == old_link
        assert links.open_draft(token, draft) == {"q1": ["Ja"]}
        assert links.unseal(held, "held-response", str(survey.pk)) == {"answers": []}
        # New values are sealed under the new secret.
        assert links.open_draft(token, links.seal_draft(token, {"a": 1})) == {"a": 1}
    with override_settings(SECRET_KEY="a-new-secret-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
        assert links.open_draft(token, draft) == {}
        assert links.unseal(held, "held-response", str(survey.pk)) is None


def test_sealed_values_are_aes_gcm_without_a_time_stamp(network):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    sealed = links.seal_draft("token", {"q1": ["Ja"]})
    raw = __import__("base64").b64decode(sealed)
    # 12 bytes nonce, the JSON, 16 bytes tag: nothing else (Fernet would add a version byte and a time).
    assert len(raw) == 12 + len(b'{"q1": ["Ja"]}') + 16
    assert isinstance(links._aead("s", "draft", "token"), AESGCM)
    assert links.open_draft("another-token", sealed) == {}
    assert links.open_draft("token", sealed[:-4] + "AAAA") == {}


def test_the_scheduled_command_releases_closed_surveys_once(client, network):
    from django.core.management import call_command

    people = add_people(network, 2)
    survey = make_survey([network], kinds=("single", "number", "text"))
    tokens = invite(survey)
    for index, person in enumerate(people):
        client.post(open_link(client, tokens[person.pk]), answers_for(survey, f"Antwort {index}"))
    assert HeldResponse.objects.count() == 2
    call_command("release_survey_answers")
    assert HeldResponse.objects.count() == 2  # still open: nothing is released early
    survey.closes_on = survey.opens_on
    survey.save()
    call_command("release_survey_answers")
    assert Response.objects.count() == 2 and not HeldResponse.objects.exists()
    survey.refresh_from_db()
    assert survey.shuffled
    from needs.release import release_closed

    assert release_closed() == {}
