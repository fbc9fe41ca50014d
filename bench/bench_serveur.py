"""Benchmark of production serving: the demo served by gunicorn (deploy/gunicorn.conf.py) with production
settings (DEBUG off, WhiteNoise, persistent connections), loaded by wrk on 127.0.0.1.

For each page it prints requests/s, p50 and p99 latency and the non-2xx answers, then the throughput of
each page as a ratio to the trivial page (the legal notice: the site's layout and nothing else), all
measured in one run on the same server. Goals of the performance issue: ≥ 0.5 for the certification page
and ≥ 0.33 for the catalogue search. Those pages are kept in the public pages' cache for visitors without
a session (parchemin.web.public.cache): the first rows measure a page asked for again, as a popular
address is; the last three rows measure the same pages when every request has an address of its own
(a parameter the view ignores), so that each one is computed, as the long tail of searches is. What the
worker keeps of the sessions it has shown (their rows, result cards and JSON-LD, until the public data
changes) stays kept, as on any running server: on the demo every session has been shown before, so
those rows measure a new search over known sessions; bench_catalogue.py measures them cold.
The LHÉO export is rate-limited for anonymous visitors: its
non-2xx count says how many requests the limit refused.

Needs wrk (Debian package `wrk`) and a database with the demo (`make demo`; `DATABASE_URL=…` for
PostgreSQL). Nothing is asserted: the figures depend on the machine, whose load is printed with them.

    .venv/bin/python bench/bench_serveur.py [--duree 10] [--connexions 8] [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent

PAGES = (
    ("page triviale (mentions légales)", "/mentions-legales/"),
    ("page de la certification", "/certifications/rs5142/"),
    ("recherche du catalogue (mots fréquents)", "/certifications/rs5142/ou-suivre/?q=tiers+lieu"),
    ("recherche du catalogue (lieu)", "/certifications/rs5142/ou-suivre/?commune=Bordeaux"),
    ("export LHÉO", "/certifications/rs5142/ou-suivre/lheo.xml"),
)
# The same pages when no visitor asked for the same address before (the public pages' cache misses
# every time): a parameter the view ignores, different on every request (SANS_CACHE below).
PAGES_SANS_CACHE = (
    ("certification, calculée à chaque requête", "/certifications/rs5142/?"),
    ("recherche (mots fréquents), calculée à chaque requête", "/certifications/rs5142/ou-suivre/?q=tiers+lieu&"),
    ("recherche (lieu), calculée à chaque requête", "/certifications/rs5142/ou-suivre/?commune=Bordeaux&"),
)
# wrk script: each request adds `essai=<thread>-<n>` to the path, so that no two requests share an address.
SANS_CACHE = """
local fils = 0
function setup(thread)
  fils = fils + 1
  thread:set("fil", fils)
end
local n = 0
function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. "essai=" .. fil .. "-" .. n)
end
"""

# A code of the demo's parchemins (the verification endpoint checks the signature on every request).
LIRE_CODE = (
    "from parchemin.parchemins.models import Parchemin; "
    "print(Parchemin.objects.filter(statut='EMIS').values_list('code_verification', flat=True).first() or '')"
)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environnement(port: int, statiques: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="bench-" + os.urandom(24).hex(),
        CLES_CHIFFREMENT=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="false",
        # The demo's parchemins were signed with the development key; the limit would refuse a load test.
        PARCHEMINS_CLE_FICHIER=str(RACINE / "var" / "cles" / "parchemins-ed25519.pem"),
        PARCHEMINS_VERIFICATIONS_PAR_MINUTE="1000000000",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=statiques,
        LOG_LEVEL="ERROR",
    )
    return env


def attendre(url: str, secondes: float = 60) -> None:
    fin = time.monotonic() + secondes
    while time.monotonic() < fin:
        try:
            with urllib.request.urlopen(url, timeout=5) as reponse:  # noqa: S310 (loopback only)
                if reponse.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"le serveur ne répond pas sur {url}")


def mesurer(url: str, duree: int, connexions: int, script: str | None = None) -> dict[str, float]:
    options = ["-s", script] if script else []
    sortie = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connexions}", f"-d{duree}s", "--latency", *options, url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latence(pourcentile: str) -> float:
        trouve = re.search(rf"^\s+{pourcentile}%\s+([\d.]+)(us|ms|s)\s*$", sortie, re.M)
        if not trouve:
            return float("nan")
        valeur, unite = float(trouve.group(1)), trouve.group(2)
        return valeur / 1000 if unite == "us" else valeur * 1000 if unite == "s" else valeur

    debit = re.search(r"Requests/sec:\s+([\d.]+)", sortie)
    refus = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", sortie)
    total = re.search(r"(\d+) requests in", sortie)
    return {
        "rps": float(debit.group(1)) if debit else 0.0,
        "p50": latence("50"),
        "p99": latence("99"),
        "refus": float(refus.group(1)) if refus else 0.0,
        "total": float(total.group(1)) if total else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duree", type=int, default=10, help="secondes de charge par page")
    parser.add_argument("--connexions", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="workers gunicorn (2 par cœur)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk est introuvable : apt-get install wrk")

    python = sys.executable
    port = port_libre()
    with tempfile.TemporaryDirectory() as statiques:
        env = environnement(port, statiques)
        code = subprocess.run(  # noqa: S603
            [python, "manage.py", "shell", "-c", LIRE_CODE],
            cwd=RACINE,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        # Django's shell announces its automatic imports before the script's own output: keep the last line.
        code = code.splitlines()[-1].strip() if code else ""
        pages = PAGES + (
            (("vérification d'un parchemin (API, par code)", f"/verifier/api/?code={code}"),) if code else ()
        )
        subprocess.run(  # noqa: S603
            [python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=RACINE, env=env, check=True
        )
        serveur = subprocess.Popen(  # noqa: S603
            [
                python,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--access-logfile",
                "/dev/null",
                "parchemin.wsgi:application",
            ],
            cwd=RACINE,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            attendre(base + PAGES[0][1])
            for _, chemin in pages:  # warm every worker's caches and connections before measuring
                mesurer(base + chemin, 1, args.connexions)
            charge = " / ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"gunicorn {args.workers} workers, wrk {args.connexions} connexions, {args.duree} s par page")
            print(f"charge de la machine avant mesure (load average 1/5/15 min) : {charge}")
            resultats = [(nom, mesurer(base + chemin, args.duree, args.connexions)) for nom, chemin in pages]
            script = Path(statiques) / "sans-cache.lua"
            script.write_text(SANS_CACHE)
            resultats += [
                (nom, mesurer(base + chemin, args.duree, args.connexions, str(script)))
                for nom, chemin in PAGES_SANS_CACHE
            ]
        finally:
            serveur.terminate()
            serveur.wait(timeout=30)
    reference = resultats[0][1]["rps"] or 1.0
    print(f"{'page':54} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'ratio':>6}")
    for nom, r in resultats:
        print(
            f"{nom:54} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {int(r['refus']):8d} {r['rps'] / reference:6.2f}"
        )
    print(f"charge de la machine après mesure : {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
