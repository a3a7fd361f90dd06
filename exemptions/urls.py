from django.urls import path

from exemptions.views import actions, cases, demands, reports

app_name = "exemptions"
urlpatterns = [
    path("", cases.case_list, name="list"),
    path("mine/", cases.my_cases, name="mine"),
    path("apply/", cases.case_apply, name="apply"),
    path("open/", cases.case_open, name="open"),
    path("<int:pk>/", cases.case_detail, name="detail"),
    path("<int:pk>/edit/", cases.case_edit, name="edit"),
    path("<int:pk>/decision.pdf", cases.decision_pdf, name="decision_pdf"),
    path("<int:pk>/review/", actions.case_review, name="review"),
    path("<int:pk>/findings/", actions.case_findings, name="findings"),
    path("<int:pk>/presumptions/<int:presumption_pk>/rebut/", actions.case_rebut, name="rebut"),
    path("<int:pk>/decide/", actions.case_decide, name="decide"),
    path("<int:pk>/withdraw/", actions.case_withdraw, name="withdraw"),
    path("<int:pk>/attachments/", actions.case_attach, name="attach"),
    path("demands/", demands.demand_list, name="demands"),
    path("demands/new/", demands.demand_create, name="demand_create"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:year>/<int:quarter>/", reports.report_detail, name="report"),
    path("reports/<int:year>/<int:quarter>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:year>/<int:quarter>/report.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("reports/<int:year>/<int:quarter>/report.pdf", reports.report_pdf, name="report_pdf"),
]
