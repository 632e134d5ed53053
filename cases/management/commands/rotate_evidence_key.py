"""Re-seal every evidence file with the first key of EVIDENCE_ENCRYPTION_KEY, while the app keeps serving.

The procedure (README.md, "Evidence encryption key"): put the new key first and keep the old one after it
(EVIDENCE_ENCRYPTION_KEY=new,old), restart the app, run this command, then remove the old key. Files
stored before encryption came in are sealed too. It may be stopped and run again at any time: it carries
on with the files not yet sealed with the first key, and a second run finds nothing to do.
"""

from django.core.management.base import BaseCommand, CommandError

from cases.evidence import ResealResult, evidence_reseal
from cases.models import Evidence
from cases.sealed import current_key_id

# Rows named in the output when a file is missing or cannot be opened; the rest are counted.
_NAMED = 20


class Command(BaseCommand):
    help = "Re-seal every evidence file with the first key of EVIDENCE_ENCRYPTION_KEY (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="Rows read at a time (default 200).")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        current = current_key_id()
        due = Evidence.objects.exclude(sealed_with=current).select_related("case").order_by("pk")
        total = due.count()
        self.stdout.write(f"{total} evidence file(s) to seal with the first key ({current}).")
        counts = dict.fromkeys(
            [ResealResult.SEALED, ResealResult.RESEALED, ResealResult.CURRENT, ResealResult.MISSING]
            + [ResealResult.UNOPENED, ResealResult.GONE],
            0,
        )
        problems = []
        last_pk, done = 0, 0
        while True:
            batch = list(due.filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            for evidence in batch:
                outcome, warning = evidence_reseal(evidence=evidence)
                counts[outcome] += 1
                where = f"evidence #{evidence.pk} ({evidence.case.reference}, {evidence.file.name})"
                if outcome == ResealResult.MISSING:
                    problems.append(f"{where}: the file is missing from the storage")
                elif outcome == ResealResult.UNOPENED:
                    problems.append(f"{where}: no configured key opens it")
                if warning:
                    self.stdout.write(self.style.WARNING(f"{where}: {warning}"))
            done += len(batch)
            last_pk = batch[-1].pk
            self.stdout.write(f"{done}/{total} done")

        self.stdout.write(
            f"Sealed {counts[ResealResult.SEALED]} file(s) stored before encryption, re-sealed "
            f"{counts[ResealResult.RESEALED]}, {counts[ResealResult.CURRENT]} already done elsewhere, "
            f"{counts[ResealResult.GONE]} deleted meanwhile."
        )
        if problems:
            for line in problems[:_NAMED]:
                self.stderr.write(line)
            if len(problems) > _NAMED:
                self.stderr.write(f"… and {len(problems) - _NAMED} more.")
            raise CommandError(
                f"{len(problems)} file(s) were not sealed with the first key "
                f"({counts[ResealResult.MISSING]} missing, {counts[ResealResult.UNOPENED]} unopened). "
                "Keep every key until they are dealt with, then run this again."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Every evidence file is sealed with the first key: the other keys may now be removed from "
                "EVIDENCE_ENCRYPTION_KEY."
            )
        )
