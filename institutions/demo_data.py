"""What the demo is made of: institutions, units, named staff with their logins, generated
staff and work-register entries. Pure data and generators (no database); `institutions.demo`
writes it. Every generated value comes from a fixed random seed, so two runs describe the
same people and the same register entries."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from core.roles import Role
from institutions.models import Institution, Person, Unit
from institutions.names import GIVEN, SURNAMES, grade_label

DEMO_PASSWORD = "Proactive!2026"  # noqa: S105 - the published demo password, not a secret
ROLES_FROM = datetime.date(2024, 1, 1)
EMAIL_DOMAIN = "demo.example"

Kind = Institution.Kind
UKind = Unit.Kind

# --- The institutions and their units ---------------------------------------------------

INSTITUTIONS = [
    # code, name, English name, kind, parent code, e-mail host
    ("HANBIT", "한빛광역시", "Hanbit Metropolitan City", Kind.PROVINCE, None, "hanbit"),
    ("SAESOL", "새솔구", "Saesol-gu", Kind.DISTRICT, "HANBIT", "saesol"),
    ("DAON", "다온구", "Daon-gu", Kind.DISTRICT, "HANBIT", "daon"),
]


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    name_en: str
    kind: str
    parent: str | None = None
    audit: bool = False
    series: str = "행정"  # the job series of most of its staff (행정, 시설, 환경, 사회복지, 전산)
    size: int = 0  # generated staff besides the named ones


UNITS: dict[str, list[UnitSpec]] = {
    "SAESOL": [
        UnitSpec("AUD", "감사담당관", "Audit Office", UKind.OFFICE, audit=True, size=12),
        UnitSpec("BUD", "기획예산과", "Planning and Budget Division", UKind.DIVISION, size=19),
        UnitSpec("B-ADM", "행정국", "Administration Bureau", UKind.BUREAU),
        UnitSpec("GEN", "총무과", "General Affairs Division", UKind.DIVISION, "B-ADM", size=20),
        UnitSpec("CIV", "민원여권과", "Civil Affairs and Passport Division", UKind.DIVISION, "B-ADM", size=20),
        UnitSpec("JOB", "일자리경제과", "Jobs and Economy Division", UKind.DIVISION, "B-ADM", size=18),
        UnitSpec("B-URB", "도시국", "Urban Bureau", UKind.BUREAU),
        UnitSpec("BLD", "건축과", "Building Division", UKind.DIVISION, "B-URB", series="시설", size=21),
        UnitSpec("UPL", "도시계획과", "Urban Planning Division", UKind.DIVISION, "B-URB", series="시설", size=19),
        UnitSpec("TRF", "교통행정과", "Transport Division", UKind.DIVISION, "B-URB", size=20),
        UnitSpec("B-WEL", "복지환경국", "Welfare and Environment Bureau", UKind.BUREAU),
        UnitSpec("WEL", "복지정책과", "Welfare Policy Division", UKind.DIVISION, "B-WEL", series="사회복지", size=22),
        UnitSpec("ENV", "환경과", "Environment Division", UKind.DIVISION, "B-WEL", series="환경", size=19),
    ],
    "DAON": [
        UnitSpec("AUD", "감사담당관", "Audit Office", UKind.OFFICE, audit=True, size=6),
        UnitSpec("GEN", "총무과", "General Affairs Division", UKind.DIVISION, size=8),
        UnitSpec("BLD", "건축과", "Building Division", UKind.DIVISION, series="시설", size=9),
        UnitSpec("WEL", "복지정책과", "Welfare Policy Division", UKind.DIVISION, series="사회복지", size=8),
    ],
    "HANBIT": [
        UnitSpec("AUD", "감사위원회", "Audit Committee", UKind.OFFICE, audit=True, size=6),
        UnitSpec("ADM", "자치행정과", "Local Autonomy Division", UKind.DIVISION, size=6),
    ],
}


# --- The named staff, with the demo logins ----------------------------------------------


@dataclass(frozen=True)
class Staff:
    institution: str
    unit: str | None
    number: str
    name: str
    grade: str
    position: str
    username: str = ""
    roles: tuple[str, ...] = ()
    #: the role limited to the person's unit (a department head's)
    unit_roles: tuple[str, ...] = ()


OFF = Role.OFFICIAL
STAFF = [
    Staff("SAESOL", None, "S-0001", "한도윤", "정무직", "구청장", "head", (Role.HEAD,)),
    Staff(
        "SAESOL", "AUD", "S-0002", "윤서현", "지방행정서기관(4급)", "감사담당관", "aa_officer", (OFF, Role.AA_OFFICER)
    ),
    Staff(
        "SAESOL",
        "AUD",
        "S-0003",
        "김하린",
        "지방행정사무관(5급)",
        "감사팀장",
        "protection",
        (OFF, Role.PROTECTION_OFFICER),
    ),
    Staff("SAESOL", "AUD", "S-0004", "정민재", "지방행정주사(6급)", "조사팀장", "auditor", (OFF, Role.AUDIT_STAFF)),
    Staff(
        "SAESOL",
        "AUD",
        "S-0005",
        "박지우",
        "지방행정주사보(7급)",
        "주무관",
        "secretary",
        (OFF, Role.COMMITTEE_SECRETARY),
    ),
    Staff(
        "SAESOL", "BLD", "S-0006", "이준호", "지방시설사무관(5급)", "건축과장", "dept_head", (OFF,), (Role.DEPT_HEAD,)
    ),
    Staff("SAESOL", "BLD", "S-0007", "최유진", "지방시설주사보(7급)", "주무관", "official", (OFF,)),
    Staff(
        "SAESOL",
        "UPL",
        "S-0008",
        "강태윤",
        "지방시설사무관(5급)",
        "도시계획과장",
        "member",
        (OFF, Role.COMMITTEE_MEMBER),
    ),
    Staff("SAESOL", "GEN", "S-0009", "송예린", "지방행정주사(6급)", "인사팀장", "hr", (OFF, Role.HR_OFFICER)),
    Staff("SAESOL", "GEN", "S-0010", "임도현", "지방전산주사(6급)", "정보화팀장", "admin", (OFF, Role.ADMIN)),
    Staff("SAESOL", "B-ADM", "S-0011", "서정훈", "지방행정서기관(4급)", "행정국장"),
    Staff("SAESOL", "B-URB", "S-0012", "황보경", "지방시설서기관(4급)", "도시국장"),
    Staff("SAESOL", "B-WEL", "S-0013", "남궁민", "지방사회복지서기관(4급)", "복지환경국장"),
    Staff(
        "HANBIT",
        "AUD",
        "H-0001",
        "배수아",
        "지방행정사무관(5급)",
        "감사담당 사무관",
        "supervisor",
        (OFF, Role.SUPERVISOR),
    ),
    Staff("DAON", "GEN", "D-0001", "신재원", "지방전산주사(6급)", "정보화팀장", "daon_admin", (OFF, Role.ADMIN)),
    Staff(
        "DAON",
        "AUD",
        "D-0002",
        "조은별",
        "지방행정서기관(4급)",
        "감사담당관",
        "daon_aa_officer",
        (OFF, Role.AA_OFFICER),
    ),
]

SUPERUSER = "superuser"


@dataclass(frozen=True)
class Login:
    username: str
    roles: str
    institution: str


def logins() -> list[Login]:
    """The demo logins, in the order `--print-logins` shows them."""
    names = {code: name for code, name, *_ in INSTITUTIONS}
    rows = [
        Login(s.username, ", ".join(str(Role(r).label) for r in (*s.roles, *s.unit_roles)), names[s.institution])
        for s in STAFF
        if s.username
    ]
    rows.append(Login(SUPERUSER, "슈퍼유저(모든 기관 관리)", "—"))
    return rows


# --- Generated staff --------------------------------------------------------------------

PLACES = ("새솔동", "한결동", "누리동", "푸른동", "가온동", "하늘동", "미리내동", "다솜동", "해오름동", "별빛동")
BUILDINGS = ("근린생활시설", "공동주택", "업무시설", "판매시설", "교육연구시설", "노유자시설", "창고시설")
COMPANIES = ("(주)새솔정밀", "한빛화학(주)", "(주)누리물류", "가온산업(주)", "(주)푸른에너지", "미리내식품(주)")


@dataclass
class PersonRow:
    institution: str
    unit: str | None
    number: str
    name: str
    grade: str
    position: str
    status: str = Person.Status.ACTIVE
    joined_on: datetime.date | None = None
    promoted_on: datetime.date | None = None
    retired_on: datetime.date | None = None
    email: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _dates(rng: random.Random, rank: int) -> tuple[datetime.date, datetime.date]:
    years = {9: 2, 8: 5, 7: 9, 6: 15, 5: 22, 4: 27}[rank]
    joined = datetime.date(2025 - years - rng.randint(0, 3), rng.choice((1, 3, 7, 9)), 1)
    promoted = datetime.date(min(2025, joined.year + max(1, years - rng.randint(1, 3))), rng.choice((1, 7)), 1)
    return joined, max(joined, promoted)


def people_rows() -> list[PersonRow]:
    """Every person of the demo: the named staff, then generated staff for each unit."""
    rng = random.Random(20261123)  # noqa: S311 - reproducible demo data
    hosts = {code: host for code, *_, host in INSTITUTIONS}
    rows = [
        PersonRow(
            s.institution,
            s.unit,
            s.number,
            s.name,
            s.grade,
            s.position,
            email=f"{s.username}@{hosts[s.institution]}.{EMAIL_DOMAIN}" if s.username else "",
        )
        for s in STAFF
    ]
    for row in rows:
        rank = int(row.grade[-3]) if row.grade.endswith("급)") else 4
        row.joined_on, row.promoted_on = _dates(rng, rank)
    counters = {"SAESOL": 100, "DAON": 100, "HANBIT": 100}
    prefixes = {"SAESOL": "S", "DAON": "D", "HANBIT": "H"}
    for institution, specs in UNITS.items():
        for spec in specs:
            for i in range(spec.size):
                counters[institution] += 1
                rank = 5 if i == 0 and spec.kind == UKind.DIVISION else rng.choices((6, 7, 8, 9), (3, 4, 3, 2))[0]
                if rank == 5:
                    position = f"{spec.name}장"
                elif rank == 6 and i < 4:
                    position = "팀장"
                else:
                    position = "주무관"
                series = "전산" if spec.code == "GEN" and i % 6 == 5 else spec.series
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                joined, promoted = _dates(rng, rank)
                row = PersonRow(
                    institution,
                    spec.code,
                    f"{prefixes[institution]}-{counters[institution]:04d}",
                    name,
                    grade_label(series, rank),
                    position,
                    joined_on=joined,
                    promoted_on=promoted,
                )
                roll = rng.random()
                if rank > 5 and roll < 0.04:
                    row.status = Person.Status.LEAVE
                elif rank > 5 and roll < 0.07:
                    row.status = Person.Status.RETIRED
                    row.retired_on = datetime.date(2025, rng.randint(1, 12), rng.randint(1, 28))
                rows.append(row)
    return rows


# --- The work register ------------------------------------------------------------------

#: unit code -> (category, title pattern, legal basis)
WORK: dict[str, list[tuple[str, str, str]]] = {
    "BLD": [
        ("permit", "건축허가 ({place} {building})", "건축법 제11조"),
        ("construction", "건축물 사용승인 ({place} {building})", "건축법 제22조"),
        ("permit", "가설건축물 축조신고 ({place})", "건축법 제20조"),
        ("regulation", "노후 건축물 안전점검 ({place})", "건축물관리법 제13조"),
        ("regulation", "위반건축물 이행강제금 부과 ({place})", "건축법 제80조"),
    ],
    "UPL": [
        ("development", "지구단위계획 변경 ({place})", "국토의 계획 및 이용에 관한 법률 제49조"),
        ("permit", "개발행위허가 ({place} 토지형질변경)", "국토의 계획 및 이용에 관한 법률 제56조"),
        ("development", "도시계획시설(공원) 조성 ({place})", "국토의 계획 및 이용에 관한 법률 제43조"),
        ("regulation", "장기미집행 도시계획시설 해제 검토 ({place})", "국토의 계획 및 이용에 관한 법률 제48조"),
    ],
    "TRF": [
        ("construction", "노상주차장 설치 ({place})", "주차장법 제7조"),
        ("regulation", "교통유발부담금 부과 ({place} {building})", "도시교통정비 촉진법 제36조"),
        ("contract", "버스정류장 개선공사 계약 ({place})", "지방자치단체를 당사자로 하는 계약에 관한 법률 제9조"),
        ("permit", "자동차대여사업 등록 ({company})", "여객자동차 운수사업법 제28조"),
    ],
    "ENV": [
        ("permit", "대기배출시설 설치허가 ({company})", "대기환경보전법 제23조"),
        ("regulation", "폐기물처리 신고 수리 ({company})", "폐기물관리법 제46조"),
        ("contract", "생활폐기물 수집·운반 대행 계약 ({place} 권역)", "폐기물관리법 제14조"),
        ("regulation", "비산먼지 발생사업 점검 ({place})", "대기환경보전법 제43조"),
    ],
    "WEL": [
        ("other", "긴급복지 지원 결정 ({place})", "긴급복지지원법 제7조"),
        ("contract", "사회복지시설 위탁 운영 계약 ({place} 복지관)", "사회복지사업법 제34조"),
        (
            "regulation",
            "장애인 편의시설 설치 점검 ({place} {building})",
            "장애인·노인·임산부 등의 편의증진 보장에 관한 법률 제9조",
        ),
    ],
    "JOB": [
        ("permit", "대규모점포 개설 등록 ({company})", "유통산업발전법 제8조"),
        ("regulation", "대규모점포 영업시간 제한 ({place})", "유통산업발전법 제12조의2"),
        ("development", "전통시장 시설현대화 사업 ({place} 시장)", "전통시장 및 상점가 육성을 위한 특별법 제18조"),
        ("contract", "청년 창업지원센터 운영 위탁 계약", "지방자치단체를 당사자로 하는 계약에 관한 법률 제9조"),
    ],
    "CIV": [
        (
            "permit",
            "옥외광고물 표시허가 ({place} {building})",
            "옥외광고물 등의 관리와 옥외광고산업 진흥에 관한 법률 제3조",
        ),
        ("other", "민원 사전심사청구 처리 ({place} {building})", "민원 처리에 관한 법률 제30조"),
        ("other", "여권 발급 창구 운영 개선", "여권법 제9조"),
    ],
    "BUD": [
        ("contract", "구청사 리모델링 설계용역 계약", "지방자치단체를 당사자로 하는 계약에 관한 법률 제9조"),
        ("development", "공유재산 관리계획 수립 ({place} 유휴부지)", "공유재산 및 물품 관리법 제10조"),
        ("regulation", "자치법규 규제 정비 ({place} 현장 건의)", "행정규제기본법 제19조의2"),
    ],
    "GEN": [
        ("contract", "청사 시설관리 용역 계약", "지방자치단체를 당사자로 하는 계약에 관한 법률 제9조"),
        ("contract", "공용차량 구매 계약", "지방자치단체를 당사자로 하는 계약에 관한 법률 제9조"),
    ],
    "AUD": [
        ("other", "자체감사 계획 수립 및 시행", "공공감사에 관한 법률 제23조"),
        ("regulation", "공직자 행동강령 이행 점검", "공무원 행동강령 제24조"),
    ],
}
REGISTER_SIZE = {"SAESOL": 300, "DAON": 40}
YEARS = (2023, 2024, 2025, 2026)


@dataclass
class WorkRow:
    institution: str
    reference: str
    title: str
    category: str
    unit: str
    legal_basis: str
    status: str
    year: int
    starts_on: datetime.date
    ends_on: datetime.date | None


def work_rows() -> list[WorkRow]:
    rng = random.Random(3)  # noqa: S311 - reproducible demo data
    rows: list[WorkRow] = []
    for institution, size in REGISTER_SIZE.items():
        units = [spec.code for spec in UNITS[institution] if spec.code in WORK]
        per_year: dict[int, int] = {}
        for i in range(size):
            unit = units[i % len(units)]
            category, pattern, basis = rng.choice(WORK[unit])
            year = YEARS[min(len(YEARS) - 1, int(rng.random() ** 0.7 * len(YEARS)))]
            per_year[year] = per_year.get(year, 0) + 1
            title = pattern.format(
                place=rng.choice(PLACES), building=rng.choice(BUILDINGS), company=rng.choice(COMPANIES)
            )
            starts = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            if year < 2025:
                status = rng.choices(("completed", "suspended"), (9, 1))[0]
            elif year == 2025:
                status = rng.choices(("completed", "in_progress", "suspended"), (5, 4, 1))[0]
            else:
                status = rng.choices(("in_progress", "planned"), (3, 1))[0]
            ends = starts + datetime.timedelta(days=rng.randint(30, 300)) if status == "completed" else None
            rows.append(
                WorkRow(
                    institution,
                    f"{institution}-{year}-{per_year[year]:04d}",
                    title,
                    category,
                    unit,
                    basis,
                    status,
                    year,
                    starts,
                    ends,
                )
            )
    return rows
