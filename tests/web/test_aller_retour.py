"""Every edit form saved unchanged changes nothing.

One walk over the demo (``charger_demo``): for each edit page the permission matrix knows, as the
role that may use it, on every demo object it edits, the test GETs the page, reads each form the way
a browser would submit it (filled inputs, checked boxes and radios, selected options, textareas with
CRLF line ends, nothing for disabled controls or empty file inputs), POSTs exactly that, and
compares the database before and after. A date shown as dd/mm/yyyy in a ``type="date"`` box, a
decimal the form cannot read back, a choice or a multiple choice not pre-selected, an optional value
replaced by another: each shows up as a changed field.

Every URL of the matrix that a role may open is classified below, as an edit page (walked) or as
something else with the reason; a new URL fails ``test_every_page_of_the_matrix_is_classified``
until someone says which it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from parchemin.candidatures.enums import ETATS_MODIFIABLES_PAR_CANDIDAT
from parchemin.candidatures.models import Candidature
from parchemin.comptes.models import User
from parchemin.jurys.enums import OrigineSession
from parchemin.jurys.models import DemandePlanification, Disponibilite, MembreJury, Passage
from parchemin.jurys.planification_demandes import Parametres, demander
from parchemin.partenaires.models import Habilitation, Partenaire, SessionFormation
from parchemin.referentiel.models import RegleJury
from tests.comptes.outils import connecter
from tests.jurys.factories import candidature_prete
from tests.web.test_permission_matrix import ATTENDUS

# Apps whose rows an edit form may touch; the audit journal and the outbox are expected to grow.
APPS_COMPAREES = ("candidatures", "partenaires", "jurys", "referentiel", "comptes")


@dataclass(frozen=True)
class PageEdition:
    """An edit page: the demo login that uses it, the URL arguments of every demo object it edits,
    and the other URLs its forms post to (actions on the same record)."""

    compte: str
    objets: Callable[[], Iterable[dict[str, Any]]]
    actions: tuple[str, ...] = ()


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{settings.DEMO_EMAIL_DOMAINE}")


def _dossiers_du_candidat() -> Iterable[dict[str, Any]]:
    return [
        {"pk": c.pk}
        for c in Candidature.objects.filter(candidat=_user("candidat"), etat__in=ETATS_MODIFIABLES_PAR_CANDIDAT)
    ]


def _sessions_du_partenaire() -> Iterable[dict[str, Any]]:
    partenaires = _user("admin-partenaire").roles.values_list("partenaire_id", flat=True)
    return [
        {"pk": pk} for pk in SessionFormation.objects.filter(partenaire__in=partenaires).values_list("pk", flat=True)
    ]


def _grilles_du_membre() -> Iterable[dict[str, Any]]:
    # Juries taken over from history were held before the platform: no grid to edit in the jury space.
    passages = Passage.objects.filter(session__sieges__membre__user=_user("jury")).exclude(
        session__origine=OrigineSession.REPRISE
    )
    return [{"pk": p.session_id, "passage_pk": p.pk} for p in passages]


def _demandes_de_planification() -> Iterable[dict[str, Any]]:
    """The demo plans no jury and every file ready for one is already convened: one more file
    ready for a jury, and one request through the service (solved within the request in tests)."""
    if not DemandePlanification.objects.exists():
        candidature_prete(candidat__email="a-planifier@example.org")
        regle = RegleJury.objects.get(certification__code="RS5142")
        # The dates the demo's members said they are free, from today on.
        dates = sorted(set(Disponibilite.objects.filter(date__gte=timezone.localdate()).values_list("date", flat=True)))
        demander(
            Parametres(
                regle=regle,
                dates=dates,
                heure=datetime.time(9, 30),
                max_candidats=4,
                lieu="Bordeaux",
            ),
            acteur=_user("gestionnaire"),
        )
    return [{"pk": pk} for pk in DemandePlanification.objects.values_list("pk", flat=True)]


EDITION: dict[str, PageEdition] = {
    "candidat:modifier": PageEdition("candidat", _dossiers_du_candidat),
    "partenaire:session": PageEdition("admin-partenaire", _sessions_du_partenaire, actions=("partenaire:session",)),
    "backoffice:partenaire": PageEdition(
        "gestionnaire", lambda: [{"pk": pk} for pk in Partenaire.objects.values_list("pk", flat=True)]
    ),
    "backoffice:habilitation_modifier": PageEdition(
        "gestionnaire",
        lambda: [{"pk": pk} for pk in Habilitation.objects.values_list("pk", flat=True)],
    ),
    "jury:grille": PageEdition("jury", _grilles_du_membre),
    "backoffice:jurys_vivier_membre": PageEdition(
        "gestionnaire", lambda: [{"pk": pk} for pk in MembreJury.objects.values_list("pk", flat=True)]
    ),
    "backoffice:jurys_planification_demande": PageEdition(
        "gestionnaire",
        _demandes_de_planification,
        actions=("backoffice:jurys_planification_modifier_session",),
    ),
    "backoffice:accrochage_identifiants": PageEdition("administrateur", lambda: [{}]),
}

# Pages a role may open that edit no stored record, and why.
CREATION = "crée un nouvel objet : rien d'enregistré à relire"
LECTURE = "lecture, liste, filtre (GET) ou téléchargement : aucun formulaire d'édition"
ACTION = "une action (dépôt, retrait, import, décision) : l'envoyer n'est pas « enregistrer sans changer »"
COMPTE = "pages de compte d'allauth : mot de passe, e-mail, second facteur, jamais pré-remplis"
AUTRES: dict[str, str] = {
    "backoffice:partenaire_nouveau": CREATION,
    "backoffice:habilitation_nouvelle": CREATION,
    "backoffice:jurys_session_nouvelle": CREATION,
    "backoffice:jurys_planification": CREATION,
    "backoffice:jurys_vivier_nouveau": CREATION,
    # Presences and deliberations are recorded from the session's day only (jurys.calendrier): the
    # demo's sessions are past (PV signed) or to come, so these pages show no form to send back.
    "jury:session": "présences et délibération : formulaires ouverts le jour de la session seulement",
    "backoffice:jurys_session": "présences : formulaire ouvert le jour de la session seulement",
    "public:enquete": "un questionnaire d'enquête envoyé une fois : une réponse, pas un enregistrement à relire",
    "public:parchemin_verifier": "vérification d'un parchemin : un formulaire de recherche, rien d'enregistré",
    "partenaire:session_nouvelle": CREATION,
    "candidat:nouvelle": CREATION,
    "account_signup": CREATION,
    "backoffice:candidature": ACTION,
    "backoffice:candidatures_import": ACTION,
    "partenaire:stagiaires_import": ACTION,
    "candidat:deposer": ACTION,
    "candidat:retirer": ACTION,
    "candidat:pieces": ACTION,
    "backoffice:habilitation": ACTION,
    "jury:pv": ACTION,
    "backoffice:accrochage": "export, retrait et dépôt d'un accusé de la CDC : des actions, rien d'enregistré à relire",
    "account_login": COMPTE,
    "account_logout": COMPTE,
    "account_change_password": COMPTE,
    "account_email": COMPTE,
    "account_reauthenticate": COMPTE,
    "account_reset_password": COMPTE,
    "account_reset_password_from_key": COMPTE,
    "mfa_index": COMPTE,
    "mfa_reauthenticate": COMPTE,
    **{
        nom: LECTURE
        for nom in (
            "account_confirm_email",
            "account_email_verification_sent",
            "account_inactive",
            "account_reset_password_done",
            "account_reset_password_from_key_done",
            "backoffice:candidature_piece",
            "backoffice:candidatures_import_modele",
            "backoffice:jurys_session_pv_version_pdf",
            "backoffice:statistiques_rapport",
            "candidat:resultat",
            "backoffice:journal_entree",
            "backoffice:parchemins",
            "backoffice:statistiques",
            "backoffice:statistiques_dossiers",
            "backoffice:statistiques_export",
            "backoffice:statistiques_graphique",
            "backoffice:statistiques_graphiques",
            "partenaire:stagiaires_import_modele",
            "public:did_json",
            "public:parchemin_emetteur",
            "public:parchemin_verifier_api",
            "public:parchemin_verifier_code",
            "public:statistiques",
            "public:statistiques_csv",
            "backoffice:accrochage_a_corriger",
            "backoffice:accrochage_echeances",
            "backoffice:candidatures",
            "backoffice:candidatures_echeances",
            "backoffice:candidatures_export_csv",
            "backoffice:candidatures_export_xlsx",
            "backoffice:courriels",
            "backoffice:habilitations_export",
            "backoffice:journal",
            "backoffice:jurys_session_pv_pdf",
            "backoffice:jurys_sessions",
            "backoffice:jurys_vivier",
            "backoffice:partenaires",
            "backoffice:tableau_de_bord",
            "candidat:accueil",
            "candidat:candidature",
            "candidat:piece_fichier",
            "jury:accueil",
            "jury:piece",
            "jury:pv_pdf",
            "partenaire:accueil",
            "partenaire:attestation_fichier",
            "partenaire:candidature",
            "partenaire:candidatures",
            "public:accessibilite",
            "public:accueil",
            "public:catalogue",
            "public:catalogue_lheo",
            "public:catalogue_session",
            "public:certification",
            "public:certification_case",
            "public:mentions_legales",
        )
    },
}


def _pages_ouvertes() -> set[str]:
    return {a.nom for a in ATTENDUS if 200 in a.par_role.values() or a.defaut == 200}


def test_every_page_of_the_matrix_is_classified() -> None:
    ouvertes = _pages_ouvertes()
    assert sorted(ouvertes - set(EDITION) - set(AUTRES)) == [], "Classez ces pages dans EDITION ou AUTRES."
    assert sorted(set(EDITION) & set(AUTRES)) == []
    assert sorted((set(EDITION) | set(AUTRES)) - ouvertes) == [], "Pages classées que la matrice ne connaît pas."


# --- What a browser sends ----------------------------------------------------------------------


def _donnees_envoyees(formulaire: Any) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits for this form, pressing its first submit button."""
    donnees: list[tuple[str, str]] = []
    bouton_pris = False
    for element in formulaire.iter("input", "select", "textarea", "button"):
        nom = element.get("name")
        if element.get("disabled") is not None or any(
            parent.tag == "fieldset" and parent.get("disabled") is not None for parent in element.iterancestors()
        ):
            continue
        if element.tag == "textarea":
            texte = element.text or ""
            texte = texte.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
            if nom:
                donnees.append((nom, texte))
            continue
        if element.tag == "select":
            options = [o for o in element.iter("option") if o.get("disabled") is None]
            choisies = [o for o in options if o.get("selected") is not None]
            if not choisies and element.get("multiple") is None and options:
                choisies = options[:1]
            for option in choisies:
                valeur = option.get("value")
                donnees.append((nom, valeur if valeur is not None else (option.text or "").strip()))
            continue
        genre = (element.get("type") or ("submit" if element.tag == "button" else "text")).lower()
        if genre in ("submit", "image"):
            if not bouton_pris and nom:
                donnees.append((nom, element.get("value", "")))
            bouton_pris = True
            continue
        if not nom or genre in ("button", "reset", "file"):
            continue
        if genre in ("checkbox", "radio"):
            if element.get("checked") is not None:
                donnees.append((nom, element.get("value", "on")))
            continue
        donnees.append((nom, element.get("value", "")))
    return donnees


