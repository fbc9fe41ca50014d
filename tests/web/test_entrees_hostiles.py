"""Hostile input never produces a server error, and a refusal always says why in French.

Every URL pattern that accepts POST is found by walking the resolver through the permission matrix
(tests/web/matrice/): for each declared URL, a role allowed to use it posts an empty body; anything
but 405 means the view takes POST and must then survive the hostile payloads below. A refused POST
(form error, error message, 4xx) must speak French and leave every table as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.candidatures.models import Candidature
from parchemin.journal.models import EntreeJournal
from parchemin.partenaires.models import Partenaire
from tests.candidatures.factories import CandidatureFactory
from tests.candidatures.fichiers import EXE, PDF, televerse
from tests.comptes.outils import code_totp_de, connecter
from tests.web import test_permission_matrix
from tests.web.matrice import ROLES, Attendu
from tests.web.test_permission_matrix import TOUS_LES_CAS, Monde

pytestmark = pytest.mark.django_db

# The permission matrix's world: one account per role and the objects its URLs point at.
monde = test_permission_matrix.monde

VALEURS_HOSTILES: tuple[str, ...] = (
    "",
    "x" * 10_000,
    "avant\x00après",
    "\u202egpj.exe\u200b\u0007\u001b[31m\ufeff",
    "' OR 1=1 --",
    '"',
    "*",
    "NEAR(",
    '"tiers" NEAR("lieu" AND',
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "²",
    "2026-02-30",
    "0000-01-01",
    "99999-01-01",
    "987654321",
)

PARAMETRES_GET = {
    "page": ("-1", "abc", "99999", "0"),
    "tri": ("<script>", "__class__"),
    "q": ("' OR 1=1 --", "NEAR(", "\x00", "x" * 10_000),
    "du": ("2026-02-30", "0001-01-01", "99999-01-01"),
    "au": ("0001-01-01", "9999-12-31"),
}

# Every filter of a list page at once: the values that reach the database or a date computation.
VALEURS_HOSTILES_GET = ("x" * 10_000, "avant\x00après", "' OR 1=1 --", "NEAR(", "-99999999999999999999", "0000-01-01")

# Words of Django's untranslated messages and default error pages: none may reach a French user.
ANGLAIS = re.compile(
    r"\b(the|this|field|enter a|is required|ensure|please|select a|not allowed|bad request|forbidden|"
    r"not found|server error|invalid|must be|does not exist)\b",
    re.IGNORECASE,
)
# Field names posted by views that have no form page of their own (the form lives on another page).
CHAMPS_POST_SEULEMENT: dict[str, tuple[str, ...]] = {
    "backoffice:candidatures_pretes_pour_jury": ("candidatures", "retour"),
    "backoffice:candidatures_import_confirmer": ("jeton", "seulement_valides"),
    "backoffice:candidature_recevabilite": ("decision", "motif", "pieces_manquantes"),
    "backoffice:candidature_derogation": ("motif",),
    "backoffice:habilitation_etat": ("action", "motif"),
    "backoffice:habilitation_convention": ("fichier",),
    "backoffice:habilitations_envoi": ("envoye_le",),
    "backoffice:partenaire_contact": ("nom", "fonction", "email", "telephone"),
    "backoffice:contact_retirer": ("confirmer",),
    "backoffice:jurys_planification_accepter": ("confirmer",),
    "backoffice:jurys_planification_modifier_session": ("session-1-date", "session-1-membres"),
    "backoffice:jurys_session_membres": ("membres",),
    "backoffice:jurys_session_candidats": ("candidatures",),
    "backoffice:jurys_session_convoquer": ("confirmer",),
    "backoffice:jurys_session_presences": ("presents",),
    "backoffice:jurys_session_amender": ("candidature", "decision", "unites", "motif"),
    "jury:etablir_pv": ("confirmer",),
    "partenaire:session_publication": ("publier",),
}


def _champs_prefixes(nom: str, kwargs: dict[str, Any]) -> tuple[str, ...]:
    """Jury forms carry the passage in their prefix."""
    if nom == "jury:presence":
        return (f"p{kwargs['passage_pk']}-presence",)
    if nom == "jury:deliberer":
        passage = kwargs["passage_pk"]
        return (f"d{passage}-decision", f"d{passage}-unites", f"d{passage}-motif")
    return ()


class _NomsDeChamps(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.noms: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("input", "select", "textarea", "button"):
            nom = dict(attrs).get("name")
            if nom and nom != "csrfmiddlewaretoken":
                self.noms.add(nom)


def _noms_de_champs(html: str) -> set[str]:
    analyseur = _NomsDeChamps()
    analyseur.feed(html)
    return analyseur.noms


# Views whose GET answers 404 to everyone in the test world but take POST: staff upload the
# convention that the GET would download.
ROLE_POUR_POST = {"backoffice:habilitation_convention": "gestionnaire"}


def _role_autorise(cas: Attendu) -> str | None:
    if cas.nom in ROLE_POUR_POST:
        return ROLE_POUR_POST[cas.nom]
    for role in ROLES:
        if cas.issue(role) in (200, 405):
            return role
    return None


TABLES_SUIVIES = sorted(
    {
        modele._meta.db_table
        for modele in apps.get_models()
        if not modele._meta.proxy
        and modele._meta.managed
        and modele._meta.app_label not in ("sessions", "contenttypes", "admin")
    }
)


def _decompte() -> dict[str, int]:
    """Rows of every table of the project (and the accounts' tables): a refused action changes none.
    Failed sign-in attempts are journalled on purpose (comptes.audit): those entries are not writes."""
    journal = EntreeJournal._meta.db_table
    # One query for every table: this runs around each of the module's thousand requests.
    sous_requetes = [
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})"  # noqa: S608 (names from the models)
        for table in TABLES_SUIVIES
        if table != journal
    ]
    sous_requetes.append(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(journal)} WHERE action NOT LIKE 'comptes.echec%%')"  # noqa: S608
    )
    with connection.cursor() as curseur:
        curseur.execute("SELECT " + ", ".join(sous_requetes))
        valeurs = curseur.fetchone()
    return dict(zip([t for t in TABLES_SUIVIES if t != journal] + [journal], valeurs, strict=True))


def _erreurs_de_formulaire(reponse: Any) -> list[str]:
    erreurs: list[str] = []
    if reponse.context is None:
        return erreurs
    vus: set[int] = set()
    for contexte in reponse.context:
        valeurs = contexte.flatten().values() if hasattr(contexte, "flatten") else dict(contexte).values()
        for valeur in valeurs:
            if isinstance(valeur, forms.BaseForm) and id(valeur) not in vus and valeur.is_bound:
                vus.add(id(valeur))
                erreurs += [str(m) for liste in valeur.errors.values() for m in liste]
    return erreurs


def _messages(reponse: Any) -> list[tuple[int, str]]:
    """Messages this request added (not those of earlier redirects nobody followed)."""
    stockage = get_messages(reponse.wsgi_request)
    return [(m.level, str(m)) for m in stockage._queued_messages]  # type: ignore[attr-defined]


def _client(monde: Monde, role: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    user = monde.utilisateurs[role]
    if user is not None:
        connecter(client, user)
    return client


def _verifier_reponse(reponse: Any, avant: dict[str, int], contexte: str) -> None:
    """Status < 500; a refusal speaks French and wrote nothing."""
    assert reponse.status_code < 500, f"{contexte} : erreur serveur {reponse.status_code}"
    erreurs = _erreurs_de_formulaire(reponse)
    # A warning accompanies an action that was done (jury no longer conforming, import rows held back);
    # a refusal is an error message, a form error or a 4xx.
    messages_erreur = [texte for niveau, texte in _messages(reponse) if niveau >= constants.ERROR]
    refus = reponse.status_code >= 400 or bool(erreurs) or bool(messages_erreur)
    if not refus:
        return
    textes = erreurs + messages_erreur
    if reponse.status_code >= 400 and not textes:
        corps = reponse.content.decode(errors="replace")
        assert 'lang="fr"' in corps or reponse.status_code == 405, f"{contexte} : page {reponse.status_code} muette"
        textes = [re.sub(r"<[^>]+>", " ", corps)[:2000]] if reponse.status_code != 405 else []
    for texte in textes:
        anglais = ANGLAIS.search(texte)
        assert anglais is None, f"{contexte} : message en anglais ({anglais.group(0)!r}) : {texte[:200]}"
    apres = _decompte()
    ecarts = {k: (avant[k], apres[k]) for k in avant if avant[k] != apres[k]}
    assert ecarts == {}, f"{contexte} : refus qui a écrit quand même : {ecarts} ({textes[:3]})"


# --- Discovery ---------------------------------------------------------------------------------

CAS_AUTORISES = [cas for cas in TOUS_LES_CAS if _role_autorise(cas) is not None]
TIERS = ("admin:", "account_", "mfa_")
CAS_D_AUTRUI = [
    cas
    for cas in TOUS_LES_CAS
    if _role_autorise(cas) is None and cas.kwargs is not None and not cas.nom.startswith(TIERS)
]


def _preparer(cas: Attendu, monde: Monde) -> tuple[str, dict[str, Any], str, Client]:
    role = _role_autorise(cas)
    assert role is not None
    kwargs = cas.kwargs(monde) if cas.kwargs else {}
    return reverse(cas.nom, kwargs=kwargs), kwargs, role, _client(monde, role)


def _champs(cas: Attendu, client: Client, url: str, kwargs: dict[str, Any]) -> set[str]:
    champs = set(CHAMPS_POST_SEULEMENT.get(cas.nom, ())) | set(_champs_prefixes(cas.nom, kwargs))
    page = client.get(url)
    if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
        champs |= _noms_de_champs(page.content.decode())
    return champs


def _accepte_post(client: Client, url: str) -> bool:
    return client.post(url).status_code != 405


@pytest.mark.parametrize("cas", CAS_AUTORISES, ids=lambda c: c.nom)
def test_hostile_posts_never_crash_and_refusals_write_nothing(cas: Attendu, monde: Monde) -> None:
    url, kwargs, role, client = _preparer(cas, monde)
    avant = _decompte()
    vide = client.post(url)
    if vide.status_code == 405:
        return  # a GET-only view: test_hostile_query_strings covers it
    _verifier_reponse(vide, avant, f"POST vide {url} ({role})")
    champs = _champs(cas, client, url, kwargs)
    for valeur in VALEURS_HOSTILES:
        avant = _decompte()
        reponse = client.post(url, {champ: valeur for champ in champs})
        _verifier_reponse(reponse, avant, f"POST {url} ({role}) champs={sorted(champs)} valeur={valeur[:30]!r}")
    # Several values for one name, as a forged form would send.
    avant = _decompte()
    reponse = client.post(url, {champ: ["987654321", "-1", "abc"] for champ in champs})
    _verifier_reponse(reponse, avant, f"POST {url} ({role}) valeurs multiples")


# Machine endpoints that take a POST without cookies and change nothing: CSRF has nothing to protect.
SANS_CSRF = {"public:parchemin_verifier_api"}


@pytest.mark.parametrize("cas", CAS_AUTORISES, ids=lambda c: c.nom)
def test_a_post_without_csrf_token_gets_the_french_403_page(cas: Attendu, monde: Monde) -> None:
    url, _, role, sans_csrf = _preparer(cas, monde)
    if not _accepte_post(sans_csrf, url) or cas.nom.startswith("admin:") or cas.nom in SANS_CSRF:
        # GET-only views; the admin's own views are covered by one sample below.
        return
    client = _client(monde, role, csrf=True)
    avant = _decompte()
    reponse = client.post(url, {"x": "1"})
    assert reponse.status_code == 403, f"{url} ({role}) : {reponse.status_code}"
    assert "Le formulaire a expiré" in reponse.content.decode()
    assert _decompte() == avant


def test_the_admin_refuses_a_post_without_csrf_token_in_french(monde: Monde) -> None:
    client = _client(monde, "administrateur", csrf=True)
    reponse = client.post(reverse("admin:comptes_user_add"), {"email": "x@example.org"})
    assert reponse.status_code == 403
    assert "Le formulaire a expiré" in reponse.content.decode()


@pytest.mark.parametrize("cas", CAS_D_AUTRUI, ids=lambda c: c.nom)
def test_posting_to_another_persons_object_is_refused_without_writing(cas: Attendu, monde: Monde) -> None:
    assert cas.kwargs is not None
    url = reverse(cas.nom, kwargs=cas.kwargs(monde))
    for role in ROLES:
        if cas.issue(role) not in (403, 404):
            continue
        client = _client(monde, role)
        avant = _decompte()
        reponse = client.post(url, {"motif": "' OR 1=1 --", "publier": "1", "voie": "EXPERIENCE"})
        assert reponse.status_code in (403, 404, 405), f"{url} ({role}) : {reponse.status_code}"
        assert _decompte() == avant


@pytest.mark.parametrize("cas", CAS_AUTORISES, ids=lambda c: c.nom)
def test_hostile_query_strings_never_crash(cas: Attendu, monde: Monde) -> None:
    url, _, role, client = _preparer(cas, monde)
    page = client.get(url)
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        return
    champs = set(PARAMETRES_GET) | _noms_de_champs(page.content.decode())
    # Django's own admin pages: their pagination is enough.
    parametres = {"page": PARAMETRES_GET["page"]} if cas.nom.startswith("admin:") else PARAMETRES_GET
    for nom, valeurs in parametres.items():
        for valeur in valeurs:
            reponse = client.get(url, {nom: valeur})
            assert reponse.status_code < 500, f"GET {url}?{nom}={valeur[:30]!r} ({role}) : {reponse.status_code}"
    if cas.nom.startswith("admin:"):
        return  # Django's own admin pages: the query-string parameters above are enough
    for valeur in VALEURS_HOSTILES_GET:
        reponse = client.get(url, {champ: valeur for champ in champs})
        assert reponse.status_code < 500, f"GET {url} tous champs={valeur[:30]!r} ({role}) : {reponse.status_code}"


def test_every_post_view_of_the_project_is_exercised(monde: Monde) -> None:
    """The discovery above must find our own POST views: if it found none, the suite tests nothing."""
    trouves = set()
    for cas in CAS_AUTORISES:
        if cas.nom.startswith(TIERS):
            continue
        # Each case builds its own objects (a jury member per session…): undone before the next one.
        with transaction.atomic():
            url, _, _, client = _preparer(cas, monde)
            if _accepte_post(client, url):
                trouves.add(cas.nom)
            transaction.set_rollback(True)
    for nom in CHAMPS_POST_SEULEMENT:
        assert nom in trouves, f"{nom} n'accepte plus POST : retirez-le de CHAMPS_POST_SEULEMENT"
    assert len(trouves) >= 30, sorted(trouves)


# --- Uploads -----------------------------------------------------------------------------------


def _televersements_hostiles() -> Iterator[tuple[str, Any]]:
    yield "exécutable renommé .pdf", televerse("dossier.pdf", EXE)
    yield "fichier vide", televerse("dossier.pdf", b"")
    yield "exécutable déclaré application/pdf", _avec_type("dossier.pdf", EXE, "application/pdf")
    yield "trop gros", televerse("dossier.pdf", PDF + b"0" * 4096)


def _avec_type(nom: str, contenu: bytes, type_mime: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nom, contenu, content_type=type_mime)


@pytest.fixture
def limites_basses(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real limits are megabytes; lowered so that "too big" costs a few kilobytes.
    monkeypatch.setattr("parchemin.candidatures.services.TAILLE_MAX_PIECE", 2048)
    monkeypatch.setattr("parchemin.partenaires.services.TAILLE_MAX_CONVENTION", 2048)
    monkeypatch.setattr("parchemin.web.commun.import_stagiaires.TAILLE_MAX_IMPORT", 2048)
    monkeypatch.setattr("parchemin.candidatures.importation.TAILLE_MAX_IMPORT", 2048)


def test_candidate_piece_uploads_are_refused_in_french(monde: Monde, limites_basses: None) -> None:
    candidature = CandidatureFactory(candidat=monde.utilisateurs["candidat"])
    client = _client(monde, "candidat")
    url = reverse("candidat:pieces", kwargs={"pk": candidature.pk})
    type_piece = _noms_options(client.get(url).content.decode(), "type_piece")[0]
    for libelle, fichier in _televersements_hostiles():
        avant = _decompte()
        reponse = client.post(url, {"type_piece": type_piece, "fichier": fichier})
        assert reponse.status_code == 200, libelle
        erreurs = _erreurs_de_formulaire(reponse)
        assert erreurs, f"{libelle} accepté"
        assert all(ANGLAIS.search(e) is None for e in erreurs), erreurs
        assert _decompte() == avant, libelle


def test_a_genuine_pdf_is_judged_by_its_content_not_by_the_declared_type(monde: Monde) -> None:
    """Browsers send odd content types (application/octet-stream…): the bytes decide, both ways."""
    candidature = CandidatureFactory(candidat=monde.utilisateurs["candidat"])
    client = _client(monde, "candidat")
    url = reverse("candidat:pieces", kwargs={"pk": candidature.pk})
    type_piece = _noms_options(client.get(url).content.decode(), "type_piece")[0]
    reponse = client.post(url, {"type_piece": type_piece, "fichier": _avec_type("projet.pdf", PDF, "text/plain")})
    assert reponse.status_code == 302
    assert candidature.pieces.count() == 1


def test_convention_uploads_are_refused_in_french(monde: Monde, limites_basses: None) -> None:
    from tests.partenaires.factories import HabilitationFactory

    habilitation = HabilitationFactory(partenaire=monde.partenaire)
    client = _client(monde, "gestionnaire")
    url = reverse("backoffice:habilitation_convention", kwargs={"pk": habilitation.pk})
    for libelle, fichier in _televersements_hostiles():
        avant = _decompte()
        reponse = client.post(url, {"fichier": fichier})
        assert reponse.status_code == 302, libelle
        erreurs = [t for niveau, t in _messages(reponse) if niveau == constants.ERROR]
        assert erreurs, f"{libelle} accepté"
        assert all(ANGLAIS.search(e) is None for e in erreurs), erreurs
        assert _decompte() == avant, libelle
    habilitation.refresh_from_db()
    assert not habilitation.convention


def test_import_files_are_refused_in_french(monde: Monde, limites_basses: None) -> None:
    from tests.partenaires.factories import SessionFormationFactory

    session = SessionFormationFactory(partenaire=monde.partenaire)
    client = _client(monde, "gestionnaire")
    url = reverse("backoffice:candidatures_import")
    fichiers = [
        ("exécutable renommé .csv", televerse("stagiaires.csv", EXE)),
        ("fichier vide", televerse("stagiaires.csv", b"")),
        ("trop gros", televerse("stagiaires.csv", b"nom_naissance;email\n" + b"a;b\n" * 2000)),
        ("PDF renommé .xlsx", televerse("stagiaires.xlsx", PDF)),
        ("octets NUL", televerse("stagiaires.csv", b"nom_naissance\x00;email\n\x00;\x00\n")),
        (
            "encodage inconnu",
            televerse("stagiaires.csv", "nom_naissance;email\n\udcff;x\n".encode(errors="surrogateescape")),
        ),
    ]
    for libelle, fichier in fichiers:
        avant = _decompte()
        reponse = client.post(url, {"session": session.pk, "fichier": fichier})
        assert reponse.status_code == 200, libelle
        corps = reponse.content.decode()
        assert reponse.context["rapport"] is None or reponse.context["rapport"].erreurs_fichier, libelle
        textes = _erreurs_de_formulaire(reponse) + list(getattr(reponse.context["rapport"], "erreurs_fichier", []))
        assert textes, f"{libelle} : aucun message ({corps[:200]})"
        assert all(ANGLAIS.search(str(t)) is None for t in textes), textes
        assert _decompte() == avant, libelle


def test_import_limits_answer_in_french_and_write_nothing(monde: Monde) -> None:
    """Files within the 2 MB upload limit that try to make the reader swell: one cell beyond the csv
    module's own limit, a row of a thousand columns, a sheet whose header holds a million cells."""
    from tests.candidatures.test_import_limites import _feuille, _xlsx_avec_feuille
    from tests.partenaires.factories import SessionFormationFactory

    session = SessionFormationFactory(partenaire=monde.partenaire)
    entete = b"nom_naissance;prenoms;sexe;date_naissance;code_pays_naissance;email\n"
    fichiers = [
        ("cellule de 140 000 caractères", televerse("s.csv", entete + b'"' + b"x" * 140_000 + b'";a\n')),
        ("cellule de 600 caractères", televerse("s.csv", entete + b"x" * 600 + b";a\n")),
        ("mille colonnes", televerse("s.csv", entete + b"a;" * 1000 + b"a\n")),
        (
            "en-tête d'un million de cellules",
            televerse("s.xlsx", _xlsx_avec_feuille(_feuille('<row r="1">' + "<c><v>1</v></c>" * 1_000_000 + "</row>"))),
        ),
    ]
    for role, url, donnees in (
        ("gestionnaire", reverse("backoffice:candidatures_import"), {"session": session.pk}),
        ("admin_partenaire", reverse("partenaire:stagiaires_import", kwargs={"pk": session.pk}), {}),
    ):
        client = _client(monde, role)
        for libelle, fichier in fichiers:
            fichier.seek(0)
            avant = _decompte()
            reponse = client.post(url, {**donnees, "fichier": fichier})
            assert reponse.status_code == 200, libelle
            textes = list(reponse.context["rapport"].erreurs_fichier)
            assert textes, f"{libelle} accepté"
            assert all(ANGLAIS.search(t) is None for t in textes), textes
            assert len(reponse.content) < 100_000, libelle
            assert _decompte() == avant, libelle


def test_an_existing_email_in_an_import_writes_nothing_into_that_account(monde: Monde) -> None:
    from tests.partenaires.factories import SessionFormationFactory

    session = SessionFormationFactory(partenaire=monde.partenaire, certification=monde.rs5142)
    client = _client(monde, "admin_partenaire")
    url = reverse("partenaire:stagiaires_import", kwargs={"pk": session.pk})
    for cible in ("candidat", "gestionnaire", "administrateur", "membre_jury"):
        compte = monde.utilisateurs[cible]
        ligne = f"Lefèvre;Hélène;F;12/04/1985;109;{compte.email.upper()}\n".encode()
        entete = b"nom_naissance;prenoms;sexe;date_naissance;code_pays_naissance;email\n"
        apercu = client.post(url, {"fichier": televerse("s.csv", entete + ligne)})
        assert apercu.status_code == 200 and apercu.context["jeton"], cible
        reponse = client.post(
            reverse("partenaire:stagiaires_import_confirmer", kwargs={"pk": session.pk}),
            {"jeton": apercu.context["jeton"]},
        )
        assert reponse.status_code == 302, cible
        assert not Candidature.objects.filter(candidat=compte).exists(), cible
    assert not Candidature.objects.exists()


def test_a_known_address_at_sign_up_gets_the_answer_of_a_new_one(monde: Monde) -> None:
    reponses = []
    for adresse in (monde.utilisateurs["gestionnaire"].email.upper(), "personne-nouvelle@example.org"):
        client = Client()
        mot_de_passe = "un-mot-de-passe-solide-9"
        reponse = client.post(
            reverse("account_signup"), {"email": adresse, "password1": mot_de_passe, "password2": mot_de_passe}
        )
        assert reponse.status_code < 500, adresse
        reponses.append((reponse.status_code, reponse.headers.get("Location")))
    assert reponses[0] == reponses[1]


@pytest.mark.parametrize(
    "entete",
    [
        {"HTTP_X_FORWARDED_FOR": "' OR 1=1 --"},
        {"HTTP_X_FORWARDED_FOR": ", , ,"},
        {"HTTP_X_FORWARDED_FOR": "999.1.1.1, ::ffff:1.2.3.4, " + "10.0.0.1, " * 500},
        {"HTTP_X_FORWARDED_FOR": "\x00"},
        {"HTTP_X_REAL_IP": "pas une adresse"},
    ],
)
def test_a_forged_proxy_header_never_crashes_sign_in(monde: Monde, settings: Any, entete: dict[str, str]) -> None:
    for proxies, en_tete_client in ((1, None), (3, None), (0, "X-Real-IP")):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
        settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = en_tete_client
        reponse = Client().post(
            reverse("account_login"), {"login": "personne@example.org", "password": "mauvais-mot"}, **entete
        )
        assert reponse.status_code in (200, 429), (proxies, en_tete_client, reponse.status_code)


def _noms_options(html: str, nom: str) -> list[str]:
    bloc = re.search(rf'<select[^>]*name="{nom}"[^>]*>(.*?)</select>', html, re.S)
    assert bloc, f"pas de liste {nom}"
    return [v for v in re.findall(r'<option value="([^"]*)"', bloc.group(1)) if v]


# --- Duplicates and another partner's ids ------------------------------------------------------


def test_applying_twice_is_refused_in_french(monde: Monde) -> None:
    client = _client(monde, "candidat")
    url = reverse("candidat:nouvelle", kwargs={"code": "rs5142"})
    # One application by experience per certification and calendar year.
    assert client.post(url, {"voie": "EXPERIENCE"}).status_code == 302
    avant = _decompte()
    reponse = client.post(url, {"voie": "EXPERIENCE"})
    _verifier_reponse(reponse, avant, "deuxième candidature")
    assert Candidature.objects.filter(candidat=monde.utilisateurs["candidat"]).count() == 1


def test_registering_the_same_partner_twice_is_refused_in_french(monde: Monde) -> None:
    client = _client(monde, "gestionnaire")
    donnees = {"nom": "Organisme B", "siret": "732 829 320 00074"}
    avant = _decompte()
    reponse = client.post(reverse("backoffice:partenaire_nouveau"), donnees)
    _verifier_reponse(reponse, avant, "SIRET déjà enregistré")
    assert _erreurs_de_formulaire(reponse), "doublon de SIRET accepté"
    assert Partenaire.objects.count() == 1


def test_a_session_of_another_partners_certification_choice_is_refused(monde: Monde) -> None:
    from tests.partenaires.factories import SessionFormationFactory

    etrangere = SessionFormationFactory()
    client = _client(monde, "gestionnaire")
    avant = _decompte()
    reponse = client.post(
        reverse("backoffice:candidatures_import"), {"session": "987654321", "fichier": televerse("a.csv", b"x")}
    )
    _verifier_reponse(reponse, avant, "session inconnue")
    assert _erreurs_de_formulaire(reponse)
    assert etrangere.pk != 987654321


# --- Property-based: free text into the richest forms --------------------------------------------

TEXTE = st.text(st.characters(codec="utf-8"), max_size=300)
HYPOTHESE = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@HYPOTHESE
@given(q=TEXTE, commune=TEXTE, prix=TEXTE, debut=TEXTE, tri=TEXTE, page=TEXTE)
def test_catalogue_search_survives_any_text(
    monde: Monde, q: str, commune: str, prix: str, debut: str, tri: str, page: str
) -> None:
    reponse = Client().get(
        reverse("public:catalogue", kwargs={"code": "rs5142"}),
        {"q": q, "commune": commune, "prix_max": prix, "debut_min": debut, "tri": tri, "page": page},
    )
    assert reponse.status_code < 500


@HYPOTHESE
@given(valeurs=st.lists(TEXTE, min_size=12, max_size=12))
def test_candidate_file_survives_any_text(monde: Monde, valeurs: list[str]) -> None:
    candidature = Candidature.objects.filter(candidat=monde.utilisateurs["candidat"]).first() or CandidatureFactory(
        candidat=monde.utilisateurs["candidat"]
    )
    client = _client(monde, "candidat")
    url = reverse("candidat:modifier", kwargs={"pk": candidature.pk})
    champs = sorted(_noms_de_champs(client.get(url).content.decode()))
    donnees = {champ: valeurs[i % len(valeurs)] for i, champ in enumerate(champs)}
    avant = _decompte()
    journal = EntreeJournal.objects.count()
    reponse = client.post(url, donnees)
    _verifier_reponse(reponse, avant, f"dossier {donnees}")
    if reponse.status_code == 302:
        assert EntreeJournal.objects.count() == journal + 1


def test_a_request_the_server_cannot_read_gets_a_french_400_page(monde: Monde) -> None:
    client = _client(monde, "gestionnaire")
    reponse = client.post(reverse("backoffice:partenaire_nouveau"), {f"champ{i}": "x" for i in range(1500)})
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert '<html lang="fr"' in contenu and "Demande illisible" in contenu


# --- One hostile field in an otherwise valid form -----------------------------------------------


class _ValeursDuFormulaire(HTMLParser):
    """The values a browser would send for the page's POST forms, as rendered (edit forms are valid)."""

    def __init__(self) -> None:
        super().__init__()
        self.valeurs: dict[str, list[str]] = {}
        self._dans_post = False
        self._select: str | None = None
        self._zone: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        nom = a.get("name") or ""
        if tag == "form":
            self._dans_post = (a.get("method") or "").lower() == "post"
        if not self._dans_post or not nom or nom == "csrfmiddlewaretoken":
            if tag == "option" and self._select and "selected" in a:
                self.valeurs.setdefault(self._select, []).append(a.get("value") or "")
            return
        if tag == "input":
            genre = (a.get("type") or "text").lower()
            if genre in ("checkbox", "radio"):
                self.valeurs.setdefault(nom, [])
                if "checked" in a:
                    self.valeurs[nom].append(a.get("value") or "on")
            elif genre not in ("submit", "button", "file"):
                self.valeurs.setdefault(nom, []).append(a.get("value") or "")
        elif tag == "select":
            self._select = nom
            self.valeurs.setdefault(nom, [])
        elif tag == "textarea":
            self._zone = nom
            self.valeurs[nom] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._zone = None
        elif tag == "form":
            self._dans_post = False

    def handle_data(self, data: str) -> None:
        if self._zone:
            self.valeurs[self._zone][-1] += data


def _valeurs_rendues(html: str) -> dict[str, list[str]]:
    analyseur = _ValeursDuFormulaire()
    analyseur.feed(html)
    return analyseur.valeurs


def _base_session_formation(monde: Monde) -> dict[str, Any]:
    return {
        "certification": str(monde.rs5142.pk),
        "intitule": "Piloter un tiers-lieu",
        "numero": "4",
        "saison": "2026-2027",
        "modalite": "DISTANCE",
        "region": "75",
        "date_debut": "2027-01-04",
        "date_fin": "2027-04-02",
        "duree_jours": "20",
        "duree_heures": "140",
        "prix": "3500",
        "financements": ["CPF"],
        "capacite": "12",
        "inscrits": "2",
        "statut": "OUVERTE",
    }


# URL name → a valid submission when the page does not carry one (creation forms).
BASES: dict[str, Any] = {
    "candidat:nouvelle": lambda m: {"voie": "EXPERIENCE"},
    "backoffice:partenaire_nouveau": lambda m: {"nom": "Organisme B", "siret": "44306184100047"},
    "backoffice:habilitation_modifier": lambda m: {"motif": "Avenant n° 1"},
    "jury:pv": lambda m: {"code": code_totp_de(m.utilisateurs["membre_jury"])},
    "backoffice:habilitation_nouvelle": lambda m: {
        "certification": str(m.rs5142.pk),
        "preparer": "on",
        "date_debut": "2026-01-01",
        "motif": "Convention 2026",
    },
    "backoffice:jurys_session_nouvelle": lambda m: {
        "regle": str(m.rs5142.regles_jury.get().pk),
        "intitule": "Jury d'automne",
        "debut": "2026-10-06T09:30",
        "duree_minutes": "240",
        "lieu": "Poitiers",
        "max_candidats": "8",
    },
    "backoffice:jurys_planification": lambda m: {
        "regle": str(m.rs5142.regles_jury.get().pk),
        "dates": "06/10/2026",
        "heure": "14:00",
        "max_candidats": "6",
        "lieu": "Poitiers",
    },
    "partenaire:session_nouvelle": _base_session_formation,
    "backoffice:partenaire_contact": lambda m: {"nom": "Camille Martin", "email": "camille@example.org"},
    "backoffice:habilitation_etat": lambda m: {"action": "suspendre", "motif": "Audit"},
    "backoffice:habilitations_envoi": lambda m: {"envoye_le": "2026-01-05"},
    "backoffice:candidature_recevabilite": lambda m: {"decision": "INCOMPLETE", "pieces_manquantes": "CV"},
}
VALEURS_CIBLEES = (
    "x" * 10_000,
    "avant\x00après",
    "\u202e\u200b\u0007",
    "' OR 1=1 --",
    "NEAR(",
    "-99999999999999999999",
    "99999999999999999999999999",
    "NaN",
    "2026-02-30",
    "99999-01-01",
    "0000-01-01",
    "987654321",
)
CAS_FORMULAIRES = [cas for cas in CAS_AUTORISES if not cas.nom.startswith(TIERS)]


def _soumission_valide(cas: Attendu, monde: Monde, client: Client, url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """What the page's forms would send as rendered, completed where the page starts empty."""
    page = client.get(url)
    base: dict[str, Any] = {}
    if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
        base = {nom: valeurs for nom, valeurs in _valeurs_rendues(page.content.decode()).items() if valeurs}
    if cas.nom in BASES:
        base |= BASES[cas.nom](monde)
    if cas.nom == "jury:presence":
        base[f"p{kwargs['passage_pk']}-presence"] = "PRESENT"
    if cas.nom == "jury:deliberer":
        base[f"d{kwargs['passage_pk']}-decision"] = "REFUS"
    return base


def _un_par_famille(champs: set[str]) -> list[str]:
    """A grid has two fields per competency (niveau_12, commentaire_12…): the first two of each family."""
    familles: dict[str, list[str]] = {}
    for champ in sorted(champs):
        familles.setdefault(re.sub(r"\d+", "#", champ), []).append(champ)
    return [champ for membres in familles.values() for champ in membres[:2]]


@pytest.mark.parametrize("cas", CAS_FORMULAIRES, ids=lambda c: c.nom)
def test_one_hostile_field_in_a_valid_form(cas: Attendu, monde: Monde) -> None:
    url, kwargs, role, client = _preparer(cas, monde)
    if not _accepte_post(client, url):
        return
    base = _soumission_valide(cas, monde, client, url, kwargs)
    champs = _un_par_famille(set(base) | _champs(cas, client, url, kwargs))
    if not champs:
        return

    # Fields × values is large: a fixed sample of pairs (derandomized, so every run sends the same).
    @settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(champ=st.sampled_from(champs), valeur=st.sampled_from(VALEURS_CIBLEES))
    def envoyer(champ: str, valeur: str) -> None:
        avant = _decompte()
        reponse = client.post(url, base | {champ: valeur})
        _verifier_reponse(reponse, avant, f"POST {url} ({role}) {champ}={valeur[:30]!r}")

    envoyer()


# --- The Django admin: every registered model's creation page ------------------------------------


def _pages_d_ajout_de_l_admin() -> list[str]:
    from django.contrib import admin

    return sorted(f"admin:{m._meta.app_label}_{m._meta.model_name}_add" for m in admin.site._registry)


@pytest.mark.parametrize("nom", _pages_d_ajout_de_l_admin())
def test_admin_creation_pages_refuse_hostile_input_in_french(nom: str, monde: Monde) -> None:
    client = _client(monde, "administrateur")
    url = reverse(nom)
    page = client.get(url)
    if page.status_code == 403:
        return  # read-only in the admin (the journal, signatures…)
    assert page.status_code == 200, f"{url} : {page.status_code}"
    champs = _noms_de_champs(page.content.decode())
    for valeur in VALEURS_HOSTILES:
        avant = _decompte()
        reponse = client.post(url, {champ: valeur for champ in champs})
        _verifier_reponse(reponse, avant, f"POST {url} valeur={valeur[:30]!r}")


@pytest.mark.parametrize("cas", CAS_FORMULAIRES, ids=lambda c: c.nom)
def test_a_valid_form_sent_twice_never_crashes(cas: Attendu, monde: Monde) -> None:
    """A double click: the second submission is either accepted again or refused in French, untouched."""
    url, kwargs, role, client = _preparer(cas, monde)
    if not _accepte_post(client, url):
        return
    base = _soumission_valide(cas, monde, client, url, kwargs)
    for _ in range(2):
        avant = _decompte()
        _verifier_reponse(client.post(url, base), avant, f"POST {url} ({role}) deux fois")
