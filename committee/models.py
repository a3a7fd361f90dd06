"""The committee's member pool (DOMAIN.md §6, ADR 0013): members (internal or external), their
expertise tags and their terms. Meetings, agenda, selection and votes (later slices) stand on
`CommitteeMember` and `committee.selectors.selectable_members`.

Every change goes through committee.services."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from institutions.models import Institution, Person


class Tag(models.Model):
    """An area of expertise, per institution ("건축", "도시계획"). Names are normalised
    (spaces collapsed, lower case), so "건축 " and "건축" are one tag."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="committee_tags")
    name = models.CharField(_("전문분야"), max_length=50)

    class Meta:
        verbose_name = _("전문분야")
        verbose_name_plural = _("전문분야")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="committee_tag_unique")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(TimeStampedModel):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("내부위원")
        EXTERNAL = "external", _("민간위원")

    class Gender(models.TextChoices):
        FEMALE = "female", _("여성")
        MALE = "male", _("남성")
        UNDISCLOSED = "undisclosed", _("밝히지 않음")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("committee member status", "재임")
        DISMISSED = "dismissed", pgettext_lazy("committee member status", "해촉")

    class Grounds(models.TextChoices):
        """Grounds for dismissal (the usual list of a committee ordinance)."""

        NEGLECT = "neglect", _("직무 태만")
        DIGNITY = "dignity", _("품위 손상")
        SECRECY = "secrecy", _("비밀 누설")
        MISCONDUCT = "misconduct", _("직무 관련 비위")
        INCAPACITY = "incapacity", _("장기 심신장애로 직무 수행 불가")
        RESIGNATION = "resignation", _("본인 사의 표명")
        OTHER = "other", _("그 밖의 사유")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="committee_members")
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("직원"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("로그인 계정"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    name = models.CharField(_("성명"), max_length=100)
    organisation = models.CharField(_("소속"), max_length=200, blank=True)
    position = models.CharField(_("직위"), max_length=100, blank=True)
    gender = models.CharField(_("성별"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    expertise = models.ManyToManyField(Tag, verbose_name=_("전문분야"), blank=True, related_name="members")
    email = models.EmailField(_("전자우편"), blank=True)
    phone = models.CharField(_("전화번호"), max_length=30, blank=True)
    is_chair = models.BooleanField(_("위원장"), default=False)
    is_audit_head = models.BooleanField(_("감사부서의 장"), default=False)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The member's current span of service, kept by the services so pool queries need no join:
    # from the start of the unbroken run of terms that includes the latest one to the end of
    # the latest term (a renewal that follows at once extends it; one after a gap restarts it).
    # The Term rows keep each term.
    term_starts_on = models.DateField(_("재임 시작일"))
    term_ends_on = models.DateField(_("재임 종료일"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("연임 횟수"), default=0)
    dismissed_on = models.DateField(_("해촉일"), null=True, blank=True)
    dismissal_grounds = models.CharField(_("해촉 사유"), max_length=12, choices=Grounds.choices, blank=True)
    dismissal_note = models.TextField(_("해촉 사유 상세"), blank=True)

    class Meta:
        verbose_name = _("위원")
        verbose_name_plural = _("위원")
        ordering = ["institution", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(is_chair=True, status="active"),
                name="committee_one_chair",
            ),
            models.UniqueConstraint(
                fields=["institution", "person"],
                condition=Q(status="active", person__isnull=False),
                name="committee_person_once",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="active", user__isnull=False), name="committee_user_once"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "name"], name="committee_inst_status_idx"),
            models.Index(fields=["institution", "kind", "name"], name="committee_inst_kind_idx"),
            models.Index(fields=["institution", "term_ends_on"], name="committee_inst_term_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def in_term(self, on: datetime.date) -> bool:
        return self.term_starts_on <= on and (self.term_ends_on is None or self.term_ends_on >= on)

    def in_pool(self, on: datetime.date) -> bool:
        """Serving on this date: not dismissed and within the current term."""
        return self.status == self.Status.ACTIVE and self.in_term(on)


class Term(models.Model):
    """One term of a member: the first appointment (number 0) and each renewal (1, 2, ...)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("연임 차수"))
    starts_on = models.DateField(_("임기 시작일"))
    ends_on = models.DateField(_("임기 종료일"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("임기")
        verbose_name_plural = _("임기")
        ordering = ["member", "number"]
        constraints = [models.UniqueConstraint(fields=["member", "number"], name="committee_term_unique")]

    def __str__(self) -> str:
        return f"{self.member} #{self.number}"


# --- Meetings (DOMAIN.md §6, ADR 0014) ----------------------------------------------------


class Meeting(TimeStampedModel):
    """One sitting of the committee (or one round of written deliberation)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting status", "준비 중")
        CONVENED = "convened", pgettext_lazy("meeting status", "소집")
        CLOSED = "closed", pgettext_lazy("meeting status", "종료")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "취소")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("대면 회의")
        WRITTEN = "written", _("서면 심의")

    class WrittenReason(models.TextChoices):
        """The reasons a local ordinance allows written deliberation for."""

        MINOR = "minor", _("경미한 사항")
        URGENT = "urgent", _("긴급한 사항")
        NO_QUORUM = "no_quorum", _("의사정족수 확보 곤란")

    OPEN_STATES = (Status.DRAFT, Status.CONVENED)

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="committee_meetings")
    year = models.PositiveSmallIntegerField(_("연도"))
    number = models.PositiveIntegerField(_("회차"))
    reference = models.CharField(_("회의 번호"), max_length=40)
    title = models.CharField(_("회의 명칭"), max_length=200)
    mode = models.CharField(_("심의 방식"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    written_reason = models.CharField(_("서면 심의 사유"), max_length=12, choices=WrittenReason.choices, blank=True)
    starts_at = models.DateTimeField(_("일시"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    #: Written deliberation: votes are collected online until this moment.
    vote_deadline = models.DateTimeField(_("서면 의결 마감"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    convened_at = models.DateTimeField(_("소집일시"), null=True, blank=True)
    closed_at = models.DateTimeField(_("종료일시"), null=True, blank=True)
    notes = models.TextField(_("회의 기록(특기 사항)"), blank=True)

    class Meta:
        verbose_name = _("위원회 회의")
        verbose_name_plural = _("위원회 회의")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "number"], name="committee_meeting_number_unique")
        ]
        indexes = [
            models.Index(fields=["institution", "status", "starts_at"], name="committee_meet_status_idx"),
            models.Index(fields=["institution", "starts_at"], name="committee_meet_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class MeetingMember(models.Model):
    """A member the chair named for one meeting (the pool system), their invitation and
    attendance. The chair of the meeting has a row too (is_chair)."""

    class Attendance(models.TextChoices):
        PENDING = "pending", _("초대 전")
        INVITED = "invited", _("응답 대기")
        CONFIRMED = "confirmed", _("참석 확인")
        DECLINED = "declined", _("불참 통보")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="seats")
    is_chair = models.BooleanField(_("회의 위원장"), default=False)
    attendance = models.CharField(_("참석 응답"), max_length=12, choices=Attendance.choices, default=Attendance.PENDING)
    invited_at = models.DateTimeField(_("초대일시"), null=True, blank=True)
    responded_at = models.DateTimeField(_("응답일시"), null=True, blank=True)
    #: Recorded by the secretary at the meeting (None until then). For written
    #: deliberation, a member who cast a vote counts as present for that item.
    present = models.BooleanField(_("출석"), null=True, blank=True)

    class Meta:
        verbose_name = _("회의 지명 위원")
        verbose_name_plural = _("회의 지명 위원")
        ordering = ["meeting", "-is_chair", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="committee_seat_unique"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(is_chair=True), name="committee_seat_one_chair"),
        ]
        indexes = [models.Index(fields=["member", "meeting"], name="committee_seat_member_idx")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class AgendaItem(TimeStampedModel):
    """One matter on a meeting's agenda, linked to the case it decides (a pre-consultation,
    an exemption case, an official's advice request, ...). Its result flows back to that
    case through the link registry (committee/linking.py)."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("불명확한 규정에 대한 공무원 자문")
        REFERRAL = "referral", _("감사부서 부의 사항(사전컨설팅 포함)")
        RATIFICATION = "ratification", _("긴급 재난·안전 조치의 사후 추인")
        SELECTION = "selection", _("우수공무원·우수사례 선발")
        EXEMPTION = "exemption", _("감사기구 면책 건의")
        LITIGATION = "litigation", _("소송 지원")
        ACTION_PLAN = "action_plan", _("적극행정 실행계획")
        OTHER = "other", _("그 밖의 안건")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("agenda status", "상정 대기")
        OPEN = "open", pgettext_lazy("agenda status", "심의 중")
        DECIDED = "decided", pgettext_lazy("agenda status", "의결")
        WITHDRAWN = "withdrawn", pgettext_lazy("agenda status", "철회")

    class Result(models.TextChoices):
        ADOPTED = "adopted", _("가결")
        REJECTED = "rejected", _("부결")
        NO_QUORUM = "no_quorum", _("의사정족수 미달")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("순서"), default=1)
    kind = models.CharField(_("안건 유형"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("안건명"), max_length=300)
    summary = models.TextField(_("안건 요지"), blank=True)
    #: Tags whose members the selection suggests for this item.
    expertise = models.ManyToManyField(Tag, verbose_name=_("관련 전문분야"), blank=True, related_name="items")
    case_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    case = GenericForeignKey("case_type", "case_id")
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.PENDING)
    opened_at = models.DateTimeField(_("심의 시작일시"), null=True, blank=True)
    #: The resolution or the advice, as adopted (or as put to the vote when rejected).
    resolution = models.TextField(_("의결·자문 내용"), blank=True)
    result = models.CharField(_("의결 결과"), max_length=12, choices=Result.choices, blank=True)
    decided_at = models.DateTimeField(_("의결일시"), null=True, blank=True)
    # The tally, frozen when the item is decided (the minutes read these).
    eligible_count = models.PositiveSmallIntegerField(_("재적 위원(제척·기피·회피 제외)"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(_("출석 위원"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("찬성"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("반대"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("기권"), null=True, blank=True)

    class Meta:
        verbose_name = _("안건")
        verbose_name_plural = _("안건")
        ordering = ["meeting", "order", "pk"]
        indexes = [
            models.Index(fields=["meeting", "order"], name="committee_item_order_idx"),
            models.Index(fields=["case_type", "case_id"], name="committee_item_case_idx"),
            models.Index(fields=["institution", "status", "kind"], name="committee_item_status_idx"),
            models.Index(
                fields=["institution", "decided_at"], include=["status", "result"], name="committee_item_decided_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Declaration(models.Model):
    """A selected member's declaration before an item: no conflict, an exclusion ground
    (제척), or stepping aside (회피). Either of the latter recuses the member."""

    class Kind(models.TextChoices):
        NONE = "none", _("이해충돌 없음")
        EXCLUSION = "exclusion", _("제척 사유 있음")
        RECUSAL = "recusal", _("회피")

    class Grounds(models.TextChoices):
        PARTY = "party", _("위원 또는 배우자가 당사자")
        RELATIVE = "relative", _("위원 또는 배우자가 당사자의 친족")
        TESTIMONY = "testimony", _("해당 안건에 증언·진술·자문·연구를 함")
        AGENT = "agent", _("당사자의 대리인으로 관여")
        OTHER = "other", _("그 밖에 공정한 심의를 기대하기 어려운 사정")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="declarations")
    kind = models.CharField(_("신고 내용"), max_length=12, choices=Kind.choices)
    grounds = models.CharField(_("사유"), max_length=12, choices=Grounds.choices, blank=True)
    note = models.TextField(_("설명"), blank=True)
    declared_at = models.DateTimeField(_("신고일시"))

    class Meta:
        verbose_name = _("이해충돌 신고")
        verbose_name_plural = _("이해충돌 신고")
        ordering = ["item", "member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="committee_declaration_unique")]

    def __str__(self) -> str:
        return f"{self.item} · {self.member} · {self.get_kind_display()}"

    @property
    def recuses(self) -> bool:
        return self.kind != self.Kind.NONE


class Challenge(TimeStampedModel):
    """A party's challenge (기피 신청) of a member for one item, decided by the vote of the
    other present members without the challenged one (Vote rows with this challenge)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("challenge status", "의결 대기")
        UPHELD = "upheld", pgettext_lazy("challenge status", "기피 인용")
        REJECTED = "rejected", pgettext_lazy("challenge status", "기피 기각")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="challenges")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="challenges")
    raised_by = models.CharField(_("신청인(당사자)"), max_length=200)
    grounds = models.TextField(_("기피 사유"))
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(_("결정일시"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("인용 찬성"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("인용 반대"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("기권"), null=True, blank=True)

    class Meta:
        verbose_name = _("기피 신청")
        verbose_name_plural = _("기피 신청")
        ordering = ["item", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="committee_challenge_unique")]

    def __str__(self) -> str:
        return f"{self.item} · {self.member}"


class Vote(models.Model):
    """A member's vote on an item, or (with `challenge`) on a challenge of another member,
    where "for" upholds the challenge."""

    class Choice(models.TextChoices):
        FOR = "for", _("찬성")
        AGAINST = "against", _("반대")
        ABSTAIN = "abstain", _("기권")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    challenge = models.ForeignKey(Challenge, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("표결"), max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField(_("표결일시"))

    class Meta:
        verbose_name = _("표결")
        verbose_name_plural = _("표결")
        ordering = ["item", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "member"], condition=Q(challenge__isnull=True), name="committee_vote_item_unique"
            ),
            models.UniqueConstraint(
                fields=["challenge", "member"],
                condition=Q(challenge__isnull=False),
                name="committee_vote_challenge_unique",
            ),
        ]
        indexes = [models.Index(fields=["member", "item"], name="committee_vote_member_idx")]

    def __str__(self) -> str:
        return f"{self.item} · {self.member} · {self.get_choice_display()}"


class Opinion(TimeStampedModel):
    """An opinion the committee hears on an item: a stakeholder's written submission or a
    hearing note (recorded by the secretary), the audit unit's opinion (requested through
    the system, due by the policy's days, extendable once), or a legal opinion."""

    class Kind(models.TextChoices):
        STAKEHOLDER_WRITTEN = "stakeholder_written", _("이해관계인 서면 의견")
        STAKEHOLDER_HEARING = "stakeholder_hearing", _("이해관계인 의견 청취")
        AUDIT = "audit", _("감사부서 의견")
        LEGAL = "legal", _("법률 자문")

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("opinion status", "요청")
        RECEIVED = "received", pgettext_lazy("opinion status", "접수")
        WITHDRAWN = "withdrawn", pgettext_lazy("opinion status", "요청 철회")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="opinions")
    kind = models.CharField(_("의견 구분"), max_length=20, choices=Kind.choices)
    author = models.CharField(_("의견 제출자"), max_length=200, blank=True)
    request_note = models.TextField(_("요청 내용"), blank=True)
    body = models.TextField(_("의견 내용"), blank=True)
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    requested_on = models.DateField(_("요청일"), null=True, blank=True)
    due_on = models.DateField(_("제출기한"), null=True, blank=True)
    received_on = models.DateField(_("접수일"), null=True, blank=True)

    class Meta:
        verbose_name = _("의견")
        verbose_name_plural = _("의견")
        ordering = ["item", "created_at", "pk"]
        indexes = [
            models.Index(fields=["institution", "kind", "status", "due_on"], name="committee_opinion_queue_idx"),
            models.Index(fields=["institution", "received_on"], include=["status"], name="committee_opinion_recv_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_kind_display()}"


class AdviceRequest(TimeStampedModel):
    """An official's request to the committee for advice on an unclear rule (the request
    form); the secretary puts it on an agenda, the adopted advice is written back here and
    the official records whether they followed it (ADR 0012's presumption rows)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("status", "접수")
        ON_AGENDA = "on_agenda", pgettext_lazy("status", "안건 상정")
        ADVISED = "advised", _("자문 완료")
        OUTCOME_RECORDED = "outcome_recorded", pgettext_lazy("status", "이행 결과 기록")
        WITHDRAWN = "withdrawn", pgettext_lazy("status", "취하")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("연도"))
    number = models.PositiveIntegerField(_("번호"))
    reference = models.CharField(_("접수번호"), max_length=40)
    requester = models.ForeignKey(Person, verbose_name=_("요청자"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "institutions.Unit", verbose_name=_("부서"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("제목"), max_length=200)
    task = models.TextField(_("업무 내용"))
    rule = models.TextField(_("불명확한 규정"))
    options = models.TextField(_("검토한 방안"))
    work_item = models.ForeignKey(
        "register.WorkItem",
        verbose_name=_("적극행정 업무"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_on = models.DateField(_("요청일"))
    advice = models.TextField(_("자문 내용"), blank=True)
    advised_on = models.DateField(_("자문일"), null=True, blank=True)
    followed = models.CharField(_("이행 여부"), max_length=12, blank=True)
    acted_on = models.DateField(_("처리일"), null=True, blank=True)
    outcome_note = models.TextField(_("이행 내용"), blank=True)

    class Meta:
        verbose_name = _("위원회 자문 요청")
        verbose_name_plural = _("위원회 자문 요청")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "number"], name="committee_advice_number_unique")
        ]
        indexes = [
            models.Index(fields=["institution", "status", "submitted_on"], name="committee_advice_queue_idx"),
            models.Index(fields=["requester", "submitted_on"], name="committee_advice_mine_idx"),
            models.Index(fields=["work_item"], name="committee_advice_work_idx"),
            # The dashboard's figures (committee/indicators.py)
            models.Index(fields=["institution", "advised_on"], name="committee_advice_advised_idx"),
            models.Index(fields=["institution", "acted_on"], include=["followed"], name="committee_advice_acted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
