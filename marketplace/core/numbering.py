"""Document numbers (文号) in their one form: the first character of the issuing organisation's
region, the mark of the kind of document, the year and a four-digit sequence of that year, e.g.
常援申〔2026〕第0001号 (an application), 常援调 (an evidence letter), 常律协证 (a certificate)."""

from django.db.models import Max, Model, QuerySet


def document_number(organization: Model, *, mark: str, year: int, sequence: int) -> str:
    return f"{(organization.region.name or '')[:1]}{mark}〔{year}〕第{sequence:04d}号"


def give_number(record: Model, *, numbered: QuerySet, organization: Model, mark: str, year: int) -> None:
    """Set ``record``'s ``number``, ``number_year`` and ``number_sequence`` to the next of ``year``
    among ``numbered`` (the organisation's records of the kind). The organisation's row is locked
    first, so two writers at one organisation take turns (PostgreSQL; SQLite's IMMEDIATE
    transactions serialise anyway); the record's unique constraint on the number backs it."""
    rows = type(organization)._default_manager.select_for_update(no_key=True).filter(pk=organization.pk)
    list(rows.values_list("pk"))
    last = numbered.filter(number_year=year).aggregate(last=Max("number_sequence"))["last"]
    sequence = (last or 0) + 1
    record.number_year = year
    record.number_sequence = sequence
    record.number = document_number(organization, mark=mark, year=year, sequence=sequence)
