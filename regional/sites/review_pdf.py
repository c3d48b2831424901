"""Rendering a review to PDF (WeasyPrint, with the Noto CJK font installed so Korean is embedded)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from regional.models import ReviewDocument, User
from regional.sites.reviews import review_build


def _review_css() -> str:
    return Path(finders.find("css/review.css")).read_text(encoding="utf-8")


def review_pdf_bytes(*, user: User, year: int, period: str, scope: str, language: str, progress=None) -> bytes:
    """The review as a PDF in `language` ("en" or "ko")."""
    from weasyprint import HTML  # imported here: only PDF requests pay for loading it

    with translation.override(language):
        review = review_build(user=user, year=year, period=period, scope=scope, progress=progress)
        html = render_to_string(
            "sites/review_print.html", {"review": review, "inline_css": _review_css(), "LANGUAGE_CODE": language}
        )
    return HTML(string=html).write_pdf()


def review_document_build(*, document_id: int) -> ReviewDocument:
    """Write the document's PDF, recording progress per province; idempotent (a finished document is kept)."""
    document = ReviewDocument.objects.select_related("requested_by").get(pk=document_id)
    if document.status == ReviewDocument.Status.DONE:
        return document
    ReviewDocument.objects.filter(pk=document.pk).update(status=ReviewDocument.Status.RUNNING, progress_done=0)

    def progress(done: int, total: int) -> None:
        ReviewDocument.objects.filter(pk=document.pk).update(progress_done=done, progress_total=total)

    try:
        pdf = review_pdf_bytes(
            user=document.requested_by, year=document.year, period=document.period, scope=document.scope,
            language=document.language, progress=progress,
        )  # fmt: skip
    except Exception as error:
        ReviewDocument.objects.filter(pk=document.pk).update(
            status=ReviewDocument.Status.FAILED, error=str(error)[:300]
        )
        raise
    ReviewDocument.objects.filter(pk=document.pk).update(
        status=ReviewDocument.Status.DONE, pdf=pdf, finished_at=timezone.now()
    )
    document.refresh_from_db()
    return document
