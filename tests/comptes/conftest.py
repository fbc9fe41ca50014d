"""Accounts tests share allauth's cache (rate limits, used TOTP codes): start each test from a clean one,
and send e-mails to Django's in-memory outbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _cache_vide(db: None, settings: Any) -> Iterator[None]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()
