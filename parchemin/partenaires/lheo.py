"""The catalogue in LHÉO 2.2 XML, the training-offer exchange format of the Carif-Oref network.

Structure from the LHÉO 2.2 documentation (repository lheo/lheo-schema, doc/source/lheo/*.rst):
``lheo > offres > formation+``; a formation holds its actions, an action its sessions. Children
are written in the order the language defines, required ones always present, texts within the
lengths the language sets (``nom``, ``ligne``, ``ville`` 50 characters; an address has at most
four lines). We write one ``formation`` per partner and title, one ``action`` per session (place,
price and hours are action-level in LHÉO) holding its ``session``. Dates are AAAAMMJJ.

Left out: cancelled sessions, and sessions of a partner without a declaration number
(``numero-activite`` is required, exactly 11 characters).

Two required codes have no counterpart in our data: ``code-public-vise`` (a FORMACODE public
code) carries the value of the LHÉO documentation's own example, and ``code-niveau-entree`` is
0 ("information non communiquée"); check both with the Carif-Oref before a real exchange.
"""

from __future__ import annotations

import datetime
import hashlib
import textwrap
from collections.abc import Iterator
from itertools import groupby

from django.db.models import QuerySet
from django.db.models.functions import Length
from lxml import etree

from parchemin.territoires.models import Commune

from .enums import Modalite, StatutSession
from .models import Partenaire, SessionFormation

NAMESPACE = "http://www.lheo.org/2.2"
FORMACODE_VERSION = "V12"
CODE_PUBLIC_VISE = "80056"
MODALITES_ENSEIGNEMENT = {Modalite.PRESENTIEL: "0", Modalite.HYBRIDE: "1", Modalite.DISTANCE: "2"}
PARCOURS_EN_GROUPE = "1"
NIVEAU_NON_COMMUNIQUE = "0"
ENTREES_SORTIES_A_DATES_FIXES = "0"
# Longest texts the language accepts.
COURT, LIGNES_MAX, MOYEN, LONG, TRES_LONG, COURRIEL_MAX = 50, 4, 250, 255, 3000, 160