def _en_dict(donnees: list[tuple[str, str]]) -> dict[str, list[str]]:
    resultat: dict[str, list[str]] = {}
    for nom, valeur in donnees:
        resultat.setdefault(nom, []).append(valeur)
    return resultat


# --- The database, model by model ---------------------------------------------------------------


def _champs_compares(modele: type[models.Model]) -> list[str]:
    # Timestamps refreshed on every save say when, not what: they are left out.
    return [
        f.attname
        for f in modele._meta.concrete_fields
        if not getattr(f, "auto_now", False) and not isinstance(f, models.BinaryField)
    ]


def _etat_base() -> dict[str, dict[Any, tuple[Any, ...]]]:
    etat: dict[str, dict[Any, tuple[Any, ...]]] = {}
    for label in APPS_COMPAREES:
        for modele in apps.get_app_config(label).get_models():
            champs = _champs_compares(modele)
            etat[modele._meta.label] = {ligne[0]: ligne for ligne in modele.objects.values_list("pk", *champs)}
    for modele in apps.get_models():
        for m2m in modele._meta.local_many_to_many:
            if modele._meta.app_label in APPS_COMPAREES:
                table = m2m.remote_field.through
                etat[f"{modele._meta.label}.{m2m.name}"] = {ligne: ligne for ligne in table.objects.values_list()}
    return etat


