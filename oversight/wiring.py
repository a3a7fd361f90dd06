"""What the oversight app registers (called from OversightConfig.ready()): the median
aggregate for SQLite, the dashboard sections in their order, navigation (ADR 0024)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: The dashboard's sections, in the order of DOMAIN.md; modules register sources under these keys.
SECTIONS = [
    ("consultations", _("사전컨설팅"), 10),
    ("committee", _("적극행정위원회"), 20),
    ("exemptions", _("면책"), 30),
    ("protection", _("보호·지원"), 40),
    ("reports", _("소극행정 신고"), 50),
    ("public", _("국민추천·국민신청"), 60),
    ("rewards", _("우수공무원 선발·인센티브"), 70),
    ("library", _("우수사례"), 80),
    ("training", _("교육"), 90),
    ("plans", _("실행계획"), 100),
]


def register() -> None:
    from django.db.backends.signals import connection_created

    from oversight import indicators
    from oversight.expressions import register_sqlite_functions

    connection_created.connect(register_sqlite_functions, dispatch_uid="oversight_sqlite_functions")
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        register_sqlite_functions(None, conn)
    for key, label, order in SECTIONS:
        indicators.register_section(key, label, order)
    from django.utils.translation import pgettext_lazy

    from core import audit
    from core.access import register_visibility, roles
    from office.navigation import NavItem
    from office.navigation import register as register_nav
    from oversight import selectors
    from oversight.models import CheckReport

    register_visibility(CheckReport, selectors.visible_reports)
    audit.register_actions({"check_report.requested": pgettext_lazy("audit action", "정기 점검 보고서 요청")})
    for label, url_name, rule in [
        (_("적극행정 현황"), "oversight:dashboard", roles(*selectors.DASHBOARD_ROLES)),
        (_("하위 기관 비교"), "oversight:comparison", roles(*selectors.COMPARISON_ROLES)),
        (_("정기 점검 보고서"), "oversight:reports", roles(*selectors.REPORT_ROLES)),
    ]:
        register_nav(NavItem(label, url_name, rule), section="statistics")
    from core.scheduler import register_periodic
    from oversight import tasks

    register_periodic("fail_stale_check_reports", tasks.fail_stale_check_reports, every_seconds=10 * 60)
