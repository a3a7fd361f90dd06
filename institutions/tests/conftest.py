from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.go.kr", "a-long-test-password")


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client
