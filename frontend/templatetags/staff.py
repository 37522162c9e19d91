"""Template helpers for the staff pages: which of them the signed-in person may open."""

from typing import Any

from django import template

from frontend.staff import may_enter_head_counts
from visitor_stats.access import may_read_statistics

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_pages(context: dict[str, Any]) -> dict[str, bool]:
    user = context["request"].user
    return {"statistics": may_read_statistics(user), "head_counts": may_enter_head_counts(user)}
