"""The checks: the model (`model`: a check and its status), the URL checks (`url_checks`, run by
`url_result.check_url`), what a failed fetch means (`advice`, `fetch_checks`), the data checks
(`data_checks`), the two combined after a fetch (`combine`), the verdict (`verdict`) and where each guide
step stands (`guide_status`)."""
