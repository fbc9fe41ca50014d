"""A PV still collecting signatures is frozen as well: its PDF and hash change only as a new version
(numero_version + 1, what the service does when a decision changes, and journals). A plain UPDATE that
swaps the PDF or the hash in place is refused by both engines, whatever the code path."""

from django.db import migrations

from parchemin.sql_par_moteur import sql_par_moteur

MESSAGE = "PV établi : son contenu ne change que par une nouvelle version (délibération journalisée)."
CONDITION = (
    "(NEW.sha256 <> OLD.sha256 OR NEW.pdf <> OLD.pdf OR NEW.numero_version <> OLD.numero_version) "
    "AND NEW.numero_version <> OLD.numero_version + 1"
)

SQLITE = [
    f"""
    CREATE TRIGGER pv_contenu_fige BEFORE UPDATE ON jurys_procesverbal
    WHEN {CONDITION}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS pv_contenu_fige;"]

POSTGRES = [
    f"""
    CREATE FUNCTION jurys_refuser_pv_modifie() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER pv_contenu_fige BEFORE UPDATE ON jurys_procesverbal
    FOR EACH ROW WHEN ({CONDITION.replace("<>", "IS DISTINCT FROM")}) EXECUTE FUNCTION jurys_refuser_pv_modifie();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS pv_contenu_fige ON jurys_procesverbal;",
    "DROP FUNCTION IF EXISTS jurys_refuser_pv_modifie();",
]


class Migration(migrations.Migration):
    dependencies = [("jurys", "0004_proposition_modifiee")]

    operations = [
        sql_par_moteur(
            sqlite=SQLITE,
            postgresql=POSTGRES,
            sqlite_inverse=SQLITE_DROP,
            postgresql_inverse=POSTGRES_DROP,
        )
    ]
