"""Admin for the culture office: visit figures (added through figures.record_figure, never edited), goals,
population figures and survey results."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from tickets.access import is_culture_office
from visitor_stats.figures import FigureInput, FigureRejected, check_figure, record_figure
from visitor_stats.models import Population, Source, SurveyResult, VisitFigure, YearlyGoal

FIGURE_FIELDS = [
    "source",
    "venue",
    "event",
    "counter",
    "period_start",
    "period_end",
    "visits",
    "exits",
    "origin",
    "note",
]
# Ticket scans are counted automatically, never entered.
ENTERED_SOURCES = [(source.value, source.label) for source in Source if source != Source.TICKET_SCANS]
TRACE_FIELDS = ["quality", "entered_by", "entered_at", "trace", "correction"]


class OfficeAdmin(admin.ModelAdmin):
    """The culture office (and admins) read and enter statistics; only admins delete."""

    def _is_office(self, request: Any) -> bool:
        return bool(request.user.is_staff and is_culture_office(request.user))

    def has_module_permission(self, request: Any) -> bool:
        return super().has_module_permission(request) or self._is_office(request)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or self._is_office(request)

    def has_add_permission(self, request: Any) -> bool:
        return super().has_add_permission(request) or self._is_office(request)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) or self._is_office(request)


class VisitFigureForm(forms.ModelForm):
    source = forms.ChoiceField(
        label=_("source"), choices=[(s.value, s.label) for s in Source if s != Source.TICKET_SCANS]
    )

    class Meta:
        model = VisitFigure
        fields = FIGURE_FIELDS

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if not self.errors:
            try:
                check_figure(self.figure_input())
            except FigureRejected as error:
                raise ValidationError(error.message, code=error.code) from error
        return data

    def validate_unique(self) -> None:
        """A figure for a slot that has one is a correction: record_figure replaces the old one with a trace."""

    def figure_input(self) -> FigureInput:
        data = self.cleaned_data
        return FigureInput(
            source=data["source"],
            venue=data["venue"],
            event=data.get("event"),
            counter=data.get("counter") or "",
            period_start=data["period_start"],
            period_end=data["period_end"],
            visits=data["visits"],
            exits=data.get("exits"),
            origin=data["origin"],
            note=data.get("note") or "",
        )


class CurrentFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "current"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Current")), ("no", _("Replaced by a correction"))]

    def queryset(self, request: Any, queryset: Any) -> Any:
        if self.value() in ("yes", "no"):
            return queryset.filter(replaced_at__isnull=self.value() == "yes")
        return queryset


@admin.register(VisitFigure)
class VisitFigureAdmin(OfficeAdmin):
    """Figures are added, never edited: a correction is a new figure for the same slot, and the old one stays."""

    list_display = ["period_start", "venue", "event", "source", "quality", "visits", "exits", "origin", "is_current"]
    list_filter = ["source", "quality", CurrentFilter, "origin", "venue"]
    list_select_related = ["venue", "event"]
    search_fields = ["counter", "note", "venue__name", "event__title_da"]
    date_hierarchy = "period_start"

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return FIGURE_FIELDS if obj is None else [*FIGURE_FIELDS, *TRACE_FIELDS]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [] if obj is None else [*FIGURE_FIELDS, *TRACE_FIELDS]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = VisitFigureForm
        return super().get_form(request, obj, change, **kwargs)

    def get_changeform_initial_data(self, request: Any) -> dict[str, Any]:
        """`?correct=<id>` starts a correction with that figure's slot and numbers."""
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        initial.pop("correct", None)
        correct = request.GET.get("correct", "")
        old = VisitFigure.objects.filter(pk=correct).first() if correct.isdigit() else None
        if old is not None:
            initial.update(
                {name: getattr(old, name) for name in FIGURE_FIELDS if name not in ("venue", "event", "note")},
                venue=old.venue_id,
                event=old.event_id,
            )
        return initial

    def save_model(self, request: Any, obj: VisitFigure, form: Any, change: bool) -> None:
        new = record_figure(figure=form.figure_input(), entered_by_id=request.user.pk)
        for field in VisitFigure._meta.concrete_fields:
            setattr(obj, field.attname, getattr(new, field.attname))
        obj._state.adding = False

    @admin.display(boolean=True, description=_("current"))
    def is_current(self, figure: VisitFigure) -> bool:
        return figure.replaced_at is None

    @admin.display(description=_("corrections"))
    def trace(self, figure: VisitFigure) -> Any:
        parts = []
        replaced = VisitFigure.objects.filter(replaced_by=figure).first()
        if replaced is not None:
            parts.append(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Corrects"),
                    reverse("admin:visitor_stats_visitfigure_change", args=[replaced.pk]),
                    f"{replaced.visits} ({timezone.localtime(replaced.entered_at):%Y-%m-%d %H:%M})",
                )
            )
        if figure.replaced_by_id is not None:
            parts.append(
                format_html(
                    '{} {} {} <a href="{}">{}</a>',
                    _("Replaced on"),
                    f"{timezone.localtime(figure.replaced_at):%Y-%m-%d %H:%M}",
                    _("by"),
                    reverse("admin:visitor_stats_visitfigure_change", args=[figure.replaced_by_id]),
                    _("the correction"),
                )
            )
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else _("Never corrected")

    @admin.display(description=_("correct"))
    def correction(self, figure: VisitFigure) -> Any:
        if figure.replaced_at is not None:
            return "-"
        url = reverse("admin:visitor_stats_visitfigure_add") + "?" + urlencode({"correct": figure.pk})
        return format_html('<a href="{}">{}</a>', url, _("Enter a correction"))


@admin.register(YearlyGoal)
class YearlyGoalAdmin(OfficeAdmin):
    list_display = ["year", "visitors", "resident_share"]


@admin.register(Population)
class PopulationAdmin(OfficeAdmin):
    list_display = ["year", "residents", "source"]


@admin.register(SurveyResult)
class SurveyResultAdmin(OfficeAdmin):
    list_display = ["year", "share", "sample_size", "source", "entered_at"]
    list_filter = ["year"]
