"""The API's JSON parser: a body nested deeper than any request of this API is a 400, not a 500."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The deepest request body of the API nests 3 levels (a task with its confidential object); 32
# leaves room and keeps every later json.dumps (idempotency hashes) far from Python's recursion limit.
MAX_JSON_DEPTH = 32


def _deeper_than(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            too_deep = _deeper_than(data, MAX_JSON_DEPTH)
        except RecursionError:  # the decoder itself recursed past Python's limit
            too_deep = True
        if too_deep:
            raise ParseError(_("JSON parse error: nested more than %(limit)d levels deep.") % {"limit": MAX_JSON_DEPTH})
        return data
