"""Head counts of drop-in and outdoor events: the to-do list of events without one, and the form.

Organiser members count their organiser's events, venue staff the events at their venues, the
culture office and admins every event. Entering a count again replaces the current one; the old
figure stays, marked as replaced (visitor_stats.figures.record_figure).
"""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from events.models import BookingMode, Event, EventQuerySet
from frontend.staff import may_enter_head_counts, staff_only
from frontend.statistics_data import number
from visitor_stats import reports
from visitor_stats.access import FigureRights, figure_rights
from visitor_stats.figures import MAX_VISITS, FigureRejected, head_count, record_figure
from visitor_stats.models import Source, VisitFigure

# The to-do list looks this far back; older events are for the culture office to chase.
LISTED_DAYS = 365
RECENT_SHOWN = 20


def todo_events(user: Any, rights: FigureRights, now: Any) -> EventQuerySet:
    """Ended drop-in events the user looks after that have no head count yet."""
    since = now - timedelta(days=LISTED_DAYS)
    events = reports.events_missing_head_count(user, now, since=since)
    if rights.venue_ids and not rights.everything:
        at_venues = reports.events_missing_head_count_at_venues(rights.venue_ids, now, since=since)
        events = (
            Event.objects.filter(Q(pk__in=events.values("pk")) | Q(pk__in=at_venues.values("pk")))
            .select_related("venue", "organiser")
            .order_by("ends_at", "id")
        )
    return events


def _counted_events(rights: FigureRights) -> Q:
    if rights.everything:
        return Q()
    return Q(event__venue_id__in=rights.venue_ids) | Q(event__organiser_id__in=rights.organiser_ids)


@require_safe
@staff_only(may_enter_head_counts)
def head_count_list(request: HttpRequest) -> HttpResponse:
    """The events waiting for a head count, and the counts entered lately (to correct them)."""
    rights = figure_rights(request.user)
    recent = (
        VisitFigure.objects.filter(_counted_events(rights), source=Source.HEAD_COUNT, replaced_at__isnull=True)
        .select_related("event", "event__venue", "entered_by")
        .order_by("-entered_at", "-id")[:RECENT_SHOWN]
    )
    context = {"todo": todo_events(request.user, rights, timezone.now()), "recent": recent}
    return render(request, "frontend/statistics/head_counts.html", context)


class HeadCountForm(forms.Form):
    visits = forms.IntegerField(
        label=gettext_lazy("People counted"),
        min_value=0,
        max_value=MAX_VISITS,
        help_text=gettext_lazy("Everyone who came, children included, as a whole number."),
        error_messages={
            "required": gettext_lazy("Enter the number of people counted."),
            "invalid": gettext_lazy("Enter a whole number, for example 120."),
            "min_value": gettext_lazy("The number cannot be negative."),
            "max_value": gettext_lazy("The number is too large: at most %(limit_value)s."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("How the count was made, or why it is corrected."),
        error_messages={"max_length": gettext_lazy("Keep the note to %(limit_value)d characters.")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only(may_enter_head_counts)
def head_count_form(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter, or correct, the head count of one event."""
    event = get_object_or_404(Event.objects.select_related("venue", "organiser"), slug=slug)
    if not figure_rights(request.user).allows(head_count(event)):
        return render(request, "frontend/staff/forbidden.html", status=403)
    history = list(
        VisitFigure.objects.filter(event=event, source=Source.HEAD_COUNT)
        .select_related("entered_by")
        .order_by("-entered_at", "-id")
    )
    current = next((figure for figure in history if figure.replaced_at is None), None)
    form = HeadCountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            figure = record_figure(
                figure=head_count(event, visits=form.cleaned_data["visits"], note=form.cleaned_data["note"]),
                entered_by_id=request.user.pk,
            )
        except FigureRejected as error:
            form.add_error("visits", error.message)
        else:
            if current is None:
                text = _("Saved: the head count of %(event)s is %(count)s.")
            else:
                text = _("Corrected: the head count of %(event)s is now %(count)s. The earlier count is kept.")
            messages.success(request, text % {"count": number(figure.visits), "event": event.title})
            return redirect("frontend:head_counts")
    context = {
        "event": event,
        "form": form,
        "current": current,
        "history": history,
        "is_ticketed": event.booking_mode != BookingMode.DROP_IN,
        "has_started": event.starts_at <= timezone.now(),
    }
    return render(request, "frontend/statistics/head_count_form.html", context, status=400 if form.errors else 200)
