"""The only code that writes exemption data: check, save, audit, notify (ADR 0010).

- cases.py      open a case (an official's application or the audit unit's own case),
                change its details, start the review, withdraw it, add evidence
- decisions.py  record findings, rebut a presumption, decide (number, notification)
- demands.py    record a disciplinary demand after the exemption grounds were checked
- reports.py    the quarterly report to the higher audit body and its deadline
"""
