"""The statistics admin: figures are added through the service, never edited, and their corrections traced."""

import pytest
from django.urls import reverse

from events.models import BookingMode
from tests.factories import UserFactory, VenueFactory
from tests.visitor_stats.helpers import at, culture_office_user, event_on, figure
from visitor_stats.models import Population, Quality, Source, SurveyResult, VisitFigure, YearlyGoal

pytestmark = pytest.mark.django_db
ADD = reverse("admin:visitor_stats_visitfigure_add")


@pytest.fixture
def office(client):
    user = culture_office_user()
    client.force_login(user)
    client.user = user
    return client


def form(venue, **changes) -> dict:
    values = {
        "source": Source.GATE_COUNTER,
        "venue": venue.pk,
        "event": "",
        "counter": "Main door",
        "period_start_0": "2024-02-06",
        "period_start_1": "10:00",
        "period_end_0": "2024-02-06",
        "period_end_1": "11:00",
        "visits": "120",
        "exits": "118",
        "origin": "unknown",
        "note": "",
    }
    return values | changes


def test_the_office_adds_a_figure_through_the_service(office):
    # given a library; when the office adds a counter hour in the admin
    library = VenueFactory()
    response = office.post(ADD, form(library))
    # then the figure is stored as counted, entered by them
    assert response.status_code == 302
    stored = VisitFigure.objects.get()
    assert (stored.source, stored.quality, stored.visits, stored.exits, stored.entered_by_id) == (
        Source.GATE_COUNTER,
        Quality.COUNTED,
        120,
        118,
        office.user.pk,
    )
    assert (stored.period_start, stored.period_end) == (at(2, 6, 10), at(2, 6, 11))


def test_adding_a_figure_for_a_slot_that_has_one_is_a_correction_with_a_trace(office):
    # given a counter hour entered before
    library = VenueFactory()
    old = figure(Source.GATE_COUNTER, library, at(2, 6, 10), 100)
    # when the office opens a correction of it and saves 120
    opened = office.get(ADD, {"correct": old.pk})
    response = office.post(ADD, form(library, visits="120"))
    # then the form was filled in from the old figure, and the old one is kept, replaced by the new one
    assert opened.context["adminform"].form.initial["visits"] == 100
    assert opened.context["adminform"].form.initial["venue"] == library.pk
    assert response.status_code == 302
    old.refresh_from_db()
    new = VisitFigure.objects.get(replaced_at__isnull=True)
    assert (old.visits, old.replaced_by_id, new.visits) == (100, new.pk, 120)
    page = office.get(reverse("admin:visitor_stats_visitfigure_change", args=[old.pk])).content.decode()
    assert "Replaced on" in page
    assert reverse("admin:visitor_stats_visitfigure_change", args=[new.pk]) in page
    new_page = office.get(reverse("admin:visitor_stats_visitfigure_change", args=[new.pk])).content.decode()
    assert "Corrects" in new_page
    assert "Enter a correction" in new_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": Source.TICKET_SCANS}, "ticket_scans"),
        ({"period_end_1": "09:00"}, "The period must end after it starts."),
        ({"counter": ""}, "Name the counter, e.g. the door it counts."),
        ({"source": Source.HEAD_COUNT, "counter": ""}, "A head count belongs to an event."),
    ],
)
def test_a_figure_breaking_a_rule_is_shown_the_reason_and_not_stored(office, changes, message):
    response = office.post(ADD, form(VenueFactory(), **changes))
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors)
    assert VisitFigure.objects.count() == 0


def test_a_head_count_for_an_event_at_another_venue_is_refused(office):
    festival = event_on(at(8, 10, 12), booking_mode=BookingMode.DROP_IN)
    response = office.post(ADD, form(VenueFactory(), source=Source.HEAD_COUNT, counter="", event=festival.pk))
    assert "The event is not at this venue." in str(response.context["adminform"].form.errors)
    assert VisitFigure.objects.count() == 0


def test_figures_cannot_be_edited_or_deleted(office):
    # given a stored figure
    stored = figure(Source.GATE_COUNTER, VenueFactory(), at(2, 6, 10), 100)
    change = reverse("admin:visitor_stats_visitfigure_change", args=[stored.pk])
    # when the office tries to change or delete it
    shown = office.get(change)
    posted = office.post(change, {"visits": "5"})
    deleted = office.post(reverse("admin:visitor_stats_visitfigure_delete", args=[stored.pk]), {"post": "yes"})
    # then it is shown read-only and stays as it was
    assert shown.status_code == 200
    assert 'name="visits"' not in shown.content.decode()
    assert (posted.status_code, deleted.status_code) == (403, 403)
    stored.refresh_from_db()
    assert (stored.visits, VisitFigure.objects.count()) == (100, 1)


def test_the_list_filters_by_source_quality_venue_and_status(office):
    library, harbour = VenueFactory(), VenueFactory()
    figure(Source.GATE_COUNTER, library, at(2, 6, 10), 100)
    figure(Source.GATE_COUNTER, library, at(2, 6, 10), 110)
    figure(Source.PARTNER, harbour, at(2, 1, 0), 900, hours=24)
    changelist = reverse("admin:visitor_stats_visitfigure_changelist")

    def listed(**query):
        response = office.get(changelist, query)
        assert response.status_code == 200
        return sorted(row.visits for row in response.context["cl"].result_list)

    assert listed() == [100, 110, 900]
    assert listed(source=Source.PARTNER) == [900]
    assert listed(quality=Quality.COUNTED) == [100, 110]
    assert listed(venue__id__exact=library.pk) == [100, 110]
    assert listed(current="yes") == [110, 900]
    assert listed(current="no") == [100]


@pytest.mark.parametrize("model", ["visitfigure", "yearlygoal", "population", "surveyresult"])
def test_the_office_reaches_every_statistics_page_and_other_staff_none(office, client, model):
    url = reverse(f"admin:visitor_stats_{model}_changelist")
    assert office.get(url).status_code == 200
    assert office.get(reverse(f"admin:visitor_stats_{model}_add")).status_code == 200
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403


def test_the_office_edits_goals_population_and_surveys(office):
    # when the office enters a goal, a population and a survey result
    office.post(
        reverse("admin:visitor_stats_yearlygoal_add"), {"year": "2027", "visitors": "1650000", "resident_share": "80"}
    )
    office.post(reverse("admin:visitor_stats_population_add"), {"year": "2025", "residents": "64010", "source": "DST"})
    office.post(
        reverse("admin:visitor_stats_surveyresult_add"),
        {"year": "2025", "share": "62.5", "sample_size": "1100", "source": "Borgerpanel"},
    )
    goal = YearlyGoal.objects.get(year=2027)
    office.post(
        reverse("admin:visitor_stats_yearlygoal_change", args=[goal.pk]),
        {"year": "2027", "visitors": "1700000", "resident_share": "82.5"},
    )
    # then they are stored, and the goal changed
    assert YearlyGoal.objects.values_list("year", "visitors", "resident_share").get() == (2027, 1_700_000, 82.5)
    assert Population.objects.filter(year=2025).values_list("residents", flat=True).get() == 64_010
    assert SurveyResult.objects.values_list("year", "sample_size").get() == (2025, 1100)
