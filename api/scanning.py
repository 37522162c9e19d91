"""The door: register a scanner device, list and sync events, scan tickets one by one or as a batch.

Venue staff (session or token) and registered devices (`Authorization: Device <token>`) may use
these endpoints at their own venues only.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import DeviceTokenAuthentication, ScannerTokenAuthentication
from api.input_serializer import InputSerializer
from api.language import LanguageMixin
from api.throttles import AnonymousExceptDevicesThrottle, RegistrationThrottle, ScannerDeviceThrottle
from events.models import Event, EventStatus
from tickets import devices, scan_sql, scanning
from tickets.access import may_scan_at, scan_venue_ids, scannable_events
from tickets.models import ScanDirection, ScannerDevice, ScanResult
from tickets.scanner_sync import scanner_sync
from venues.models import Venue

MAX_BATCH = 500
EVENTS_WINDOW_BEFORE, EVENTS_WINDOW_AFTER = timedelta(hours=12), timedelta(days=7)

RESULT_TEXT = {
    ScanResult.OK: _("Welcome in."),
    ScanResult.ALREADY_USED: _("This ticket has already been used."),
    ScanResult.INVALID: _("This is not a valid ticket."),
    ScanResult.WRONG_EVENT: _("This ticket is for another event."),
    ScanResult.WRONG_VENUE: _("This ticket is for another venue."),
    ScanResult.CANCELLED: _("This ticket has been cancelled."),
    ScanResult.REFUNDED: _("This ticket has been refunded."),
    ScanResult.NOT_YET_VALID: _("Admission has not opened yet."),
    ScanResult.EXPIRED: _("This ticket has expired."),
    ScanResult.NOT_INSIDE: _("This ticket is not checked in."),
}


def scanner_for(request: Request) -> scanning.Scanner:
    """Who is scanning, with the venues they may scan at; 403 for anyone without any."""
    device = request.auth if isinstance(request.auth, ScannerDevice) else None
    venue_ids = scan_venue_ids(user=request.user, device=device)
    if venue_ids is not None and not venue_ids:
        raise exceptions.PermissionDenied(_("You may not scan tickets at any venue."))
    user_id = request.user.pk if device is None and request.user.is_authenticated else None
    return scanning.Scanner(venue_ids=venue_ids, user_id=user_id, device_id=device.pk if device else None)


NO_SUCH_EVENT = _("There is no such event.")
NOT_YOUR_VENUE = _("You may not scan at this event's venue.")


def door_events(slugs: set[str]) -> dict[str, Event]:
    """The events among these slugs that a door knows (all but drafts), by slug."""
    events = Event.objects.select_related("venue").filter(slug__in=slugs).exclude(status=EventStatus.DRAFT)
    return {event.slug: event for event in events}


def event_for_scanner(slug: str, scanner: scanning.Scanner) -> Event:
    """The event a scanner works at: 400 when unknown, 403 when at a venue not theirs."""
    event = door_events({slug}).get(slug)
    if event is None:
        raise exceptions.ValidationError({"event": [NO_SUCH_EVENT]})
    if not may_scan_at(scanner.venue_ids, event.venue_id):
        raise exceptions.PermissionDenied(NOT_YOUR_VENUE)
    return event


class IsScanner(BasePermission):
    """A signed-in user or a registered device; venue rights are checked by `scanner_for`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ScannerDevice):
            return True
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        return True


class ScannerView(LanguageMixin, APIView):
    authentication_classes = [DeviceTokenAuthentication, SessionAuthentication, ScannerTokenAuthentication]
    throttle_classes = [AnonymousExceptDevicesThrottle, ScannerDeviceThrottle]
    permission_classes = [IsScanner]


class VenueRefSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField()


class EventRefSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()


class ScanInputSerializer(InputSerializer):
    code = serializers.CharField(max_length=1000, help_text="The text read from the QR code (`T1:…`).")
    event = serializers.SlugField(
        max_length=150, required=False, help_text="The event at whose door the scan is made (recommended)."
    )
    gate = serializers.CharField(max_length=50, help_text="Where the scan is made, e.g. `Main door`.")
    direction = serializers.ChoiceField(choices=ScanDirection.choices, default=ScanDirection.IN)
    nonce = serializers.RegexField(
        r"^[A-Za-z0-9_-]{8,64}$",
        help_text="Unique per scan; a retry with the same nonce (same scanner, same code) gets the first answer.",
    )
    scanned_at = serializers.DateTimeField(
        required=False,
        help_text="When the code was read; default: now. A time the device's clock cannot be right about "
        "(more than 5 minutes ahead, or more than a week old) is replaced by the time the scan was received.",
    )


