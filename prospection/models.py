from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Cast, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.models import Contact, ContactPerson
from crm.concurrency import Versioned
from crm.defaults import list_constraints
from crm.history import FEMININE_KINDS
from crm.lists import ListEntry
from prospection.expressions import OpportunityTotal

# Success bands of the dashboard chart: a band holds its lower bound; 100 % is in the last.
BANDS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]
MONEY = {"max_digits": 14, "decimal_places": 2}
# What the dashboard, its chart, the forecast and the home page count unless asked otherwise.
DEFAULT_SCOPE = "open"


def band_label(index: int) -> str:
    low, high = BANDS[index]
    return gettext("%(low)d–%(high)d%%") % {"low": low, "high": high}


def band_choices() -> list[tuple[int, str]]:
    return [(index, band_label(index)) for index in range(len(BANDS))]


class Product(ListEntry):
    """A line of business ("Produit"); optional, so the list may have no default."""

    default_required = False
    default_inactive_message = _("The default product must be active.")

    class Meta(ListEntry.Meta):
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            *list_constraints("product"),
        ]


class Stage(ListEntry):
    """A step of the sale ("Étape"); won and lost stages close the opportunity."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, default=Outcome.OPEN)
    probability = models.PositiveSmallIntegerField(
        _("default success %"), default=10,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("An opportunity moved to this stage takes this percentage unless its percentage "
                    "was changed by hand. Won stages are always 100 %, lost ones 0 %."),
    )

    default_inactive_message = _("The default stage must be active.")
    default_unticked_message = _("Opportunities need a default stage: tick “Default” on another stage instead.")

    class Meta(ListEntry.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            *list_constraints("stage"),
            models.CheckConstraint(condition=Q(outcome__in=["open", "won", "lost"]), name="stage_outcome_valid"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_0_100"),
        ]

    def clean(self):
        super().clean()
        if self.is_default and self.outcome != self.Outcome.OPEN:
            raise ValidationError({"outcome": _("The default stage must be an open one: a new opportunity is not yet won or lost.")})
        self.probability = self.outcome_probability()

    def save(self, *args, **kwargs):
        self.probability = self.outcome_probability()
        super().save(*args, **kwargs)

    def outcome_probability(self) -> int:
        """Won is 100 %, lost 0 %, whatever was typed; an open stage keeps its own."""
        return {self.Outcome.WON: 100, self.Outcome.LOST: 0}.get(self.outcome, self.probability)

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN


class Category(ListEntry):
    """Where the opportunity came from ("Catégorie"): inbound call, referral...; optional."""

    default_required = False
    default_inactive_message = _("The default category must be active.")

    class Meta(ListEntry.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            *list_constraints("category"),
        ]


class LostReason(ListEntry):
    """Why a deal was lost (« Prix », « Concurrent »...): asked for when an opportunity closes as lost."""

    default_required = False
    default_inactive_message = _("The default lost reason must be active.")

    class Meta(ListEntry.Meta):
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")
        constraints = [
            *list_constraints("lostreason"),
        ]


def cents_sum(field: str, **extra) -> Sum:
    """Sum of a money column in whole cents: exact on SQLite too, where decimals are floats."""
    return Sum(Cast(Round(F(field) * 100), models.BigIntegerField()), **extra)


def from_cents(cents) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


def from_units(amount) -> Decimal:
    return Decimal(amount or 0).quantize(Decimal("0.01"))


class OpportunityQuerySet(models.QuerySet):
    def open(self):
        return self.filter(stage__outcome=Stage.Outcome.OPEN)

    def won(self):
        return self.filter(stage__outcome=Stage.Outcome.WON)

    def lost(self):
        return self.filter(stage__outcome=Stage.Outcome.LOST)

    def in_scope(self, scope: str):
        """The open/closed filter's choices: "open", "closed", "won", "lost" or "all"."""
        if scope == "all":
            return self
        if scope == "closed":
            return self.exclude(stage__outcome=Stage.Outcome.OPEN)
        return self.filter(stage__outcome=scope)

    def for_representative(self, user):
        return self.filter(representative=user)

    def with_band(self):
        """Each row with its success band's bounds in percent (band itself is a stored column)."""
        return self.annotate(band_low=F("band") * 20, band_high=F("band") * 20 + 20)

    def in_band(self, index: int):
        return self.filter(band=index)

    def for_list(self):
        return self.select_related(
            "contact", "product", "stage", "category", "representative", "contact_person"
        )

    def band_sums(self) -> dict[int, tuple[int, Decimal, Decimal]]:
        """{band: (count, summed value, summed total)} for the bands that have rows: ONE grouped query.

        PostgreSQL sums NUMERIC exactly; SQLite keeps decimals as floats, so
        there each amount is rounded to whole cents before it is summed.
        """
        in_cents = connections[self.db].vendor == "sqlite"
        money_sum, to_money = (cents_sum, from_cents) if in_cents else (Sum, from_units)
        rows = self.order_by().values_list("band").annotate(
            n=Count("*"), value_sum=money_sum("value"), total_sum=money_sum("total"),
        )
        return {band: (n, to_money(value), to_money(total)) for band, n, value, total in rows}

    def figures(self) -> dict:
        """Count, summed value and total, and count and total per success band: ONE query (see figures_of)."""
        return figures_of(self.band_sums())


