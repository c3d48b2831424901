"""Refused and failed requests answered with a page of the site: the layout, a plain explanation, a way back.

403, 404 and 500 use Django's handlers with our templates (`templates/403.html`, …). A 405 from a view
decorator (`require_POST`) comes with an empty body, so this middleware renders `405.html` for it; the API
answers its own errors in JSON and is left alone.
"""

from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and not request.path.startswith("/api/")
        ):
            page = TemplateResponse(request, "405.html", {"allowed": response["Allow"]}, status=405)
            page["Allow"] = response["Allow"]
            return page.render()
        return response
