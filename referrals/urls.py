from django.urls import path

from referrals.views import referrals as views

urlpatterns = [
    path("cases/<str:reference>/referrals/", views.case_referrals, name="case_referrals"),
    path("cases/<str:reference>/referrals/group/", views.case_group_refer, name="case_group_refer"),
    path("cases/<str:reference>/referrals/group/<int:pk>/return/", views.case_group_return, name="case_group_return"),
    path("referrals/", views.referral_inbox, name="referral_inbox"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/accept/", views.referral_accept_view, name="referral_accept"),
    path("referrals/<int:pk>/decline/", views.referral_decline_view, name="referral_decline"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw_view, name="referral_withdraw"),
    path("referrals/<int:pk>/messages/", views.referral_message_view, name="referral_message"),
]
