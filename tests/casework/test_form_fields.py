"""The application's model choice fields (casework.forms.fields): Django's, with the choices read by a plain query."""

from django import forms

from agencies.models import Agency
from casework.forms.fields import ModelChoiceField, ModelMultipleChoiceField


class AgencyForm(forms.Form):
    agency = ModelChoiceField(queryset=Agency.objects.order_by("name"), empty_label="Choose an agency")
    others = ModelMultipleChoiceField(queryset=Agency.objects.order_by("name"), required=False)


def names():
    return list(Agency.objects.order_by("name").values_list("name", flat=True))


def test_choices_are_read_afresh_each_time_they_are_listed(partnership, police, council):
    form = AgencyForm()
    assert [label for _, label in form.fields["agency"].choices] == ["Choose an agency", *names()]
    police.name = "Zzz Constabulary"
    police.save()
    assert [label for _, label in form.fields["agency"].choices] == ["Choose an agency", *names()]
    assert [label for _, label in form.fields["others"].choices] == names()
    assert names()[-1] == "Zzz Constabulary"


def test_a_choice_is_validated_against_the_queryset(partnership, police, council):
    form = AgencyForm(data={"agency": police.pk, "others": [council.pk]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["agency"] == police and list(form.cleaned_data["others"]) == [council]
    refused = AgencyForm(data={"agency": 999_999})
    assert not refused.is_valid() and "agency" in refused.errors
