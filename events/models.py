"""What is on: organisers, categories, events and repeating series of events."""

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.i18n import translated
from venues.models import Hall, Venue


class Organiser(models.Model):
    """The culture house or association behind an event."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public contact e-mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organisers",
        verbose_name=_("members"),
        help_text=_("People who manage this organiser's events, sales and refunds."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name_da

    @property
    def name(self) -> str:
        return translated(self, "name")


class BookingMode(models.TextChoices):
    TICKETS = "tickets", _("Tickets")
    FREE_REGISTRATION = "free_registration", _("Free registration")
    DROP_IN = "drop_in", _("Drop in, no booking")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.POSTPONED)


class EventContent(models.Model):
    """What an event is about; shared by single events and by series, which copy it to occurrences."""

    organiser = models.ForeignKey(
        Organiser, on_delete=models.PROTECT, related_name="%(class)s_set", verbose_name=_("organiser")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="%(class)s_set", verbose_name=_("category")
    )
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="%(class)s_set", verbose_name=_("venue"))
    hall = models.ForeignKey(
        Hall,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
        null=True,
        blank=True,
        verbose_name=_("hall"),
    )
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    summary_da = models.CharField(_("summary (Danish)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    summary_sv = models.CharField(_("summary (Swedish)"), max_length=300, blank=True)
    summary_de = models.CharField(_("summary (German)"), max_length=300, blank=True)
    description_da = models.TextField(_("description (Danish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    image = models.ImageField(_("image"), upload_to="events/", blank=True)
    image_alt_da = models.CharField(_("image text (Danish)"), max_length=300, blank=True)
    image_alt_en = models.CharField(_("image text (English)"), max_length=300, blank=True)
    image_alt_sv = models.CharField(_("image text (Swedish)"), max_length=300, blank=True)
    image_alt_de = models.CharField(_("image text (German)"), max_length=300, blank=True)
    accessibility_notes_da = models.TextField(_("accessibility notes (Danish)"), blank=True)
    accessibility_notes_en = models.TextField(_("accessibility notes (English)"), blank=True)
    accessibility_notes_sv = models.TextField(_("accessibility notes (Swedish)"), blank=True)
    accessibility_notes_de = models.TextField(_("accessibility notes (German)"), blank=True)
    age_limit = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    performance_language = models.CharField(
        _("performance language"),
        max_length=35,
        blank=True,
        help_text=_("BCP 47 code, e.g. da or en; empty when the event has no spoken language."),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    booking_mode = models.CharField(
        _("booking"), max_length=20, choices=BookingMode.choices, default=BookingMode.TICKETS
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_free = models.BooleanField(_("free entry"), default=False)
    allows_reentry = models.BooleanField(
        _("re-entry allowed"),
        default=False,
        help_text=_("A ticket scanned out at the door may be scanned in again."),
    )

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def summary(self) -> str:
        return translated(self, "summary")

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def image_alt(self) -> str:
        return translated(self, "image_alt")

    @property
    def accessibility_notes(self) -> str:
        return translated(self, "accessibility_notes")


class EventSeries(EventContent):
    """An event that repeats, defined once by an RFC 5545 recurrence rule."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    first_starts_at = models.DateTimeField(_("first start"))
    duration = models.DurationField(_("duration"))
    doors_open_before = models.DurationField(_("doors open before start"), null=True, blank=True)
    recurrence_rule = models.CharField(
        _("recurrence rule"),
        max_length=500,
        help_text=_("RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SA or FREQ=MINUTELY;INTERVAL=30;BYHOUR=10,11,12"),
    )
    excluded_dates = models.JSONField(
        _("exceptions"),
        default=list,
        blank=True,
        help_text=_("Local dates (2026-12-24) or start times (2026-12-24T14:00) that are left out."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.title_da


class EventQuerySet(models.QuerySet["Event"]):
    def managed_by(self, user: Any) -> "EventQuerySet":
        """Events a user may manage: all for superusers, else those of the user's organisers."""
        if user.is_superuser:
            return self
        return self.filter(organiser__members=user) if user.is_authenticated else self.none()

    def public(self) -> "EventQuerySet":
        """Everything the public may see: never drafts."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def upcoming(self, now: datetime | None = None) -> "EventQuerySet":
        return self.filter(ends_at__gte=now or timezone.now())

    def for_listing(self) -> "EventQuerySet":
        return self.select_related("venue", "hall", "category", "organiser").order_by("starts_at", "id")


class Event(EventContent):
    """One dated happening: a single event, or one occurrence of a series."""

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    doors_open_at = models.DateTimeField(_("doors open"), null=True, blank=True)
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("series"),
    )
    recurrence_id = models.DateTimeField(_("original start in series"), null=True, blank=True, editable=False)
    is_detached = models.BooleanField(
        _("edited separately from its series"),
        default=False,
        help_text=_("Changes to the series no longer overwrite this occurrence."),
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_start"),
            models.Index(fields=["status", "ends_at"], name="event_status_end"),
            models.Index(fields=["venue", "starts_at"], name="event_venue_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(doors_open_at__isnull=True) | models.Q(doors_open_at__lte=models.F("starts_at")),
                name="event_doors_before_start",
            ),
            models.UniqueConstraint(fields=["series", "recurrence_id"], name="event_unique_occurrence_per_series"),
        ]

    def __str__(self) -> str:
        return f"{self.title_da} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED
