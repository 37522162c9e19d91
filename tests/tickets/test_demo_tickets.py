"""Demo ticket types make the demo catalogue bookable; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from events.models import BookingMode, Event
from tests.factories import EventFactory, TicketTypeFactory, VenueFactory, buyer
from tickets.exceptions import SoldOut
from tickets.models import TicketType
from tickets.services import Item, place_order

pytestmark = pytest.mark.django_db


def test_every_bookable_upcoming_demo_event_gets_ticket_types_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", events=40)

    call_command("load_demo_tickets")
    first = TicketType.objects.count()
    call_command("load_demo_tickets")

    assert TicketType.objects.count() == first > 0
    bookable = Event.objects.public().upcoming().exclude(booking_mode=BookingMode.DROP_IN)
    assert not bookable.filter(ticket_types__isnull=True).exists()
    assert not Event.objects.filter(booking_mode=BookingMode.DROP_IN, ticket_types__isnull=False).exists()
    free = TicketType.objects.filter(event__booking_mode=BookingMode.FREE_REGISTRATION)
    assert set(free.values_list("price_ore", flat=True)) == {0}


def test_no_companion_tickets_where_wheelchair_spaces_are_unknown(db):
    event = EventFactory(venue=VenueFactory(wheelchair_spaces=None))
    companion = TicketTypeFactory(event=event, is_companion=True, price_ore=0)

    with pytest.raises(SoldOut):
        place_order(event_id=event.pk, items=[Item(companion.pk, 1)], buyer=buyer())
