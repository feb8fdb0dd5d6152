"""Speed benchmarks for Affilka URL doctor: `make bench` (or `python -m bench.run`).

Plain Python, not pytest: each module measures one group and returns a flat dict of figures; `run.py`
compares the figures with their goals, prints a table and writes `bench/latest.json`. Nothing here is a
timed test, so a slow machine never fails CI: it only shows ❌ in the table.
"""
