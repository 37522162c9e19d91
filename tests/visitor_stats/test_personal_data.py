"""Personal data kept only as long as needed: pseudonymisation, export and erasure leave the statistics as they were."""

from dataclasses import asdict
from datetime import UTC, timedelta

import pytest

from events.models import BookingMode
from tests.factories import VenueFactory
from tests.visitor_stats.helpers import admit, at, book, event_on, figure, tickets_of
from tickets import people, tasks
from tickets.models import Order, OrderLine, Payment, PaymentStatus, Refund, RefundStatus
from visitor_stats import reports, rollups
from visitor_stats.models import Origin, Source

pytestmark = pytest.mark.django_db
LONG_AFTER = at(6, 1, 12, year=2025)


def statistics() -> dict:
    """Everything the culture office and the public read, after a rebuild."""
    rollups.rebuild()
    return {
        "summary": asdict(reports.summary(year=2024, today=at(12, 31).date())),
        "visits": {group: reports.visits(year=2024, group_by=group) for group in reports.GROUPINGS},
        "open_data": reports.open_data(year=2024),
        "utilisation": {level: reports.utilisation(year=2024, level=level) for level in ("event", "hall", "venue")},
    }


def money(order: Order) -> tuple:
    lines = sorted(OrderLine.objects.filter(order=order).values_list("quantity", "unit_price_ore", "vat_rate"))
    payments = sorted(Payment.objects.filter(order=order).values_list("amount_ore", "status", "payment_intent_id"))
    refunds = sorted(Refund.objects.filter(payment__order=order).values_list("amount_ore", "status", "reason"))
    return (order.total_ore, order.status, order.paid_at, lines, payments, refunds)


def statistical(order: Order) -> tuple:
    return (order.person_key, order.buyer_is_resident, order.buyer_postcode, order.buyer_country)


@pytest.fixture
def season():
    """Visits of 2024 from residents (one of them booking twice), a Swede and a German, paid and refunded."""
    venue = VenueFactory(wheelchair_spaces=2)
    concert = event_on(at(3, 1), venue=venue, capacity=50)
    talk = event_on(at(4, 1), venue=venue, booking_mode=BookingMode.FREE_REGISTRATION, is_free=True)
    orders = [
        book(concert, 3, companions=1, email="Karen@Example.dk", name="Karen Blixen", newsletter_opt_in=True),
        book(talk, 2, email="karen@example.dk", name="Karen Blixen"),
        book(concert, 6, email="mette@example.dk", name="Mette Frederiksen"),
        book(concert, 5, email="sven@example.se", name="Sven", is_resident=False, country="SE", postcode="25220"),
        book(talk, 1, email="hans@example.de", name="Hans", is_resident=False, country="DE", postcode="20095"),
    ]
    for order in orders:
        admit(tickets_of(order)[:-1] or tickets_of(order), order.event.starts_at - timedelta(minutes=20))
        if order.total_ore:
            Payment.objects.create(
                order=order,
                provider="stripe",
                payment_intent_id=f"pi_{order.reference}",
                amount_ore=order.total_ore,
                status=PaymentStatus.SUCCEEDED,
            )
    refunded = orders[3]
    Refund.objects.create(
        payment=refunded.payments.get(), amount_ore=25000, status=RefundStatus.SUCCEEDED, reason="One seat returned"
    )
    figure(Source.GATE_COUNTER, venue, at(3, 2, 10), 40)
    figure(Source.PARTNER, VenueFactory(), at(5, 1, 0), 900, hours=24, origin=Origin.SWEDISH)
    people.assign_person_keys()
    return [Order.objects.get(pk=order.pk) for order in orders]


def test_pseudonymising_past_orders_leaves_every_statistic_as_it_was(season):
    # given a season's statistics and its orders' bookkeeping
    before = statistics()
    books = [money(order) for order in season]
    kept = [statistical(order) for order in season]
    # when the orders are pseudonymised long after the events
    changed = people.pseudonymise_past_orders(now=LONG_AFTER)
    # then names and e-mail addresses are gone, and nothing else changed
    after = [Order.objects.get(pk=order.pk) for order in season]
    assert changed == 5
    assert [(o.buyer_name, o.buyer_email, o.newsletter_opt_in, o.pseudonymised_at) for o in after] == [
        ("", "", False, LONG_AFTER)
    ] * 5
    assert [money(order) for order in after] == books
    assert [statistical(order) for order in after] == kept
    assert statistics() == before
    assert before["summary"]["unique_residents"] == 2
    assert before["summary"]["visits"] == 3 + 1 + 5 + 4 + 1 + 40 + 900


def test_pseudonymising_twice_changes_nothing_more(season):
    people.pseudonymise_past_orders(now=LONG_AFTER)
    assert people.pseudonymise_past_orders(now=LONG_AFTER + timedelta(days=1)) == 0
    assert set(Order.objects.values_list("pseudonymised_at", flat=True)) == {LONG_AFTER}


def test_orders_are_kept_whole_until_the_configured_days_after_their_event(season, settings):
    # given 30 days configured, and a moment 31 days after the concert but 29 after the talk
    settings.PSEUDONYMISE_AFTER_DAYS = 30
    when = at(3, 1, 21) + timedelta(days=31)
    # when the orders are pseudonymised then
    changed = people.pseudonymise_past_orders(now=when)
    # then only the concert's orders lost their names
    assert changed == 3
    assert sorted(Order.objects.exclude(buyer_email="").values_list("buyer_email", flat=True)) == [
        "hans@example.de",
        "karen@example.dk",
    ]


