"""Browser pages of the programme's reference data: thin views over `regional.selectors`."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factories import selectors as report_selectors
from regional import scoping, selectors, sign_in
from regional.filters import CountyFilter

COUNTIES_PER_PAGE = 25


@login_required
@require_safe
def home(request):
    """Each role's home: a county official's tasks, a provincial official's queue and missing counties, and
    the programme overview for everyone else."""
    user = request.user
    if scoping.is_county_official(user):
        return render(request, "regional/home_county.html", {"tasks": report_selectors.county_tasks(user=user)})
    if scoping.is_provincial_official(user):
        return render(request, "regional/home_province.html", {"desk": report_selectors.province_desk(user=user)})
    return programme(request)


@login_required
@require_safe
def programme(request):
    overview = selectors.programme_overview(user=request.user)
    return render(
        request,
        "regional/home.html",
        {
            "overview": overview,
            "chart_data": overview.chart_data(),
            "kimhwa_facts": selectors.kimhwa_facts(),
        },
    )


@login_required
@require_safe
def schedule(request):
    warnings = selectors.schedule_warnings(user=request.user)
    return render(
        request,
        "regional/schedule.html",
        {
            "grid": selectors.schedule_grid(user=request.user, warnings=warnings),
            "warnings": [warning for warning in warnings if warning.is_departure],
            "incomplete_rounds": [warning for warning in warnings if not warning.is_departure],
        },
    )


@login_required
@require_safe
def county_list(request):
    county_filter = CountyFilter(request.GET, queryset=selectors.county_list(user=request.user), request=request)
    # A filter value that is not a valid choice is shown as an error rather than silently ignored.
    counties = county_filter.qs if county_filter.is_valid() else county_filter.queryset.none()
    page = Paginator(counties, COUNTIES_PER_PAGE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "regional/county_list.html",
        {
            "filter": county_filter,
            "page": page,
            "query_without_page": query_without_page.urlencode(),
        },
    )


@login_required
@require_safe
def county_detail(request, slug: str):
    return render(
        request, "regional/county_detail.html", {"detail": selectors.county_detail(user=request.user, slug=slug)}
    )


@login_required
@require_safe
def province_detail(request, code: str):
    province = selectors.province_detail(user=request.user, code=code)
    counties = list(selectors.province_counties(user=request.user, province=province))
    return render(
        request,
        "regional/province_detail.html",
        {"province": province, "counties": counties, "summary": selectors.province_summary(counties)},
    )


class SignInView(auth_views.LoginView):
    """Django's sign-in page, refused (429) to an address over its limit of failures across usernames before
    the password is checked; django-axes locks a username from one address on its own."""

    redirect_authenticated_user = True
    # Django's form views take PUT as a second POST; the page takes the browser's methods only.
    http_method_names = ["get", "head", "post"]

    def post(self, request, *args, **kwargs):
        retry_after_seconds = sign_in.address_retry_after_seconds(request)
        if retry_after_seconds is not None:
            return sign_in.too_many_attempts_response(
                request, retry_after_seconds=retry_after_seconds, from_address=True
            )
        return super().post(request, *args, **kwargs)