class OfflineScanSerializer(ScanInputSerializer):
    scanned_at = serializers.DateTimeField(
        help_text="When the code was read on the device; more than 5 minutes ahead is replaced by the time "
        "the scan was received."
    )
    offline_result = serializers.ChoiceField(
        choices=ScanResult.choices, required=False, help_text="What the device answered while offline."
    )
    scanned_as = serializers.RegexField(
        r"^(user|device):[0-9]{1,18}$",
        required=False,
        help_text="`key` of `/api/v1/scanner/me/` when the scan was made: who was signed in on the device. "
        "Kept with the scan when it is not the uploader (a shared phone's queue, uploaded after a change of "
        "sign-in).",
    )

    def validate_scanned_at(self, value: Any) -> Any:
        if value < timezone.now() - scanning.OLDEST_SCAN:
            raise serializers.ValidationError(_("Scans older than a week cannot be uploaded."))
        return value


class ScanBatchSerializer(serializers.Serializer[Any]):
    scans = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=MAX_BATCH)


class TicketTypeRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ScannedTicketSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    event = EventRefSerializer()
    ticket_type = TicketTypeRefSerializer()
    is_companion = serializers.BooleanField(source="ticket_type.is_companion")
    requires_attention = serializers.BooleanField(source="ticket_type.requires_attention")


class FirstUseSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    gate = serializers.CharField()


class ScanRecordSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    nonce = serializers.CharField()
    gate = serializers.CharField()
    direction = serializers.ChoiceField(choices=ScanDirection.choices)
    scanned_at = serializers.DateTimeField()
    device_scanned_at = serializers.DateTimeField(
        allow_null=True,
        help_text="The time the device sent when it could not be right; `scanned_at` is then the time received.",
    )
    received_at = serializers.DateTimeField()
    is_double_entry = serializers.BooleanField()
    offline_result = serializers.CharField()


class ScanAnswerSerializer(serializers.Serializer[Any]):
    result = serializers.ChoiceField(choices=ScanResult.choices)
    code = serializers.ChoiceField(choices=ScanResult.choices, help_text="The same as `result`.")
    detail = serializers.CharField()
    attention = serializers.BooleanField(help_text="Companion or attention ticket: staff should take a look.")
    is_reentry = serializers.BooleanField()
    ticket = ScannedTicketSerializer(allow_null=True)
    first_used = FirstUseSerializer(allow_null=True)
    scan = ScanRecordSerializer()


_DATETIME = serializers.DateTimeField()


def _datetime(value: Any) -> Any:
    return _DATETIME.to_representation(value)


def render_outcome(outcome: scanning.ScanOutcome) -> dict[str, Any]:
    """The answer to a scan, shaped as `ScanAnswerSerializer` (built directly: it is sent for every scan)."""
    scan, ticket = outcome.scan, outcome.ticket
    ticket_type = ticket.ticket_type if ticket else None
    first_used = (
        {"at": _datetime(outcome.first_entry_at), "gate": outcome.first_entry_gate}
        if outcome.result == ScanResult.ALREADY_USED and outcome.first_entry_at
        else None
    )
    return {
        "result": str(outcome.result),
        "code": str(outcome.result),
        "detail": str(RESULT_TEXT.get(ScanResult(outcome.result), "")),
        "attention": bool(ticket_type and (ticket_type.is_companion or ticket_type.requires_attention)),
        "is_reentry": scan.is_reentry,
        "ticket": None
        if ticket is None or ticket_type is None
        else {
            "id": str(ticket.id),
            "event": {"slug": ticket.event.slug, "title": ticket.event.title},
            "ticket_type": {"id": ticket_type.id, "name": ticket_type.name},
            "is_companion": ticket_type.is_companion,
            "requires_attention": ticket_type.requires_attention,
        },
        "first_used": first_used,
        "scan": {
            "id": scan.id,
            "nonce": scan.nonce,
            "gate": scan.gate,
            "direction": str(scan.direction),
            "scanned_at": _datetime(scan.scanned_at),
            "device_scanned_at": _datetime(scan.device_scanned_at) if scan.device_scanned_at else None,
            "received_at": _datetime(scan.received_at),
            "is_double_entry": scan.is_double_entry,
            "offline_result": scan.offline_result,
        },
    }


def scan_input(data: dict[str, Any], events: dict[str, Event]) -> scanning.ScanInput:
    return scanning.ScanInput(
        code=data["code"],
        gate=data["gate"],
        nonce=data["nonce"],
        direction=data["direction"],
        scanned_at=data.get("scanned_at"),
        expected_event=events[data["event"]] if data.get("event") else None,
        offline_result=data.get("offline_result", ""),
        offline_scanned_as=data.get("scanned_as", ""),
    )


