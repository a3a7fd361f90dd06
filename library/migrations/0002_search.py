"""The search index of the library (ADR 0016 §Search), per database:

- SQLite: an FTS5 table with the trigram tokenizer (title, body; rowid = case id), filled
  by the services (library/search.py `sync`) with the published cases only;
- PostgreSQL: the pg_trgm extension and a GIN trigram index on search_text.
Other databases get nothing (search falls back to a contains-search)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FTS = "library_fts"
PG_INDEX = "library_search_trgm_idx"


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, body, tokenize='trigram')")
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON library_bestpractice USING gin (search_text gin_trgm_ops)"
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif vendor == "postgresql":
        # The extension stays: other apps may use it.
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
