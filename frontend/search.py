"""The event list's search: query-string parameters, date quick picks, and what the visitor chose."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.filters import EventFilter

QUICK_PICKS: dict[str, Promise] = {
    "today": _("Today"),
    "weekend": _("This weekend"),
    "week": _("Next 7 days"),
}
# The form's labels; errors in parameters without a control use the filter's own label.
LABELS: dict[str, Promise] = {
    "q": _("Search"),
    "when": _("When"),
    "venue": _("Venue"),
    "category": _("Category"),
    "is_free": _("Free admission"),
    "accessible": _("Step-free access"),
}
# Parameters handed on to the shared event filter; `lang` is left out because the page's
# language comes from its URL prefix.
FILTER_PARAMETERS = tuple(name for name in EventFilter.base_filters if name != "lang")
FRIDAY = 4
WEEKEND_STARTS = time(17, 0)


def _local(day: date, at: time = time.min) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def quick_pick_range(pick: str, now: datetime) -> tuple[datetime, datetime]:
    """The local start and end (exclusive) of `today`, `weekend` or `week`, seen from `now`.

    The weekend runs from Friday 17:00 to Monday 00:00, Copenhagen time, like the
    weekend guides of the local papers.
    """
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    if pick == "today":
        return _local(today), _local(today + timedelta(days=1))
    if pick == "week":
        return _local(today), _local(today + timedelta(days=7))
    if pick == "weekend":
        # Monday to Thursday look ahead to the coming Friday; Saturday and Sunday back to the last.
        friday = today + timedelta(days=FRIDAY - today.weekday())
        return _local(friday, WEEKEND_STARTS), _local(friday + timedelta(days=3))
    raise ValueError(f"Unknown quick pick: {pick}")


@dataclass
class EventSearch:
    """What the visitor asked for, and the data for the shared `EventFilter`."""

    query: QueryDict
    filter_data: QueryDict
    when: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_query(cls, params: QueryDict, *, now: datetime) -> "EventSearch":
        """Keep the known, non-empty parameters and turn a quick pick into a date range."""
        query = QueryDict(mutable=True)
        for name in (*FILTER_PARAMETERS, "when"):
            values = [value.strip() for value in params.getlist(name) if value.strip()]
            if values:
                query.setlist(name, values)
        filter_data = query.copy()
        filter_data.pop("when", None)
        search = cls(query=query, filter_data=filter_data, when=query.get("when", ""))
        if search.when in QUICK_PICKS:
            # Everything on during the period, such as an exhibition that opened last month,
            # that has not finished yet.
            start, end = quick_pick_range(search.when, now)
            filter_data["ends_after"] = max(start, now).isoformat()
            filter_data["starts_before"] = end.isoformat()
        elif search.when:
            choices = ", ".join(str(label) for label in QUICK_PICKS.values())
            search.errors["when"] = [str(_("Choose one of: %(choices)s.") % {"choices": choices})]
        return search

    def selected(self, name: str) -> list[str]:
        return self.query.getlist(name)

    @property
    def is_filtered(self) -> bool:
        return bool(self.query)

    def feed_query(self) -> QueryDict:
        """The filters worth subscribing to: everything except fixed dates and ordering."""
        feed = self.query.copy()
        for name in ("when", "starts_after", "starts_before", "ends_after", "ordering"):
            feed.pop(name, None)
        return feed
