"""The figures a monthly report carries and the labels of its tracked fields (forms, services, the import,
history). Its own module so that every other one can import it without a cycle."""

from django.utils.translation import gettext_lazy as _lazy

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
    "output_value_thousand_won": _lazy("Output value (thousand won)"),
    "physical_output": _lazy("Physical output"),
    "varieties_produced": _lazy("Varieties produced"),
    "raw_material_used_tonnes": _lazy("Raw material used (tonnes)"),
    "raw_material_from_own_bases_tonnes": _lazy("of which from own bases (tonnes)"),
    "days_worked": _lazy("Days worked"),
    "workers_on_roll": _lazy("Workers on roll"),
    "comment": _lazy("Comment"),
    "status": _lazy("Status"),
    "return_reason": _lazy("Return reason"),
    "is_reopened": _lazy("Reopened"),
}
