"""Widgets shared by the forms. GovukRadioSelect: radios the error summary can link to. The Quick ones: the markup of
Django's own, written in Python rather than by a template per option or input: a select of a hundred options costs
milliseconds through the widget templates, a tenth of that here."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _html_attrs(attrs: dict) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them (False left out, True as a bare name)."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class GovukRadioSelect(forms.RadioSelect):
    """Radios whose field's label target is the first radio, so that the error summary's link lands on it (GOV.UK
    links an error in a radio group to its first radio). Shown by templates/includes/choices.html."""

    def id_for_label(self, id_, index=None):
        return f"{id_}_{index or 0}" if id_ else id_


class QuickSelect(forms.Select):
    """Django's Select, with the same markup, written in Python rather than by a template per option: the case list's
    filter selects (some 50 options) cost 3 ms a page through the widget templates, a tenth of that here."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_html_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_html_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>')
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))


class _QuickInput:
    """An input with the markup of django/forms/widgets/input.html, written in Python (see QuickSelect)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        return mark_safe(f'<input type="{widget["type"]}" name="{conditional_escape(widget["name"])}"{value_attr}{_html_attrs(widget["attrs"])}>')


class QuickTextInput(_QuickInput, forms.TextInput):
    pass


class QuickCheckboxInput(_QuickInput, forms.CheckboxInput):
    pass
