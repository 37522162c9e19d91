from django.urls import path

from frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/<slug:slug>/", views.venue_detail, name="venue"),
    path("orders/<str:reference>/<str:secret>/", views.order_detail, name="order"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
]
