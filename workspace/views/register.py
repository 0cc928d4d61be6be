"""Organisations (with their units), actor groups and people: the office keeps them."""

import json

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from matching.services import merged_into
from register import archiving
from register.filters import ActorGroupFilter, BooleanWidget, OrganisationFilter, PersonFilter
from register.guards import requires
from register.models import ActorGroup, Membership, Organisation, Person, RecordGone
from register.permissions import is_office
from register.tables import CappedPaginator, Paginator

from .. import attention, gdpr, selfservice
from ..forms import ORGANISATIONS, ActorGroupForm, EraseForm, OrganisationForm, PersonForm, SendLinkForm
from ..tables import ActorGroupTable, OrganisationTable, PersonTable, show
from .common import history_rows, posted, records_of


class StaffOrganisationFilter(OrganisationFilter):
    stale = django_filters.BooleanFilter(
        label=gettext_lazy("Not confirmed for 12 months"), method="filter_stale", widget=BooleanWidget
    )

    class Meta(OrganisationFilter.Meta):
        fields = [*OrganisationFilter.Meta.fields, "stale"]

    def filter_stale(self, queryset, name, value):
        stale = Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=timezone.now() - attention.STALE_AFTER)
        return queryset.filter(stale) if value else queryset.exclude(stale)


class StaffPersonFilter(PersonFilter):
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Past the retention period"), method="filter_overdue", widget=BooleanWidget
    )

    class Meta(PersonFilter.Meta):
        fields = [*PersonFilter.Meta.fields, "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = gdpr.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


# Organisations


@requires(is_office)
def organisation_list(request):
    archived = bool(request.GET.get("archived"))
    organisations = ORGANISATIONS if not archived else Organisation.objects.filter(archived_at__isnull=False)
    return show(
        request,
        "workspace/organisation_list.html",
        queryset=organisations.select_related("parent", "parent__parent", "parent__parent__parent"),
        filterset_class=StaffOrganisationFilter,
        table_class=OrganisationTable,
        caption=_("Archived organisations") if archived else _("Organisations"),
        context={"archived": archived},
        # A search may find a great part of the register: it is counted up to a cap.
        paginator_class=CappedPaginator if request.GET.get("q", "").strip() else Paginator,
    )


@requires(is_office)
def organisation_create(request):
    initial = {"parent": request.GET.get("parent")}
    form = OrganisationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, _("“%(name)s” was created.") % {"name": organisation})
        return redirect("workspace:organisation", organisation.pk)
    return render(request, "workspace/form.html", {"form": form, "title": _("New organisation")})


@requires(is_office)
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("parent", "municipality", "body"), pk=pk)
    memberships = organisation.memberships.select_related("network").order_by("network__name")
    context = {
        "organisation": organisation,
        "units": organisation.units.all(),
        "memberships": memberships,
        "link_form": SendLinkForm(initial={"email": organisation.email}),
        "links": organisation.self_service_links.all()[:5],
        "history": history_rows(records_of((Organisation, [organisation.pk])), True),
    }
    return render(request, "workspace/organisation_detail.html", context)


def _gone(request, pk):
    """The entry was merged into another (or deleted) meanwhile: say so, never bring it back."""
    survivor = merged_into(pk)
    if survivor is None:
        raise Http404
    messages.error(
        request,
        _("This entry was merged into “%(name)s” meanwhile; your changes were not saved. Please make them here.")
        % {"name": survivor.full_name},
    )
    return redirect("workspace:organisation_edit", survivor.pk)


