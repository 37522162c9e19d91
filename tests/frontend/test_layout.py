import re
from itertools import pairwise

import pytest
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import EventFactory, VenueFactory
from tests.frontend.pages import elements, html, texts

pytestmark = pytest.mark.django_db

PAGES = ["/{}/", "/{}/events/koncert/", "/{}/venues/", "/{}/venues/vaerftet/", "/{}/accessibility/"]


@pytest.fixture(autouse=True)
def _content():
    EventFactory(slug="koncert", venue=VenueFactory(slug="vaerftet"))


@pytest.mark.parametrize(
    ("accept_language", "location"),
    [
        ("da-DK,da;q=0.9", "/da/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("sv-SE", "/sv/"),
        ("de", "/de/"),
        ("fr-FR", "/da/"),
        ("", "/da/"),
    ],
)
def test_the_front_door_redirects_by_accept_language(client, accept_language, location):
    # when
    response = client.get("/", headers={"accept-language": accept_language})

    # then
    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", ["da", "en", "sv", "de"])
def test_every_page_has_the_language_one_h1_landmarks_and_a_skip_link(client, page, language):
    # when
    response = client.get(page.format(language))

    # then
    assert response.status_code == 200
    assert elements(response, "html")[0]["lang"] == language
    assert len(elements(response, "h1")) == 1
    assert [link["href"] for link in elements(response, "a", class_="skip-link")] == ["#main"]
    assert len(elements(response, "main", id="main")) == 1
    assert len(elements(response, "header")) >= 1
    assert len(elements(response, "footer")) == 1
    assert elements(response, "meta", name="viewport")[0]["content"] == "width=device-width, initial-scale=1"
    assert elements(response, "meta", name="description")[0]["content"] != ""


@pytest.mark.parametrize("page", PAGES)
def test_headings_never_skip_a_level(client, page):
    # when
    response = client.get(page.format("en"))

    # then
    levels = [int(tag[1]) for tag in re.findall(r"<(h[1-6])[\s>]", html(response))]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in pairwise(levels))


def test_hreflang_links_and_the_language_switcher_point_to_the_same_page(client):
    # when
    response = client.get("/da/events/koncert/")

    # then
    assert [(link["hreflang"], link["href"]) for link in elements(response, "link", rel="alternate")] == [
        ("da", "http://testserver/da/events/koncert/"),
        ("en", "http://testserver/en/events/koncert/"),
        ("sv", "http://testserver/sv/events/koncert/"),
        ("de", "http://testserver/de/events/koncert/"),
        ("x-default", "http://testserver/da/events/koncert/"),
    ]
    switcher = [link for link in elements(response, "a") if "hreflang" in link]
    assert [(link["text"], link["href"], link["lang"]) for link in switcher] == [
        ("Dansk", "/da/events/koncert/", "da"),
        ("English", "/en/events/koncert/", "en"),
        ("Svenska", "/sv/events/koncert/", "sv"),
        ("Deutsch", "/de/events/koncert/", "de"),
    ]
    assert [link["text"] for link in switcher if link.get("aria-current") == "true"] == ["Dansk"]


def test_the_language_switcher_keeps_the_filters(client):
    # when
    response = client.get("/da/", {"venue": "vaerftet", "is_free": "true"})

    # then
    switcher = [link["href"] for link in elements(response, "a") if "hreflang" in link]
    assert switcher[2] == "/sv/?venue=vaerftet&is_free=true"


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("da", "Tilgængelighedserklæring"),
        ("en", "Accessibility statement"),
        ("sv", "Tillgänglighetsredogörelse"),
        ("de", "Erklärung zur Barrierefreiheit"),
    ],
)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_links_the_accessibility_statement_from_its_footer(client, page, language, title):
    # when
    response = client.get(page.format(language))

    # then
    footer_links = [
        link
        for link in elements(response, "a")
        if link["href"] == f"/{language}/accessibility/" and "hreflang" not in link  # not the language switcher
    ]
    assert [link["text"] for link in footer_links] == [title]


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("da", "Tilgængelighedserklæring"),
        ("en", "Accessibility statement"),
        ("sv", "Tillgänglighetsredogörelse"),
        ("de", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_the_accessibility_statement_in_each_language(client, language, title):
    # when
    response = client.get(f"/{language}/accessibility/")

    # then
    assert texts(response, "h1") == [title]
    assert "WCAG 2.1" in html(response)
    assert "Digitaliseringsstyrelsen" in html(response)
    assert [link["href"] for link in elements(response, "a") if link["href"].startswith("mailto:")] == [
        "mailto:kultur@helsingor.dk"
    ]
    assert "https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/" in texts(
        response, "a"
    )


def test_every_form_control_on_the_list_page_has_a_label(client):
    # when
    response = client.get("/da/")

    # then
    labelled = {label["for"] for label in elements(response, "label")}
    controls = [*elements(response, "input"), *elements(response, "select")]
    assert [
        control["id"] for control in controls if control.get("type") != "hidden" and control["id"] not in labelled
    ] == []
    assert len(controls) == 9


def test_unknown_pages_get_the_site_layout_and_404(client):
    # when
    response = client.get("/en/no-such-page/")

    # then
    assert response.status_code == 404
    assert texts(response, "h1") == ["Page not found"]
    assert elements(response, "html")[0]["lang"] == "en"


def test_the_error_page_stands_on_its_own(rf):
    # given
    request = rf.get("/da/")

    # when
    with translation.override("da"):
        response = server_error(request)

    # then
    assert response.status_code == 500
    assert texts(response, "h1") == ["Noget gik galt"]
    assert elements(response, "html")[0]["lang"] == "da"
