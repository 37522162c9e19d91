"""Who may scan where, and whose attendance each role may see."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from tests.factories import EventFactory, OrganiserFactory, ScannerDeviceFactory, UserFactory, VenueFactory
from tickets.access import attendance_events, is_culture_office, may_scan_at, scan_venue_ids, scannable_events
from tickets.devices import new_registration_code, register_device, revoke_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    """Two venues with an event each, organised by two organisers."""
    harbour, library = VenueFactory(), VenueFactory()
    jazz_club, theatre = OrganiserFactory(), OrganiserFactory()
    return {
        "harbour": harbour,
        "library": library,
        "jazz": EventFactory(venue=harbour, organiser=jazz_club),
        "reading": EventFactory(venue=library, organiser=theatre),
        "jazz_club": jazz_club,
    }


def registered_device(*venues):
    device = ScannerDeviceFactory(venues=list(venues))
    registered, _token = register_device(code=new_registration_code(device_id=device.pk))
    return registered


def test_a_superuser_may_scan_everywhere():
    assert scan_venue_ids(user=UserFactory(is_superuser=True)) is None


def test_venue_staff_may_scan_at_their_venues_only(town):
    user = UserFactory(is_staff=True)  # admin-site access alone gives no venue
    town["harbour"].staff.add(user)

    assert scan_venue_ids(user=user) == frozenset({town["harbour"].pk})


@pytest.mark.parametrize(
    "user", [lambda: AnonymousUser(), lambda: UserFactory(), lambda: UserFactory(is_active=False)], ids=str
)
def test_anonymous_plain_and_inactive_users_may_scan_nowhere(town, user):
    person = user()
    if person.is_authenticated:
        town["harbour"].staff.add(person)
        if person.is_active:
            town["harbour"].staff.remove(person)

    assert scan_venue_ids(user=person) == frozenset()


def test_nobody_at_all_may_scan_nowhere():
    assert scan_venue_ids() == frozenset()


def test_a_registered_device_may_scan_at_its_venues_and_wins_over_the_user(town):
    device = registered_device(town["library"])

    assert scan_venue_ids(user=UserFactory(is_superuser=True), device=device) == frozenset({town["library"].pk})


def test_a_revoked_or_unregistered_device_may_scan_nowhere(town):
    revoked = registered_device(town["harbour"])
    revoke_device(device_id=revoked.pk)
    revoked.refresh_from_db()
    unregistered = ScannerDeviceFactory(venues=[town["harbour"]])

    assert (scan_venue_ids(device=revoked), scan_venue_ids(device=unregistered)) == (frozenset(), frozenset())


def test_may_scan_at_and_scannable_events_follow_the_venues(town):
    harbour = frozenset({town["harbour"].pk})

    assert (may_scan_at(harbour, town["harbour"].pk), may_scan_at(harbour, town["library"].pk)) == (True, False)
    assert may_scan_at(None, town["library"].pk) is True
    assert list(scannable_events(harbour)) == [town["jazz"]]
    assert set(scannable_events(None)) == {town["jazz"], town["reading"]}
    assert list(scannable_events(frozenset())) == []


def test_an_organiser_member_sees_attendance_of_their_organisers_events(town):
    member = UserFactory()
    town["jazz_club"].members.add(member)

    assert list(attendance_events(member)) == [town["jazz"]]


def test_venue_staff_see_attendance_of_events_at_their_venue(town):
    staff = UserFactory()
    town["library"].staff.add(staff)

    assert list(attendance_events(staff)) == [town["reading"]]


def test_someone_both_organiser_and_staff_sees_each_event_once(town):
    # given a member of the jazz club who is also door staff at the harbour (with colleagues) and the library
    person = UserFactory()
    town["jazz_club"].members.add(person)
    for venue in (town["harbour"], town["library"]):
        venue.staff.add(person, UserFactory(), UserFactory())
    second_gig = EventFactory(venue=town["harbour"], organiser=town["jazz_club"], starts_at=timezone.now())

    # then each event is listed once
    events = list(attendance_events(person))

    assert sorted(e.pk for e in events) == sorted([town["jazz"].pk, town["reading"].pk, second_gig.pk])
    assert attendance_events(person).count() == 3


def test_the_culture_office_group_made_by_the_migration_sees_every_event(town):
    officer = UserFactory()
    officer.groups.add(Group.objects.get(name="Culture office"))

    assert is_culture_office(officer) is True
    assert set(attendance_events(officer)) == {town["jazz"], town["reading"]}


def test_an_admin_sees_every_event(town):
    assert set(attendance_events(UserFactory(is_superuser=True))) == {town["jazz"], town["reading"]}


@pytest.mark.parametrize("user", [lambda: AnonymousUser(), lambda: UserFactory()], ids=["anonymous", "plain"])
def test_anonymous_and_plain_users_see_no_attendance(town, user):
    person = user()

    assert list(attendance_events(person)) == []
    assert is_culture_office(person) is False


def test_an_inactive_culture_officer_sees_nothing(town):
    officer = UserFactory(is_active=False)
    officer.groups.add(Group.objects.get(name="Culture office"))
    town["harbour"].staff.add(officer)

    assert list(attendance_events(officer)) == []
