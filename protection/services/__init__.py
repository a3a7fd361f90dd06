"""The only code that writes protection data (ADR 0011)."""

from protection.services.insurance import (
    claim_decide,
    claim_file,
    claim_pay,
    enrolment_create,
    enrolment_create_for_unit,
    insurance_policy_create,
    insurance_policy_update,
)
from protection.services.payments import Headroom, headroom, paid_in_year, support_payment_add
from protection.services.requests import (
    support_request_attach,
    support_request_close,
    support_request_decide,
    support_request_file,
    support_request_review,
    support_request_update,
    support_request_withdraw,
)

__all__ = [
    "Headroom",
    "claim_decide",
    "claim_file",
    "claim_pay",
    "enrolment_create",
    "enrolment_create_for_unit",
    "headroom",
    "insurance_policy_create",
    "insurance_policy_update",
    "paid_in_year",
    "support_payment_add",
    "support_request_attach",
    "support_request_close",
    "support_request_decide",
    "support_request_file",
    "support_request_review",
    "support_request_update",
    "support_request_withdraw",
]
