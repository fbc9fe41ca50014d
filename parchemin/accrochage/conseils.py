"""Plain-French advice for the CDC's rejections, from the words of its message.

Most rejections come from identity matching after the schema check: the CDC compares birth name,
first name, sex and birth year, then month and day, then birth place with the national registry.
The advice points at the field to check against an identity document, never guesses a fix.
"""

from __future__ import annotations

from parchemin.candidatures.models import normaliser_recherche

CONSEILS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("nom de naissance", "nomnaissance", "nom naissance"),
        "Le nom de naissance ne correspond pas : vérifiez-le sur la pièce d'identité (nom de naissance, pas le nom "
        "d'usage ou d'épouse), avec ses traits d'union et sans abréviation.",
    ),
    (
        ("prenom",),
        "Le prénom ne correspond pas : le premier prénom doit être celui de l'état civil, écrit en entier "
        "(« Jean-Pierre », pas « JP » ni le prénom d'usage), les autres prénoms dans l'ordre.",
    ),
    (
        ("sexe",),
        "Le sexe ne correspond pas à l'état civil : vérifiez la case M ou F sur la pièce d'identité.",
    ),
    (
        ("commune", "insee", "lieu", "pays"),
        "Le lieu de naissance ne correspond pas : le code INSEE de la commune de naissance (pas le code postal), "
        "2A ou 2B pour la Corse, ou pour une naissance à l'étranger le code INSEE du pays.",
    ),
    (
        ("date de naissance", "annee", "mois", "jour"),
        "La date de naissance ne correspond pas : vérifiez le jour et le mois (souvent inversés) et l'année.",
    ),
    (
        ("aucun titulaire", "introuvable", "inconnu", "non trouve", "pas de correspondance"),
        "La CDC ne trouve personne avec cette identité : vérifiez dans l'ordre le nom de naissance, le premier "
        "prénom, le sexe et l'année de naissance, puis le jour et le mois, puis le lieu de naissance.",
    ),
)

CONSEIL_GENERAL = (
    "Lisez le message de la CDC, corrigez la donnée du titulaire qu'il désigne, puis renvoyez le passage : il garde "
    "le même idTechnique."
)


def conseil(message: str) -> str:
    texte = normaliser_recherche(message)
    for mots, avis in CONSEILS:
        if any(mot in texte for mot in mots):
            return avis
    return CONSEIL_GENERAL
