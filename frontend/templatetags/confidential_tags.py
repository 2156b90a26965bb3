"""Showing the aided person's details under the labels of their one schema."""

from django import template

from marketplace import confidential

register = template.Library()


@register.filter
def confidential_rows(details) -> list[tuple[str, str]]:
    """``{% for label, text in details|confidential_rows %}``: translated labels in schema order."""
    return confidential.rows(details)
