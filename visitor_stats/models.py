"""Visits from every source, their daily rollups, the yearly goals and the figures beside them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Category, Event
from venues.models import Venue


class Source(models.TextChoices):
    TICKET_SCANS = "ticket_scans", _("Ticket scans")
    GATE_COUNTER = "gate_counter", _("Gate counters")
    HEAD_COUNT = "head_count", _("Head counts")
    PARTNER = "partner", _("Partner figures")


class Quality(models.TextChoices):
    COUNTED = "counted", _("Counted")
    ESTIMATED = "estimated", _("Estimated")
    REPORTED = "reported", _("Reported")


SOURCE_QUALITY = {
    Source.TICKET_SCANS: Quality.COUNTED,
    Source.GATE_COUNTER: Quality.COUNTED,
    Source.HEAD_COUNT: Quality.ESTIMATED,
    Source.PARTNER: Quality.REPORTED,
}


class Origin(models.TextChoices):
    RESIDENT = "resident", _("Residents of Helsingør Kommune")
    OTHER_DANISH = "other_danish", _("Other Danish")
    SWEDISH = "swedish", _("Swedish")
    GERMAN = "german", _("German")
    OTHER_FOREIGN = "other_foreign", _("Other foreign")
    UNKNOWN = "unknown", _("Unknown")


class VisitFigure(models.Model):
    """A number of visits entered or posted by people or counters (not from tickets).

    A correction is a new figure; the one it replaces stays, with `replaced_by` set, so nothing
    changes silently.
    """

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    quality = models.CharField(_("quality"), max_length=10, choices=Quality.choices)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="visit_figures", verbose_name=_("venue"))
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="visit_figures", verbose_name=_("event")
    )
    counter = models.CharField(_("counter"), max_length=100, blank=True, help_text=_("Which door counter."))
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    visits = models.PositiveIntegerField(_("visits"), help_text=_("People in; for counters the number of ins."))
    exits = models.PositiveIntegerField(_("exits"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.UNKNOWN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True, db_index=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", editable=False
    )
    replaced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("visit figure")
        verbose_name_plural = _("visit figures")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="figure_period_in_order"),
            models.CheckConstraint(condition=~Q(source="ticket_scans"), name="figure_not_from_tickets"),
            models.UniqueConstraint(
                fields=["source", "venue", "event", "counter", "period_start", "origin"],
                condition=Q(replaced_at__isnull=True),
                nulls_distinct=False,
                name="figure_one_current_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["venue", "period_start"], name="figure_venue_period")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.venue}: {self.visits}"


class DailyVisits(models.Model):
    """Visits per day, venue, event, category, source and origin: what the dashboard reads."""

    day = models.DateField()
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    quality = models.CharField(max_length=10, choices=Quality.choices)
    origin = models.CharField(max_length=20, choices=Origin.choices)
    visits = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["day"], name="daily_visits_day"),
            models.Index(fields=["venue", "day"], name="daily_visits_venue_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.venue_id} {self.source} {self.origin}: {self.visits}"


class YearlyGoal(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    visitors = models.PositiveIntegerField(_("visitors"), default=1_600_000)
    resident_share = models.DecimalField(
        _("residents using local culture (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("yearly goal")
        verbose_name_plural = _("yearly goals")

    def __str__(self) -> str:
        return str(self.year)


class Population(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    residents = models.PositiveIntegerField(_("residents"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("population")
        verbose_name_plural = _("population figures")

    def __str__(self) -> str:
        return f"{self.year}: {self.residents}"


class SurveyResult(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    share = models.DecimalField(
        _("residents using local culture (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    sample_size = models.PositiveIntegerField(_("sample size"))
    source = models.CharField(_("source"), max_length=200)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-entered_at"]
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")

    def __str__(self) -> str:
        return f"{self.year}: {self.share} % ({self.source})"


class RollupState(models.Model):
    """How far the incremental rollup has read (one row)."""

    refreshed_until = models.DateTimeField(null=True)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"rollup refreshed until {self.refreshed_until}"
