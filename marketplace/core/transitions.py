"""A record's status moves by a conditional UPDATE, so that two concurrent moves never both win."""

from collections.abc import Iterable

from marketplace.core.errors import Conflict


def transition(record, *, from_statuses: Iterable[str], conflict: Conflict, **fields) -> None:
    """Write ``fields`` to ``record``'s row only while its status is still one of
    ``from_statuses``, then set them on ``record``. A row that moved meanwhile (or is gone)
    matches nothing and ``conflict`` is raised (409), nothing written."""
    changed = type(record)._default_manager.filter(pk=record.pk, status__in=list(from_statuses)).update(**fields)
    if changed != 1:
        raise conflict
    for name, value in fields.items():
        setattr(record, name, value)
