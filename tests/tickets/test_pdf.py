"""Printed tickets: one page each, a QR that scans to that ticket, facts in the buyer's language."""

import base64
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp
from django.utils import translation
from django.utils.translation import gettext

from tickets.money import format_price
from tickets.pdf import PrintableTicket, render_tickets_pdf, when_lines
from tickets.qr import sign_ticket, verify_ticket

CPH = ZoneInfo("Europe/Copenhagen")
STARTS_AT = datetime(2026, 6, 14, 19, 30, tzinfo=CPH)
DPI = 150


@pytest.fixture(autouse=True)
def _signing_key(settings):
    settings.TICKET_SIGNING_KEYS = "1:" + base64.b64encode(bytes(range(32))).decode()


def printable(**overrides) -> PrintableTicket:
    ticket = PrintableTicket(
        code=sign_ticket(ticket_id=uuid.uuid4(), event_id=42, valid_until=STARTS_AT + timedelta(hours=6)),
        event_title="Sommerjazz på værftet",
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + timedelta(hours=2),
        venue_name="Kulturværftet",
        venue_address="Allégade 2, 3000 Helsingør",
        hall_name="Store Scene",
        ticket_type_name="Voksen",
        price_ore=123450,
        order_reference="HK-7Q4M2",
        is_companion=False,
    )
    return replace(ticket, **overrides)


def pages(pdf: bytes) -> list[tuple[str, list[zxingcpp.Barcode]]]:
    """Each page's text (whitespace collapsed) and the barcodes found on it rendered at 150 dpi."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for page in document:
            text = " ".join(page.get_textpage().get_text_range().split())
            found.append((text, zxingcpp.read_barcodes(page.render(scale=DPI / 72).to_pil())))
        return found
    finally:
        document.close()


def test_each_ticket_gets_a_page_whose_qr_scans_to_that_ticket():
    # given an order of three tickets, one of them for a companion
    tickets = [printable(), printable(is_companion=True, price_ore=0), printable(ticket_type_name="Barn")]

    # when they are printed
    printed = pages(render_tickets_pdf(tickets, language="da"))

    # then there is one page per ticket, with exactly that ticket's code, which verifies
    assert len(printed) == 3
    for ticket, (_text, barcodes) in zip(tickets, printed, strict=True):
        assert [(barcode.text, barcode.format) for barcode in barcodes] == [
            (ticket.code, zxingcpp.BarcodeFormat.QRCode)
        ]
        assert verify_ticket(barcodes[0].text).event_id == 42


def test_the_qr_code_is_at_least_35_mm_wide():
    ((_text, (barcode,)),) = pages(render_tickets_pdf([printable()], language="da"))

    width_mm = (barcode.position.top_right.x - barcode.position.top_left.x) / DPI * 25.4

    assert width_mm >= 35


def test_a_danish_ticket_shows_the_facts_the_danish_way():
    ((text, _barcodes),) = pages(render_tickets_pdf([printable()], language="da"))

    for expected in [
        "Kultur i Helsingør",
        "Helsingør Kommune",
        "Sommerjazz på værftet",
        "Søndag 14. juni 2026 19:30–21:30",
        "Kulturværftet Store Scene Allégade 2, 3000 Helsingør",
        "Voksen",
        "1.234,50 kr.",
        "HK-7Q4M2",
    ]:
        assert expected in text


@pytest.mark.parametrize(
    ("language", "date", "price"),
    [
        ("en", "Sunday, June 14, 2026 7:30 p.m.–9:30 p.m.", "DKK 1,234.50"),
        ("sv", "Söndag 14 juni 2026 19:30–21:30", "DKK 1,234.50"),
        ("de", "Sonntag, 14. Juni 2026 19:30–21:30", "DKK 1,234.50"),
    ],
)
def test_visitors_read_the_date_and_price_in_their_language(language, date, price):
    ((text, _barcodes),) = pages(render_tickets_pdf([printable()], language=language))

    assert (date in text, price in text) == (True, True)


@pytest.mark.parametrize("language", ["da", "en", "sv", "de"])
def test_every_ticket_says_there_is_no_right_of_withdrawal(language):
    ((text, _barcodes),) = pages(render_tickets_pdf([printable()], language=language))

    with translation.override(language):
        assert gettext("Tickets for events on a set date have no 14-day right of withdrawal.") in text
        assert gettext("If the event is cancelled, you get a full refund.") in text


def test_only_a_companion_ticket_is_marked_as_one():
    printed = pages(render_tickets_pdf([printable(is_companion=True), printable()], language="en"))

    assert ["Companion ticket" in text for text, _barcodes in printed] == [True, False]


def test_an_unknown_language_prints_in_danish():
    ((text, _barcodes),) = pages(render_tickets_pdf([printable()], language="fr"))

    assert "1.234,50 kr." in text


def test_letters_helvetica_lacks_are_simplified_not_drawn_as_boxes():
    ((text, _barcodes),) = pages(render_tickets_pdf([printable(event_title="Jul 🎄 i Łódź")], language="da"))

    assert "Jul i Lódz" in text


def test_the_same_tickets_give_the_same_file():
    ticket = printable()

    assert render_tickets_pdf([ticket], language="da") == render_tickets_pdf([ticket], language="da")


def test_printing_nothing_is_refused():
    with pytest.raises(ValueError) as raised:
        render_tickets_pdf([], language="da")

    assert str(raised.value) == "There are no tickets to print."


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "language", "expected"),
    [
        (STARTS_AT, None, "da", ["Søndag 14. juni 2026", "19:30"]),
        # summer time: 17:30 UTC is 19:30 in Copenhagen
        (datetime(2026, 6, 14, 17, 30, tzinfo=UTC), None, "da", ["Søndag 14. juni 2026", "19:30"]),
        # winter time: 18:30 UTC is 19:30 in Copenhagen
        (datetime(2026, 12, 5, 18, 30, tzinfo=UTC), None, "sv", ["Lördag 5 december 2026", "19:30"]),
        (
            STARTS_AT,
            STARTS_AT + timedelta(hours=6),
            "da",
            ["Søndag 14. juni 2026", "19:30 – 15. juni 2026, 01:30"],
        ),
        (STARTS_AT, STARTS_AT + timedelta(hours=1), "en", ["Sunday, June 14, 2026", "7:30 p.m.–8:30 p.m."]),
    ],
)
def test_when_is_written_in_copenhagen_time(starts_at, ends_at, language, expected):
    ticket = printable(starts_at=starts_at, ends_at=ends_at)

    with translation.override(language):
        assert when_lines(ticket, language) == expected


@pytest.mark.parametrize(
    ("ore", "danish", "other"),
    [
        (0, "0,00 kr.", "DKK 0.00"),
        (5, "0,05 kr.", "DKK 0.05"),
        (10000, "100,00 kr.", "DKK 100.00"),
        (123450, "1.234,50 kr.", "DKK 1,234.50"),
        (123456789, "1.234.567,89 kr.", "DKK 1,234,567.89"),
    ],
)
def test_prices_are_written_per_language(ore, danish, other):
    assert [format_price(ore, language) for language in ["da", "en", "sv", "de"]] == [danish, other, other, other]


def test_a_negative_price_is_refused():
    with pytest.raises(ValueError) as raised:
        format_price(-1, "da")

    assert str(raised.value) == "A price cannot be negative."
