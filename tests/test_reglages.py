"""What production installs: nothing the code does not use, and no demo loader."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import get_commands

RACINE = Path(__file__).resolve().parent.parent


def _applications_et_commandes(**variables: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "DJANGO_ENV"}}
    env.update(DJANGO_SETTINGS_MODULE="parchemin.settings", **variables)
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import get_commands\n"
        "print(' '.join(settings.INSTALLED_APPS)); print(' '.join(sorted(get_commands())))"
    )
    sortie = subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, "-c", script], cwd=RACINE, env=env, capture_output=True, text=True
    )
    assert sortie.returncode == 0, sortie.stderr
    return sortie.stdout


def test_production_installs_no_demo_loader() -> None:
    applications, commandes = _applications_et_commandes(
        DJANGO_ENV="production",
        SECRET_KEY="test-production-" + "k" * 50,
        ALLOWED_HOSTS="certification.example.org",
        CLES_CHIFFREMENT=Fernet.generate_key().decode(),
    ).splitlines()
    assert "parchemin.demo" not in applications.split()
    assert "demo" not in commandes.split() and "code_totp_demo" not in commandes.split()
    assert "parchemin.jurys" in applications.split() and "purger_donnees_personnelles" in commandes.split()


def test_development_and_tests_keep_the_demo_command() -> None:
    assert "parchemin.demo" in settings.INSTALLED_APPS
    assert get_commands()["demo"] == get_commands()["code_totp_demo"] == "parchemin.demo"
