"""Organiser members see only their own organisers' events, series, ticket types, orders and refunds in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import EventFactory, OrganiserFactory, TicketTypeFactory, UserFactory, paid_tickets

pytestmark = pytest.mark.django_db

MODELS = [
    ("events", "event"),
    ("events", "eventseries"),
    ("events", "organiser"),
    ("tickets", "tickettype"),
    ("tickets", "order"),
    ("tickets", "refund"),
]


@pytest.fixture
def two_organisers():
    ours, theirs = OrganiserFactory(name="Toldkammeret"), OrganiserFactory(name="Jazzklubben")
    member = UserFactory(is_staff=True)
    ours.members.add(member)
    member.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["events", "tickets"],
            content_type__model__in=[model for _, model in MODELS],
            codename__regex=r"^(view|change|add)_",
        )
    )
    our_event = EventFactory(organiser=ours, title_da="Vores koncert")
    their_event = EventFactory(organiser=theirs, title_da="Deres koncert")
    paid_tickets(TicketTypeFactory(event=our_event, name_da="Vores billet"))
    paid_tickets(TicketTypeFactory(event=their_event, name_da="Deres billet"))
    return member, ours, theirs, our_event, their_event


def test_a_member_lists_only_their_organisers_events_ticket_types_and_orders(client, two_organisers):
    member, _ours, _theirs, our_event, _their_event = two_organisers
    client.force_login(member)

    events = client.get(reverse("admin:events_event_changelist")).content.decode()
    types = client.get(reverse("admin:tickets_tickettype_changelist")).content.decode()
    orders = client.get(reverse("admin:tickets_order_changelist"))
    organisers = client.get(reverse("admin:events_organiser_changelist")).content.decode()

    assert ("Vores koncert" in events, "Deres koncert" in events) == (True, False)
    assert ("Vores billet" in types, "Deres billet" in types) == (True, False)
    assert [order.event for order in orders.context["cl"].result_list] == [our_event]
    assert ("Toldkammeret" in organisers, "Jazzklubben" in organisers) == (True, False)


def test_another_organisers_event_does_not_open(client, two_organisers):
    member, _ours, _theirs, our_event, their_event = two_organisers
    client.force_login(member)

    ours = client.get(reverse("admin:events_event_change", args=[our_event.pk]))
    theirs = client.get(reverse("admin:events_event_change", args=[their_event.pk]))

    assert ours.status_code == 200
    assert theirs.status_code == 302  # the admin's "does not exist" redirect


def test_a_member_may_only_choose_their_own_organiser_and_events(client, two_organisers):
    member, ours, _theirs, our_event, _their_event = two_organisers
    client.force_login(member)

    event_form = client.get(reverse("admin:events_event_add")).context["adminform"].form
    type_form = client.get(reverse("admin:tickets_tickettype_add")).context["adminform"].form

    assert list(event_form.fields["organiser"].queryset) == [ours]
    assert list(type_form.fields["event"].queryset) == [our_event]


def test_a_superuser_sees_every_organisers_events(client, admin_user, two_organisers):
    client.force_login(admin_user)

    events = client.get(reverse("admin:events_event_changelist")).content.decode()

    assert ("Vores koncert" in events, "Deres koncert" in events) == (True, True)
