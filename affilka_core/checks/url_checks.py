"""The URL checks, one function per check id: what CasinoFlux needs from a pasted Affilka URL, each
pass, warn or fail with a title, a detail naming what is wrong and a fix in the guide's terms.
`url_result.check_url` runs them all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace

from affilka_core.budgets import EARLIEST_DATE, LATEST_DATE, MAX_SPAN_DAYS, MAX_SPAN_YEARS, within_dates
from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Check, Status, make_check
from affilka_core.dates import DAY_FORM, read_day
from affilka_core.guide import (
    COARSE_PERIODS,
    COLUMN_ALIASES,
    CUSTOMER_API_PREFIX,
    KNOWN_COLUMNS,
    REPORT_PATH,
    REQUIRED_COLUMNS,
    REQUIRED_GROUP_BY,
    is_known_column,
)
from affilka_core.text import first_n, plural
from affilka_core.url.allow_list import ALLOW_PRIVATE_HOSTS_ENV, allowed
from affilka_core.url.masking import mask_token
from affilka_core.url.parse import CONVERSION_ON, TOKEN_KEY, WRAPPED_EVIDENCE, AffilkaUrl, repeated_keys

# How fixes point at the suggested URL, which the URL check page and the CLI show after the checklist
# (faces without it, such as the batch table, say where it is instead).
SUGGESTED_BELOW = "the suggested URL below"


def _list(names: Iterable[str]) -> str:
    return ", ".join(names)


_COPY_AGAIN = (
    "In the JSON tab, click the address bar, select the whole URL and copy it again. If it reached you "
    "by e-mail or chat, ask for it in a plain-text file."
)
_JOIN_LINES = (
    "Paste the URL straight from the JSON tab's address bar, not from an e-mail reply or a chat. If only "
    "the e-mail has it, join its lines by hand (no quote marks, no spaces) or ask for it in a plain-text "
    "file."
)


def http_allowed(u: AffilkaUrl, allow: Collection[str] = frozenset()) -> bool:
    """Whether the URL's host may use http: it is in `allow` (`AFFILKA_ALLOW_PRIVATE_HOSTS`), as `host`
    or `host:port`, as a development server is. Every other host is fetched over https only."""
    return allowed(u.host, u.port, allow)


_WRAPPER_ARTICLE = {"Outlook Safe Links": "an"}


def check_url_parse(u: AffilkaUrl, allow: Collection[str] = frozenset()) -> Check:
    """url.parse: one complete https URL with a host (http only for a host in `allow`, see
    `http_allowed`)."""
    check = _check_url_parse(u, allow)
    return _unwrapped(u, check) if u.unwrapped else check


def _check_url_parse(u: AffilkaUrl, allow: Collection[str]) -> Check:
    if u.more_urls:
        count = u.more_urls + 1
        return make_check(
            CheckId.URL_PARSE,
            Status.FAIL,
            f"{count} URLs pasted",
            # Shown after the title ("2 URLs pasted — check them…"), so it does not repeat it.
            "Check them one at a time, or all together with Batch check (on the command line: check -). "
            "The checks below read the first one only.",
            "Paste one report URL here, or paste them all into Batch check (one per line, optionally "
            "'name, URL').",
        )
    if u.truncation and u.truncation[0] == WRAPPED_EVIDENCE:
        return make_check(
            CheckId.URL_PARSE,
            Status.FAIL,
            "URL is wrapped or cut off",
            "Where the URL ends is not certain: " + "; ".join(u.truncation) + ".",
            _JOIN_LINES,
        )
    if u.truncation:
        return make_check(
            CheckId.URL_PARSE,
            Status.FAIL,
            "URL is cut off",
            "The URL looks incomplete: " + "; ".join(u.truncation) + ".",
            _COPY_AGAIN,
        )
    repeated = repeated_keys(u)
    if repeated:
        values = [
            f"{key}="
            + first_n(
                [(mask_token(v) if key == TOKEN_KEY else v) or "(empty)" for k, v in u.params if k == key],
                3,
                sep=", then ",
            )
            for key in repeated
        ]
        return make_check(
            CheckId.URL_PARSE,
            Status.FAIL,
            f"{'Parameters' if len(repeated) > 1 else 'Parameter'} given more than once: {_list(repeated)}",
            f"The URL gives {'; '.join(values)}. These checks read the first value that is not empty; many "
            "servers keep the last, so which report Affilka would send is not certain.",
            "Copy the URL again from the JSON tab's address bar (Affilka writes each parameter once), or "
            f"use {SUGGESTED_BELOW}, which keeps the first value of each that is not empty.",
        )
    if u.scheme_added:
        return make_check(
            CheckId.URL_PARSE,
            Status.FAIL,
            "URL lacks https://",
            f"The URL starts with the host ({u.host}) instead of https://.",
            f"Copy the URL from the address bar including its start, https://, or use {SUGGESTED_BELOW}, "
            "which adds it.",
        )
    if u.scheme == "http" and http_allowed(u, allow):
        return make_check(
            CheckId.URL_PARSE,
            Status.PASS,
            "Complete URL (http allowed for this host)",
            f"Host {u.netloc} is listed in {ALLOW_PRIVATE_HOSTS_ENV}, so http is accepted for it.",
        )
    if u.scheme == "http":
        return make_check(
            CheckId.URL_PARSE,
            Status.FAIL,
            "URL uses http, not https",
            "The URL starts with http://: the token would travel unencrypted, so the report is never "
            "fetched over http. Affilka serves reports over https.",
            "Use https:// at the start of the URL, as the JSON tab's address bar shows it and as "
            f"{SUGGESTED_BELOW} does.",
        )
    return make_check(CheckId.URL_PARSE, Status.PASS, "Complete https URL", f"Host {u.netloc}.")


def _unwrapped(u: AffilkaUrl, check: Check) -> Check:
    """`check` told that the URL came out of a link wrapper: a warning of its own when nothing else is
    wrong, a sentence more when something is (the wrapper is worth knowing either way)."""
    article = _WRAPPER_ARTICLE.get(u.unwrapped, "a")
    if check.status == Status.PASS:
        return make_check(
            CheckId.URL_PARSE,
            Status.WARN,
            f"Unwrapped from {article} {u.unwrapped} address",
            f"The pasted link is {article} {u.unwrapped} address that leads to the report URL; the report "
            f"URL it carries (host {u.netloc}) is what was checked. {check.detail}",
            "In CasinoFlux, paste the report URL itself, copied from the JSON tab's address bar, not the "
            f"{u.unwrapped} address from the e-mail.",
        )
    said = f"The URL was taken out of {article} {u.unwrapped} address."
    return replace(check, detail=f"{check.detail} {said}".strip())


def check_url_encoding(u: AffilkaUrl) -> Check:
    """url.encoding: parameters encoded once, as Affilka writes them."""
    if u.repairs or u.unreadable_keys:
        found = list(u.repairs)
        if u.unreadable_keys:
            found.append("Affilka cannot read the parameter(s) " + _list(u.unreadable_keys))
        return make_check(
            CheckId.URL_ENCODING,
            Status.FAIL,
            "Parameters are mangled (wrongly encoded)",
            "The URL was encoded or escaped on the way, so Affilka would not read its parameters: "
            + "; ".join(found)
            + ". The other checks read the parameters as they were meant.",
            "Copy the URL straight from the JSON tab's address bar, not through a tool that re-encodes "
            f"it, or use {SUGGESTED_BELOW}, which is encoded correctly.",
        )
    return make_check(
        CheckId.URL_ENCODING,
        Status.PASS,
        "Parameters encoded correctly",
        "columns[] and group_by[] are readable (columns%5B%5D= and columns[]= are both fine).",
    )


def check_endpoint(u: AffilkaUrl) -> Check:
    """endpoint: the partner Statistics report, not another page or API."""
    path = u.path.rstrip("/") or "/"
    if path == REPORT_PATH:
        return make_check(CheckId.ENDPOINT, Status.PASS, "Statistics report endpoint", f"Path {REPORT_PATH}.")
    if path.startswith(CUSTOMER_API_PREFIX):
        return make_check(
            CheckId.ENDPOINT,
            Status.FAIL,
            "This is the Customer API, not the report export",
            f"The path {path} belongs to Affilka's Customer API, which takes its token in a request "
            "header. CasinoFlux needs the Statistics report URL, which carries the token in the URL.",
            "In the Affilka dashboard, open Reports → Statistics, click Filter, then Export report → "
            "JSON, and copy the URL of the tab that opens.",
        )
    if path.startswith(REPORT_PATH.rsplit(".", 1)[0]):
        return make_check(
            CheckId.ENDPOINT,
            Status.FAIL,
            "Report endpoint in another format",
            f"The path is {path}, the report in another format; CasinoFlux reads {REPORT_PATH}.",
            "Export the report as JSON (step 6) and copy that tab's URL.",
        )
    return make_check(
        CheckId.ENDPOINT,
        Status.FAIL,
        "Not the Statistics report endpoint",
        f"The path is {path}; the report's JSON export is at {REPORT_PATH}. This is probably a "
        "dashboard page rather than the export.",
        "In Affilka, go to Reports → Statistics, click Filter, then Export report → JSON, and copy the "
        "URL of the new tab.",
    )


def _edits(a: str, b: str, limit: int) -> int:
    """The edit distance between `a` and `b` (insertions, deletions, substitutions), or `limit + 1`
    once it is certainly more than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def meant_column(name: str) -> str | None:
    """The column Affilka knows that `name` most likely means: by meaning for a known alias (`ftd_count`
    → first_deposits_count), else a close spelling (at most 2 edits, 1 for short names), else None."""
    alias = COLUMN_ALIASES.get(name.lower())
    if alias:
        return alias
    limit = 2 if len(name) >= 8 else 1
    best: tuple[int, str] | None = None
    for known in KNOWN_COLUMNS:
        distance = _edits(name.lower(), known, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, known)
    return best[1] if best else None


