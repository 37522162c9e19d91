"""The door over HTTP: scans, offline batches, scanner sync, device registration and attendance.

The rules behind each answer are tested on the services in tests/tickets/; here each answer is
checked as a client sees it: status, body, language, and what is stored.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import (
    EventFactory,
    ScannerDeviceFactory,
    TicketTypeFactory,
    UserFactory,
    VenueFactory,
    paid_tickets,
)
from tickets import cancellation, devices
from tickets.documents import ticket_code
from tickets.models import Scan, ScannerDevice, Ticket
from tickets.qr import sign_ticket
from tickets.signing_keys import public_keys

THROTTLE_KEY = "throttle_device_registration_127.0.0.1"


def iso(value) -> str:
    """A datetime as the API renders it."""
    return serializers.DateTimeField().to_representation(value)


def door_state(ticket: Ticket) -> tuple:
    fresh = Ticket.objects.get(pk=ticket.pk)
    return (fresh.status, fresh.entered_at, fresh.entry_gate, fresh.is_inside, fresh.door_changed_at)


@pytest.fixture(autouse=True)
def _fresh_registration_throttle():
    """Registrations are throttled per client address in the cache; each test starts with none."""
    cache.delete(THROTTLE_KEY)
    yield
    cache.delete(THROTTLE_KEY)


@pytest.fixture
def door(db):
    """A concert at Kulturværftet whose doors are open now, with one ticket type and a door steward."""
    venue = VenueFactory(slug="kulturvaerftet", name="Kulturværftet")
    event = EventFactory(
        slug="jazz",
        title_da="Jazz på havnen",
        title_en="Jazz by the harbour",
        venue=venue,
        starts_at=timezone.now() + timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(hours=3),
    )
    ticket_type = TicketTypeFactory(event=event, name_da="Voksen", name_en="Adult")
    staff = UserFactory()
    venue.staff.add(staff)
    return event, ticket_type, staff


@pytest.fixture
def staff_client(api_client, door):
    api_client.force_authenticate(door[2])
    return api_client


def scan(client, code, event=None, *, query="", **fields):
    body = {"code": code, "gate": "Main door", "nonce": uuid.uuid4().hex} | fields
    if event is not None:
        body["event"] = event.slug
    return client.post(f"/api/v1/scans/{query}", body, format="json")


def upload(client, *items):
    return client.post("/api/v1/scans/batch/?lang=en", {"scans": list(items)}, format="json")


def offline(ticket, *, minutes_ago, gate="Main door", result="ok", event=None, **fields):
    item = {
        "code": ticket_code(ticket) if isinstance(ticket, Ticket) else ticket,
        "gate": gate,
        "nonce": uuid.uuid4().hex,
        "scanned_at": iso(timezone.now() - timedelta(minutes=minutes_ago)),
        "offline_result": result,
    }
    if event is not None:
        item["event"] = event.slug
    return item | fields


# ---- one scan -----------------------------------------------------------------------------------


def test_an_ok_scan_is_200_with_the_ticket_summary_and_the_stored_scan(staff_client, door):
    event, ticket_type, staff = door
    [ticket] = paid_tickets(ticket_type)

    response = scan(staff_client, ticket_code(ticket), event, query="?lang=en", nonce="first-scan-1")

    stored = Scan.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "result": "ok",
        "code": "ok",
        "detail": "Welcome in.",
        "attention": False,
        "is_reentry": False,
        "ticket": {
            "id": str(ticket.pk),
            "event": {"slug": "jazz", "title": "Jazz by the harbour"},
            "ticket_type": {"id": ticket_type.pk, "name": "Adult"},
            "is_companion": False,
            "requires_attention": False,
        },
        "first_used": None,
        "scan": {
            "id": stored.pk,
            "nonce": "first-scan-1",
            "gate": "Main door",
            "direction": "in",
            "scanned_at": iso(stored.scanned_at),
            "device_scanned_at": None,
            "received_at": iso(stored.received_at),
            "is_double_entry": False,
            "offline_result": "",
        },
    }
    assert (stored.result, stored.ticket_id, stored.event_id, stored.user_id, stored.device_id) == (
        "ok",
        ticket.pk,
        event.pk,
        staff.pk,
        None,
    )
    assert stored.scanned_at == stored.received_at
    assert door_state(ticket)[1:4] == (stored.scanned_at, "Main door", True)


def test_a_scan_keeps_the_time_it_was_made(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    made_at = (timezone.now() - timedelta(minutes=2)).replace(microsecond=0)

    response = scan(staff_client, ticket_code(ticket), event, scanned_at=iso(made_at))

    stored = Scan.objects.get()
    assert response.status_code == 200
    assert (stored.scanned_at, response.json()["scan"]["scanned_at"]) == (made_at, iso(made_at))
    assert stored.received_at > made_at


@pytest.mark.parametrize("minutes", [10, -60 * 24 * 8], ids=["clock-ahead", "clock-a-week-behind"])
def test_an_online_scan_from_a_clock_that_cannot_be_right_is_made_when_received_and_keeps_the_device_time(
    staff_client, door, minutes
):
    # given a device whose clock is ten minutes ahead, or more than a week behind
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    device_time = (timezone.now() + timedelta(minutes=minutes)).replace(microsecond=0)

    # when it scans a valid ticket online
    response = scan(staff_client, ticket_code(ticket), event, scanned_at=iso(device_time))

    # then the holder is let in, at the time the server received the scan, and the device's time is kept
    stored = Scan.objects.get()
    assert (response.status_code, response.json()["result"]) == (200, "ok")
    assert (stored.scanned_at, stored.device_scanned_at) == (stored.received_at, device_time)
    assert response.json()["scan"]["device_scanned_at"] == iso(device_time)
    assert door_state(ticket)[1:3] == (stored.received_at, "Main door")


def _already_used(door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    ticket.entered_at, ticket.entry_gate, ticket.is_inside = timezone.now(), "Side door", True
    ticket.save()
    return ticket_code(ticket), ticket, {"event": event}


def _invalid(door):
    return "T1:THIS-IS-NOT-A-TICKET", None, {"event": door[0]}


def _wrong_event(door):
    event, _, _ = door
    other = EventFactory(venue=event.venue, starts_at=event.starts_at, ends_at=event.ends_at)
    [ticket] = paid_tickets(TicketTypeFactory(event=other))
    return ticket_code(ticket), ticket, {"event": event}


def _wrong_venue(door):
    event, _, _ = door
    elsewhere = EventFactory(starts_at=event.starts_at, ends_at=event.ends_at)
    [ticket] = paid_tickets(TicketTypeFactory(event=elsewhere))
    return ticket_code(ticket), ticket, {}


def _cancelled(door):
    [ticket] = paid_tickets(door[1])
    cancellation.cancel_order(order_id=ticket.order_id, refund_ore=0, reason="test")
    return ticket_code(ticket), ticket, {"event": door[0]}


def _refunded(door):
    [ticket] = paid_tickets(door[1])
    cancellation.cancel_order(order_id=ticket.order_id, reason="test")
    return ticket_code(ticket), ticket, {"event": door[0]}


def _not_yet_valid(door):
    event, _, _ = door
    later = EventFactory(venue=event.venue, starts_at=timezone.now() + timedelta(days=3))
    [ticket] = paid_tickets(TicketTypeFactory(event=later))
    return ticket_code(ticket), ticket, {"event": later}


def _expired(door):
    [ticket] = paid_tickets(door[1])
    code = sign_ticket(ticket_id=ticket.pk, event_id=ticket.event_id, valid_until=timezone.now() - timedelta(minutes=1))
    return code, ticket, {"event": door[0]}


def _not_inside(door):
    [ticket] = paid_tickets(door[1])
    return ticket_code(ticket), ticket, {"event": door[0], "direction": "out"}


@pytest.mark.parametrize(
    ("make", "result", "detail"),
    [
        (_already_used, "already_used", "This ticket has already been used."),
        (_invalid, "invalid", "This is not a valid ticket."),
        (_wrong_event, "wrong_event", "This ticket is for another event."),
        (_wrong_venue, "wrong_venue", "This ticket is for another venue."),
        (_cancelled, "cancelled", "This ticket has been cancelled."),
        (_refunded, "refunded", "This ticket has been refunded."),
        (_not_yet_valid, "not_yet_valid", "Admission has not opened yet."),
        (_expired, "expired", "This ticket has expired."),
        (_not_inside, "not_inside", "This ticket is not checked in."),
    ],
)
def test_each_rejection_is_409_with_its_code_stored_and_the_ticket_unchanged(staff_client, door, make, result, detail):
    code, ticket, fields = make(door)
    before = door_state(ticket) if ticket else None

    response = scan(staff_client, code, query="?lang=en", **fields)

    body = response.json()
    assert response.status_code == 409
    assert (body["result"], body["code"], body["detail"]) == (result, result, detail)
    assert (body["ticket"] or {}).get("id") == (str(ticket.pk) if ticket else None)
    assert body["scan"]["id"] == Scan.objects.get().pk
    assert list(Scan.objects.values_list("result", "ticket_id")) == [(result, ticket.pk if ticket else None)]
    if ticket:
        assert door_state(ticket) == before


def test_already_used_says_when_and_at_which_gate_the_ticket_was_first_used(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    first_at = (timezone.now() - timedelta(minutes=3)).replace(microsecond=0)
    scan(staff_client, ticket_code(ticket), event, gate="North", scanned_at=iso(first_at))

    response = scan(staff_client, ticket_code(ticket), event, gate="South")

    assert response.status_code == 409
    assert response.json()["first_used"] == {"at": iso(first_at), "gate": "North"}
    assert door_state(ticket)[1:4] == (first_at, "North", True)


@pytest.mark.parametrize(
    ("type_fields", "attention"),
    [
        ({}, False),
        ({"requires_attention": True}, True),
        ({"is_companion": True, "price_ore": 0}, True),
    ],
)
def test_a_companion_or_attention_ticket_is_flagged_for_the_screen(staff_client, door, type_fields, attention):
    event, _, _ = door
    event.venue.wheelchair_spaces = 4
    event.venue.save()
    ticket_type = TicketTypeFactory(event=event, **type_fields)
    [ticket] = paid_tickets(ticket_type)

    response = scan(staff_client, ticket_code(ticket), event)

    assert response.status_code == 200
    assert response.json()["attention"] is attention
    assert (response.json()["ticket"]["is_companion"], response.json()["ticket"]["requires_attention"]) == (
        ticket_type.is_companion,
        ticket_type.requires_attention,
    )


def test_the_answer_is_in_the_language_asked_for(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    scan(staff_client, ticket_code(ticket), event)

    by_query = scan(staff_client, ticket_code(ticket), event, query="?lang=en")
    by_header = staff_client.post(
        "/api/v1/scans/",
        {"code": ticket_code(ticket), "event": event.slug, "gate": "Main door", "nonce": uuid.uuid4().hex},
        format="json",
        headers={"accept-language": "sv"},
    )
    by_default = scan(staff_client, ticket_code(ticket), event)

    assert (by_query.json()["detail"], by_query["Content-Language"]) == ("This ticket has already been used.", "en")
    assert (by_query.json()["ticket"]["ticket_type"]["name"], by_query.json()["ticket"]["event"]["title"]) == (
        "Adult",
        "Jazz by the harbour",
    )
    assert (by_header.json()["detail"], by_header["Content-Language"]) == ("Biljetten har redan använts.", "sv")
    assert (by_default.json()["detail"], by_default["Content-Language"]) == ("Billetten er allerede brugt.", "da")
    assert by_default.json()["ticket"]["ticket_type"]["name"] == "Voksen"


def test_an_unknown_language_is_400_and_nothing_is_stored(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)

    response = scan(staff_client, ticket_code(ticket), event, query="?lang=xx")

    assert (response.status_code, response.json()["code"], list(response.json()["errors"])) == (
        400,
        "invalid_input",
        ["lang"],
    )
    assert Scan.objects.count() == 0


def _in_minutes(minutes: int) -> str:
    return iso(timezone.now() + timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"gate": None}, "gate"),
        ({"gate": ""}, "gate"),
        ({"gate": "G" * 51}, "gate"),
        ({"code": None}, "code"),
        ({"nonce": None}, "nonce"),
        ({"nonce": "short"}, "nonce"),
        ({"nonce": "has spaces in it"}, "nonce"),
        ({"nonce": "n" * 65}, "nonce"),
        ({"direction": "sideways"}, "direction"),
        ({"scanned_at": "yesterday"}, "scanned_at"),
        ({"event": "no-such-event"}, "event"),
        ({"event": "not a slug"}, "event"),
    ],
    ids=lambda value: repr(value)[:40],
)
def test_malformed_scans_are_400_invalid_input_and_store_nothing(staff_client, door, fields, field):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    before = door_state(ticket)
    body = {"code": ticket_code(ticket), "event": event.slug, "gate": "Main door", "nonce": uuid.uuid4().hex}
    body = {key: value for key, value in (body | fields).items() if value is not None}

    response = staff_client.post("/api/v1/scans/", body, format="json")

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["errors"])) == ("invalid_input", [field])
    assert Scan.objects.count() == 0
    assert door_state(ticket) == before


def test_a_draft_event_is_unknown_to_the_door(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    draft = EventFactory(venue=event.venue, status="draft")

    response = scan(staff_client, ticket_code(ticket), draft, query="?lang=en")

    assert (response.status_code, response.json()["errors"]) == (400, {"event": ["There is no such event."]})
    assert Scan.objects.count() == 0


def test_a_retry_with_the_same_nonce_gets_the_first_answer_and_stores_no_second_scan(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    first = scan(staff_client, ticket_code(ticket), event, nonce="retry-me-1")

    retry = scan(staff_client, ticket_code(ticket), event, nonce="retry-me-1")

    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.json() == first.json()
    assert Scan.objects.count() == 1


def test_a_nonce_reused_for_another_code_is_409_nonce_reused_and_changes_nothing(staff_client, door):
    event, ticket_type, _ = door
    [ticket, other] = paid_tickets(ticket_type, quantity=2)
    scan(staff_client, ticket_code(ticket), event, nonce="shared-nonce")
    before = door_state(other)

    response = scan(staff_client, ticket_code(other), event, nonce="shared-nonce")

    assert response.status_code == 409
    assert response.json() == {"code": "nonce_reused", "detail": "This nonce was already used for another scan."}
    assert list(Scan.objects.values_list("ticket_id", flat=True)) == [ticket.pk]
    assert door_state(other) == before


# ---- offline batches ----------------------------------------------------------------------------


def test_a_batch_answers_in_the_order_sent_with_malformed_items_reported_and_the_rest_stored(staff_client, door):
    event, ticket_type, _ = door
    [first, second, turned_away] = paid_tickets(ticket_type, quantity=3)
    items = [
        offline(first, minutes_ago=2, gate="North", event=event),
        offline(second, minutes_ago=4, gate="South", event=event) | {"nonce": "bad nonce"},
        offline(second, minutes_ago=4, gate="South", event=event),
        offline(turned_away, minutes_ago=3, gate="South", result="already_used", event=event),
        offline(first, minutes_ago=1, gate="South", event=event),
        {"gate": "North"},
    ]

    response = upload(staff_client, *items)

    results = response.json()["results"]
    assert response.status_code == 200
    assert [result["code"] for result in results] == [
        "ok",
        "invalid_input",
        "ok",
        "already_used",
        "already_used",
        "invalid_input",
    ]
    assert [result.get("scan", {}).get("nonce") for result in results] == [
        items[0]["nonce"],
        None,
        items[2]["nonce"],
        items[3]["nonce"],
        items[4]["nonce"],
        None,
    ]
    assert list(results[1]["errors"]) == ["nonce"]
    assert sorted(results[5]["errors"]) == ["code", "nonce", "scanned_at"]
    assert Scan.objects.count() == 4
    assert door_state(first)[1:4] == (Scan.objects.get(nonce=items[0]["nonce"]).scanned_at, "North", True)


def test_an_offline_double_entry_is_stored_and_flagged(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    online = scan(staff_client, ticket_code(ticket), event, gate="North")
    second_device = offline(ticket, minutes_ago=-1, gate="South", event=event)

    response = upload(staff_client, second_device)

    [result] = response.json()["results"]
    assert online.status_code == 200
    assert (result["code"], result["scan"]["is_double_entry"], result["scan"]["offline_result"]) == (
        "already_used",
        True,
        "ok",
    )
    assert result["first_used"]["gate"] == "North"
    assert list(Scan.objects.order_by("id").values_list("gate", "result", "is_double_entry", "is_offline")) == [
        ("North", "ok", False, False),
        ("South", "already_used", True, True),
    ]


def test_scans_a_device_turned_away_offline_are_stored_and_change_nothing(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    before = door_state(ticket)

    response = upload(staff_client, offline(ticket, minutes_ago=1, result="not_yet_valid", event=event))

    [result] = response.json()["results"]
    assert (response.status_code, result["code"], result["scan"]["offline_result"]) == (
        200,
        "not_yet_valid",
        "not_yet_valid",
    )
    assert door_state(ticket) == before
    assert Scan.objects.get().result == "not_yet_valid"


def test_a_batch_item_for_an_unknown_event_is_reported_and_does_not_block_the_rest(staff_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    unknown = offline(ticket, minutes_ago=2) | {"event": "gone-to-draft"}

    response = upload(staff_client, unknown, offline(ticket, minutes_ago=1, event=event))

    assert response.status_code == 200
    assert response.json()["results"][0] == {
        "code": "invalid_input",
        "errors": {"event": ["There is no such event."]},
    }
    assert response.json()["results"][1]["code"] == "ok"
    assert Scan.objects.count() == 1


def test_a_batch_uploaded_twice_gets_the_same_answers_and_stores_nothing_new(staff_client, door):
    event, ticket_type, _ = door
    [first, second] = paid_tickets(ticket_type, quantity=2)
    items = [offline(first, minutes_ago=2, event=event), offline(second, minutes_ago=1, event=event)]
    first_upload = upload(staff_client, *items)

    second_upload = upload(staff_client, *items)

    assert second_upload.json() == first_upload.json()
    assert Scan.objects.count() == 2


def test_a_batch_item_with_a_nonce_reused_for_another_code_does_not_block_the_rest(staff_client, door):
    event, ticket_type, _ = door
    [first, second] = paid_tickets(ticket_type, quantity=2)
    scan(staff_client, ticket_code(first), event, nonce="taken-nonce")

    response = upload(
        staff_client,
        offline(second, minutes_ago=2, event=event) | {"nonce": "taken-nonce"},
        offline(second, minutes_ago=1, event=event),
    )

    assert response.status_code == 200
    assert [result["code"] for result in response.json()["results"]] == ["nonce_reused", "ok"]


def test_a_batch_item_from_a_clock_ahead_is_stored_at_the_time_received_with_the_device_time_kept(staff_client, door):
    # given a device whose clock ran ten minutes ahead while it let two holders in offline
    event, ticket_type, _ = door
    [ahead, right] = paid_tickets(ticket_type, quantity=2)
    items = [offline(ahead, minutes_ago=-10, event=event), offline(right, minutes_ago=2, event=event)]

    # when its queue is uploaded
    response = upload(staff_client, *items)

    # then both are stored; the one ahead at the time received, with the device's time beside it
    assert [result["code"] for result in response.json()["results"]] == ["ok", "ok"]
    stored = Scan.objects.get(nonce=items[0]["nonce"])
    assert (iso(stored.scanned_at), iso(stored.device_scanned_at)) == (iso(stored.received_at), items[0]["scanned_at"])
    assert Scan.objects.get(nonce=items[1]["nonce"]).device_scanned_at is None
    assert door_state(ahead)[1:3] == (stored.received_at, "Main door")


def test_a_shared_phones_queue_uploaded_after_a_change_of_sign_in_keeps_who_scanned(staff_client, door):
    # given a phone on which one steward let two holders in offline, and then a colleague signed in
    event, ticket_type, first_steward = door
    colleague = UserFactory()
    event.venue.staff.add(colleague)
    [theirs, mine] = paid_tickets(ticket_type, quantity=2)
    staff_client.force_authenticate(colleague)
    me = staff_client.get("/api/v1/scanner/me/").json()

    # when the colleague's sign-in uploads the queue, with a scan of their own after the first steward's
    items = [
        offline(theirs, minutes_ago=5, event=event, scanned_as=f"user:{first_steward.pk}"),
        offline(mine, minutes_ago=1, event=event, scanned_as=me["key"]),
    ]
    response = upload(staff_client, *items)

    # then both are stored as the uploader's, and the first keeps who was signed in when it was scanned
    assert me["key"] == f"user:{colleague.pk}"
    assert [result["code"] for result in response.json()["results"]] == ["ok", "ok"]
    stored = Scan.objects.order_by("scanned_at").values_list("ticket_id", "user_id", "offline_scanned_as")
    assert list(stored) == [(theirs.pk, colleague.pk, f"user:{first_steward.pk}"), (mine.pk, colleague.pk, "")]


@pytest.mark.parametrize("claimed", ["admin", "user:", "user:12 Mette", "group:1"])
def test_a_batch_item_with_an_unreadable_scanned_as_is_refused_alone(staff_client, door, claimed):
    event, ticket_type, _ = door
    [odd, fine] = paid_tickets(ticket_type, quantity=2)

    response = upload(
        staff_client,
        offline(odd, minutes_ago=2, event=event, scanned_as=claimed),
        offline(fine, minutes_ago=1, event=event),
    )

    [refused, stored] = response.json()["results"]
    assert (refused["code"], list(refused["errors"]), stored["code"]) == ("invalid_input", ["scanned_as"], "ok")
    assert list(Scan.objects.values_list("ticket_id", flat=True)) == [fine.pk]


def test_a_batch_item_older_than_a_week_is_refused_alone_and_the_rest_is_stored(staff_client, door):
    event, ticket_type, _ = door
    [old, recent] = paid_tickets(ticket_type, quantity=2)

    response = upload(
        staff_client, offline(old, minutes_ago=60 * 24 * 8, event=event), offline(recent, minutes_ago=1, event=event)
    )

    [refused, stored] = response.json()["results"]
    assert (response.status_code, refused["code"], list(refused["errors"])) == (200, "invalid_input", ["scanned_at"])
    assert stored["code"] == "ok"
    assert list(Scan.objects.values_list("ticket_id", flat=True)) == [recent.pk]


def test_a_batch_item_at_a_venue_the_uploader_may_not_scan_at_is_refused_alone(staff_client, door):
    # given a queue with a scan at another venue's event between two scans at the staff member's own
    event, ticket_type, _ = door
    [first, second] = paid_tickets(ticket_type, quantity=2)
    elsewhere = EventFactory(slug="elsewhere", venue=VenueFactory(slug="elsewhere"))
    [theirs] = paid_tickets(TicketTypeFactory(event=elsewhere))
    items = [
        offline(first, minutes_ago=3, event=event),
        offline(theirs, minutes_ago=2, event=elsewhere),
        offline(second, minutes_ago=1, event=event),
    ]

    # when it is uploaded
    response = upload(staff_client, *items)

    # then that item alone is refused, the others are stored, and the other venue's ticket is untouched
    [stored_first, refused, stored_second] = response.json()["results"]
    assert response.status_code == 200
    assert refused == {"code": "permission_denied", "detail": "You may not scan at this event's venue."}
    assert (stored_first["code"], stored_second["code"]) == ("ok", "ok")
    assert sorted(Scan.objects.values_list("nonce", flat=True)) == sorted([items[0]["nonce"], items[2]["nonce"]])
    assert door_state(theirs)[1] is None


@pytest.mark.parametrize("body", [{}, {"scans": []}, {"scans": "nope"}, {"scans": [{}] * 501}])
def test_an_empty_or_oversized_batch_is_400_and_stores_nothing(staff_client, door, body):
    response = staff_client.post("/api/v1/scans/batch/", body, format="json")

    assert (response.status_code, response.json()["code"], list(response.json()["errors"])) == (
        400,
        "invalid_input",
        ["scans"],
    )
    assert Scan.objects.count() == 0


# ---- sync ---------------------------------------------------------------------------------------


def test_a_full_sync_has_the_keys_tickets_revoked_used_and_counts(staff_client, door):
    event, ticket_type, _ = door
    [valid, used] = paid_tickets(ticket_type, quantity=2)
    [cancelled] = paid_tickets(ticket_type)
    [refunded] = paid_tickets(ticket_type)
    cancellation.cancel_order(order_id=cancelled.order_id, refund_ore=0, reason="test")
    cancellation.cancel_order(order_id=refunded.order_id, reason="test")
    scan(staff_client, ticket_code(used), event, gate="North")
    entered_at = Ticket.objects.get(pk=used.pk).entered_at

    response = staff_client.get(f"/api/v1/scanner/sync/?event={event.slug}")

    body = response.json()
    assert response.status_code == 200
    assert body["event"] == {
        "id": event.pk,
        "slug": "jazz",
        "title": "Jazz på havnen",
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "doors_open_at": None,
        "admission_opens_at": iso(event.starts_at - timedelta(hours=1)),
        "status": "published",
        "allows_reentry": False,
        "venue": {"slug": "kulturvaerftet", "name": "Kulturværftet"},
    }
    assert body["public_keys"] == {"1": public_keys()[1]}
    assert body["ticket_types"] == [
        {"id": ticket_type.pk, "name": "Voksen", "is_companion": False, "requires_attention": False}
    ]
    assert sorted(body["tickets"]) == sorted([[str(valid.pk), ticket_type.pk], [str(used.pk), ticket_type.pk]])
    assert sorted(body["revoked"]) == sorted([[str(cancelled.pk), "cancelled"], [str(refunded.pk), "refunded"]])
    assert body["used"] == [
        {
            "ticket": str(used.pk),
            "entered_at": iso(entered_at),
            "gate": "North",
            "inside": True,
            "passed_at": iso(entered_at),
        }
    ]
    assert body["counts"] == {"sold": 2, "checked_in": 1, "inside_now": 1, "capacity": None}
    assert body["incremental"] is False
    assert body["next_since"] == body["server_time"]


def test_an_incremental_sync_lists_only_what_changed_since_the_previous_answer(staff_client, door):
    event, ticket_type, _ = door
    [unchanged, admitted_later, admitted_before] = paid_tickets(ticket_type, quantity=3)
    [cancelled_later] = paid_tickets(ticket_type)
    scan(staff_client, ticket_code(admitted_before), event)
    long_ago = timezone.now() - timedelta(minutes=10)
    Ticket.objects.update(issued_at=long_ago)
    Ticket.objects.filter(door_changed_at__isnull=False).update(door_changed_at=long_ago)
    full = staff_client.get(f"/api/v1/scanner/sync/?event={event.slug}").json()
    since = full["next_since"]
    Ticket.objects.update(issued_at=long_ago)  # the full sync happened well before the changes below
    [new] = paid_tickets(ticket_type)
    cancellation.cancel_order(order_id=cancelled_later.order_id, refund_ore=0, reason="test")
    scan(staff_client, ticket_code(admitted_later), event, gate="South")

    response = staff_client.get("/api/v1/scanner/sync/", {"event": event.slug, "since": since})

    body = response.json()
    assert (len(full["tickets"]), len(full["used"]), full["revoked"]) == (4, 1, [])
    assert response.status_code == 200
    assert body["incremental"] is True
    assert body["tickets"] == [[str(new.pk), ticket_type.pk]]
    assert body["revoked"] == [[str(cancelled_later.pk), "cancelled"]]
    assert [(used["ticket"], used["gate"]) for used in body["used"]] == [(str(admitted_later.pk), "South")]
    assert body["counts"] == {"sold": 4, "checked_in": 2, "inside_now": 2, "capacity": None}
    assert unchanged.pk not in {row[0] for row in body["tickets"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [("?event=jazz&since=yesterday", "since"), ("", "event"), ("?since=2026-01-01T00:00:00Z", "event")],
)
def test_a_sync_with_a_bad_since_or_without_an_event_is_400(staff_client, door, query, field):
    response = staff_client.get(f"/api/v1/scanner/sync/{query}")

    assert (response.status_code, response.json()["code"], list(response.json()["errors"])) == (
        400,
        "invalid_input",
        [field],
    )


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:30+00:00"])
def test_a_sync_since_the_earliest_time_there_is_answers_with_everything(staff_client, door, settings, since):
    settings.TIME_ZONE = "UTC"  # the time is read as it was sent, at the very edge of what Python can hold
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)

    response = staff_client.get("/api/v1/scanner/sync/", {"event": event.slug, "since": since})

    assert response.status_code == 200
    assert (response.json()["incremental"], response.json()["tickets"]) == (True, [[str(ticket.pk), ticket_type.pk]])


def test_a_sync_of_an_unknown_event_is_400(staff_client, door):
    response = staff_client.get("/api/v1/scanner/sync/?event=no-such-event&lang=en")

    assert (response.status_code, response.json()["errors"]) == (400, {"event": ["There is no such event."]})


# ---- devices ------------------------------------------------------------------------------------


def register(api_client, code):
    return api_client.post("/api/v1/scanner/devices/register/", {"code": code}, format="json")


def test_a_device_registers_with_its_code_once_and_its_token_scans_at_its_venue(api_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    device = ScannerDeviceFactory(name="Door phone 1", venues=[event.venue])
    code = devices.new_registration_code(device_id=device.pk)

    response = register(api_client, code.lower().replace("-", " "))
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    me = api_client.get("/api/v1/scanner/me/")
    scanned = scan(api_client, ticket_code(ticket), event)
    synced = api_client.get(f"/api/v1/scanner/sync/?event={event.slug}")
    listed = api_client.get("/api/v1/scanner/events/")

    assert response.status_code == 201
    assert response.json() == {
        "token": token,
        "device": {
            "id": device.pk,
            "name": "Door phone 1",
            "venues": [{"slug": "kulturvaerftet", "name": "Kulturværftet"}],
        },
    }
    assert len(token) >= 40
    assert me.json() == {
        "kind": "device",
        "key": f"device:{device.pk}",
        "name": "Door phone 1",
        "venues": [{"slug": "kulturvaerftet", "name": "Kulturværftet"}],
        "all_venues": False,
    }
    assert scanned.status_code == 200
    assert list(Scan.objects.values_list("device_id", "user_id")) == [(device.pk, None)]
    assert synced.status_code == 200
    assert [item["slug"] for item in listed.json()["results"]] == ["jazz"]
    device.refresh_from_db()
    assert (device.registered_at is not None, device.registration_code_hash, device.token_hash != token) == (
        True,
        "",
        True,
    )


def test_a_registration_code_works_only_once(api_client, door):
    device = ScannerDeviceFactory(venues=[door[0].venue])
    code = devices.new_registration_code(device_id=device.pk)
    register(api_client, code)
    token_hash = ScannerDevice.objects.get(pk=device.pk).token_hash

    again = register(api_client, code)

    assert again.status_code == 409
    assert again.json() == {
        "code": "registration_code_invalid",
        "detail": "This code is unknown, used or expired. Ask for a new one.",
    }
    assert ScannerDevice.objects.get(pk=device.pk).token_hash == token_hash


@pytest.mark.parametrize("case", ["unknown", "expired", "replaced", "revoked"])
def test_an_unknown_expired_replaced_or_revoked_code_is_409_and_registers_nothing(api_client, door, case):
    device = ScannerDeviceFactory(venues=[door[0].venue])
    code = "K7QM-2XPD" if case == "unknown" else devices.new_registration_code(device_id=device.pk)
    if case == "expired":
        ScannerDevice.objects.update(registration_code_expires_at=timezone.now() - timedelta(seconds=1))
    if case == "replaced":
        devices.new_registration_code(device_id=device.pk)
    if case == "revoked":
        devices.revoke_device(device_id=device.pk)

    response = register(api_client, code)

    assert (response.status_code, response.json()["code"]) == (409, "registration_code_invalid")
    assert ScannerDevice.objects.get(pk=device.pk).token_hash is None


def test_a_malformed_registration_is_400(api_client, door):
    response = api_client.post("/api/v1/scanner/devices/register/", {}, format="json")

    assert (response.status_code, response.json()["code"], list(response.json()["errors"])) == (
        400,
        "invalid_input",
        ["code"],
    )


def test_registration_is_throttled_per_client(api_client, door):
    answers = [register(api_client, "AAAA-AAAA").status_code for _ in range(21)]

    assert answers == [409] * 20 + [429]
    assert register(api_client, "AAAA-AAAA").json()["code"] == "throttled"


def test_a_revoked_device_is_401_everywhere_and_its_scans_are_not_stored(api_client, door):
    event, ticket_type, _ = door
    [ticket] = paid_tickets(ticket_type)
    device = ScannerDeviceFactory(venues=[event.venue])
    token = register(api_client, devices.new_registration_code(device_id=device.pk)).json()["token"]
    devices.revoke_device(device_id=device.pk)
    api_client.credentials(HTTP_AUTHORIZATION=f"Device {token}")

    answers = [
        scan(api_client, ticket_code(ticket), event),
        upload(api_client, offline(ticket, minutes_ago=1, event=event)),
        api_client.get("/api/v1/scanner/me/"),
        api_client.get(f"/api/v1/scanner/sync/?event={event.slug}"),
    ]

    assert [(answer.status_code, answer.json()["code"]) for answer in answers] == [(401, "authentication_failed")] * 4
    assert answers[0]["WWW-Authenticate"] == "Device"
    assert Scan.objects.count() == 0
    assert door_state(ticket)[1] is None


@pytest.fixture
def throttle_rates(monkeypatch):
    """Throttle rates as a deployment sets them (DRF reads its rates once, at import), and an empty cache."""

    def set_rates(**rates):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "scanner_device": None} | rates)
        cache.delete_many(["throttle_anon_127.0.0.1", *(f"throttle_scanner_device_{n}" for n in range(1000))])

    yield set_rates
    cache.delete_many(["throttle_anon_127.0.0.1", *(f"throttle_scanner_device_{n}" for n in range(1000))])


def device_client(event) -> APIClient:
    client = APIClient()
    device = ScannerDeviceFactory(venues=[event.venue])
    token = register(client, devices.new_registration_code(device_id=device.pk)).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def test_devices_behind_one_address_are_not_throttled_as_anonymous_visitors(door, throttle_rates):
    # given a deployment that throttles anonymous requests to 3 a minute per address
    event, ticket_type, _ = door
    tickets = paid_tickets(ticket_type, quantity=6)
    gates = [device_client(event), device_client(event)]  # both behind the venue's one address
    throttle_rates(anon="3/minute")
    # when two devices scan six tickets from that address
    answers = [scan(gates[i % 2], ticket_code(ticket), event).status_code for i, ticket in enumerate(tickets)]
    # then every scan is answered, while anonymous requests from the address are still throttled
    assert answers == [200] * 6
    anonymous = [APIClient().post("/api/v1/orders/", {}, format="json").status_code for _ in range(4)]
    assert anonymous == [400, 400, 400, 429]


def test_each_device_has_its_own_throttle(door, throttle_rates):
    event, ticket_type, _ = door
    tickets = paid_tickets(ticket_type, quantity=4)
    busy, other = device_client(event), device_client(event)
    throttle_rates(scanner_device="2/minute")

    answers = [scan(busy, ticket_code(ticket), event) for ticket in tickets[:3]]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["code"] == "throttled"
    assert scan(other, ticket_code(tickets[3]), event).status_code == 200
    assert Scan.objects.count() == 3


@pytest.mark.parametrize("header", ["Device", "Device a b", "Device wrong-token"])
def test_a_bad_device_header_is_401(api_client, door, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.get("/api/v1/scanner/me/")

    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


# ---- attendance ---------------------------------------------------------------------------------


@pytest.fixture
def evening(staff_client, door):
    """Two adults came in (one at each gate), one went out again; the child never came; one bad code."""
    event, adult, _ = door
    child = TicketTypeFactory(event=event, name_da="Barn", name_en="Child", requires_attention=True)
    [north, south] = paid_tickets(adult, quantity=2)
    paid_tickets(child)
    scan(staff_client, ticket_code(north), event, gate="North")
    scan(staff_client, ticket_code(south), event, gate="South")
    scan(staff_client, ticket_code(north), event, gate="North", direction="out")
    scan(staff_client, "T1:GARBAGE", event, gate="North")
    return event, adult, child


def test_attendance_counts_sold_checked_in_and_inside_by_ticket_type_and_gate(staff_client, evening):
    event, adult, child = evening

    response = staff_client.get(f"/api/v1/events/{event.slug}/attendance/?lang=en")

    assert response.status_code == 200
    assert response.json() == {
        "event": {
            "slug": "jazz",
            "title": "Jazz by the harbour",
            "starts_at": iso(event.starts_at),
            "ends_at": iso(event.ends_at),
        },
        "capacity": None,
        "sold": 3,
        "checked_in": 2,
        "inside_now": 1,
        "no_shows": None,
        "double_entries": 0,
        "rejected_scans": 1,
        "by_ticket_type": [
            {
                "ticket_type": {"id": adult.pk, "name": "Adult"},
                "sold": 2,
                "checked_in": 2,
                "inside_now": 1,
                "no_shows": None,
            },
            {
                "ticket_type": {"id": child.pk, "name": "Child"},
                "sold": 1,
                "checked_in": 0,
                "inside_now": 0,
                "no_shows": None,
            },
        ],
        "by_gate": [
            {"gate": "North", "first_entries": 1, "entries": 1, "exits": 1},
            {"gate": "South", "first_entries": 1, "entries": 1, "exits": 0},
        ],
        "head_count": None,
    }


def test_after_the_event_the_no_shows_are_counted(staff_client, evening):
    event, _, _ = evening
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(minutes=1)
    )

    body = staff_client.get(f"/api/v1/events/{event.slug}/attendance/").json()

    assert body["no_shows"] == 1
    assert [row["no_shows"] for row in body["by_ticket_type"]] == [0, 1]


def test_attendance_of_an_unknown_event_is_404(staff_client, door):
    response = staff_client.get("/api/v1/events/no-such-event/attendance/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# ---- a staff user's API token on the door's endpoints ----------------------------------------------


def test_a_staff_token_scans_with_the_venues_read_together_with_the_user(api_client, door, django_assert_num_queries):
    from rest_framework.authtoken.models import Token

    event, ticket_type, staff = door
    [ticket] = paid_tickets(ticket_type)
    token = Token.objects.create(user=staff)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    code = ticket_code(ticket)

    # the user with their venues, the door's event, the ticket, and the admission with its scan: four
    # statements on PostgreSQL, where the admission and the scan's record are one, and inside a
    # test's transaction a savepoint and its release; elsewhere the admission and the record are two
    # statements in a transaction of their own (one more savepoint here)
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 9):
        response = scan(api_client, code, event)

    assert (response.status_code, response.json()["result"]) == (200, "ok")
    assert Scan.objects.get().user_id == staff.pk


@pytest.mark.parametrize("problem", ["unknown", "inactive"])
def test_a_bad_or_inactive_staff_token_is_401_and_stores_nothing(api_client, door, problem):
    from rest_framework.authtoken.models import Token

    event, ticket_type, staff = door
    [ticket] = paid_tickets(ticket_type)
    token = Token.objects.create(user=staff)
    if problem == "inactive":
        staff.is_active = False
        staff.save()
    key = token.key if problem == "inactive" else "0" * 40
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = scan(api_client, ticket_code(ticket), event)

    assert response.status_code == 401
    assert Scan.objects.count() == 0


def test_attendance_shows_a_head_count_beside_the_scans_without_adding_it(staff_client, door):
    from visitor_stats.figures import FigureInput, record_figure

    event, ticket_type, _staff = door
    [ticket] = paid_tickets(ticket_type)
    scan(staff_client, ticket_code(ticket), event)
    now = timezone.now()
    record_figure(
        figure=FigureInput(
            source="head_count",
            venue=event.venue,
            event=event,
            period_start=now - timedelta(minutes=5),
            period_end=now,
            visits=40,
        ),
        entered_by_id=None,
    )

    body = staff_client.get(f"/api/v1/events/{event.slug}/attendance/").json()

    assert (body["checked_in"], body["head_count"]["visits"], body["head_count"]["quality"]) == (1, 40, "estimated")


def test_attendance_without_a_head_count_says_null(staff_client, door):
    event, _ticket_type, _staff = door

    assert staff_client.get(f"/api/v1/events/{event.slug}/attendance/").json()["head_count"] is None
