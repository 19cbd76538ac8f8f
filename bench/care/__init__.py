"""The care benchmark (issue 3): ``python -m bench.care`` on PostgreSQL.

Builds invented data at scale with COPY (persons, their history, millions of contacts) in a database
of its own, resumable, then measures the person page with its first timeline page (Django's test
client) and quick-contact POSTs per second (gunicorn, 2 workers, wrk on loopback). See bench/README.md.
"""
