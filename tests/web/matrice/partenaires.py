"""Partners: the public catalogue (open to all), the partner space (a partner's administrator, own
organisation only: another organisation's session is 403) and the staff pages on partners and
habilitations."""

from __future__ import annotations

from typing import Any

from . import CONNEXION, REDIRECTION, Attendu, equipe_seulement, pour_tous


def _session_publiee(monde: Any) -> dict[str, Any]:
    from tests.partenaires.factories import SessionFormationFactory

    return {"code": "rs5142", "pk": SessionFormationFactory(partenaire=monde.partenaire).pk}


def _catalogue_avec_session(monde: Any) -> dict[str, Any]:
    """LHÉO has no empty catalogue (404): one exportable session (its partner has a declaration number)."""
    from tests.partenaires.factories import SessionFormationFactory

    SessionFormationFactory()
    return {"code": "rs5142"}


def _session_du_partenaire(monde: Any) -> dict[str, Any]:
    from tests.partenaires.factories import SessionFormationFactory

    return {"pk": SessionFormationFactory(partenaire=monde.partenaire, publiee=False).pk}


def _session_d_un_autre(monde: Any) -> dict[str, Any]:
    from tests.partenaires.factories import SessionFormationFactory

    return {"pk": SessionFormationFactory().pk}


def _habilitation(monde: Any) -> dict[str, Any]:
    from tests.partenaires.factories import HabilitationFactory

    return {"pk": HabilitationFactory(partenaire=monde.partenaire).pk}


def _contact(monde: Any) -> dict[str, Any]:
    from parchemin.partenaires.models import ContactPartenaire

    return {"pk": ContactPartenaire.objects.create(partenaire=monde.partenaire, nom="Camille Martin").pk}


def _candidature_de(partenaire: Any) -> Any:
    from parchemin.referentiel.enums import VoieAcces
    from tests.candidatures.factories import CandidatureFactory
    from tests.partenaires.factories import SessionFormationFactory

    session = SessionFormationFactory(partenaire=partenaire)
    return CandidatureFactory(
        partenaire=session.partenaire,
        session_formation=session,
        voie=VoieAcces.FORMATION_CONTINUE,
        candidat__email=f"stagiaire-{session.pk}@example.org",
    )


def _candidature_du_partenaire(monde: Any) -> dict[str, Any]:
    return {"pk": _candidature_de(monde.partenaire).pk}


def _candidature_d_un_autre(monde: Any) -> dict[str, Any]:
    from tests.partenaires.factories import PartenaireFactory

    return {"pk": _candidature_de(PartenaireFactory()).pk}


def _attestation(partenaire: Any) -> dict[str, Any]:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from parchemin.candidatures.enums import TypePiece
    from tests.candidatures.factories import PieceFactory
    from tests.candidatures.fichiers import PDF

    from .candidatures import FICHIER_MATRICE

    if not default_storage.exists(FICHIER_MATRICE):
        default_storage.save(FICHIER_MATRICE, ContentFile(PDF))
    piece = PieceFactory(
        candidature=_candidature_de(partenaire), type_piece=TypePiece.ATTESTATION_FORMATION, fichier=FICHIER_MATRICE
    )
    return {"pk": piece.candidature_id, "piece_pk": piece.pk}


def _attestation_d_un_autre(monde: Any) -> dict[str, Any]:
    from tests.partenaires.factories import PartenaireFactory

    return _attestation(PartenaireFactory())


def espace_partenaire(**exceptions: Any) -> dict[str, Any]:
    """Partner space: login for anonymous, the partner's people (managing sessions: its administrator
    only); staff use the back-office."""
    return pour_tous(403, anonyme=CONNEXION, admin_partenaire=200) | exceptions


def equipe_avec(statut: int) -> dict[str, Any]:
    return equipe_seulement() | {"gestionnaire": statut, "administrateur": statut}