def _aliases_present(u: AffilkaUrl, missing: Iterable[str]) -> list[str]:
    """The URL's columns that are other names of missing required ones, as "ftd_count (for
    first_deposits_count)"."""
    wanted = set(missing)
    return [
        f"{c} (for {COLUMN_ALIASES[c.lower()]})" for c in u.columns if COLUMN_ALIASES.get(c.lower()) in wanted
    ]


def check_columns_required(u: AffilkaUrl) -> Check:
    """columns.required: all eleven required columns are selected."""
    as_array = u.json_array_columns
    if as_array and not u.columns:
        missing = [c for c in REQUIRED_COLUMNS if c not in as_array]
        also = f" ({_list(missing)} also missing)" if missing else ""
        return make_check(
            CheckId.COLUMNS_REQUIRED,
            Status.FAIL,
            "Columns written as a JSON array",
            f"The URL lists its columns as a JSON array (columns=[…], {len(as_array)} names){also}; "
            "Affilka's export writes one columns[]= per column (columns[]=visits_count&columns[]=…), and "
            "that is the form CasinoFlux reads.",
            "Export the report again from Reports → Statistics (Filter, then Export report → JSON) and "
            f"copy the new tab's URL, which uses columns[]=; or use {SUGGESTED_BELOW}.",
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in u.columns]
    if not missing:
        return make_check(
            CheckId.COLUMNS_REQUIRED,
            Status.PASS,
            "All 11 required columns selected",
            _list(REQUIRED_COLUMNS) + ".",
        )
    other_names = _aliases_present(u, missing)
    also = (
        f" The URL has {_list(other_names)}: Affilka's export writes the name it is missing."
        if other_names
        else ""
    )
    return make_check(
        CheckId.COLUMNS_REQUIRED,
        Status.FAIL,
        f"{plural(len(missing), 'required column')} missing",
        "Missing: " + _list(missing) + "." + also,
        "In Reports → Statistics → Columns, select " + _list(missing) + ", click Filter and export "
        "again. If a column is not offered, ask your Affiliate Manager to enable it on your account.",
    )


