"""The shared cache table (settings.CACHES): allauth keeps login rate limits and already-used TOTP codes
there, so every worker process must see the same counters. Created here so that `migrate` alone sets up
a working instance (tests, `make run`, CI)."""

from django.core.management import call_command
from django.db import migrations


def creer_table_cache(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def supprimer_table_cache(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('parchemin_cache')}")


class Migration(migrations.Migration):
    dependencies = [("comptes", "0002_roleutilisateur")]

    operations = [migrations.RunPython(creer_table_cache, supprimer_table_cache)]
