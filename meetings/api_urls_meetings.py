from django.urls import path

from meetings import apis

urlpatterns = [
    path("meetings/", apis.MeetingListApi.as_view(), name="api_meeting_list"),
    path("meetings/<int:pk>/agenda/", apis.MeetingAgendaApi.as_view(), name="api_meeting_agenda"),
    path("meetings/<int:pk>/minutes/", apis.MeetingMinutesApi.as_view(), name="api_meeting_minutes"),
]