def _ecarts(avant: dict[str, dict[Any, Any]], apres: dict[str, dict[Any, Any]]) -> list[str]:
    ecarts = []
    for modele, lignes in apres.items():
        anciennes = avant.get(modele, {})
        for pk in sorted(set(anciennes) | set(lignes), key=str):
            if anciennes.get(pk) != lignes.get(pk):
                ecarts.append(f"{modele} {pk} : {anciennes.get(pk)} → {lignes.get(pk)}")
    return ecarts


# --- The walk ------------------------------------------------------------------------------------


@pytest.fixture
def demo(demo_chargee: Any) -> None:
    """The demo world (a copy of it after the first load in this process: tests/conftest.py)."""


@pytest.mark.django_db(transaction=True)
def test_every_edit_form_saved_unchanged_changes_nothing(demo: None) -> None:
    defauts: list[str] = []
    formulaires_envoyes: dict[str, int] = {}
    for nom, edition in EDITION.items():
        client = connecter(Client(enforce_csrf_checks=True), _user(edition.compte))
        for kwargs in edition.objets():
            url = reverse(nom, kwargs=kwargs)
            page = client.get(url)
            if page.status_code != 200:
                defauts.append(f"GET {url} : {page.status_code}")
                continue
            document = lxml.html.fromstring(page.content.decode())
            for formulaire in document.iter("form"):
                if (formulaire.get("method") or "get").lower() != "post":
                    continue
                cible = urlsplit(formulaire.get("action") or url).path
                nom_cible = resolve(cible).view_name
                if nom_cible != nom and nom_cible not in edition.actions:
                    continue
                if not formulaire.xpath(".//button[not(@type) or @type='submit'] | .//input[@type='submit']"):
                    continue  # shown read-only (a submitted grid, a locked session): nothing to send
                donnees = _en_dict(_donnees_envoyees(formulaire))
                avant = _etat_base()
                reponse = client.post(cible, donnees)
                apres = _etat_base()
                formulaires_envoyes[nom] = formulaires_envoyes.get(nom, 0) + 1
                ecarts = _ecarts(avant, apres)
                if ecarts:
                    defauts.append(f"POST {cible} (depuis {url}) a changé :\n    " + "\n    ".join(ecarts))
                if reponse.status_code >= 500:
                    defauts.append(f"POST {cible} (depuis {url}) : erreur {reponse.status_code}")
                elif nom_cible == nom and reponse.status_code != 302:
                    erreurs = lxml.html.fromstring(reponse.content.decode()).xpath(
                        "//*[contains(@class, 'errorlist') or contains(@class, 'alerte--error')]"
                    )
                    textes = " | ".join(" ".join(e.text_content().split()) for e in erreurs)
                    defauts.append(f"POST {cible} refusé tel qu'affiché ({reponse.status_code}) : {textes}")
    assert defauts == [], "\n".join(defauts)
    jamais = sorted(set(EDITION) - set(formulaires_envoyes))
    assert jamais == [], f"Pages d'édition sans formulaire envoyé sur la démo : {jamais}"
