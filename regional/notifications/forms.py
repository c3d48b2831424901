from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regional.notifications.kinds import KIND_RULES, kinds_for
from regional.notifications.models import Channel, NotificationKind


class PreferencesForm(forms.Form):
    """One choice per kind the user can receive, and the language of their e-mails."""

    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["language"].initial = user.language or settings.LANGUAGE_CODE
        labels = dict(NotificationKind.choices)
        for kind in kinds_for(user):
            self.fields[f"kind_{kind}"] = forms.ChoiceField(
                label=labels[kind],
                choices=Channel.choices,
                initial=current.get(kind, KIND_RULES[kind].default_channel),
                widget=forms.RadioSelect,
            )

    def kind_fields(self):
        return [self[name] for name in self.fields if name.startswith("kind_")]

    def channels(self) -> dict[str, str]:
        return {
            name.removeprefix("kind_"): value for name, value in self.cleaned_data.items() if name.startswith("kind_")
        }
