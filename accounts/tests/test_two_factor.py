from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry
from tests.cast import PASSWORD, Cast


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _login(username: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return client


def test_policy_requiring_2fa_sends_staff_to_setup_first(cast: Cast) -> None:
    cast.district.policy.require_2fa = True
    cast.district.policy.save()
    client = _login("official")
    response = client.get(reverse("office:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_enrolment_with_a_right_code_confirms_the_device_and_lets_in(cast: Cast) -> None:
    cast.district.policy.require_2fa = True
    cast.district.policy.save()
    client = _login("official")
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.official)
    response = client.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("office:home")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.otp_enrolled").exists()


def test_wrong_code_is_refused_with_a_message(cast: Cast) -> None:
    client = _login("official")
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert response.status_code == 200
    assert "맞지 않습니다" in response.content.decode()
    assert not TOTPDevice.objects.get(user=cast.official).confirmed


def test_non_numeric_code_is_refused(cast: Cast) -> None:
    client = _login("official")
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"token": "abcdef"})
    assert "숫자 6자리" in response.content.decode()


def test_enrolled_user_must_verify_at_each_login(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    client = _login("official")
    response = client.get(reverse("office:home"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    response = client.post(reverse("accounts:otp_verify") + "?next=/office/", {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/office/"
    assert client.get(reverse("office:home")).status_code == 200


def test_verify_refuses_a_wrong_code(cast: Cast) -> None:
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    client = _login("official")
    response = client.post(reverse("accounts:otp_verify"), {"token": "123456"})
    assert response.status_code == 200
    assert client.get(reverse("office:home")).status_code == 302


def test_other_institution_without_policy_is_not_forced(cast: Cast) -> None:
    cast.district.policy.require_2fa = True
    cast.district.policy.save()
    client = _login("official_b")
    assert client.get(reverse("office:home")).status_code == 200


def test_password_alone_cannot_enrol_a_second_device(cast: Cast) -> None:
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    TOTPDevice.objects.create(user=cast.official, name="stray", confirmed=False)
    client = _login("official")
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert "secret" not in response.content.decode()


def test_confirming_a_device_removes_other_unconfirmed_ones(cast: Cast) -> None:
    client = _login("official")
    client.get(reverse("accounts:otp_setup"))
    client.get(reverse("accounts:otp_setup"))  # a second tab reuses the same pending device
    assert TOTPDevice.objects.filter(user=cast.official).count() == 1
    device = TOTPDevice.objects.get(user=cast.official)
    TOTPDevice.objects.create(user=cast.official, name="stray", confirmed=False)
    client.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert list(TOTPDevice.objects.filter(user=cast.official).values_list("confirmed", flat=True)) == [True]


def test_superusers_need_a_second_factor_when_the_setting_says_so(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STAFF_SUPERUSER_2FA = True
    cast.official_b.is_superuser = True
    cast.official_b.save()
    client = _login("official_b")
    response = client.get(reverse("office:home"))
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_password_change_requires_the_second_factor(cast: Cast) -> None:
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    client = _login("official")
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_removing_a_confirmed_device_is_audited(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    device.delete()
    entry = AuditEntry.objects.get(action="accounts.otp_device_removed")
    assert entry.target_id == str(cast.official.pk)
