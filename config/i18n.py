"""Texts stored once per language (`title_da`, `title_en`, ...) with Danish fallback."""

from django.utils import translation

LANGUAGES = ("da", "en", "sv", "de")
FALLBACK_LANGUAGE = "da"


def current_language() -> str:
    """The active language if it is one of ours, else Danish."""
    language = (translation.get_language() or FALLBACK_LANGUAGE).split("-")[0]
    return language if language in LANGUAGES else FALLBACK_LANGUAGE


def translated(obj: object, field: str, language: str | None = None) -> str:
    """The text of `field` in `language` (default: active), falling back to Danish."""
    language = language or current_language()
    value = getattr(obj, f"{field}_{language}", "")
    return value or getattr(obj, f"{field}_{FALLBACK_LANGUAGE}", "")


def field_names(field: str) -> list[str]:
    """All per-language column names of a translated field."""
    return [f"{field}_{language}" for language in LANGUAGES]
