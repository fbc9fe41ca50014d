"""Links in e-mails follow the address the site is served on: `make run PORT=8011` links to 8011."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def _sans_site_url() -> dict[str, str]:
    return {cle: valeur for cle, valeur in os.environ.items() if cle != "SITE_URL"}


def _commandes_de_make_run(env: dict[str, str], *variables: str) -> list[str]:
    make = shutil.which("make")
    assert make is not None, "make est nécessaire : c'est la commande du README (make run, make test)"
    sortie = subprocess.run(  # noqa: S603 — make from PATH in dry-run mode, fixed arguments
        [make, "--no-print-directory", "-n", "run", *variables],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ligne for ligne in sortie.splitlines() if "manage.py demo" in ligne or "manage.py runserver" in ligne]


def test_make_run_on_another_port_gives_the_demo_and_the_server_that_address() -> None:
    commandes = _commandes_de_make_run(_sans_site_url(), "PORT=8011")
    assert len(commandes) == 2
    assert all(ligne.startswith("SITE_URL='http://127.0.0.1:8011' ") for ligne in commandes), commandes
    assert commandes[1].endswith("runserver 127.0.0.1:8011")


def test_an_explicit_site_url_wins_over_the_served_address() -> None:
    commandes = _commandes_de_make_run({**_sans_site_url(), "SITE_URL": "https://certif.example.org"}, "PORT=8011")
    assert commandes and all(ligne.startswith("SITE_URL='https://certif.example.org' ") for ligne in commandes)


def test_e_mail_links_are_built_on_the_site_url_of_the_environment() -> None:
    code = "from parchemin.candidatures.notifications import lien_mot_de_passe; print(lien_mot_de_passe())"
    sortie = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=RACINE,
        env={**_sans_site_url(), "SITE_URL": "http://127.0.0.1:8011"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert sortie.strip().splitlines()[-1].startswith("http://127.0.0.1:8011/")
