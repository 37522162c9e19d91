"""Public reads are served from the cache, and every edit shows at once."""

import gzip
import os

import pytest

from config.cache import RedisCache

pytestmark = pytest.mark.django_db


def test_a_repeated_api_read_costs_no_query(api_client, catalogue, django_assert_num_queries):
    first = api_client.get("/api/v1/events/?venue=kulturvaerftet")

    with django_assert_num_queries(0):
        second = api_client.get("/api/v1/events/?venue=kulturvaerftet")

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    assert second["Content-Language"] == "da"


def test_cached_answers_keep_language_and_host_apart(api_client, catalogue):
    danish = api_client.get("/api/v1/events/jazz/").json()
    english = api_client.get("/api/v1/events/jazz/", HTTP_ACCEPT_LANGUAGE="en").json()
    other_host = api_client.get("/api/v1/events/jazz/", HTTP_HOST="localhost").json()

    assert (danish["title"], english["title"]) == ("Jazz på havnen", "Jazz by the harbour")
    assert danish["page_url"] == "http://testserver/da/events/jazz/"
    assert other_host["page_url"] == "http://localhost/da/events/jazz/"


def test_errors_are_not_cached(api_client, catalogue):
    assert api_client.get("/api/v1/events/nope/").status_code == 404
    catalogue["jazz"].slug = "nope"
    catalogue["jazz"].save()
    assert api_client.get("/api/v1/events/nope/").status_code == 200


def test_a_repeated_page_view_costs_no_query_and_an_edit_shows_at_once(client, catalogue, django_assert_num_queries):
    client.get("/da/events/jazz/")
    with django_assert_num_queries(0):
        assert "Jazz på havnen" in client.get("/da/events/jazz/").content.decode()

    catalogue["jazz"].title_da = "Jazz i Værftshallerne"
    catalogue["jazz"].save()

    assert "Jazz i Værftshallerne" in client.get("/da/events/jazz/").content.decode()


def test_feed_revalidation_costs_no_query(client, catalogue, django_assert_num_queries):
    etag = client.get("/events.ics")["ETag"]

    with django_assert_num_queries(0):
        response = client.get("/events.ics", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_feed_is_sent_gzipped_to_clients_that_accept_it(client, catalogue):
    plain = client.get("/events.ics")
    zipped = client.get("/events.ics", HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content).split(b"DTSTAMP")[0] == plain.content.split(b"DTSTAMP")[0]
    assert "Accept-Encoding" in zipped["Vary"]


def test_redis_cache_reuses_one_client_per_pool():
    cache = RedisCache(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0", {"KEY_PREFIX": "test-reuse"})

    cache.set("answer", 42, 30)

    assert cache.get("answer") == 42
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.delete("answer")


def test_a_ticket_type_edit_changes_the_catalogue_version(db):
    from events import catalogue_version
    from tests.factories import TicketTypeFactory

    ticket_type = TicketTypeFactory()
    before = catalogue_version.current()

    ticket_type.price_ore = 30000
    ticket_type.save()

    assert catalogue_version.current() != before
