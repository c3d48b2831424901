import datetime

from django.urls import path, register_converter
from django.views.generic import RedirectView

from factories import views
from factories.offline import views as offline_views

app_name = "reports"


class MonthConverter:
    """`2025-03` in a URL is the month of March 2025 (its first day)."""

    regex = r"20[0-9]{2}-(0[1-9]|1[0-2])"

    def to_python(self, value: str) -> datetime.date:
        return datetime.datetime.strptime(value, "%Y-%m").date()

    def to_url(self, value: datetime.date | str) -> str:
        return value if isinstance(value, str) else value.strftime("%Y-%m")


register_converter(MonthConverter, "month")

urlpatterns = [
    path("this-month/", views.this_month, name="this_month"),
    path("offline-sw.js", offline_views.service_worker, name="offline_service_worker"),
    path("enter/<slug:factory_code>/<month:month>/", views.report_entry, name="report_entry"),
    path("enter/<slug:factory_code>/<month:month>/check/", views.report_entry_check, name="report_entry_check"),
    # "reopen" in the name: the security log records it as a reopening (regional/middleware.py).
    path("late-entry/<slug:factory_code>/<month:month>/", views.late_entry_allow, name="late_entry_reopen"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/approve/", views.review_bulk_approve, name="review_bulk_approve"),
    path("completeness/", views.completeness, name="completeness"),
    path("import/", views.report_import, name="report_import"),
    path("import/template.csv", views.report_import_template, {"file_format": "csv"}, name="report_import_template"),
    path(
        "import/template.xlsx",
        views.report_import_template,
        {"file_format": "xlsx"},
        name="report_import_template_xlsx",
    ),
    path("import/<int:pk>/commit/", views.report_import_commit, name="report_import_commit"),
    path("export.csv", views.report_export, {"file_format": "csv"}, name="report_export_csv"),
    path("export.xlsx", views.report_export, {"file_format": "xlsx"}, name="report_export_xlsx"),
    path("exports/<int:pk>/", views.report_export_status, name="report_export_status"),
    path("exports/<int:pk>/download/", views.report_export_download, name="report_export_download"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("review/<int:pk>/return-form/", views.review_return_form, name="review_return_form"),
    path("<int:pk>/recall/", views.report_recall, name="report_recall"),
    path("<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
    path("list/", views.report_list, name="report_list"),
    path("", RedirectView.as_view(pattern_name="reports:report_list", query_string=True)),
]
