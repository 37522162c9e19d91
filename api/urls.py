from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.attendance import AttendanceView
from api.events import EventViewSet
from api.payment_issues import PaymentIssueDetailView, PaymentIssueListView, ResolvePaymentIssueView
from api.payments import StripeWebhookView
from api.sales import EventSalesView
from api.scanning import (
    DeviceRegistrationView,
    ScanBatchView,
    ScannerEventsView,
    ScannerIdentityView,
    ScannerSyncView,
    ScanView,
)
from api.staff import CancelEventView, CancelOrderView, RefundProgressView, RefundTicketsView
from api.stats import OpenDataView, SummaryView, VisitsView
from api.stats_counts import CountImportView, CountsView
from api.tickets import EventTicketTypesView, OrderDetailView, OrderListView
from api.venues import VenueViewSet

router = SimpleRouter()
router.register("venues", VenueViewSet, basename="venue")
router.register("events", EventViewSet, basename="event")

urlpatterns = [
    path("v1/events/<slug:slug>/ticket-types/", EventTicketTypesView.as_view(), name="event-ticket-types"),
    path("v1/orders/", OrderListView.as_view(), name="order-list"),
    path("v1/payments/stripe/webhook/", StripeWebhookView.as_view(), name="stripe-webhook"),
    path("v1/orders/<str:reference>/", OrderDetailView.as_view(), name="order-detail"),
    path("v1/orders/<str:reference>/cancel/", CancelOrderView.as_view(), name="order-cancel"),
    path("v1/orders/<str:reference>/refund/", RefundTicketsView.as_view(), name="order-refund"),
    path("v1/events/<slug:slug>/cancel/", CancelEventView.as_view(), name="event-cancel"),
    path("v1/events/<slug:slug>/refund-progress/", RefundProgressView.as_view(), name="event-refund-progress"),
    path("v1/events/<slug:slug>/attendance/", AttendanceView.as_view(), name="event-attendance"),
    path("v1/events/<slug:slug>/sales/", EventSalesView.as_view(), name="event-sales"),
    path("v1/payment-issues/", PaymentIssueListView.as_view(), name="payment-issue-list"),
    path("v1/payment-issues/<int:issue_id>/", PaymentIssueDetailView.as_view(), name="payment-issue-detail"),
    path("v1/payment-issues/<int:issue_id>/resolve/", ResolvePaymentIssueView.as_view(), name="payment-issue-resolve"),
    path("v1/scans/", ScanView.as_view(), name="scan"),
    path("v1/scans/batch/", ScanBatchView.as_view(), name="scan-batch"),
    path("v1/scanner/devices/register/", DeviceRegistrationView.as_view(), name="scanner-device-register"),
    path("v1/scanner/me/", ScannerIdentityView.as_view(), name="scanner-me"),
    path("v1/scanner/events/", ScannerEventsView.as_view(), name="scanner-events"),
    path("v1/scanner/sync/", ScannerSyncView.as_view(), name="scanner-sync"),
    path("v1/stats/summary/", SummaryView.as_view(), name="stats-summary"),
    path("v1/stats/visits/", VisitsView.as_view(), name="stats-visits"),
    path("v1/stats/counts/", CountsView.as_view(), name="stats-counts"),
    path("v1/stats/counts/import/", CountImportView.as_view(), name="stats-counts-import"),
    path("v1/stats/open-data/", OpenDataView.as_view(), name="stats-open-data"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
