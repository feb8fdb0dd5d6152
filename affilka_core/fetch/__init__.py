"""The fetcher: every page of a report (`report.fetch_report`), one page paced, retried and bounded
(`page`), how a fetch behaves (`settings.FetchSettings`), HTTP sessions (`session`), which addresses may
be reached (`address_guard`), the page deadline (`deadline`) and one pace per host (`pacing`)."""
