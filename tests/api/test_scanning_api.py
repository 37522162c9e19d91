import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventFactory, TicketTypeFactory, UserFactory, VenueFactory, paid_tickets
from tickets.documents import ticket_code
from tickets.models import Scan


@pytest.fixture
def door(db):
    venue = VenueFactory()
    event = EventFactory(
        venue=venue, starts_at=timezone.now() + timedelta(minutes=30), ends_at=timezone.now() + timedelta(hours=3)
    )
    ticket_type = TicketTypeFactory(event=event)
    staff = UserFactory()
    venue.staff.add(staff)
    return event, ticket_type, staff


def scan(api_client, code, event, **extra):
    body = {"code": code, "event": event.slug, "gate": "Main door", "nonce": uuid.uuid4().hex} | extra
    return api_client.post("/api/v1/scans/", body, format="json")


def test_staff_scans_a_ticket_once(api_client, door):
    event, ticket_type, staff = door
    [ticket] = paid_tickets(ticket_type)
    api_client.force_authenticate(staff)

    first = scan(api_client, ticket_code(ticket), event)
    again = scan(api_client, ticket_code(ticket), event)

    assert first.status_code == 200, first.json()
    assert first.json()["result"] == "ok"
    assert first.json()["ticket"]["ticket_type"]["id"] == ticket_type.pk
    assert again.status_code == 409
    assert again.json()["code"] == "already_used"
    assert again.json()["first_used"]["gate"] == "Main door"
    assert Scan.objects.count() == 2


def test_sync_and_attendance(api_client, door):
    event, ticket_type, staff = door
    [ticket] = paid_tickets(ticket_type)
    api_client.force_authenticate(staff)
    scan(api_client, ticket_code(ticket), event)

    sync = api_client.get(f"/api/v1/scanner/sync/?event={event.slug}")
    attendance = api_client.get(f"/api/v1/events/{event.slug}/attendance/")
    events = api_client.get("/api/v1/scanner/events/")
    me = api_client.get("/api/v1/scanner/me/")

    assert sync.status_code == 200, sync.json()
    assert sync.json()["tickets"] == [[str(ticket.pk), ticket_type.pk]]
    assert sync.json()["used"][0]["ticket"] == str(ticket.pk)
    assert sync.json()["counts"] == {"sold": 1, "checked_in": 1, "inside_now": 1, "capacity": None}
    assert attendance.status_code == 200, attendance.json()
    assert attendance.json()["checked_in"] == 1
    assert [e["slug"] for e in events.json()["results"]] == [event.slug]
    assert me.json()["kind"] == "user"
