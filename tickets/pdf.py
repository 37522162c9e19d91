"""Printable tickets: one A4 page per ticket with its QR code, in the buyer's language."""

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from config.i18n import FALLBACK_LANGUAGE, LANGUAGES
from tickets.money import format_price
from tickets.qr import dark_runs, qr_matrix

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
ORGANISATION = "Helsingør Kommune"
SEA = HexColor("#0b3250")
SEA_DARK = HexColor("#0a263d")
SEA_LIGHT = HexColor("#e3edf3")
COPPER = HexColor("#c4622d")
COPPER_DARK = HexColor("#7f3113")
COPPER_LIGHT = HexColor("#fbe9e0")
INK = HexColor("#17212b")
MUTED = HexColor("#4a5866")
LINE = HexColor("#ddd5c8")
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CARD_TOP = PAGE_HEIGHT - 44 * mm
PADDING = 8 * mm
QR_MODULE = 1.2 * mm  # 41 modules: a 49 mm symbol, easy to scan from paper or a phone
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * PADDING - 49 * QR_MODULE - 6 * mm
# Languages that put a comma after the weekday ("Sunday, June 14, 2026").
COMMA_AFTER_WEEKDAY = {"en", "de"}
# Letters that do not decompose into a base letter and an accent.
_STROKED_LETTERS = str.maketrans("ŁłĐđĦħıŦŧ", "LlDdHhiTt")


@dataclass(frozen=True)
class PrintableTicket:
    """What a printed ticket shows; texts already in the buyer's language."""

    code: str
    event_title: str
    starts_at: datetime
    ends_at: datetime | None
    venue_name: str
    venue_address: str
    hall_name: str
    ticket_type_name: str
    price_ore: int
    order_reference: str
    is_companion: bool


def render_tickets_pdf(tickets: Sequence[PrintableTicket], *, language: str) -> bytes:
    """A PDF with one page per ticket, its texts in `language`."""
    if not tickets:
        raise ValueError("There are no tickets to print.")
    language = language.split("-")[0].lower()
    language = language if language in LANGUAGES else FALLBACK_LANGUAGE
    buffer = io.BytesIO()
    with translation.override(language):
        pdf = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1, lang=language)
        pdf.setTitle(f"{_('Tickets')}: {_printable(tickets[0].event_title)}")
        pdf.setAuthor(ORGANISATION)
        pdf.setCreator(_("Culture in Helsingør"))
        for number, ticket in enumerate(tickets, 1):
            _draw_page(pdf, ticket, number=number, count=len(tickets), language=language)
            pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def when_lines(ticket: PrintableTicket, language: str) -> list[str]:
    """The date and the times of the event in Copenhagen time, written the language's way."""
    starts = ticket.starts_at.astimezone(COPENHAGEN)
    weekday = capfirst(formats.date_format(starts, "l"))
    separator = ", " if language in COMMA_AFTER_WEEKDAY else " "
    times = formats.time_format(starts, "TIME_FORMAT")
    if ticket.ends_at is not None:
        ends = ticket.ends_at.astimezone(COPENHAGEN)
        end_time = formats.time_format(ends, "TIME_FORMAT")
        if ends.date() == starts.date():
            times = f"{times}–{end_time}"
        else:
            times = f"{times} – {formats.date_format(ends, 'DATE_FORMAT')}, {end_time}"
    return [f"{weekday}{separator}{formats.date_format(starts, 'DATE_FORMAT')}", times]


def _draw_page(pdf: Canvas, ticket: PrintableTicket, *, number: int, count: int, language: str) -> None:
    _draw_header(pdf, number=number, count=count)
    card_bottom = _draw_card(pdf, ticket, language)
    _draw_notes(pdf, top=card_bottom - 12 * mm)
    pdf.setFont(REGULAR, 8.5)
    pdf.setFillColor(MUTED)
    pdf.drawString(MARGIN, 12 * mm, _("Published by Helsingør Kommune."))
    pdf.drawRightString(PAGE_WIDTH - MARGIN, 12 * mm, _printable(ticket.order_reference))


