"""Korean names and grades for generated people: one source for the demo data
(institutions/demo_data.py) and the scale data (institutions/scale.py)."""

from __future__ import annotations

#: Surnames, each repeated about as often as it is common (a random draw gives a realistic mix).
SURNAMES = (
    "김" * 21
    + "이" * 15
    + "박" * 8
    + "최" * 5
    + "정" * 5
    + "강" * 2
    + "조" * 2
    + "윤" * 2
    + "장" * 2
    + "임" * 2
    + "한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원"
    + "천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
)
GIVEN = [
    "민준",
    "서준",
    "도윤",
    "예준",
    "시우",
    "하준",
    "주원",
    "지호",
    "지후",
    "준우",
    "준서",
    "도현",
    "건우",
    "현우",
    "우진",
    "선우",
    "서진",
    "민재",
    "현준",
    "연우",
    "유준",
    "정우",
    "승우",
    "승현",
    "시윤",
    "준혁",
    "은우",
    "지환",
    "승민",
    "지우",
    "유찬",
    "윤우",
    "민성",
    "준영",
    "시후",
    "진우",
    "지원",
    "수호",
    "재윤",
    "시현",
    "동현",
    "태윤",
    "재원",
    "민우",
    "서연",
    "서윤",
    "지우",
    "서현",
    "민서",
    "하은",
    "하윤",
    "윤서",
    "지유",
    "지민",
    "채원",
    "지윤",
    "은서",
    "수아",
    "다은",
    "예은",
    "수빈",
    "지아",
    "소율",
    "예린",
    "하린",
    "수민",
    "소윤",
    "예원",
    "지원",
    "유나",
    "시은",
    "채은",
    "윤아",
    "유진",
    "가은",
    "서아",
    "민지",
    "예서",
    "은채",
    "하은",
    "나연",
    "혜원",
    "미경",
    "영숙",
    "정희",
    "성민",
    "상훈",
    "영호",
    "경수",
    "동욱",
    "재석",
    "미영",
    "은정",
    "혜진",
    "경희",
    "정민",
    "성호",
    "종현",
    "태호",
    "병철",
    "용준",
    "현정",
    "수경",
    "윤희",
    "선영",
]

#: The rank names of the general civil service grades 9 (lowest) to 4.
GRADE_RANKS = {9: "서기보", 8: "서기", 7: "주사보", 6: "주사", 5: "사무관", 4: "서기관"}


def surnames_distinct() -> list[str]:
    """Each surname once, the most common first."""
    return list(dict.fromkeys(SURNAMES))


def grade_label(series: str, rank: int) -> str:
    """A local government grade, e.g. grade_label("행정", 7) == "지방행정주사보(7급)"."""
    return f"지방{series}{GRADE_RANKS[rank]}({rank}급)"
