"""Partners: the public catalogue (open to all), the partner space (a partner's administrator, own
organisation only: another organisation's session is 403) and the staff pages on partners and
habilitations."""

from __future__ import annotations

from typing import Any

from . import CONNEXION, Attendu, equipe_seulement, pour_tous


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
    Attendu("partenaire:session", espace_partenaire(admin_partenaire=403), kwargs=_session_d_un_autre),
    Attendu("partenaire:session_publication", espace_partenaire(admin_partenaire=405), kwargs=_session_du_partenaire),
    Attendu("partenaire:candidatures", espace_partenaire(evaluateur_partenaire=200)),
    Attendu("backoffice:partenaires", equipe_seulement()),
    Attendu("backoffice:partenaire_nouveau", equipe_seulement()),
    Attendu("backoffice:partenaire", equipe_seulement(), kwargs=lambda m: {"pk": m.partenaire.pk}),
    Attendu("backoffice:habilitation_nouvelle", equipe_seulement(), kwargs=lambda m: {"pk": m.partenaire.pk}),
    Attendu("backoffice:habilitation", equipe_seulement(), kwargs=_habilitation),
    Attendu("backoffice:habilitation_modifier", equipe_seulement(), kwargs=_habilitation),
    Attendu("backoffice:habilitation_etat", equipe_avec(405), kwargs=_habilitation),
    Attendu("backoffice:partenaire_contact", equipe_avec(405), kwargs=lambda m: {"pk": m.partenaire.pk}),
    Attendu("backoffice:contact_retirer", equipe_avec(405), kwargs=_contact),
    # No convention uploaded yet: staff get 404 (the download itself is tested in tests/partenaires).
    Attendu("backoffice:habilitation_convention", equipe_avec(404), kwargs=_habilitation),
    Attendu("backoffice:habilitations_export", equipe_seulement(), kwargs=lambda m: {"format": "xlsx"}),
    Attendu("backoffice:habilitations_export", equipe_seulement(), kwargs=lambda m: {"format": "csv"}),
    Attendu("backoffice:habilitations_envoi", equipe_avec(405)),
]