@requires(is_office)
def organisation_edit(request, pk):
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        return _gone(request, pk)
    form = OrganisationForm(posted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except RecordGone:
            return _gone(request, pk)
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:organisation", organisation.pk)
    title = _("Edit %(name)s") % {"name": organisation}
    return render(request, "workspace/form.html", {"form": form, "title": title, "review_pair": True})


@require_POST
@requires(is_office)
def organisation_confirm(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    organisation.confirmed_at = timezone.now()
    organisation.save()
    messages.success(request, _("The entry is confirmed as current."))
    return redirect("workspace:organisation", organisation.pk)


@requires(is_office)
def organisation_archive(request, pk):
    """Asks first; archiving keeps the entry and its history, ends its memberships, hides it publicly."""
    organisation = get_object_or_404(Organisation, pk=pk, archived_at__isnull=True)
    if request.method == "POST":
        ended = archiving.archive(organisation, request.user)
        messages.success(
            request,
            ngettext(
                "The organisation is archived; %(count)d membership was ended. You can restore it here.",
                "The organisation is archived; %(count)d memberships were ended. You can restore it here.",
                ended,
            )
            % {"count": ended},
        )
        return redirect("workspace:organisation", organisation.pk)
    family = archiving.family(organisation)
    context = {
        "organisation": organisation,
        "units": len(family) - 1,
        "open_memberships": archiving.open_memberships(family).count(),
    }
    return render(request, "workspace/organisation_archive.html", context)


@require_POST
@requires(is_office)
def organisation_restore(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk, archived_at__isnull=False)
    try:
        reopened = archiving.restore(organisation, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "The organisation is restored; %(count)d membership was reopened.",
                "The organisation is restored; %(count)d memberships were reopened.",
                reopened,
            )
            % {"count": reopened},
        )
    return redirect("workspace:organisation", organisation.pk)


@require_POST
@requires(is_office)
def organisation_send_link(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = SendLinkForm(request.POST)
    if form.is_valid():
        link = selfservice.send_link(
            organisation, form.cleaned_data["email"], request.user, language=form.cleaned_data["language"]
        )
        messages.success(
            request,
            _("The link to %(email)s is in the outbox, which shows whether it went out.") % {"email": link.email},
        )
    else:
        messages.error(request, _("The link was not sent: %(error)s") % {"error": " ".join(form.errors["email"])})
    return redirect("workspace:organisation", organisation.pk)


# Actor groups


@requires(is_office)
def actor_group_list(request):
    return show(
        request,
        "workspace/actor_group_list.html",
        queryset=ActorGroup.objects.annotate(organisation_count=Count("organisations")).order_by("name", "pk"),
        filterset_class=ActorGroupFilter,
        table_class=ActorGroupTable,
        caption=_("Actor groups"),
    )


@requires(is_office)
def actor_group_edit(request, pk=None):
    group = get_object_or_404(ActorGroup, pk=pk) if pk else None
    form = ActorGroupForm(posted(request), instance=group)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:actor_group", group.pk)
    title = _("Edit %(name)s") % {"name": group} if group else _("New actor group")
    return render(request, "workspace/form.html", {"form": form, "title": title})


@requires(is_office)
def actor_group_detail(request, pk):
    group = get_object_or_404(ActorGroup, pk=pk)
    context = {
        "group": group,
        "organisations": group.organisations.all(),
        "persons": group.persons.all(),
        "memberships": group.memberships.select_related("network"),
        "history": history_rows(records_of((ActorGroup, [group.pk])), True),
    }
    return render(request, "workspace/actor_group_detail.html", context)


# People


@requires(is_office)
def person_list(request):
    people = Person.objects.select_related(
        "organisation", "organisation__parent", "organisation__parent__parent", "organisation__parent__parent__parent"
    )
    return show(
        request,
        "workspace/person_list.html",
        queryset=people,
        filterset_class=StaffPersonFilter,
        table_class=PersonTable,
        caption=_("People"),
    )


@requires(is_office)
def person_edit(request, pk=None):
    person = get_object_or_404(Person, pk=pk, erased_at__isnull=True) if pk else None
    form = PersonForm(posted(request), instance=person)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:person", person.pk)
    title = _("Edit %(name)s") % {"name": person} if person else _("New person")
    return render(request, "workspace/form.html", {"form": form, "title": title})


@requires(is_office)
def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    context = {
        "person": person,
        "memberships": Membership.objects.filter(person=person).select_related("network", "on_behalf_of"),
        "contact_for": Membership.objects.filter(contact=person).select_related(
            "network", "organisation", "actor_group"
        ),
        "history": history_rows(records_of((Person, [person.pk])), person.erased_at is None),
        "erase_form": EraseForm(),
    }
    return render(request, "workspace/person_detail.html", context)


@requires(is_office)
def person_export(request, pk):
    person = get_object_or_404(Person, pk=pk)
    data = gdpr.export(person)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
        return response
    return render(request, "workspace/person_export.html", {"person": person, "data": data})


@requires(is_office)
def person_erase(request, pk):
    person = get_object_or_404(Person, pk=pk, erased_at__isnull=True)
    form = EraseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        gdpr.erase(person)
        messages.success(request, _("The person's data was erased. Memberships stay as anonymous entries."))
        return redirect("workspace:person", person.pk)
    return render(request, "workspace/person_erase.html", {"person": person, "form": form})
