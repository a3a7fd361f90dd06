"""The scoring form of the year-end evaluation. The services decide (ranges, "not applicable"
only for an area without tasks, completeness at submission); the form reads the input, keeps
it when something is refused, and groups the fields by area for the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.models import Area, EvaluationArea
from plans.services_evaluation import MAX_NARRATIVE, SCORE_MAX, SCORE_MIN, AreaInput, field_name

SCORE_ERROR = _("점수는 0에서 100 사이의 정수로 입력해 주십시오.")


def _score_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=SCORE_MIN,
        max_value=SCORE_MAX,
        help_text=_("0~100점, 정수"),
        error_messages={"invalid": SCORE_ERROR, "min_value": SCORE_ERROR, "max_value": SCORE_ERROR},
        widget=forms.NumberInput(attrs={"min": SCORE_MIN, "max": SCORE_MAX, "step": 1, "inputmode": "numeric"}),
    )


@dataclass(frozen=True)
class AreaFields:
    area: str
    label: str
    has_tasks: bool
    na: forms.BoundField | None
    effort: forms.BoundField
    results: forms.BoundField
    narrative: forms.BoundField


class EvaluationForm(forms.Form):
    """Per area: "not applicable" (areas without tasks only), effort and results scores, a
    narrative; and the overall narrative."""

    overall = forms.CharField(
        label=_("종합 의견"),
        required=False,
        max_length=MAX_NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("제출할 때에는 반드시 적습니다."),
    )

    def __init__(self, *args: Any, task_areas: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task_areas = task_areas
        overall = self.fields.pop("overall")
        for area in Area:
            if area.value not in task_areas:
                self.fields[field_name("na", area.value)] = forms.BooleanField(
                    label=_("해당 없음(이 분야에 과제가 없어 평가에서 뺍니다)"), required=False
                )
            self.fields[field_name("effort", area.value)] = _score_field(_("노력 점수"))
            self.fields[field_name("results", area.value)] = _score_field(_("성과 점수"))
            self.fields[field_name("narrative", area.value)] = forms.CharField(
                label=_("분야 의견"), required=False, max_length=MAX_NARRATIVE, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.fields["overall"] = overall

    @staticmethod
    def initial_for(areas: list[EvaluationArea], overall: str) -> dict[str, Any]:
        initial: dict[str, Any] = {"overall": overall}
        for row in areas:
            initial[field_name("na", row.area)] = not row.applicable
            initial[field_name("effort", row.area)] = row.effort
            initial[field_name("results", row.area)] = row.results
            initial[field_name("narrative", row.area)] = row.narrative
        return initial

    def groups(self) -> list[AreaFields]:
        out = []
        for area in Area:
            na = field_name("na", area.value)
            out.append(
                AreaFields(
                    area=area.value,
                    label=str(area.label),
                    has_tasks=area.value in self.task_areas,
                    na=self[na] if na in self.fields else None,
                    effort=self[field_name("effort", area.value)],
                    results=self[field_name("results", area.value)],
                    narrative=self[field_name("narrative", area.value)],
                )
            )
        return out

    def inputs(self) -> dict[str, AreaInput]:
        data = self.cleaned_data
        return {
            area.value: AreaInput(
                applicable=not data.get(field_name("na", area.value), False),
                effort=data.get(field_name("effort", area.value)),
                results=data.get(field_name("results", area.value)),
                narrative=data.get(field_name("narrative", area.value)) or "",
            )
            for area in Area
        }
