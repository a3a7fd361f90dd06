"""The only code that writes pre-consultation requests: each service checks the workflow
(consultations/workflow.py), saves, audits in the same transaction and notifies on commit."""

from consultations.services.drafting import (
    completeness_problem,
    consultation_attach,
    consultation_create,
    consultation_request_approval,
    consultation_send_back,
    consultation_submit,
    consultation_update,
    consultation_withdraw,
    upload_purpose,
)
from consultations.services.outcome import (
    consultation_presumptions,
    consultation_record_outcome,
    consultation_set_exception,
)
from consultations.services.review import (
    consultation_accept,
    consultation_close,
    consultation_extend,
    consultation_issue_opinion,
    consultation_record_committee_advice,
    consultation_record_higher_opinion,
    consultation_refer,
    consultation_return,
    consultation_to_committee,
)

__all__ = [
    "completeness_problem",
    "consultation_accept",
    "consultation_attach",
    "consultation_close",
    "consultation_create",
    "consultation_extend",
    "consultation_issue_opinion",
    "consultation_presumptions",
    "consultation_record_committee_advice",
    "consultation_record_higher_opinion",
    "consultation_record_outcome",
    "consultation_refer",
    "consultation_request_approval",
    "consultation_return",
    "consultation_send_back",
    "consultation_set_exception",
    "consultation_submit",
    "consultation_to_committee",
    "consultation_update",
    "consultation_withdraw",
    "upload_purpose",
]
