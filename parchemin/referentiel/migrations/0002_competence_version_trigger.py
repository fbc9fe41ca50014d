"""A competence must belong to the version of its unit: enforced by a trigger on both engines,
since Django has no composite foreign key to express it."""

from django.db import migrations

from parchemin.sql_par_moteur import sql_par_moteur

MESSAGE = "La compétence doit appartenir à la version de son unité."

SQLITE = [
    f"""
    CREATE TRIGGER competence_version_unite_{event.lower()}
    BEFORE {event} ON referentiel_competence
    WHEN (SELECT version_id FROM referentiel_unite WHERE id = NEW.unite_id) IS NOT NEW.version_id
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for event in ("INSERT", "UPDATE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS competence_version_unite_{e};" for e in ("insert", "update")]

POSTGRES = [
    f"""
    CREATE FUNCTION referentiel_competence_version_check() RETURNS trigger AS $$
    BEGIN
        IF (SELECT version_id FROM referentiel_unite WHERE id = NEW.unite_id) IS DISTINCT FROM NEW.version_id THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER competence_version_unite
    BEFORE INSERT OR UPDATE ON referentiel_competence
    FOR EACH ROW EXECUTE FUNCTION referentiel_competence_version_check();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS competence_version_unite ON referentiel_competence;",
    "DROP FUNCTION IF EXISTS referentiel_competence_version_check();",
]


class Migration(migrations.Migration):
    dependencies = [("referentiel", "0001_initial")]

    operations = [
        sql_par_moteur(
            sqlite=SQLITE,
            postgresql=POSTGRES,
            sqlite_inverse=SQLITE_DROP,
            postgresql_inverse=POSTGRES_DROP,
        )
    ]
