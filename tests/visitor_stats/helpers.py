"""Helpers for visitor-statistics tests: bookings placed through the services, admissions, the rollup table."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from events.models import BookingMode, Event
from tests.factories import EventFactory, TicketTypeFactory, buyer
from tickets.models import Order, OrderStatus, Ticket, TicketType
from tickets.services import Item, mark_paid, place_order
from visitor_stats.figures import FigureInput, record_figure
from visitor_stats.models import DailyVisits, Origin, Source, VisitFigure

CPH = ZoneInfo("Europe/Copenhagen")


def at(month: int, day: int, hour: int = 19, minute: int = 0, *, year: int = 2024) -> datetime:
    """A moment in Copenhagen time (2024 unless told)."""
    return datetime(year, month, day, hour, minute, tzinfo=CPH)


def event_on(starts_at: datetime, **kwargs) -> Event:
    """A published event of two hours starting at `starts_at`."""
    return EventFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs)


def ticket_type_of(event: Event, **kwargs) -> TicketType:
    """The event's first ordinary ticket type, made when there is none (free for free registration)."""
    existing = event.ticket_types.filter(is_companion=False).first()
    if existing is not None and not kwargs:
        return existing
    if event.booking_mode == BookingMode.FREE_REGISTRATION:
        kwargs = {"price_ore": 0, "vat_rate": "0.00"} | kwargs
    return TicketTypeFactory(event=event, **kwargs)


def book(event: Event, quantity: int = 1, *, companions: int = 0, **buyer_overrides) -> Order:
    """An order placed a week before the event through the services and paid (free ones are issued at once)."""
    now = event.starts_at - timedelta(days=7)
    items = [Item(ticket_type_of(event).pk, quantity)]
    if companions:
        companion = event.ticket_types.filter(is_companion=True).first() or TicketTypeFactory(
            event=event, is_companion=True, price_ore=0, vat_rate="0.00"
        )
        items.append(Item(companion.pk, companions))
    order = place_order(event_id=event.pk, items=items, buyer=buyer(**buyer_overrides), now=now)
    if order.status != OrderStatus.PAID:
        mark_paid(order=order, now=now)
    order.refresh_from_db()
    return order


def tickets_of(order: Order) -> list[Ticket]:
    return list(order.tickets.order_by("ticket_type__is_companion", "issued_at", "id"))


def admit(tickets: list[Ticket], when: datetime, *, changed_at: datetime | None = None) -> None:
    """Tickets admitted at the door at `when` (the door state a first scan leaves)."""
    Ticket.objects.filter(pk__in=[ticket.pk for ticket in tickets]).update(
        entered_at=when, entry_gate="Main door", is_inside=True, door_changed_at=changed_at or when
    )


def admitted(ticket_type: TicketType, quantity: int, entered: int, **buyer_overrides: object) -> list[Ticket]:
    """A paid order of `quantity` tickets (sold before the event), the first `entered` admitted at the door."""
    event = ticket_type.event
    sold_at = event.starts_at - timedelta(days=10)
    order = place_order(
        event_id=event.pk, items=[Item(ticket_type.pk, quantity)], buyer=buyer(**buyer_overrides), now=sold_at
    )
    tickets = mark_paid(order=order, now=sold_at)
    door = [ticket.pk for ticket in tickets[:entered]]
    Ticket.objects.filter(pk__in=door).update(entered_at=event.starts_at, door_changed_at=event.starts_at)
    return tickets


def figure_over(source: str, venue, start: datetime, hours: int, visits: int, **extra: object) -> VisitFigure:
    """A figure over `hours` from `start`, recorded through the service by nobody in particular."""
    return figure(source, venue, start, visits, hours=hours, **extra)


def figure(
    source: str, venue, start: datetime, visits: int, *, hours: int = 1, user_id: int | None = None, **kwargs
) -> VisitFigure:
    """A figure recorded through the service, as the API, the CSV import and the admin do."""
    if source == Source.GATE_COUNTER:
        kwargs.setdefault("counter", "Main door")
    return record_figure(
        figure=FigureInput(
            source=source,
            venue=venue,
            period_start=start,
            period_end=start + timedelta(hours=hours),
            visits=visits,
            **kwargs,
        ),
        entered_by_id=user_id,
    )


def rollup_table() -> Counter:
    """The rollup table as a multiset of rows: (day, venue, event, category, source, quality, origin, visits)."""
    return Counter(
        DailyVisits.objects.values_list(
            "day", "venue_id", "event_id", "category_id", "source", "quality", "origin", "visits"
        )
    )


def rollup_rows() -> list[tuple]:
    return sorted(rollup_table().elements(), key=repr)


ORIGIN = {"DK": Origin.OTHER_DANISH, "SE": Origin.SWEDISH, "DE": Origin.GERMAN}


def culture_office_user(**kwargs):
    """A member of the culture office: staff with the permission to see every event's attendance."""
    from django.contrib.auth.models import Permission, User

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, **kwargs)
    user.user_permissions.add(Permission.objects.get(codename="view_all_attendance", content_type__app_label="tickets"))
    return User.objects.get(pk=user.pk)  # without the cached permissions


def role_users(venue_a, venue_b, organiser) -> dict:
    """One user per role: `user` (none), `staff_a` / `staff_b` (door staff of each venue), `organiser`
    (a member of the organiser), `office` (the Culture office group) and `admin`."""
    from django.contrib.auth.models import Group, User

    users = {name: User.objects.create_user(name) for name in ("user", "staff_a", "staff_b", "organiser", "office")}
    venue_a.staff.add(users["staff_a"])
    venue_b.staff.add(users["staff_b"])
    organiser.members.add(users["organiser"])
    users["office"].groups.add(Group.objects.get(name="Culture office"))
    users["admin"] = User.objects.create_superuser("admin")
    return users
