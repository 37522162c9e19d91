"""Requests no view should see: NUL characters in the path or query cannot be stored or looked up."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class RejectNulCharactersMiddleware:
    """Answer 400 to a path or query parameter holding a NUL character (PostgreSQL text cannot hold one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
        ):
            return JsonResponse(
                {"code": "invalid_input", "detail": "The address contains a NUL character."}, status=400
            )
        return self.get_response(request)
