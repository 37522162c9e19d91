"""Visit figures from gate counters, head counts and partners: one at a time, or a CSV file of them.

Who may enter what (visitor_stats.access): venue staff post gate counters for their venues, organiser
members and venue staff head counts of events, the culture office and admins everything, partner
figures included. Counter machines use a DRF token of such a user. A figure for a slot that already
has one is a correction: it replaces the old figure, which stays with a trace.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.language import LANGUAGE_PARAMETER, LanguageMixin
from events.models import Event
from venues.models import Venue
from visitor_stats import figures
from visitor_stats.access import FigureRights, figure_rights
from visitor_stats.models import Origin, Source, VisitFigure

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
NOT_ALLOWED = gettext_lazy("You may not enter figures for this venue or event.")


def rights_of(request: Request) -> FigureRights:
    """What the caller may enter; 403 for someone who may enter nothing at all."""
    rights = figure_rights(request.user)
    if not rights.anything:
        raise exceptions.PermissionDenied(_("You may not enter visit figures."))
    return rights


class CountInputSerializer(serializers.Serializer[Any]):
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Source.choices, help_text="`gate_counter`, `head_count` or `partner` (ticket scans count themselves)."
    )
    venue = serializers.SlugField(
        max_length=100, required=False, help_text="Venue slug; may be left out when `event` is given."
    )
    event = serializers.SlugField(
        max_length=150, required=False, help_text="Event slug: required for head counts, optional otherwise."
    )
    counter = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Gate counters: which door."
    )
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    visits = serializers.IntegerField(
        min_value=0, max_value=figures.MAX_VISITS, help_text="People in (for gate counters the ins, not ins + outs)."
    )
    exits = serializers.IntegerField(
        min_value=0, max_value=figures.MAX_VISITS, required=False, allow_null=True, default=None
    )
    origin = serializers.ChoiceField(choices=Origin.choices, default=Origin.UNKNOWN)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> figures.FigureInput:  # type: ignore[override]
        event = None
        if attrs.get("event"):
            event = Event.objects.select_related("venue").filter(slug=attrs["event"]).first()
            if event is None:
                raise serializers.ValidationError({"event": [_("There is no such event.")]})
        if attrs.get("venue"):
            venue = Venue.objects.filter(slug=attrs["venue"]).first()
            if venue is None:
                raise serializers.ValidationError({"venue": [_("There is no such venue.")]})
        elif event is not None:
            venue = event.venue
        else:
            raise serializers.ValidationError({"venue": [_("Name the venue or the event.")]})
        return figures.FigureInput(
            source=attrs["source"],
            venue=venue,
            event=event,
            counter=attrs["counter"],
            period_start=attrs["period_start"],
            period_end=attrs["period_end"],
            visits=attrs["visits"],
            exits=attrs["exits"],
            origin=attrs["origin"],
            note=attrs["note"],
        )


class ReplacedFigureSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    visits = serializers.IntegerField()
    exits = serializers.IntegerField(allow_null=True)
    entered_at = serializers.DateTimeField()
    entered_by = serializers.CharField(source="entered_by.get_username", allow_null=True, default=None)


class FigureSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    quality = serializers.CharField(help_text="`counted` (gate counters), `estimated` (head counts), `reported`.")
    venue = serializers.CharField(source="venue.slug")
    event = serializers.CharField(source="event.slug", allow_null=True, default=None)
    counter = serializers.CharField()
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    visits = serializers.IntegerField()
    exits = serializers.IntegerField(allow_null=True)
    origin = serializers.ChoiceField(choices=Origin.choices)
    note = serializers.CharField()
    entered_by = serializers.CharField(source="entered_by.get_username", allow_null=True, default=None)
    entered_at = serializers.DateTimeField()
    is_correction = serializers.BooleanField(help_text="True when this figure replaced an earlier one.")
    replaces = ReplacedFigureSerializer(
        allow_null=True, help_text="The figure this one replaced (kept, marked as replaced); null for a new slot."
    )


def figure_data(figure: VisitFigure) -> dict[str, Any]:
    replaced = VisitFigure.objects.select_related("entered_by").filter(replaced_by=figure).first()
    stored = ["id", "source", "quality", "venue", "event", "counter", "period_start", "period_end", "visits"]
    stored += ["exits", "origin", "note", "entered_by", "entered_at"]
    data = {name: getattr(figure, name) for name in stored}
    return FigureSerializer(data | {"is_correction": replaced is not None, "replaces": replaced}).data


class CountsView(LanguageMixin, APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CountInputSerializer,
        parameters=[LANGUAGE_PARAMETER],
        responses={
            201: FigureSerializer,
            400: OpenApiResponse(
                description="Bad input (`invalid_input` with field errors) or a figure the rules refuse "
                "(`figure_rejected`: period ends before it starts, ticket scans, counts ahead of time, …)."
            ),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="Not allowed to enter this figure."),
        },
        summary="Post a visit figure (gate counter, head count, partner figure)",
        description=(
            "Gate counters: venue staff of the venue. Head counts: the event's organiser members and venue "
            "staff. Partner figures: the culture office. Admins and the culture office may post all. Posting "
            "again for the same slot (source, venue, event, counter, start and origin) is a correction: the "
            "answer names the figure it replaced in `replaces`."
        ),
    )
    def post(self, request: Request) -> Response:
        rights = rights_of(request)
        serializer = CountInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        figure: figures.FigureInput = serializer.validated_data  # type: ignore[assignment]
        if not rights.allows(figure):
            raise exceptions.PermissionDenied(NOT_ALLOWED)
        recorded = figures.record_figure(figure=figure, entered_by_id=request.user.pk)
        return Response(figure_data(recorded), status=status.HTTP_201_CREATED)


class CSVTextParser(BaseParser):
    """A CSV file sent as the request body (`Content-Type: text/csv`), as text."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return _decoded(stream.read(MAX_UPLOAD_BYTES + 1) if stream is not None else b"")


