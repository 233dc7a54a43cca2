"""Model choice fields whose choices are read with one plain query. Every form of the application uses these rather
than Django's own.

Django's ModelChoiceIterator reads a select's choices through QuerySet.iterator(), which on PostgreSQL opens a
server-side cursor (DECLARE, FETCH, CLOSE: three round trips, each parsed and planned) so as not to hold a huge table
in memory. A select's choices are a few dozen to a few hundred rows, all of them put in the page: one SELECT reads
them for a third of the work. The case list's filter form is on a third of the pages caseworkers ask for.
"""

from django import forms
from django.forms.models import ModelChoiceIterator


class ListedModelChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # .all(): a fresh read each time the choices are listed, as iterator() gave, not rows cached on the field.
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedModelChoiceIterator
