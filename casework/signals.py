"""Signals casework sends so that apps above it can react without casework importing them."""

from django.dispatch import Signal

# Sent inside the anonymisation's transaction with `case` and `actor`: apps holding free text about the case
# (referrals, meetings) clear it there, so that the case is anonymised everywhere or nowhere.
case_anonymised = Signal()
