"""Ticket types for the demo catalogue, so the whole booking flow can be tried at once."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from events.models import BookingMode, Event
from tickets.models import TicketType

STANDARD_VAT = Decimal("25.00")
EXEMPT = Decimal("0.00")


@dataclass(frozen=True)
class DemoPrice:
    names: tuple[str, str, str, str]  # da, en, sv, de
    price_ore: int
    vat_rate: Decimal


ADULT = ("Voksen", "Adult", "Vuxen", "Erwachsene")
YOUTH = ("Under 26 år", "Under 26", "Under 26 år", "Unter 26")
CHILD = ("Barn under 12 år", "Child under 12", "Barn under 12 år", "Kind unter 12")
COMPANION = ("Ledsager til kørestolsbruger", "Wheelchair user's companion", "Ledsagare", "Begleitperson")
FREE = ("Gratis billet", "Free ticket", "Gratisbiljett", "Freikarte")

PRICES: dict[str, list[DemoPrice]] = {
    "koncert": [DemoPrice(ADULT, 25000, STANDARD_VAT), DemoPrice(YOUTH, 15000, STANDARD_VAT)],
    "teater": [DemoPrice(ADULT, 22000, STANDARD_VAT), DemoPrice(YOUTH, 12000, STANDARD_VAT)],
    "dans": [DemoPrice(ADULT, 18000, STANDARD_VAT), DemoPrice(YOUTH, 10000, STANDARD_VAT)],
    "boern-og-familie": [DemoPrice(ADULT, 9500, STANDARD_VAT), DemoPrice(CHILD, 6000, STANDARD_VAT)],
    "festival": [DemoPrice(ADULT, 39500, STANDARD_VAT)],
    "film": [DemoPrice(ADULT, 9000, STANDARD_VAT)],
    "rundvisning": [DemoPrice(ADULT, 12000, EXEMPT), DemoPrice(CHILD, 6000, EXEMPT)],
    "udstilling": [DemoPrice(ADULT, 11000, EXEMPT), DemoPrice(CHILD, 0, EXEMPT)],
}
DEFAULT = [DemoPrice(ADULT, 15000, STANDARD_VAT)]


def _types_for(event: Event) -> list[TicketType]:
    if event.booking_mode == BookingMode.FREE_REGISTRATION:
        prices = [DemoPrice(FREE, 0, EXEMPT)]
    else:
        prices = PRICES.get(event.category.slug, DEFAULT)
    types = [
        TicketType(
            event=event,
            **dict(zip(("name_da", "name_en", "name_sv", "name_de"), price.names, strict=True)),
            price_ore=price.price_ore,
            vat_rate=price.vat_rate,
            max_per_order=4 if price.price_ore == 0 else 10,
            position=position,
        )
        for position, price in enumerate(prices)
    ]
    if event.booking_mode == BookingMode.TICKETS and event.venue.wheelchair_spaces:
        types.append(
            TicketType(
                event=event,
                **dict(zip(("name_da", "name_en", "name_sv", "name_de"), COMPANION, strict=True)),
                price_ore=0,
                vat_rate=prices[0].vat_rate,
                max_per_order=1,
                is_companion=True,
                position=len(types),
            )
        )
    return types


@transaction.atomic
def load_demo_ticket_types() -> int:
    """Give every upcoming bookable event without ticket types a demo set; running it again adds nothing."""
    events = (
        Event.objects.upcoming()
        .exclude(booking_mode=BookingMode.DROP_IN)
        .filter(ticket_types__isnull=True)
        .select_related("category", "venue")
    )
    types = [ticket_type for event in events.iterator(chunk_size=1000) for ticket_type in _types_for(event)]
    TicketType.objects.bulk_create(types, batch_size=1000)
    return len(types)
