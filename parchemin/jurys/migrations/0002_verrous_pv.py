"""Once the PV is signed by every member, decisions, the PV and signatures can no longer be changed:
triggers on both engines refuse it, whatever the code path (admin, shell, a buggy service)."""

from django.db import migrations

from parchemin.sql_par_moteur import sql_par_moteur

MESSAGE = "PV signé : les décisions et le PV sont verrouillés (faites un amendement)."

# (trigger name, table, event, condition on OLD)
VERROUS = [
    ("passage_verrouille_update", "jurys_passage", "UPDATE", "OLD.verrouille"),
    ("passage_verrouille_delete", "jurys_passage", "DELETE", "OLD.verrouille"),
    ("pv_verrouille_update", "jurys_procesverbal", "UPDATE", "OLD.verrouille_le IS NOT NULL"),
    ("pv_verrouille_delete", "jurys_procesverbal", "DELETE", "OLD.verrouille_le IS NOT NULL"),
    ("signature_immuable_update", "jurys_signaturepv", "UPDATE", "1 = 1"),
    ("signature_immuable_delete", "jurys_signaturepv", "DELETE", "1 = 1"),
]

SQLITE = [
    f"""
    CREATE TRIGGER {nom} BEFORE {evenement} ON {table}
    WHEN {condition}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for nom, table, evenement, condition in VERROUS
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {nom};" for nom, *_ in VERROUS]

POSTGRES = [
    f"""
    CREATE FUNCTION jurys_refuser_modification() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    *[
        f"""
        CREATE TRIGGER {nom} BEFORE {evenement} ON {table}
        FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION jurys_refuser_modification();
        """
        for nom, table, evenement, condition in VERROUS
    ],
]
POSTGRES_DROP = [
    *[f"DROP TRIGGER IF EXISTS {nom} ON {table};" for nom, table, *_ in VERROUS],
    "DROP FUNCTION IF EXISTS jurys_refuser_modification();",
]


class Migration(migrations.Migration):
    dependencies = [("jurys", "0001_initial")]

    operations = [
        sql_par_moteur(
            sqlite=SQLITE,
            postgresql=POSTGRES,
            sqlite_inverse=SQLITE_DROP,
            postgresql_inverse=POSTGRES_DROP,
        )
    ]
