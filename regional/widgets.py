"""Form widgets of the lists' filter bars."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A select whose options are written in Python, not through a template each.

    Django renders every option by including `select_option.html`: ~0.25 ms an option on this machine type, so a
    province's 244 counties cost the review queue ~60 ms a request at stress scale (bench, pages). The markup is
    Django's own (same attributes, `selected`, optgroups), built from the same `get_context`.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), mark_safe("".join(groups))
        )
