"""Check that the ledger, the decided reviews and the seat counts still hold together."""

import time

from django.core.management.base import BaseCommand, CommandError

from duties import integrity


class Command(BaseCommand):
    help = (
        "Check the ledger's hash chain, every decided review's recorded totals and chain head against "
        "the ledger, and every task's seats_taken against its claims; name each problem, exit 1 on any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=10000, help="Ledger rows fetched per round trip.")

    def handle(self, *args, chunk_size: int, **options):
        started = time.perf_counter()
        result, problems = integrity.ledger_problems(chunk_size=chunk_size)
        legacy = list(integrity.legacy_credit_kind_problems())
        reviews = list(integrity.review_problems())
        seats = list(integrity.seat_problems())
        problems += legacy + reviews + seats
        elapsed = time.perf_counter() - started
        for problem in problems:
            self.stderr.write(f"{problem.check}: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problems found ({elapsed:.2f}s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Integrity intact: ledger of {result.checked} entries (head {result.head[:12]}…), decided reviews "
                f"and seat counts agree ({elapsed:.2f}s)."
            )
        )
