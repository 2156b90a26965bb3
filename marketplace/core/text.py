"""Free text a service takes from a person: trimmed, present when required, within its length."""

from django.utils.translation import gettext as _

from marketplace.core.errors import Invalid


def clean_text(value, *, field: str, max_length: int, required: bool = True) -> str:
    """``value`` stripped (None is empty); 400 on ``field``: ``required`` when it must be given
    and is blank, ``max_length`` when longer than ``max_length`` characters."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise Invalid(_("This field is required."), field=field, code="required")
    if len(text) > max_length:
        raise Invalid(
            _("Ensure this field has no more than %(n)d characters.") % {"n": max_length},
            field=field,
            code="max_length",
        )
    return text
