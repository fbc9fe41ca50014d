"""The jury pool, kept by the certificateur's staff: a member's profile, the links they declare (other
organisations, partners and sessions they train with) and the days they are available.

Composition rules and conflict checks read these fields; one service writes them so that every
change is checked the same way and leaves an audit entry, whether it comes from the back-office page
or a script."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from parchemin.comptes.models import User
from parchemin.comptes.roles import exiger_equipe
from parchemin.erreurs import ErreurMetier
from parchemin.identifiants import siret_valide
from parchemin.journal.services import enregistrer
from parchemin.partenaires.models import Partenaire, SessionFormation
from parchemin.referentiel.enums import ProfilJury

from .enums import Representation
from .models import Disponibilite, MembreJury

CHAMPS_SIMPLES = (
    "prenom",
    "nom",
    "email",
    "telephone",
    "organisation",
    "organisation_siret",
    "fonction",
    "profils",
    "interne",
    "representation",
    "organisations_liees",
    "actif",
)


@dataclass(frozen=True)
class FicheMembre:
    """Everything the back-office form says about a member of the pool."""

    prenom: str
    nom: str
    email: str
    organisation: str
    profils: Sequence[str]
    telephone: str = ""
    organisation_siret: str = ""
    fonction: str = ""
    interne: bool = False
    representation: str = Representation.SALARIE
    organisations_liees: Sequence[str] = ()
    partenaires_formateur: Sequence[Partenaire] = ()
    sessions_formateur: Sequence[SessionFormation] = ()
    compte: User | None = None
    actif: bool = True
    disponibilites: Sequence[datetime.date] = field(default_factory=list)


def fiche_de(membre: MembreJury) -> FicheMembre:
    """The member as the form shows it: saving it unchanged changes nothing."""
    return FicheMembre(
        **{cle: getattr(membre, cle) for cle in CHAMPS_SIMPLES},
        partenaires_formateur=list(membre.partenaires_formateur.order_by("pk")),
        sessions_formateur=list(membre.sessions_formateur.order_by("pk")),
        compte=membre.user,
        disponibilites=[d.date for d in membre.disponibilites.order_by("date")],
    )


def _etat(membre: MembreJury) -> dict[str, Any]:
    """What the journal records of a member: plain values, ids for links, ISO dates."""
    return {
        **{cle: getattr(membre, cle) for cle in CHAMPS_SIMPLES},
        "partenaires_formateur": sorted(membre.partenaires_formateur.values_list("pk", flat=True)),
        "sessions_formateur": sorted(membre.sessions_formateur.values_list("pk", flat=True)),
        "user": membre.user_id,
        "disponibilites": [jour.isoformat() for jour in membre.disponibilites.values_list("date", flat=True)],
    }


def _verifier(fiche: FicheMembre) -> None:
    if not fiche.prenom.strip() or not fiche.nom.strip():
        raise ErreurMetier("Indiquez le prénom et le nom du membre.")
    if not fiche.organisation.strip():
        raise ErreurMetier("Indiquez l'organisation du membre : elle sert à détecter les liens avec un candidat.")
    if not fiche.profils:
        raise ErreurMetier("Choisissez au moins un profil : les règles de composition des jurys comptent les profils.")
    inconnus = [p for p in fiche.profils if p not in ProfilJury.values]
    if inconnus:
        raise ErreurMetier(f"Profil inconnu : {', '.join(inconnus)}.")
    if fiche.representation not in Representation.values:
        raise ErreurMetier("Représentation inconnue : salariés ou employeurs.")
    if fiche.organisation_siret and not siret_valide(fiche.organisation_siret):
        raise ErreurMetier("Le SIRET de l'organisation doit compter 14 chiffres et avoir une clé valide.")


def enregistrer_membre(*, acteur: User, fiche: FicheMembre, membre: MembreJury | None = None) -> MembreJury:
    """Create a member of the pool (``membre`` None) or replace what is recorded about one."""
    exiger_equipe(acteur, "Seule l'équipe du certificateur gère le vivier des membres de jury.")
    _verifier(fiche)
    with transaction.atomic():
        if membre is None:
            membre = MembreJury()
            avant: dict[str, Any] = {}
        else:
            membre = MembreJury.objects.select_for_update().get(pk=membre.pk)
            avant = _etat(membre)
        for cle in CHAMPS_SIMPLES:
            valeur = getattr(fiche, cle)
            if cle == "profils" and set(valeur) == set(membre.profils):
                continue  # the same profiles ticked in another order: nothing changed
            setattr(membre, cle, list(valeur) if cle in ("profils", "organisations_liees") else valeur)
        membre.email = membre.email.strip().lower()
        membre.user = fiche.compte
        try:
            with transaction.atomic():
                membre.save()
        except IntegrityError as exc:
            raise ErreurMetier(
                "Un autre membre du vivier a déjà cette adresse e-mail ou ce compte : modifiez plutôt sa fiche."
            ) from exc
        membre.partenaires_formateur.set(fiche.partenaires_formateur)
        membre.sessions_formateur.set(fiche.sessions_formateur)
        jours = set(fiche.disponibilites)
        membre.disponibilites.exclude(date__in=jours).delete()
        deja = set(membre.disponibilites.values_list("date", flat=True))
        Disponibilite.objects.bulk_create([Disponibilite(membre=membre, date=jour) for jour in sorted(jours - deja)])
        apres = _etat(membre)
        changes = [cle for cle in apres if avant.get(cle) != apres[cle]]
        if avant and not changes:
            return membre
        enregistrer(
            action="jurys.ajouter_membre" if not avant else "jurys.modifier_membre",
            acteur=acteur,
            objet=membre,
            resume="Membre ajouté au vivier." if not avant else "Fiche du vivier modifiée.",
            avant={cle: avant[cle] for cle in changes} if avant else None,
            apres={cle: apres[cle] for cle in changes},
        )
    return membre
