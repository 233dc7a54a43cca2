from django.urls import path

from agencies import views_notifications

urlpatterns = [
    path("", views_notifications.notification_list, name="notification_list"),
    path("read/", views_notifications.notification_read, name="notification_read_all"),
    path("<int:pk>/read/", views_notifications.notification_read, name="notification_read"),
]
