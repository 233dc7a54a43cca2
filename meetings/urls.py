"""Pages of the monthly casework group, under /meetings/."""

from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("groups/<int:pk>/schedule/", views.group_schedule_edit, name="meeting_group_schedule"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/move/", views.meeting_move_view, name="meeting_move"),
    path("<int:pk>/cancel/", views.meeting_cancel_view, name="meeting_cancel"),
    path("<int:pk>/agenda/", views.agenda_edit, name="meeting_agenda"),
    path("<int:pk>/agenda/build/", views.agenda_build_view, name="meeting_agenda_build"),
    path("<int:pk>/agenda/issue/", views.agenda_issue_view, name="meeting_agenda_issue"),
    path("<int:pk>/agenda/add/", views.agenda_item_add_view, name="meeting_agenda_add"),
    path("<int:pk>/agenda/items/<int:item>/", views.agenda_item_edit_view, name="meeting_agenda_item"),
    path("<int:pk>/agenda/items/<int:item>/move/", views.agenda_item_move_view, name="meeting_agenda_item_move"),
    path("<int:pk>/agenda/items/<int:item>/remove/", views.agenda_item_remove_view, name="meeting_agenda_item_remove"),
    path("<int:pk>/agenda/items/<int:item>/propose-closure/", views.agenda_item_propose_closure_view, name="meeting_item_propose_closure"),
    path("<int:pk>/pack/", views.pack_download, name="meeting_pack"),
    path("<int:pk>/run/", views.run_meeting, name="meeting_run"),
    path("<int:pk>/run/attendance/", views.run_attendance_add, name="meeting_run_attendance"),
    path("<int:pk>/run/attendance/<int:attendance>/remove/", views.run_attendance_remove, name="meeting_run_attendance_remove"),
    path("<int:pk>/run/items/<int:item>/", views.run_item_save, name="meeting_run_item"),
    path("<int:pk>/run/items/<int:item>/add/", views.run_item_add_forms, name="meeting_run_item_add"),
    path("<int:pk>/run/items/<int:item>/declarations/", views.run_declaration_add, name="meeting_run_declaration"),
    path("<int:pk>/run/declarations/<int:declaration>/remove/", views.run_declaration_remove, name="meeting_run_declaration_remove"),
    path("<int:pk>/run/items/<int:item>/actions/", views.run_action_add, name="meeting_run_action"),
    path("<int:pk>/run/actions/<int:action>/remove/", views.run_action_remove, name="meeting_run_action_remove"),
    path("<int:pk>/run/actions/<int:action>/done/", views.run_action_done, name="meeting_run_action_done"),
    path("<int:pk>/minutes/", views.minutes_page, name="meeting_minutes"),
    path("<int:pk>/minutes/publish/", views.minutes_publish_view, name="meeting_minutes_publish"),
    path("<int:pk>/minutes/pdf/", views.minutes_download, name="meeting_minutes_pdf"),
]