# Unknown names given a "did you mean" each; the rest are listed by name.
_SUGGESTED_NAMES = 10


def check_columns_unknown(u: AffilkaUrl) -> Check:
    """columns.unknown: every column is one Affilka knows (warn with the name it most likely means
    otherwise). A name the URL was cut inside (`columns[]=first_`) is not checked: it is the cut."""
    cut = u.cut_column
    named = list(u.columns[:-1]) if cut is not None else list(u.columns)
    unknown = [c for c in named if not is_known_column(c)]
    if not unknown and cut is not None:
        return replace(
            make_check(
                CheckId.COLUMNS_UNKNOWN,
                Status.WARN,
                f"Not checked: the URL is cut off (inside the column name '{cut}')",
                f"The URL ends inside a column name ('{cut}'), so that name is only the cut; the other "
                "columns are names Affilka knows.",
                "See “URL is cut off”.",
            ),
            checked=False,
        )
    if not unknown:
        return make_check(
            CheckId.COLUMNS_UNKNOWN, Status.PASS, "No unknown columns", "Every column is one Affilka knows."
        )
    parts = []
    for name in unknown[:_SUGGESTED_NAMES]:
        near = meant_column(name)
        parts.append(f"'{name}' (did you mean '{near}'?)" if near else f"'{name}'")
    rest = len(unknown) - len(parts)
    shown = _list(parts) + (f" and {rest:,} more" if rest > 0 else "")
    cut_note = f" The last one, '{cut}', is where the URL is cut off: not checked." if cut is not None else ""
    return make_check(
        CheckId.COLUMNS_UNKNOWN,
        Status.WARN,
        f"{plural(len(unknown), 'column name')} Affilka does not know",
        "Unknown: " + shown + ". Affilka ignores columns it does not know." + cut_note,
        "Untick and re-select the column in Reports → Statistics → Columns rather than editing the URL "
        "by hand, then export again.",
    )


