"""Document numbers: one gap-free sequence per institution, series and year.

    number = next_number(institution_id=inst.pk, series="consultation_opinion", year=2026)  # 1, 2, ...
    reference = document_reference(prefix="감사담당관", year=2026, number=number)  # "감사담당관-2026-0001"

Call it inside the transaction that issues the document: the row lock makes concurrent
issuers wait, and a rolled-back issue gives its number back.
"""

from __future__ import annotations

from django.db import transaction

from core.models import NumberSequence


def next_number(*, institution_id: int, series: str, year: int) -> int:
    with transaction.atomic():
        NumberSequence.objects.bulk_create(
            [NumberSequence(institution_id=institution_id, series=series, year=year)], ignore_conflicts=True
        )
        sequence = NumberSequence.objects.select_for_update().get(
            institution_id=institution_id, series=series, year=year
        )
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return sequence.last


def document_reference(*, prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"
