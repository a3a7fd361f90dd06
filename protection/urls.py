from django.urls import path

from protection.views import insurance, requests

app_name = "protection"
urlpatterns = [
    path("", requests.request_list, name="list"),
    path("mine/", requests.my_requests, name="mine"),
    path("new/", requests.request_create, name="create"),
    path("<int:pk>/", requests.request_detail, name="detail"),
    path("<int:pk>/edit/", requests.request_edit, name="edit"),
    path("<int:pk>/review/", requests.request_review, name="review"),
    path("<int:pk>/decide/", requests.request_decide, name="decide"),
    path("<int:pk>/payments/", requests.payment_add, name="payment_add"),
    path("<int:pk>/close/", requests.request_close, name="close"),
    path("<int:pk>/withdraw/", requests.request_withdraw, name="withdraw"),
    path("<int:pk>/attachments/", requests.request_attach, name="attach"),
    path("insurance/", insurance.policy_list, name="policy_list"),
    path("insurance/new/", insurance.policy_create, name="policy_create"),
    path("insurance/<int:pk>/", insurance.policy_detail, name="policy_detail"),
    path("insurance/<int:pk>/edit/", insurance.policy_edit, name="policy_edit"),
    path("insurance/<int:pk>/enrol/", insurance.enrol_person, name="enrol"),
    path("insurance/<int:pk>/enrol-unit/", insurance.enrol_unit, name="enrol_unit"),
    path("insurance/<int:pk>/claims/new/", insurance.claim_create, name="claim_create"),
    path("insurance/claims/<int:pk>/", insurance.claim_detail, name="claim_detail"),
    path("insurance/claims/<int:pk>/decide/", insurance.claim_decide, name="claim_decide"),
    path("insurance/claims/<int:pk>/pay/", insurance.claim_pay, name="claim_pay"),
]
