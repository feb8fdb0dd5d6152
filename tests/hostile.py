"""Hostile input and the checks every output must pass with it: what a careless or malicious program host,
affiliate or file could put in a URL, a report, an error message or a file name, and how to tell that an
output let any of it through (a live spreadsheet formula, Markdown or HTML made from it, a secret in
clear).

The payloads carry canary words (LINKCANARY, HEADCANARY, …) only a successful injection would turn into
a link, a heading, emphasis, a table, a tag or maths; the checks look for exactly that.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import string
import zipfile
from html.parser import HTMLParser
from urllib.parse import quote

from hypothesis import strategies as st
from markdown_it import MarkdownIt

# --- what goes in ---------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example/x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]
MARKDOWN = [
    "[LINKCANARY](https://evil.example/x)",
    "![IMGCANARY](https://evil.example/p.png)",
    "<https://evil.example/auto>",
    "see https://evil.example/bare now",
    "WWW.evil.example/x",
    "mail evil@evil.example",
    "# HEADCANARY",
    "x\n## HEADCANARY",
    "HEADCANARY\n===",
    "**EMPHCANARY**",
    "_EMPHCANARY_",
    "~~EMPHCANARY~~",
    "| TABLECANARY | x |\n|---|---|\n| a | b |",
    ":red[DIRECTIVECANARY]",
    "$\\href{https://evil.example}{MATHCANARY}$",
    "`code` ``more`` \\",
    "1. list",
    "- item",
    "---",
    "> quote",
]
HTML = [
    "<img src=x onerror=alert('HTMLCANARY')>",
    "<script>alert('HTMLCANARY')</script>",
    '<a href="https://evil.example" title="HTMLCANARY">x</a>',
    "&lt;b&gt;HTMLCANARY&lt;/b&gt;",
]
PAYLOADS = FORMULAS + MARKDOWN + HTML

_FILLER = st.text(string.ascii_letters + " _-.", max_size=4)
HOSTILE = st.builds(lambda a, payload, b: a + payload + b, _FILLER, st.sampled_from(PAYLOADS), _FILLER)
"""Text with one payload in it, as a brand, campaign, currency, column, file or message might hold it."""

# Tokens of every shape Affilka or a host might use.
TOKEN_SHAPES = {
    "hex": st.text("0123456789abcdef", min_size=32, max_size=32),
    "uuid": st.uuids().map(str),
    "uuid with _": st.uuids().map(lambda u: str(u).replace("-", "_")),
    "base64": st.binary(min_size=18, max_size=33).map(lambda b: base64.b64encode(b).decode()),
    "base64url": st.binary(min_size=16, max_size=30).map(
        lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
    ),
    "unreserved": st.text(string.ascii_letters + string.digits + "-._~", min_size=13, max_size=40),
}
TOKENS = st.one_of(*TOKEN_SHAPES.values()).filter(
    # Letters and digits both, as tokens have, so no word of ours ("token.present") is taken for one.
    lambda t: (
        sum(ch.isalnum() for ch in t) >= 10
        and len(set(t)) >= 6
        and any(ch.isdigit() for ch in t)
        and any(ch.isalpha() for ch in t)
    )
)

# How a report, a message or a paste may write a token: after a key in any written form, or bare
# inside other text, in its own case or upper case.
QUOTED_FORMS = [
    "token={t}",
    "Token: {t}",
    "TOKEN:{t}",
    "token＝{t}",
    "token%3D{t}",
    "token\\u003d{t}",
    '"token": "{t}"',
    "Promo{t}x",
    "promo {upper} spring",
]


def quoted(token: str, form: str) -> str:
    """`token` written in `form` (one of QUOTED_FORMS)."""
    return form.format(t=token, upper=token.upper())


# --- a report ---------------------------------------------------------------------------------------


def report_json(
    *,
    brands: list[str],
    campaigns: list[str],
    currency: str,
    extra_metric: str,
    days: int = 3,
) -> bytes:
    """A small report in Affilka's JSON: `days` days × brands × campaigns, money in EUR for the first
    brand and in `currency` for the others, an `extra_metric` column Affilka does not know, the campaigns
    named through relations."""
    rows = []
    for day in range(1, days + 1):
        for b, brand in enumerate(brands):
            for c, _ in enumerate(campaigns):
                money = "EUR" if b == 0 else currency
                visits = 100 + 10 * c + day
                rows.append(
                    [
                        {"name": "date", "value": f"2026-04-{day:02d}", "type": "date"},
                        {"name": "brand", "value": brand, "type": "string"},
                        {"name": "campaign_id", "value": 501 + c, "type": "integer"},
                        {"name": "visits_count", "value": visits, "type": "integer"},
                        {"name": "registrations_count", "value": visits // 10, "type": "integer"},
                        {"name": "first_deposits_count", "value": visits // 40, "type": "integer"},
                        {
                            "name": "partner_income",
                            "value": {"amount": f"{visits * 1.5:.2f}", "currency": money},
                            "type": "money",
                        },
                        {
                            "name": "ngr",
                            "value": {
                                "amount": f"{-visits if c == 0 else visits * 3:.2f}",
                                "currency": money,
                            },
                            "type": "money",
                        },
                        {"name": extra_metric, "value": c + day, "type": "integer"},
                    ]
                )
    relations = [{"id": 501 + c, "name": name} for c, name in enumerate(campaigns)]
    body = {
        "report_type": "partner",
        "total_pages": 1,
        "rows": {"data": rows},
        "relations": {"campaigns": relations},
    }
    return json.dumps(body).encode()


# One report with every kind of hostile text at once, for the pages and the browser. Its token is not 20+
# letters and digits in a row: only its key, or knowing it, tells it is a token.
QUOTING_TOKEN = "3f2c1a9e_7b4d_4e21_9c0a_5d8e7f6a1b2c"
FORMULA_CAMPAIGN = '=HYPERLINK("https://evil.example/x","click")'
FORMULA_COLUMN = '=HYPERLINK("https://evil.example/col","x")'


def hostile_report(
    currency: str = "![IMGCANARY](https://evil.example/p.png)", token: str = QUOTING_TOKEN
) -> bytes:
    """Two brands (one named to plant a link and quoting `token`), campaigns named as a formula, HTML, a
    link and `token` in capitals, money in EUR and in `currency`, and a column Affilka does not know
    named as a formula."""
    campaigns = [
        FORMULA_CAMPAIGN,
        f"Promo {token.upper()} spring",
        "<img src=x onerror=alert('HTMLCANARY')>",
        "[LINKCANARY](https://evil.example)",
    ]
    brand = f"Casino [Beta](https://evil.example) **EMPHCANARY** {token}"
    return report_json(
        brands=["Casino Alpha", brand], campaigns=campaigns, currency=currency, extra_metric=FORMULA_COLUMN
    )


def url_with(base: str, **params: str) -> str:
    """`base` (a report URL) with each parameter's value replaced or added, percent-encoded as Affilka
    writes it."""
    for key, value in params.items():
        written = f"{key}={quote(value, safe='')}"
        pattern = re.compile(rf"(?<=[?&]){re.escape(key)}=[^&]*")
        base = pattern.sub(lambda _: written, base, count=1) if pattern.search(base) else f"{base}&{written}"  # noqa: B023
    return base


# --- what must hold of every output ---------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def live_formulas(data: bytes | str) -> list[str]:
    """The cells and headers of a CSV a spreadsheet would run as a formula (a number such as -5 is a
    number, not a formula)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    rows = csv.reader(io.StringIO(text, newline=""))
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_START) and not _number(cell)]


