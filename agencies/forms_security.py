from django import forms


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app, or a backup code."},
    )
