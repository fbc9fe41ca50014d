"""Parchemin settings: one module, every deployment knob read from the environment.

Defaults give a working local instance (SQLite, console e-mail, DEBUG on). A production
deployment sets ``DJANGO_ENV=production`` plus ``SECRET_KEY``, ``ALLOWED_HOSTS`` and usually
``DATABASE_URL``; see ``docs/operations.md`` for the full list.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "oui"}:
        return True
    if lowered in {"0", "false", "no", "off", "non"}:
        return False
    raise ValueError(f"{name} doit valoir true ou false, pas {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


ENVIRONMENT = env_str("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and not os.environ.get("SECRET_KEY"):
    raise RuntimeError("SECRET_KEY doit être défini en production (DJANGO_ENV=production).")
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 32)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "parchemin.comptes.apps.ParcheminAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    # Background work: Django's Tasks API and its database backend (worker: `manage.py db_worker`).
    "django_tasks",
    "django_tasks_db",
    # Before allauth: the account e-mails (templates/account/email/) are comptes' own templates.
    "parchemin.comptes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "parchemin.journal",
    "parchemin.referentiel",
    "parchemin.territoires",
    "parchemin.partenaires",
    "parchemin.candidatures",
    "parchemin.jurys",
    "parchemin.parchemins",
    "parchemin.accrochage",
    "parchemin.statistiques",
    "parchemin.courriels",
    "parchemin.web",
    # Django's form widget templates, found by the template engine below (FORM_RENDERER).
    "django.forms",
]
if not PRODUCTION:
    # The demo data loader (`manage.py demo`, `make run`): development and tests only, so a
    # production site has no command that fills it with invented people.
    INSTALLED_APPS.append("parchemin.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "parchemin.web.en_tetes.EnTetesSecurite",
    # Static files straight from the WSGI process (compressed, cached forever by their hashed names):
    # one container serves the whole site, no separate web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "parchemin.comptes.middleware.SecretsIllisibles",
]

ROOT_URLCONF = "parchemin.urls"
WSGI_APPLICATION = "parchemin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "parchemin" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parchemin.web.context_processors.site",
                "parchemin.web.context_processors.espaces",
            ],
            # "1er mars 2026" in every template, pages and e-mails alike.
            "builtins": ["parchemin.web.templatetags.dates_fr"],
        },
    },
]

# Inputs and select lists are written in Python (same HTML as Django's templates, a fraction of the
# time); other widgets by the site's template engine, which finds Django's form templates too.
FORM_RENDERER = "parchemin.web.commun.rendu.RenduFormulaires"

# --- Database -------------------------------------------------------------------------------
# SQLite by default: WAL lets readers work while one writer commits, IMMEDIATE transactions take
# the write lock up front (no "database is locked" upgrade failures mid-transaction), and the
# timeout makes a second writer wait instead of failing.
SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "parchemin.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL")
# Persistent connections: opening one per request halves the throughput of small pages (SQLite included).
# Health checks drop a connection the database closed before it is reused. A development server on SQLite
# keeps the per-request connection, so that a test run or a shell never holds the file open.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60 if PRODUCTION or DATABASE_URL else 0)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "comptes.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests only: Argon2 is deliberately slow; the suite creates thousands of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "parchemin.comptes.backends.PermissionsParRole",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "public:accueil"
LOGOUT_REDIRECT_URL = "public:accueil"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
# Same work (password hashing) for a known address as for a new one: see comptes.inscription.
ACCOUNT_FORMS = {"signup": "parchemin.comptes.inscription.InscriptionForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Parchemin] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed sign-ins: 20 per address over every account, 5 per account from one address (the "key"
    # is account + address, comptes.adaptateur), 30 per account over every address. Behind a proxy,
    # "address" is the visitor's, from the trusted proxy settings below.
    "login_failed": "20/5m/ip,5/5m/key",
    "login_failed_compte": "30/15m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Parchemin")
MFA_RECOVERY_CODE_COUNT = 10
# Accept the code of the previous or next 30-second step too (RFC 6238 §5.2 clock drift): a code typed
# in the last second of its step is not refused. allauth's used-code record covers the whole window.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "parchemin.comptes.adaptateur.AdaptateurDoubleFacteur"
# Fernet keys encrypting TOTP secrets and recovery-code seeds at rest, comma-separated: the first
# encrypts, all decrypt (rotation). Empty outside production means a key derived from SECRET_KEY;
# production refuses to start without one (comptes.apps). See docs/operations.md.
CLES_CHIFFREMENT = env_list("CLES_CHIFFREMENT")
# Collect the holders' NIR for the CDC flux 1.1.5 (encrypted with CLES_CHIFFREMENT, see docs/accrochage.md).
ACCROCHAGE_NIR = env_bool("ACCROCHAGE_NIR", False)
# Accounts (issue 3): allauth keeps rate-limit counters and used TOTP codes in the cache, so it must
# be shared by every worker process; the table is created by migration comptes.0003.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "parchemin_cache",
    },
    # Public pages rendered for visitors without a session (parchemin.pages_publiques). The version of
    # the public data lives in the database, in a table of its own, written in the same transaction as
    # the data; the pages themselves stay in each worker's memory (a miss writes nothing to the
    # database, which SQLite would serialise), at most PAGES_EN_MEMOIRE of them (≈ 30 KB each).
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "parchemin_cache_pages",
    },
    "pages-locales": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages-publiques",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGES_EN_MEMOIRE", 1000)},
    },
}
DEMO_EMAIL_DOMAINE = "demo.parchemin.localhost"
ACCOUNT_ADAPTER = "parchemin.comptes.adaptateur.AdaptateurCompte"

# Messages often name the person or the file they concern: kept in the server-side session, never in
# a cookie the browser stores (the default cookie storage would put them there in clear).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Parchemin <ne-pas-repondre@parchemin.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work ------------------------------------------------------------------------
# Parchemin issuance and jury planning are tasks of Django's Tasks API (`django-tasks` backport): the
# web process records them in the database (table of `django_tasks_db`) and one command runs them,
# `manage.py db_worker` (started by `make run` beside the server, a container of compose.yaml in
# production). Several workers may run at once: each task is claimed by one only. See
# docs/operations.md, « Tâches de fond ».
TASKS = {"default": {"BACKEND": env_str("TACHES_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Jury planning ---------------------------------------------------------------------------
# The CP-SAT solver may take a minute: planning requests are recorded and solved by the worker,
# outside the HTTP request (task `jurys.taches.traiter_demande`). See docs/jurys.md.
PLANIFICATION_TEMPS_MAX_SECONDES = env_int("PLANIFICATION_TEMPS_MAX_SECONDES", 60)

# Parchemins: the Ed25519 key that signs the credentials (never stored in the database). Either the
# key itself (PEM, or Multikey "z3u2...") or a file; outside production a missing file is generated.
# Keys of earlier rotations stay published (public part only) so old credentials keep verifying.
PARCHEMINS_CLE = env_str("PARCHEMINS_CLE")
PARCHEMINS_CLE_FICHIER = env_str(
    "PARCHEMINS_CLE_FICHIER", "" if PRODUCTION else str(BASE_DIR / "var" / "cles" / "parchemins-ed25519.pem")
)
PARCHEMINS_CLES_RETIREES = env_list("PARCHEMINS_CLES_RETIREES")
# Printed under "Pour <certificateur>," on every parchemin: the person in charge and their role.
PARCHEMINS_SIGNATAIRE = env_str("PARCHEMINS_SIGNATAIRE", "La direction de la certification")
# Public verification (page, share link, API): requests per minute and client address.
PARCHEMINS_VERIFICATIONS_PAR_MINUTE = env_int("PARCHEMINS_VERIFICATIONS_PAR_MINUTE", 30)
# A request still "en cours" after this long lost its worker (crash, restart): it is marked failed.
PLANIFICATION_ABANDON_SECONDES = env_int("PLANIFICATION_ABANDON_SECONDES", 900)

# --- Seal of the final jury PV (PAdES, pyHanko) ------------------------------------------------
# PEM private key and certificate of the certificateur's seal (may be one file). Outside production a
# self-signed seal is generated at the default path when missing; in production a missing seal
# refuses to finalise a PV. See docs/operations.md, "Cachet des PV".
CACHET_PV_CLE = env_str("CACHET_PV_CLE", str(BASE_DIR / "var" / "cachet" / "cachet-pv.pem"))
CACHET_PV_CERTIFICAT = env_str("CACHET_PV_CERTIFICAT", CACHET_PV_CLE)
CACHET_PV_MOT_DE_PASSE = env_str("CACHET_PV_MOT_DE_PASSE", "")
CACHET_PV_AUTOGENERE = env_bool("CACHET_PV_AUTOGENERE", not PRODUCTION)
CACHET_PV_NOM = env_str("CACHET_PV_NOM", "La Coopérative des Tiers-Lieux")
# Certificates of earlier seals (PEM paths, comma-separated): PVs sealed before a renewal still verify.
CACHET_PV_CERTIFICATS_ANTERIEURS = env_list("CACHET_PV_CERTIFICATS_ANTERIEURS")

# --- Retention of personal data (GDPR) --------------------------------------------------------
# Months, counted from the event that closes a file; see docs/candidatures.md, "Conservation".
# Appeal window after the jury's decision, then the archive period before working files go.
CONSERVATION_RECOURS_MOIS = env_int("CONSERVATION_RECOURS_MOIS", 2)
CONSERVATION_ARCHIVE_MOIS = env_int("CONSERVATION_ARCHIVE_MOIS", 12)
# Not admissible or withdrawn: anonymised this long after the decision or the withdrawal.
CONSERVATION_NON_ADMIS_MOIS = env_int("CONSERVATION_NON_ADMIS_MOIS", 6)
# A draft (or an incomplete file) nobody touched for this long is closed and anonymised.
CONSERVATION_BROUILLON_MOIS = env_int("CONSERVATION_BROUILLON_MOIS", 12)
# Outgoing e-mails (names, addresses, decisions in their text) once sent, or given up on: deleted
# this long after their last attempt; the audit journal keeps the fact that each action happened.
CONSERVATION_COURRIELS_MOIS = env_int("CONSERVATION_COURRIELS_MOIS", 3)
for _nom in (
    "CONSERVATION_RECOURS_MOIS",
    "CONSERVATION_ARCHIVE_MOIS",
    "CONSERVATION_NON_ADMIS_MOIS",
    "CONSERVATION_BROUILLON_MOIS",
    "CONSERVATION_COURRIELS_MOIS",
):
    if globals()[_nom] < 0:
        raise ValueError(f"{_nom} : un nombre de mois positif ou nul, pas {globals()[_nom]}")

# --- Files ----------------------------------------------------------------------------------
# Media go through Django's storage API only, so a deployment can swap the backend (for example
# an S3-compatible object store) with DJANGO_STORAGE_BACKEND and DJANGO_STORAGE_OPTIONS (JSON).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Ed25519 key signing the audit journal's checkpoints (journal.ancrage), never in the database: a PEM
# in JOURNAL_CLE_ANCRAGE, or a PEM file (created on first use outside production). docs/operations.md.
JOURNAL_CLE_ANCRAGE = env_str("JOURNAL_CLE_ANCRAGE")
JOURNAL_CLE_ANCRAGE_FICHIER = Path(
    env_str("JOURNAL_CLE_ANCRAGE_FICHIER", str(BASE_DIR / "var" / "cle-ancrage-journal.pem"))
)
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_URL = "/static/"
# WhiteNoise serves STATIC_ROOT (filled by `collectstatic` in production); in development it finds the
# files in the apps directly, as runserver does, and the empty folder only keeps it from warning.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": env_str("DJANGO_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(env_str("DJANGO_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The visitor's address, on which sign-in limits are counted: behind the TLS proxy every request
# comes from the proxy, so the address is read from X-Forwarded-For, as many hops from the end as
# there are proxies we run (the client can prepend anything; only our proxies append), or from a
# header a trusted proxy sets (X-Real-IP, CF-Connecting-IP...). Never trust either without a proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None
CSRF_FAILURE_VIEW = "parchemin.web.errors.csrf_failure"

# Strict CSP: no inline script or style anywhere; every asset is served from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}
