"""Form widgets of the lists' filter bars."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A select whose options are written in Python, not through a template each.

    Django renders every option by including `select_option.html`: ~0.25 ms an option on this machine type, so a
    province's 244 counties cost the review queue ~60 ms a request at stress scale (bench, pages). The markup is
    Django's own (same attributes, `selected`, optgroups), built from the same `get_context`.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(group_name)}">')
            parts.extend(
                # An option's attrs are usually none, or `selected` alone: flatatt only when there are others.
                f'<option value="{escape(option["value"])}"'
                f"{_option_attrs(option['attrs'])}>{escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value above is escaped


def _option_attrs(attrs: dict) -> str:
    if not attrs:
        return ""
    if attrs == {"selected": True}:
        return " selected"
    return flatatt(attrs)
