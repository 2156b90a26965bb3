"""The rule every permission-checked fetch follows: the row an address names, among the rows the
caller may see, or 404, so that "missing" and "not yours" look the same."""

from django.db.models import Model, QuerySet

from marketplace.core.errors import NotFound
from marketplace.core.ids import id_or_404


def row_or_404(visible: QuerySet, address_id) -> Model:
    """The row of ``visible`` (what the caller may see) whose id is ``address_id``; 404 for an
    id that cannot exist (``id_or_404``), a missing row and a row the caller may not see alike."""
    row = visible.filter(pk=id_or_404(address_id)).first()
    if row is None:
        raise NotFound()
    return row
