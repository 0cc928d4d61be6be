"""Anonymous surveys: nothing in the database links an answer to a person, a link or a precise time."""

import datetime

import pytest
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from needs.links import hash_token, open_draft
from needs.models import Answer, HeldResponse, Response, ResponseNetwork, SurveyInvitation
from needs.release import RELEASE_BATCH, release
from register.models import ChangeRecord, Person
from tests.needs.needs_builders import add_people, invite, make_organisation, make_survey, open_link

pytestmark = pytest.mark.django_db


def answer(client, token, survey, action="submit", text="Mehr Sprachkurse in Dieburg"):
    single, number, free = survey.questions.order_by("position")
    data = {
        f"q{single.pk}": str(single.choices.first().pk),
        f"q{number.pk}": "3",
        f"q{free.pk}": text,
        "action": action,
    }
    return client.post(open_link(client, token), data)


def raw_rows(model):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 – table names from the models
        return [tuple(str(value) for value in row) for row in cursor.fetchall()]


def test_anonymous_answers_cannot_be_linked_to_person_link_or_time(client, network):
    organisation = make_organisation("Caritas Test")
    people = add_people(network, 6, organisation=organisation)
    survey = make_survey([network], anonymous=True, kinds=("single", "number", "text"))
    tokens = invite(survey)
    for person in people:
        response = answer(client, tokens[person.pk], survey, text=f"Antwort von {person.family_name}")
        assert response.status_code == 302

    # Five are released together, in random order; the sixth waits, sealed, until the survey closes.
    assert RELEASE_BATCH == 5 and Response.objects.count() == 5
    [held] = HeldResponse.objects.all()
    assert "Antwort" not in held.sealed and people[-1].family_name not in held.sealed
    release(survey, final=True)
    assert Response.objects.count() == 6 and not HeldResponse.objects.exists()
    assert SurveyInvitation.objects.filter(answered=True).count() == 6
    # No column of a response, its networks or its answers points to an invitation, a person or holds a time.
    for model in (Response, ResponseNetwork, Answer):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), (model, field.name)
            if field.is_relation:
                assert field.related_model is not Person, (model, field.name)
        assert isinstance(model._meta.pk, models.UUIDField), model
    assert not Response.objects.filter(invitation__isnull=False).exists()
    # The date kept is only the Monday of the week.
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    assert set(Response.objects.values_list("submitted_on", flat=True)) == {monday}
    # No token, token hash, invitation key or invitation id appears anywhere in the stored answers.
    secrets = set()
    for invitation in SurveyInvitation.objects.all():
        secrets |= {hash_token(tokens[invitation.person_id]), tokens[invitation.person_id], invitation.key}
    stored = [value for model in (Response, ResponseNetwork, Answer) for row in raw_rows(model) for value in row]
    assert not secrets & set(stored)
    invitation_columns = [field.column for field in Response._meta.concrete_fields if field.name == "invitation"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {invitation_columns[0]} FROM needs_response")  # noqa: S608
        assert {row[0] for row in cursor.fetchall()} == {None}
    # Invitations keep no time of answering, no draft, and the register's history knows nothing of either.
    for field in SurveyInvitation._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField), field.name
    assert set(SurveyInvitation.objects.values_list("draft", flat=True)) == {""}
    assert not ChangeRecord.objects.filter(content_type__app_label="needs").exists()
    # The free texts are all there, but none of them is tied to its author.
    texts = set(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert texts == {f"Antwort von {person.family_name}" for person in people}


def test_keys_of_responses_do_not_follow_the_order_of_arrival(client, network):
    people = add_people(network, 8)
    survey = make_survey([network], kinds=("single", "number", "text"))
    tokens = invite(survey)
    for index, person in enumerate(people):
        answer(client, tokens[person.pk], survey, text=f"{index:02d}")
    release(survey, final=True)
    by_key = [Answer.objects.get(response=response, text__gt="").text for response in Response.objects.order_by("pk")]
    # Random UUIDs: with eight responses, sorted keys reproduce the order of arrival with probability 1/40320.
    assert by_key != sorted(by_key)


def test_personal_survey_keeps_the_invitation_with_the_response(client, network):
    organisation = make_organisation("Diakonie Test", category="welfare")
    [person] = add_people(network, 1, organisation=organisation)
    survey = make_survey([network], anonymous=False, kinds=("single", "number", "text"))
    tokens = invite(survey)
    answer(client, tokens[person.pk], survey)
    response = Response.objects.get()
    assert response.invitation.person == person
    assert response.organisation == organisation
    assert response.category == "welfare"
    assert list(response.networks.all()) == [network]


def test_draft_is_sealed_restored_and_deleted_on_submit(client, network):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single", "number", "text"))
    token = invite(survey)[person.pk]
    url = open_link(client, token)
    single, number, free = survey.questions.order_by("position")
    client.post(url, {f"q{free.pk}": "Halb fertig: Dolmetscher", "action": "save"})
    invitation = SurveyInvitation.objects.get()
    assert invitation.draft and "Dolmetscher" not in invitation.draft
    assert open_draft(token, invitation.draft) == {f"q{free.pk}": ["Halb fertig: Dolmetscher"]}
    assert open_draft("another-token", invitation.draft) == {}
    assert not Response.objects.exists()
    page = client.get(url)
    assert "Halb fertig: Dolmetscher" in page.content.decode()
    # Required fields are not checked on saving: nothing is marked wrong on the way back.
    assert 'aria-invalid="true"' not in page.content.decode()
    answer(client, token, survey)
    invitation.refresh_from_db()
    assert invitation.answered and invitation.draft == ""


def test_link_is_single_use(client, network):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single", "number", "text"))
    token = invite(survey)[person.pk]
    answer(client, token, survey)
    answer(client, token, survey)
    assert Response.objects.count() + HeldResponse.objects.count() == 1
    page = client.get(open_link(client, token))
    assert page.status_code == 200
    assert "<form" not in page.content.decode().split("<main", 1)[1]


def test_unknown_link_and_closed_survey(client, network):
    [person] = add_people(network, 1)
    today = timezone.localdate()
    survey = make_survey(
        [network],
        kinds=("single", "number", "text"),
        opens=today - datetime.timedelta(days=20),
        closes=today - datetime.timedelta(days=1),
    )
    token = invite(survey)[person.pk]
    assert client.get(reverse("needs:respond", args=["nonsense"])).status_code == 404
    assert client.get(open_link(client, token)).status_code == 410
    answer(client, token, survey)
    assert not Response.objects.exists()


def test_failed_submit_writes_nothing_and_names_the_problem(client, network):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single", "number", "text"))
    survey.questions.filter(kind="single").update(required=True)
    token = invite(survey)[person.pk]
    number = survey.questions.get(kind="number")
    response = client.post(open_link(client, token), {f"q{number.pk}": "drei", "action": "submit"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert f'id="id_q{number.pk}_error"' in body
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not SurveyInvitation.objects.get().answered


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions (xmin) exist only in PostgreSQL")
def test_row_versions_do_not_tie_a_response_to_its_invitation(client, network):
    people = add_people(network, 6)
    survey = make_survey([network], kinds=("single", "number", "text"))
    tokens = invite(survey)
    for person in people:
        answer(client, tokens[person.pk], survey)
    release(survey, final=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM needs_response")
        responses = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT xmin::text FROM needs_surveyinvitation")
        invitations = [row[0] for row in cursor.fetchall()]
    assert len(responses) == 6
    for version in responses:
        matching = invitations.count(version)
        assert matching in (0, len(invitations))