def check_group_by(u: AffilkaUrl) -> Check:
    """group_by.required: grouped by day, brand and campaign, with one date grouper only."""
    groupers = u.date_groupers
    wrote_date = "date" in u.group_by
    missing = [g for g in REQUIRED_GROUP_BY if g not in u.group_by]
    if not missing and len(groupers) == 1:
        return make_check(
            CheckId.GROUP_BY_REQUIRED,
            Status.PASS,
            "Grouped by day, brand and campaign",
            "group_by: " + _list(u.group_by) + ".",
        )
    details, fixes = [], []
    if missing:
        details.append("Missing: " + _list(missing) + ".")
    coarse = [g for g in groupers if g in COARSE_PERIODS]
    if len(groupers) > 1:
        details.append(
            f"{len(groupers)} date groupers ({_list(groupers)}): a report takes exactly one, and CasinoFlux "
            "needs day."
        )
        fixes.append("set Period to Day only (not " + _list(g.capitalize() for g in coarse) + ")")
    elif "day" in missing:
        if wrote_date:
            details.append(
                "The URL groups by 'date', which Affilka does not know: the period grouper is 'day'."
            )
        elif coarse:
            details.append(f"The period is grouped by {coarse[0]} instead of day.")
        fixes.append("set Period — Day" + (f" (not {coarse[0].capitalize()})" if coarse else ""))
    if "brand" in missing:
        fixes.append("toggle Brand ON")
    if "campaign" in missing:
        fixes.append("toggle Campaign ON")
    title = "Group by lacks " + _list(missing) if missing else "More than one date grouper"
    return make_check(
        CheckId.GROUP_BY_REQUIRED,
        Status.FAIL,
        title,
        " ".join(details),
        "In Reports → Statistics → Group by, " + _list(fixes) + ", then click Filter and export again.",
    )


