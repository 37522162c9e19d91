"""Who may do what at the door and on sales: every role against every endpoint.

The world: venue A holds an event of organiser A (with a paid order and a scan), venue B an event of
organiser B (also with a scan). Every request below is about venue A's event, so the rows of staff
of venue B, organiser B and device B show that nobody reaches into a venue or organiser not theirs.
Users call the API with a DRF token, devices with `Authorization: Device <token>`, and the admin is
opened with a session. Staff-like users (venue staff, organisers, culture office) have `is_staff`,
as they need it to open the admin; the plain user has not.

Why the numbers differ between endpoints: the scanning endpoints know device tokens and answer 401
("Device" challenge) to anyone unauthenticated; attendance and the staff endpoints take sessions and
user tokens only, so a device there is an anonymous caller and gets DRF's 403. The staff sales
endpoints answer 404 for events a user may not manage, so their existence is not revealed.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    EventFactory,
    OrganiserFactory,
    ScannerDeviceFactory,
    TicketTypeFactory,
    UserFactory,
    VenueFactory,
    paid_tickets,
)
from tickets import devices
from tickets.documents import ticket_code
from tickets.models import Order, Scan, ScannerDevice, Ticket
from tickets.scanning import ScanInput, Scanner, scan_ticket

# fmt: off
# Expected HTTP status of each role on each endpoint, all about venue A's event:
#   scan     POST /api/v1/scans/                     attend    GET  /api/v1/events/{slug}/attendance/
#   batch    POST /api/v1/scans/batch/               cancel    POST /api/v1/orders/{ref}/cancel/
#   sync     GET  /api/v1/scanner/sync/?event=       ev-cancel POST /api/v1/events/{slug}/cancel/
#   events   GET  /api/v1/scanner/events/            refunds   GET  /api/v1/events/{slug}/refund-progress/
#   me       GET  /api/v1/scanner/me/                devices   /admin/tickets/scannerdevice/ (changelist)
#                                                    scans     /admin/tickets/scan/ (changelist)
# A batch is refused item by item: where the role may not scan at venue A, its 200 answers the item
# with `permission_denied` and stores nothing.
EXPECTED = """
                scan  batch  sync  events  me   attend  cancel  ev-cancel  refunds  devices  scans
