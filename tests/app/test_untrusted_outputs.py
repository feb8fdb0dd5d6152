"""Every output the product writes, fed hostile input from every place untrusted text comes from: the pasted
URL (its parameters, a token of any shape, the prose around it), the report (brands, campaigns,
currencies, a column Affilka does not know, the token quoted back in any form), Affilka's own error
messages, a file's name, what is typed beside the ticket, and batch lines.

Whatever comes in: no CSV cell or header a spreadsheet would run (Data CSV, the Performance zip, the
batch CSV); no link, image, heading, emphasis, table, HTML or maths made from it in Markdown (the
support ticket, from the page and from `check --ticket`); no tag from it in the HTML summary or a chart;
no secret in clear anywhere (CLI text and JSON, batch table and CSV, exports, the ticket). The pages'
own text is checked through AppTest in `test_untrusted_pages.py`, by example and by a property.

The reports come over real HTTP from a loopback server, answering what each example built.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Response

from affilka_core import cli
from affilka_core.analysis import metrics
from affilka_core.analysis.offer import campaign_table
from affilka_core.batch import batch_csv, batch_view, check_batch, parse_batch_text
from affilka_core.diagnosis import diagnose_report, diagnose_text, diagnose_url
from affilka_core.outputs import charts
from affilka_core.outputs.csv_writer import csv_bytes
from app_pages._ui.exports import export_for
from tests.hostile import (
    HOSTILE,
    QUOTED_FORMS,
    TOKENS,
    html_problems,
    live_formulas,
    markdown_problems,
    plotly_problems,
    quoted,
    report_json,
    shows_secret,
    url_with,
    zip_members,
)
from tests.support import GUIDE_URL, diagnosis_ticket, fast_settings

REPORT = "/api/client/partner/report.json"


class Answer:
    """What the loopback server answers next: a body and a status."""

    body: bytes = b"{}"
    status: int = 200


@pytest.fixture(scope="module")
def host() -> Iterator[tuple[str, Answer]]:
    """A loopback server answering every report request with `Answer`; its `host:port`."""
    answer = Answer()
    server = HTTPServer()
    server.expect_request(REPORT).respond_with_handler(
        lambda _request: Response(answer.body, status=answer.status, content_type="application/json")
    )
    server.start()
    try:
        yield f"{server.host}:{server.port}", answer
    finally:
        server.clear()
        server.stop()


def cli_run(*argv: str, stdin: bytes = b"", settings=None) -> str:
    """`python -m affilka_core *argv` in-process: stdout and stderr together."""
    out, err = io.StringIO(), io.StringIO()
    cli.main(list(argv), out, stdin=io.BytesIO(stdin), err=err, settings=settings or fast_settings())
    return out.getvalue() + err.getvalue()


def assert_no_secret(secret: str, **outputs: str | bytes) -> None:
    for name, text in outputs.items():
        shown = text.decode("utf-8-sig", "replace") if isinstance(text, bytes) else text
        assert not shows_secret(shown, secret), f"the token shows in {name}:\n{shown[:3000]}"


def assert_markdown_safe(**outputs: str) -> None:
    for name, text in outputs.items():
        heads = 1 if name.startswith("ticket") else 0
        assert not markdown_problems(text, headings=heads), (
            name,
            markdown_problems(text, headings=heads),
            text,
        )


def assert_csv_safe(**outputs: bytes) -> None:
    for name, data in outputs.items():
        assert not live_formulas(data), (name, live_formulas(data))


def in_url(token: str, **params: str) -> str:
    """The guide's URL with `token` and the given parameters, percent-encoded as Affilka writes them."""
    return url_with(GUIDE_URL, token=token, **params)


# --- a pasted URL -----------------------------------------------------------------------------------


@given(
    token=TOKENS,
    form=st.sampled_from(QUOTED_FORMS),
    currency=HOSTILE,
    column=HOSTILE,
    campaign_filter=HOSTILE,
    name=HOSTILE,
    line=HOSTILE,
    typed=HOSTILE,
)
def test_a_hostile_paste_reaches_no_output_live(
    token, form, currency, column, campaign_filter, name, line, typed
):
    url = in_url(token, conversion_currency=currency, name=name)
    url += f"&columns%5B%5D={quote(column, safe='')}&campaign_ids%5B%5D={quote(campaign_filter, safe='')}"
    # The token also quoted in the prose around the URL, as an e-mail might.
    pasted = f"{url} (my {quoted(token, form)})"
    diagnosis = diagnose_text(pasted)
    lines = f"{name}, {url}\n{line.replace(chr(10), ' ')}\n".replace("\r", " ")
    rows = check_batch(parse_batch_text(lines))
    outputs = {
        "ticket": diagnosis_ticket(diagnosis, brand=typed, offer=typed),
        "ticket from the CLI": cli_run("check", pasted, "--ticket", f"--brand={typed}", f"--offer={typed}"),
    }
    assert_markdown_safe(**outputs)
    csv = batch_csv(rows)
    assert_csv_safe(batch_csv=csv)
    assert_no_secret(
        token,
        **outputs,
        # What `check` and `check --json` print, before the CLI's last masking pass; `check -` run whole.
        check=cli.render_text(diagnosis.to_dict(), diagnosis.checks, with_data=False),
        check_json=json.dumps(diagnosis.to_dict(), ensure_ascii=False),
        check_dash=cli_run("check", "-", stdin=lines.encode()),
        check_dash_json="\n".join(json.dumps(row.to_dict(), ensure_ascii=False) for row in rows),
        batch_csv=csv,
        batch_table=batch_view(rows).to_csv(),
    )


