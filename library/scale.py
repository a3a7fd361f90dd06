"""seed_scale: best-practice cases of the SCALE- institutions (institutions/scale_kit.py).

Half of `ctx.cases` in all, split over the institutions like their people, written over the
last three years by the institution's scale official; about one in ten published (reviewed
by the active administration officer), some waiting for review, the rest drafts (some sent
back). The text is Korean of a realistic length (a few hundred characters a field), so that
the portal's search and its trigram index work on a realistic volume.
"""

from __future__ import annotations

from dataclasses import dataclass

from institutions import scale
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    history_day,
    later,
    not_after,
    people_in,
    plan,
    required_user,
    salt,
    seed,
    state,
    units,
    user,
    work_item,
)
from library import search, selectors
from library.models import BestPractice

SALT = salt("library")
SHARE = 0.5
S = BestPractice.Status
F = BestPractice.PolicyField
#: a fifth published: the national size (a million cases) then has the 100,000 practices
#: the search benchmark asks for (issue 8)
STATUSES = ((S.PUBLISHED, 20), (S.IN_REVIEW, 15), (S.DRAFT, 65))

TITLES = (
    ("주차장 공유로 주택가 주차난 해소", F.URBAN),
    ("건축허가 사전 상담으로 처리기간 단축", F.CIVIL),
    ("폭염 취약계층 안부 확인 서비스", F.WELFARE),
    ("하천변 산책로 야간 조명 개선", F.SAFETY),
    ("빈 점포를 청년 창업 공간으로", F.ECONOMY),
    ("찾아가는 외국인 주민 생활 상담", F.CIVIL),
    ("공공건물 옥상 태양광 협동조합", F.ENVIRONMENT),
    ("노후 경로당 에너지 효율 개선", F.ENVIRONMENT),
    ("학교 밖 청소년 배움터 연계", F.EDUCATION),
    ("지역 축제 안전관리 통합 점검", F.SAFETY),
    ("소상공인 인허가 원스톱 창구", F.REGULATION),
    ("마을버스 수요응답형 운행", F.URBAN),
    ("전통시장 공동 배송 서비스", F.ECONOMY),
    ("체육시설 예약 시스템 통합", F.CULTURE),
    ("치매 어르신 실종 예방 동행", F.WELFARE),
    ("불필요한 첨부서류 일괄 정비", F.REGULATION),
)
PROBLEM = (
    "주민들은 오래전부터 같은 불편을 호소했지만 관련 규정이 불분명해 어느 부서도 나서지 못했습니다.",
    "비슷한 민원이 해마다 수백 건씩 반복되었고, 처리에 평균 한 달 넘게 걸렸습니다.",
    "예산과 인력이 부족하다는 이유로 문제 해결이 몇 년째 미뤄져 왔습니다.",
    "현행 지침은 십여 년 전에 만들어져 달라진 현장 여건을 반영하지 못하고 있었습니다.",
    "여러 기관의 업무가 겹쳐 있어 민원인이 기관마다 같은 서류를 다시 내야 했습니다.",
    "사고 위험이 꾸준히 지적되었지만 시설 관리 주체가 분명하지 않았습니다.",
    "취약계층은 지원 제도가 있어도 신청 방법을 몰라 혜택을 받지 못하는 경우가 많았습니다.",
    "지역 상권이 침체되면서 빈 점포가 늘고 청년 인구가 빠져나가고 있었습니다.",
)
ACTION = (
    "담당 부서는 관계 부서와 협의체를 꾸려 문제의 원인을 함께 분석했습니다.",
    "규정 해석이 분명하지 않은 부분은 사전컨설팅을 받아 처리 방향을 정했습니다.",
    "현장을 직접 찾아 주민과 이해관계인의 의견을 들었습니다.",
    "민간 단체·학교·기업과 협약을 맺어 부족한 자원을 나누어 쓰도록 했습니다.",
    "처리 절차를 단계별로 다시 설계하고 불필요한 서류를 없앴습니다.",
    "적극행정위원회의 자문을 받아 예산 집행의 근거를 마련했습니다.",
    "시범 운영으로 효과를 확인한 뒤 전 지역으로 넓혔습니다.",
    "관련 조례와 지침을 고쳐 같은 문제가 되풀이되지 않도록 했습니다.",
    "데이터를 분석해 도움이 가장 필요한 곳부터 우선 지원했습니다.",
    "담당자가 바뀌어도 이어질 수 있도록 업무 매뉴얼을 만들었습니다.",
)
RESULT = (
    "처리기간이 평균 40일에서 18일로 줄었습니다.",
    "관련 민원이 한 해 동안 38% 줄었습니다.",
    "주민 만족도 조사에서 응답자의 90% 이상이 만족한다고 답했습니다.",
    "예산을 들이지 않고 연간 2억 원가량의 비용을 아꼈습니다.",
    "다른 기관들이 벤치마킹해 비슷한 제도를 도입했습니다.",
    "위기 가구 수십 곳을 찾아 제때 지원할 수 있었습니다.",
)
RULES = ("관련 조례 개정(지원 근거 신설)", "업무 처리 지침 개선", "민원 처리 매뉴얼 제정", "")
BENEFICIARIES = (
    "지역 주민 약 8,000세대",
    "건축주와 설계사무소",
    "홀로 사는 어르신 1,300명",
    "소상공인 420곳",
    "청년 창업자",
)


