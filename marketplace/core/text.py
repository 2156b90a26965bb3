"""Free text a service takes from a person: trimmed, present when required, within its length;
lists of named items under the same rules; and one value of a set of choices. And the language of
the text a service writes for everyone to read."""

from django.conf import settings
from django.db.models import TextChoices
from django.utils import translation
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


def clean_items(values, *, field: str, max_items: int, max_length: int, required: bool = True) -> list[str]:
    """A list of named items (身份证复印件, 劳动合同, ...): each stripped, non-blank, unique, in the
    order given (None is none). 400 on ``field``: ``invalid`` when not a list of non-blank text,
    ``max_length`` beyond ``max_items`` items or ``max_length`` characters an item, ``required``
    when ``required`` and none is named."""
    if values is None:
        values = []
    if not isinstance(values, list | tuple):
        raise Invalid(_("A list of named items."), field=field)
    if len(values) > max_items:
        raise Invalid(_("At most %(n)d items.") % {"n": max_items}, field=field, code="max_length")
    items: list[str] = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise Invalid(_("Each item is a non-blank name."), field=field)
        if len(value.strip()) > max_length:
            raise Invalid(_("At most %(n)d characters an item.") % {"n": max_length}, field=field, code="max_length")
        if value.strip() not in items:
            items.append(value.strip())
    if required and not items:
        raise Invalid(_("Name at least one item."), field=field, code="required")
    return items


def clean_choice(value, choices, *, field: str) -> str:
    """``value`` when it is one of ``choices`` (a ``TextChoices``), else 400 ``invalid_choice`` on
    ``field``."""
    if value not in choices.values:
        raise Invalid(_("Not a valid choice."), field=field, code="invalid_choice")
    return value


def choice_label(choices: type[TextChoices], value: str) -> str:
    """The words for ``value`` of ``choices`` (a stored code); the code itself when it is not one
    of them (a kind retired since, say), never an error on a page."""
    return str(dict(choices.choices).get(value, value))


def in_product_language() -> translation.override:
    """Text the product writes into a record everyone reads (a case's title, a shift's name, a
    reminder's title) is in the product's language, ``settings.LANGUAGE_CODE``, whatever language
    the request that caused it speaks: ``with in_product_language(): ...``."""
    return translation.override(settings.LANGUAGE_CODE)
