"""The widgets written in Python give the markup Django's widget templates give, apart from the blank lines between
options: the same page for the browser and for assistive technology."""

import pytest
from django import forms

from casework.forms.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput


def _squeezed(html: str) -> str:
    return "".join(html.split())


CHOICES = [("", "Choose an owner"), ("Agencies", [("agency:1", "Sanctuary <Housing>"), ("agency:2", "Fire & Rescue")]),
           ("People", [("user:7", "Chris O'Neill")])]


@pytest.mark.parametrize("choices, value", [
    ([(None, "Any"), (1, "One & only"), (2, "Two"), (2, "Two again")], 2),
    ([(None, "Any"), (1, "One"), ("Group", [(3, "Three"), (None, "None of them")])], None),
    ([("", "Any"), ("x", "Ex")], ["x"]),
])
def test_a_select_with_numbers_nones_and_repeats_renders_as_djangos(choices, value):
    """Only the first option of the value is selected, as Django's Select has it; None is an empty value."""
    ours = QuickSelect(choices=choices).render("n", value, attrs={"id": "id_n"})
    theirs = forms.Select(choices=choices).render("n", value, attrs={"id": "id_n"})
    assert _squeezed(ours) == _squeezed(theirs)


@pytest.mark.parametrize("value", ["", "agency:2", "user:7", "nothing"])
def test_a_select_with_groups_renders_as_djangos(value):
    attrs = {"class": "govuk-select", "aria-describedby": "id_owner_helptext", "required": True, "id": "id_owner"}
    ours = QuickSelect(choices=CHOICES).render("owner", value, attrs=attrs)
    theirs = forms.Select(choices=CHOICES).render("owner", value, attrs=attrs)
    assert _squeezed(ours) == _squeezed(theirs)
    assert "Sanctuary &lt;Housing&gt;" in ours and "Fire &amp; Rescue" in ours
    assert ours.count(" selected") == (0 if value == "nothing" else 1)  # "" selects the "Choose an owner" option


@pytest.mark.parametrize("widget, django_widget, value", [
    (QuickTextInput, forms.TextInput, 'Smith "the elder"'), (QuickTextInput, forms.TextInput, None),
    (QuickCheckboxInput, forms.CheckboxInput, True), (QuickCheckboxInput, forms.CheckboxInput, False),
])
def test_inputs_render_as_djangos(widget, django_widget, value):
    attrs = {"class": "govuk-input", "id": "id_q"}
    assert _squeezed(widget().render("q", value, attrs=attrs)) == _squeezed(django_widget().render("q", value, attrs=attrs))
