"""The scanner page as the server renders it: its texts, its settings for the script, staff sign-in."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.utils.html import escape

pytestmark = pytest.mark.django_db


def scanner_config(response) -> dict:
    found = re.search(r'<script id="scanner-config" type="application/json">(.*?)</script>', response.content.decode())
    assert found is not None
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("language", "title", "start", "already_used"),
    [
        ("da", "Billetscanner", "Begynd at scanne", "Allerede brugt"),
        ("en", "Door scanner", "Start scanning", "Already used"),
        ("sv", "Biljettskanner", "Börja skanna", "Redan använd"),
        ("de", "Ticketscanner", "Scannen starten", "Bereits benutzt"),
    ],
)
def test_the_page_and_its_script_texts_are_in_the_page_language(client, language, title, start, already_used):
    response = client.get(f"/{language}/scanner/")

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<h1 class="scanner__title">{escape(title)}</h1>' in content
    assert escape(start) in content
    config = scanner_config(response)
    assert config["language"] == language
    assert config["texts"]["titles"]["already_used"] == already_used
    assert config["urls"] == {
        "me": "/api/v1/scanner/me/",
        "events": "/api/v1/scanner/events/",
        "sync": "/api/v1/scanner/sync/",
        "scan": "/api/v1/scans/",
        "batch": "/api/v1/scans/batch/",
        "register": "/api/v1/scanner/devices/register/",
    }


def test_the_page_is_never_cached_and_loads_the_qr_decoder_from_the_static_files(client):
    response = client.get("/da/scanner/")

    assert "no-store" in response["Cache-Control"]
    assert re.search(r'<script src="/static/vendor/jsqr/jsQR(\.[0-9a-f]+)?\.js" defer>', response.content.decode())
    assert 'name="robots" content="noindex"' in response.content.decode()


def test_staff_sign_in_and_come_back_to_the_scanner(client):
    User.objects.create_user("mette", password="havnen-ved-kronborg-2026")

    page = client.get("/da/scanner/login/?next=/da/scanner/")
    response = client.post(
        "/da/scanner/login/", {"username": "mette", "password": "havnen-ved-kronborg-2026", "next": "/da/scanner/"}
    )

    assert page.status_code == 200
    assert (response.status_code, response["Location"]) == (302, "/da/scanner/")
    assert "Du er logget ind som mette." in client.get("/da/scanner/").content.decode()


def test_a_wrong_password_is_answered_on_the_form_without_echoing_it(client):
    User.objects.create_user("mette", password="havnen-ved-kronborg-2026")

    response = client.post("/en/scanner/login/", {"username": "mette", "password": "wrong-password-42"})

    assert response.status_code == 200
    assert "You could not be signed in" in response.content.decode()
    assert "wrong-password-42" not in response.content.decode()


def test_signing_out_goes_back_to_the_scanner(client):
    client.force_login(User.objects.create_user("mette"))

    response = client.post("/sv/scanner/logout/")

    assert (response.status_code, response["Location"]) == (302, "/sv/scanner/")
    assert "_auth_user_id" not in client.session
