"""A pasted URL read as Affilka would: repaired where it can safely be, parsed into an `AffilkaUrl`.

A URL reaches us through browsers, e-mail, chat and ticket systems, each of which mangles it in its own
way. `parse_url` undoes what can safely be undone and records what it found, so the checks can say
exactly what went wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from affilka_core.budgets import MAX_PASTE_CHARS, MAX_URL_CHARS
from affilka_core.dates import read_day
from affilka_core.errors import InvalidURL
from affilka_core.guide import KNOWN_COLUMNS, REQUIRED_COLUMNS, REQUIRED_GROUP_BY
from affilka_core.url.masking import mask_token, mask_url
from affilka_core.url.paste import SCHEME, clean_paste, find_urls

LIST_KEYS = ("columns", "group_by")
DATE_GROUPERS = ("day", "week", "month", "year")
# Filters that narrow a report to some campaigns, promo codes, strategies or player tags: CasinoFlux then
# sees only those. (The brand filter is wanted: guide step 4.)
NARROWING_FILTERS = ("campaign_ids", "campaigns", "promo_codes", "strategies", "strategy_ids")
_BRAND_FILTERS = ("brand_ids", "brands", "brand")
TOKEN_KEY = "token"
CONVERSION_ON = ("true", "1", "yes", "on")  # what `convert_all_currencies` is read as "on" from
AFFILKA_TOKEN_LENGTH = 32

# Keys Affilka's own export writes, in its order; the suggested URL follows it.
CANONICAL_ORDER = (
    "from",
    "to",
    "period",
    "exchange_rates_date",
    "convert_all_currencies",
    "conversion_currency",
    "columns[]",
    "group_by[]",
)
# What CasinoFlux rewrites on every sync; the rest of a URL says which report it is.
_DATED_KEYS = frozenset({"from", "to", "exchange_rates_date", "page"})
KNOWN_KEYS = frozenset(CANONICAL_ORDER) | {"name", "token", "page", "columns", "group_by", "format"}

_DOUBLE_ENCODED = re.compile(r"%25[0-9A-Fa-f]{2}")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HTML_AMP = re.compile(r"&(?:amp|#0*38|#x0*26);", re.IGNORECASE)
_JSON_ESCAPE = re.compile(r"\\u0026|\\/", re.IGNORECASE)
_MARKDOWN_ESCAPE = re.compile(r"\\([_\[\]&=])")
_HEX = re.compile(r"[0-9a-fA-F]+")
# A token written into the path (`…/report.json/token=…`, `…report.json&token=…`) instead of the query.
# The value runs to the end of the path: a base64 token may hold '/'.
_TOKEN_IN_PATH = re.compile(r"[/&;]token=([^?#&;]*)", re.IGNORECASE)
# A token written as one more path segment, without its key (`…/report.json/<token>`).
_AFTER_REPORT = re.compile(r"(report\.json)/(.+)", re.IGNORECASE)


# `token` joined to its value by something that is not a plain '=' (what browsers, editors and JSON make
# of it): Affilka reads no token there. At the start of the query or after '&' or ';'.
_ODD_SEPARATOR = re.compile(
    r"(?:^|(?<=[&;]))token(%EF%BC%9D|%EF%BC%9A|＝|：|&equals;|&colon;|&#0*61;|&#x0*3d;|\\x3d|\\x3a|\\u003d|"
    r"\\u003a|%253D|%3D|%3A|%22%3A%22|%22:%22|\":\")([^&;#]+)",
    re.IGNORECASE,
)
# Where a token may stand that Affilka does not read it from, said after "The token is …".
STRAY_PLACES = {
    "fragment": "after '#'",
    "path": "in the path",
    "key": "under a key written in capitals",
    "separator": "joined to its key by something other than '='",
}


@dataclass(frozen=True, slots=True)
class AffilkaUrl:
    """A parsed report URL.

    `params` are the decoded parameters after repair, in order, with repeated list values kept once.
    `repairs` names each kind of mangling that was undone; `truncation` lists evidence that the URL
    was cut off; both are empty for a clean URL. `wrapped` says the URL stopped at a line break before
    a line that may hold its rest (see `paste.Cleaned`). `stray_token` is a token written where Affilka
    never reads it (`stray_where`: "fragment", after '#', or "path"), when the query has none; the
    path is read without it.
    """

    raw: str
    cleaned: str
    scheme: str
    host: str
    port: int | None
    path: str
    params: tuple[tuple[str, str], ...]
    scheme_added: bool = False
    repairs: tuple[str, ...] = ()
    truncation: tuple[str, ...] = ()
    unreadable_keys: tuple[str, ...] = field(default=())
    more_urls: int = 0  # further report URLs found in the same pasted text
    wrapped: bool = False
    stray_token: str | None = None
    stray_where: str = ""
    stray_key: str = ""
    unwrapped: str = ""  # the link wrapper ("Outlook Safe Links") the URL was taken out of, if any

    def __repr__(self) -> str:
        # The fields hold the token in clear; a repr lands in logs and tracebacks.
        return f"AffilkaUrl({self.masked()!r})"

    @property
    def netloc(self) -> str:
        """Host and port as they appear in the URL."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port else host

    def get(self, key: str) -> str | None:
        """The first value of a parameter that is not empty (`token=&token=VALUE` holds a token), else
        its empty value, or None when absent."""
        found = None
        for k, v in self.params:
            if k == key:
                if v:
                    return v
                found = v
        return found

    def get_all(self, key: str) -> tuple[str, ...]:
        """Every value of a list parameter (`columns`, `group_by`, ...), empty ones dropped."""
        return tuple(v for k, v in self.params if k == f"{key}[]" and v)

    def has(self, key: str) -> bool:
        """Whether the parameter appears at all, even empty."""
        return any(k == key for k, _ in self.params)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.get_all("columns")

    @property
    def group_by(self) -> tuple[str, ...]:
        return self.get_all("group_by")

    @property
    def date_groupers(self) -> tuple[str, ...]:
        """The date groupers among group_by (day, week, month, year): a report takes exactly one."""
        return tuple(g for g in self.group_by if g in DATE_GROUPERS)

    @property
    def json_array_columns(self) -> tuple[str, ...]:
        """Columns written as a JSON array (`columns=["visits_count",…]`, an older client's form that
        Affilka's export does not use), empty when there is none."""
        for key, value in self.params:
            if key == "columns" and value.lstrip().startswith("["):
                try:
                    names = json.loads(value)
                except ValueError:
                    return ()
                return tuple(str(n) for n in names) if isinstance(names, list) else ()
        return ()

    @property
    def filters(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The filters that narrow the report to some campaigns, promo codes, strategies or tags, each as
        (name without brackets, values), in URL order."""
        found: dict[str, list[str]] = {}
        for key, value in self.params:
            base = key.partition("[")[0].lower()
            narrowing = base in NARROWING_FILTERS or (
                base not in _BRAND_FILTERS and (base.endswith("_ids") or "tag" in base)
            )
            if narrowing and value:
                found.setdefault(base, []).append(value)
        return tuple((k, tuple(v)) for k, v in found.items())

    @property
    def token(self) -> str | None:
        return self.get(TOKEN_KEY)

    @property
    def token_masked(self) -> bool:
        """Whether the token is a mask (`0123…cdef`, `0123...cdef`, `••••`, as tickets, exports and screens
        show it) rather than the token itself."""
        token = (self.token or "").replace("...", "…")
        return bool(token) and mask_token(token) == token

    @property
    def secret_params(self) -> tuple[tuple[str, str], ...]:
        """`params` plus the stray token, if any: every value outputs must mask."""
        return (*self.params, (TOKEN_KEY, self.stray_token)) if self.stray_token else self.params

    @property
    def cut_column(self) -> str | None:
        """The last column's name when the URL was cut off inside it (`columns[]=first_`), else None."""
        if not self.truncation or not self.params:
            return None
        key, value = self.params[-1]
        return value if key == "columns[]" and value and value not in KNOWN_COLUMNS else None

    @property
    def token_cut(self) -> bool:
        """Whether the URL was cut off inside (or right after) its token, the last thing it holds: the
        token is then incomplete."""
        return bool(
            self.truncation and self.params and self.params[-1][0] == TOKEN_KEY and self.params[-1][1]
        )

    @property
    def date_from(self) -> str | None:
        return self.get("from")

    @property
    def date_to(self) -> str | None:
        return self.get("to")

    @property
    def currency(self) -> str | None:
        return self.get("conversion_currency")

    @property
    def converts_to(self) -> str | None:
        """The one currency Affilka is asked to convert all money to (`convert_all_currencies` on, with a
        `conversion_currency`), else None."""
        on = (self.get("convert_all_currencies") or "").strip().lower() in CONVERSION_ON
        return ((self.currency or "").strip() or None) if on else None

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        """(from, to) as dates, or None when either is missing, malformed or they are reversed."""
        start, end = read_day(self.date_from), read_day(self.date_to)
        if start is None or end is None:
            return None
        return (start, end) if start <= end else None

    def summary(self) -> dict[str, str]:
        """The parameters people look at first, as display strings (token masked)."""
        required = sum(c in self.columns for c in REQUIRED_COLUMNS)
        extra = [c for c in self.columns if c not in REQUIRED_COLUMNS]
        currency = self.currency or "as booked (no conversion)"
        if (self.get("convert_all_currencies") or "true").strip().lower() not in CONVERSION_ON:
            currency += " (conversion off)"
        return {
            "Host": self.netloc,
            "Dates": f"{self.date_from or '?'} → {self.date_to or '?'}",
            "Period": self.get("period") or "(missing)",
            "Currency": currency,
            "Columns": f"{required} of {len(REQUIRED_COLUMNS)} required"
            + (f" + {len(extra)} more" if extra else ""),
            "Group by": ", ".join(self.group_by) or "(none)",
            "Token": self._token_summary(),
            "Page": self.get("page") or "(missing)",
        }

    def _token_summary(self) -> str:
        if self.token:
            return mask_token(self.token) + (" (a mask, not the token)" if self.token_masked else "")
        if self.stray_token:
            return f"{mask_token(self.stray_token)} ({STRAY_PLACES.get(self.stray_where, '')}, not read)"
        return "(missing)"

    def shown_params(self) -> list[tuple[str, str]]:
        """Every parameter as (key, value) for display, the value of any key naming a token masked."""
        return [(k, mask_token(v) if "token" in k.lower() else v) for k, v in self.params]

    def identity(self) -> tuple:
        """The URL minus its dates and page: a date change is the same report, a new token is not."""
        dated = tuple(p for p in self.params if p[0] not in _DATED_KEYS)
        return (self.netloc, self.path, dated, self.stray_token)

    def offer_key(self) -> str:
        """Which Offer's report this is, whatever its dates, page or token: the URL without `token`
        (any key naming one), `from`, `to`, `exchange_rates_date` and `page`, its parameters in a
        canonical order (Affilka's export order, then the rest by name; values sorted), anything
        token-like masked. The same Offer's URL on any date range, with any token, gives the same key."""
        rank = {key: i for i, key in enumerate(CANONICAL_ORDER)}
        kept = [(k, v) for k, v in self.params if k not in _DATED_KEYS and TOKEN_KEY not in k.lower()]
        kept.sort(key=lambda p: (rank.get(p[0], len(rank)), p[0], p[1]))
        return mask_url(build_url(self.scheme, self.netloc, self.path, kept))

    def url(self) -> str:
        """The URL as Affilka would read it (repaired), with the token in clear."""
        return build_url(self.scheme, self.netloc, self.path, self.params)

    def masked(self) -> str:
        """The repaired URL with the token masked: safe to show, log or export."""
        return mask_url(self.url())


# The parameters that decide which report comes back and take one value each.
_SINGLE_VALUED = frozenset(k for k in CANONICAL_ORDER if not k.endswith("[]")) | {TOKEN_KEY, "page", "format"}


def repeated_keys(url: AffilkaUrl) -> tuple[str, ...]:
    """The parameters that take one value yet are given more than once (`page=1&…&page=2`): the checks
    read the first that is not empty, many servers keep the last. List parameters (`columns[]`) repeat
    by design; a report's `name` decides nothing CasinoFlux reads."""
    counts: dict[str, int] = {}
    for key, _ in url.params:
        if key in _SINGLE_VALUED:
            counts[key] = counts.get(key, 0) + 1
    return tuple(key for key, n in counts.items() if n > 1)


def _repair(text: str) -> tuple[str, list[str], list[str]]:
    """Undo mangling; return the repaired text, what was repaired, and keys still unreadable."""
    repairs: list[str] = []
    if re.match(r"https?%3A%2F%2F", text, re.IGNORECASE):
        text = unquote(text)
        repairs.append("the whole URL was percent-encoded (https%3A%2F%2F…)")
    if _HTML_AMP.search(text):
        text = _HTML_AMP.sub("&", text)
        repairs.append("'&' was written as the HTML entity '&amp;'")
    if _JSON_ESCAPE.search(text):
        text = text.replace("\\u0026", "&").replace("\\U0026", "&").replace("\\/", "/")
        repairs.append("the URL carries JSON escapes (\\u0026, \\/)")
    if _MARKDOWN_ESCAPE.search(text):
        text = _MARKDOWN_ESCAPE.sub(r"\1", text)
        repairs.append("backslashes were added before '_', '[' or ']' (Markdown escaping)")
    if _DOUBLE_ENCODED.search(text):
        sample = _DOUBLE_ENCODED.search(text).group(0)  # type: ignore[union-attr]
        for _ in range(3):
            if not _DOUBLE_ENCODED.search(text):
                break
            text = _DOUBLE_ENCODED.sub(lambda m: unquote(m.group(0)), text)
        repairs.append(f"parameters are double-encoded ({sample}… instead of %{sample[3:]}…)")
    unreadable = []
    query = text.partition("?")[2].partition("#")[0]
    # An escape cut off at the very end is truncation, reported separately.
    if _BAD_ESCAPE.search(re.sub(r"%[0-9A-Fa-f]?$", "", query)):
        repairs.append("a '%' is not followed by two hex digits, so it is not a valid escape")
    # A key cut inside an escape at the very end (`group_by%5B%`) is the cut, not mangling.
    cut = re.search(r"%[0-9A-Fa-f]?$", query)
    if cut:
        query = query[: max(query.rfind("&", 0, cut.start()), query.rfind(";", 0, cut.start()), 0)]
    for key, _ in parse_qsl(query, keep_blank_values=True):
        if "%" in key or (("[" in key) != ("]" in key)):
            unreadable.append(key)
    return text, repairs, unreadable


def _normalise_key(key: str) -> str:
    """`columns[0]` and `columns[]` are the same list parameter; other keys are kept as written."""
    base, bracket, _ = key.partition("[")
    if bracket and base in LIST_KEYS and re.fullmatch(r"\[\d*\]", key[len(base) :]):
        return f"{base}[]"
    return key


WRAPPED_EVIDENCE = (
    "it stops at the end of a line, and the next line may hold its rest: e-mail and chat apps wrap (and "
    "quote) long URLs"
)


def _truncation_evidence(
    query: str, params: list[tuple[str, str]], ellipsis: bool, wrapped: bool = False
) -> list[str]:
    evidence = []
    if ellipsis:
        evidence.append("it ends with an ellipsis (…), as chat apps show a shortened link")
    if re.search(r"%[0-9A-Fa-f]?$", query):
        evidence.append("it ends in the middle of an escape sequence ('%')")
    if not params:
        return evidence
    key, value = params[-1]
    raw_last = query.rsplit("&", 1)[-1]
    keys = {k for k, _ in params}
    # A short name at the end is a cut only where the tail Affilka writes after the columns is gone;
    # with the token and page there, `columns[]=deposits` is a name to correct, not a cut.
    tail_gone = TOKEN_KEY not in keys and "page" not in keys
    if "=" not in raw_last and _normalise_key(key) not in KNOWN_KEYS:
        evidence.append(f"it ends in the middle of a parameter name ('{key}')")
    elif _normalise_key(key) in ("columns[]",) and value and value not in KNOWN_COLUMNS:
        if tail_gone and any(c.startswith(value) for c in KNOWN_COLUMNS):
            evidence.append(f"it ends in the middle of a column name ('{value}')")
    elif _normalise_key(key) == "group_by[]" and value and value not in REQUIRED_GROUP_BY:
        if tail_gone and any(g.startswith(value) for g in REQUIRED_GROUP_BY):
            evidence.append(f"it ends in the middle of a group_by value ('{value}')")
    elif key == TOKEN_KEY and value and _HEX.fullmatch(value) and len(value) < AFFILKA_TOKEN_LENGTH:
        evidence.append(
            f"the token is the last thing in the URL and has {len(value)} of the usual "
            f"{AFFILKA_TOKEN_LENGTH} characters"
        )
    if (evidence or _normalise_key(key) in ("columns[]", "group_by[]")) and tail_gone:
        evidence.append("'token' and 'page', which Affilka puts at the end, are missing")
    if evidence and wrapped:
        evidence.insert(0, WRAPPED_EVIDENCE)
    return evidence


def _stray_token(path: str, fragment: str) -> tuple[str, str, str] | None:
    """(token, where, path without it) for a token written in the path or after '#', else None."""
    found = _TOKEN_IN_PATH.search(path)
    if found:
        return unquote(found.group(1)), "path", (path[: found.start()] + path[found.end() :]) or "/"
    after = _AFTER_REPORT.search(path)
    if after:
        return unquote(after.group(2)), "path", path[: after.end(1)]
    for key, value in parse_qsl(fragment.rpartition("?")[2], keep_blank_values=True):
        if key.strip().lower() == TOKEN_KEY and value:
            return value, "fragment", path
    return None


def _odd_token(query: str) -> tuple[str, str, str, str] | None:
    """(token, where, key as written, query without it) for a token Affilka would not read in the query:
    its key in other letters' case (`Token=`) or joined to the value by another sign (`token＝`,
    `token%3D`, `token&equals;`, `token\\x3d`, `token"%3A"`), else None."""
    found = _ODD_SEPARATOR.search(query)
    if found:
        value = found.group(2)
        for quote_mark in ("%22", '"'):
            value = value.removesuffix(quote_mark)
        rest = (query[: found.start()].rstrip("&;") + "&" + query[found.end() :].lstrip("&;")).strip("&")
        return unquote(value), "separator", "token" + found.group(1), rest
    pairs = parse_qsl(query, keep_blank_values=True)
    for key, value in pairs:
        if key.strip().lower() == TOKEN_KEY and key != TOKEN_KEY and value:
            kept = [(k, v) for k, v in pairs if k != key]
            return value, "key", key, urlencode(kept, quote_via=quote, safe="[]")
    return None


def parse_url(text: str) -> AffilkaUrl:
    """Parse pasted text into an `AffilkaUrl`, repairing what can be repaired.

    Raises `InvalidURL` when the text cannot be read as a web address with a host.
    """
    if not isinstance(text, str):
        raise InvalidURL("Paste the URL as text.")
    if len(text) > MAX_PASTE_CHARS:
        raise InvalidURL(
            f"The pasted text is {len(text):,} characters long, far more than one report URL. Copy just "
            "the URL from the JSON tab's address bar."
        )
    pasted = clean_paste(text)
    cleaned = pasted.text
    if not cleaned:
        raise InvalidURL("Nothing was pasted.")
    if len(cleaned) > MAX_URL_CHARS:
        raise InvalidURL(
            f"The URL is {len(cleaned):,} characters long; an Affilka report URL is rarely over 3,000. It "
            "was probably pasted several times over, or joined with other text: copy it again, once, "
            "from the JSON tab's address bar."
        )
    repaired, repairs, unreadable = _repair(cleaned)
    scheme_added = False
    if not SCHEME.match(repaired):
        if re.match(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/|\?|$)", repaired):
            repaired, scheme_added = "https://" + repaired, True
        else:
            raise InvalidURL("This is not a web address: it should start with https:// and a host name.")
    try:
        parts = urlsplit(repaired)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"The address part of the URL is malformed ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidURL(f"The URL starts with '{scheme}://'; a report URL starts with https://.")
    host = (parts.hostname or "").rstrip(".")
    if not host or not re.fullmatch(r"[A-Za-z0-9.:\-_\[\]]+", host):
        raise InvalidURL("The URL has no valid host name after https://.")
    raw_params = parse_qsl(parts.query, keep_blank_values=True)
    path = parts.path or "/"
    stray: tuple[str, str, str] | None = None
    stray_key = ""
    if not any(k == TOKEN_KEY and v for k, v in raw_params):
        odd = _odd_token(parts.query)
        if odd is not None:
            stray, stray_key = odd[:3], odd[2]
            raw_params = parse_qsl(odd[3], keep_blank_values=True)
        else:
            stray = _stray_token(path, parts.fragment)
            if stray is not None:
                path = stray[2]
    params: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for key, value in raw_params:
        key = _normalise_key(key)
        if key.endswith("[]"):
            if (key, value) in seen:
                continue
            seen.add((key, value))
        params.append((key, value))
    return AffilkaUrl(
        raw=text,
        cleaned=cleaned,
        scheme=scheme,
        host=host.lower(),
        port=port,
        path=path,
        params=tuple(params),
        scheme_added=scheme_added,
        repairs=tuple(repairs),
        truncation=tuple(_truncation_evidence(parts.query, raw_params, pasted.ellipsis, pasted.wrapped)),
        unreadable_keys=tuple(dict.fromkeys(unreadable)),
        more_urls=max(len(find_urls(text)) - 1, 0),
        wrapped=pasted.wrapped,
        stray_token=stray[0] if stray else None,
        stray_where=stray[1] if stray else "",
        stray_key=stray_key,
        unwrapped=pasted.unwrapped,
    )


def build_url(scheme: str, netloc: str, path: str, params: tuple[tuple[str, str], ...] | list) -> str:
    query = urlencode(list(params), quote_via=quote, safe="")
    return urlunsplit((scheme, netloc, path, query, ""))


def with_dates(url: AffilkaUrl, date_from: str | dt.date, date_to: str | dt.date) -> AffilkaUrl:
    """The same URL with `from`, `to` and `exchange_rates_date` replaced, as CasinoFlux does on a sync."""
    values = {"from": str(date_from), "to": str(date_to), "exchange_rates_date": str(date_to)}
    params: list[tuple[str, str]] = []
    placed: set[str] = set()
    for key, value in url.params:
        if key not in values:
            params.append((key, value))
        elif key not in placed:
            params.append((key, values[key]))
            placed.add(key)
    params += [(k, v) for k, v in values.items() if k not in placed]
    return replace(url, params=tuple(params))


def with_token(url: AffilkaUrl, token: str) -> AffilkaUrl:
    """The same URL with `token` as its token (in place of the one it had, masked or not; added last,
    before `page`, when it had none): to check a recorded URL again with a token typed in."""
    params = [(k, token if k == TOKEN_KEY else v) for k, v in url.params]
    if not url.has(TOKEN_KEY):
        at = next((i for i, (k, _) in enumerate(params) if k == "page"), len(params))
        params.insert(at, (TOKEN_KEY, token))
    return replace(url, params=tuple(params))


def with_page(url: AffilkaUrl, page: int) -> str:
    """The repaired URL asking for one page of the report (token in clear, for the fetcher only)."""
    params = [(k, v) for k, v in url.params if k != "page"] + [("page", str(page))]
    return build_url(url.scheme, url.netloc, url.path, params)
