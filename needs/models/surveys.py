"""Surveys of the network members: questions, personal invitations and the answers.

Anonymous surveys keep invitations and responses apart: a response holds no token, no invitation,
no person and only the Monday of the week it came in. Responses, their networks and their answers
have random UUID keys, so that the order of the keys says nothing about the order of arrival.
None of these records is written to the register's change history (which would store who and when).
Submitting rewrites all invitations of the survey in one statement, so that PostgreSQL's row versions
(xmin) do not pair a response with the invitation that answered.

The database stores rows in the order they arrive (SQLite's rowid, PostgreSQL's ctid and xmin). So an
anonymous response is first held back, sealed (``HeldResponse``), and released into the answers in
groups of at least ``needs.release.RELEASE_BATCH``, in random order, in one transaction; when the survey
closes, all its responses are written once more in random order. The order of the rows then says
nothing about the order of arrival (and so nothing about the order of requests in an access log).

What remains: someone who watches the database server itself while the survey runs sees held rows
arrive (sealed: their content needs the server's secret). The application offers no such view.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from register.models import Network, Organisation, Person, Topic


def localized(obj, field):
    """The English text of ``field`` on English pages when there is one, else the German text."""
    if translation.get_language() == "en":
        english = getattr(obj, f"{field}_en")
        if english:
            return english
    return getattr(obj, f"{field}_de")


class Survey(models.Model):
    """A questionnaire the office sends to the members of chosen networks."""

    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_de = models.TextField(_("introduction (German)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Answers cannot be linked to a person or a link by anyone, the office included."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    networks = models.ManyToManyField(
        Network,
        verbose_name=_("networks"),
        related_name="surveys",
        help_text=_("The people in these networks are invited."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    shuffled = models.BooleanField(
        _("answers shuffled after closing"),
        default=False,
        help_text=_("Set when all responses were written once more in random order after the survey closed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "title_de"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
                violation_error_message=_("The survey cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("needs:survey", args=[self.pk])

    @property
    def title(self):
        return localized(self, "title")

    @property
    def intro(self):
        return localized(self, "intro")

    def is_open(self, on=None):
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on

    @property
    def has_invitations(self):
        return self.invitations.exists()

    def sending_problem(self, on=None):
        """Why invitations or reminders cannot go out now, or None."""
        on = on or timezone.localdate()
        if on > self.closes_on:
            return _("The survey has closed.")
        if not self.questions.exists():
            return _("Add at least one question before sending the survey.")
        if not self.networks.exists():
            return _("Choose the networks whose members are invited.")
        return None


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RATING = "rating", _("rating scale")
        NUMBER = "number", _("number")
        TEXT = "text", _("free text")
        RELATIONSHIP = "relationship", _("cooperation with organisations")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text_de = models.CharField(_("question (German)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    help_de = models.CharField(_("hint (German)"), max_length=500, blank=True)
    help_en = models.CharField(_("hint (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    low_label_de = models.CharField(_("meaning of the lowest value (German)"), max_length=100, blank=True)
    low_label_en = models.CharField(_("meaning of the lowest value (English)"), max_length=100, blank=True)
    high_label_de = models.CharField(_("meaning of the highest value (German)"), max_length=100, blank=True)
    high_label_en = models.CharField(_("meaning of the highest value (English)"), max_length=100, blank=True)
    number_min = models.DecimalField(_("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(_("largest number"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")) & Q(scale_max__lte=models.F("scale_min") + 10),
                name="question_scale_sensible",
                violation_error_message=_("A scale needs at least two and at most eleven steps."),
            ),
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_max__gte=models.F("number_min")),
                name="question_number_range_ordered",
                violation_error_message=_("The largest number cannot be smaller than the smallest."),
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return localized(self, "text")

    @property
    def help(self):
        return localized(self, "help")

    @property
    def low_label(self):
        return localized(self, "low_label")

    @property
    def high_label(self):
        return localized(self, "high_label")

    @property
    def has_choices(self):
        return self.kind in {self.Kind.SINGLE, self.Kind.MULTIPLE}

    @property
    def scale(self):
        return list(range(self.scale_min, self.scale_max + 1))


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=0)
    label_de = models.CharField(_("option (German)"), max_length=200)
    label_en = models.CharField(_("option (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return localized(self, "label")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("weekly or more often")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("a few times a year")
    RARELY = "rarely", _("once a year or less")


FREQUENCY_RANK = {Frequency.WEEKLY: 4, Frequency.MONTHLY: 3, Frequency.QUARTERLY: 2, Frequency.RARELY: 1}


class SurveyInvitation(models.Model):
    """A personal single-use link for one person. In anonymous surveys it never meets the answers."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="survey_invitations"
    )
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    token_hash = models.CharField(_("hash of the link"), max_length=64, unique=True, editable=False)
    answered = models.BooleanField(_("answered"), default=False)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    draft = models.TextField(
        _("saved draft"), blank=True, help_text=_("Encrypted with the link; deleted when the answers are sent.")
    )

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"],
                name="invitation_one_per_person",
                violation_error_message=_("This person is already invited to the survey."),
            ),
            models.CheckConstraint(
                condition=Q(answered=False) | Q(draft=""),
                name="invitation_answered_without_draft",
                violation_error_message=_("An answered invitation keeps no draft."),
            ),
        ]

    def __str__(self):
        return f"{self.survey} – {self.person}"


class Response(models.Model):
    """One submitted questionnaire. In anonymous surveys: no invitation, no person, only the week."""

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        SurveyInvitation,
        verbose_name=_("invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
        help_text=_("Only in surveys that are not anonymous."),
    )
    submitted_on = models.DateField(
        _("submitted in the week of"), help_text=_("The Monday of the week; the exact time is not kept.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("answering for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    category = models.CharField(_("category of the organisation"), max_length=20, blank=True)
    networks = models.ManyToManyField(
        Network, verbose_name=_("networks"), through="ResponseNetwork", related_name="survey_responses"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "id"]

    def __str__(self):
        return f"{self.survey} ({self.submitted_on:%d.%m.%Y})"

    @staticmethod
    def week_of(day):
        return day - datetime.timedelta(days=day.weekday())


class ResponseNetwork(models.Model):
    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE)
    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("network of a response")
        verbose_name_plural = _("networks of responses")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "network"],
                name="response_network_unique",
                violation_error_message=_("The response already names this network."),
            ),
        ]

    def __str__(self):
        return str(self.network)


class Answer(models.Model):
    """One value of a response: a chosen option, a number, a text or one cooperation."""

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, verbose_name=_("option"), on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("works with"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cooperation_answers",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("on the topic"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | ~Q(frequency=""),
                name="answer_cooperation_has_frequency",
                violation_error_message=_("Say how often you work with the organisation."),
            ),
        ]

    def __str__(self):
        return str(self.choice or self.number or self.organisation or self.text[:50])


class HeldResponse(models.Model):
    """An anonymous response waiting for release: sealed, with a random key and no time."""

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="held")
    sealed = models.TextField(_("sealed answers"))

    class Meta:
        verbose_name = _("held-back response")
        verbose_name_plural = _("held-back responses")

    def __str__(self):
        return str(self.survey)
