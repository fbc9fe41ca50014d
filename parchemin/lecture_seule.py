"""The read-only Django admin: records that change only through the services (and so the audit
journal) are shown there, never added, edited or deleted. Foundation layer: every app's admin uses it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db import models
from django.http import HttpRequest


class LectureSeuleAdmin:
    """Mixin placed before ``admin.ModelAdmin``: the admin must not be a side door around the services."""

    # The admin builds a form even to display a record; links are https by default (Django 6's default).
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