def check_brand_filter(u: AffilkaUrl) -> Check:
    """brand.filter: a warning until the data shows one brand; the URL alone cannot prove it."""
    return make_check(
        CheckId.BRAND_FILTER,
        Status.WARN,
        "Brand filter not verifiable from the URL",
        "The URL does not show which brand is selected; one brand in the fetched report's data confirms "
        "the filter.",
        "In Reports → Statistics → Filters, select the one brand (casino) this Offer is for, click "
        "Filter and export again.",
    )


def check_filters(u: AffilkaUrl) -> Check:
    """filters.narrowing: a warning when the URL narrows the report to some campaigns, promo codes,
    strategies or tags; CasinoFlux would only ever see those."""
    if not u.filters:
        return make_check(
            CheckId.FILTERS_NARROWING,
            Status.PASS,
            "No campaign, promo code or strategy filter",
            "CasinoFlux sees every campaign of the brand.",
        )
    named = "; ".join(f"{name} = {first_n(values)}" for name, values in u.filters)
    return make_check(
        CheckId.FILTERS_NARROWING,
        Status.WARN,
        "The report is narrowed by filters",
        f"The URL filters {named}. CasinoFlux will only see those; anything else the brand brings in "
        "stays out of its numbers.",
        "If this Offer is for all of the brand's traffic, clear those filters in Reports → Statistics → "
        "Filters (keep the brand), click Filter and export again. If the Offer is for exactly these, "
        "keep them.",
    )


def check_period(u: AffilkaUrl) -> Check:
    """period.custom: the report period is `custom`, so from/to apply."""
    period = u.get("period")
    if period == "custom":
        return make_check(
            CheckId.PERIOD_CUSTOM, Status.PASS, "Period is custom", "period=custom, so from/to are used."
        )
    what = "is missing" if period is None else f"is '{period}'"
    return make_check(
        CheckId.PERIOD_CUSTOM,
        Status.FAIL,
        "Period is not custom",
        f"period {what}; CasinoFlux needs period=custom so the dates it sets are used.",
        "In Reports → Statistics → Filters, choose a custom date range rather than a preset (today, "
        "last month...), click Filter and export again.",
    )


_parse_date = read_day


def _datetime_day(value: str) -> str | None:
    """The YYYY-MM-DD day of a date and time like 2026-04-01T00:00:00Z, None for anything else."""
    value = value.strip()
    if len(value) <= 10:
        return None
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None


def check_dates(u: AffilkaUrl) -> Check:
    """dates.range: from/to present, YYYY-MM-DD, from not after to, both real report days
    (`budgets.EARLIEST_DATE` to `LATEST_DATE`), at most `MAX_SPAN_YEARS` apart."""
    fix = (
        "Pick a custom date range in Reports → Statistics → Filters, click Filter and export again. "
        "CasinoFlux replaces from/to on every sync; they only need to be valid."
    )
    problems = []
    for key in ("from", "to"):
        value = u.get(key)
        if value is None or value == "":
            problems.append(f"'{key}' is missing")
        elif _parse_date(value) is None:
            day = _datetime_day(value)
            if day:
                problems.append(
                    f"'{key}={value}' is a date and time; Affilka's export writes YYYY-MM-DD ({key}={day})"
                )
            elif DAY_FORM.fullmatch(value):
                problems.append(f"'{key}={value}': {value} is not a day of the calendar")
            else:
                problems.append(f"'{key}={value}' is not a date in YYYY-MM-DD form")
    if problems:
        return make_check(
            CheckId.DATES_RANGE, Status.FAIL, "Date range invalid", "; ".join(problems) + ".", fix
        )
    start, end = _parse_date(u.date_from), _parse_date(u.date_to)
    assert start and end
    if start > end:
        return make_check(
            CheckId.DATES_RANGE,
            Status.FAIL,
            "Date range reversed",
            f"from ({start}) is after to ({end}).",
            fix,
        )
    outside = [f"{key}={day}" for key, day in (("from", start), ("to", end)) if not within_dates(day)]
    if outside:
        return make_check(
            CheckId.DATES_RANGE,
            Status.FAIL,
            "Date range outside the years a report covers",
            f"{' and '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside {EARLIEST_DATE} → "
            f"{LATEST_DATE}: no Affilka report holds such days.",
            fix,
        )
    days = (end - start).days + 1
    if days > MAX_SPAN_DAYS:
        return make_check(
            CheckId.DATES_RANGE,
            Status.FAIL,
            f"Date range longer than {MAX_SPAN_YEARS} years",
            f"{start} → {end} is {plural(days, 'day')}; a report covers at most {MAX_SPAN_YEARS} years "
            f"({MAX_SPAN_DAYS:,} days).",
            f"Pick a custom date range of at most {MAX_SPAN_YEARS} years in Reports → Statistics → Filters, "
            "click Filter and export again. CasinoFlux replaces from/to on every sync; they only need to be "
            "valid.",
        )
    return make_check(
        CheckId.DATES_RANGE,
        Status.PASS,
        "Valid date range",
        f"{start} → {end} ({plural(days, 'day')}); CasinoFlux replaces these on every sync.",
    )