def _decoded(content: bytes) -> str:
    if len(content) > MAX_UPLOAD_BYTES:
        raise exceptions.ParseError(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise exceptions.ParseError(_("The file must be UTF-8 text.")) from error


def uploaded_text(request: Request) -> str:
    if isinstance(request.data, str):
        text = request.data
    else:
        upload = request.FILES.get("file") if hasattr(request.data, "getlist") else None
        if upload is None:
            raise exceptions.ValidationError({"file": [_("Send the CSV file as `file` or as a text/csv body.")]})
        text = _decoded(upload.read(MAX_UPLOAD_BYTES + 1))
    if not text.strip():
        raise exceptions.ValidationError({"file": [_("The file is empty.")]})
    return text


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV with the columns " + ",".join(figures.CSV_COLUMNS) + ".")


class ImportedSerializer(serializers.Serializer[Any]):
    imported = serializers.IntegerField(help_text="Figures stored (corrections included).")


class RowErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="Line number in the file; the header is line 1.")
    message = serializers.CharField()


class ImportRejectedSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="`import_rejected`")
    detail = serializers.CharField()
    imported = serializers.IntegerField(help_text="Always 0: nothing is imported from a file with errors.")
    row_errors = RowErrorSerializer(many=True)


class CountImportView(LanguageMixin, APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, CSVTextParser]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer, "text/csv": OpenApiTypes.STR},
        parameters=[LANGUAGE_PARAMETER],
        responses={
            201: ImportedSerializer,
            400: OpenApiResponse(
                ImportRejectedSerializer,
                description="Rows with errors (`import_rejected`, nothing imported), or no usable file.",
            ),
            401: OpenApiResponse(description="Not signed in."),
            403: OpenApiResponse(description="Not allowed to enter any figures."),
        },
        summary="Import visit figures from CSV",
        description=(
            "Columns: "
            + ", ".join(figures.CSV_COLUMNS)
            + " (times with a UTC offset). Every row follows the same rules and role checks as a single "
            "figure; if any row has an error, nothing is imported and every error is listed with its line."
        ),
    )
    def post(self, request: Request) -> Response:
        rights = rights_of(request)
        report = figures.import_csv(text=uploaded_text(request), entered_by_id=request.user.pk, allowed=rights.allows)
        if report.errors:
            detail = ngettext(
                "Nothing was imported: %(count)s row has errors.",
                "Nothing was imported: %(count)s rows have errors.",
                len(report.errors),
            ) % {"count": len(report.errors)}
            body = {"code": "import_rejected", "detail": detail, "imported": 0, "row_errors": report.errors}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"imported": report.imported}, status=status.HTTP_201_CREATED)
