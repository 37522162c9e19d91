"""The response language: `?lang=`, else Accept-Language, else Danish."""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from config.i18n import LANGUAGES, current_language

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=list(LANGUAGES),
    description="Language of the texts (default: Accept-Language, then Danish). Missing texts fall back to Danish.",
)


class LanguageMixin:
    """Activates the requested language for the whole request and says which one answered."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        language = request.query_params.get("lang")
        if language is not None:
            if language not in LANGUAGES:
                raise exceptions.ValidationError(
                    {"lang": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}]}
                )
            translation.activate(language)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Content-Language"] = current_language()
        response.setdefault("Vary", "Accept-Language")
        return response
