"""Browser pages of the programme's reference data: thin views over `regional.selectors`."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from regional import selectors
from regional.filters import CountyFilter

COUNTIES_PER_PAGE = 25


@login_required
def home(request):
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
def county_detail(request, slug: str):
    return render(
        request, "regional/county_detail.html", {"detail": selectors.county_detail(user=request.user, slug=slug)}
    )


@login_required
def province_detail(request, code: str):
    province = selectors.province_detail(user=request.user, code=code)
    counties = list(selectors.province_counties(user=request.user, province=province))
    return render(
        request,
        "regional/province_detail.html",
        {"province": province, "counties": counties, "summary": selectors.province_summary(counties)},
    )
