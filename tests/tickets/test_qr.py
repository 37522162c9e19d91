"""Signed ticket codes: compact, checkable offline, impossible to forge or alter, keys can rotate."""

import base64
import io
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import base45
import pytest
import qrcode
import qrcode.util
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from tickets.qr import (
    CODE_LENGTH,
    PAYLOAD_LENGTH,
    InvalidTicketCode,
    TicketClaim,
    qr_matrix,
    qr_png,
    qr_svg,
    sign_ticket,
    verify_ticket,
)
from tickets.signing_keys import generate_key_setting, key_ring, public_keys

KEY_1 = "1:" + base64.b64encode(bytes(range(32))).decode()
KEY_2 = "2:" + base64.b64encode(bytes(range(100, 132))).decode()
KEY_7 = "7:" + base64.b64encode(bytes(range(200, 232))).decode()
TICKET_ID = uuid.UUID("7d9f2c4e-1b3a-4c5d-8e6f-0a1b2c3d4e5f")
VALID_UNTIL = datetime(2026, 6, 14, 23, 59, 59, tzinfo=UTC)
BAD_ENTRY = "TICKET_SIGNING_KEYS entry 1 is not in the form id:base64-key with an id from 0 to 255."
QR_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]+")


@pytest.fixture(autouse=True)
def _two_keys(settings):
    settings.DEBUG = False
    settings.TICKET_SIGNING_KEYS = f"{KEY_1},{KEY_2}"
    settings.TICKET_SIGNING_KEY_ID = ""


def sign(**overrides) -> str:
    return sign_ticket(**{"ticket_id": TICKET_ID, "event_id": 4711, "valid_until": VALID_UNTIL} | overrides)


def resign(code: str, *, at: int, value: int) -> str:
    """The code with one byte of its decoded payload or signature replaced."""
    data = bytearray(base45.b45decode(code.removeprefix("T1:")))
    data[at] = value
    return "T1:" + base45.b45encode(bytes(data)).decode()


def test_a_signed_code_verifies_to_what_was_signed():
    # given a ticket code signed with the newest key
    code = sign()

    # when it is verified
    claim = verify_ticket(code)

    # then it names the same ticket, event, end of validity and key
    assert claim == TicketClaim(ticket_id=TICKET_ID, event_id=4711, valid_until=VALID_UNTIL, key_id=2)


def test_valid_until_keeps_whole_seconds_in_utc():
    copenhagen = timezone(timedelta(hours=2))
    code = sign(valid_until=datetime(2026, 6, 15, 1, 59, 59, 900_000, tzinfo=copenhagen))

    assert verify_ticket(code).valid_until == VALID_UNTIL


def test_the_code_is_short_alphanumeric_and_fits_a_version_6_qr_at_level_m():
    # given a code
    code = sign(event_id=2**32 - 1)

    # then it is "T1:" and base45 of a 26-byte payload and a 64-byte signature
    assert code.startswith("T1:")
    assert (len(code), CODE_LENGTH, PAYLOAD_LENGTH) == (138, 138, 26)
    assert len(base45.b45decode(code[3:])) == 90
    assert QR_ALPHANUMERIC.fullmatch(code)
    # and the smallest QR symbol that holds it at level M is version 6 (41 × 41 modules)
    fitted = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    fitted.add_data(code)
    fitted.make(fit=True)
    assert fitted.version == 6
    assert len(qr_matrix(code)) == 41 + 2 * 4


def test_nothing_about_the_buyer_is_in_the_code():
    data = base45.b45decode(sign()[3:])

    assert data[:26] == bytes([1, 2]) + TICKET_ID.bytes + (4711).to_bytes(4, "big") + (1781481599).to_bytes(4, "big")


def test_changing_any_byte_makes_the_code_invalid():
    # given a valid code
    code = sign()

    # when each of its 90 bytes in turn is changed
    accepted = []
    for at in range(90):
        for value in {base45.b45decode(code[3:])[at] ^ 0xFF, base45.b45decode(code[3:])[at] ^ 0x01}:
            try:
                verify_ticket(resign(code, at=at, value=value))
                accepted.append(at)
            except InvalidTicketCode as error:
                assert error.code == "invalid"

    # then none of the altered codes is accepted
    assert accepted == []


def test_a_claim_copied_onto_another_ticket_is_rejected():
    # given two codes for different tickets
    first, second = base45.b45decode(sign()[3:]), base45.b45decode(sign(ticket_id=uuid.uuid4())[3:])

    # when the payload of one is combined with the signature of the other
    forged = "T1:" + base45.b45encode(second[:26] + first[26:]).decode()

    # then it is rejected
    with pytest.raises(InvalidTicketCode) as raised:
        verify_ticket(forged)

    assert raised.value.message == "The signature does not match."


