"""Development tooling: a mock Affilka server and the report shapes it serves. Not shipped with the app.

Run it with `python -m affilka_mock.mock_server --help`.
"""