def figures_of(sums: dict[int, tuple[int, Decimal, Decimal]]) -> dict:
    """{"count", "value", "total", "bands": [{"index", "label", "count", "total"}]} from band_sums()."""
    zero = (0, Decimal("0.00"), Decimal("0.00"))
    bands = [sums.get(index, zero) for index in range(len(BANDS))]
    return {
        "count": sum(count for count, _value, _total in bands),
        "value": sum((value for _count, value, _total in bands), Decimal("0.00")),
        "total": sum((total for _count, _value, total in bands), Decimal("0.00")),
        "bands": [
            {"index": index, "label": band_label(index), "count": count, "total": total}
            for index, (count, _value, total) in enumerate(bands)
        ],
    }


class Opportunity(Versioned):
    """A sales opportunity ("opportunité de vente") on a contact."""

    history_kinds = FEMININE_KINDS  # « Site web — créée »
    # How a value is written for people (the History tab: crm/history.py): money, percent.
    field_formats = {"value": "money", "purchase_costs": "money", "total": "money", "success_percent": "percent"}

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="opportunities"
    )
    subject = models.CharField(_("Subject"), max_length=200)
    product = models.ForeignKey(
        Product, verbose_name=_("Product"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="opportunities",
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("Stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    contact_person = models.ForeignKey(
        ContactPerson, verbose_name=_("Contact person"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="opportunities",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("Category"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="opportunities",
    )
    value = models.DecimalField(
        _("Opportunity value"), **MONEY, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Expected amount, excluding taxes."),
    )
    purchase_costs = models.DecimalField(
        _("Purchase costs"), **MONEY, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("External costs, deducted from the value."),
    )
    # No fixed default: a new opportunity left without one takes its stage's (apply_stage_rules).
    success_percent = models.SmallIntegerField(
        _("Success %"), default=None,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Representative"), on_delete=models.PROTECT,
        related_name="opportunities",
    )
    expected_close_date = models.DateField(_("Expected close date"), null=True, blank=True)
    probability_set_by_hand = models.BooleanField(
        _("percentage set by hand"), default=False,
        help_text=_("Set when the percentage differs from its stage’s: moving the opportunity then keeps it."),
    )
    closed_on = models.DateField(
        _("Closed on"), null=True, blank=True,
        help_text=_("Recorded when the opportunity moves to a won or lost stage; cleared when it reopens."),
    )
    lost_reason = models.ForeignKey(
        LostReason, verbose_name=_("Lost reason"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="opportunities",
    )
    lost_comment = models.TextField(_("Comment on the loss"), blank=True)
    total = models.GeneratedField(
        expression=OpportunityTotal(F("value"), F("purchase_costs"), F("success_percent")),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
        verbose_name=_("Total"),
    )
    band = models.GeneratedField(
        expression=Case(
            When(success_percent__gte=80, then=Value(4)),
            When(success_percent__gte=60, then=Value(3)),
            When(success_percent__gte=40, then=Value(2)),
            When(success_percent__gte=20, then=Value(1)),
            default=Value(0),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
        verbose_name=_("success band"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OpportunityQuerySet.as_manager()
    # The total and the band are derived by the database; the history keeps what people typed.
    history = HistoricalRecords(excluded_fields=["total", "band", "version", "updated_at"])

    class Meta:
        verbose_name = _("sales opportunity")
        verbose_name_plural = _("sales opportunities")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="opportunity_value_not_negative",
                violation_error_message=_("The opportunity value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(purchase_costs__gte=0), name="opportunity_costs_not_negative",
                violation_error_message=_("Purchase costs cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(success_percent__gte=0, success_percent__lte=100),
                name="opportunity_percent_0_100",
                violation_error_message=_("The success percentage must be between 0 and 100."),
            ),
        ]
        indexes = [
            models.Index(fields=["representative", "band"], name="opp_rep_band_idx"),
            models.Index(fields=["stage", "band"], name="opp_stage_band_idx"),
            models.Index(fields=["band"], name="opp_band_idx"),
            models.Index(fields=["expected_close_date"], name="opp_close_date_idx"),
            models.Index(fields=["contact", "-updated_at"], name="opp_contact_updated_idx"),
            models.Index(fields=["-updated_at", "-id"], name="opp_updated_idx"),
            # The board: each stage's first cards by total, then close date (prospection/board.py).
            models.Index(fields=["stage", "-total", "expected_close_date"], name="opp_board_idx"),
            # The board of one representative ("My opportunities"): the same, without reading the others' rows.
            models.Index(fields=["representative", "stage", "-total", "expected_close_date"], name="opp_board_rep_idx"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.remember_stage()
        return instance

    def remember_stage(self) -> None:
        """What the stage rules compare with: the row as it was read (or last saved)."""
        loaded = self.__dict__
        self._loaded = {
            name: loaded.get(name) for name in ("stage_id", "success_percent", "closed_on")
        }

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("prospection:update", args=[self.pk])

    @property
    def band_label(self) -> str:
        return band_label(self.band)

    @property
    def is_open(self) -> bool:
        return self.stage.outcome == Stage.Outcome.OPEN

    @staticmethod
    def default_representative(contact: Contact, user):
        """The contact's account manager when there is an active one, else `user`."""
        manager = contact.account_manager
        return manager if manager is not None and manager.is_active else user

    def clean(self):
        if (
            self.contact_person_id
            and self.contact_id
            and self.contact_person.contact_id != self.contact_id
        ):
            raise ValidationError(
                {"contact_person": _("Choose one of this contact’s people.")}, code="other_contact"
            )
        if self.stage_id is not None:
            self.apply_stage_rules()

    def apply_stage_rules(self) -> None:
        """The percentage, close date and lost reason that follow from the stage (every writer).

        - a new opportunity starts at its stage's % (success_percent None: "the stage's");
        - moving it to another open stage takes that stage's % unless the % was set by hand;
          typing a % flags it as set by hand, typing the stage's own % lets it follow again;
        - won is 100 %, lost 0 %; closing records closed_on (today, in the site's time zone);
        - a move to lost needs a reason (ValidationError); reopening clears the date and the reason.
        Costs one query when the stage changed (the previous stage's outcome), none otherwise.
        """
        stage = self.stage
        loaded = getattr(self, "_loaded", None)
        if loaded is None or loaded["stage_id"] is None:  # a new row
            previous_outcome, stage_changed, percent_changed = None, True, self.success_percent is not None
        else:
            stage_changed = loaded["stage_id"] != self.stage_id
            percent_changed = self.success_percent is not None and self.success_percent != loaded["success_percent"]
            previous_outcome = self.loaded_outcome() if stage_changed else stage.outcome
        if stage.outcome == Stage.Outcome.WON:
            self.success_percent = 100
        elif stage.outcome == Stage.Outcome.LOST:
            self.success_percent = 0
        elif percent_changed:
            self.probability_set_by_hand = self.success_percent != stage.probability
        elif self.success_percent is None or (stage_changed and (
                not self.probability_set_by_hand or previous_outcome != Stage.Outcome.OPEN)):
            # Followed the stage, or reopened (the hand-set % was replaced by 100 or 0 on closing).
            self.success_percent = stage.probability
            self.probability_set_by_hand = False
        given_date = loaded is None or self.closed_on != loaded["closed_on"]  # a date typed or imported
        if stage.is_open:
            self.closed_on = None
        elif self.closed_on is None or (stage.outcome != previous_outcome and not given_date):
            self.closed_on = timezone.localdate()  # closing now
        if stage.outcome != Stage.Outcome.LOST:
            self.lost_reason = None
            self.lost_comment = ""
        elif self.lost_reason_id is None and (stage.outcome != previous_outcome):
            raise ValidationError(
                {"lost_reason": _("Say why the opportunity was lost: choose a reason.")}, code="lost_reason_required"
            )

    def loaded_outcome(self):
        """The outcome of the stage the row was read with (one query, once)."""
        stage_id = self._loaded["stage_id"]
        if self._loaded.get("outcome_of") != stage_id:
            self._loaded["outcome"] = Stage.objects.filter(pk=stage_id).values_list("outcome", flat=True).first()
            self._loaded["outcome_of"] = stage_id
        return self._loaded["outcome"]

    def save(self, *args, **kwargs):
        if self.representative_id is None and self.contact_id:
            self.representative = self.default_representative(self.contact, self.created_by)
        if self.stage_id is not None:
            self.apply_stage_rules()
        super().save(*args, **kwargs)
        self.remember_stage()


class FiguresStamp(models.Model):
    """One row whose token changes after every committed write to opportunities or stages.

    The dashboard's sums and chart are cached under it (prospection/figures.py).
    It lives in the database, not in the cache, so every process sees the
    change; a random token (not a counter) cannot come back with other data
    after a restore.
    """

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
