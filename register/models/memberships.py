"""Who sits in which network, in what role, for whom and since when (OParl Membership)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actors import ActorGroup, Organisation, Person
from .base import AuditedModel
from .networks import LegislativeTerm, Network

ONE_MEMBER = (
    Q(organisation__isnull=False, actor_group__isnull=True, person__isnull=True)
    | Q(organisation__isnull=True, actor_group__isnull=False, person__isnull=True)
    | Q(organisation__isnull=True, actor_group__isnull=True, person__isnull=False)
)

# The seats that may carry a composition flag whatever the day (``register.composition.flags_in_order``):
# deputies (``Membership.Role.DEPUTY``), and seats with a reason for sitting over the rules. Indexed: a tenth
# of a council's seats.
MAY_CARRY_FLAG = Q(role="deputy") | ~Q(over_seats_reason="")


def active_condition(on=None, prefix=""):
    """The one rule of an active membership, as a filter: begun on ``on`` (today) or without a start,
    and not ended before it. ``prefix`` reaches the memberships through a relation ("memberships__"),
    for counts and annotations."""
    on = on or timezone.localdate()
    started = Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": on})
    return started & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on}))


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        return self.filter(active_condition(on))


class Membership(AuditedModel):
    """A seat of an organisation, an actor group or a person in a network."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        DEPUTY = "deputy", _("deputy")
        CHAIR = "chair", _("chair")
        OFFICE = "office", _("office")
        GUEST = "guest", _("guest")
        ADVISORY = "advisory", _("advisory member")

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    actor_group = models.ForeignKey(
        ActorGroup,
        verbose_name=_("actor group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    voting_right = models.BooleanField(_("voting right"), null=True, blank=True)
    on_behalf_of = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_by",
        help_text=_("The organisation a person represents."),
    )
    deputy_of = models.ForeignKey(
        "self",
        verbose_name=_("deputy of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputies",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for",
    )
    legislative_term = models.ForeignKey(
        LegislativeTerm,
        verbose_name=_("term of office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("For elected networks: the term this seat belongs to. It ends with the term."),
    )
    over_seats_reason = models.CharField(
        _("reason for more members than seats"),
        max_length=300,
        blank=True,
        help_text=_("Only needed when all seats are filled, e.g. “successor sits in before the end of the term”."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    label = models.CharField(
        _("entry as listed"), max_length=300, blank=True, help_text=_("The entry exactly as the source wrote it.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Which import or which user."))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_MEMBER,
                name="membership_exactly_one_member",
                violation_error_message=_("Choose exactly one member: an organisation, an actor group or a person."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(on_behalf_of__isnull=True) | Q(person__isnull=False),
                name="membership_on_behalf_of_only_for_persons",
                violation_error_message=_("Only a person can sit on behalf of an organisation."),
            ),
            models.CheckConstraint(
                condition=~Q(deputy_of=F("id")),
                name="membership_not_own_deputy",
                violation_error_message=_("A membership cannot be its own deputy."),
            ),
            models.UniqueConstraint(
                fields=["network", "organisation", "role"],
                condition=Q(end_date__isnull=True, organisation__isnull=False),
                name="membership_unique_open_organisation",
                violation_error_message=_("This organisation already holds this role in the network."),
            ),
            models.UniqueConstraint(
                fields=["network", "actor_group", "role"],
                condition=Q(end_date__isnull=True, actor_group__isnull=False),
                name="membership_unique_open_actor_group",
                violation_error_message=_("This actor group already holds this role in the network."),
            ),
            models.UniqueConstraint(
                fields=["network", "person", "role"],
                condition=Q(end_date__isnull=True, person__isnull=False),
                name="membership_unique_open_person",
                violation_error_message=_("This person already holds this role in the network."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "end_date"], name="membership_network_end"),
            # The order of Meta.ordering, for lists read page by page (JSON API).
            models.Index(fields=["network", "position", "id"], name="membership_network_position_id"),
            models.Index(fields=["network"], condition=MAY_CARRY_FLAG, name="membership_may_carry_flag"),
        ]

    def __str__(self):
        return f"{self.member} – {self.network} ({self.get_role_display()})"

    def clean(self):
        errors = {}
        if self.deputy_of_id:
            deputy_of = self.deputy_of
            if deputy_of.network_id != self.network_id:
                errors["deputy_of"] = _("The deputy must sit in the same network as the member they stand in for.")
            elif deputy_of.role == self.Role.DEPUTY:
                errors["deputy_of"] = _("A deputy stands in for a member, not for another deputy.")
            elif self.role != self.Role.DEPUTY:
                errors["role"] = _("Only a membership with the role deputy can be paired with a member.")
        if self.on_behalf_of_id and not self.person_id:
            errors["on_behalf_of"] = _("Only a person can sit on behalf of an organisation.")
        if not errors and self.network_id:
            from register.composition import composition_errors

            errors.update(composition_errors(self))
        if errors:
            raise ValidationError(errors)

    @property
    def member(self):
        return self.organisation or self.actor_group or self.person

    @property
    def member_kind(self):
        if self.organisation_id:
            return "organisation"
        return "actor_group" if self.actor_group_id else "person"

    @property
    def is_active(self):
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )
