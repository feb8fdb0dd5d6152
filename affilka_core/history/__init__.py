"""The case history: every check and fetch remembered (masked, never the token, never the report's
rows), so anyone on the team can see when an Offer's URL broke and what it said then.

`settings` (where the history lives, from the environment), `case` (the record built from a
`Diagnosis`), `timeline` (when an Offer broke), `schema` and `migrate` (the table, created and upgraded
by Alembic on first use), `store` (record, read, purge). Only `store`, `schema` and `migrate` import
SQLAlchemy, so checking a URL without recording stays fast.
"""
