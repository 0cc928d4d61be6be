"""What the duplicate review keeps: the abbreviation list, suggestions, decisions and merges."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import Organisation


class Abbreviation(models.Model):
    """One entry of the editable list the matcher knows: "DRK" means "Deutsches Rotes Kreuz"."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("abbreviation")
        SYNONYM = "synonym", _("other name for the same")
        FORMER = "former", _("former name")

    short_form = models.CharField(
        _("short form"), max_length=80, help_text=_("As written in entries, e.g. DRK, Ev., Diakonie.")
    )
    long_form = models.CharField(
        _("long form"), max_length=200, help_text=_("The full name it stands for, e.g. Deutsches Rotes Kreuz.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ABBREVIATION)

    class Meta:
        verbose_name = _("abbreviation")
        verbose_name_plural = _("abbreviations")
        ordering = ["short_form", "long_form"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_form", "long_form"],
                name="matching_abbreviation_unique",
                violation_error_message=_("This abbreviation is already on the list."),
            ),
            models.CheckConstraint(
                condition=~Q(short_form=F("long_form")),
                name="matching_abbreviation_differs",
                violation_error_message=_("The short form and the long form must differ."),
            ),
        ]

    def __str__(self):
        return f"{self.short_form} = {self.long_form}"


class Suggestion(models.Model):
    """A pair the matcher proposes for review; ``manage.py find_duplicates`` refreshes them."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("probably the same organisation")
        FIRST_IN_SECOND = "first_in_second", _("the first is probably a unit of the second")
        SECOND_IN_FIRST = "second_in_first", _("the second is probably a unit of the first")

    first = models.ForeignKey(
        Organisation, verbose_name=_("first organisation"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Organisation, verbose_name=_("second organisation"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DUPLICATE)
    score = models.FloatField(_("score"), help_text=_("From 0 to 1; proposed from 0.8."))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    kept = models.BooleanField(
        _("kept until decided"),
        default=False,
        help_text=_("Put in the queue by a person or by undoing a merge: it stays until someone decides."),
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-score", "pk"]
        # The queue's order: its first page is read from the index, whatever the queue's length.
        indexes = [models.Index(F("score").desc(), F("id").asc(), name="suggestion_score_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                name="matching_suggestion_unique_pair",
                violation_error_message=_("This pair is already suggested."),
            ),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")),
                name="matching_suggestion_ordered_pair",
                violation_error_message=_("The first organisation must be the one created first."),
            ),
        ]

    def __str__(self):
        return f"{self.first_id} / {self.second_id} ({self.score:.2f})"

    @property
    def explanation(self):
        from .explain import explain

        return explain(self.reasons)


class MatchDecision(models.Model):
    """What a person decided about a pair. A rejected pair is never proposed again.

    The pair is kept by id, not by foreign key, so that the decision outlives a merge.
    """

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", _("same organisation, merged")
        REJECTED = "rejected", _("different organisations")
        UNIT_OF = "unit_of", _("one is a unit of the other")

    first_key = models.PositiveBigIntegerField(_("first organisation (number)"))
    second_key = models.PositiveBigIntegerField(_("second organisation (number)"))
    first_name = models.CharField(_("first organisation"), max_length=300)
    second_name = models.CharField(_("second organisation"), max_length=300)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("decision about a pair")
        verbose_name_plural = _("decisions about pairs")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_key", "second_key"],
                name="matching_decision_unique_pair",
                violation_error_message=_("This pair has already been decided."),
            ),
            models.CheckConstraint(
                condition=Q(first_key__lt=F("second_key")),
                name="matching_decision_ordered_pair",
                violation_error_message=_("The first organisation must be the one created first."),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} / {self.second_name}: {self.get_decision_display()}"


class Merge(models.Model):
    """One merge of an organisation into a survivor, with everything needed to undo it."""

    survivor = models.ForeignKey(
        Organisation,
        verbose_name=_("survivor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merges",
    )
    survivor_name = models.CharField(_("survivor as named"), max_length=300)
    merged_key = models.PositiveBigIntegerField(_("merged organisation (number)"))
    merged_name = models.CharField(_("merged organisation"), max_length=300)
    snapshot = models.JSONField(_("merged organisation's fields"), default=dict)
    moved = models.JSONField(_("what was moved"), default=dict)
    survivor_before = models.JSONField(_("survivor's fields before the merge"), default=dict, blank=True)
    not_taken = models.JSONField(
        _("values not taken over"),
        default=dict,
        blank=True,
        help_text=_("Values of either entry that the merge did not keep in a field: field and value."),
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(undone_at__gte=F("merged_at")),
                name="matching_merge_undone_after_merged",
                violation_error_message=_("A merge cannot be undone before it was made."),
            ),
        ]

    def __str__(self):
        return f"{self.merged_name} → {self.survivor_name}"


class PendingCheck(models.Model):
    """An organisation changed since the review queue was last brought up to date for it."""

    organisation_key = models.PositiveBigIntegerField(_("organisation (number)"), unique=True)
    noted_at = models.DateTimeField(_("noted"), default=timezone.now)

    class Meta:
        verbose_name = _("pending check")
        verbose_name_plural = _("pending checks")

    def __str__(self):
        return str(self.organisation_key)


class LearnedWeights(models.Model):
    """Weights of the matcher's reasons learnt from the office's decisions, and how they fared on
    decisions kept out of the training. Used only when they decide the held-out pairs better."""

    weights = models.JSONField(_("weights"), default=dict)
    trained_on = models.PositiveIntegerField(_("decisions trained on"), default=0)
    held_out = models.PositiveIntegerField(_("decisions held out"), default=0)
    base_correct = models.PositiveIntegerField(_("held-out decisions right without learning"), default=0)
    learned_correct = models.PositiveIntegerField(_("held-out decisions right with the learnt weights"), default=0)
    in_use = models.BooleanField(_("in use"), default=False)
    trained_at = models.DateTimeField(_("trained"), default=timezone.now)

    class Meta:
        verbose_name = _("learnt weights")
        verbose_name_plural = _("learnt weights")
        ordering = ["-trained_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_correct__lte=F("held_out")) & Q(learned_correct__lte=F("held_out")),
                name="matching_weights_correct_within_held_out",
                violation_error_message=_("More decisions cannot be right than were held out."),
            ),
        ]

    def __str__(self):
        return f"{self.trained_at:%d.%m.%Y %H:%M} ({self.trained_on}/{self.held_out})"


class NetworkCount(models.Model):
    """How many networks a top-level organisation sits in, directly or through its units and theirs (the
    seats ``services.networks_by_organisation`` reads, ended ones too), counted ahead: the page of
    organisations in several networks lists and counts them from an index instead of grouping every
    membership. Kept current after every change of a membership or of an organisation's name or place in
    the tree (``matching.signals``); ``manage.py count_networks`` counts them all anew."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=300)  # the organisation's, for its order
    networks = models.PositiveIntegerField(_("networks"))

    class Meta:
        verbose_name = _("number of networks")
        verbose_name_plural = _("numbers of networks")
        # The organisations in several networks by name, a page and their number read from this alone.
        indexes = [
            models.Index(fields=["name", "organisation"], condition=Q(networks__gt=1), name="network_count_several")
        ]

    def __str__(self):
        return f"{self.name}: {self.networks}"
