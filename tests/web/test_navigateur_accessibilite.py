"""Every page a visitor can reach, for every role, in a real Chromium: RGAA / WCAG 2.1 AA.

The world is the demo (candidates in every state, partners and sessions, a signed PV, a convened
jury). For each role (one test per role, so that the test workers share them) the test signs in,
crawls the site breadth-first from the role's home page by following same-origin links, and audits
every HTML page: no server error, ``lang="fr"``, a title, exactly one ``h1``, no template syntax
(``{#``, ``{%``, ``{{``) in the HTML and no axe-core violation (which includes form controls without
an accessible name). All defects are collected and reported together. Then three key forms are
walked with the keyboard alone: every control is reached with Tab and shows where the focus is; sent
with a mistake, the page showing the errors passes the same audit.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import Error as ErreurPlaywright

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.comptes.models import User
from parchemin.jurys.enums import StatutSession
from parchemin.jurys.models import Passage, SessionJury
from tests.browser_helpers import violations_axe
from tests.comptes.outils import connecter, partager_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PAR_ROLE = 40
# Pages opened only to follow their links (audited by another role's crawl) count against this bound.
PAGES_OUVERTES_PAR_ROLE = 60
# Detail pages of one URL pattern share a template: two samples per pattern (objects in different
# states render different sections) keep the crawl broad instead of deep in one list.
PAGES_PAR_MOTIF = 2
FICHIERS = (".pdf", ".csv", ".xlsx", ".xml", ".json", ".ics")
DECONNEXION = "/comptes/logout/"
MARQUES_GABARIT = ("{#", "{%", "{{")
ADMIN = "/admin/"

# role → (local part of the demo login, or None when anonymous; home page; other pages to start from,
# here the error pages no link leads to)
ROLES: dict[str, tuple[str | None, str, tuple[str, ...]]] = {
    "anonyme": (None, "/", ("/page-introuvable/",)),
    "candidat": ("candidat", "/candidat/", ("/gestion/",)),
    "admin_partenaire": ("admin-partenaire", "/partenaire/", ()),
    "membre_jury": ("jury", "/jury/", ()),
    "gestionnaire": ("gestionnaire", "/gestion/", ()),
    "administrateur": ("administrateur", "/gestion/", ()),
}


@dataclass(frozen=True)
class Defaut:
    role: str
    page: str
    regle: str
    cible: str

    def __str__(self) -> str:
        return f"{self.page} [{self.role}] {self.regle} : {self.cible}"


@pytest.fixture
def demo(demo_chargee: Any) -> None:
    """The demo world (a copy of it after the first load in this process: tests/conftest.py)."""


def _compte(local: str) -> User:
    return User.objects.get(email=f"{local}@{settings.DEMO_EMAIL_DOMAINE}")


@pytest.fixture
def onglet(browser: Any, live_server: Any) -> Iterator[Any]:
    """Opens a browser tab for a role: signed in by the test helper (TOTP step done) or anonymous."""
    contextes: list[Any] = []

    def ouvrir(local: str | None) -> Any:
        # A phone's width: every page is audited as most visitors would see it, and must not be wider.
        contexte = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=LARGEUR_TELEPHONE)
        contextes.append(contexte)
        if local is not None:
            client = connecter(Client(), _compte(local))
            partager_session(contexte, client, live_server.url)
        return contexte.new_page()

    yield ouvrir
    for contexte in contextes:
        contexte.close()


def _motif(chemin: str) -> str:
    try:
        return resolve(chemin).route
    except Resolver404:
        return chemin


def _a_suivre(chemin: str) -> bool:
    if chemin.startswith(DECONNEXION) or chemin.lower().endswith(FICHIERS):
        return False
    return not (chemin.startswith(ADMIN) and chemin != ADMIN)


LARGEUR_TELEPHONE = {"width": 360, "height": 800}
# A page wider than the window scrolls sideways (WCAG 1.4.10, reflow): the first element that juts
# out is named (a badge kept on one line, a long e-mail address in a grid column…).
DEBORDEMENT = """() => {
    const largeur = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= largeur) return null;
    const fautif = Array.from(document.querySelectorAll('body *')).find(
        (el) => el.children.length === 0 && el.getBoundingClientRect().right > largeur + 1);
    const nom = fautif ? fautif.tagName.toLowerCase() + '.' + fautif.className + ' « '
        + fautif.textContent.trim().slice(0, 50) + ' »' : 'page';
    return document.documentElement.scrollWidth + ' px pour ' + largeur + ' : ' + nom;
}"""


def _auditer(page: Any, role: str, chemin: str, statut: int) -> list[Defaut]:
    defauts = []

    def defaut(regle: str, cible: str) -> None:
        defauts.append(Defaut(role, chemin, regle, cible))

    if statut >= 500:
        defaut("statut", str(statut))
    structure = page.evaluate(
        """() => ({
            lang: document.documentElement.getAttribute('lang'),
            titre: document.title.trim(),
            h1: document.querySelectorAll('h1').length,
        })"""
    )
    if structure["lang"] != "fr":
        defaut("html-lang", repr(structure["lang"]))
    if not structure["titre"]:
        defaut("title", "aucun titre")
    if structure["h1"] != 1:
        defaut("h1", f"{structure['h1']} titres de niveau 1")
    # A template comment written over several lines ({# … #} is single-line only) or a tag typo reaches
    # the page as text: no rendered page carries template syntax.
    html = page.content()
    for marque in MARQUES_GABARIT:
        if marque in html:
            debut = html.index(marque)
            defaut("gabarit", f"« {marque} » dans la page : {html[debut : debut + 60]!r}")
    if not chemin.startswith(ADMIN):  # Django's own admin pages are not laid out by the project
        debordement = page.evaluate(DEBORDEMENT)
        if debordement:
            defaut("largeur-360", debordement)
    for violation in violations_axe(page):
        for noeud in violation["nodes"]:
            defaut(violation["id"], " ".join(map(str, noeud["target"])))
    return defauts


@dataclass
class Releve:
    """What the crawl of all roles has audited so far: each page once, two pages per URL pattern."""

    audites: set[str] = field(default_factory=set)
    par_motif: Counter[str] = field(default_factory=Counter)
    defauts: list[Defaut] = field(default_factory=list)
    # True when a role crawled in another test opens the same address: that test audits it.
    a_un_autre_role: Callable[[str], bool] = lambda adresse: False


def _explorer(page: Any, role: str, depart: str, autres: tuple[str, ...], releve: Releve) -> tuple[int, int]:
    """Breadth-first crawl from ``depart``, the role's home page (always audited). A page another
    role's crawl audits is still opened, to follow its links, but not audited again: only the
    role's header links differ, and those are audited on the role's own pages. Returns the number
    of pages opened and audited."""
    a_visiter: deque[str] = deque([depart, *autres])
    connus = {depart, *autres}
    ouvertes = audites = 0
    while a_visiter and audites < PAGES_PAR_ROLE:
        adresse = a_visiter.popleft()
        chemin = urlsplit(adresse).path
        motif = _motif(chemin)
        nouvelle = chemin not in releve.audites and releve.par_motif[motif] < PAGES_PAR_MOTIF
        a_un_autre_role = adresse != depart and nouvelle and releve.a_un_autre_role(adresse)
        a_auditer = adresse == depart or (nouvelle and not a_un_autre_role)
        if not a_auditer and not a_un_autre_role and chemin not in releve.audites:
            continue
        if ouvertes >= PAGES_OUVERTES_PAR_ROLE:
            break
        try:
            reponse = page.goto(adresse)
        except ErreurPlaywright as erreur:
            if "Download is starting" in erreur.message:  # a file served as an attachment
                continue
            raise
        if reponse is None or "text/html" not in (reponse.headers.get("content-type") or ""):
            continue
        ouvertes += 1
        arrivee = urlsplit(page.url)
        if a_auditer and (adresse == depart or arrivee.path not in releve.audites):
            releve.audites |= {chemin, arrivee.path}
            releve.par_motif[motif] += 1
            releve.defauts += _auditer(page, role, adresse, reponse.status)
            audites += 1
        if arrivee.path.startswith(ADMIN):
            continue
        for href in page.eval_on_selector_all("a[href]", "liens => liens.map(lien => lien.href)"):
            lien = urlsplit(href)
            if (lien.scheme, lien.netloc) != (arrivee.scheme, arrivee.netloc) or lien.path in connus:
                continue
            connus.add(lien.path)
            if _a_suivre(lien.path):
                a_visiter.append(lien.path + (f"?{lien.query}" if lien.query else ""))
    return ouvertes, audites


# Each role's crawl is its own test, so that the test workers take them in parallel. A page that a role
# listed before in ROLES can open too (same address, answered 200 to that role) is left to that role's
# crawl: it is opened, to follow its links, but not audited again (only the header differs, and the
# role's home page audits its header). Each crawl must audit at least this many distinct pages, so that
# a crawl stopped early by a broken link or a lost session fails.
MINIMUM_AUDITE = {
    "anonyme": 8,
    "candidat": 6,
    "admin_partenaire": 6,
    "membre_jury": 4,
    "gestionnaire": 25,
    "administrateur": 2,
}


def test_every_role_has_a_minimum_of_audited_pages() -> None:
    assert list(MINIMUM_AUDITE) == list(ROLES)


def _clients_precedents(role: str) -> list[Client]:
    clients = []
    for autre, (local, _, _) in ROLES.items():
        if autre == role:
            break
        clients.append(Client() if local is None else connecter(Client(), _compte(local)))
    return clients


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_every_role_is_accessible(demo: None, onglet: Any, role: str) -> None:
    precedents = _clients_precedents(role)
    releve = Releve(a_un_autre_role=lambda adresse: any(c.get(adresse).status_code == 200 for c in precedents))
    local, depart, autres = ROLES[role]
    ouvertes, audites = _explorer(onglet(local), role, depart, autres, releve)
    bilan = f"{role} : {ouvertes} pages ouvertes, {audites} auditées"
    assert ouvertes > 3, f"{role} : l'exploration s'est arrêtée après {ouvertes} pages"
    assert audites >= MINIMUM_AUDITE[role], bilan
    assert releve.defauts == [], "\n".join(
        [bilan, f"{len(releve.defauts)} défauts d'accessibilité :", *map(str, releve.defauts)]
    )


FOCUSABLES = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)
CONTROLES = (
    "main button:not([disabled]), main input:not([type=hidden]):not([disabled]), "
    "main select:not([disabled]), main textarea:not([disabled])"
)


# What the focused element shows: an outline (or a shadow) and, for an outline, its contrast with the
# background it is drawn on (WCAG 1.4.11, non-text contrast: 3:1 at least).
FOCUS_ACTUEL = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const rgb = (couleur) => (couleur.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => [r, g, b]
        .map((c) => c / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
        .reduce((somme, c, i) => somme + c * [0.2126, 0.7152, 0.0722][i], 0);
    let fond = [255, 255, 255];
    for (let parent = el.parentElement; parent; parent = parent.parentElement) {
        const couleur = rgb(getComputedStyle(parent).backgroundColor);
        if (couleur.length === 3 || couleur[3] > 0) { fond = couleur; break; }
    }
    const style = getComputedStyle(el);
    const contour = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const [claire, sombre] = [luminance(rgb(style.outlineColor)), luminance(fond)].sort((a, b) => b - a);
    return {
        controle: el.dataset.controle === undefined ? null
            : el.type === 'radio' ? 'radio:' + el.name : el.dataset.controle,
        nom: el.name || el.textContent.replace(/\\s+/g, ' ').trim().slice(0, 40) || el.type,
        visible: contour || style.boxShadow !== 'none',
        contraste: contour ? (claire + 0.05) / (sombre + 0.05) : null,
    };
}"""


