"""The figures a monthly report carries and the labels of its tracked fields (forms, services, the import,
history). Its own module so that every other one can import it without a cycle."""

from django.utils.translation import gettext_lazy as _

FIGURE_FIELDS = (
    "output_value_thousand_won",
    "physical_output",
    "varieties_produced",
    "raw_material_used_tonnes",
    "raw_material_from_own_bases_tonnes",
    "days_worked",
    "workers_on_roll",
)
INTEGER_FIGURE_FIELDS = ("varieties_produced", "days_worked", "workers_on_roll")
FIGURE_LABELS = {
    "output_value_thousand_won": _("Output value (thousand won)"),
    "physical_output": _("Physical output"),
    "varieties_produced": _("Varieties produced"),
    "raw_material_used_tonnes": _("Raw material used (tonnes)"),
    "raw_material_from_own_bases_tonnes": _("of which from own bases (tonnes)"),
    "days_worked": _("Days worked"),
    "workers_on_roll": _("Workers on roll"),
    "comment": _("Comment"),
    "status": _("Status"),
    "return_reason": _("Return reason"),
    "is_reopened": _("Reopened"),
}