ATTENDUS = [
    Attendu("public:catalogue", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("public:catalogue_session", pour_tous(200), kwargs=_session_publiee),
    Attendu("public:catalogue_lheo", pour_tous(200), kwargs=_catalogue_avec_session),
    Attendu("partenaire:accueil", espace_partenaire(evaluateur_partenaire=200)),
    Attendu("partenaire:session_nouvelle", espace_partenaire()),
    Attendu("partenaire:session", espace_partenaire(), kwargs=_session_du_partenaire),
    Attendu("partenaire:session", espace_partenaire(admin_partenaire=404), kwargs=_session_d_un_autre),
    Attendu("partenaire:session_publication", espace_partenaire(admin_partenaire=405), kwargs=_session_du_partenaire),
    Attendu("partenaire:candidatures", espace_partenaire(evaluateur_partenaire=200)),
    # Trainees: the organisation's people read them; only its administrator imports and uploads.
    Attendu("partenaire:stagiaires_import", espace_partenaire(), kwargs=_session_du_partenaire),
    Attendu("partenaire:stagiaires_import", espace_partenaire(admin_partenaire=404), kwargs=_session_d_un_autre),
    Attendu("partenaire:stagiaires_import_modele", espace_partenaire(), kwargs=lambda m: {"format_fichier": "csv"}),
    Attendu("partenaire:stagiaires_import_modele", espace_partenaire(), kwargs=lambda m: {"format_fichier": "xlsx"}),
    Attendu(
        "partenaire:stagiaires_import_confirmer",
        espace_partenaire(admin_partenaire=405),
        kwargs=_session_du_partenaire,
    ),
    Attendu("partenaire:candidature", espace_partenaire(evaluateur_partenaire=200), kwargs=_candidature_du_partenaire),
    Attendu(
        "partenaire:candidature",
        espace_partenaire(evaluateur_partenaire=404, admin_partenaire=404),
        kwargs=_candidature_d_un_autre,
    ),
    Attendu(
        "partenaire:attestation_deposer", espace_partenaire(admin_partenaire=405), kwargs=_candidature_du_partenaire
    ),
    Attendu(
        "partenaire:attestation_fichier",
        espace_partenaire(evaluateur_partenaire=200),
        kwargs=lambda m: _attestation(m.partenaire),
    ),
    Attendu(
        "partenaire:attestation_fichier",
        espace_partenaire(evaluateur_partenaire=404, admin_partenaire=404),
        kwargs=_attestation_d_un_autre,
    ),
    Attendu("backoffice:partenaires", equipe_seulement()),
    Attendu("backoffice:partenaire_nouveau", equipe_seulement()),
    Attendu("backoffice:partenaire", equipe_seulement(), kwargs=lambda m: {"pk": m.partenaire.pk}),
    Attendu("backoffice:habilitation_nouvelle", equipe_seulement(), kwargs=lambda m: {"pk": m.partenaire.pk}),
    Attendu("backoffice:habilitation", equipe_seulement(), kwargs=_habilitation),
    Attendu("backoffice:habilitation_modifier", equipe_seulement(), kwargs=_habilitation),
    Attendu("backoffice:habilitation_etat", equipe_avec(405), kwargs=_habilitation),
    Attendu("backoffice:partenaire_contact", equipe_avec(405), kwargs=lambda m: {"pk": m.partenaire.pk}),
    # The gestionnaire's POST withdraws the contact; the administrator's, after it, finds none.
    Attendu("backoffice:contact_retirer", equipe_avec(405), kwargs=_contact, post={"administrateur": 404}),
    # No convention uploaded yet: staff get 404 (the download itself is tested in tests/partenaires).
    Attendu(
        "backoffice:habilitation_convention",
        equipe_avec(404),
        kwargs=_habilitation,
        post={"gestionnaire": REDIRECTION, "administrateur": REDIRECTION},  # no file: back with a message
    ),
    Attendu("backoffice:habilitations_export", equipe_seulement(), kwargs=lambda m: {"format": "xlsx"}),
    Attendu("backoffice:habilitations_export", equipe_seulement(), kwargs=lambda m: {"format": "csv"}),
    Attendu("backoffice:habilitations_envoi", equipe_avec(405)),
]
