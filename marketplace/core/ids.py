"""Ids from addresses, query strings and bodies: one bound, one parser.

Anything that is not a positive integer within a bigint cannot be a row, so it matches nothing
(a filter), is ignored (a form) or is 404 (an address): never a database error."""

from marketplace.core.errors import NotFound

# PostgreSQL's bigint, the type of every primary key here.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id ``value`` names, or None when it cannot name one."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(value, float) and value != number:
        return None
    return number if 0 < number <= MAX_ID else None


def id_or_404(value) -> int:
    """The id from an address; one that cannot exist is 404, like one that does not."""
    pk = parse_id(value)
    if pk is None:
        raise NotFound()
    return pk
