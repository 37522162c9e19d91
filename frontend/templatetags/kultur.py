"""Template helpers for the public pages: dates per language, language links, calendar links."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import dateformat, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from config.i18n import current_language

register = template.Library()

# Date formats as each language writes them: "lørdag 5. december 2026", "Saturday 5 December 2026",
# "lördag 5 december 2026", "Samstag, 5. Dezember 2026".
LONG_DATE = {"da": "l j. F Y", "en": "l j F Y", "sv": "l j F Y", "de": "l, j. F Y"}
DATE_WITHOUT_YEAR = {"da": "l j. F", "en": "l j F", "sv": "l j F", "de": "l, j. F"}
OG_LOCALES = {"da": "da_DK", "en": "en_GB", "sv": "sv_SE", "de": "de_DE"}
LANGUAGE_NAMES = {"da": _("Danish"), "en": _("English"), "sv": _("Swedish"), "de": _("German")}


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter(expects_localtime=True)
def long_date(value: date | None) -> str:
    """The weekday and full date in the active language."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return dateformat.format(value, LONG_DATE[current_language()])


@register.filter(expects_localtime=True)
def short_date(value: datetime | None) -> str:
    """Like `long_date`, without the year when it is this year."""
    if not value:
        return ""
    value = _local(value)
    formats = DATE_WITHOUT_YEAR if value.year == timezone.localtime().year else LONG_DATE
    return dateformat.format(value, formats[current_language()])


@register.filter
def iso(value: datetime | None) -> str:
    """Local time as ISO 8601 with its offset, for `<time datetime>`."""
    return _local(value).isoformat(timespec="minutes") if value else ""


@register.filter
def coordinate(value: Decimal | None) -> str:
    """A latitude or longitude without trailing zeros, with a point whatever the language."""
    return "" if value is None else format(Decimal(value).normalize(), "f")


@register.filter
def same_day(start: datetime, end: datetime) -> bool:
    return _local(start).date() == _local(end).date()


@register.filter
def is_running_for_days(event: Any) -> bool:
    """Started on an earlier day and still on, like an exhibition: show when it ends, not when it began."""
    now = timezone.now()
    return bool(event.starts_at < now <= event.ends_at and not same_day(event.starts_at, now))


@register.filter
def language_name(code: str) -> str:
    """The name of a language (BCP 47 code) in the active language."""
    base = (code or "").split("-")[0].lower()
    if base in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[base])
    try:
        return str(get_language_info(base)["name_translated"])
    except KeyError:
        return code


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """This page in each language, for the language switcher and hreflang links."""
    request: HttpRequest = context["request"]
    active = current_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": capfirst(get_language_info(code)["name_local"]),
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_active": code == active,
            }
        )
    return links


@register.simple_tag
def og_locale() -> str:
    return OG_LOCALES[current_language()]


@register.filter
def variant(value: int | None, count: int = 4) -> int:
    """A stable number from 1 to `count`, to vary placeholder artwork between categories."""
    return (value or 0) % count + 1
