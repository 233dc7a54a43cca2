"""Templates: mistakes the template language does not report (it shows them on the page), and the GOV.UK error
summary's links."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.casework.factories import make_case

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


def _summary_links_without_a_field(page: str) -> list[str]:
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    anchors = re.findall(r'href="#([^"]+)"', summary)
    assert anchors, "the error summary links its errors"
    return [anchor for anchor in anchors if f'id="{anchor}"' not in page]


def test_every_error_in_the_summary_links_to_a_field_on_the_page(client, partnership, police, police_caseworker):
    """GOV.UK: each entry in the error summary takes the user to the field (radios and dates: their first input)."""
    case = make_case(partnership=partnership, lead_agency=police)
    for url, data in (
        (reverse("login"), {"username": "nobody", "password": "wrong"}),
        (reverse("case_open"), {"opened_on_0": "31", "opened_on_1": "2", "opened_on_2": "2026"}),
        (reverse("case_close", args=[case.reference]), {}),
    ):
        if url != reverse("login"):
            client.force_login(police_caseworker)
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code in (200, 400) and 'class="govuk-error-summary"' in page, (url, response.status_code)
        assert _summary_links_without_a_field(page) == [], url
