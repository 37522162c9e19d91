"""Small readers for rendered pages, so tests assert on what a visitor gets."""

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def html(response: HttpResponse) -> str:
    return response.content.decode()


def json_ld(response: HttpResponse) -> Any:
    """The page's one JSON-LD block, parsed."""
    blocks = JSON_LD.findall(html(response))
    assert len(blocks) == 1
    return json.loads(blocks[0])


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[int, list[str]] = {}
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.handle_data(" ")
        if tag not in {"meta", "link", "input", "img", "br", "hr"}:
            self._open.append(len(self.tags) - 1)
            self.text[len(self.tags) - 1] = []

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            index = self._open.pop()
            if self.tags[index][0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for index in self._open:
            self.text[index].append(data)


def elements(response: HttpResponse, tag: str, **attrs: str) -> list[dict[str, Any]]:
    """Every `tag` whose attributes include `attrs`, with its attributes and whitespace-collapsed text."""
    collector = _Collector()
    collector.feed(html(response))
    found = []
    for index, (name, attributes) in enumerate(collector.tags):
        if name == tag and all(
            attributes.get(key.rstrip("_").replace("_", "-")) == value for key, value in attrs.items()
        ):
            # Soft hyphens only say where a long word may break; visitors do not see them.
            text = " ".join("".join(collector.text.get(index, [])).replace("\xad", "").split())
            found.append({**attributes, "text": text})
    return found


def texts(response: HttpResponse, tag: str, **attrs: str) -> list[str]:
    return [element["text"] for element in elements(response, tag, **attrs)]


def event_titles(response: HttpResponse) -> list[str]:
    """The titles of the event cards, in page order."""
    return texts(response, "h3", class_="card__title")


def local(*args: int) -> datetime:
    """A Copenhagen wall-clock time."""
    return datetime(*args, tzinfo=COPENHAGEN)
