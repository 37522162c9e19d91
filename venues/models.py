"""Places where culture happens: venues, the halls inside them, and their entrances."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.i18n import translated


class VenueQuerySet(models.QuerySet["Venue"]):
    def step_free(self) -> "VenueQuerySet":
        return self.filter(has_step_free_access=True)


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description_da = models.TextField(_("description (Danish)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    town = models.CharField(_("town"), max_length=100)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    image = models.ImageField(_("image"), upload_to="venues/", blank=True)
    image_alt_da = models.CharField(_("image text (Danish)"), max_length=300, blank=True)
    image_alt_en = models.CharField(_("image text (English)"), max_length=300, blank=True)
    image_alt_sv = models.CharField(_("image text (Swedish)"), max_length=300, blank=True)
    image_alt_de = models.CharField(_("image text (German)"), max_length=300, blank=True)
    has_step_free_access = models.BooleanField(_("step-free access"), default=False)
    wheelchair_spaces = models.PositiveSmallIntegerField(
        _("wheelchair spaces"), null=True, blank=True, help_text=_("Leave empty when not known.")
    )
    has_hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    has_accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_notes_da = models.TextField(_("accessibility notes (Danish)"), blank=True)
    accessibility_notes_en = models.TextField(_("accessibility notes (English)"), blank=True)
    accessibility_notes_sv = models.TextField(_("accessibility notes (Swedish)"), blank=True)
    accessibility_notes_de = models.TextField(_("accessibility notes (German)"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="staffed_venues",
        verbose_name=_("door staff"),
        help_text=_("People who may scan tickets at this venue and see its attendance."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def image_alt(self) -> str:
        return translated(self, "image_alt")

    @property
    def accessibility_notes(self) -> str:
        return translated(self, "accessibility_notes")

    @property
    def address_line(self) -> str:
        return f"{self.street_address}, {self.postcode} {self.town}"


class Hall(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="halls", verbose_name=_("venue"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    seated_capacity = models.PositiveIntegerField(_("seated capacity"), null=True, blank=True)
    standing_capacity = models.PositiveIntegerField(_("standing capacity"), null=True, blank=True)

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        constraints = [models.UniqueConstraint(fields=["venue", "slug"], name="hall_unique_slug_per_venue")]

    def __str__(self) -> str:
        return f"{self.venue.name} – {self.name}"


class Entrance(models.Model):
    """A door or gate where tickets are scanned."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="entrances", verbose_name=_("venue"))
    hall = models.ForeignKey(
        Hall, on_delete=models.SET_NULL, null=True, blank=True, related_name="entrances", verbose_name=_("hall")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        constraints = [models.UniqueConstraint(fields=["venue", "slug"], name="entrance_unique_slug_per_venue")]

    def __str__(self) -> str:
        return f"{self.venue.name} – {self.name}"
