"""The benchmark suite of issue 8 (`make bench`; ADR 0025).

Each measure runs beside its baseline in the same run, so that the ratio holds on a
shared, noisy machine: the anonymous report form against a bare Django view that writes
one row (same server, same settings), the staff case list and the dashboards against the
same SQL replayed through psycopg, the Korean search against a LIKE scan. Results land in
bench/results/ as markdown and JSON.
"""
