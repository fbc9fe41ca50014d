"""Encrypt the second-factor secrets stored in clear before Parchemin set allauth's encrypt/decrypt
hooks (comptes.chiffrement). Values already encrypted are left alone, so the migration can run twice.

Reversible on purpose: rolling the code back to a version without the hooks needs the secrets in clear
again, or every staff and jury member would be locked out. The reverse needs the same keys."""

from django.db import migrations

from parchemin.comptes.chiffrement import chiffrer_si_clair, dechiffrer_si_chiffre, transformer_secrets


def _transformer(apps, transformation):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authentificateur in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]).iterator():
        donnees = transformer_secrets(authentificateur.type, authentificateur.data, transformation)
        if donnees != authentificateur.data:
            authentificateur.data = donnees
            authentificateur.save(update_fields=["data"])


def chiffrer_les_secrets(apps, schema_editor):
    _transformer(apps, chiffrer_si_clair)


def dechiffrer_les_secrets(apps, schema_editor):
    _transformer(apps, dechiffrer_si_chiffre)


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0003_table_cache"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(chiffrer_les_secrets, dechiffrer_les_secrets)]
