"""CSV answers beside JSON: `?format=csv` or `Accept: text/csv`, for exports and open data."""

import csv
import io
from collections.abc import Sequence
from typing import Any, cast

from django.utils.cache import patch_vary_headers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

# Spreadsheets run text cells starting with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(BaseRenderer):
    """The `rows` of an answer as CSV, with the columns named by the view's `csv_columns`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        view = (renderer_context or {}).get("view")
        columns: list[str] = getattr(view, "csv_columns", [])
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in (data or {}).get("rows", []) if isinstance(data, dict) else []:
            writer.writerow([_csv_cell(row.get(column)) for column in columns])
        return out.getvalue().encode()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class CSVMixin:
    """JSON by default, CSV with `?format=csv` or `Accept: text/csv`; errors are always JSON."""

    renderer_classes: Sequence[type[BaseRenderer]] = [
        *cast(list[type[BaseRenderer]], api_settings.DEFAULT_RENDERER_CLASSES),
        CSVRenderer,
    ]
    csv_columns: list[str] = []

    def csv_filename(self, request: Request) -> str:
        raise NotImplementedError

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        is_csv = getattr(getattr(request, "accepted_renderer", None), "format", None) == "csv"
        if is_csv and getattr(response, "exception", False):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        elif is_csv and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename(request)}"'
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        patch_vary_headers(response, ["Accept"])
        return response