def check_currency(u: AffilkaUrl) -> Check:
    """currency.conversion: all money converted to one currency (`convert_all_currencies` on, with a
    `conversion_currency`), so totals never add different currencies."""
    convert = (u.get("convert_all_currencies") or "").strip().lower()
    fix = (
        "In Reports → Statistics → Filters, turn on converting all currencies and pick one currency (the "
        "guide's URL has convert_all_currencies=true&conversion_currency=EUR), click Filter and export "
        f"again; or use {SUGGESTED_BELOW}."
    )
    if u.converts_to:
        return make_check(
            CheckId.CURRENCY_CONVERSION,
            Status.PASS,
            f"Money converted to {u.converts_to}",
            f"convert_all_currencies={u.get('convert_all_currencies')}, conversion_currency={u.converts_to}.",
        )
    if convert in CONVERSION_ON:
        detail = "convert_all_currencies is on but no conversion_currency says into which currency."
    elif u.has("convert_all_currencies"):
        detail = (
            f"convert_all_currencies={u.get('convert_all_currencies')}: money arrives in each player's "
            "currency, and totals would add different currencies."
        )
    else:
        detail = "convert_all_currencies is absent: money may arrive in several currencies."
    return make_check(
        CheckId.CURRENCY_CONVERSION, Status.WARN, "Currencies not converted to one", detail, fix
    )


def check_format(u: AffilkaUrl) -> Check:
    """format.json: the URL asks for JSON."""
    path = u.path.rstrip("/")
    if path.endswith(".json") or u.get("format") == "json":
        return make_check(
            CheckId.FORMAT_JSON, Status.PASS, "JSON export", "The URL asks for the report as JSON."
        )
    ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    what = f"the report as .{ext}" if ext else "a page, not a JSON export"
    return make_check(
        CheckId.FORMAT_JSON,
        Status.FAIL,
        "Not a JSON export",
        f"The URL asks for {what}.",
        "Click Export report and choose JSON; copy the URL of the tab that opens and shows JSON.",
    )


_TOKEN_PLACES = {
    "fragment": (
        "after '#'",
        "the URL's fragment, after '#': a browser never sends that part, so Affilka would not receive it",
    ),
    "path": (
        "in the path",
        "the URL's path, before '?': Affilka reads the token from the parameters after '?', so it would "
        "not find it",
    ),
}


