"""Template syntax the template language does not report: it shows the mistake on the page instead."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_FILES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_every_comment_of_one_line_closes_on_that_line(template):
    """`{# … #}` is a comment only within one line: spread over two, it is text, and every page that includes the
    template shows it (the shared error summary's did, on the forms of 45 templates). Use {% comment %} for more."""
    for number, line in enumerate(template.read_text().splitlines(), start=1):
        assert not re.search(r"\{#(?!.*#\})", line), f"line {number}: a {{# comment not closed on its line: {line.strip()[:80]}"


def test_the_sign_in_page_shows_no_template_comment(client, db):
    page = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert "govuk-error-summary" in page, "the form came back with its error (the shared summary: includes/error_summary.html)"
    assert "{#" not in page and "#}" not in page