anonymous       401   401    401   401     401  403     403     403        403      302      302
user            403   403    403   403     403  403     404     404        404      302      302
staff_a         200   200    200   200     200  200     404     404        404      200      200
staff_b         403   200    403   200     200  403     404     404        404      200      200
organiser_a     403   403    403   403     403  200     200     202        200      403      200
organiser_b     403   403    403   403     403  403     404     404        404      403      200
culture_office  403   403    403   403     403  200     404     404        404      403      200
admin           200   200    200   200     200  200     200     202        200      200      200
device_a        200   200    200   200     200  403     403     403        403      302      302
device_b        403   200    403   200     200  403     403     403        403      302      302
revoked_device  401   401    401   401     401  403     403     403        403      302      302
"""

# What each role is shown where it is let in: events to scan at, devices and scans in the admin.
SEES = """
role           | events          | devices                           | scans
staff_a        | event_a         | device_a revoked_device           | scan_a
staff_b        | event_b         | device_b                          | scan_b
organiser_a    |                 |                                   | scan_a
organiser_b    |                 |                                   | scan_b
culture_office |                 |                                   | scan_a scan_b
admin          | event_a event_b | device_a device_b revoked_device  | scan_a scan_b
device_a       | event_a         |                                   |
device_b       | event_b         |                                   |
"""
# fmt: on


def _table(text: str) -> tuple[list[str], dict[str, list[str]]]:
    header, *rows = [line.split() for line in text.strip().splitlines()]
    return header, {row[0]: row[1:] for row in rows}


ENDPOINTS, STATUS_ROWS = _table(EXPECTED)
CASES = [
    (role, endpoint, int(status))
    for role, statuses in STATUS_ROWS.items()
    for endpoint, status in zip(ENDPOINTS, statuses, strict=True)
]
USER_ROLES = ["user", "staff_a", "staff_b", "organiser_a", "organiser_b", "culture_office", "admin"]
DEVICE_ROLES = ["device_a", "device_b", "revoked_device"]
ADMIN_PAGES = {"devices": "/admin/tickets/scannerdevice/", "scans": "/admin/tickets/scan/"}


def test_the_tables_name_every_role_and_endpoint():
    assert list(STATUS_ROWS) == ["anonymous", *USER_ROLES, *DEVICE_ROLES]
    assert [*ENDPOINT_CALLS, *ADMIN_PAGES] == ENDPOINTS


@dataclass
class World:
    event_a: object
    event_b: object
    ticket_a: Ticket
    ticket_b: Ticket
    order_a: Order
    objects: dict[str, object]
    users: dict[str, User]
    device_tokens: dict[str, str]


def _registered(name: str, venue) -> tuple[ScannerDevice, str]:
    device = ScannerDeviceFactory(name=name, venues=[venue])
    return devices.register_device(code=devices.new_registration_code(device_id=device.pk))


@pytest.fixture
def world(db) -> World:
    soon = timezone.now() + timedelta(minutes=30)
    venue_a, venue_b = VenueFactory(slug="venue-a"), VenueFactory(slug="venue-b")
    organiser_a, organiser_b = OrganiserFactory(), OrganiserFactory()
    event_a = EventFactory(slug="event-a", venue=venue_a, organiser=organiser_a, starts_at=soon)
    event_b = EventFactory(slug="event-b", venue=venue_b, organiser=organiser_b, starts_at=soon)
    [ticket_a, _] = paid_tickets(TicketTypeFactory(event=event_a), quantity=2)
    [ticket_b] = paid_tickets(TicketTypeFactory(event=event_b))
    everywhere = Scanner(venue_ids=None)
    scan_a = scan_ticket(
        scan=ScanInput(code="T1:BAD", gate="A", nonce="scan-at-a", expected_event=event_a), scanner=everywhere
    )
    scan_b = scan_ticket(
        scan=ScanInput(code="T1:BAD", gate="B", nonce="scan-at-b", expected_event=event_b), scanner=everywhere
    )

    users = {
        "user": UserFactory(),
        "staff_a": UserFactory(is_staff=True),
        "staff_b": UserFactory(is_staff=True),
        "organiser_a": UserFactory(is_staff=True),
        "organiser_b": UserFactory(is_staff=True),
        "culture_office": UserFactory(is_staff=True),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    venue_a.staff.add(users["staff_a"])
    venue_b.staff.add(users["staff_b"])
    organiser_a.members.add(users["organiser_a"])
    organiser_b.members.add(users["organiser_b"])
    Group.objects.get(name="Culture office").user_set.add(users["culture_office"])

    device_a, token_a = _registered("device A", venue_a)
    device_b, token_b = _registered("device B", venue_b)
    revoked, token_revoked = _registered("revoked device", venue_a)
    devices.revoke_device(device_id=revoked.pk)
    return World(
        event_a=event_a,
        event_b=event_b,
        ticket_a=ticket_a,
        ticket_b=ticket_b,
        order_a=ticket_a.order,
        objects={
            "event_a": event_a,
            "event_b": event_b,
            "device_a": device_a,
            "device_b": device_b,
            "revoked_device": revoked,
            "scan_a": scan_a.scan,
            "scan_b": scan_b.scan,
        },
        users=users,
        device_tokens={"device_a": token_a, "device_b": token_b, "revoked_device": token_revoked},
    )


def api_client_as(world: World, role: str) -> APIClient:
    client = APIClient()
    if role in world.users:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users[role]).key}")
    elif role in world.device_tokens:
        client.credentials(HTTP_AUTHORIZATION=f"Device {world.device_tokens[role]}")
    return client


def admin_client_as(world: World, role: str) -> Client:
    if role in world.device_tokens:
        return Client(headers={"authorization": f"Device {world.device_tokens[role]}"})
    client = Client()
    if role in world.users:
        client.force_login(world.users[role])
    return client


def scan_body(world: World, **fields) -> dict:
    code = ticket_code(world.ticket_a)
    return {"code": code, "event": world.event_a.slug, "gate": "Main door", "nonce": uuid.uuid4().hex} | fields


ENDPOINT_CALLS = {
    "scan": lambda c, w: c.post("/api/v1/scans/", scan_body(w), format="json"),
    "batch": lambda c, w: c.post(
        "/api/v1/scans/batch/",
        {"scans": [scan_body(w, scanned_at=timezone.now().isoformat(), offline_result="ok")]},
        format="json",
    ),
    "sync": lambda c, w: c.get(f"/api/v1/scanner/sync/?event={w.event_a.slug}"),
    "events": lambda c, w: c.get("/api/v1/scanner/events/"),
    "me": lambda c, w: c.get("/api/v1/scanner/me/"),
    "attend": lambda c, w: c.get(f"/api/v1/events/{w.event_a.slug}/attendance/"),
    "cancel": lambda c, w: c.post(f"/api/v1/orders/{w.order_a.reference}/cancel/", {}, format="json"),
    "ev-cancel": lambda c, w: c.post(f"/api/v1/events/{w.event_a.slug}/cancel/", {}, format="json"),
    "refunds": lambda c, w: c.get(f"/api/v1/events/{w.event_a.slug}/refund-progress/"),
}


def _state(world: World) -> tuple:
    """What a refused request must leave alone."""
    ticket = Ticket.objects.get(pk=world.ticket_a.pk)
    return (
        Scan.objects.count(),
        ticket.status,
        ticket.entered_at,
        Order.objects.get(pk=world.order_a.pk).status,
        type(world.event_a).objects.get(pk=world.event_a.pk).status,
    )


def _may_not_scan_at_venue_a(role: str) -> bool:
    return STATUS_ROWS[role][ENDPOINTS.index("scan")] == "403"


@pytest.mark.parametrize(
    ("role", "endpoint", "expected"),
    [case for case in CASES if case[1] in ENDPOINT_CALLS],
    ids=[f"{role}-{endpoint}" for role, endpoint, _ in CASES if endpoint in ENDPOINT_CALLS],
)
def test_each_role_on_each_api_endpoint(world, role, endpoint, expected):
    client = api_client_as(world, role)
    before = _state(world)

    response = ENDPOINT_CALLS[endpoint](client, world)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert _state(world) == before
    if endpoint == "batch" and expected == 200 and _may_not_scan_at_venue_a(role):
        assert [item["code"] for item in response.json()["results"]] == ["permission_denied"]
        assert _state(world) == before
    if expected == 401:
        assert (response["WWW-Authenticate"], response.json()["code"]) == (
            "Device",
            "authentication_failed" if role == "revoked_device" else "not_authenticated",
        )


SEES_HEADER, *SEES_ROWS = [[cell.split() for cell in line.split("|")] for line in SEES.strip().splitlines()]
SHOWN = {
    (role, column[0]): names
    for [role], *cells in SEES_ROWS
    for column, names in zip(SEES_HEADER[1:], cells, strict=True)
}


def shown_to(world: World, role: str, column: str) -> list:
    return [world.objects[name] for name in SHOWN[role, column]]


@pytest.mark.parametrize("role", [role for role, endpoint, status in CASES if endpoint == "events" and status == 200])
def test_scanner_events_lists_only_the_events_at_the_callers_venues(world, role):
    response = api_client_as(world, role).get("/api/v1/scanner/events/")

    assert [event["slug"] for event in response.json()["results"]] == [
        event.slug for event in shown_to(world, role, "events")
    ]


@pytest.mark.parametrize(
    ("role", "page", "expected"),
    [case for case in CASES if case[1] in ADMIN_PAGES],
    ids=[f"{role}-{page}" for role, page, _ in CASES if page in ADMIN_PAGES],
)
def test_each_role_in_the_admin_of_devices_and_scans(world, role, page, expected):
    response = admin_client_as(world, role).get(ADMIN_PAGES[page])

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/admin/login/")
    if expected == 200:
        by_id = lambda objects: sorted(objects, key=lambda obj: obj.pk)  # noqa: E731
        assert by_id(response.context["cl"].result_list) == by_id(shown_to(world, role, page))


def test_staff_of_venue_a_cannot_scan_list_or_sync_anything_of_venue_b(world):
    client = api_client_as(world, "staff_a")
    code_b = ticket_code(world.ticket_b)
    door_b = lambda: Ticket.objects.values_list("entered_at", "is_inside").get(pk=world.ticket_b.pk)  # noqa: E731
    before = (Scan.objects.count(), door_b())

    at_b = client.post("/api/v1/scans/", scan_body(world, code=code_b, event="event-b"), format="json")
    batch_at_b = client.post(
        "/api/v1/scans/batch/",
        {"scans": [scan_body(world, code=code_b, event="event-b", scanned_at=timezone.now().isoformat())]},
        format="json",
    )
    sync_b = client.get("/api/v1/scanner/sync/?event=event-b")
    attendance_b = client.get("/api/v1/events/event-b/attendance/")
    listed = client.get("/api/v1/scanner/events/")

    assert [answer.status_code for answer in (at_b, sync_b, attendance_b)] == [403, 403, 403]
    assert (batch_at_b.status_code, [item["code"] for item in batch_at_b.json()["results"]]) == (
        200,
        ["permission_denied"],
    )
    assert [event["slug"] for event in listed.json()["results"]] == ["event-a"]
    assert (Scan.objects.count(), door_b()) == before


def test_a_ticket_of_venue_b_scanned_at_venue_a_without_naming_the_event_is_wrong_venue(world):
    client = api_client_as(world, "staff_a")
    body = scan_body(world, code=ticket_code(world.ticket_b))
    del body["event"]
    door_b = lambda: Ticket.objects.values_list("entered_at", "is_inside").get(pk=world.ticket_b.pk)  # noqa: E731
    before = door_b()

    response = client.post("/api/v1/scans/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "wrong_venue")
    assert door_b() == before
    assert Scan.objects.get(nonce=body["nonce"]).result == "wrong_venue"


def test_a_device_of_two_venues_scans_at_both(world):
    device, token = _registered("shared", world.event_a.venue)
    device.venues.add(world.event_b.venue)
    client = APIClient(headers={"authorization": f"Device {token}"})

    at_a = client.post("/api/v1/scans/", scan_body(world), format="json")
    at_b = client.post(
        "/api/v1/scans/", scan_body(world, code=ticket_code(world.ticket_b), event="event-b"), format="json"
    )
    listed = client.get("/api/v1/scanner/events/")

    assert (at_a.status_code, at_b.status_code) == (200, 200)
    assert [event["slug"] for event in listed.json()["results"]] == ["event-a", "event-b"]


# ---- sessions need the CSRF token for every POST --------------------------------------------------


def csrf_pair() -> tuple[str, str]:
    """A CSRF cookie and the matching token for the header, as a page would hand them out."""
    request = RequestFactory().get("/")
    token = get_token(request)
    return request.META["CSRF_COOKIE"], token


SESSION_POSTS = {
    "scan": (
        "staff_a",
        lambda w: "/api/v1/scans/",
        lambda w: scan_body(w),
        200,
    ),
    "batch": (
        "staff_a",
        lambda w: "/api/v1/scans/batch/",
        lambda w: {"scans": [scan_body(w, scanned_at=timezone.now().isoformat())]},
        200,
    ),
    "order-cancel": ("organiser_a", lambda w: f"/api/v1/orders/{w.order_a.reference}/cancel/", lambda w: {}, 200),
    "event-cancel": ("organiser_a", lambda w: f"/api/v1/events/{w.event_a.slug}/cancel/", lambda w: {}, 202),
}


@pytest.mark.parametrize("endpoint", list(SESSION_POSTS))
def test_a_session_post_without_the_csrf_token_is_403_and_changes_nothing(world, endpoint):
    role, url, body, _ = SESSION_POSTS[endpoint]
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    before = _state(world)

    response = client.post(url(world), body(world), format="json")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert "CSRF" in response.json()["detail"]
    assert _state(world) == before


@pytest.mark.parametrize("endpoint", list(SESSION_POSTS))
def test_a_session_post_with_the_csrf_token_goes_through(world, endpoint):
    role, url, body, expected = SESSION_POSTS[endpoint]
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    cookie, token = csrf_pair()
    client.cookies["csrftoken"] = cookie

    response = client.post(url(world), body(world), format="json", headers={"x-csrftoken": token})

    assert response.status_code == expected


def test_a_session_get_needs_no_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["staff_a"])

    response = client.get(f"/api/v1/scanner/sync/?event={world.event_a.slug}")

    assert response.status_code == 200


def test_a_device_post_needs_no_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True, headers={"authorization": f"Device {world.device_tokens['device_a']}"})

    response = client.post("/api/v1/scans/", scan_body(world), format="json")

    assert response.status_code == 200


# ---- the devices admin for venue staff ----------------------------------------------------------------


def test_staff_of_venue_a_cannot_open_a_device_of_venue_b_in_the_admin(world):
    client = admin_client_as(world, "staff_a")

    response = client.get(f"/admin/tickets/scannerdevice/{world.objects['device_b'].pk}/change/")

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_staff_of_one_venue_of_a_shared_device_may_look_but_not_change_it(world):
    device = world.objects["device_a"]
    device.venues.add(world.event_b.venue)
    token_before = device.token_hash
    client = admin_client_as(world, "staff_a")
    page = f"/admin/tickets/scannerdevice/{device.pk}/change/"
    changelist = "/admin/tickets/scannerdevice/"

    shown = client.get(page)
    renamed = client.post(page, {"name": "Door phone, renamed", "venues": [world.event_a.venue.pk], "_save": "Save"})
    english = {"headers": {"accept-language": "en"}, "follow": True}
    coded = client.post(changelist, {"action": "new_code", "_selected_action": [device.pk]}, **english)
    revoked = client.post(changelist, {"action": "revoke", "_selected_action": [device.pk]}, **english)

    device.refresh_from_db()
    assert shown.status_code == 200 and 'name="name"' not in shown.content.decode()  # read only
    assert renamed.status_code == 403
    assert (device.name, device.token_hash, device.revoked_at) == ("device A", token_before, None)
    assert sorted(device.venues.values_list("slug", flat=True)) == ["venue-a", "venue-b"]
    for answer in (coded, revoked):
        assert any("not yours" in str(message) for message in answer.context["messages"])
        assert not any("one-time code" in str(message).lower() for message in answer.context["messages"])


def test_staff_of_every_venue_of_a_shared_device_may_change_it(world):
    device = world.objects["device_a"]
    device.venues.add(world.event_b.venue)
    world.event_b.venue.staff.add(world.users["staff_a"])
    client = admin_client_as(world, "staff_a")

    response = client.post(
        f"/admin/tickets/scannerdevice/{device.pk}/change/",
        {"name": "Door phone, renamed", "venues": [world.event_a.venue.pk, world.event_b.venue.pk], "_save": "Save"},
    )

    device.refresh_from_db()
    assert response.status_code == 302
    assert device.name == "Door phone, renamed"


def test_staff_adding_a_device_get_a_one_time_code_for_their_venue(world):
    client = admin_client_as(world, "staff_a")

    response = client.post(
        "/admin/tickets/scannerdevice/add/",
        {"name": "New door phone", "venues": [world.event_a.venue.pk], "_save": "Save"},
        follow=True,
    )

    device = ScannerDevice.objects.get(name="New door phone")
    [message] = [str(message) for message in response.context["messages"] if "New door phone:" in str(message)]
    assert (device.created_by, list(device.venues.values_list("slug", flat=True))) == (
        world.users["staff_a"],
        ["venue-a"],
    )
    assert re.search(r"New door phone: [2-9A-Z]{4}-[2-9A-Z]{4}\.", message)
    assert device.registration_code_hash != ""


def test_staff_cannot_add_a_device_for_a_venue_not_theirs(world):
    client = admin_client_as(world, "staff_a")

    response = client.post(
        "/admin/tickets/scannerdevice/add/",
        {"name": "Sneaky phone", "venues": [world.event_b.venue.pk], "_save": "Save"},
    )

    assert response.status_code == 200
    assert "venues" in response.context["adminform"].form.errors
    assert not ScannerDevice.objects.filter(name="Sneaky phone").exists()
