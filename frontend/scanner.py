"""The door scanner page: staff or a registered device scan tickets by camera or handheld scanner.

The page itself is static; everything it does goes through the scan API. Its texts are rendered
here in the page's language, so the script needs no catalogue of its own.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.i18n import current_language

# Longest gate name the scan API accepts.
GATE_MAX_LENGTH = 50


def _texts() -> dict[str, Any]:
    """Every text the script shows, in the active language."""
    return {
        "titles": {
            "ok": _("OK"),
            "attention": _("Check"),
            "already_used": _("Already used"),
            "invalid": _("Not valid"),
            "wrong_event": _("Other event"),
            "wrong_venue": _("Other venue"),
            "cancelled": _("Cancelled"),
            "refunded": _("Refunded"),
            "not_yet_valid": _("Too early"),
            "expired": _("Expired"),
            "not_inside": _("Not inside"),
            "error": _("Error"),
        },
        "details": {
            "ok": _("Welcome in."),
            "ok_reentry": _("Welcome back in."),
            "ok_exit": _("The exit is recorded."),
            "companion": _("Companion ticket: the wheelchair user it belongs to must be present."),
            "attention": _("Look at the ticket type before letting the holder in."),
            "already_used": _("This ticket has already been used."),
            "invalid": _("This is not a valid ticket."),
            "wrong_event": _("This ticket is for another event."),
            "wrong_venue": _("This ticket is for another venue."),
            "cancelled": _("This ticket has been cancelled."),
            "refunded": _("This ticket has been refunded."),
            "not_yet_valid": _("Admission has not opened yet."),
            "expired": _("This ticket has expired."),
            "not_inside": _("This ticket is not checked in."),
            "forbidden": _("You may not scan tickets at this event."),
            "signed_out": _("You are no longer signed in. Sign in again to scan."),
            "device_revoked": _("This device's registration is no longer valid. Register it again with a new code."),
            "bad_input": _("The code could not be read. Scan it again."),
            "no_offline_check": _("This device cannot check tickets without the network."),
            "no_offline_data": _("The event's ticket list has not been loaded yet, so tickets cannot be checked."),
        },
        "first_used": _("First used at %(time)s, %(gate)s."),
        "unknown_type": _("Ticket type not known on this device"),
        "checked_offline": _("Checked without network: will be uploaded later."),
        "online": _("Online"),
        "offline": _("Offline"),
        "queued": _("Waiting to upload: %(count)s"),
        "refused": _("Refused by the server, kept aside: %(count)s"),
        "kept_ticket": _("ticket %(id)s…"),
        "kept_unreadable": _("not a scan (a damaged entry)"),
        "kept_venue": _("refused: not a venue this scanner may scan at"),
        "kept_refused": _("refused by the server"),
        "kept_refused_because": _("refused: %(reason)s"),
        "kept_clear_confirm": _("Clear the list of scans kept aside? They were never recorded and cannot be uploaded."),
        "camera_starting": _("Starting the camera…"),
        "camera_on": _("Camera on: hold the ticket's QR code in front of it."),
        "camera_off": _("No camera. Use a handheld scanner or type the code."),
        "signed_in_user": _("Signed in as %(name)s."),
        "signed_in_device": _("This device is registered as %(name)s."),
        "all_venues": _("You may scan at every venue."),
        "venues": _("Venues: %(names)s."),
        "no_events": _("There are no events at your venues in the coming week."),
        "events_offline": _("No network: showing the events loaded last time."),
        "not_allowed": _("This account may not scan tickets at any venue. Ask the culture office for access."),
        "device_revoked": _("This device's registration is no longer valid. Register it again with a new code."),
        "register_failed": _("This code is unknown, used or expired. Ask for a new one."),
        "register_network": _("No connection to the server. Try again."),
        "register_empty": _("Enter the code shown in the administration."),
        "gate_empty": _("Enter the name of the gate."),
        "event_empty": _("Choose an event."),
        "direction_in": _("Entry"),
        "direction_out": _("Exit"),
        "loading": _("Loading…"),
        "unlimited": _("no limit"),
    }


@never_cache
@require_safe
def scanner_page(request: HttpRequest) -> HttpResponse:
    """The scanner; who may scan where is decided by the API it calls."""
    config = {
        "language": current_language(),
        "csrf_token": get_token(request),
        "urls": {
            "me": reverse("scanner-me"),
            "events": reverse("scanner-events"),
            "sync": reverse("scanner-sync"),
            "scan": reverse("scan"),
            "batch": reverse("scan-batch"),
            "register": reverse("scanner-device-register"),
        },
        "default_gate": _("Main door"),
        "texts": _texts(),
    }
    context = {"config": config, "gate_max_length": GATE_MAX_LENGTH}
    return render(request, "frontend/scanner/scanner.html", context)