def test_by_default_orders_keep_their_names_for_90_days_after_their_event(season):
    # given the concert ending on 1 March at 21:00 and the talk on 1 April
    concert_ended = at(3, 1, 21)
    # when orders are pseudonymised 89 days after the concert, and then 91 days after it
    at_89_days = people.pseudonymise_past_orders(now=concert_ended + timedelta(days=89))
    at_91_days = people.pseudonymise_past_orders(now=concert_ended + timedelta(days=91))
    # then nothing is removed at first, and then the concert's three orders only
    assert (at_89_days, at_91_days) == (0, 3)
    assert Order.objects.filter(pseudonymised_at__isnull=True).count() == 2


def test_orders_without_a_person_key_get_one_before_their_email_is_removed(season):
    # given an order whose key was never assigned
    late = season[2]
    expected_key = people.person_key("mette@example.dk")
    Order.objects.filter(pk=late.pk).update(person_key="")
    # when it is pseudonymised
    people.pseudonymise_past_orders(now=LONG_AFTER)
    # then it keeps the person's key
    assert Order.objects.get(pk=late.pk).person_key == expected_key


def test_the_nightly_task_pseudonymises_orders_of_events_long_over(season):
    assert tasks.pseudonymise_past_orders.delay().get() == 5
    assert set(Order.objects.values_list("buyer_name", flat=True)) == {""}


def test_a_person_key_is_the_same_for_the_same_address_and_reveals_nothing(settings):
    settings.VISITOR_KEY_SECRET = "one secret"
    key = people.person_key("karen@example.dk")
    assert people.person_key("  KAREN@example.DK ") == key
    assert people.person_key("mette@example.dk") != key
    assert len(key) == 64 and "karen" not in key
    settings.VISITOR_KEY_SECRET = "another secret"
    assert people.person_key("karen@example.dk") != key


def test_a_buyers_export_holds_all_their_orders_whatever_the_case_of_the_address(season):
    # given the season; when Karen asks for her data
    export = people.export_buyer(" KAREN@example.dk")
    # then both her orders are listed with what is kept about her, and nobody else's
    assert export.email == "karen@example.dk"
    assert [(row["reference"], row["name"], row["email"], row["postcode"]) for row in export.orders] == [
        (season[0].reference, "Karen Blixen", "Karen@Example.dk", "3000"),
        (season[1].reference, "Karen Blixen", "karen@example.dk", "3000"),
    ]
    assert export.orders[0] == {
        "reference": season[0].reference,
        "event": season[0].event.title_da,
        "event_starts_at": season[0].event.starts_at.isoformat(),
        "status": "paid",
        "total_ore": 75000,
        "name": "Karen Blixen",
        "email": "Karen@Example.dk",
        "lives_in_helsingor_kommune": True,
        "postcode": "3000",
        "country": "DK",
        "language": "da",
        "newsletter_opt_in": True,
        "created_at": season[0].created_at.isoformat(),
        "personal_data_removed_at": None,
    }


def test_an_export_finds_an_order_not_yet_keyed_whose_address_was_typed_with_spaces():
    # given a new order, not keyed yet, with an address typed with spaces and capitals
    order = book(event_on(at(3, 1)), email="  Karen@Example.dk ")
    # when the buyer asks for their data
    export = people.export_buyer("karen@example.dk")
    # then the order is in it
    assert [row["reference"] for row in export.orders] == [order.reference]


def test_erasing_a_buyer_removes_them_from_all_their_orders_and_keeps_the_statistics(season):
    # given the season's statistics
    before = statistics()
    books = [money(order) for order in season]
    # when Karen's data is erased at her request
    erased = people.erase_buyer("karen@EXAMPLE.dk ", now=at(5, 1))
    # then her two orders lost her name and address, the others are untouched, and the figures are the same
    after = [Order.objects.get(pk=order.pk) for order in season]
    assert erased == 2
    assert [(o.buyer_name, o.buyer_email, o.pseudonymised_at) for o in after] == [
        ("", "", at(5, 1)),
        ("", "", at(5, 1)),
        ("Mette Frederiksen", "mette@example.dk", None),
        ("Sven", "sven@example.se", None),
        ("Hans", "hans@example.de", None),
    ]
    assert [money(order) for order in after] == books
    assert after[0].person_key == after[1].person_key == people.person_key("karen@example.dk")
    assert statistics() == before
    # and what is still kept about her can be exported, without her name or address
    export = people.export_buyer("karen@example.dk")
    assert [(row["name"], row["email"], row["personal_data_removed_at"]) for row in export.orders] == [
        ("", "", at(5, 1).astimezone(UTC).isoformat())
    ] * 2
    assert people.erase_buyer("karen@example.dk") == 0


def test_erasing_an_unknown_buyer_changes_nothing(season):
    assert people.erase_buyer("nobody@example.dk") == 0
    assert Order.objects.filter(pseudonymised_at__isnull=False).count() == 0
    assert people.export_buyer("nobody@example.dk").orders == []