# --- a report ---------------------------------------------------------------------------------------

CAMPAIGNS = st.lists(HOSTILE, min_size=2, max_size=2, unique=True)


@given(
    token=TOKENS,
    form=st.sampled_from(QUOTED_FORMS),
    brand=HOSTILE,
    campaigns=CAMPAIGNS,
    currency=HOSTILE,
    extra=HOSTILE,
    conversion=HOSTILE,
    typed=HOSTILE,
)
def test_a_hostile_report_reaches_no_output_live(
    host, token, form, brand, campaigns, currency, extra, conversion, typed
):
    hostport, answer = host
    names = [*campaigns, quoted(token, form)]
    if len(set(names)) < 3:
        return  # three campaigns, each told apart
    answer.body = report_json(
        brands=["Casino Alpha", f"{brand} {token.upper()}"],
        campaigns=names,
        currency=currency,
        extra_metric=extra,
    )
    answer.status = 200
    url = in_url(token, conversion_currency=conversion).replace(
        "https://primetime.partners", f"http://{hostport}"
    )
    settings = fast_settings(hostport, retries=0)
    diagnosis = diagnose_url(url, settings=settings)
    report = diagnosis.report
    assert report is not None, diagnosis.checks
    frame = report.frame
    figure = charts.campaign_figure(metrics.by_campaign(frame, "visits_count"), "visits_count").to_json()
    findings = list(diagnosis.insights or ())
    # The Offer's table as Performance adds it to both downloads: the campaigns by name.
    sections = {"offer": campaign_table(frame)}
    export = export_for(
        report, None, frame, metrics.by_day(frame), metrics.kpis(frame), None, findings, [], sections=sections
    )
    data_csv = csv_bytes(frame, date_format="%Y-%m-%d")  # as the Data page writes it
    members = zip_members(export.zip_bytes())
    page = export.html_bytes().decode()
    ticket = diagnosis_ticket(diagnosis, brand=typed, offer=typed)

    assert_csv_safe(data_csv=data_csv, **members)
    assert_markdown_safe(ticket=ticket)
    assert not html_problems(page), html_problems(page)
    assert not plotly_problems(figure)
    assert_no_secret(
        token,
        data_csv=data_csv,
        html=page,
        ticket=ticket,
        preview=report.preview,
        # What `check --fetch` and `check --fetch --json` print, before the CLI's last masking pass.
        check=cli.render_text(diagnosis.to_dict(), diagnosis.checks, with_data=True),
        check_json=json.dumps(diagnosis.to_dict(), ensure_ascii=False),
        figure=figure,
        **members,
    )


@given(
    token=TOKENS,
    form=st.sampled_from(QUOTED_FORMS),
    message=HOSTILE,
    status=st.sampled_from([200, 400, 401, 404]),
)
def test_a_hostile_affilka_message_reaches_no_output_live(host, token, form, message, status):
    hostport, answer = host
    answer.body = json.dumps({"error": f"{message} ({quoted(token, form)})"}).encode()
    answer.status = status
    url = in_url(token).replace("https://primetime.partners", f"http://{hostport}")
    settings = fast_settings(hostport, retries=0)
    diagnosis = diagnose_url(url, settings=settings)
    assert diagnosis.failed_fetch is not None
    ticket = cli_run("check", url, "--fetch", "--ticket", settings=settings)
    assert_markdown_safe(ticket=ticket)
    assert_no_secret(
        token,
        ticket=ticket,
        checks=repr(diagnosis.checks),
        check=cli.render_text(diagnosis.to_dict(), diagnosis.checks, with_data=True),
        check_json=json.dumps(diagnosis.to_dict(), ensure_ascii=False),
    )


# --- a saved file -----------------------------------------------------------------------------------


@given(
    token=TOKENS, form=st.sampled_from(QUOTED_FORMS), brand=HOSTILE, campaigns=CAMPAIGNS, file_name=HOSTILE
)
def test_a_hostile_file_reaches_no_output_live(token, form, brand, campaigns, file_name):
    names = [*campaigns, quoted(token, form)]
    if len(set(names)) < 3:
        return
    body = report_json(brands=[brand], campaigns=names, currency="EUR", extra_metric="visits_unique")
    # Loaded beside a pasted URL: its secrets are masked in the file.
    pasted = diagnose_text(in_url(token))
    diagnosis = diagnose_report(body, f"{file_name} {token}.json", secrets=pasted.secrets)
    report = diagnosis.report
    assert report is not None
    data_csv = csv_bytes(report.frame, date_format="%Y-%m-%d")
    ticket = diagnosis_ticket(diagnosis)
    assert_csv_safe(data_csv=data_csv)
    assert_markdown_safe(ticket=ticket)
    assert_no_secret(token, data_csv=data_csv, ticket=ticket, label=report.label, preview=report.preview)