def test_a_code_of_another_version_is_rejected_even_when_signed():
    # given a code whose version byte is 2, signed again with a configured key
    data = bytearray(base45.b45decode(sign()[3:]))
    data[0] = 2
    payload = bytes(data[:26])
    code = "T1:" + base45.b45encode(payload + key_ring().signing_key.sign(payload)).decode()

    # then it is rejected for its version
    with pytest.raises(InvalidTicketCode) as raised:
        verify_ticket(code)

    assert raised.value.message == "Unknown ticket code version."


def test_a_code_signed_with_an_unknown_key_is_rejected(settings):
    # given a code signed with key 7, which this site does not have
    settings.TICKET_SIGNING_KEYS = KEY_7
    code = sign()
    settings.TICKET_SIGNING_KEYS = f"{KEY_1},{KEY_2}"

    # then it is rejected
    with pytest.raises(InvalidTicketCode) as raised:
        verify_ticket(code)

    assert raised.value.message == "Signed with an unknown or withdrawn key."


def test_old_codes_stay_valid_after_rotation_until_their_key_is_removed(settings):
    # given a code signed while key 1 was the only key
    settings.TICKET_SIGNING_KEYS = KEY_1
    old_code = sign()
    assert verify_ticket(old_code).key_id == 1

    # when key 2 is added, new codes are signed with it and the old code still verifies
    settings.TICKET_SIGNING_KEYS = f"{KEY_1},{KEY_2}"
    new_code = sign()
    assert (verify_ticket(old_code).key_id, verify_ticket(new_code).key_id) == (1, 2)

    # when key 1 is removed, its codes are revoked and the new ones still verify
    settings.TICKET_SIGNING_KEYS = KEY_2
    with pytest.raises(InvalidTicketCode):
        verify_ticket(old_code)
    assert verify_ticket(new_code).key_id == 2


def test_the_signing_key_can_be_chosen(settings):
    settings.TICKET_SIGNING_KEY_ID = "1"

    assert verify_ticket(sign()).key_id == 1


@pytest.mark.parametrize(
    ("keys", "key_id", "message"),
    [
        ("1:not-base64!", "", "TICKET_SIGNING_KEYS key 1 is not base64 of 32 bytes."),
        ("1:" + base64.b64encode(b"short").decode(), "", "TICKET_SIGNING_KEYS key 1 is not base64 of 32 bytes."),
        (f"{KEY_1},{KEY_1}", "", "TICKET_SIGNING_KEYS names key id 1 twice."),
        (KEY_1[2:], "", "TICKET_SIGNING_KEYS entry 1 is not in the form id:base64-key with an id from 0 to 255."),
        (
            "256" + KEY_1[1:],
            "",
            "TICKET_SIGNING_KEYS entry 1 is not in the form id:base64-key with an id from 0 to 255.",
        ),
        (KEY_1, "2", "TICKET_SIGNING_KEY_ID must be one of the ids in TICKET_SIGNING_KEYS."),
        (KEY_1, "one", "TICKET_SIGNING_KEY_ID must be one of the ids in TICKET_SIGNING_KEYS."),
    ],
)
def test_a_broken_key_setting_stops_with_a_message_that_does_not_show_the_key(settings, keys, key_id, message):
    settings.TICKET_SIGNING_KEYS = keys
    settings.TICKET_SIGNING_KEY_ID = key_id

    with pytest.raises(ImproperlyConfigured) as raised:
        sign()

    assert str(raised.value) == message
    assert KEY_1[2:] not in str(raised.value)


def test_without_keys_and_without_debug_signing_and_checking_refuse_to_run(settings):
    code = sign()
    settings.TICKET_SIGNING_KEYS = ""

    with pytest.raises(ImproperlyConfigured) as when_signing:
        sign()
    with pytest.raises(ImproperlyConfigured) as when_checking:
        verify_ticket(code)

    assert str(when_signing.value) == str(when_checking.value) == "TICKET_SIGNING_KEYS must be set when DEBUG is off."


def test_without_keys_in_debug_a_development_key_comes_from_the_secret_key(settings):
    # given development settings without signing keys
    settings.TICKET_SIGNING_KEYS = ""
    settings.DEBUG = True
    settings.SECRET_KEY = "development-secret"

    # when a code is signed
    code = sign()

    # then key 0 signs it, the same key again after a restart
    assert verify_ticket(code).key_id == 0
    assert public_keys() == {0: "XH8E+Mcxeb3VCe2JKobBBZ/OfWZo2OMJLw7giGjYYdM="}
    # and a different SECRET_KEY makes a different key
    settings.SECRET_KEY = "another-secret"
    with pytest.raises(InvalidTicketCode):
        verify_ticket(code)


def test_configured_keys_win_over_the_development_key_in_debug(settings):
    settings.DEBUG = True

    assert verify_ticket(sign()).key_id == 2


def test_a_scanner_checks_a_code_with_the_published_public_key_alone():
    # given the public keys a scanner device downloads
    published = public_keys()
    data = base45.b45decode(sign()[3:])

    # when it checks a code's signature with the key named in the code
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(published[data[1]]))
    key.verify(data[26:], data[:26])

    # then the signature holds (verify raised nothing) and both keys are published
    assert sorted(published) == [1, 2]


