from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_all


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; exit non-zero naming the first bad entry."

    def handle(self, *args: Any, **options: Any) -> None:
        count, problem = verify_all()
        if problem is not None:
            raise CommandError(f"Audit log verification FAILED at {problem}")
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {count} entries verified."))
