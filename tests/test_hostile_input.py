import pytest

from tests.factories import EventFactory


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orders/HK-7Q4M2/?secret=%00",
        "/api/v1/orders/HK%007Q4M2/?secret=abc",
        "/api/v1/events/?q=jazz%00",
        "/da/events/?q=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_400_not_a_server_error(client, db, url):
    EventFactory()

    response = client.get(url)

    assert (response.status_code, response.json()["code"]) == (400, "invalid_input")


def test_an_ordinary_address_passes(client, db):
    assert client.get("/api/v1/events/?q=jazz").status_code == 200


def test_a_time_offset_beyond_what_postgresql_takes_is_read_in_utc(client, db):
    response = client.get("/api/v1/events/?starts_after=4100-01-28T17%3A10%3A23.1-21%3A15")

    assert response.status_code == 200
