"""A large export is written by a real worker: the requester follows its progress, downloads it when ready,
nobody else can, and it disappears when it expires."""

import datetime
import io
import os
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from factories.models import ReportExport
from factories.services.exports import report_export_write, report_exports_delete_expired
from tests.builders import MonthlyReportBuilder
from tests.conftest import client_for


@pytest.fixture
def small_threshold(settings, tmp_path):
    """Exports of more than two rows go to the background; files land in a directory of this test's own."""
    settings.REPORT_EXPORT_BACKGROUND_ROWS = 2
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def three_alpha_reports(alpha_factory):
    return [
        MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, month, 1), comment=f"month {month}")
        for month in (1, 2, 3)
    ]


@pytest.fixture
def celery_app():
    """The project's Celery app on the test Redis, as the worker in production runs it."""
    from config.celery import app

    app.control.purge()  # messages left by an earlier, interrupted run must not be served here
    return app


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_written_by_a_worker_and_downloaded_by_its_requester_only(
    client, carol, dave, small_threshold, three_alpha_reports, celery_app
):
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        # When Carol exports her province's three reports, more than the threshold
        response = client_for(client, carol).get(reverse("reports:report_export_xlsx"), {"status": "draft"})

        # Then she is taken to the export's page instead of waiting for the file
        export = ReportExport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:report_export_status", args=[export.pk])
        page = client.get(response["Location"])
        assert "3 reports" in page.content.decode()
        # and the worker writes it
        assert wait_for(lambda: ReportExport.objects.get().status == ReportExport.Status.READY)

    export.refresh_from_db()
    assert (export.rows_expected, export.rows_written, export.query) == (3, 3, "status=draft")
    # The page she keeps open (polling) now offers the file
    progress = client.get(reverse("reports:report_export_status", args=[export.pk]), HTTP_HX_REQUEST="true")
    download_url = reverse("reports:report_export_download", args=[export.pk])
    assert download_url in progress.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="monthly-reports-')
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert [(row[0], row[4], row[14]) for row in rows[1:]] == [
        ("alpha-foodstuff", "2025-01", "month 1"),
        ("alpha-foodstuff", "2025-02", "month 2"),
        ("alpha-foodstuff", "2025-03", "month 3"),
    ]

    # Dave, another province's reviewer, cannot see that it exists
    client_for(client, dave)
    assert client.get(reverse("reports:report_export_status", args=[export.pk])).status_code == 404
    assert client.get(download_url).status_code == 404


@pytest.mark.django_db
def test_a_small_export_is_sent_at_once(client, carol, small_threshold, alpha_factory):
    MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 1, 1))
    MonthlyReportBuilder(factory=alpha_factory, month=datetime.date(2025, 2, 1))

    response = client_for(client, carol).get(reverse("reports:report_export_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not ReportExport.objects.exists()


@pytest.mark.django_db
def test_a_second_click_finds_the_export_under_way_instead_of_starting_another(
    client, carol, small_threshold, three_alpha_reports, django_capture_on_commit_callbacks
):
    client_for(client, carol)
    with django_capture_on_commit_callbacks():  # no broker here: the task is not sent
        first = client.get(reverse("reports:report_export_csv"))
        second = client.get(reverse("reports:report_export_csv"))

    assert first["Location"] == second["Location"]
    assert ReportExport.objects.count() == 1


@pytest.mark.django_db
def test_the_worker_writes_only_what_the_requester_may_see(
    client, bob, small_threshold, three_alpha_reports, beta_factory, django_capture_on_commit_callbacks
):
    # Given Bob (Beta County) asking for everything, while Alpha's reports are not his
    for month in (1, 2, 3):
        MonthlyReportBuilder(factory=beta_factory, month=datetime.date(2025, month, 1))
    with django_capture_on_commit_callbacks():
        client_for(client, bob).get(reverse("reports:report_export_csv"))

    # When the worker writes his file
    export = report_export_write(export_id=ReportExport.objects.get().pk)

    # Then it holds Beta's reports only, and running the task again changes nothing
    text = export.file.open("rb").read().decode("utf-8-sig")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["beta-garment"] * 3
    assert report_export_write(export_id=export.pk) is None


@pytest.mark.django_db
def test_an_expired_export_can_no_longer_be_downloaded_and_its_file_is_deleted(
    client, carol, small_threshold, three_alpha_reports, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        client_for(client, carol).get(reverse("reports:report_export_csv"))
    export = report_export_write(export_id=ReportExport.objects.get().pk)
    path = export.file.path
    ReportExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert client.get(reverse("reports:report_export_download", args=[export.pk])).status_code == 404
    page = client.get(reverse("reports:report_export_status", args=[export.pk]))
    assert "This export has expired" in page.content.decode()

    assert report_exports_delete_expired() == 1
    assert not ReportExport.objects.exists()
    assert not os.path.exists(path)