def test_a_generated_key_setting_can_be_used_at_once(settings):
    # given a freshly generated key entry
    entry = generate_key_setting(9)
    assert re.fullmatch(r"9:[A-Za-z0-9+/]{43}=", entry)

    # when it is configured
    settings.TICKET_SIGNING_KEYS = entry

    # then it signs codes
    assert verify_ticket(sign()).key_id == 9


def test_a_generated_key_id_must_fit_one_byte():
    with pytest.raises(ValueError) as raised:
        generate_key_setting(256)

    assert str(raised.value) == "Key ids run from 0 to 255."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"valid_until": datetime(2026, 6, 14, 23, 59)}, "valid_until must be timezone-aware."),
        ({"event_id": 2**32}, "event_id and valid_until must fit in 4 unsigned bytes."),
        ({"event_id": -1}, "event_id and valid_until must fit in 4 unsigned bytes."),
        ({"valid_until": datetime(2106, 2, 8, tzinfo=UTC)}, "event_id and valid_until must fit in 4 unsigned bytes."),
    ],
)
def test_values_that_do_not_fit_the_payload_are_refused(overrides, message):
    with pytest.raises(ValueError) as raised:
        sign(**overrides)

    assert str(raised.value) == message


def test_line_ends_typed_by_a_scanner_are_ignored():
    code = sign()

    assert verify_ticket(f"{code}\r\n").ticket_id == TICKET_ID
    assert verify_ticket(f" {code}\n").ticket_id == TICKET_ID


@pytest.mark.parametrize(
    "code",
    ["", "T1:", "T2:" + "0" * 135, "T1:" + "0" * 134, "T1:" + "0" * 136, "T1:" + ":" * 135, "t1:" + "0" * 135],
)
def test_malformed_codes_are_invalid(code):
    with pytest.raises(InvalidTicketCode) as raised:
        verify_ticket(code)

    assert (raised.value.code, raised.value.message) == ("invalid", "Not a ticket code.")


def test_a_code_with_lower_case_letters_is_invalid():
    with pytest.raises(InvalidTicketCode):
        verify_ticket("T1:" + sign()[3:].lower())


FUZZ = hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=st.text())
def test_any_text_is_either_a_claim_or_invalid(text):
    with pytest.raises(InvalidTicketCode):
        verify_ticket(text)


@FUZZ
@given(body=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", min_size=135, max_size=135))
def test_any_well_formed_looking_code_is_invalid_unless_signed(body):
    with pytest.raises(InvalidTicketCode):
        verify_ticket("T1:" + body)


SIGNED = {}


@FUZZ
@given(at=st.integers(min_value=0, max_value=89), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_is_invalid(at, bit):
    code = SIGNED.setdefault("code", sign())
    data = base45.b45decode(code[3:])

    with pytest.raises(InvalidTicketCode):
        verify_ticket(resign(code, at=at, value=data[at] ^ (1 << bit)))


@FUZZ
@given(at=st.integers(min_value=0, max_value=137), character=st.characters())
def test_any_changed_character_is_invalid(at, character):
    code = SIGNED.setdefault("code", sign())
    changed = code[:at] + character + code[at + 1 :]

    if changed.strip() == code:
        assert verify_ticket(changed).ticket_id == TICKET_ID
    else:
        with pytest.raises(InvalidTicketCode):
            verify_ticket(changed)


def test_the_png_decodes_to_the_code():
    code = sign()

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(code, box_size=4))))

    assert [(result.text, result.format, result.ec_level) for result in decoded] == [
        (code, zxingcpp.BarcodeFormat.QRCode, "M")
    ]
    assert Image.open(io.BytesIO(qr_png(code, box_size=4))).size == (196, 196)


def test_the_svg_draws_exactly_the_dark_modules_of_the_symbol():
    # given the SVG of a code
    code = sign()
    svg = qr_svg(code, label='Ticket "A" & <B>')

    # when its path is read back into modules
    drawn = set()
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", svg):
        drawn |= {(int(y), int(x) + step) for step in range(int(length))}

    # then they are the symbol's dark modules, on white, with the label escaped
    matrix = qr_matrix(code)
    assert drawn == {(y, x) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 49 49" width="245" height="245" '
        'shape-rendering="crispEdges" role="img" aria-label="Ticket &quot;A&quot; &amp; &lt;B&gt;">'
        '<rect width="49" height="49" fill="#fff"/>'
    )


def test_an_svg_without_a_label_is_hidden_from_screen_readers():
    assert ' aria-hidden="true">' in qr_svg(sign())


def test_override_settings_changes_the_keys_used():
    code = sign()

    with override_settings(TICKET_SIGNING_KEYS=KEY_7), pytest.raises(InvalidTicketCode):
        verify_ticket(code)
    assert verify_ticket(code).key_id == 2
