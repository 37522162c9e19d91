"""Who may do what at the door: venue staff, organisers, the culture office, admins and devices.

- Admins (superusers) may do everything.
- Venue staff scan, sync and see attendance at the venues they are assigned to (`Venue.staff`).
- Organiser members see sales and attendance of their organiser's events.
- The culture office (permission `tickets.view_all_attendance`) sees attendance of every event.
- A scanner device scans and syncs at its own venues and nothing else.
"""

from typing import Any

from django.db.models import Q

from events.models import Event, EventQuerySet
from tickets.devices import venue_ids_read_with
from tickets.models import ScannerDevice

CULTURE_OFFICE_PERMISSION = "tickets.view_all_attendance"
_STAFFED_VENUE_IDS = "_staffed_venue_ids"


def scan_venue_ids(*, user: Any = None, device: ScannerDevice | None = None) -> frozenset[int] | None:
    """The venues a user or device may scan at; None means every venue (admins)."""
    if device is not None:
        if not device.is_active:
            return frozenset()
        read = venue_ids_read_with(device)
        return read if read is not None else frozenset(device.venues.values_list("pk", flat=True))
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    staffed: frozenset[int] | None = vars(user).get(_STAFFED_VENUE_IDS)
    return staffed if staffed is not None else frozenset(user.staffed_venues.values_list("pk", flat=True))


def remember_staffed_venues(user: Any, venue_ids: frozenset[int]) -> None:
    """Keep the venues a user staffs, read together with the user, on that user object (one request)."""
    vars(user)[_STAFFED_VENUE_IDS] = venue_ids


def may_scan_at(venue_ids: frozenset[int] | None, venue_id: int) -> bool:
    return venue_ids is None or venue_id in venue_ids


def is_culture_office(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(CULTURE_OFFICE_PERMISSION))


def attendance_events(user: Any) -> EventQuerySet:
    """Events whose attendance a user may see: own organiser's, staffed venues', or all."""
    events = Event.objects.all()
    if not user.is_authenticated or not user.is_active:
        return events.none()
    if user.is_superuser or is_culture_office(user):
        return events
    return events.filter(
        Q(pk__in=Event.objects.managed_by(user).values("pk")) | Q(venue_id__in=user.staffed_venues.values("pk"))
    )


def scannable_events(venue_ids: frozenset[int] | None) -> EventQuerySet:
    """Events at the given venues (every event for None)."""
    events = Event.objects.all()
    return events if venue_ids is None else events.filter(venue_id__in=venue_ids)
