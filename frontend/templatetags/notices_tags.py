"""The nav's unread count: one count query."""

from django import template

from duties.notices.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    return unread_count(context["request"].user)
