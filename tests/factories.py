"""Factories for the tests: sensible Helsingør defaults, override what a test is about."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from events.models import BookingMode, Category, Event, EventSeries, EventStatus, Organiser
from tickets.models import Payment, PaymentStatus, ScannerDevice, Ticket, TicketType
from venues.models import Entrance, Hall, Venue


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Kulturhus {n}")
    slug = factory.Sequence(lambda n: f"kulturhus-{n}")
    description_da = "Et kulturhus i Helsingør."
    street_address = "Allégade 2"
    postcode = "3000"
    town = "Helsingør"
    latitude = Decimal("56.038700")
    longitude = Decimal("12.620300")
    has_step_free_access = True


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Sal {n}")
    slug = factory.Sequence(lambda n: f"sal-{n}")
    seated_capacity = 500
    standing_capacity = 1000


class EntranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrance

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Indgang {n}")
    slug = factory.Sequence(lambda n: f"indgang-{n}")


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Arrangør {n}")
    slug = factory.Sequence(lambda n: f"arrangor-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"kategori-{n}")
    name_da = factory.Sequence(lambda n: f"Kategori {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class EventContentFactory(factory.django.DjangoModelFactory):
    organiser = factory.SubFactory(OrganiserFactory)
    category = factory.SubFactory(CategoryFactory)
    venue = factory.SubFactory(VenueFactory)
    title_da = factory.Sequence(lambda n: f"Koncert {n}")
    summary_da = "En aften med musik."
    booking_mode = BookingMode.TICKETS


class EventFactory(EventContentFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    status = EventStatus.PUBLISHED
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class EventSeriesFactory(EventContentFactory):
    class Meta:
        model = EventSeries

    slug = factory.Sequence(lambda n: f"series-{n}")
    status = EventStatus.PUBLISHED
    first_starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    duration = timedelta(hours=1)
    recurrence_rule = "FREQ=WEEKLY;COUNT=10"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"

    username = factory.Sequence(lambda n: f"user-{n}")


class ScannerDeviceFactory(factory.django.DjangoModelFactory):
    """A device that is not registered yet; pass `venues=[...]` to choose where it may scan."""

    class Meta:
        model = ScannerDevice
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Door phone {n}")

    @factory.post_generation
    def venues(self, create, extracted, **kwargs):
        if create and extracted:
            self.venues.set(extracted)


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    event = factory.SubFactory(EventFactory)
    name_da = factory.Sequence(lambda n: f"Billet {n}")
    name_en = factory.Sequence(lambda n: f"Ticket {n}")
    price_ore = 25000
    vat_rate = Decimal("25.00")


def buyer(**overrides):
    """Buyer details for an order; override what a test is about."""
    from tickets.services import Buyer

    values = {
        "name": "Karen Blixen",
        "email": "karen@example.dk",
        "is_resident": True,
        "postcode": "3000",
        "country": "DK",
        "language": "da",
    }
    return Buyer(**(values | overrides))


def paid_tickets(ticket_type, quantity=1, **buyer_overrides) -> list[Ticket]:
    """Tickets of an order placed and paid through the services, with a succeeded payment to refund."""
    from tickets.services import Item, mark_paid, place_order

    order = place_order(
        event_id=ticket_type.event_id, items=[Item(ticket_type.pk, quantity)], buyer=buyer(**buyer_overrides)
    )
    mark_paid(order=order, now=order.created_at)
    Payment.objects.create(
        order=order,
        provider="simulator",
        payment_intent_id=f"pi_sim_{order.reference}",
        amount_ore=order.total_ore,
        status=PaymentStatus.SUCCEEDED,
    )
    return list(order.tickets.order_by("id"))
