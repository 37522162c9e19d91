"""Who may read visitor statistics and who may enter which visit figures.

- Admins (superusers) and the culture office read statistics and enter every kind of figure.
- Venue staff post gate counter figures for their venues and head counts of events there.
- Organiser members post head counts of their organiser's events.
- Partner figures are entered by the culture office and admins only.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q

from tickets.access import CULTURE_OFFICE_PERMISSION, is_culture_office
from visitor_stats.figures import FigureInput
from visitor_stats.models import Source


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _holds_culture_office_permission(user: Any) -> bool:
    """The culture office permission, given to the user or one of their groups, in one query.

    The same answer as `has_perm` with the model backend, which asks twice (user, then groups).
    """
    if hasattr(user, "_perm_cache"):  # has_perm already read them during this request
        return bool(user.has_perm(CULTURE_OFFICE_PERMISSION))
    app_label, codename = CULTURE_OFFICE_PERMISSION.split(".")
    return bool(
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def may_read_statistics(user: Any) -> bool:
    """Admins and the culture office; read once per request and user."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    allowed = getattr(user, "_may_read_statistics", None)
    if allowed is None:
        allowed = user._may_read_statistics = _holds_culture_office_permission(user)
    return bool(allowed)


@dataclass(frozen=True)
class FigureRights:
    """What one user may enter, read once so a large import asks the database nothing per row."""

    everything: bool
    venue_ids: frozenset[int]
    organiser_ids: frozenset[int]

    @property
    def anything(self) -> bool:
        return self.everything or bool(self.venue_ids or self.organiser_ids)

    def allows(self, figure: FigureInput) -> bool:
        if self.everything:
            return True
        if figure.source == Source.GATE_COUNTER:
            return figure.venue.pk in self.venue_ids
        if figure.source == Source.HEAD_COUNT and figure.event is not None:
            return figure.event.venue_id in self.venue_ids or figure.event.organiser_id in self.organiser_ids
        return False


def figure_rights(user: Any) -> FigureRights:
    if not _is_active(user):
        return FigureRights(everything=False, venue_ids=frozenset(), organiser_ids=frozenset())
    if user.is_superuser or is_culture_office(user):
        return FigureRights(everything=True, venue_ids=frozenset(), organiser_ids=frozenset())
    return FigureRights(
        everything=False,
        venue_ids=frozenset(user.staffed_venues.values_list("pk", flat=True)),
        organiser_ids=frozenset(user.organisers.values_list("pk", flat=True)),
    )
