"""The schemathesis run's summary goes to the end of the pytest output, where CI's log shows it whether the run passed
or failed (pytest keeps a passing test's output to itself)."""

SCHEMATHESIS_SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if SCHEMATHESIS_SUMMARY:
        terminalreporter.write_sep("=", "schemathesis run over the API (tests/api/test_api_schemathesis.py)")
        for line in SCHEMATHESIS_SUMMARY:
            terminalreporter.write_line(line)