def _parcourir_au_clavier(page: Any) -> list[str]:
    """Tab through the whole page: every element reached shows its focus with enough contrast, and
    every form control of the main content (one stop per radio group) is reached. Returns the defects."""
    controles = page.evaluate(
        """(selecteur) => Array.from(document.querySelectorAll(selecteur)).map((el, i) => {
            el.dataset.controle = String(i);
            return el.type === 'radio' ? 'radio:' + el.name : String(i);
        })""",
        CONTROLES,
    )
    assert len(controles) > 2, f"{page.url} : aucun formulaire à parcourir"
    # A date field takes several Tab stops (day, month, year, calendar button): twice the focusable
    # elements is a bound that still ends.
    arrets = 2 * page.locator(FOCUSABLES).count()
    page.locator("body").focus()
    atteints: set[str] = set()
    defauts = []
    for _ in range(arrets):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_ACTUEL)
        if focus is None:
            continue
        if focus["controle"] is not None:
            atteints.add(focus["controle"])
        if not focus["visible"]:
            defauts.append(f"{page.url} : focus invisible sur « {focus['nom']} »")
        elif focus["contraste"] is not None and focus["contraste"] < 3:
            defauts.append(f"{page.url} : focus de « {focus['nom']} » contrasté à {focus['contraste']:.1f}:1 (< 3:1)")
    for cle in sorted(set(controles) - atteints):
        defauts.append(f"{page.url} : contrôle {cle} jamais atteint avec Tab")
    return sorted(set(defauts))


