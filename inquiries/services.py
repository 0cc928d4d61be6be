"""What happens with an inquiry: it arrives, is assigned, answered by e-mail, closed, counted and deleted.

Notification mails name no content: only that there is something in the inbox, and the link to it.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from meetings.mail import queue_mail
from meetings.models import OutgoingMail
from register.absolute import absolute_url
from register.models import Assignment
from register.permissions import OFFICE_GROUP

from .models import Inquiry, InquiryCount, Reply


def _render(template, context, language):
    with translation.override(mail_language(language)):
        subject = " ".join(render_to_string(f"inquiries/mail/{template}_subject.txt", context).split())
        body = render_to_string(f"inquiries/mail/{template}.txt", context)
    return subject, body


def mail_language(language):
    """The catalogue a mail is written with: Leichte Sprache (de-x-ls) is a variant of German."""
    return "de" if language.startswith("de") else language


def inbox_readers(network):
    """Users who get the notice of a new inquiry: the office and the network's coordinators."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(
        Q(is_superuser=True)
        | Q(groups__name=OFFICE_GROUP)
        | Q(assignments__network=network, assignments__role=Assignment.Role.COORDINATOR)
    ).distinct()


def handlers(network):
    """Users an inquiry can be assigned to: the office and everyone with a role in the network."""
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(Q(is_superuser=True) | Q(groups__name=OFFICE_GROUP) | Q(assignments__network=network))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def receive(network, *, name, email, municipality, topic, special, message, language):
    """Store a new inquiry and tell the inbox's readers that it is there (not what it says)."""
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            network=network,
            name=name,
            email=email,
            municipality=municipality,
            topic=topic,
            special=special,
            message=message,
            language=language,
        )
        link = absolute_url(reverse("inquiries:detail", args=[inquiry.pk]))
        for user in inbox_readers(network):
            subject, body = _render("new", {"network": network, "link": link}, settings.LANGUAGE_CODE)
            queue_mail(user.email, subject, body, language=settings.LANGUAGE_CODE)
    return inquiry


def assign(inquiry, user):
    inquiry.assigned_to = user
    if inquiry.status == Inquiry.Status.NEW:
        inquiry.status = Inquiry.Status.IN_PROGRESS
    inquiry.save()
    if user and user.email:
        link = absolute_url(reverse("inquiries:detail", args=[inquiry.pk]))
        subject, body = _render("assigned", {"network": inquiry.network, "link": link}, settings.LANGUAGE_CODE)
        queue_mail(user.email, subject, body, language=settings.LANGUAGE_CODE)


def reply(inquiry, author, body):
    """Send the answer to the resident through the outbox, in the language they wrote in."""
    context = {"inquiry": inquiry, "network": inquiry.network, "body": body}
    language = mail_language(inquiry.language or settings.LANGUAGE_CODE)
    subject, text = _render("reply", context, language)
    with transaction.atomic():
        mail = queue_mail(inquiry.email, subject, text, language=language)
        answer = Reply.objects.create(inquiry=inquiry, author=author, body=body, mail=mail)
        inquiry.status = Inquiry.Status.ANSWERED
        inquiry.save()
    return answer


def overdue(today=None):
    today = today or timezone.localdate()
    return [inquiry for inquiry in Inquiry.objects.all() if inquiry.delete_after <= today]


def purge(today=None):
    """Delete every inquiry past its retention period with its replies and their mails; count it first."""
    due = overdue(today)
    with transaction.atomic():
        for inquiry in due:
            erase(inquiry)
    return len(due)


def erase(inquiry):
    """Delete one inquiry with its replies and their mails (at the end of retention, or on request); count it."""
    with transaction.atomic():
        _count(inquiry)
        mails = list(inquiry.replies.exclude(mail=None).values_list("mail_id", flat=True))
        inquiry.delete()
        OutgoingMail.objects.filter(pk__in=mails).delete()


def _count(inquiry):
    month = timezone.localtime(inquiry.received).date().replace(day=1)
    key = {"network": inquiry.network, "month": month, "topic": inquiry.topic, "municipality": inquiry.municipality}
    counted, _created = InquiryCount.objects.select_for_update().get_or_create(**key)
    InquiryCount.objects.filter(pk=counted.pk).update(count=F("count") + 1)


def counts(networks, year):
    """{network pk: [((month, topic, municipality), number)]}: the inquiries of each network by month, topic and
    municipality in a year, the kept counts plus those not yet deleted; two queries however many networks."""
    totals = {network.pk: {} for network in networks}
    kept = InquiryCount.objects.filter(network__in=networks, month__year=year).values_list(
        "network_id", "month", "topic", "municipality__name", "count"
    )
    live = (
        Inquiry.objects.filter(network__in=networks, received__year=year)
        .annotate(month=TruncMonth("received"))
        .values_list("network_id", "month", "topic", "municipality__name")
        .annotate(number=Count("pk"))
        .order_by()
    )
    for network_id, month, topic, municipality, number in [*kept, *live]:
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        key = (month.replace(day=1), topic, municipality or "")
        totals[network_id][key] = totals[network_id].get(key, 0) + number
    return {network_id: sorted(rows.items()) for network_id, rows in totals.items()}
