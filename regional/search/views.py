from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regional.search import selectors


@login_required
@require_GET
def search(request):
    """The results page, and (for htmx, as the reader types in the header) the same results as a dropdown."""
    results = selectors.search(user=request.user, query=request.GET.get("q", ""))
    template = "regional/search/_results.html" if request.headers.get("HX-Request") else "regional/search/page.html"
    return render(request, template, {"results": results})