def _draw_header(pdf: Canvas, *, number: int, count: int) -> None:
    top = PAGE_HEIGHT
    pdf.setFillColor(SEA)
    pdf.rect(0, top - 32 * mm, PAGE_WIDTH, 32 * mm, stroke=0, fill=1)
    _draw_mark(pdf, x=MARGIN, y=top - 24 * mm, size=14 * mm)
    pdf.setFillColor(white)
    pdf.setFont(BOLD, 18)
    pdf.drawString(MARGIN + 19 * mm, top - 15.5 * mm, _("Culture in Helsingør"))
    pdf.setFont(REGULAR, 10.5)
    pdf.drawString(MARGIN + 19 * mm, top - 22 * mm, ORGANISATION)
    pdf.setFont(BOLD, 13)
    pdf.drawRightString(PAGE_WIDTH - MARGIN, top - 15.5 * mm, _("E-ticket"))
    pdf.setFont(REGULAR, 10.5)
    pdf.drawRightString(
        PAGE_WIDTH - MARGIN, top - 22 * mm, _("Ticket %(number)s of %(count)s") % {"number": number, "count": count}
    )


def _draw_mark(pdf: Canvas, *, x: float, y: float, size: float) -> None:
    """The site's mark: the sun over the sound."""
    unit = size / 32
    pdf.setFillColor(HexColor("#1b5f86"))
    pdf.circle(x + 16 * unit, y + 16 * unit, 16 * unit, stroke=0, fill=1)
    pdf.setFillColor(COPPER)
    pdf.circle(x + 16 * unit, y + 20 * unit, 5 * unit, stroke=0, fill=1)
    pdf.setFillColor(white)
    pdf.rect(x + 4 * unit, y + 11.8 * unit, 24 * unit, 2.2 * unit, stroke=0, fill=1)
    pdf.rect(x + 6 * unit, y + 6.3 * unit, 20 * unit, 2.2 * unit, stroke=0, fill=1)


def _draw_card(pdf: Canvas, ticket: PrintableTicket, language: str) -> float:
    """The ticket's facts beside its QR code, framed; returns the frame's bottom edge."""
    left = MARGIN + PADDING
    y = CARD_TOP - PADDING
    y = _draw_lines(
        pdf, simpleSplit(_printable(ticket.event_title), BOLD, 20, TEXT_WIDTH)[:4], left, y, BOLD, 20, SEA_DARK
    )
    if ticket.is_companion:
        y = _draw_companion_badge(pdf, left, y - 3 * mm)
    rows = [
        (_("When"), when_lines(ticket, language)),
        (_("Where"), [ticket.venue_name, ticket.hall_name, ticket.venue_address]),
        (_("Ticket type"), [ticket.ticket_type_name]),
        (_("Price"), [format_price(ticket.price_ore, language)]),
        (_("Order reference"), [ticket.order_reference]),
    ]
    for label, values in rows:
        y = _draw_row(pdf, label, values, left, y - 5 * mm)
    quiet_zone = 4 * QR_MODULE
    qr_bottom = _draw_qr(
        pdf, ticket.code, right=PAGE_WIDTH - MARGIN - PADDING + quiet_zone, top=CARD_TOP - PADDING + quiet_zone
    )
    bottom = min(y, qr_bottom) - PADDING
    pdf.setStrokeColor(LINE)
    pdf.setLineWidth(1)
    pdf.roundRect(MARGIN, bottom, PAGE_WIDTH - 2 * MARGIN, CARD_TOP - bottom, 4 * mm, stroke=1, fill=0)
    pdf.setFillColor(COPPER)
    pdf.rect(MARGIN + PADDING, CARD_TOP - 1.2 * mm, 40 * mm, 1.2 * mm, stroke=0, fill=1)
    return bottom


