"""The search text now holds singular forms: recompute it for existing sessions; the FTS5 triggers
and the generated tsvector follow.

History is frozen: the folding below is a copy of ``territoires.noms.texte_indexe`` and of the region
names as they were when this migration was written, so a later change to the live code cannot
change what this migration did."""

import re
import unicodedata

from django.db import migrations

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_MOT = re.compile(r"[^0-9a-z]+")

REGIONS = {
    "84": "Auvergne-Rhône-Alpes",
    "27": "Bourgogne-Franche-Comté",
    "53": "Bretagne",
    "24": "Centre-Val de Loire",
    "94": "Corse",
    "44": "Grand Est",
    "32": "Hauts-de-France",
    "11": "Île-de-France",
    "28": "Normandie",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "52": "Pays de la Loire",
    "93": "Provence-Alpes-Côte d'Azur",
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
}


def texte_indexe(texte):
    """Folded words (lower-case ASCII, no accents or punctuation), each in a crude singular form."""
    decompose = unicodedata.normalize("NFKD", texte.translate(_LIGATURES))
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    mots = _NON_MOT.sub(" ", sans_accents.lower()).strip().split()
    return " ".join(mot[:-1] if len(mot) > 3 and mot[-1] in "sx" else mot for mot in mots)


def recalculer(apps, schema_editor):
    SessionFormation = apps.get_model("partenaires", "SessionFormation")
    for session in SessionFormation.objects.select_related("partenaire", "commune").iterator(chunk_size=2000):
        morceaux = [
            session.intitule,
            session.description,
            session.partenaire.nom,
            session.lieu,
            session.commune.nom if session.commune_id else "",
            REGIONS.get(session.region, ""),
        ]
        texte = texte_indexe(" ".join(morceaux))
        if texte != session.texte_recherche:
            SessionFormation.objects.filter(pk=session.pk).update(texte_recherche=texte)


class Migration(migrations.Migration):
    dependencies = [("partenaires", "0005_index_catalogue")]

    operations = [migrations.RunPython(recalculer, migrations.RunPython.noop)]
