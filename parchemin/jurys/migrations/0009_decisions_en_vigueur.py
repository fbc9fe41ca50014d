"""Fill the jury outcome now stored on each application (``decision_finale``, ``decide_le``,
``annee_decision``) from the signed passages and their amendments: one UPDATE on either engine.

History is frozen: the definition below is a copy of ``jurys.en_vigueur.definition`` as it was when
this migration was written, on the historical models."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear


def remplir(apps, schema_editor):
    Candidature = apps.get_model("candidatures", "Candidature")
    Passage = apps.get_model("jurys", "Passage")
    AmendementDecision = apps.get_model("jurys", "AmendementDecision")
    amendement = AmendementDecision.objects.filter(passage=OuterRef("pk")).order_by("-cree_le", "-pk")
    passages = (
        Passage.objects.filter(candidature=OuterRef("pk"), verrouille=True)
        .exclude(decision="")
        .annotate(
            en_vigueur=Coalesce(Subquery(amendement.values("decision_apres")[:1]), F("decision")),
            an=ExtractYear("session__debut"),
        )
        .order_by("-session__debut", "-pk")
    )
    Candidature.objects.update(
        decision_finale=Coalesce(Subquery(passages.values("en_vigueur")[:1]), Value("")),
        decide_le=Subquery(passages.values("session__debut")[:1]),
        annee_decision=Subquery(passages.values("an")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jurys", "0008_session_origine_reprise"),
        ("candidatures", "0005_resultat_jury_stocke"),
    ]

    operations = [migrations.RunPython(remplir, migrations.RunPython.noop)]
