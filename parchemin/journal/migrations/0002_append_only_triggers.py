"""The journal is append-only: refuse changes to its rows in the database itself.

PostgreSQL refuses UPDATE and DELETE of rows. TRUNCATE stays possible for the database owner
(Django's test flush and a deliberate purge use it); the hash chain head then exposes it.
SQLite refuses UPDATE only: Django empties tables with DELETE there (test flush), so a deleted
row is caught by ``verifier_journal`` (sequence gap or head mismatch) instead.
"""

from django.db import migrations

from parchemin.sql_par_moteur import sql_par_moteur

MESSAGE = "Le journal d’audit est en ajout seul : modification et suppression interdites."

SQLITE = [
    f"""
    CREATE TRIGGER journal_entree_no_{event.lower()}
    BEFORE {event} ON journal_entreejournal
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for event in ("UPDATE",)
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS journal_entree_no_update;"]

POSTGRES = [
    f"""
    CREATE FUNCTION journal_entree_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER journal_entree_append_only
    BEFORE UPDATE OR DELETE ON journal_entreejournal
    FOR EACH ROW EXECUTE FUNCTION journal_entree_append_only();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS journal_entree_append_only ON journal_entreejournal;",
    "DROP FUNCTION IF EXISTS journal_entree_append_only();",
]


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [
        sql_par_moteur(
            sqlite=SQLITE,
            postgresql=POSTGRES,
            sqlite_inverse=SQLITE_DROP,
            postgresql_inverse=POSTGRES_DROP,
        )
    ]
