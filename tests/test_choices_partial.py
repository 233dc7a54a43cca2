"""templates/includes/choices.html: every radio group and set of checkboxes in the application."""

from django import forms
from django.template.loader import render_to_string

from casework.forms.widgets import GovukRadioSelect


class ChoicesForm(forms.Form):
    colour = forms.ChoiceField(
        label="Which colour?", help_text="Pick one.", widget=GovukRadioSelect, choices=[("red", "Red"), ("blue", "Blue & green")]
    )
    sizes = forms.MultipleChoiceField(label="Sizes", widget=forms.CheckboxSelectMultiple, choices=[("s", "Small"), ("l", "Large")], required=False)


def render(field, **options):
    return render_to_string("includes/choices.html", {"field": field, **options})


def test_radios_name_their_hint_and_error_and_keep_the_choice():
    form = ChoicesForm(data={"colour": "purple", "sizes": ["l"]})
    assert not form.is_valid()
    html = render(form["colour"])
    assert 'aria-describedby="id_colour-hint id_colour-error"' in html
    assert '<div id="id_colour-hint" class="govuk-hint">Pick one.</div>' in html
    assert '<p id="id_colour-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Select a valid choice.' in html
    assert "govuk-form-group--error" in html and "govuk-radios govuk-radios--small" in html
    assert '<input type="radio" name="colour" value="red" class="govuk-radios__input" id="id_colour_0">' in html
    assert "Blue &amp; green" in html
    assert form["colour"].id_for_label == "id_colour_0", "the error summary links to the first radio"

    chosen = render(ChoicesForm(data={"colour": "blue"})["colour"], inline=True, small=False, legend="Colour, please")
    assert 'id="id_colour_1" checked>' in chosen and 'id="id_colour_0">' in chosen
    assert 'class="govuk-radios govuk-radios--inline"' in chosen
    assert "Colour, please</legend>" in chosen and "aria-describedby=\"id_colour-hint\"" in chosen


def test_checkboxes():
    html = render(ChoicesForm(data={"colour": "red", "sizes": ["l"]})["sizes"], kind="checkboxes", inline=True)
    assert 'class="govuk-checkboxes govuk-checkboxes--small"' in html, "GOV.UK has no inline checkboxes"
    assert 'data-module="govuk-checkboxes"' in html
    assert '<input type="checkbox" name="sizes" value="l" class="govuk-checkboxes__input" id="id_sizes_1" checked>' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_sizes_0">Small</label>' in html
    assert "aria-describedby" not in html and "govuk-form-group--error" not in html
