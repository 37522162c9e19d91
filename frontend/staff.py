"""Staff sign-in for the pages behind it (statistics, head counts), and the rule for who gets in.

Anonymous visitors are sent to sign in and come back; signed-in people without the right get a
403 page that says so and lets them sign in as someone else.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from visitor_stats.access import figure_rights, may_read_statistics

View = Callable[..., HttpResponse]


def staff_only(allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    """Sign in first when anonymous; a 403 page when signed in without the right. Never cached."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response: HttpResponse
            if not request.user.is_authenticated:
                response = redirect_to_login(request.get_full_path(), reverse("frontend:staff_login"))
            elif not allowed(request.user):
                response = render(request, "frontend/staff/forbidden.html", status=403)
            else:
                response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorate


def may_enter_head_counts(user: Any) -> bool:
    """Organiser members, venue staff, the culture office and admins."""
    return figure_rights(user).anything


class StaffLoginView(auth_views.LoginView):
    """Staff sign in with their own account and go back to where they were going.

    `home` is where to go when no `next` is given (the scanner uses this page with its own home);
    without it, the statistics or the head counts, whichever the user may use.
    """

    template_name = "frontend/staff/login.html"
    redirect_authenticated_user = True
    home = ""

    def get_default_redirect_url(self) -> str:
        if self.home:
            return reverse(self.home)
        if may_read_statistics(self.request.user):
            return reverse("frontend:statistics")
        return reverse("frontend:head_counts")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"home_url": reverse(self.home) if self.home else ""}


class StaffLogoutView(auth_views.LogoutView):
    """Signs out (POST only) and goes to `home`: the sign-in page unless another is given."""

    home = "frontend:staff_login"

    def get_default_redirect_url(self) -> str:
        return reverse(self.home)
