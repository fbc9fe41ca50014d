"""The cache table of public pages (settings.CACHES["pages"], parchemin.pages_publiques): created here so
that `migrate` alone sets up a working instance, as comptes.0003 does for the shared cache."""

from django.core.management import call_command
from django.db import migrations


def creer_table_cache(apps, schema_editor):
    # createcachetable creates the table of every database cache that lacks one: here, the new one.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def supprimer_table_cache(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('parchemin_cache_pages')}")


class Migration(migrations.Migration):
    dependencies = [("partenaires", "0008_index_catalogue_couvrants"), ("comptes", "0003_table_cache")]

    operations = [migrations.RunPython(creer_table_cache, supprimer_table_cache)]
