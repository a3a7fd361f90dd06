"""The pool's health against the institution's policy (DOMAIN.md §6, ADR 0013 §Health).

`pool_health(members, policy, today)` is pure: it reads the members given (any objects with
the CommitteeMember fields) and the policy values, and answers a list of findings
(level, code, message). Only members serving today count (active, within their term).

HARD findings break a rule the services refuse to break (they appear only when the data got
there some other way, e.g. the policy's maximum was lowered); SOFT findings warn and never
block: size below the minimum, external share below the policy's percent (exactly the
percent is fine), no audit-unit head, no chair, gender imbalance (either gender below 40% of
the members whose gender is known — 양성평등기본법 §21), terms ending within 60 days, and
external members whose renewals are exhausted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

HARD = "hard"
SOFT = "soft"
#: Either gender must make up at least this share of the members whose gender is known.
GENDER_MIN_PERCENT = 40
#: A term ending within this many days is flagged.
TERM_ENDING_DAYS = 60

INTERNAL, EXTERNAL = "internal", "external"
FEMALE, MALE = "female", "male"


class PolicyLike(Protocol):
    committee_min_members: int
    committee_max_members: int
    committee_external_min_percent: int
    external_max_renewals: int | None


class MemberLike(Protocol):
    name: str
    kind: str
    gender: str
    is_chair: bool
    is_audit_head: bool
    renewals: int
    term_ends_on: datetime.date | None

    def in_pool(self, on: datetime.date) -> bool: ...


class Finding(NamedTuple):
    level: str
    code: str
    message: str


@dataclass(frozen=True)
class Counts:
    size: int
    external: int
    internal: int
    female: int
    male: int
    undisclosed: int
    chairs: int
    audit_heads: int

    @property
    def external_percent(self) -> int:
        return round(self.external * 100 / self.size) if self.size else 0


def serving(members: Iterable[MemberLike], today: datetime.date) -> list[MemberLike]:
    return [m for m in members if m.in_pool(today)]


def pool_counts(members: Iterable[MemberLike], today: datetime.date) -> Counts:
    pool = serving(members, today)
    return Counts(
        size=len(pool),
        external=sum(m.kind == EXTERNAL for m in pool),
        internal=sum(m.kind == INTERNAL for m in pool),
        female=sum(m.gender == FEMALE for m in pool),
        male=sum(m.gender == MALE for m in pool),
        undisclosed=sum(m.gender not in {FEMALE, MALE} for m in pool),
        chairs=sum(m.is_chair for m in pool),
        audit_heads=sum(m.is_audit_head for m in pool),
    )


def external_share_ok(external: int, size: int, percent: int) -> bool:
    """At least `percent` of the pool is external (exactly the percent is enough)."""
    return external * 100 >= percent * size


def _names(members: Iterable[MemberLike]) -> str:
    return ", ".join(m.name for m in members)


def pool_health(members: Iterable[MemberLike], policy: PolicyLike, today: datetime.date) -> list[Finding]:
    pool = serving(members, today)
    counts = pool_counts(pool, today)
    found: list[Finding] = []
    if counts.size > policy.committee_max_members:
        found.append(
            Finding(
                HARD,
                "size_above_max",
                _("위원이 %(size)s명으로 최대 인원(%(max)s명)을 넘습니다.")
                % {"size": counts.size, "max": policy.committee_max_members},
            )
        )
    if counts.chairs > 1:
        found.append(
            Finding(HARD, "chairs_many", _("위원장이 %(n)s명입니다. 위원장은 1명이어야 합니다.") % {"n": counts.chairs})
        )
    if counts.size < policy.committee_min_members:
        found.append(
            Finding(
                SOFT,
                "size_below_min",
                _("위원이 %(size)s명으로 최소 인원(위원장 포함 %(min)s명)보다 적습니다.")
                % {"size": counts.size, "min": policy.committee_min_members},
            )
        )
    if counts.size and not external_share_ok(counts.external, counts.size, policy.committee_external_min_percent):
        found.append(
            Finding(
                SOFT,
                "external_share_low",
                _("민간위원이 %(external)s명(%(size)s명 중)으로 정책 비율(%(percent)s%% 이상)에 못 미칩니다.")
                % {"external": counts.external, "size": counts.size, "percent": policy.committee_external_min_percent},
            )
        )
    if counts.chairs == 0:
        found.append(Finding(SOFT, "chair_missing", _("위원장이 지정되지 않았습니다.")))
    if counts.audit_heads == 0:
        found.append(Finding(SOFT, "audit_head_missing", _("감사부서의 장이 위원에 포함되어 있지 않습니다.")))
    known = counts.female + counts.male
    if known and min(counts.female, counts.male) * 100 < GENDER_MIN_PERCENT * known:
        found.append(
            Finding(
                SOFT,
                "gender_imbalance",
                _(
                    "성별 균형: 여성 %(female)s명, 남성 %(male)s명입니다. "
                    "어느 한 성별도 %(percent)s%% 미만이 되지 않도록 합니다."
                )
                % {"female": counts.female, "male": counts.male, "percent": GENDER_MIN_PERCENT},
            )
        )
    horizon = today + datetime.timedelta(days=TERM_ENDING_DAYS)
    ending = sorted(
        (m for m in pool if m.term_ends_on is not None and m.term_ends_on <= horizon),
        key=lambda m: (m.term_ends_on, m.name),
    )
    if ending:
        found.append(
            Finding(
                SOFT,
                "terms_ending",
                ngettext(
                    "%(days)s일 안에 임기가 끝나는 위원 %(n)s명: %(names)s",
                    "%(days)s일 안에 임기가 끝나는 위원 %(n)s명: %(names)s",
                    len(ending),
                )
                % {"days": TERM_ENDING_DAYS, "n": len(ending), "names": _names(ending)},
            )
        )
    limit = policy.external_max_renewals
    if limit is not None:
        exhausted = sorted((m for m in pool if m.kind == EXTERNAL and m.renewals >= limit), key=lambda m: m.name)
        if exhausted:
            found.append(
                Finding(
                    SOFT,
                    "renewals_exhausted",
                    ngettext(
                        "연임 한도(%(limit)s회)를 다 쓴 민간위원 %(n)s명: %(names)s",
                        "연임 한도(%(limit)s회)를 다 쓴 민간위원 %(n)s명: %(names)s",
                        len(exhausted),
                    )
                    % {"limit": limit, "n": len(exhausted), "names": _names(exhausted)},
                )
            )
    return found
