"""The public venue API."""

import pytest

from tests.factories import EntranceFactory, HallFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_venue_detail_has_address_accessibility_halls_and_entrances(api_client):
    venue = VenueFactory(
        slug="kulturvaerftet",
        name="Kulturværftet",
        description_da="Kulturhus på det gamle værft.",
        description_en="Culture house on the old shipyard.",
        wheelchair_spaces=6,
        has_hearing_loop=True,
        accessibility_notes_da="Elevator til alle etager.",
    )
    HallFactory(venue=venue, slug="store-scene", name="Store Scene", seated_capacity=500, standing_capacity=1000)
    EntranceFactory(venue=venue, slug="hovedindgang", name="Hovedindgang")

    body = api_client.get("/api/v1/venues/kulturvaerftet/?lang=en").json()

    assert body["description"] == "Culture house on the old shipyard."
    assert (body["address"], body["postcode"], body["town"]) == ("Allégade 2", "3000", "Helsingør")
    assert body["accessibility"] == {
        "step_free_access": True,
        "wheelchair_spaces": 6,
        "hearing_loop": True,
        "accessible_toilet": False,
        "notes": "Elevator til alle etager.",
    }
    assert body["halls"] == [
        {"slug": "store-scene", "name": "Store Scene", "seated_capacity": 500, "standing_capacity": 1000}
    ]
    assert body["entrances"] == [{"slug": "hovedindgang", "name": "Hovedindgang"}]


def test_venue_list_is_ordered_by_name_and_query_count_is_flat(api_client, django_assert_num_queries):
    for name in ("Toldkammeret", "Kulturværftet", "Marienlyst Slot"):
        venue = VenueFactory(name=name)
        HallFactory(venue=venue)
    with django_assert_num_queries(4):  # count, page, halls, entrances
        body = api_client.get("/api/v1/venues/").json()
    assert [v["name"] for v in body["results"]] == ["Kulturværftet", "Marienlyst Slot", "Toldkammeret"]


def test_unknown_venue_is_404_with_a_code(api_client):
    response = api_client.get("/api/v1/venues/nowhere/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