@dataclass
class Spec:
    case: BestPractice
    officials: list[int]


def build(ctx: scale.Context, inst: int, k: int) -> Spec:
    dice = Dice(SALT, inst, k)
    status = state(ctx, dice, STATUSES)
    title, policy_field = dice.pick(TITLES)
    written = history_day(ctx, dice, newest=20)
    unit = dice.pick(units(ctx, inst))
    case = BestPractice(
        institution_id=inst,
        unit_id=unit,
        title=title,
        problem=dice.text(PROBLEM, dice.number(3, 4)),
        action=dice.text(ACTION, dice.number(4, 6)),
        result=dice.text(RESULT, dice.number(2, 3)),
        rule_improved=dice.pick(RULES),
        beneficiaries=dice.pick(BENEFICIARIES),
        policy_field=policy_field,
        year=written.year,
        work_item_id=work_item(ctx, dice, inst, 0.3),
        status=status,
        author_id=required_user(ctx, inst, "official"),
        created_at=at(written, 10),
    )
    case.search_text = "\n".join([case.title, case.problem, case.action, case.result])
    last = written
    if status != S.DRAFT:
        submitted = last = not_after(ctx, later(written, 1, 14, dice))
        case.submitted_at = at(submitted, 11)
    elif dice.chance(0.1):
        case.return_reason = "성과를 수치로 보완해 다시 제출해 주십시오."
    if status == S.PUBLISHED:
        published = last = not_after(ctx, later(last, 2, 20, dice))
        case.reviewer_id = user(ctx, inst, "aa")
        case.published_at = at(published, 15)
        case.view_count = dice.number(0, 3000)
    case.updated_at = at(last, 16)
    return Spec(case, dice.sample(people_in(ctx, inst, unit), dice.number(1, 2)))


def save(ctx: scale.Context, specs: list[Spec]) -> int:
    bulk(ctx, [s.case for s in specs])
    through = BestPractice.officials.through
    bulk(ctx, [through(bestpractice_id=s.case.pk, person_id=p) for s in specs for p in s.officials])
    return len(specs)


def step(ctx: scale.Context) -> int:
    authors = {pk for pk, _ in ctx.institution_rows if user(ctx, pk, "official") and units(ctx, pk)}
    work = [w for w in plan(ctx, BestPractice, int(ctx.cases * SHARE)) if w[0] in authors]
    created = seed(ctx, "library", work, lambda inst, k: build(ctx, inst, k), lambda specs: save(ctx, specs))
    if created:
        # Bulk inserts skip the services that keep SQLite's search tables (PostgreSQL's
        # indexes follow the table by themselves) and forget the public filter's years.
        search.rebuild()
        selectors.forget_published_years()
    return created


scale.add_step(scale.Step("library", step))
