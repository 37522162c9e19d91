from django.urls import path

from frontend import checkout, head_counts, order_links, orders, scanner, staff, statistics, views

app_name = "frontend"

order = "orders/<str:reference>/<str:secret>/"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<slug:slug>/", checkout.event_detail, name="event"),
    path("events/<slug:slug>/checkout/", checkout.checkout, name="checkout"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/<slug:slug>/", views.venue_detail, name="venue"),
    path(order, orders.order_detail, name="order"),
    path(f"{order}pay/", orders.order_pay, name="order_pay"),
    path(f"{order}tickets.pdf", orders.order_tickets_pdf, name="order_tickets_pdf"),
    path(f"{order}event.ics", orders.order_calendar, name="order_calendar"),
    path("my-tickets/", order_links.find_orders, name="find_orders"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("scanner/", scanner.scanner_page, name="scanner"),
    path("scanner/login/", staff.StaffLoginView.as_view(home="frontend:scanner"), name="scanner_login"),
    path("scanner/logout/", staff.StaffLogoutView.as_view(home="frontend:scanner"), name="scanner_logout"),
    path("staff/login/", staff.StaffLoginView.as_view(), name="staff_login"),
    path("staff/logout/", staff.StaffLogoutView.as_view(), name="staff_logout"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/visits.xlsx", statistics.statistics_xlsx, name="statistics_xlsx"),
    path("statistics/head-counts/", head_counts.head_count_list, name="head_counts"),
    path("statistics/head-counts/<slug:slug>/", head_counts.head_count_form, name="head_count"),
]