def door_event(slug: str, scanner: scanning.Scanner) -> Event:
    """`event_for_scanner` for a single scan, which needs only the event's id and venue."""
    event = scan_sql.door_event(slug)
    if event is None:
        raise exceptions.ValidationError({"event": [NO_SUCH_EVENT]})
    if not may_scan_at(scanner.venue_ids, event.venue_id):
        raise exceptions.PermissionDenied(NOT_YOUR_VENUE)
    return event


class ScanView(ScannerView):
    @extend_schema(
        request=ScanInputSerializer,
        responses={
            200: ScanAnswerSerializer,
            409: OpenApiResponse(ScanAnswerSerializer, description="The ticket may not pass; `result` says why."),
        },
        summary="Scan a ticket at the door",
    )
    def post(self, request: Request) -> Response:
        scanner = scanner_for(request)
        data = ScanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data.get("event")
        events = {slug: door_event(slug, scanner)} if slug else {}
        outcome = scanning.scan_ticket(scan=scan_input(data.validated_data, events), scanner=scanner)
        answer_status = status.HTTP_200_OK if outcome.result == ScanResult.OK else status.HTTP_409_CONFLICT
        return Response(render_outcome(outcome), status=answer_status)


def refused_batch_item(
    item: OfflineScanSerializer, events: dict[str, Event], scanner: scanning.Scanner
) -> dict[str, Any] | None:
    """The answer to one uploaded scan that is not stored, or None when it is to be stored.

    Each refusal belongs to its item alone, so one bad item never blocks the rest of a queue.
    """
    if not item.is_valid():
        return {"code": "invalid_input", "errors": item.errors}
    slug = item.validated_data.get("event")
    if not slug:
        return None
    event = events.get(slug)
    if event is None:  # e.g. an event unpublished since the scan
        return {"code": "invalid_input", "errors": {"event": [NO_SUCH_EVENT]}}
    if not may_scan_at(scanner.venue_ids, event.venue_id):
        return {"code": "permission_denied", "detail": str(NOT_YOUR_VENUE)}
    return None


class ScanBatchView(ScannerView):
    @extend_schema(
        request=ScanBatchSerializer,
        responses={
            200: OpenApiResponse(
                description="`results` in the order sent: a scan answer for each stored scan, or for one not "
                "stored `{code, errors}` (malformed) or `{code, detail}` (`permission_denied`: a venue the "
                "uploader may not scan at; `nonce_reused`). A scan not stored will not be stored when sent again."
            )
        },
        summary="Upload scans made offline",
    )
    def post(self, request: Request) -> Response:
        scanner = scanner_for(request)
        batch = ScanBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        items = [OfflineScanSerializer(data=item) for item in batch.validated_data["scans"]]
        events = door_events(
            {item.validated_data["event"] for item in items if item.is_valid() and item.validated_data.get("event")}
        )
        results: list[Any] = [refused_batch_item(item, events, scanner) for item in items]
        accepted = [index for index, result in enumerate(results) if result is None]
        outcomes = scanning.record_scans(
            scans=[scan_input(items[index].validated_data, events) for index in accepted], scanner=scanner
        )
        for index, outcome in zip(accepted, outcomes, strict=True):
            if isinstance(outcome, scanning.NonceReused):
                results[index] = {"code": outcome.code, "detail": outcome.message}
            else:
                results[index] = render_outcome(outcome)
        return Response({"results": results})


class DeviceRegistrationSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=20, help_text="The one-time code shown in the admin, e.g. `K7QM-2XPD`.")


class RegisteredDeviceSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    venues = VenueRefSerializer(many=True, source="venues.all")


class DeviceTokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text='Send as "Authorization: Device <token>"; shown only once.')
    device = RegisteredDeviceSerializer()


class DeviceRegistrationView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [RegistrationThrottle]

    @extend_schema(
        request=DeviceRegistrationSerializer,
        responses={201: DeviceTokenSerializer},
        summary="Register a scanner device with its one-time code",
    )
    def post(self, request: Request) -> Response:
        data = DeviceRegistrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device, token = devices.register_device(code=data.validated_data["code"])
        return Response(DeviceTokenSerializer({"token": token, "device": device}).data, status=status.HTTP_201_CREATED)


class ScannerIdentitySerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["user", "device"])
    key = serializers.CharField(help_text="Who is scanning, e.g. `user:12`: send it as `scanned_as` with queued scans.")
    name = serializers.CharField()
    venues = VenueRefSerializer(many=True, help_text="Empty for admins, who may scan everywhere.")
    all_venues = serializers.BooleanField()