def _commune_inconnue(page: Any) -> None:
    page.get_by_label("Commune ou code postal").fill("Zzyzx-sur-Mer")
    page.keyboard.press("Enter")


def _adresse_invalide(page: Any) -> None:
    page.get_by_label("E-mail").fill("pas-une-adresse")
    page.keyboard.press("Enter")


def _grille_vide(page: Any) -> None:
    page.get_by_role("button", name="Soumettre ma grille").focus()
    page.keyboard.press("Enter")


def test_key_forms_are_usable_with_the_keyboard_alone_and_their_errors_are_accessible(demo: None, onglet: Any) -> None:
    """The catalogue search, the candidate's file and a jury grid: Tab reaches every control and
    shows the focus; sent from the keyboard with a mistake, the page with its errors is accessible."""
    brouillon = Candidature.objects.get(candidat=_compte("candidat"), etat=EtatCandidature.BROUILLON)
    passage = Passage.objects.filter(
        session__statut=StatutSession.CONVOQUEE, session__membres__user=_compte("jury")
    ).first()
    assert passage is not None, "le membre de jury de la démonstration ne siège à aucune session convoquée"
    # Grids are submitted only from the session's day on: the demo's convened session is upcoming, so the
    # session is held today for this test, as on the day members fill in their grids.
    SessionJury.objects.filter(pk=passage.session_id).update(debut=timezone.now())
    formulaires = [
        ("anonyme", None, "/certifications/rs5142/ou-suivre/", _commune_inconnue),
        ("candidat", "candidat", f"/candidat/candidatures/{brouillon.pk}/dossier/", _adresse_invalide),
        ("membre_jury", "jury", f"/jury/sessions/{passage.session_id}/candidats/{passage.pk}/", _grille_vide),
    ]
    defauts: list[str] = []
    for role, local, adresse, erreur in formulaires:
        page = onglet(local)
        assert page.goto(adresse).status == 200, adresse
        defauts += _parcourir_au_clavier(page)
        with page.expect_navigation():
            erreur(page)
        assert page.locator(".errorlist, .alerte--error").count() > 0, f"{adresse} : aucune erreur affichée"
        defauts += map(str, _auditer(page, role, f"{adresse} (erreurs)", 200))
    assert defauts == [], "\n".join(defauts)
