from casework.forms.cases import CaseFilterForm

__all__ = ["CaseFilterForm"]
