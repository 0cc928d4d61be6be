"""Who is invited to a survey, and the invitations and reminders sent to them in batches."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

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


def link_for(invitation):
    """The personal link, in the default language; the page offers the switch to English."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("needs:respond", args=[token_for(invitation.key, invitation.token_hash)])
    return absolute_url(path)


def _message(invitation, template):
    context = {
        "survey": invitation.survey,
        "person": invitation.person,
        "link": link_for(invitation),
        "site": SiteIdentity.current(),
    }
    parts = []
    for language in ("de", "en"):
        with translation.override(language):
            parts.append(render_to_string(template, context).strip())
    with translation.override("de"):
        subject = render_to_string(template.replace(".txt", "_subject.txt"), context).strip()
    return EmailMessage(
        subject=subject,
        body="\n\n----------\n\n".join(parts) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.person.email],
    )


def _send(invitations, template, mark):
    """Send in batches over one connection each; marks each batch as soon as the server took it."""
    sent = 0
    invitations = list(invitations)
    connection = get_connection()
    for start in range(0, len(invitations), BATCH_SIZE):
        batch = invitations[start : start + BATCH_SIZE]
        connection.send_messages([_message(invitation, template) for invitation in batch])
        with transaction.atomic():
            mark(SurveyInvitation.objects.filter(pk__in=[invitation.pk for invitation in batch]))
        sent += len(batch)
    connection.close()
    return sent


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
