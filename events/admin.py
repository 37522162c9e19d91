from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events import services, tasks
from events.exceptions import InvalidRecurrence
from events.models import Category, Event, EventSeries, Organiser
from events.recurrence import parse_exclusions, parse_rule

LANGUAGE_FIELDSETS: list[Any] = [
    (
        label,
        {
            "fields": [
                f"title_{code}",
                f"summary_{code}",
                f"description_{code}",
                f"image_alt_{code}",
                f"accessibility_notes_{code}",
            ],
            "classes": [] if code == "da" else ["collapse"],
        },
    )
    for code, label in (("da", "Dansk"), ("en", "English"), ("sv", "Svenska"), ("de", "Deutsch"))
]
DETAIL_FIELDS: list[Any] = [
    "organiser",
    "category",
    "venue",
    "hall",
    "image",
    "booking_mode",
    "capacity",
    "is_free",
    "age_limit",
    "performance_language",
    "tags",
]


class OrganiserScopedAdmin(admin.ModelAdmin):
    """Organiser members see and choose only their own organisers' rows; superusers see all.

    `organiser_path` is the lookup from the model to its Organiser ("" for Organiser itself). Model
    permissions still decide what a member may do with those rows.
    """

    organiser_path = "organiser"

    def get_queryset(self, request: HttpRequest) -> Any:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        members = f"{self.organiser_path}__members" if self.organiser_path else "members"
        return rows.filter(**{members: request.user}).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            if db_field.related_model is Organiser:
                kwargs["queryset"] = Organiser.objects.filter(members=request.user.pk)
            elif db_field.related_model is Event:
                kwargs["queryset"] = Event.objects.managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organiser)
class OrganiserAdmin(OrganiserScopedAdmin):
    organiser_path = ""
    list_display = ["name", "website", "email"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_da", "name_en", "slug", "position"]
    list_editable = ["position"]


@admin.register(Event)
class EventAdmin(OrganiserScopedAdmin):
    list_display = ["title_da", "starts_at", "venue", "category", "status", "series"]
    list_filter = ["status", "venue", "category", "booking_mode", "organiser"]
    search_fields = ["title_da", "title_en", "slug"]
    date_hierarchy = "starts_at"
    list_select_related = ["venue", "category", "series"]
    autocomplete_fields = ["organiser"]
    prepopulated_fields = {"slug": ("title_da",)}
    readonly_fields = ["uid", "series", "recurrence_id", "sequence", "reports"]
    fieldsets = [
        (None, {"fields": ["slug", "status", "starts_at", "ends_at", "doors_open_at"]}),
        *LANGUAGE_FIELDSETS,
        (_("Details"), {"fields": DETAIL_FIELDS}),
        (_("Calendar"), {"fields": ["uid", "series", "recurrence_id", "is_detached", "sequence"]}),
        (_("Reports"), {"fields": ["reports"]}),
    ]

    @admin.display(description=_("sales and attendance"))
    def reports(self, obj: Event) -> str:
        """Links to the event's sales (with VAT, as CSV for the books) and its attendance."""
        if obj.pk is None:
            return "–"
        sales = reverse("event-sales", kwargs={"slug": obj.slug})
        return format_html(
            '<a href="{}?format=csv">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            sales,
            _("Sales and VAT (CSV)"),
            sales,
            _("Sales (JSON)"),
            reverse("event-attendance", kwargs={"slug": obj.slug}),
            _("Attendance (JSON)"),
        )

    def save_model(self, request: HttpRequest, obj: Event, form: ModelForm, change: bool) -> None:
        services.save_event_edit(event=obj, changed_fields=form.changed_data if change else [])


@admin.register(EventSeries)
class EventSeriesAdmin(OrganiserScopedAdmin):
    list_display = ["title_da", "recurrence_rule", "venue", "status"]
    list_filter = ["status", "venue"]
    search_fields = ["title_da", "slug"]
    autocomplete_fields = ["organiser"]
    prepopulated_fields = {"slug": ("title_da",)}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "status",
                    "first_starts_at",
                    "duration",
                    "doors_open_before",
                    "recurrence_rule",
                    "excluded_dates",
                ]
            },
        ),
        *LANGUAGE_FIELDSETS,
        (_("Details"), {"fields": DETAIL_FIELDS}),
    ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class SeriesForm(form):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                if data.get("recurrence_rule") and data.get("first_starts_at"):
                    try:
                        parse_rule(data["recurrence_rule"], data["first_starts_at"])
                        parse_exclusions(data.get("excluded_dates") or [])
                    except InvalidRecurrence as error:
                        self.add_error("recurrence_rule", error.message)
                return data

        return SeriesForm

    def save_model(self, request: HttpRequest, obj: EventSeries, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: tasks.sync_series.delay(obj.pk))
        messages.info(request, _("The dated occurrences are being updated."))
