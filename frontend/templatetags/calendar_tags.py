from django import template

from organizations.api.serializers import calendar_url

register = template.Library()


@register.simple_tag(takes_context=True)
def provider_calendar_url(context, volunteer) -> str:
    """The provider's secret calendar link (issued on first use): volunteers/calendar.py."""
    return calendar_url(volunteer.calendar_token(), request=context.get("request"))
