"""Scanner devices: a one-time code from the admin becomes a token once; revoking stops the token."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ScannerDeviceFactory, VenueFactory
from tickets.devices import (
    REGISTRATION_CODE_LIFETIME,
    RegistrationCodeInvalid,
    device_for_token,
    new_registration_code,
    register_device,
    revoke_device,
)
from tickets.models import ScannerDevice

pytestmark = pytest.mark.django_db


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def stored(device: ScannerDevice) -> tuple:
    fresh = ScannerDevice.objects.get(pk=device.pk)
    return (
        fresh.token_hash,
        fresh.registration_code_hash,
        fresh.registration_code_expires_at,
        fresh.registered_at,
        fresh.revoked_at,
    )


def test_a_registration_code_gives_the_device_a_token_once():
    # given a device created in the admin and a fresh code for it
    now = timezone.now()
    device = ScannerDeviceFactory(venues=[VenueFactory()])
    code = new_registration_code(device_id=device.pk, now=now)
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)

    # when the phone sends the code
    registered, token = register_device(code=code, now=now + timedelta(minutes=1))

    # then it gets a token that identifies the device, and only hashes are stored
    assert registered.pk == device.pk
    assert device_for_token(token, now=now + timedelta(minutes=2)).pk == device.pk
    assert stored(device) == (sha256(token), "", None, now + timedelta(minutes=1), None)
    # and the code cannot be used a second time
    before = stored(device)
    with pytest.raises(RegistrationCodeInvalid) as raised:
        register_device(code=code, now=now + timedelta(minutes=2))
    assert raised.value.code == "registration_code_invalid"
    assert stored(device) == before


def test_only_the_hash_of_a_registration_code_is_stored():
    now = timezone.now()
    device = ScannerDeviceFactory()

    code = new_registration_code(device_id=device.pk, now=now)

    assert stored(device) == (None, sha256(code.replace("-", "")), now + REGISTRATION_CODE_LIFETIME, None, None)


@pytest.mark.parametrize("typed", [str.lower, lambda code: code.replace("-", ""), lambda code: f"  {code.lower()} \n"])
def test_a_code_typed_in_lower_case_or_without_the_dash_works(typed):
    now = timezone.now()
    device = ScannerDeviceFactory()
    code = new_registration_code(device_id=device.pk, now=now)

    registered, _token = register_device(code=typed(code), now=now)

    assert registered.pk == device.pk


def test_a_code_expires_after_fifteen_minutes():
    # given a code made at a known time
    now = timezone.now()
    device = ScannerDeviceFactory()
    code = new_registration_code(device_id=device.pk, now=now)
    before = stored(device)

    # when it is sent exactly fifteen minutes later, then it no longer works and nothing changes
    with pytest.raises(RegistrationCodeInvalid):
        register_device(code=code, now=now + timedelta(minutes=15))
    assert stored(device) == before
    # while a second earlier it would have
    assert register_device(code=code, now=now + timedelta(minutes=15) - timedelta(seconds=1))[0].pk == device.pk


def test_a_new_code_replaces_the_previous_one():
    now = timezone.now()
    device = ScannerDeviceFactory()
    old = new_registration_code(device_id=device.pk, now=now)
    new = new_registration_code(device_id=device.pk, now=now)

    with pytest.raises(RegistrationCodeInvalid):
        register_device(code=old, now=now)
    assert register_device(code=new, now=now)[0].pk == device.pk


@pytest.mark.parametrize("code", ["", "-", "ABCD", "ABCD-EFGH-JKMN", "not a code"])
def test_malformed_or_unknown_codes_are_refused(code):
    ScannerDeviceFactory()

    with pytest.raises(RegistrationCodeInvalid):
        register_device(code=code)


def test_reregistering_a_device_replaces_its_token():
    now = timezone.now()
    device = ScannerDeviceFactory()
    _, first = register_device(code=new_registration_code(device_id=device.pk, now=now), now=now)

    _, second = register_device(code=new_registration_code(device_id=device.pk, now=now), now=now)

    assert device_for_token(first, now=now) is None
    assert device_for_token(second, now=now).pk == device.pk


def test_revoking_a_device_stops_its_token_and_its_pending_code():
    # given a registered device with a fresh code for another phone
    now = timezone.now()
    device = ScannerDeviceFactory()
    _, token = register_device(code=new_registration_code(device_id=device.pk, now=now), now=now)
    code = new_registration_code(device_id=device.pk, now=now)

    # when an admin revokes it
    revoke_device(device_id=device.pk, now=now + timedelta(minutes=1))

    # then neither the token nor the code work any more
    assert device_for_token(token, now=now + timedelta(minutes=2)) is None
    with pytest.raises(RegistrationCodeInvalid):
        register_device(code=code, now=now + timedelta(minutes=2))
    assert stored(device) == (sha256(token), "", None, now, now + timedelta(minutes=1))
    assert ScannerDevice.objects.get(pk=device.pk).is_active is False
    # and a new code for a revoked device cannot register it either
    with pytest.raises(RegistrationCodeInvalid):
        register_device(code=new_registration_code(device_id=device.pk, now=now), now=now)


@pytest.mark.parametrize("token", ["", "made-up-token"])
def test_an_empty_or_unknown_token_is_no_device(token):
    ScannerDeviceFactory()

    assert device_for_token(token) is None


def test_using_a_token_updates_last_seen_at_most_once_a_minute():
    now = timezone.now()
    device = ScannerDeviceFactory()
    _, token = register_device(code=new_registration_code(device_id=device.pk, now=now), now=now)

    seen = []
    for seconds in (30, 61, 90, 122):
        device_for_token(token, now=now + timedelta(seconds=seconds))
        seen.append(ScannerDevice.objects.get(pk=device.pk).last_seen_at)

    assert seen == [now, now + timedelta(seconds=61), now + timedelta(seconds=61), now + timedelta(seconds=122)]
