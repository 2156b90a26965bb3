from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def provider_calendar_url(context, volunteer) -> str:
    """The provider's secret calendar link (issued on first use): volunteers/calendar.py."""
    return volunteer.calendar_url(request=context.get("request"))
