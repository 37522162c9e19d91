"""Page-number pagination whose bad page numbers are input errors, not server errors."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is not None and (not value.isdigit() or int(value) < 1):
                raise exceptions.ValidationError({name: [_("Enter a whole number of 1 or more.")]})
        return super().paginate_queryset(queryset, request, view)
