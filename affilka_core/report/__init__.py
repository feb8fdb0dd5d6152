"""The report: one page decoded (`schema`, `decode`), its cells as typed columns (`columns`), the frame
and what the report says of itself (`frame.ParsedReport`), its periods (`periods`) and the raw preview
(`preview`). No network here."""
