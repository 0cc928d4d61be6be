"""Cooperation answers for the analysis tests, written as the needs app stores them.

The survey comes from ``tests/needs/needs_builders.py``; a response names the organisation it answers
for, and each answer of its cooperation question one partner with topic and frequency.
"""

from types import SimpleNamespace

from django.utils import timezone

from needs.models import Answer, Response
from register.models import Membership, Topic
from tests.needs.needs_builders import make_network, make_organisation, make_survey


def report(survey, reporter, partner, frequency, topic=None):
    """One response of ``reporter`` that names ``partner`` in the survey's cooperation question."""
    response = Response.objects.create(
        survey=survey, submitted_on=Response.week_of(timezone.localdate()), organisation=reporter
    )
    Answer.objects.create(
        response=response, question=survey.questions.get(), organisation=partner, topic=topic, frequency=frequency
    )


def small_register():
    """Two networks, five organisations, four answers (see ``tests/analysis/test_cooperation.py``)."""
    eins, zwei = make_network("Arbeitskreis Eins"), make_network("Forum Zwei")
    alpha, beta, gamma, delta = (
        make_organisation(name) for name in ("Alpha e.V.", "Beta e.V.", "Gamma e.V.", "Delta e.V.")
    )
    epsilon = make_organisation("Epsilon gGmbH", category="education")
    for organisation in (alpha, beta, gamma):
        Membership.objects.create(network=eins, organisation=organisation)
    Membership.objects.create(network=zwei, organisation=delta)
    beratung = Topic.objects.create(name="Beratung", slug="beratung")
    sprache = Topic.objects.create(name="Sprache", slug="sprache")
    survey = make_survey([eins, zwei], anonymous=False, kinds=("relationship",))
    report(survey, alpha, beta, "monthly", beratung)
    report(survey, alpha, delta, "rarely", sprache)
    report(survey, delta, alpha, "weekly", beratung)
    report(survey, gamma, gamma, "weekly")
    return SimpleNamespace(
        eins=eins, zwei=zwei, alpha=alpha, beta=beta, gamma=gamma, delta=delta, epsilon=epsilon, survey=survey
    )
