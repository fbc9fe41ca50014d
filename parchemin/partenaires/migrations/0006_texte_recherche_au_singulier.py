"""The search text now holds singular forms (territoires.noms.texte_indexe): recompute it for
existing sessions; the FTS5 triggers and the generated tsvector follow."""

from django.db import migrations


def recalculer(apps, schema_editor):
    from parchemin.territoires.enums import Region
    from parchemin.territoires.noms import texte_indexe

    regions = dict(Region.choices)
    SessionFormation = apps.get_model("partenaires", "SessionFormation")
    for session in SessionFormation.objects.select_related("partenaire", "commune").iterator(chunk_size=2000):
        morceaux = [
            session.intitule,
            session.description,
            session.partenaire.nom,
            session.lieu,
            session.commune.nom if session.commune_id else "",
            regions.get(session.region, ""),
        ]
        texte = texte_indexe(" ".join(morceaux))
        if texte != session.texte_recherche:
            SessionFormation.objects.filter(pk=session.pk).update(texte_recherche=texte)


class Migration(migrations.Migration):
    dependencies = [("partenaires", "0005_index_catalogue")]

    operations = [migrations.RunPython(recalculer, migrations.RunPython.noop)]
