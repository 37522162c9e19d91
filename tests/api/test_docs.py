"""The API documentation works offline and the committed schema is the one served."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_swagger_ui_loads_its_assets_from_this_site(client):
    html = client.get("/api/docs/").content.decode()

    asset_urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle" in url for url in asset_urls)
    for url in asset_urls:
        assert url.startswith(settings.STATIC_URL) or url.startswith("/api/"), url
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_served_schema_matches_the_committed_file(client):
    served = yaml.safe_load(client.get("/api/schema/").content)
    committed = yaml.safe_load(Path(settings.BASE_DIR, "docs", "openapi.yaml").read_text())

    assert served["paths"].keys() == committed["paths"].keys()
    assert {"/api/v1/events/", "/api/v1/events/{slug}/", "/api/v1/venues/", "/api/v1/venues/{slug}/"} <= set(
        served["paths"]
    )
    parameters = {p["name"] for p in served["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert {
        "starts_after",
        "starts_before",
        "venue",
        "category",
        "organiser",
        "q",
        "is_free",
        "booking_mode",
        "accessible",
        "status",
        "lang",
        "page",
        "ordering",
    } <= parameters
