from decimal import Decimal

from django.db import migrations

# Covering partial index for the recompute: approved reports by month with the figures it sums, so
# PostgreSQL can answer a year's aggregation from the index alone. PostgreSQL only (INCLUDE, WHERE).
APPROVED_REPORTS_INDEX = """
CREATE INDEX IF NOT EXISTS standings_approved_report_month_idx
ON factories_monthlyreport (month, factory_id)
INCLUDE (approved_at, first_submitted_at, output_value_thousand_won, varieties_produced,
         raw_material_used_tonnes, raw_material_from_own_bases_tonnes)
WHERE status = 'approved'
"""


def create_methodology_v1(apps, schema_editor):
    Methodology = apps.get_model("standings", "Methodology")
    Methodology.objects.get_or_create(
        version=1,
        defaults={
            "weight_plan_fulfilment": Decimal(35),
            "weight_growth": Decimal(20),
            "weight_product_range": Decimal(15),
            "weight_local_raw_materials": Decimal(15),
            "weight_reporting_discipline": Decimal(15),
            "minimum_counted_share": Decimal("0.75"),
            "notes": "Methodology v1 defaults (DESIGN.md).",
        },
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPROVED_REPORTS_INDEX)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS standings_approved_report_month_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("standings", "0002_run_details"),
        ("factories", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_methodology_v1, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