def zip_members(data: bytes) -> dict[str, bytes]:
    """Every file in a zip, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What a renderer links without brackets: an address with a domain after its scheme or "www.".
_BARE_ADDRESS = re.compile(r"(?:https?://|www\.)[\w-]+\.[\w-]", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def _unescaped(source: str, char: str) -> bool:
    """Whether `char` stands in the Markdown source (code spans aside) without a backslash before it."""
    text = _CODE_SPAN.sub("", source)
    return bool(re.search(rf"(?<!\\)(?:\\\\)*{re.escape(char)}", text))


def markdown_problems(source: str, *, links: bool = False, headings: int = 0) -> list[str]:
    """What in Markdown `source` was made from untrusted text: a link or image (other than `#anchor`
    links when `links`: then `[` is ours too), raw HTML, a table, more headings than `headings` (ours)
    or one of a canary alone, emphasis around a canary alone, a bare web address or mail address a renderer
    would link, a Streamlit directive or maths."""
    problems = []
    tokens = _MARKDOWN.parse(source)
    found = [*tokens, *(child for t in tokens for child in (t.children or []))]
    for i, token in enumerate(found):
        if token.type == "image":
            problems.append(f"image {token.attrs}")
        elif token.type == "link_open" and not (links and str(token.attrs.get("href", "")).startswith("#")):
            problems.append(f"link {token.attrs}")
        elif token.type in ("html_inline", "html_block"):
            problems.append(f"HTML {token.content!r}")
        elif token.type in ("table_open", "th_open", "td_open"):
            problems.append("a table")
        elif token.type in ("strong_open", "em_open", "s_open"):
            # Ours may wrap untrusted text whole; emphasis made by the text wraps its canary alone.
            inner = found[i + 1].content if i + 1 < len(found) else ""
            if inner.strip() == "EMPHCANARY":
                problems.append(f"emphasis around {inner!r}")
        elif token.type == "text" and _BARE_ADDRESS.search(token.content):
            problems.append(f"a bare address {token.content!r}")
    heads = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    if len(heads) > headings or any(h.strip() == "HEADCANARY" for h in heads):
        problems.append(f"headings {heads}")
    for char in ("@", "$", "[", "<"):
        if _unescaped(source, char) and not (char == "[" and links):
            problems.append(f"unescaped {char!r}")
    if re.search(r"(?<!\\):[a-z-]+\[DIRECTIVECANARY", source):
        problems.append("a Streamlit directive")
    return problems


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


# The tags the HTML summary is made of: its template's and plotly's.
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div", "span", "b", "br"}
HTML_TAGS |= {"table", "tr", "th", "td", "script"}


def html_problems(page: str) -> list[str]:
    """Tags in an HTML page that its template does not write (a tag from untrusted text), and any tag
    or attribute holding a canary."""
    parser = _Tags()
    parser.feed(page)
    problems = [f"<{tag}>" for tag, _ in parser.tags if tag not in HTML_TAGS]
    problems += [f"<{tag} {attrs}>" for tag, attrs in parser.tags if "CANARY" in str(attrs)]
    return problems


def plotly_problems(figure_json: str) -> list[str]:
    """Markup Plotly would draw from untrusted text in a figure (its JSON, as `Figure.to_json` writes
    it): a tag holding a canary."""
    return re.findall(r"<[^<>]*CANARY[^<>]*>", json.dumps(json.loads(figure_json), ensure_ascii=False))


def secret_forms(secret: str) -> set[str]:
    """The forms a secret must never show in: as it is and percent-encoded (compared case-blind)."""
    once = quote(secret, safe="")
    return {secret.lower(), once.lower(), quote(once, safe="").lower()}


def shows_secret(text: str, secret: str) -> bool:
    """Whether `text` holds `secret`, in any case, raw or percent-encoded."""
    lowered = text.lower()
    return any(form in lowered for form in secret_forms(secret))
