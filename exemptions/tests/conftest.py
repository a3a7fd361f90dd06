from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.access import actor_for
from exemptions.models import ExemptionCase
from exemptions.services.cases import exemption_open
from exemptions.tests import factories as f
from tests.cast import Cast


@dataclass
class Cases:
    applied: ExemptionCase  # official's application, filed
    reviewing: ExemptionCase  # own case naming official, under review
    decided: ExemptionCase  # own case naming official, full exemption
    disciplinary: ExemptionCase  # disciplinary stage, naming official2, under review
    other: ExemptionCase  # 다온구's case


@pytest.fixture
def cases(cast: Cast) -> Cases:
    disciplinary = f.opened(
        cast, officials=[cast.official2.person], stage=ExemptionCase.Stage.DISCIPLINARY, act="징계 단계 행위"
    )
    f.reviewing(cast, disciplinary)
    other = exemption_open(
        actor=actor_for(cast.aa_officer_b),
        stage=ExemptionCase.Stage.AUDIT,
        officials=[cast.official_b.person],
        act="다온구 행위",
        matter_title="다온구 감사",
        matter_date=disciplinary.matter_date,
    )
    return Cases(
        applied=f.applied(cast),
        reviewing=f.reviewing(cast, act="검토 중 행위"),
        decided=f.decided(cast, act="결정된 행위"),
        disciplinary=disciplinary,
        other=other,
    )
