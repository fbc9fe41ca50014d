"""RS5142 v1 was first loaded with assessment methods that no published source gives (the seed page
lists competencies only). The shipped data now leaves them empty; this clears them in databases that
loaded the earlier text, so that ``charger_rs5142`` stays a no-op there instead of refusing v1."""

from django.db import migrations

TEXTES_SANS_SOURCE = [
    "Dossier écrit présentant le projet stratégique du tiers-lieu, puis soutenance orale devant le jury.",
    "Étude du prévisionnel et des outils de pilotage financier du candidat, présentés dans le dossier et discutés à l’oral.",
    "Présentation de cas d’animation, de partenariat et d’accueil tirés de la pratique du candidat, discutés à l’oral.",
]


def vider(apps, schema_editor):
    Competence = apps.get_model("referentiel", "Competence")
    Competence.objects.filter(
        version__certification__code="RS5142", version__numero=1, modalites_evaluation__in=TEXTES_SANS_SOURCE
    ).update(modalites_evaluation="")


class Migration(migrations.Migration):
    dependencies = [("referentiel", "0002_competence_version_trigger")]

    operations = [migrations.RunPython(vider, migrations.RunPython.noop)]
