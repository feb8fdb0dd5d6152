"""Alembic's migrations of the case history, shipped in the package so they run from any working
directory (`affilka_core.history.migrate` runs them on first use). A new revision: add a file under
`versions/` and move `schema.HEAD` to it."""
