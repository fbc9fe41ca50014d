"""Full-text index of the catalogue, maintained by the database itself.

SQLite: an FTS5 table over ``texte_recherche`` (external content, kept by triggers; unicode61 drops
diacritics). PostgreSQL: a generated ``tsvector`` column with the French configuration (stemming)
and its GIN index. ``texte_recherche`` is written by the partenaires services.
"""

from django.db import migrations

from parchemin.sql_par_moteur import sql_par_moteur

SQLITE = [
    """
    CREATE VIRTUAL TABLE partenaires_session_fts USING fts5(
        texte_recherche, content='partenaires_sessionformation', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2"
    );
    """,
    """
    CREATE TRIGGER partenaires_session_fts_insert AFTER INSERT ON partenaires_sessionformation BEGIN
        INSERT INTO partenaires_session_fts(rowid, texte_recherche) VALUES (new.id, new.texte_recherche);
    END;
    """,
    """
    CREATE TRIGGER partenaires_session_fts_delete AFTER DELETE ON partenaires_sessionformation BEGIN
        INSERT INTO partenaires_session_fts(partenaires_session_fts, rowid, texte_recherche)
        VALUES ('delete', old.id, old.texte_recherche);
    END;
    """,
    """
    CREATE TRIGGER partenaires_session_fts_update AFTER UPDATE OF texte_recherche ON partenaires_sessionformation
    BEGIN
        INSERT INTO partenaires_session_fts(partenaires_session_fts, rowid, texte_recherche)
        VALUES ('delete', old.id, old.texte_recherche);
        INSERT INTO partenaires_session_fts(rowid, texte_recherche) VALUES (new.id, new.texte_recherche);
    END;
    """,
    "INSERT INTO partenaires_session_fts(partenaires_session_fts) VALUES ('rebuild');",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS partenaires_session_fts_insert;",
    "DROP TRIGGER IF EXISTS partenaires_session_fts_delete;",
    "DROP TRIGGER IF EXISTS partenaires_session_fts_update;",
    "DROP TABLE IF EXISTS partenaires_session_fts;",
]

POSTGRES = [
    """
    ALTER TABLE partenaires_sessionformation ADD COLUMN recherche tsvector
    GENERATED ALWAYS AS (to_tsvector('french'::regconfig, texte_recherche)) STORED;
    """,
    "CREATE INDEX partenaires_session_recherche_idx ON partenaires_sessionformation USING GIN (recherche);",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS partenaires_session_recherche_idx;",
    "ALTER TABLE partenaires_sessionformation DROP COLUMN IF EXISTS recherche;",
]


class Migration(migrations.Migration):
    dependencies = [("partenaires", "0003_habilitations_sessions_completes")]

    operations = [
        sql_par_moteur(
            sqlite=SQLITE,
            postgresql=POSTGRES,
            sqlite_inverse=SQLITE_DROP,
            postgresql_inverse=POSTGRES_DROP,
        ),
    ]
