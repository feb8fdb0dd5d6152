"""Safe by construction, kept so as the code grows: the pages put text into what Streamlit renders as
Markdown only through `md` (never an f-string, a concatenation or `.format` written at the call), every
CSV is written by the one writer, and a table's own export, which writes cells as they are, is off."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from tests.support import ROOT

PAGES = sorted([*(ROOT / "app_pages").rglob("*.py"), ROOT / "app.py"])
CORE = sorted((ROOT / "affilka_core").rglob("*.py"))
# Streamlit calls whose text (first arguments, and these keywords) is rendered as Markdown.
MARKDOWN_CALLS = {
    "markdown", "caption", "error", "warning", "info", "success", "toast", "badge", "title", "header",
    "subheader", "expander", "metric", "page_link", "button", "download_button", "form_submit_button",
    "toggle", "checkbox", "radio", "selectbox", "multiselect", "segmented_control", "pills", "text_input",
    "text_area", "file_uploader", "date_input", "number_input", "slider", "progress", "popover", "table",
    "write",
}  # fmt: skip
MARKDOWN_KEYWORDS = {"label", "help", "body", "text", "value", "delta", "placeholder"}
FORMATTERS = {"md", "md_join", "code", "escape"}


def _puts_together(node: ast.AST) -> bool:
    """An f-string with a field, a `+` or `%`, a `.format(…)` call."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add | ast.Mod)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def _built_text(node: ast.AST) -> list[ast.AST]:
    """Text put together right there, anywhere in `node`."""
    return [sub for sub in ast.walk(node) if _puts_together(sub)]


def markdown_built_in_place(path: Path) -> list[str]:
    """Where a page hands Streamlit Markdown it put together itself rather than through a formatter."""
    tree = ast.parse(path.read_text())
    formatted = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORMATTERS
        for sub in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in MARKDOWN_CALLS:
            continue
        texts = [*node.args, *(k.value for k in node.keywords if k.arg in MARKDOWN_KEYWORDS)]
        found += [
            f"{path.name}:{built.lineno}: {ast.unparse(built)[:80]}"
            for text in texts
            for built in _built_text(text)
            if id(built) not in formatted
        ]
    return found


def test_no_page_puts_text_together_in_what_streamlit_renders_as_markdown():
    assert [line for path in PAGES for line in markdown_built_in_place(path)] == []


def test_the_guard_finds_text_put_together_at_a_call(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        'st.caption(f"Money in {code}")\n'
        'st.error("**" + name + "**")\n'
        'st.caption(md("Money in {}", code))\n'
        'st.metric(md("{}", label), value, help="Rows in {}".format(code))\n'
    )
    assert [line.split(": ", 1)[1] for line in markdown_built_in_place(page)] == [
        "f'Money in {code}'",
        "'**' + name + '**'",
        "'**' + name",
        "'Rows in {}'.format(code)",
    ]


def _csv_writes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"to_csv", "writer", "DictWriter"}
    ]


def test_every_csv_is_written_by_the_one_writer():
    writer = ROOT / "affilka_core" / "outputs" / "csv_writer.py"
    assert [line for path in [*CORE, *PAGES] if path != writer for line in _csv_writes(path)] == []
    assert _csv_writes(writer)  # and it does write them


def test_tables_on_the_pages_offer_no_export_of_their_own():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
