"""Check and apply a table of population figures; alert the office when the 1,000-residents picture changes."""

import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.mail import queue_mail
from register.absolute import base_url
from register.history import audit_context
from register.models import MunicipalityStatistic
from register.permissions import OFFICE_GROUP
from register.thresholds import FOREIGN_RESIDENTS_THRESHOLD, picture, threshold_rows

from .models import StatisticsImport
from .statistics import FileProblem, plan, read_figures


def check(user, name, data, date=None, source=""):
    """Read the file and store what it would write; a file problem is stored as the only problem."""
    upload = StatisticsImport(user=user, file_name=name[:300], sha256=hashlib.sha256(data).hexdigest())
    try:
        figures = read_figures(name, data)
    except FileProblem as problem:
        upload.problems = [[None, problem.message]]
        upload.status = StatisticsImport.Status.INVALID
        upload.save()
        return upload
    upload.title = figures.title[:500]
    upload.date = date or figures.date
    upload.source = (source or _("Hessisches Statistisches Landesamt: %(title)s") % {"title": figures.title})[:300]
    upload.problems = [list(problem) for problem in figures.problems]
    upload.notes = figures.notes
    upload.skipped = figures.skipped
    if upload.date is None:
        upload.problems.insert(0, [None, _("The table states no date. Give the date of the figures.")])
    else:
        upload.plan = plan(figures, upload.date)
    upload.status = StatisticsImport.Status.INVALID if upload.problems else StatisticsImport.Status.READY
    upload.save()
    return upload


def apply(upload, user):
    """Write the figures in one transaction; returns the picture's change (or None) and alerts the office."""
    with transaction.atomic():
        locked = StatisticsImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != StatisticsImport.Status.READY:
            return None
        before = picture(threshold_rows())
        with audit_context(user=user, source=f"statistics import {locked.pk}"):
            for row in locked.plan:
                statistic = MunicipalityStatistic.objects.filter(
                    municipality_id=row["municipality"], date=locked.date
                ).first() or MunicipalityStatistic(municipality_id=row["municipality"], date=locked.date)
                statistic.population = row["population"]
                statistic.foreign_residents = row["foreign_residents"]
                statistic.source = locked.source
                statistic.full_clean()
                statistic.save()
        after_rows = threshold_rows()
        after = picture(after_rows)
        locked.status = StatisticsImport.Status.APPLIED
        locked.applied_at = timezone.now()
        change = changes(before, after)
        if change:
            alert_office(locked, change, after_rows)
            locked.alert_sent = True
        locked.save(update_fields=["status", "applied_at", "alert_sent"])
    return change


def changes(before, after):
    """What the new figures changed: municipalities newly above or below the line, newly without a council."""
    gained = sorted(set(after["above"]) - set(before["above"]))
    lost = sorted(set(before["above"]) - set(after["above"]))
    without = sorted(set(after["without_council"]) - set(before["without_council"]))
    if not (gained or lost or without):
        return None
    return {"above": gained, "below": lost, "without_council": without, "all_without_council": after["without_council"]}


def office_addresses():
    users = get_user_model().objects.filter(Q(groups__name=OFFICE_GROUP) | Q(is_superuser=True), is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def alert_office(upload, change, rows):
    context = {
        "upload": upload,
        "change": change,
        "threshold": FOREIGN_RESIDENTS_THRESHOLD,
        "site_url": base_url(),
    }
    with translation.override("de"):
        subject = " ".join(render_to_string("importing/mail/threshold_alert_subject.txt", context).split())
        body = render_to_string("importing/mail/threshold_alert.txt", context)
    for address in office_addresses():
        queue_mail(address, subject, body, language="de")
