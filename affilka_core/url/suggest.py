"""The suggested URL: what CasinoFlux can use, built from a pasted one, and what it changes in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from affilka_core.budgets import within_range
from affilka_core.dates import last_days, read_day
from affilka_core.guide import REPORT_PATH, REQUIRED_COLUMNS, REQUIRED_GROUP_BY
from affilka_core.url.parse import (
    CANONICAL_ORDER,
    KNOWN_KEYS,
    AffilkaUrl,
    build_url,
    parse_url,
    repeated_keys,
)


def _usable(start: str, end: str) -> bool:
    """Whether from..to passes `dates.range`: real dates, in order, report days, at most five years."""
    first, last = read_day(start), read_day(end)
    return first is not None and last is not None and within_range(first, last)


def suggest_url(
    url: AffilkaUrl,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> str:
    """Build the URL CasinoFlux can use: required columns and group_by added, `period=custom`,
    `page=1`, the report endpoint, encoding repaired. Dates are replaced when given, and filled with
    the last 30 days when the URL has no valid ones. The token is kept in clear; mask before showing.
    """
    # A name the URL was cut inside is only the cut: the required names replace it.
    columns = list(url.columns[:-1] if url.cut_column is not None else url.columns)
    columns += [c for c in REQUIRED_COLUMNS if c not in columns]
    group_by = [g for g in url.group_by if g not in ("week", "month", "year")]
    group_by += [g for g in REQUIRED_GROUP_BY if g not in group_by]

    start, end = url.date_from, url.date_to
    if date_from is not None:
        start = str(date_from)
    if date_to is not None:
        end = str(date_to)
    if not (start and end and _usable(start, end)):
        start, end = (day.isoformat() for day in last_days(30, today))
    rates_date = (
        end if (date_to is not None or not url.get("exchange_rates_date")) else url.get("exchange_rates_date")
    )

    fixed: dict[str, list[str]] = {
        "from": [start],
        "to": [end],
        "period": ["custom"],
        "exchange_rates_date": [rates_date or end],
        "convert_all_currencies": [url.get("convert_all_currencies") or "true"],
        "conversion_currency": [url.get("conversion_currency") or "EUR"],
        "columns[]": columns,
        "group_by[]": group_by,
    }
    params: list[tuple[str, str]] = [(k, v) for k in CANONICAL_ORDER for v in fixed[k]]
    skip = set(CANONICAL_ORDER) | {"token", "page", "format"}
    seen: set[str] = set()
    # The last parameter of a cut URL, when its name is no parameter Affilka knows, is only the cut.
    remnant = (
        len(url.params) - 1 if url.truncation and url.params and url.params[-1][0] not in KNOWN_KEYS else -1
    )
    for i, (key, value) in enumerate(url.params):
        if i == remnant:
            continue
        if key in skip or key in url.unreadable_keys or (key in seen and not key.endswith("[]")):
            continue  # a parameter given twice keeps its first value, as the checks read it
        seen.add(key)
        params.append((key, value))
    if not url.has("name"):
        params.append(("name", ""))
    # A token after '#' or in the path is moved to where Affilka reads it. A cut URL's token is left out
    # when it is cut too, and none is made up when the cut took it.
    token = url.token or url.stray_token or ""
    if not (url.truncation and (url.token_cut or not token)):
        params.append(("token", token))
    params.append(("page", "1"))
    scheme = url.scheme if not url.scheme_added else "https"
    return build_url(scheme, url.netloc, REPORT_PATH, params)


# How the suggestion moved a token Affilka would not read, by `AffilkaUrl.stray_where`.
_MOVED = {
    "fragment": "token moved from the fragment into the parameters",
    "path": "token moved from the path into the parameters",
    "key": "token moved from {key}= to token=",
    "separator": "token moved from {key}… to token=",
}


# Parameters whose new value the note says ("page set to 1").
_SAID_KEYS = ("period", "from", "to", "exchange_rates_date", "convert_all_currencies", "page")


def _key_order(params: tuple[tuple[str, str], ...], keep: set[str]) -> list[str]:
    return list(dict.fromkeys(k for k, _ in params if k in keep))


def suggestion_changes(url: AffilkaUrl, suggested: str) -> list[str]:
    """What the suggested URL changes in `url`, in words ("columns added: ngr", "page set to 1"), for the line
    that introduces it; empty when it changes nothing."""
    new = parse_url(suggested)
    changes: list[str] = []
    if url.scheme != new.scheme:
        changes.append(f"{new.scheme}://")
    if url.path.rstrip("/") != new.path:
        changes.append(f"path {url.path} → {new.path}")
    for name, old, now in (("columns", url.columns, new.columns), ("group_by", url.group_by, new.group_by)):
        added = [v for v in now if v not in old]
        dropped = [v for v in old if v not in now]
        if added:
            changes.append(f"{name} added: {', '.join(added)}")
        if dropped:
            changes.append(f"{name} removed: {', '.join(dropped)}")
    for key in _SAID_KEYS:
        if url.get(key) != new.get(key) and new.get(key) is not None:
            changes.append(f"{key} set to {new.get(key)}")
    for key in repeated_keys(url):
        kept = url.get(key) if key != "token" else "…"
        changes.append(f"{key} given more than once: one kept ({key}={kept})")
    if url.stray_token and new.token:
        changes.append(_MOVED[url.stray_where].format(key=url.stray_key))
    if url.token_cut:
        changes.append("the cut token left out")
    elif not url.has("token") and not url.stray_token and new.has("token"):
        changes.append("token= added (empty)")
    if not url.has("name") and new.has("name"):
        changes.append("name= added")
    if url.repairs:
        changes.append("encoding repaired")
    shared = {k for k, _ in url.params} & {k for k, _ in new.params}
    if _key_order(url.params, shared) != _key_order(new.params, shared):
        changes.append("parameters put in Affilka's order")
    return changes


@dataclass(frozen=True, slots=True)
class SuggestionNote:
    """What introduces a suggested URL: `changes` (see `suggestion_changes`), `needs` (what it still
    lacks to work, "" when nothing), `reveal` (it holds the real token: showing the token gives the
    complete URL) and `usable` (offering it to use in place of the paste makes sense: not when the paste
    was cut off, since what followed the cut is not known)."""

    changes: tuple[str, ...]
    needs: str
    reveal: bool
    usable: bool


def suggestion_note(url: AffilkaUrl, suggested: str) -> SuggestionNote:
    """The note above the suggested URL for `url`."""
    changes = tuple(suggestion_changes(url, suggested))
    if url.token_cut:
        needs = (
            "The token is incomplete (the URL was cut inside it), so this URL cannot work: copy the whole "
            "URL again from the JSON tab's address bar."
        )
        return SuggestionNote(changes, needs, False, False)
    if url.truncation:
        needs = (
            "The URL was cut off, so what followed the cut (the token among it) is not known: copy the "
            "whole URL again from the JSON tab's address bar."
        )
        return SuggestionNote(changes, needs, False, False)
    if url.token_masked:
        needs = (
            "It still needs the real token (this one is masked): paste the original URL from the JSON tab."
        )
        return SuggestionNote(changes, needs, False, True)
    if url.token or url.stray_token:
        return SuggestionNote(changes, "", True, True)
    needs = "It still needs a token: export the report again in Affilka and copy the new URL."
    return SuggestionNote(changes, needs, False, True)
