"""Mail backends for the outbox tests: a server that is down."""

from __future__ import annotations

from collections.abc import Sequence
from smtplib import SMTPConnectError

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

EN_PANNE = "tests.courriels.serveurs.ServeurEnPanne"


class ServeurEnPanne(BaseEmailBackend):
    """Refuses every connection, like an SMTP server that is down."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPConnectError(421, "Service indisponible")