class ScannerIdentityView(ScannerView):
    @extend_schema(responses=ScannerIdentitySerializer, summary="Who is scanning, and where")
    def get(self, request: Request) -> Response:
        scanner = scanner_for(request)
        device = request.auth if isinstance(request.auth, ScannerDevice) else None
        venues = Venue.objects.filter(pk__in=scanner.venue_ids or []).only("slug", "name")
        user = request.user
        name = device.name if device else (getattr(user, "get_full_name", str)() or user.get_username())
        return Response(
            ScannerIdentitySerializer(
                {
                    "kind": "device" if device else "user",
                    "key": scanner.key,
                    "name": name,
                    "venues": venues,
                    "all_venues": scanner.venue_ids is None,
                }
            ).data
        )


class ScannerEventSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    doors_open_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=EventStatus.choices)
    venue = VenueRefSerializer()


class ScannerEventListSerializer(serializers.Serializer[Any]):
    results = ScannerEventSerializer(many=True)


class ScannerEventsView(ScannerView):
    @extend_schema(responses=ScannerEventListSerializer, summary="Events to scan at: now and the coming week")
    def get(self, request: Request) -> Response:
        scanner = scanner_for(request)
        now = timezone.now()
        events = (
            scannable_events(scanner.venue_ids)
            .exclude(status=EventStatus.DRAFT)
            .filter(ends_at__gte=now - EVENTS_WINDOW_BEFORE, starts_at__lte=now + EVENTS_WINDOW_AFTER)
            .select_related("venue")
            .order_by("starts_at", "id")[:200]
        )
        return Response(ScannerEventListSerializer({"results": events}).data)


class SyncQuerySerializer(serializers.Serializer[Any]):
    event = serializers.SlugField(max_length=150)
    since = serializers.DateTimeField(required=False, help_text="`next_since` of the previous answer.")


class SyncEventSerializer(ScannerEventSerializer):
    id = serializers.IntegerField(help_text="The event id inside ticket codes.")
    admission_opens_at = serializers.DateTimeField()
    allows_reentry = serializers.BooleanField()


class SyncTicketTypeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_companion = serializers.BooleanField()
    requires_attention = serializers.BooleanField()


class UsedTicketSerializer(serializers.Serializer[Any]):
    ticket = serializers.CharField(source="ticket_id")
    entered_at = serializers.DateTimeField()
    gate = serializers.CharField(source="entry_gate")
    inside = serializers.BooleanField(source="is_inside")
    passed_at = serializers.DateTimeField(
        help_text="Scan time of the ticket's latest passage (in or out): the newer of this and a device's own "
        "record of the ticket is the one to go by."
    )


class DoorCountsSerializer(serializers.Serializer[Any]):
    sold = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    inside_now = serializers.IntegerField()
    capacity = serializers.IntegerField(allow_null=True)


class SyncSerializer(serializers.Serializer[Any]):
    event = SyncEventSerializer()
    public_keys = serializers.DictField(
        child=serializers.CharField(), help_text="Key id → base64 of the raw Ed25519 public key."
    )
    ticket_types = SyncTicketTypeSerializer(many=True)
    tickets = serializers.ListField(
        child=serializers.ListField(), help_text="Valid tickets as [ticket id, ticket type id]."
    )
    revoked = serializers.ListField(
        child=serializers.ListField(), help_text='Revoked tickets as [ticket id, "cancelled" or "refunded"].'
    )
    used = UsedTicketSerializer(many=True)
    counts = DoorCountsSerializer()
    incremental = serializers.BooleanField(help_text="True when only changes since `since` are listed.")
    server_time = serializers.DateTimeField()
    next_since = serializers.DateTimeField(help_text="Pass as `since` next time.")


class ScannerSyncView(ScannerView):
    @extend_schema(
        parameters=[
            OpenApiParameter("event", str, required=True, description="The event's slug."),
            OpenApiParameter("since", str, description="`next_since` of the previous answer (ISO 8601)."),
        ],
        responses=SyncSerializer,
        summary="What a scanner needs to check an event's tickets offline",
    )
    def get(self, request: Request) -> Response:
        scanner = scanner_for(request)
        query = SyncQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        event = event_for_scanner(query.validated_data["event"], scanner)
        now = timezone.now()
        sync = scanner_sync(event=event, since=query.validated_data.get("since"), now=now)
        event.admission_opens_at = scanning.admission_opens_at(event)  # type: ignore[attr-defined]
        return Response(
            SyncSerializer(
                {
                    "event": event,
                    "public_keys": {str(key_id): key for key_id, key in sync.public_keys.items()},
                    "ticket_types": sync.ticket_types,
                    "tickets": [list(item) for item in sync.tickets],
                    "revoked": [list(item) for item in sync.revoked],
                    "used": sync.used,
                    "counts": {
                        "sold": sync.counts.sold,
                        "checked_in": sync.counts.checked_in,
                        "inside_now": sync.counts.inside_now,
                        "capacity": sync.capacity,
                    },
                    "incremental": sync.is_incremental,
                    "server_time": now,
                    "next_since": now,
                }
            ).data
        )
