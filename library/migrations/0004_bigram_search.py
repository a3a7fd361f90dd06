"""Two-syllable words get an index of their own (ADR 0016 §Search, ADR 0025): trigrams
cannot find "주차" or "축제", and a contains-search reads every published case.

- PostgreSQL: an IMMUTABLE function `pa_bigrams(text)` (the distinct two-character pieces
  of each word, lower-cased) and a GIN index on `pa_bigrams(search_text)`; a query asks
  `pa_bigrams(search_text) @> ARRAY[word]` and rechecks with ILIKE.
- SQLite: an FTS5 table `library_bigrams` (rowid = case id) whose one column holds the
  same pieces separated by spaces, each piece one token, kept by the services beside
  `library_fts`.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

BIGRAMS = "library_bigrams"
PG_INDEX = "library_search_bigram_idx"
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION pa_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(w, i, 2)), '{}')
  FROM regexp_split_to_table(lower(t), '[^[:alnum:]]+') AS w,
       generate_series(1, char_length(w) - 1) AS i
$$
"""


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON library_bestpractice USING gin (pa_bigrams(search_text))"
        )
    elif vendor == "sqlite":
        from library.search import rebuild_bigrams

        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {BIGRAMS} USING fts5(grams)")
        rebuild_bigrams(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        schema_editor.execute("DROP FUNCTION IF EXISTS pa_bigrams(text)")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {BIGRAMS}")


class Migration(migrations.Migration):
    dependencies = [("library", "0003_indicator_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
