"""Reads of ticket sales for the API and pages: ticket types with their availability."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from events.models import Event
from tickets.capacity import availability, event_capacity
from tickets.models import Order, OrderStatus, Ticket, TicketStatus, TicketType

FEW_LEFT = 10


@dataclass(frozen=True)
class OfferedTicketType:
    ticket_type: TicketType
    is_on_sale: bool
    left: int | None

    @property
    def status(self) -> str:
        """`available`, `few_left`, `sold_out` or `not_on_sale`."""
        if not self.is_on_sale:
            return "not_on_sale"
        if self.left == 0:
            return "sold_out"
        if self.left is not None and self.left <= FEW_LEFT:
            return "few_left"
        return "available"


def offered_ticket_types(*, event: Event, now: datetime) -> list[OfferedTicketType]:
    """The visible ticket types of an event with what is left of each, counted in one query."""
    current = availability(event=event, now=now)
    offered = []
    for ticket_type in TicketType.objects.filter(event=event, is_visible=True).order_by("position", "id"):
        offered.append(
            OfferedTicketType(
                ticket_type=ticket_type,
                is_on_sale=ticket_type.is_in_sales_window(now) and event.ends_at > now,
                left=current.left_for(ticket_type, event.venue.wheelchair_spaces),
            )
        )
    return offered


# Reads for visitor statistics (visitor_stats reads tickets only through this module).

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@dataclass(frozen=True)
class AdmissionCount:
    """Tickets first admitted on one day, for one event, from buyers of one origin."""

    day: date
    venue_id: int
    event_id: int
    category_id: int | None
    is_resident: bool | None
    country: str
    visits: int


def admissions_by_day(
    *, start: datetime | None = None, end: datetime | None = None, venue_day: tuple[int, date] | None = None
) -> list[AdmissionCount]:
    """Each admitted ticket once, on the (Copenhagen) day it was first admitted, companions included."""
    tickets = Ticket.objects.filter(entered_at__isnull=False)
    if start is not None:
        tickets = tickets.filter(entered_at__gte=start)
    if end is not None:
        tickets = tickets.filter(entered_at__lt=end)
    if venue_day is not None:
        venue_id, day = venue_day
        day_start = datetime.combine(day, time.min, tzinfo=COPENHAGEN)
        tickets = tickets.filter(
            event__venue_id=venue_id, entered_at__gte=day_start, entered_at__lt=day_start + timedelta(days=1)
        )
    rows = (
        tickets.annotate(day=TruncDate("entered_at", tzinfo=COPENHAGEN))
        .values(
            "day",
            "event__venue_id",
            "event_id",
            "event__category_id",
            "order__buyer_is_resident",
            "order__buyer_country",
        )
        .annotate(visits=Count("pk"))
        .order_by()
    )
    return [
        AdmissionCount(
            day=row["day"],
            venue_id=row["event__venue_id"],
            event_id=row["event_id"],
            category_id=row["event__category_id"],
            is_resident=row["order__buyer_is_resident"],
            country=row["order__buyer_country"],
            visits=row["visits"],
        )
        for row in rows
    ]


def admission_days_changed_since(since: datetime) -> set[tuple[int, date]]:
    """(venue id, Copenhagen day) of admissions whose door state changed at or after `since`."""
    rows = (
        Ticket.objects.filter(door_changed_at__gte=since, entered_at__isnull=False)
        .annotate(day=TruncDate("entered_at", tzinfo=COPENHAGEN))
        .values_list("event__venue_id", "day")
        .distinct()
    )
    return {(venue_id, day) for venue_id, day in rows}


def admission_events_changed_since(since: datetime) -> set[int]:
    """Events with a ticket whose door state changed at or after `since` (its first admission may have moved)."""
    changed = Ticket.objects.filter(door_changed_at__gte=since).order_by()
    return set(changed.values_list("event_id", flat=True).distinct())


def unique_resident_people(*, start: datetime, end: datetime) -> int:
    """Distinct residents (by pseudonymous key) with a paid booking for an event starting in [start, end)."""
    return (
        Order.objects.filter(
            buyer_is_resident=True,
            status__in=[OrderStatus.PAID, OrderStatus.REFUNDED, OrderStatus.CANCELLED],
            paid_at__isnull=False,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .exclude(person_key="")
        .values("person_key")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class EventTicketTotals:
    event_id: int
    venue_id: int
    hall_id: int | None
    capacity: int | None
    issued: int
    checked_in: int


def ticket_totals_by_event(*, start: datetime, end: datetime) -> list[EventTicketTotals]:
    """Valid tickets issued and checked in per event starting in [start, end), with its capacity."""
    # Counted per event id over the tickets alone, then the few events read: grouping the join by
    # every column of the event and its hall sorted hundreds of thousands of wide rows.
    counts = (
        Ticket.objects.filter(event__starts_at__gte=start, event__starts_at__lt=end)
        .values("event_id")
        .annotate(
            issued=Count("pk", filter=Q(status=TicketStatus.VALID)),
            checked_in=Count("pk", filter=Q(status=TicketStatus.VALID, entered_at__isnull=False)),
        )
        .order_by()
    )
    totals = {row["event_id"]: row for row in counts}
    events = (
        Event.objects.filter(pk__in=totals)
        .select_related("hall")
        .only("venue_id", "hall_id", "capacity", "hall__seated_capacity", "hall__standing_capacity")
    )
    return [
        EventTicketTotals(
            event_id=event.pk,
            venue_id=event.venue_id,
            hall_id=event.hall_id,
            capacity=event_capacity(event),
            issued=totals[event.pk]["issued"],
            checked_in=totals[event.pk]["checked_in"],
        )
        for event in events
    ]
