"""The inbox, the bell in the header, and the preferences page. Thin: reads in selectors, writes in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from regional import scoping
from regional.notifications import selectors, services
from regional.notifications.forms import PreferencesForm


@login_required
@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(user=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "regional/notifications/inbox.html",
        {
            "page_obj": page,
            "notifications": selectors.with_titles(page.object_list),
            "unread": selectors.unread_count(user=request.user),
        },
    )


@login_required
@require_GET
def bell(request):
    """The header's bell with the unread count, loaded by htmx after the page so pages keep their queries."""
    return render(request, "regional/notifications/_bell.html", {"unread": selectors.unread_count(user=request.user)})


@login_required
@require_POST
def open_notification(request, pk: int):
    notification = get_object_or_404(scoping.visible_notifications(request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    if request.POST.get("then") == "stay" or not url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:inbox")
    return redirect(notification.url or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user, current=selectors.preferences(user=request.user))
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(
            user=request.user, channels=form.channels(), language=form.cleaned_data["language"]
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "regional/notifications/preferences.html", {"form": form})


def set_language(request):
    """Django's language switch, which also remembers the choice as the language of the user's e-mails."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_remember(user=request.user, language=request.POST.get("language", ""))
    return response
