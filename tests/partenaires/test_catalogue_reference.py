"""The catalogue search gives exactly what a plain reading of the rules gives.

The search is written for speed (ids of a page first, then its rows; a bounded count for words without
a place; index hints per engine). The reference here reads every session of the certification and
applies the rules in Python, one by one; only matching the words and their relevance come from the
database's full-text index, through the same index query written plainly. On generated sessions and
searches, both must give the same sessions in the same order, the same count and the same pages.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parchemin.partenaires import catalogue
from parchemin.partenaires.catalogue import Criteres, Tri, partenaires_exclus, rechercher, termes
from parchemin.partenaires.enums import Modalite, StatutSession
from parchemin.partenaires.models import Habilitation, SessionFormation
from parchemin.territoires.distance import corde_carree_max, vecteur_unitaire
from parchemin.territoires.enums import Region
from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = pytest.mark.django_db

MOTS = ["fablab", "tiers-lieux", "jardin", "numérique", "coopérative", "friche", "atelier"]
LIEUX = ["bordeaux", "merignac", "libourne", "arcachon", "rennes", "nantes", "toulouse", None]


@pytest.fixture
def catalogue_genere(rs5142: Any) -> list[SessionFormation]:
    """Sixty sessions drawn with a fixed seed: five partners (one whose habilitation ran out), places
    near and far, all modalities and statuses, past and future dates, repeated words."""
    alea = random.Random(5142)
    partenaires = [PartenaireFactory(nom=f"Organisme {mot}") for mot in ("alpha", "beta", "gamma", "delta", "echu")]
    aujourd_hui = timezone.localdate()
    sessions = []
    for numero in range(1, 61):
        lieu = alea.choice(LIEUX)
        modalite = Modalite.DISTANCE if lieu is None else alea.choice([Modalite.PRESENTIEL, Modalite.HYBRIDE])
        capacite = alea.randint(8, 12)
        sessions.append(
            SessionFormationFactory(
                partenaire=alea.choice(partenaires),
                numero=numero,
                intitule=" ".join(alea.sample(MOTS, 2)),
                description=" ".join(alea.choices(MOTS, k=alea.randint(0, 5))),
                commune=commune(lieu) if lieu else None,
                modalite=modalite,
                date_debut=aujourd_hui + datetime.timedelta(days=alea.choice([-20, 0, 5, 30, 30, 90, 200])),
                prix=Decimal(alea.choice([1200, 2500, 3500, 5000])),
                capacite=capacite,
                inscrits=alea.choice([0, capacite // 2, capacite]),
                statut=alea.choice([StatutSession.OUVERTE] * 4 + [StatutSession.COMPLETE, StatutSession.ANNULEE]),
                publiee=alea.random() < 0.9,
            )
        )
    Habilitation.objects.filter(partenaire=partenaires[-1]).update(date_fin=aujourd_hui - datetime.timedelta(days=1))
    return sessions


def _pertinences(texte: str) -> dict[int, float]:
    """Relevance of every session matching all the words, straight from the full-text index."""
    mots = termes(texte)
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            requete = " & ".join(mots)
            curseur.execute(
                "SELECT id, -ts_rank(recherche, to_tsquery('french', %s)) FROM partenaires_sessionformation "
                "WHERE recherche @@ to_tsquery('french', %s)",
                [requete, requete],
            )
        else:
            curseur.execute(
                "SELECT rowid, bm25(partenaires_session_fts) FROM partenaires_session_fts "
                "WHERE partenaires_session_fts MATCH %s",
                [" AND ".join(f'"{mot}"' for mot in mots)],
            )
        return dict(curseur.fetchall())


def _reference(certification: Any, criteres: Criteres, aujourd_hui: datetime.date) -> list[int]:
    """The ids of the matching sessions in the order asked, by a plain reading of the rules."""
    exclus = set(partenaires_exclus(certification, aujourd_hui))
    pertinences = _pertinences(criteres.texte) if termes(criteres.texte) else None
    debut_min = max(criteres.debut_min or aujourd_hui, aujourd_hui)
    centre = None
    if criteres.commune is not None and criteres.commune.latitude is not None:
        centre = vecteur_unitaire(criteres.commune.latitude, criteres.commune.longitude)
        rayon = min(max(criteres.rayon_km, 1), catalogue.RAYON_MAX_KM)

    def corde(session: SessionFormation) -> float:
        assert centre is not None
        vecteur = (session.vecteur_x, session.vecteur_y, session.vecteur_z)
        return sum((v - c) * (v - c) for v, c in zip(vecteur, centre, strict=True))

    gardees = []
    for session in SessionFormation.objects.filter(certification=certification):
        if (
            not session.publiee
            or session.partenaire_id in exclus
            or session.date_debut < debut_min
            or (criteres.debut_max and session.date_debut > criteres.debut_max)
            or (criteres.region and session.region != criteres.region)
            or (criteres.modalite and session.modalite != criteres.modalite)
            or (criteres.prix_max is not None and session.prix > criteres.prix_max)
            or (pertinences is not None and session.pk not in pertinences)
        ):
            continue
        if criteres.places_disponibles:
            if session.statut != StatutSession.OUVERTE or session.inscrits >= session.capacite:
                continue
        elif session.statut == StatutSession.ANNULEE:
            continue
        if centre is not None and (session.latitude is None or corde(session) > corde_carree_max(rayon)):
            continue
        gardees.append(session)
    tri = criteres.tri_effectif()
    if tri == Tri.PERTINENCE:
        assert pertinences is not None
        gardees.sort(key=lambda s: (pertinences[s.pk], s.date_debut, s.pk))
    elif tri == Tri.DISTANCE:
        gardees.sort(key=lambda s: (corde(s), s.date_debut, s.pk))
    else:
        gardees.sort(key=lambda s: (s.date_debut, s.pk))
    return [session.pk for session in gardees]


criteres_tires = st.builds(
    Criteres,
    texte=st.lists(st.sampled_from([*MOTS, "tiers lieu", "inconnu", "Jardins"]), max_size=2).map(" ".join),
    commune=st.sampled_from(LIEUX).map(lambda cle: commune(cle) if cle else None),
    rayon_km=st.sampled_from([1, 10, 25, 50, 100, 500]),
    region=st.sampled_from(["", "", Region.NOUVELLE_AQUITAINE.value, Region.BRETAGNE.value]),
    debut_min=st.sampled_from([None, 10, 60]).map(
        lambda jours: None if jours is None else timezone.localdate() + datetime.timedelta(days=jours)
    ),
    debut_max=st.sampled_from([None, 40, 100]).map(
        lambda jours: None if jours is None else timezone.localdate() + datetime.timedelta(days=jours)
    ),
    modalite=st.sampled_from(["", *Modalite.values]),
    prix_max=st.sampled_from([None, Decimal(2500), Decimal(4000)]),
    places_disponibles=st.booleans(),
    tri=st.sampled_from(["", Tri.PERTINENCE, Tri.DISTANCE, Tri.DATE]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(criteres=criteres_tires, taille=st.sampled_from([3, 7, 20]))
def test_search_gives_the_reference_sessions_order_count_and_pages(
    rs5142: Any, catalogue_genere: list[SessionFormation], criteres: Criteres, taille: int
) -> None:
    aujourd_hui = timezone.localdate()
    attendu = _reference(rs5142, criteres, aujourd_hui)
    resultats = rechercher(rs5142, criteres, aujourd_hui)
    assert [session.pk for session in resultats] == attendu
    assert resultats.count() == len(attendu) and not resultats.au_dela
    for debut in range(0, len(attendu) + taille, taille):
        assert [session.pk for session in resultats[debut : debut + taille]] == attendu[debut : debut + taille]
    # As the view asks for a first page: that page's ids plus one are read first, and stand for the count
    # when they are all the matches.
    premiere = rechercher(rs5142, criteres, aujourd_hui, premiere_page=taille)
    page = Paginator(premiere, taille).get_page(1)
    assert [session.pk for session in page.object_list] == attendu[:taille]
    assert page.paginator.count == len(attendu) and not premiere.au_dela


def test_words_without_a_place_count_up_to_the_bound_and_say_there_are_more(
    rs5142: Any, catalogue_genere: list[SessionFormation], monkeypatch: pytest.MonkeyPatch
) -> None:
    aujourd_hui = timezone.localdate()
    monkeypatch.setattr(catalogue, "COMPTE_MAX", 4)
    mots = Criteres(texte="atelier")
    attendu = _reference(rs5142, mots, aujourd_hui)
    assert len(attendu) > 4
    resultats = rechercher(rs5142, mots, aujourd_hui)
    assert resultats.count() == 4 and resultats.au_dela
    assert [session.pk for session in resultats[:4]] == attendu[:4]
    premiere = rechercher(rs5142, mots, aujourd_hui, premiere_page=3)
    page = Paginator(premiere, 3).get_page(1)
    assert [session.pk for session in page.object_list] == attendu[:3]
    assert page.paginator.count == 4 and premiere.au_dela
    # With a place, the box bounds the work: the count stays exact.
    autour = Criteres(texte="atelier", commune=commune("bordeaux"), rayon_km=500)
    exact = rechercher(rs5142, autour, aujourd_hui)
    assert exact.count() == len(_reference(rs5142, autour, aujourd_hui)) > 4 and not exact.au_dela
