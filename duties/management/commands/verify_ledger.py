"""Walk the duty ledger's hash chain and name the first row that was changed, deleted or reordered."""

import time

from django.core.management.base import BaseCommand, CommandError

from duties.ledger import verify


class Command(BaseCommand):
    help = "Check the duty ledger's hash chain; exit 1 naming the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=10000, help="Rows fetched per database round trip.")

    def handle(self, *args, chunk_size: int, **options):
        started = time.perf_counter()
        result = verify(chunk_size=chunk_size)
        elapsed = time.perf_counter() - started
        if not result.ok:
            where = f"entry {result.problem.entry_id}" if result.problem.entry_id else "the end of the chain"
            raise CommandError(
                f"Ledger broken at {where} ({result.problem.problem}): {result.problem.detail}. "
                f"{result.checked} entries before it are intact."
            )
        rate = result.checked / elapsed if elapsed > 0 else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Ledger intact: {result.checked} entries, head {result.head}, {elapsed:.2f}s ({rate:,.0f} entries/s)."
            )
        )
