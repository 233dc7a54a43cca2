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
        # Straight from the choices, as Select.optgroups() reads them (the first option of the value is selected),
        # without the dict per option that optgroups() makes: an action's owner select offers some 400 people.
        wanted = set(self.format_value(value))
        html = [f'<select name="{conditional_escape(name)}"{_html_attrs(self.build_attrs(self.attrs, attrs))}>']
        found = False
        for group_value, group_label in self.choices:
            group_value = "" if group_value is None else group_value
            grouped = isinstance(group_label, (list, tuple))
            if grouped:
                html.append(format_html('\n  <optgroup label="{}">', group_value))
            for option_value, option_label in group_label if grouped else [(group_value, group_label)]:
                option_value = str(option_value)
                selected = not found and option_value in wanted
                found = found or selected
                html.append(
                    f'\n  <option value="{conditional_escape(option_value)}"{" selected" if selected else ""}>{conditional_escape(option_label)}</option>'
                )
            if grouped:
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
