"""What every value kept in the shared cache puts in its key.

One cache (Redis) may serve several databases: a test run, a benchmark's databases of
several sizes, two sites. Their rows share numbers, so a value counted from one must never
be read for another: keys of values read from the database carry `database_tag()`.
"""

from __future__ import annotations

import hashlib

from django.db import connection


def database_tag() -> str:
    """A short digest naming the default database (vendor, host, port and name)."""
    db = connection.settings_dict
    name = f"{connection.vendor}/{db.get('HOST') or ''}/{db.get('PORT') or ''}/{db.get('NAME')}"
    return hashlib.blake2b(name.encode(), digest_size=8).hexdigest()
