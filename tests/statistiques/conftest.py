"""The hand-built history the statistics tests count on."""

from __future__ import annotations

from typing import Any

import pytest

from parchemin.candidatures.enums import EtatCandidature
from parchemin.jurys.enums import Decision, StatutSession
from parchemin.referentiel.enums import VoieAcces
from tests.candidatures.factories import PartenaireFactory, SessionFormationFactory
from tests.jurys.factories import MembreJuryFactory, sieger
from tests.statistiques.factories import amender, dossier, moment, non_recevable, passage, recevable, session_jury

FC = VoieAcces.FORMATION_CONTINUE
INDIV = VoieAcces.CANDIDATURE_INDIVIDUELLE
EXP = VoieAcces.EXPERIENCE


@pytest.fixture
def historique(rs5142: Any) -> dict[str, Any]:
    """2024: nine applications (one a draft); 2025: none; 2026: a single candidate.

    | file | route | deposited | recevabilité | jury (signed PV) |
    | A | FC, P1/S1 | 10/01/2024 | recevable +10 d | 10/06/2024 total |
    | B | FC, P1/S1 | 10/01/2024 | recevable +20 d | 10/06/2024 partial |
    | C | FC, P1/S1 | 10/01/2024 | recevable +30 d | 10/06/2024 refusal, amended to partial |
    | I | FC, P1/S1 | 10/01/2024 | recevable +5 d  | 10/06/2024 total, PV not signed |
    | D | individual | 01/02/2024 | not admissible +10 d | — |
    | J | individual | 01/02/2024 | recevable +15 d | 10/06/2024 absent |
    | F | individual | 01/02/2024 | — | withdrawn |
    | E | experience | 01/03/2024 | recevable +40 d | 10/06/2024 absent, then 01/03/2025 total |
    | G | individual | draft | — | — |
    | H | experience (2026) | 05/01/2026 | recevable +10 d | 04/05/2026 total |
    """
    p1 = PartenaireFactory(nom="Coopérative des Tiers-Lieux", siret="73282932000074")
    s1 = SessionFormationFactory(partenaire=p1, intitule="Piloter un tiers-lieu #12")
    juin = session_jury(moment(2024, 6, 10))
    non_signee = session_jury(moment(2024, 6, 10), statut=StatutSession.CONVOQUEE)
    mars_2025 = session_jury(moment(2025, 3, 1))
    mai_2026 = session_jury(moment(2026, 5, 4))
    membres = [MembreJuryFactory() for _ in range(4)]
    sieger(juin, membres[:3])
    sieger(mars_2025, membres[1:])
    sieger(mai_2026, membres[:3])
    fc = {"voie": FC, "partenaire": p1, "session_formation": s1}
    janvier, fevrier, mars = moment(2024, 1, 10), moment(2024, 2, 1), moment(2024, 3, 1)
    d: dict[str, Any] = {}
    d["A"] = dossier(annee=2024, depose=janvier, recevabilite=recevable(moment(2024, 1, 20)), **fc)
    d["B"] = dossier(annee=2024, depose=janvier, recevabilite=recevable(moment(2024, 1, 30)), **fc)
    d["C"] = dossier(annee=2024, depose=janvier, recevabilite=recevable(moment(2024, 2, 9)), **fc)
    d["I"] = dossier(annee=2024, depose=janvier, recevabilite=recevable(moment(2024, 1, 15)), **fc)
    d["D"] = dossier(annee=2024, depose=fevrier, voie=INDIV, recevabilite=non_recevable(moment(2024, 2, 11)))
    d["J"] = dossier(annee=2024, depose=fevrier, voie=INDIV, recevabilite=recevable(moment(2024, 2, 16)))
    d["F"] = dossier(annee=2024, depose=fevrier, voie=INDIV, etat=EtatCandidature.ABANDONNEE)
    d["E"] = dossier(annee=2024, depose=mars, voie=EXP, recevabilite=recevable(moment(2024, 4, 10)))
    d["G"] = dossier(annee=2024, depose=None, voie=INDIV)
    d["H"] = dossier(annee=2026, depose=moment(2026, 1, 5), voie=EXP, recevabilite=recevable(moment(2026, 1, 15)))
    passage(d["A"], juin, Decision.VALIDATION_TOTALE)
    passage(d["B"], juin, Decision.VALIDATION_PARTIELLE)
    amender(passage(d["C"], juin, Decision.REFUS), Decision.VALIDATION_PARTIELLE, ["U2"])
    passage(d["I"], non_signee, Decision.VALIDATION_TOTALE, verrouille=False)
    passage(d["J"], juin, Decision.ABSENT)
    passage(d["E"], juin, Decision.ABSENT)
    passage(d["E"], mars_2025, Decision.VALIDATION_TOTALE)
    passage(d["H"], mai_2026, Decision.VALIDATION_TOTALE)
    return {"dossiers": d, "p1": p1, "s1": s1}
