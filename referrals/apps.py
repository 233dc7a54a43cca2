from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from referrals import governance  # noqa: F401  (clears referral text when a case is anonymised)
