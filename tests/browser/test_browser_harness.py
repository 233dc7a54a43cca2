"""The harness itself: step() screenshots the page, and names what axe-core or the browser found wrong."""

import pytest
from django.urls import reverse

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_step_writes_a_numbered_screenshot_per_page(page, step, request):
    page.goto(reverse("login"))
    assert step(page, "Sign-in page") == []
    folder = SCREENSHOTS / request.node.name
    assert (folder / "01-sign-in-page.png").stat().st_size > 10_000


def test_a_serious_violation_fails_the_step_naming_the_rule_its_help_and_the_element(page, step):
    page.goto(reverse("login"))
    # A form field without a label: axe-core's "label" rule, critical.
    page.evaluate("""() => {
        const input = document.createElement("input");
        input.id = "unlabelled-field";
        document.querySelector("main").append(input);
    }""")
    with pytest.raises(pytest.fail.Exception) as failure:
        step(page, "unlabelled field")
    message = str(failure.value)
    assert "label (critical): Form elements must have labels" in message
    assert "at #unlabelled-field" in message
    assert "/sign-in/" in message


def test_a_javascript_error_fails_the_step(page, step):
    page.goto(reverse("login"))
    page.evaluate("() => setTimeout(() => { throw new Error('the casework script broke') })")
    page.wait_for_timeout(50)
    with pytest.raises(pytest.fail.Exception, match="JavaScript error: .*the casework script broke"):
        step(page, "script error")
