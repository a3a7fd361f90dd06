"""The search's PostgreSQL indexes answer a word without reading the cases' text (ADR 0032).

- `pa_trigrams(text)`: the distinct three-character pieces of each word, lower-cased (the
  twin of 0004's `pa_bigrams`); a word of three Hangul syllables is exactly one piece.
- Both piece indexes are partial (published cases only: the search never asks for others),
  and their GIN arrays are exact, unlike pg_trgm's trigram index, which had every match's
  long text read again (6,000 texts, 200 ms at national size). That index is dropped; the
  pg_trgm extension stays (it is cheap, and restores of older archives expect it).
- Locks: the new indexes are built first (a SHARE lock: reads go on, writes wait), the old
  ones dropped last, so the ACCESS EXCLUSIVE lock of a DROP is held only until the commit
  right after it. On a very large table, build them beforehand with CREATE INDEX
  CONCURRENTLY under the same names (the migration then skips them: IF NOT EXISTS).
SQLite is untouched (its FTS5 tables already hold the published cases only).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TRIGRAM_FUNCTION = """
CREATE OR REPLACE FUNCTION pa_trigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(w, i, 3)), '{}')
  FROM regexp_split_to_table(lower(t), '[^[:alnum:]]+') AS w,
       generate_series(1, char_length(w) - 2) AS i
$$
"""
PUBLISHED = "status = 'published'"
TRIGRAMS = "library_search_trigram_idx"
BIGRAMS = "library_search_bigram_pub_idx"
OLD_BIGRAMS = "library_search_bigram_idx"
OLD_TRGM = "library_search_trgm_idx"


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGRAM_FUNCTION)
    for name, function in ((TRIGRAMS, "pa_trigrams"), (BIGRAMS, "pa_bigrams")):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON library_bestpractice USING gin ({function}(search_text)) "
            f"WHERE {PUBLISHED}"
        )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_BIGRAMS}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_TRGM}")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_TRGM} ON library_bestpractice USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_BIGRAMS} ON library_bestpractice USING gin (pa_bigrams(search_text))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {BIGRAMS}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAMS}")
    schema_editor.execute("DROP FUNCTION IF EXISTS pa_trigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("library", "0005_dashboard_covering_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
