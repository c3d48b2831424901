"""The filter bars' long selects are written in Python; a browser must get the same select Django's own widget
writes: options, groups, the selected one, escaped labels and values."""

from django import forms
from django.test.html import parse_html

from regional.widgets import LongSelect

CHOICES = [
    ("", "All counties"),
    ("kp-a", 'Alpha & <Beta> "county"'),
    ("Northland", [("kp-n1", "North one"), ("kp-n2", "North 'two'")]),
    ("kp-z", "Zed"),
]


def test_a_long_select_is_the_select_django_writes():
    for value in ["", "kp-n2", "kp-a", None, "unknown"]:
        ours = LongSelect(choices=CHOICES, attrs={"data-autosubmit": ""}).render("county", value, {"id": "id_county"})
        djangos = forms.Select(choices=CHOICES, attrs={"data-autosubmit": ""}).render(
            "county", value, {"id": "id_county"}
        )
        assert parse_html(ours) == parse_html(djangos), value
    assert "Alpha &amp; &lt;Beta&gt; &quot;county&quot;" in LongSelect(choices=CHOICES).render("county", "")
