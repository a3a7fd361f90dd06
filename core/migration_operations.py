"""Migration operations the apps share."""

from __future__ import annotations

from typing import Any

from django.db import migrations

#: the share of a table changed (or inserted) after which autovacuum visits it; PostgreSQL's
#: default is 0.2. A smaller share keeps the visibility map of a large table current, so its
#: counts stay index-only (ADR 0031).
VACUUM_SHARE = 0.02


def vacuum_often(table: str) -> migrations.RunPython:
    """Have autovacuum visit `table` after VACUUM_SHARE of it changed (PostgreSQL only;
    nothing on SQLite). Reversible: the reverse restores PostgreSQL's defaults."""

    def alter(settings: str) -> Any:
        def run(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} {settings}")

        return run

    parameters = "autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_scale_factor"
    return migrations.RunPython(
        alter(
            f"SET (autovacuum_vacuum_insert_scale_factor = {VACUUM_SHARE}, "
            f"autovacuum_vacuum_scale_factor = {VACUUM_SHARE})"
        ),
        alter(f"RESET ({parameters})"),
        elidable=False,
    )
