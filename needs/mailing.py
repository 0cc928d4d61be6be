"""Who is invited to a survey, and the invitations and reminders sent to them through the outbox.

Each mail is written in the preferred language of its person, with the link to the questionnaire in
that language. The mails go into the outbox (``meetings.mail``) batch by batch, each batch together with the mark on
its invitations; the outbox sends them and shows the office any that failed, to be sent again.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from meetings.mail import by_language, language_of, queue_mail, render_plain
from register.absolute import absolute_url, base_url_for
from register.models import Membership, Person, SiteIdentity

from .links import hash_token, new_key, token_for
from .models import Survey, SurveyInvitation

BATCH_SIZE = 100


def invitees(survey):
    """People with an e-mail address who hold an active seat, or are the contact of one, in the survey's networks."""
    memberships = Membership.objects.active().filter(network__in=survey.networks.all())
    return (
        Person.objects.filter(erased_at__isnull=True)
        .exclude(email="")
        .filter(
            Q(pk__in=memberships.filter(person__isnull=False).values("person"))
            | Q(pk__in=memberships.filter(contact__isnull=False).values("contact"))
        )
        .order_by("pk")
    )


def create_invitations(survey):
    """Invitations for everyone invited who has none yet; returns how many were created."""
    existing = set(survey.invitations.values_list("person_id", flat=True))
    new = []
    for person_id in invitees(survey).values_list("pk", flat=True):
        if person_id not in existing:
            key = new_key()
            new.append(
                SurveyInvitation(survey=survey, person_id=person_id, key=key, token_hash=hash_token(token_for(key)))
            )
    # Two sends at once must not invite anyone twice: the unique constraint decides, the loser skips.
    SurveyInvitation.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def link_for(invitation, language=None):
    """The personal link, to the questionnaire in ``language`` (default: the site's); the page offers
    the switch to the other languages."""
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("needs:respond", args=[token_for(invitation.key, invitation.token_hash)])
    return absolute_url(path)


def _message(invitation, template, site=None):
    """(subject, body) of the invitation or reminder in the preferred language of its person."""
    language = language_of(invitation.person)
    context = {
        "survey": invitation.survey,
        "person": invitation.person,
        "link": link_for(invitation, language),
        "site": site or SiteIdentity.current(),
    }
    with translation.override(language):
        body = render_plain(template, context).strip() + "\n"
        subject = " ".join(render_plain(template.replace(".txt", "_subject.txt"), context).split())
    return subject, body, language


def _send(invitations, template, mark):
    """Queue the mails in the outbox in batches, each batch in one transaction with its mark; returns
    how many were queued. The outbox sends each mail once its batch is committed."""
    queued = 0
    invitations = by_language(invitations, lambda invitation: invitation.person.language)
    site = SiteIdentity.current()
    for start in range(0, len(invitations), BATCH_SIZE):
        batch = invitations[start : start + BATCH_SIZE]
        with transaction.atomic():
            for invitation in batch:
                subject, body, language = _message(invitation, template, site)
                queue_mail(invitation.person.email, subject, body, language=language, personal_link=True)
            mark(SurveyInvitation.objects.filter(pk__in=[invitation.pk for invitation in batch]))
        queued += len(batch)
    return queued


@task()
def send_invitations(survey_id, base_url=None):
    """Invite everyone in the survey's networks who has not been invited yet.

    ``base_url`` is that of the request that started the sending (``register.absolute``).
    """
    survey = Survey.objects.get(pk=survey_id)
    create_invitations(survey)
    pending = survey.invitations.filter(sent_on__isnull=True).select_related("person", "survey")
    today = timezone.localdate()
    with base_url_for(base_url):
        return _send(pending, "needs/mail/invitation.txt", lambda batch: batch.update(sent_on=today))


@task()
def send_reminders(survey_id, base_url=None):
    """Remind those who were invited and have not answered (``base_url`` as for the invitations)."""
    from django.db.models import F

    survey = Survey.objects.get(pk=survey_id)
    pending = survey.invitations.filter(sent_on__isnull=False, answered=False).select_related("person", "survey")
    today = timezone.localdate()
    with base_url_for(base_url):
        return _send(
            pending,
            "needs/mail/reminder.txt",
            lambda batch: batch.filter(answered=False).update(reminded_on=today, reminders=F("reminders") + 1),
        )
