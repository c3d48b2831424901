"""Pages of the programme's sites: the construction board, a site, and the missing facts administrators complete."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from regional import scoping
from regional.models import ReviewDocument
from regional.sites import reviews, selectors, services
from regional.sites.forms import FORMS
from regional.tasks import review_document_build_task


@login_required
@require_safe
def board(request, year: int | None = None):
    province_code = request.GET.get("province", "").strip()[:10]
    board = selectors.construction_board(user=request.user, year=year, province_code=province_code)
    if year is not None and board.year not in board.rounds:
        # Only a round asked for by its year is missing; with no round yet the board shows its empty state.
        raise Http404(_("No round of that year."))
    if province_code and province_code not in {p.code for p in board.provinces}:
        messages.error(request, _("No site of %(year)s in that province.") % {"year": year})
        return redirect("sites:board_year", year=year)
    return render(request, "sites/board.html", {"board": board})


@login_required
@require_safe
def site_detail(request, slug: str):
    detail = selectors.site_detail(user=request.user, slug=slug)
    return render(
        request,
        "sites/site_detail.html",
        {"detail": detail, "chart_json": json.dumps(detail.timeline_chart())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def missing_facts(request):
    scoping.require(scoping.is_administrator(request.user), _("Only programme administrators complete site facts."))
    bound = None  # (slot pk, form name, bound form) of a refused submission, shown again in its row
    if request.method == "POST":
        form_name = request.POST.get("form", "")
        slot_id = request.POST.get("slot", "")
        if form_name not in FORMS or not slot_id.isdigit():
            raise Http404(_("Unknown form."))
        slot = scoping.get_in_scope_or_404(selectors.slots_for_facts(user=request.user), pk=int(slot_id))
        form = FORMS[form_name](request.POST, prefix=f"{form_name}-{slot.pk}")
        if form.is_valid():
            try:
                _save(form_name, form.cleaned_data, slot=slot, user=request.user)
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(request, _("Saved for %(site)s.") % {"site": slot.county})
                return redirect(f"{request.path}?{request.GET.urlencode()}")
        bound = (slot.pk, form_name, form)
    year = request.GET.get("year", "")
    rows = selectors.missing_facts(user=request.user, year=int(year) if year.isdigit() else None)
    missing = request.GET.get("missing", "")
    if missing in selectors.MISSING_KINDS:
        rows = [row for row in rows if selectors.MISSING_KINDS[missing](row)]
    for row in rows:
        row.forms = {name: form_class(prefix=f"{name}-{row.slot.pk}") for name, form_class in FORMS.items()}
        row.refused_form = ""
        if bound and bound[0] == row.slot.pk:
            row.forms[bound[1]] = bound[2]
            row.refused_form = bound[1]
    status = 400 if bound else 200
    context = {
        "rows": rows,
        "years": selectors.board_rounds(user=request.user),
        "year": year,
        "missing": missing,
        "missing_choices": selectors.MISSING_CHOICES,
    }
    return render(request, "sites/missing_facts.html", context, status=status)


def _save(form_name: str, data: dict, *, slot, user) -> None:
    if form_name in services.SITE_DATE_FACTS:
        services.slot_date_set(
            slot=slot, fact=form_name, value=data["date"], precision=data["precision"], source=data["source"],
            set_by=user,
        )  # fmt: skip
    elif form_name == "facility":
        services.facility_add(slot=slot, kind=data["kind"], name=data["name"], source=data["source"], added_by=user)
    else:
        services.responsibility_set(slot=slot, role=data["role"], name=data["name"], source=data["source"], set_by=user)


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- reviews ------------------------------------------------------------------------------------------------------


def _require_review_access(user, scope: str) -> None:
    """Analysts and administrators read every review; a provincial official their province's; others none."""
    if scoping.is_analyst(user) or scoping.is_administrator(user):
        return
    if scoping.is_provincial_official(user) and user.province.code == scope:
        return
    scoping.require(False, _("Your role may not read this review."))


def _readable_review_provinces(user):
    provinces = scoping.visible_provinces(user).order_by("code")
    if scoping.is_analyst(user) or scoping.is_administrator(user):
        return provinces
    if scoping.is_provincial_official(user):
        return provinces.filter(pk=user.province_id)
    return provinces.none()


@login_required
@require_http_methods(["GET"])
def review_index(request):
    scoping.require(
        not scoping.is_county_official(request.user), _("Reviews are read by provinces, analysts and administrators.")
    )
    return render(
        request,
        "sites/review_index.html",
        {
            "years": [year for year in selectors.board_rounds(user=request.user) if year >= 2024],
            # Only the reviews the reader may open: a provincial official's own province, not links that refuse.
            "provinces": _readable_review_provinces(request.user),
            "documents": ReviewDocument.objects.filter(requested_by=request.user).defer("pdf")[:10],
            "can_read_national": scoping.is_analyst(request.user) or scoping.is_administrator(request.user),
            "own_province": request.user.province if scoping.is_provincial_official(request.user) else None,
        },
    )


@login_required
@require_http_methods(["GET"])
def review_detail(request, year: int, period: str, scope: str):
    _require_review_access(request.user, scope)
    if period not in reviews.PERIODS or not 2020 <= year <= 2040:
        raise Http404(_("No such review."))
    review = reviews.review_build(user=request.user, year=year, period=period, scope=scope)
    return render(request, "sites/review_print.html", {"review": review})


@login_required
@require_http_methods(["POST"])
def review_generate(request):
    # A PDF with an embedded CJK font takes seconds to write: a worker writes it, the page shows its progress.
    scope = request.POST.get("scope", "")[:10]
    _require_review_access(request.user, scope)
    year = request.POST.get("year", "")
    period = request.POST.get("period", "")
    if not year.isdigit() or not 2020 <= int(year) <= 2040 or period not in reviews.PERIODS:
        messages.error(request, _("Choose a year and a period."))
        return redirect("sites:review_index")
    if scope != reviews.NATIONAL:
        scoping.get_in_scope_or_404(scoping.visible_provinces(request.user), code=scope)
    language = "ko" if translation.get_language().startswith("ko") else "en"
    with transaction.atomic():
        document = ReviewDocument.objects.create(
            year=int(year), period=period, scope=scope, language=language, requested_by=request.user
        )
        transaction.on_commit(lambda: review_document_build_task.delay(document.pk))
    messages.success(request, _("The review is being written as PDF; its progress is shown below."))
    return redirect("sites:review_index")


@login_required
@require_http_methods(["GET"])
def review_document(request, pk: int):
    document = scoping.get_in_scope_or_404(ReviewDocument.objects.filter(requested_by=request.user), pk=pk)
    if request.GET.get("download") and document.status == ReviewDocument.Status.DONE:
        response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
        name = f"review-{document.year}-{document.period}-{document.scope}-{document.language}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "sites/_review_document.html", {"document": document})