def _el(parent: etree._Element, nom: str, texte: str | None = None, **attributs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{nom}", attrib=attributs or None)
    if texte is not None:
        element.text = texte
    return element


def _texte(valeur: str, maximum: int) -> str:
    """``valeur`` on one line, cut to ``maximum`` characters (an ellipsis marks the cut)."""
    valeur = " ".join(valeur.split())
    return valeur if len(valeur) <= maximum else valeur[: maximum - 1].rstrip() + "…"


def _lignes(valeur: str) -> list[str]:
    """An address as at most four lines of at most 50 characters."""
    lignes = textwrap.wrap(" ".join(valeur.split()), COURT, break_long_words=True) or [""]
    if len(lignes) > LIGNES_MAX:
        lignes = [*lignes[: LIGNES_MAX - 1], _texte(" ".join(lignes[LIGNES_MAX - 1 :]), COURT)]
    return lignes


def _date(date: datetime.date) -> str:
    return date.strftime("%Y%m%d")


def _adresse(parent: etree._Element, ligne: str, commune: Commune | None) -> None:
    adresse = _el(parent, "adresse")
    for texte in _lignes(ligne or (commune.nom if commune else "Non communiquée")):
        _el(adresse, "ligne", texte)
    codes = [cp.code for cp in commune.codes_postaux.all()] if commune else []
    _el(adresse, "codepostal", codes[0] if codes else "00000")
    _el(adresse, "ville", _texte(commune.nom, COURT) if commune else "Non communiquée")
    if commune is not None:
        _el(adresse, "departement", commune.departement)
        _el(adresse, "code-INSEE-commune", commune.code_insee)
        _el(adresse, "region", commune.region)
        if commune.latitude is not None and commune.longitude is not None:
            geo = _el(adresse, "geolocalisation")
            _el(geo, "latitude", f"{commune.latitude:.6f}")
            _el(geo, "longitude", f"{commune.longitude:.6f}")


def _coordonnees(parent: etree._Element, partenaire: Partenaire, *, avec_adresse: bool = True) -> None:
    coordonnees = _el(parent, "coordonnees")
    _el(coordonnees, "nom", _texte(partenaire.nom, COURT))
    if avec_adresse and (partenaire.adresse or partenaire.commune):
        _adresse(coordonnees, partenaire.adresse, partenaire.commune)
    if partenaire.telephone:
        _el(_el(coordonnees, "telfixe"), "numtel", partenaire.telephone)
    if 3 <= len(partenaire.email) <= COURRIEL_MAX:
        _el(coordonnees, "courriel", partenaire.email)
    if partenaire.site_web:
        _el(_el(coordonnees, "web"), "urlweb", partenaire.site_web)


def _action(formation: etree._Element, session: SessionFormation, base_url: str) -> None:
    action = _el(formation, "action", numero=str(session.pk))
    _el(action, "rythme-formation", f"{session.duree_jours} jours, {session.duree_heures} heures")
    _el(action, "code-public-vise", CODE_PUBLIC_VISE, ref=FORMACODE_VERSION)
    _el(action, "niveau-entree-obligatoire", "0")
    _el(action, "modalites-alternance", "Sans objet")
    _el(action, "modalites-enseignement", MODALITES_ENSEIGNEMENT[Modalite(session.modalite)])
    _el(action, "conditions-specifiques", "Voir les prérequis de la certification.")
    _el(action, "prise-en-charge-frais-possible", "1" if session.financements else "0")
    lieu = _el(_el(action, "lieu-de-formation"), "coordonnees")
    _el(lieu, "nom", _texte(session.lieu or session.get_modalite_display(), COURT))
    if session.commune is not None:
        _adresse(lieu, session.lieu, session.commune)
    _el(action, "modalites-entrees-sorties", ENTREES_SORTIES_A_DATES_FIXES)
    _el(_el(action, "url-action"), "urlweb", base_url + session.get_absolute_url())
    bloc = _el(action, "session", numero=str(session.pk))
    periode = _el(bloc, "periode")
    _el(periode, "debut", _date(session.date_debut))
    _el(periode, "fin", _date(session.date_fin))
    _adresse(_el(bloc, "adresse-inscription"), session.partenaire.adresse, session.partenaire.commune)
    if session.contact_inscription or session.lien_inscription:
        modalites = " ".join(filter(None, [session.contact_inscription, session.lien_inscription]))
        _el(bloc, "modalites-inscription", _texte(modalites, LONG))
    # etat-recrutement (dict-etat-recrutement): 1 = ouvert, 2 = fermé.
    _el(bloc, "etat-recrutement", "1" if session.statut == StatutSession.OUVERTE and session.places_restantes else "2")
    _el(action, "prix-total-TTC", f"{session.prix:.2f}")
    _el(action, "nombre-heures-total", str(session.duree_heures))


def _formation(offres: etree._Element, liste: list[SessionFormation], base_url: str) -> etree._Element:
    """One ``formation``: the sessions of one partner under one title (and one certification)."""
    premiere = liste[0]
    certification = premiere.certification
    partenaire = premiere.partenaire
    intitule = premiere.intitule
    # One formation per partner and title: the title's digest keeps the number stable and distinct.
    empreinte = hashlib.sha256(intitule.encode()).hexdigest()[:8]
    formation = _el(offres, "formation", numero=f"{partenaire.pk}-{certification.code}-{empreinte}")
    _el(formation, "domaine-formation")
    _el(formation, "intitule-formation", _texte(intitule, LONG))
    _el(formation, "objectif-formation", _texte(certification.objectifs or certification.intitule, TRES_LONG))
    resultats = f"Certification {certification.code} « {certification.intitule} »"
    _el(formation, "resultats-attendus", _texte(resultats, TRES_LONG))
    _el(formation, "contenu-formation", _texte(premiere.description or intitule, TRES_LONG))
    _el(formation, "certifiante", "1")
    _coordonnees(_el(formation, "contact-formation"), partenaire, avec_adresse=False)
    _el(formation, "parcours-de-formation", PARCOURS_EN_GROUPE)
    _el(formation, "code-niveau-entree", NIVEAU_NON_COMMUNIQUE)
    for session in liste:
        _action(formation, session, base_url)
    responsable = _el(formation, "organisme-formation-responsable")
    _el(responsable, "numero-activite", partenaire.numero_declaration_activite)
    _el(_el(responsable, "SIRET-organisme-formation"), "SIRET", partenaire.siret)
    _el(responsable, "nom-organisme", _texte(partenaire.nom, MOYEN))
    _el(responsable, "raison-sociale", _texte(partenaire.nom, MOYEN))
    _coordonnees(_el(responsable, "coordonnees-organisme"), partenaire)
    _coordonnees(_el(responsable, "contact-organisme"), partenaire, avec_adresse=False)
    extras = _el(formation, "extras", info="certification")
    _el(extras, "extra", certification.code, info=f"code-{certification.registre}")
    return formation


def _cle(session: SessionFormation) -> tuple[int | None, int | None, str]:
    return (session.partenaire_id, session.certification_id, session.intitule)


def exportables(sessions: QuerySet[SessionFormation]) -> QuerySet[SessionFormation]:
    """What LHÉO can carry, filtered by the database: sessions still held, by a partner with its
    declaration number (``numero-activite`` is exactly 11 characters); in the order formations are written."""
    return (
        sessions.exclude(statut=StatutSession.ANNULEE)
        .annotate(longueur_numero_activite=Length("partenaire__numero_declaration_activite"))
        .filter(longueur_numero_activite=11)
        .order_by("partenaire_id", "certification_id", "intitule", "date_debut", "pk")
    )


DEBUT_FLUX = f"<?xml version='1.0' encoding='utf-8'?>\n<lheo xmlns=\"{NAMESPACE}\">\n  <offres>\n".encode()
FIN_FLUX = b"  </offres>\n</lheo>\n"


def flux_lheo(sessions: QuerySet[SessionFormation], base_url: str, *, par_lot: int = 500) -> Iterator[bytes]:
    """The LHÉO document of the exportable ``sessions``, written one formation at a time from
    ``exportables`` read in chunks: memory holds one chunk and one formation, whatever the size of the
    catalogue. The caller checks first that there is at least one (LHÉO has no empty offer)."""
    yield DEBUT_FLUX
    offres = etree.Element(f"{{{NAMESPACE}}}offres", nsmap={None: NAMESPACE})
    for _, groupe in groupby(exportables(sessions).iterator(chunk_size=par_lot), key=_cle):
        formation = _formation(offres, list(groupe), base_url)
        yield etree.tostring(formation, encoding="utf-8", pretty_print=True)
        offres.remove(formation)
    yield FIN_FLUX