def _draw_companion_badge(pdf: Canvas, left: float, top: float) -> float:
    label = _("Companion ticket")
    width = pdf.stringWidth(label, BOLD, 11) + 8 * mm
    pdf.setFillColor(COPPER_LIGHT)
    pdf.setStrokeColor(COPPER_DARK)
    pdf.roundRect(left, top - 8 * mm, width, 8 * mm, 2 * mm, stroke=1, fill=1)
    pdf.setFillColor(COPPER_DARK)
    pdf.setFont(BOLD, 11)
    pdf.drawString(left + 4 * mm, top - 5.4 * mm, label)
    explanation = simpleSplit(_("For the companion of a wheelchair user."), REGULAR, 9.5, TEXT_WIDTH)
    return _draw_lines(pdf, explanation, left, top - 9.5 * mm, REGULAR, 9.5, COPPER_DARK)


def _draw_row(pdf: Canvas, label: str, values: list[str], left: float, top: float) -> float:
    y = _draw_lines(pdf, [label.upper()], left, top, BOLD, 8, MUTED)
    lines = [line for value in values if value for line in simpleSplit(_printable(value), REGULAR, 12, TEXT_WIDTH)]
    return _draw_lines(pdf, lines, left, y - 0.8 * mm, REGULAR, 12, INK)


def _draw_lines(pdf: Canvas, lines: list[str], left: float, top: float, font: str, size: float, color: Color) -> float:
    """Lines below `top`; returns the y below the last one."""
    pdf.setFont(font, size)
    pdf.setFillColor(color)
    y = top
    for line in lines:
        y -= size * 1.2
        pdf.drawString(left, y + size * 0.25, line)
    return y


def _draw_qr(pdf: Canvas, code: str, *, right: float, top: float) -> float:
    """The code's QR symbol with its quiet zone, top right; returns the bottom of its caption."""
    matrix = qr_matrix(code)
    size = len(matrix) * QR_MODULE
    left = right - size
    path = pdf.beginPath()
    for row, column, length in dark_runs(matrix):
        path.rect(left + column * QR_MODULE, top - (row + 1) * QR_MODULE, length * QR_MODULE, QR_MODULE)
    pdf.setFillColor(black)
    pdf.drawPath(path, stroke=0, fill=1)
    caption = simpleSplit(_("Show this code at the entrance"), REGULAR, 9, size - 8 * QR_MODULE)
    pdf.setFont(REGULAR, 9)
    pdf.setFillColor(MUTED)
    y = top - size
    for line in caption:
        y -= 10.8
        pdf.drawCentredString(left + size / 2, y, line)
    return y - 2


def _draw_notes(pdf: Canvas, *, top: float) -> None:
    width = PAGE_WIDTH - 2 * MARGIN
    y = _draw_lines(pdf, [_("Good to know")], MARGIN, top, BOLD, 12, SEA_DARK)
    notes = [
        _("Show the QR code on your phone or on paper. Each ticket can be scanned once."),
        _("Tickets for events on a set date have no 14-day right of withdrawal.")
        + " "
        + _("If the event is cancelled, you get a full refund."),
    ]
    for note in notes:
        pdf.setFillColor(COPPER)
        pdf.circle(MARGIN + 1.2 * mm, y - 3.2 * mm, 0.9 * mm, stroke=0, fill=1)
        y = _draw_lines(
            pdf, simpleSplit(note, REGULAR, 10.5, width - 5 * mm), MARGIN + 5 * mm, y - 1.5 * mm, REGULAR, 10.5, INK
        )


def _printable(text: str) -> str:
    """The text with letters Helvetica lacks (outside Windows-1252) simplified or left out."""
    text = unicodedata.normalize("NFC", text)
    if _in_cp1252(text):
        return text
    kept = []
    for character in text.translate(_STROKED_LETTERS):
        for candidate in (character, unicodedata.normalize("NFKD", character)[:1]):
            if _in_cp1252(candidate):
                kept.append(candidate)
                break
    return " ".join("".join(kept).split())


def _in_cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True
