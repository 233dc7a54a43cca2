from django.urls import path

from referrals.apis import referrals as apis

urlpatterns = [
    path("referrals/", apis.ReferralListCreateApi.as_view(), name="api_referral_list"),
    path("referrals/<int:pk>/", apis.ReferralDetailApi.as_view(), name="api_referral_detail"),
    path("referrals/<int:pk>/accept/", apis.ReferralAcceptApi.as_view(), name="api_referral_accept"),
    path("referrals/<int:pk>/decline/", apis.ReferralDeclineApi.as_view(), name="api_referral_decline"),
    path("referrals/<int:pk>/withdraw/", apis.ReferralWithdrawApi.as_view(), name="api_referral_withdraw"),
    path("referrals/<int:pk>/messages/", apis.ReferralMessagesApi.as_view(), name="api_referral_messages"),
]
