"""Forms of the bulk import screens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.models import ImportJob

MODE_HELP = _(
    "올바른 행만 저장: 오류가 없는 행은 저장하고, 오류가 있는 행은 빼고 목록으로 알려 드립니다. "
    "모두 또는 하나도 저장 안 함: 한 행이라도 오류가 있으면 아무것도 저장하지 않습니다."
)


class ModeField(forms.ChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label=_("저장 방식"),
            choices=[
                (ImportJob.Mode.VALID_ROWS, _("올바른 행만 저장하고 오류가 있는 행은 따로 알려 주기")),
                (ImportJob.Mode.ALL_OR_NOTHING, _("모두 저장하거나, 오류가 하나라도 있으면 하나도 저장하지 않기")),
            ],
            initial=ImportJob.Mode.VALID_ROWS,
            widget=forms.RadioSelect,
            help_text=MODE_HELP,
            **kwargs,  # type: ignore[arg-type]
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("파일"),
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
    )
    mode = ModeField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        megabytes = int(settings.IMPORT_MAX_BYTES) // (1024 * 1024)
        self.fields["file"].help_text = _(
            "엑셀 통합 문서(.xlsx)나 CSV(UTF-8 또는 CP949) 파일, %(max)s MB 이하, %(rows)s행까지. "
            "첫 행에는 열 이름을 적습니다."
        ) % {"max": megabytes, "rows": "200,000"}


class StartForm(forms.Form):
    mode = ModeField()
