from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from factories.analysis.factory_page import factory_page


@login_required
@require_GET
def factory_detail(request, code: str):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    page = factory_page(user=request.user, code=code, year=year)
    return render(request, "factories/factory_detail.html", {"page": page, "chart_data": page.chart_data()})
