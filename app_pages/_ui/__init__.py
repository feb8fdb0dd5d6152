"""Streamlit pieces the pages share, one module per role: `routes` (the pages), `state` (the pasted URL),
`reports` (the loaded report and fetching), `checklist` (verdict and checks), `layout` (headers, sidebar,
empty states).

Kept beside the pages (a package, not a page). Only arrangement on screen and session bookkeeping live
here; every rule and computation comes from affilka_core.
"""
