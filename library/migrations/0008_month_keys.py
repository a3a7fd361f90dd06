"""The piece indexes also hold each case's month of publication (ADR 0037).

A search that matches more cases than it counts ranks those of the fewest recent months that
hold more than that (library/search.py `_window`), so its cost stops growing with the
library. The month has to be in the same GIN index as the pieces: PostgreSQL does not AND
the piece index with a date index (it expects a piece to match far fewer cases than a
popular one does), and a btree_gin column of dates is a range scan of every day's entry
(8–24 ms at 1M reports, against 0.9 ms for a list of months in the array).

- `pa_trigram_keys(text, published_at)` and `pa_bigram_keys(text, published_at)`: the
  pieces of 0004/0006 plus one element '@YYYYMM' (the month in Seoul: Korea keeps no
  daylight saving, so the zone's rule is fixed), which no piece can equal (pieces are letters
  and digits); '@' alone for a case never published. Each replaces its function's index; the old
  indexes are dropped last (see 0006 for the locks; build the new ones beforehand with
  CREATE INDEX CONCURRENTLY under the same names on a very large table).
SQLite is untouched: its window is a `published_at >=` filter on the FTS5 matches.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# The body calls nothing of ours (only pg_catalog's functions): pg_restore builds the index
# with an empty search_path, where a call of pa_trigrams() would not be found.
KEYS_FUNCTION = """
CREATE OR REPLACE FUNCTION pa_{size}_keys(t text, p timestamptz) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    (SELECT array_agg(DISTINCT substr(w, i, {length}))
     FROM regexp_split_to_table(lower(t), '[^[:alnum:]]+') AS w,
          generate_series(1, char_length(w) - {length} + 1) AS i),
    '{{}}'
  ) || ARRAY[
    '@' || coalesce(
      (extract(year FROM p AT TIME ZONE 'Asia/Seoul') * 100 + extract(month FROM p AT TIME ZONE 'Asia/Seoul'))::int::text,
      ''
    )
  ]
$$
"""
PUBLISHED = "status = 'published'"
INDEXES = (
    ("trigram", "library_search_trigram_keys_idx", "library_search_trigram_idx"),
    ("bigram", "library_search_bigram_keys_idx", "library_search_bigram_pub_idx"),
)
LENGTHS = {"trigram": 3, "bigram": 2}


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for size, name, _ in INDEXES:
        schema_editor.execute(KEYS_FUNCTION.format(size=size, length=LENGTHS[size]))
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON library_bestpractice "
            f"USING gin (pa_{size}_keys(search_text, published_at)) WHERE {PUBLISHED}"
        )
    for _, _, old in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {old}")
    # the planner's statistics of the new index expressions (else none until autovacuum)
    schema_editor.execute("ANALYZE library_bestpractice")


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for size, name, old in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {old} ON library_bestpractice USING gin (pa_{size}s(search_text)) "
            f"WHERE {PUBLISHED}"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS pa_{size}_keys(text, timestamptz)")


class Migration(migrations.Migration):
    dependencies = [("library", "0007_office_list_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
