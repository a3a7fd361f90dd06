"""The world the access matrix walks (core/tests/test_access_matrix.py): one real object per
kind of case, all in the cast's home district (새솔구), most of them filed by or about the
cast's `official` (건축과), plus the registry that turns each URL name's parameters into
those objects.

`URL_PARAMS` maps a URL name to a function of the world giving the URL's keyword arguments;
`API_PARAMS` does the same for an API path parameter (with the path prefix deciding the model
where one parameter name stands for several). A URL or operation whose parameters are not
covered here makes the matrix test fail with the list of what is missing.

Every object is made lazily, through the apps' own test factories (so through the services,
with their audit trail), and only once per world.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import ApiToken, User
from core.access import actor_for
from core.roles import Role
from institutions.models import RoleAssignment
from tests.cast import Cast, make_user

#: The cast member who is a committee member of the district, seated at the world's meeting
#: and recused from its agenda item (they declared an exclusion ground).
RECUSED = "recused"


class World:
    """The objects behind the parameters of every URL and API operation."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast

    # --- accounts and institutions ----------------------------------------------------------

    @cached_property
    def token(self) -> ApiToken:
        from accounts.tokens import token_create

        token, _secret = token_create(
            actor=actor_for(self.cast.official), name="matrix-world", scope=ApiToken.Scope.READ, expires_in_days=30
        )
        return token

    @cached_property
    def assignment(self) -> RoleAssignment:
        return RoleAssignment.objects.get(user=self.cast.official, role=Role.OFFICIAL)

    @cached_property
    def reset_link(self) -> dict[str, str]:
        user: User = self.cast.official
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }

    # --- register, consultations, exemptions, protection --------------------------------------

    @cached_property
    def work_item(self) -> Any:
        from tests.factories import WorkItemFactory

        return WorkItemFactory(institution=self.cast.district, unit=self.cast.building)

    @cached_property
    def consultation(self) -> Any:
        from consultations.tests import factories as cf

        return cf.under_review(self.cast)

    @cached_property
    def consultation_draft(self) -> Any:
        from consultations.tests import factories as cf

        return cf.draft(self.cast)

    @cached_property
    def consultation_answered(self) -> Any:
        from consultations.tests import factories as cf

        return cf.with_opinion(self.cast)

    @cached_property
    def consultation_presumption(self) -> tuple[Any, Any]:
        """A consultation whose official followed the opinion, and the presumption it made."""
        from consultations.tests import factories as cf
        from exemptions.models import Presumption

        consultation = cf.acted(self.cast)
        return consultation, Presumption.objects.filter(person=self.cast.official.person).latest("pk")

    @cached_property
    def exemption(self) -> Any:
        from exemptions.tests import factories as ef

        return ef.applied(self.cast)

    @cached_property
    def exemption_decided(self) -> Any:
        from exemptions.tests import factories as ef

        return ef.decided(self.cast)

    @cached_property
    def exemption_presumption(self) -> Any:
        from exemptions.tests import factories as ef

        return ef.presumption(self.cast, self.cast.official.person, self.work_item)

    @cached_property
    def support_request(self) -> Any:
        from protection.tests import factories as pf

        return pf.file(self.cast)

    @cached_property
    def insurance_policy(self) -> Any:
        from protection.tests import factories as pf

        return pf.policy(self.cast)

    @cached_property
    def claim(self) -> Any:
        from protection.tests import factories as pf

        return pf.claim_for(self.cast, pf.enrol(self.cast, self.insurance_policy))

    # --- committee --------------------------------------------------------------------------

    @cached_property
    def pool(self) -> list[Any]:
        from committee.tests import factories as kf

        return kf.pool_with_accounts(self.cast, external=5, internal=4)

    @cached_property
    def recused_user(self) -> User:
        user = make_user(RECUSED, self.cast.district, self.cast.planning, Role.OFFICIAL, Role.COMMITTEE_MEMBER)
        self.cast.users[RECUSED] = user
        return user

    @cached_property
    def meeting(self) -> Any:
        from committee.models import CommitteeMember, Declaration
        from committee.tests import factories as kf

        pool = list(self.pool)
        recused = self.recused_user
        pool.append(
            kf.CommitteeMemberFactory(
                institution=self.cast.district,
                kind=CommitteeMember.Kind.INTERNAL,
                person=recused.person,
                user=recused,
                name=str(recused),
                term_ends_on=None,
            )
        )
        meeting = kf.MeetingFactory(institution=self.cast.district)
        kf.seat_all(meeting, pool)
        item = kf.AgendaItemFactory(meeting=meeting)
        Declaration.objects.create(
            item=item,
            member=pool[-1],
            kind=Declaration.Kind.EXCLUSION,
            grounds=Declaration.Grounds.PARTY,
            declared_at=timezone.now(),
        )
        return meeting

    @cached_property
    def open_item(self) -> Any:
        """An item under deliberation at a convened meeting where everyone is present: the
        cast's `member` declared no conflict, the recused member an exclusion ground."""
        from committee.models import AgendaItem, Declaration, Meeting
        from committee.tests import factories as kf

        self.meeting  # noqa: B018 (the pool and the recused member's record)
        members = list(self.meeting.seats.values_list("member", flat=True))
        meeting = kf.MeetingFactory(institution=self.cast.district, status=Meeting.Status.CONVENED)
        from committee.models import CommitteeMember

        kf.seat_all(meeting, list(CommitteeMember.objects.filter(pk__in=members)), present=True)
        item = kf.AgendaItemFactory(meeting=meeting, status=AgendaItem.Status.OPEN)
        now = timezone.now()
        Declaration.objects.create(item=item, member=self.member, kind=Declaration.Kind.NONE, declared_at=now)
        Declaration.objects.create(
            item=item,
            member=CommitteeMember.objects.get(user=self.recused_user),
            kind=Declaration.Kind.EXCLUSION,
            grounds=Declaration.Grounds.PARTY,
            declared_at=now,
        )
        return item

    @cached_property
    def restricted_paper(self) -> Any:
        """A paper of the open item that members recused from it may not read."""
        from committee.services.meetings import RESTRICTED
        from core import files
        from core.tests import filefactory as ff

        return files.attach(
            actor=actor_for(self.cast.secretary),
            target=self.open_item,
            upload=ff.upload("당사자 진술서.pdf", ff.pdf(), "application/pdf"),
            purpose=RESTRICTED,
        )

    @cached_property
    def item(self) -> Any:
        return self.meeting.items.order_by("pk").first()

    @cached_property
    def member(self) -> Any:
        """The committee member record of the cast's `member` (the pool's chair)."""
        return self.pool[0]

    @cached_property
    def open_challenge(self) -> Any:
        """A party's challenge against another member on the open item."""
        from committee.models import Challenge

        return Challenge.objects.create(
            item=self.open_item, member=self.pool[2], raised_by="당사자", grounds="이해관계"
        )

    @cached_property
    def challenge(self) -> Any:
        from committee.models import Challenge

        return Challenge.objects.create(item=self.item, member=self.pool[2], raised_by="당사자", grounds="이해관계")

    @cached_property
    def advice_request(self) -> Any:
        from committee.services import requests as rs

        return rs.advice_request_submit(
            actor=actor_for(self.cast.official),
            title="도로점용 허가기간 연장에 관한 자문",
            task="도로점용 허가기간 연장",
            rule="도로법 제61조의 연장 횟수 제한이 불분명합니다.",
            options="연장 허가 또는 신규 허가",
        )

    @cached_property
    def advice_request_advised(self) -> Any:
        """Official's request the committee answered (adopted advice): the outcome is due."""
        from committee.tests import requests_fixtures as rqf

        return rqf.advised(self.cast, title="가설 울타리의 도로점용 해당 여부(자문 완료)")

    @cached_property
    def audit_opinion(self) -> Any:
        from committee.services import opinions

        return opinions.audit_opinion_request(
            actor=actor_for(self.cast.secretary), item=self.item, request_note="감사부서 의견을 요청합니다."
        )

    # --- reports, library, recommendations, applications, lessons -------------------------------

    @cached_property
    def report(self) -> Any:
        from reports.tests import factories as rf

        return rf.submit(self.cast.district)[0]

    @cached_property
    def best_practice(self) -> Any:
        from library.tests import factories as lf

        return lf.in_review(self.cast)

    @cached_property
    def draft_practice_image(self) -> tuple[Any, Any]:
        """A draft case of the official's with a picture (the office's image pages)."""
        from core.tests import filefactory as ff
        from library import services
        from library.tests import factories as lf

        case = lf.write(self.cast)
        image = services.case_add_image(
            actor=actor_for(self.cast.official), case=case, upload=ff.upload("현장.png", ff.image("PNG"), "image/png")
        )
        return case, image

    @cached_property
    def published_practice_image(self) -> tuple[Any, Any]:
        from core.tests import filefactory as ff
        from library import services
        from library.tests import factories as lf

        case = lf.write(self.cast, title="공개된 우수사례")
        image = services.case_add_image(
            actor=actor_for(self.cast.official), case=case, upload=ff.upload("현장.png", ff.image("PNG"), "image/png")
        )
        services.case_submit(actor=actor_for(self.cast.official), case=case)
        services.case_publish(actor=actor_for(self.cast.aa_officer), case=case)
        return case, image

    @cached_property
    def recommendation(self) -> Any:
        from recommendations.tests import factories as rcf

        return rcf.submit(self.cast.district)[0]

    @cached_property
    def application(self) -> Any:
        from applications.tests import factories as af

        return af.submit(self.cast.district)[0]

    @cached_property
    def followed_report(self) -> tuple[Any, Any]:
        """A report whose reporter sent a message with a file: (report, the file)."""
        from core import files
        from core.tests import filefactory as ff
        from reports import services
        from reports.tests import factories as rf

        report = rf.submit(self.cast.district, what="허가 신청을 두 달째 접수하지 않습니다.")[0]
        message = services.reporter_message(
            report=report,
            body="보완 서류를 보냅니다.",
            uploads=[ff.upload("보완서류.pdf", ff.pdf(), "application/pdf")],
        )
        return report, files.attachments_for(message).get()

    @cached_property
    def followed_recommendation(self) -> tuple[Any, Any]:
        """A recommendation whose recommender answered the verifier's question with a file and
        was asked again: (recommendation, the file)."""
        from core import files
        from core.tests import filefactory as ff
        from recommendations import services
        from recommendations.tests import factories as rcf

        rec = rcf.submit(self.cast.district, what="민원 서류를 한 장으로 줄였습니다.")[0]
        verifier = actor_for(self.cast.aa_officer)
        services.start(actor=verifier, rec=rec)
        services.ask(actor=verifier, rec=rec, question="언제부터 바뀌었는지 알려 주십시오.")
        message = services.answer(
            rec=rec, body="올해 3월부터입니다.", uploads=[ff.upload("공문.pdf", ff.pdf(), "application/pdf")]
        )
        services.ask(actor=verifier, rec=rec, question="관련 공문 번호도 알려 주십시오.")
        rec.refresh_from_db()
        return rec, files.attachments_for(message).get()

    @cached_property
    def closed_disciplinary_report(self) -> Any:
        from lessons.tests import factories as lsf

        return lsf.disciplinary_report(self.cast.district, self.cast.aa_officer, [self.cast.official.person])

    @cached_property
    def lesson(self) -> Any:
        from lessons.tests import factories as lsf

        report = lsf.disciplinary_report(self.cast.district, self.cast.aa_officer, [self.cast.official.person])
        return lsf.in_review(report, self.cast.audit_staff)

    @cached_property
    def lesson_draft(self) -> Any:
        from lessons.tests import factories as lsf

        report = lsf.disciplinary_report(self.cast.district, self.cast.aa_officer, [self.cast.official.person])
        return lsf.start(report, self.cast.audit_staff)

    @cached_property
    def published_lesson(self) -> Any:
        from lessons.tests import factories as lsf

        report = lsf.disciplinary_report(self.cast.district, self.cast.aa_officer, [self.cast.official.person])
        return lsf.published(report, self.cast.audit_staff, self.cast.aa_officer)

    # --- contests and rewards --------------------------------------------------------------

    @cached_property
    def contest_entries(self) -> tuple[Any, list[Any]]:
        from contests.tests import factories as ctf

        return ctf.with_entries(self.cast)

    @cached_property
    def public_contest(self) -> Any:
        from contests.tests import factories as ctf

        return ctf.voting_open(self.cast, title="구민 투표 경진대회")[0]

    @cached_property
    def spare_case(self) -> Any:
        """A published case of the district not yet entered in any contest."""
        from library.tests import factories as lf

        return lf.published(self.cast, title="출품을 기다리는 우수사례")

    @cached_property
    def contest_preliminary(self) -> Any:
        """A contest in its preliminary round (the finalists are chosen now)."""
        from contests import services
        from contests.tests import factories as ctf

        contest, _entries = ctf.with_entries(self.cast, title="예선 심사 중인 경진대회")
        return services.contest_act(actor=actor_for(self.cast.aa_officer), contest=contest, action="start_preliminary")

    @cached_property
    def contest_closed(self) -> tuple[Any, list[Any]]:
        """A contest whose public vote closed (grades are given now): (contest, finalists)."""
        from contests import services
        from contests.models import Entry
        from contests.tests import factories as ctf

        contest, entries = ctf.voting_open(self.cast, title="투표를 마감한 경진대회")
        contest = services.contest_act(actor=actor_for(self.cast.aa_officer), contest=contest, action="close_vote")
        return contest, [e for e in entries if e.status == Entry.Status.FINALIST]

    @cached_property
    def vote_ballot(self) -> dict[str, str]:
        """A filled vote form of the public contest: a fresh code's ticket, the code e-mailed
        to the voter and a finalist (each role's vote is rolled back, so the code stays fresh)."""
        from django.core import mail
        from django.test import TestCase

        from contests import selectors, voting
        from contests.tests import factories as ctf

        with TestCase.captureOnCommitCallbacks(execute=True):
            row = voting.request_code(contest=self.public_contest, email="voter@example.com", client="matrix-world")
        code = ctf.code_from_mail(mail.outbox[-1].body)
        finalist = selectors.finalists_of(self.public_contest).first()
        return {"ticket": voting.ticket_for(row), "code": code, "entry": str(finalist.pk)}

    @cached_property
    def contest_judge(self) -> Any:
        return self.contest_entries[0].judges.order_by("pk").first()

    @cached_property
    def round(self) -> Any:
        from rewards.tests import factories as rwf

        return rwf.round_factory(self.cast)

    @cached_property
    def nomination(self) -> Any:
        from core.tests import filefactory as ff
        from rewards import services
        from rewards.models import Nomination

        return services.nominate(
            actor=actor_for(self.cast.dept_head),
            round_=self.round,
            person=self.cast.official.person,
            source=Nomination.Source.DEPARTMENT,
            act="민원 처리 절차를 줄여 처리 기간을 절반으로 줄였습니다.",
            effect="민원인의 방문 횟수가 세 번에서 한 번으로 줄었습니다.",
            uploads=[ff.upload("공적조서.pdf", ff.pdf(), "application/pdf")],
        )

    @cached_property
    def nomination_file(self) -> Any:
        from core import files

        return files.attachments_for(self.nomination).first()

    @cached_property
    def verified_recommendation(self) -> Any:
        from rewards.tests import factories as rwf

        return rwf.verified_recommendation(self.cast, self.cast.official2.person)

    @cached_property
    def awarded_entry(self) -> Any:
        return self.contest_entries[1][0]

    @cached_property
    def selected_candidate(self) -> Any:
        from rewards.tests import factories as rwf

        return rwf.selected_candidates(self.cast, 1)[0]

    @cached_property
    def decided_round(self) -> Any:
        """The round the committee decided (its incentive report is due)."""
        return self.selected_candidate.round

    @cached_property
    def incentive(self) -> Any:
        from rewards import services
        from rewards.models import Incentive

        return services.plan_incentive(
            actor=actor_for(self.cast.aa_officer),
            candidate=self.selected_candidate,
            kind=Incentive.Kind.COMMENDATION,
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        )

    # --- plans, training, oversight, shared ----------------------------------------------------

    @cached_property
    def plan(self) -> Any:
        from plans.tests import factories as plf

        return plf.approved_plan(self.cast)

    @cached_property
    def plan_version(self) -> Any:
        return self.plan.versions.get(number=1)

    @cached_property
    def plan_task(self) -> Any:
        from plans.tests import factories as plf

        return plf.drafted_plan(self.cast, year=2027).versions.get(number=1).tasks.order_by("pk").first()

    @cached_property
    def progress_report(self) -> Any:
        from plans.models import ProgressReport

        self.plan  # noqa: B018 (scheduled on approval)
        return ProgressReport.objects.filter(owner_unit=self.cast.building).order_by("pk")[0]

    @cached_property
    def progress_file(self) -> Any:
        from core import files
        from core.tests import filefactory as ff
        from plans import services_progress
        from plans.models import ProgressReport

        self.plan  # noqa: B018 (scheduled on approval)
        report = services_progress.submit(
            actor=actor_for(self.cast.official),
            report=ProgressReport.objects.filter(owner_unit=self.cast.building).order_by("pk")[1],
            percent=50,
            narrative="절반을 마쳤습니다.",
            uploads=[ff.upload("증빙.pdf", ff.pdf(), "application/pdf")],
        )
        return files.attachments_for(report).first()

    @cached_property
    def evaluation(self) -> Any:
        from plans.tests import evaluation_factories as evf

        return evf.started(self.cast, evf.plan_to_evaluate(self.cast, year=2025))

    @cached_property
    def course(self) -> Any:
        from training.tests import factories as tf

        return tf.course(self.cast)

    @cached_property
    def session(self) -> Any:
        from training.tests import factories as tf

        return tf.session(self.cast, self.course)

    @cached_property
    def enrolment(self) -> Any:
        from training import services

        return services.enrol(
            actor=actor_for(self.cast.hr_officer), session=self.session, people=[self.cast.official.person]
        )[0]

    @cached_property
    def completion(self) -> Any:
        from training.tests import factories as tf

        return tf.complete(self.cast, self.cast.official.person, self.course, datetime.date(2026, 6, 1))

    @cached_property
    def check_report(self) -> Any:
        from django.core.files.base import ContentFile

        from oversight.models import CheckReport

        report = CheckReport.objects.create(
            institution=self.cast.district,
            period="2026-Q1",
            status=CheckReport.Status.DONE,
            requested_by=self.cast.aa_officer,
        )
        report.pdf.save("check.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        report.xlsx.save("check.xlsx", ContentFile(b"PK"), save=True)
        return report

    @cached_property
    def notification(self) -> Any:
        from core.notifications import notify

        return notify(recipients=[self.cast.official], title="알림", url="/office/", institution=self.cast.district)[0]

    @cached_property
    def attachment(self) -> Any:
        """A file attached to the world's consultation (by its official)."""
        from core import files
        from core.tests import filefactory as ff

        return files.attach(
            actor=actor_for(self.cast.official),
            target=self.consultation,
            upload=ff.upload("검토서.pdf", ff.pdf(), "application/pdf"),
        )

    @cached_property
    def import_job(self) -> Any:
        from django.core.files.base import ContentFile

        from core.models import ImportJob

        job = ImportJob(
            institution=self.cast.district,
            kind="register",
            filename="업무.xlsx",
            status=ImportJob.Status.PREVIEWED,
            created_by=self.cast.aa_officer,
        )
        job.file.save("업무.xlsx", ContentFile(b"PK"), save=True)
        return job

    @cached_property
    def import_job_rejected(self) -> Any:
        """A register import run in valid-rows mode with one bad row: its rejected-rows file."""
        from django.test import TestCase

        from core import import_services
        from core.tests.importer_files import REGISTER_HEADER, csv_bytes, register_row, upload_and_check

        rows = [REGISTER_HEADER, register_row(900001), register_row(900002, year="올해")]
        job = upload_and_check(actor_for(self.cast.aa_officer), csv_bytes(rows))
        with TestCase.captureOnCommitCallbacks(execute=True):
            import_services.import_start(actor=actor_for(self.cast.aa_officer), job=job)
        job.refresh_from_db()
        return job


Params = Callable[[World], dict[str, Any]]


def _pk(attr: str) -> Params:
    return lambda w: {"pk": getattr(w, attr).pk}


def _report_ticket(w: World) -> str:
    from reports.portal_views import TICKETS

    return TICKETS.dumps(w.followed_report[0])


def _recommendation_ticket(w: World) -> str:
    from recommendations.portal_views import TICKETS

    return TICKETS.dumps(w.followed_recommendation[0])


#: URL name -> the form a POST sends instead of an empty one (or a function of the world
#: giving it), where an empty form would stop at a form error before the access decision the
#: entry is about (the recused member's vote), or the form itself carries the access (a
#: follow-up page's ticket, a vote's code).
POST_DATA: dict[str, dict[str, str] | Callable[[World], dict[str, str]]] = {
    "committee:item_vote": {"choice": "for"},
    "committee:challenge_vote": {"choice": "for"},
    "contests:entry_add": lambda w: {"case": str(w.spare_case.pk)},
    "contests:grades": lambda w: {f"grade_{w.contest_closed[1][0].pk}": "gold"},
    # the follow-up pages: the holder of the ticket the receipt page hands out
    "portal_reports:follow_message": lambda w: {"ticket": _report_ticket(w)},
    "portal_reports:follow_review": lambda w: {"ticket": _report_ticket(w)},
    "portal_reports:follow_file": lambda w: {"ticket": _report_ticket(w), "file": str(w.followed_report[1].pk)},
    "portal_recommendations:follow_answer": lambda w: {"ticket": _recommendation_ticket(w)},
    "portal_recommendations:follow_file": lambda w: {
        "ticket": _recommendation_ticket(w),
        "file": str(w.followed_recommendation[1].pk),
    },
    "portal_contests:vote": lambda w: w.vote_ballot,
}


#: URL name -> the keyword arguments of a real object for it (URLs without parameters need
#: no entry). Where a URL takes an action name, one representative action is named. A key
#: "name#variant" walks the same URL a second time with other objects (its own matrix entry).
def _page_font_token() -> str:
    from core import page_fonts

    return page_fonts.token(400, {ord("뷁")} & page_fonts.covered(400) or {ord("가")})


URL_PARAMS: dict[str, Params] = {
    # a page's own font (core/page_fonts.py): a token a page would name
    "page_font": lambda w: {"token": _page_font_token()},
    # accounts
    "accounts:password_reset_confirm": lambda w: w.reset_link,
    "accounts:token_revoke": _pk("token"),
    # institutions
    **{
        f"institutions:{name}": (lambda w: {"pk": w.cast.district.pk})
        for name in ("overview", "edit", "units", "unit_create", "people", "person_create", "policy")
    },
    **{
        f"institutions:{name}": (lambda w: {"pk": w.cast.district.pk, "unit_pk": w.cast.building.pk})
        for name in ("unit_edit", "unit_deactivate", "unit_activate")
    },
    **{
        f"institutions:{name}": (lambda w: {"pk": w.cast.district.pk, "person_pk": w.cast.official.person.pk})
        for name in (
            "person_detail",
            "person_edit",
            "person_retire",
            "account_create",
            "account_password_link",
            "role_assign",
        )
    },
    "institutions:role_end": lambda w: {"pk": w.cast.district.pk, "assignment_pk": w.assignment.pk},
    # register
    "register:detail": _pk("work_item"),
    "register:edit": _pk("work_item"),
    # consultations
    **{f"consultations:{n}": _pk("consultation") for n in ("detail", "attach")},
    "consultations:edit": _pk("consultation_draft"),
    "consultations:opinion_pdf": _pk("consultation_answered"),
    "consultations:act": lambda w: {"pk": w.consultation.pk, "action": "extend"},
    "consultations:presumption_exception": lambda w: {
        "pk": w.consultation_presumption[0].pk,
        "presumption_pk": w.consultation_presumption[1].pk,
    },
    # exemptions
    **{
        f"exemptions:{n}": _pk("exemption")
        for n in ("detail", "edit", "review", "findings", "decide", "withdraw", "attach")
    },
    "exemptions:decision_pdf": _pk("exemption_decided"),
    "exemptions:rebut": lambda w: {"pk": w.exemption.pk, "presumption_pk": w.exemption_presumption.pk},
    **{
        f"exemptions:{n}": (lambda w: {"year": 2026, "quarter": 1})
        for n in ("report", "report_submit", "report_xlsx", "report_pdf")
    },
    # protection
    **{
        f"protection:{n}": _pk("support_request")
        for n in ("detail", "edit", "review", "decide", "payment_add", "close", "withdraw", "attach")
    },
    **{
        f"protection:{n}": _pk("insurance_policy")
        for n in ("policy_detail", "policy_edit", "enrol", "enrol_unit", "claim_create")
    },
    **{f"protection:{n}": _pk("claim") for n in ("claim_detail", "claim_decide", "claim_pay")},
    # committee
    **{f"committee:{n}": _pk("member") for n in ("detail", "edit", "renew", "dismiss", "chair", "member_account")},
    **{
        f"committee:{n}": _pk("meeting")
        for n in (
            "meeting_detail",
            "meeting_edit",
            "meeting_convene",
            "meeting_cancel",
            "meeting_close",
            "meeting_selection",
            "attendance_record",
            "attendance_respond",
            "item_create",
            "minutes_pdf",
            "votes_export",
        )
    },
    **{
        f"committee:{n}": _pk("item")
        for n in (
            "item_detail",
            "item_edit",
            "item_withdraw",
            "item_move",
            "item_paper_add",
            "item_declare",
            "item_open",
            "item_decide",
            "challenge_raise",
        )
    },
    "committee:item_vote": _pk("open_item"),
    "committee:item_detail#open_item": _pk("open_item"),
    "committee:challenge_vote": _pk("open_challenge"),
    "committee:challenge_decide": _pk("challenge"),
    **{
        f"committee:{n}": _pk("advice_request")
        for n in (
            "advice_request_detail",
            "advice_request_withdraw",
            "advice_request_schedule",
        )
    },
    "committee:advice_request_outcome": _pk("advice_request_advised"),
    **{f"committee:{n}": (lambda w: {"item_pk": w.item.pk}) for n in ("opinion_record", "audit_opinion_request")},
    **{
        f"committee:{n}": _pk("audit_opinion")
        for n in ("audit_opinion_submit", "audit_opinion_extend", "opinion_request_withdraw")
    },
    # reports
    "reports:detail": _pk("report"),
    "reports:action": lambda w: {"pk": w.report.pk, "name": "note"},
    # library
    **{f"library:{n}": _pk("best_practice") for n in ("detail", "image_add")},
    "library:edit": lambda w: {"pk": w.draft_practice_image[0].pk},
    "library:act": lambda w: {"pk": w.best_practice.pk, "action": "return"},
    "library:image_remove": lambda w: {"pk": w.draft_practice_image[0].pk, "image_pk": w.draft_practice_image[1].pk},
    "portal_library:detail": lambda w: {"pk": w.published_practice_image[0].pk},
    "portal_library:image": lambda w: {
        "pk": w.published_practice_image[0].pk,
        "image_pk": w.published_practice_image[1].pk,
    },
    # recommendations, applications
    "recommendations:detail": _pk("recommendation"),
    "recommendations:action": lambda w: {"pk": w.recommendation.pk, "name": "start"},
    "applications:detail": _pk("application"),
    "applications:action": lambda w: {"pk": w.application.pk, "name": "start"},
    # lessons
    "lessons:read": _pk("published_lesson"),
    "lessons:start": lambda w: {"report_pk": w.closed_disciplinary_report.pk},
    "lessons:detail": _pk("lesson"),
    "lessons:edit": _pk("lesson_draft"),
    "lessons:act": lambda w: {"pk": w.lesson.pk, "action": "return"},
    # contests
    **{
        f"contests:{n}": (lambda w: {"pk": w.contest_entries[0].pk})
        for n in (
            "detail",
            "edit",
            "entry_add",
            "judges",
            "preliminary",
            "expert",
            "results",
        )
    },
    "contests:finalists": lambda w: {"pk": w.contest_preliminary.pk},
    "contests:panel": _pk("public_contest"),
    "contests:grades": lambda w: {"pk": w.contest_closed[0].pk},
    "contests:act": lambda w: {"pk": w.contest_entries[0].pk, "action": "start_preliminary"},
    "contests:entry_remove": lambda w: {"pk": w.contest_entries[0].pk, "entry_pk": w.contest_entries[1][0].pk},
    "contests:judge_remove": lambda w: {"pk": w.contest_entries[0].pk, "judge_pk": w.contest_judge.pk},
    **{f"portal_contests:{n}": _pk("public_contest") for n in ("detail", "request_code", "vote", "done")},
    "portal_contests:vote#without_ticket": _pk("public_contest"),
    # rewards
    **{f"rewards:{n}": _pk("round") for n in ("round", "round_edit", "recommendations", "contest_entries")},
    **{f"rewards:{n}": _pk("decided_round") for n in ("round_report_xlsx", "round_report_pdf")},
    "rewards:round_action": lambda w: {"pk": w.round.pk, "name": "start_scoring"},
    "rewards:nominate": lambda w: {"pk": w.round.pk, "source": "department"},
    "rewards:pull": lambda w: {"pk": w.round.pk, "rec_pk": w.verified_recommendation.pk},
    "rewards:pull_contest": lambda w: {"pk": w.round.pk, "entry_pk": w.awarded_entry.pk},
    "rewards:candidate": lambda w: {"pk": w.nomination.candidate.pk},
    "rewards:candidate_action": lambda w: {"pk": w.nomination.candidate.pk, "name": "withdraw"},
    "rewards:score": lambda w: {"pk": w.nomination.candidate.pk},
    "rewards:evidence": lambda w: {"pk": w.nomination.pk, "file_pk": w.nomination_file.pk},
    **{f"rewards:{n}": _pk("incentive") for n in ("incentive", "incentive_execute", "incentive_cancel")},
    **{f"rewards:{n}": _pk("selected_candidate") for n in ("incentive_plan", "certificate")},
    **{f"rewards:{n}": (lambda w: {"year": 2026}) for n in ("year_report_xlsx", "year_report_pdf")},
    # plans
    "plans:detail": _pk("plan"),
    "plans:revise": _pk("plan"),
    "plans:version": _pk("plan_version"),
    **{f"plans:{n}": (lambda w: {"pk": w.plan_task.version_id}) for n in ("version_edit", "task_create")},
    "plans:version_action": lambda w: {"pk": w.plan_version.pk, "name": "send_back"},
    **{f"plans:{n}": _pk("plan_task") for n in ("task_edit", "task_remove")},
    **{f"plans:{n}": _pk("progress_report") for n in ("report", "report_submit", "report_review", "report_return")},
    "plans:report_evidence": lambda w: {"pk": w.progress_file.object_id, "file_pk": w.progress_file.pk},
    **{
        f"plans:{n}": (lambda w: {"pk": w.evaluation.plan_id})
        for n in ("evaluation", "evaluation_start", "evaluation_correct")
    },
    **{f"plans:{n}": _pk("evaluation") for n in ("evaluation_version", "evaluation_edit", "evaluation_pdf")},
    "plans:evaluation_action": lambda w: {"pk": w.evaluation.pk, "name": "submit"},
    # training
    **{f"training:{n}": _pk("course") for n in ("course", "course_edit", "course_active", "session_create")},
    **{f"training:{n}": _pk("session") for n in ("session", "session_enrol", "session_attendance")},
    "training:enrolment_cancel": _pk("enrolment"),
    "training:completion_remove": _pk("completion"),
    # oversight
    "oversight:drill": lambda w: {"key": "consultations.received"},
    **{f"oversight:{n}": _pk("check_report") for n in ("report", "report_progress")},
    "oversight:report_file": lambda w: {"pk": w.check_report.pk, "fmt": "pdf"},
    # shared
    "core:notification_read": _pk("notification"),
    "core:attachment_download": _pk("attachment"),
    "core:attachment_download#restricted_paper": _pk("restricted_paper"),
    **{f"imports:{n}": _pk("import_job") for n in ("job", "progress", "start", "cancel")},
    "imports:rejected": _pk("import_job_rejected"),
    **{f"imports:{n}": (lambda w: {"kind": "register"}) for n in ("upload", "template")},
    # portal
    "portal:institution": lambda w: {"pk": w.cast.district.pk},
}


#: "METHOD path" -> the JSON body sent instead of the one made from the OpenAPI schema, where
#: the schema's sample would fail validation (422) before the access decision.
API_BODIES: dict[str, dict[str, Any]] = {
    "POST /committee/meetings/{int:meeting_id}/attendance/respond": {"answer": "confirmed"},
}


def _committee_or_register_item(w: World, path: str) -> int:
    return int(w.work_item.pk if path.startswith("/register") else w.item.pk)


def _library_or_exemption_case(w: World, path: str) -> int:
    if path.startswith("/library/cases/"):
        return int(w.published_practice_image[0].pk)
    return int(w.best_practice.pk if path.startswith("/library") else w.exemption.pk)


def _protection_or_advice_request(w: World, path: str) -> int:
    return int(w.support_request.pk if path.startswith("/protection") else w.advice_request.pk)


def _consultation(w: World, path: str) -> int:
    if "/presumptions/" in path:
        return int(w.consultation_presumption[0].pk)
    return int(w.consultation.pk)


#: API path parameter -> its value in the world, given the operation's path (where one
#: parameter name stands for several models, the path decides).
API_PARAMS: dict[str, Callable[[World, str], int]] = {
    "institution_id": lambda w, p: int(w.cast.district.pk),
    "unit_id": lambda w, p: int(w.cast.building.pk),
    "person_id": lambda w, p: int(w.cast.official.person.pk),
    "item_id": _committee_or_register_item,
    "consultation_id": _consultation,
    "presumption_id": lambda w, p: int(w.consultation_presumption[1].pk),
    "case_id": _library_or_exemption_case,
    "request_id": _protection_or_advice_request,
    "policy_id": lambda w, p: int(w.insurance_policy.pk),
    "claim_id": lambda w, p: int(w.claim.pk),
    "member_id": lambda w, p: int(w.member.pk),
    "meeting_id": lambda w, p: int(w.meeting.pk),
    "challenge_id": lambda w, p: int(w.challenge.pk),
    "opinion_id": lambda w, p: int(w.audit_opinion.pk),
    "report_id": lambda w, p: int(w.report.pk),
    "rec_id": lambda w, p: int(w.recommendation.pk),
    "application_id": lambda w, p: int(w.application.pk),
    "year": lambda w, p: 2026,
    "quarter": lambda w, p: 1,
}