def check_token(u: AffilkaUrl) -> Check:
    """token.present: a token parameter that is the token itself, in the query where Affilka reads it
    (not empty, not a mask copied from a ticket or a screen, not after '#' or in the path)."""
    token = u.token
    if token and u.token_masked:
        return make_check(
            CheckId.TOKEN_PRESENT,
            Status.FAIL,
            "This token is masked",
            f"token={token} is a masked token (copied from a ticket or a screen), not the token itself: "
            "Affilka would refuse it.",
            "Paste the original URL from the JSON tab (in Affilka: Reports → Statistics → Filter → Export "
            "report → JSON), not a copy from a ticket, an export or a screen, which shows the token masked.",
        )
    if token and u.token_cut:
        return make_check(
            CheckId.TOKEN_PRESENT,
            Status.FAIL,
            "The token is cut off",
            f"The URL ends inside the token (token={mask_token(token)}, {len(token)} characters): the rest "
            "of it is missing, and an incomplete token does not work.",
            "Copy the whole URL again from the JSON tab's address bar: the token is near its end.",
        )
    if token:
        return make_check(
            CheckId.TOKEN_PRESENT,
            Status.PASS,
            "Token present",
            f"token={mask_token(token)} ({len(token)} characters). Affilka tokens expire: a fetch "
            "confirms it still works.",
        )
    if u.stray_token and u.stray_where == "key":
        return make_check(
            CheckId.TOKEN_PRESENT,
            Status.FAIL,
            "The token's key must be token, in lower case",
            f"The token ({mask_token(u.stray_token)}) is there, under the key {u.stray_key}: Affilka reads "
            "the key token, in lower case only, so it would find no token.",
            "Copy the whole URL from the JSON tab's address bar again (Affilka writes the key token, just "
            f"before page=1), or use {SUGGESTED_BELOW}, which writes the key as token.",
        )
    if u.stray_token and u.stray_where == "separator":
        return make_check(
            CheckId.TOKEN_PRESENT,
            Status.FAIL,
            "The token is not joined to its key by '='",
            f"The token ({mask_token(u.stray_token)}) is there, but its key is written {u.stray_key} "
            "instead of token and '=': a browser, an editor or a JSON tool changed the '=' on the way, so "
            "Affilka would find no token.",
            "Copy the whole URL straight from the JSON tab's address bar again, or use "
            f"{SUGGESTED_BELOW}, which joins the token to its key with '='.",
        )
    if u.stray_token and u.stray_where in _TOKEN_PLACES:
        short, where = _TOKEN_PLACES[u.stray_where]
        return make_check(
            CheckId.TOKEN_PRESENT,
            Status.FAIL,
            f"The token is {short}",
            f"token={mask_token(u.stray_token)} is in {where}. It belongs among the parameters, as "
            "&token=… just before &page=1.",
            f"Copy the whole URL from the JSON tab's address bar again, or use {SUGGESTED_BELOW}, which "
            "moves the token there.",
        )
    what = "is empty" if u.has("token") else "is missing"
    return make_check(
        CheckId.TOKEN_PRESENT,
        Status.FAIL,
        "No token",
        f"The token parameter {what}, so Affilka cannot tell whose report this is.",
        "Log in to Affilka, export the report as JSON again, and copy the whole URL: the token is near "
        "its end.",
    )


def check_page(u: AffilkaUrl) -> Check:
    """page.first: `page=1`."""
    page = u.get("page")
    if page == "1":
        return make_check(
            CheckId.PAGE_FIRST, Status.PASS, "Page is 1", "page=1: the report starts at its first page."
        )
    if page is None:
        return make_check(
            CheckId.PAGE_FIRST,
            Status.WARN,
            "No page parameter",
            "page is missing; the guide's URL ends with page=1.",
            f"Copy the whole URL again (page=1 comes last), or use {SUGGESTED_BELOW}.",
        )
    return make_check(
        CheckId.PAGE_FIRST,
        Status.FAIL,
        "Page is not 1",
        f"page={page}; CasinoFlux reads the report from page 1 and fetches the rest itself.",
        "Change page to 1 at the end of the URL, or export again from Reports → Statistics and copy the "
        "URL before paging through the JSON.",
    )


URL_CHECKS: tuple[Callable[[AffilkaUrl], Check], ...] = (
    check_endpoint,
    check_columns_required,
    check_columns_unknown,
    check_group_by,
    check_brand_filter,
    check_filters,
    check_period,
    check_dates,
    check_currency,
    check_format,
    check_url_parse,
    check_url_encoding,
    check_token,
    check_page,
)
