"""Synthetic data at benchmark scale, generated inside PostgreSQL (`INSERT … SELECT` over `generate_series`, the
fastest equivalent of COPY: no row crosses the client connection) and reproducible from a seed.

Scales (DESIGN.md "Volumes"):
- national: the real 175 cities and counties (reference data) × 4 factories × 12 months × 10 years = 84,000 reports;
- stress:   3,000 cities and counties (the real 175 + 2,825 synthetic ones spread over the 13 provinces)
            × 5 factories × 12 months × 10 years = 1,800,000 reports;
- tiny:     24 cities and counties × 4 factories × 12 months × 2 years, for the CI smoke test.

Every column the generator does not set takes the model field's own default, so columns other helpers add
later are filled the way Django would fill them (a NOT NULL column without a default stops the load with a clear
error instead of producing different data). Reproducibility: one session, `setseed(seed)`, parallel plans off and
per-factory random draws taken in id order from temporary tables, so the same seed gives the same rows.
"""

import datetime
import time
from dataclasses import asdict, dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from factories.models import AnnualPlan, Factory, MonthlyReport
from regional.models import County, Province, User

FIRST_YEAR = 2016  # ten closed years (2016-2025): every month's entry period has ended whenever the bench runs
SEASONALITY = [0.85, 0.85, 0.95, 1.0, 1.05, 1.0, 1.0, 1.05, 1.1, 1.15, 1.05, 0.95]
FACTORY_KINDS = ["foodstuff", "garment", "daily_necessities", "paper", "other"]


@dataclass(frozen=True)
class Scale:
    name: str
    counties: int  # cities and counties in the programme's scope, real ones first
    factories_per_county: int
    years: int

    @property
    def expected_reports(self) -> int:
        return self.counties * self.factories_per_county * self.years * 12

    @property
    def last_year(self) -> int:
        return FIRST_YEAR + self.years - 1


SCALES = {
    "tiny": Scale("tiny", counties=24, factories_per_county=4, years=2),
    "national": Scale("national", counties=175, factories_per_county=4, years=10),
    "stress": Scale("stress", counties=3000, factories_per_county=5, years=10),
}

BENCH_USERS = {
    # username: (role, needs a province)
    "bench-analyst": (User.Role.ANALYST, False),
    "bench-province": (User.Role.PROVINCIAL_OFFICIAL, True),
    "bench-admin": (User.Role.ADMINISTRATOR, False),
}


@dataclass
class LoadSummary:
    scale: str
    seed: int
    counties: int
    factories: int
    annual_plans: int
    reports: int
    approved_reports: int
    submitted_reports: int
    seconds_reference_data: float
    seconds_generate: float
    seconds_indexes_and_constraints: float
    seconds_analyze: float
    seconds_load: float
    seconds_vacuum: float
    seconds_total: float
    reports_per_second: float
    reviewer_province: str
    tokens: dict

    def as_dict(self) -> dict:
        return asdict(self)


def _default_sql(field: models.Field) -> tuple[str, list]:
    """The SQL for a column the generator leaves to the model: the field's default, as Django would send it."""
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return "now()", []
    if field.has_default() or field.empty_strings_allowed or field.null:
        value = field.get_db_prep_save(field.get_default(), connection)
        return "%s", [value]
    raise RuntimeError(
        f"{field.model.__name__}.{field.name} is NOT NULL without a default: teach bench/datagen.py what to put in it."
    )


def _insert_select(model, expressions: dict[str, str], from_sql: str, params: dict | None = None) -> int:
    """INSERT INTO model's table every concrete column: `expressions` for the generated ones, defaults for the rest."""
    columns, selects, default_params = [], [], {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in expressions:
            selects.append(expressions[field.column])
        else:
            default_sql, values = _default_sql(field)
            if values:
                key = f"default_{field.column}"
                default_params[key] = values[0]
                default_sql = f"%({key})s"
            selects.append(default_sql)
    unknown = set(expressions) - {field.column for field in model._meta.concrete_fields}
    if unknown:
        raise RuntimeError(f"{model.__name__} has no column(s) {sorted(unknown)}")
    statement = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)})\nSELECT {', '.join(selects)}\n{from_sql}"
    with connection.cursor() as cursor:
        cursor.execute(statement, {**(params or {}), **default_params})
        return cursor.rowcount


def _deferrable_structures(table: str) -> tuple[list[str], list[str]]:
    """Statements that drop the table's secondary indexes, unique and foreign-key constraints (not its primary key),
    and the statements that rebuild them as they were. Building each once after a bulk load is several times faster
    than maintaining them row by row; re-adding a foreign key validates every row in one set-based check."""
    drops, creates = [], []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname
            """,
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [table],
        )
        indexes = cursor.fetchall()
    for name, _definition, _kind in constraints:
        drops.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, definition in indexes:
        drops.append(f"DROP INDEX {name}")
        creates.append(definition)
    for name, definition, _kind in sorted(constraints, key=lambda item: item[2] == "f"):
        creates.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return drops, creates


def _ensure_counties(scale: Scale) -> int:
    """Synthetic cities/counties (kind 'county') beyond the real 175, spread over the 13 provinces; or, for a
    scale below the real count, only the first N real units stay in scope (the others become districts)."""
    real = County.objects.filter(kind__in=County.PROGRAMME_KINDS).count()
    if scale.counties < real:
        keep = list(County.objects.filter(kind__in=County.PROGRAMME_KINDS).order_by("id").values_list("id", flat=True))[
            : scale.counties
        ]
        County.objects.filter(kind__in=County.PROGRAMME_KINDS).exclude(id__in=keep).update(kind=County.Kind.DISTRICT)
        return scale.counties
    missing = scale.counties - real
    if missing:
        _insert_select(
            County,
            {
                "slug": "'bench-county-' || lpad(n::text, 4, '0')",
                "province_id": "p.ids[1 + (n - 1) %% array_length(p.ids, 1)]",
                "name_en": "'Bench ' || lpad(n::text, 4, '0')",
                "kind": "'county'",
                "notes": "'synthetic county for benchmarks'",
            },
            "FROM generate_series(1, %(missing)s) AS n, "
            "(SELECT array_agg(id ORDER BY code) AS ids FROM regional_province) p",
            {"missing": missing},
        )
    return scale.counties


def _generate(scale: Scale, seed: int) -> None:
    with connection.cursor() as cursor:
        # One backend, no parallel workers: random() is then drawn in the same order on every run.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000.0])
        cursor.execute(
            """
            CREATE TEMPORARY TABLE bench_county_profile ON COMMIT DROP AS
            SELECT id AS county_id, slug, name_en,
                   0.82 + random() * 0.30 AS fulfilment, 0.35 + random() * 0.60 AS own_share,
                   0.80 + random() * 0.19 AS punctuality, -0.03 + random() * 0.15 AS growth
            FROM (SELECT id, slug, name_en FROM regional_county WHERE kind IN ('city', 'county') ORDER BY id) c
            """
        )
    _insert_select(
        Factory,
        {
            "code": "'bench-' || c.slug || '-' || replace(k.kind, '_', '-')",
            "county_id": "c.county_id",
            "name": "c.name_en || ' ' || initcap(replace(k.kind, '_', ' ')) || ' Factory'",
            "kind": "k.kind",
            "design_capacity": "1000 + k.n * 500",
            "capacity_unit": "'tonnes'",
            "status": "'in_operation'",
            "commissioned_on": "make_date(%(first_year)s - 1, 1 + (c.county_id %% 12)::int, 1)",
        },
        "FROM bench_county_profile c CROSS JOIN unnest(%(kinds)s::text[]) WITH ORDINALITY AS k(kind, n) "
        "ORDER BY c.county_id, k.n",
        {"kinds": FACTORY_KINDS[: scale.factories_per_county], "first_year": FIRST_YEAR},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMPORARY TABLE bench_factory_profile ON COMMIT DROP AS
            SELECT f.id AS factory_id, f.design_capacity::float8 AS capacity_float, p.fulfilment, p.own_share,
                   p.punctuality, p.growth, 5000 + random() * 25000 AS monthly_value,
                   12 + floor(random() * 48)::int AS varieties
            FROM factories_factory f JOIN bench_county_profile p ON p.county_id = f.county_id
            ORDER BY f.id
            """
        )
    _insert_select(
        AnnualPlan,
        {
            "factory_id": "fp.factory_id",
            "year": "y",
            "planned_output_value_thousand_won": "(fp.monthly_value * 12 * power(1.04, y - %(first_year)s))"
            "::numeric(14, 2)",
            "planned_physical_output": "(fp.capacity_float * 0.8)::numeric(14, 2)",
            "planned_varieties": "fp.varieties + (y - %(first_year)s) * 2",
        },
        "FROM bench_factory_profile fp CROSS JOIN generate_series(%(first_year)s, %(last_year)s) AS y "
        "ORDER BY fp.factory_id, y",
        {"first_year": FIRST_YEAR, "last_year": scale.last_year},
    )
    # One row per factory and month with all its random draws, then the figures derived from them in float8 and
    # rounded once by the cast to the column's numeric type. The last two months of the data still have reports
    # waiting for review; elsewhere about 1 % are not approved. No ORDER BY: the nested loop over the factory
    # profiles (written in id order) already yields factory by factory, month by month, without a sort.
    draws = """
        FROM (
            SELECT fp.factory_id, fp.capacity_float, fp.monthly_value, fp.varieties, fp.own_share, fp.mi,
                   (%(first_month)s::date + mi * interval '1 month')::date AS month,
                   CASE WHEN mi >= %(months)s - 2 AND r_status < 0.4 THEN 'submitted'
                        WHEN r_status < 0.004 THEN 'submitted'
                        WHEN r_status < 0.007 THEN 'returned'
                        WHEN r_status < 0.010 THEN 'draft'
                        ELSE 'approved' END AS status,
                   (%(seasonality)s::float8[])[mi %% 12 + 1] * power(1 + fp.growth, mi / 12) * fp.fulfilment
                       * (0.88 + 0.24 * random()) AS factor,
                   0.9 + 0.4 * random() AS raw_factor,
                   ((%(first_month)s::date + (mi + 1) * interval '1 month' + interval '9 days 1 hour'
                     + CASE WHEN random() < fp.punctuality THEN -floor(random() * 9) ELSE 1 + floor(random() * 14) END
                       * interval '1 day')::timestamp AT TIME ZONE 'UTC') AS submitted,
                   fp.r_status
            FROM (
                SELECT fp.*, mi, random() AS r_status
                FROM bench_factory_profile fp CROSS JOIN generate_series(0, %(months)s - 1) AS mi
                OFFSET 0
            ) fp
        ) d
    """
    physical = "(d.capacity_float / 12 * 0.8 * d.factor)"
    used = f"({physical} * d.raw_factor)"
    _insert_select(
        MonthlyReport,
        {
            "factory_id": "d.factory_id",
            "month": "d.month",
            "status": "d.status",
            "output_value_thousand_won": "(d.monthly_value * d.factor)::numeric(14, 2)",
            "physical_output": f"{physical}::numeric(14, 2)",
            "varieties_produced": "greatest(1, round(d.varieties * (0.6 + 0.45 * random())))::int",
            "raw_material_used_tonnes": f"{used}::numeric(12, 2)",
            "raw_material_from_own_bases_tonnes": f"({used} * least(1, d.own_share * (0.9 + 0.2 * random())))"
            "::numeric(12, 2)",
            "days_worked": "20 + floor(random() * 8)::int",
            "workers_on_roll": "80 + floor(random() * 320)::int",
            "return_reason": "CASE WHEN d.status = 'returned' "
            "THEN 'Bench: the output value does not match the physical output.' ELSE '' END",
            "first_submitted_at": "CASE WHEN d.status = 'draft' THEN NULL ELSE d.submitted END",
            "submitted_at": "CASE WHEN d.status = 'draft' THEN NULL ELSE d.submitted END",
            "approved_at": "CASE WHEN d.status = 'approved' "
            "THEN d.submitted + (1 + floor(random() * 5)) * interval '1 day' END",
            "created_at": "d.submitted - interval '3 days'",
            "updated_at": "d.submitted",
        },
        draws,
        {"months": scale.years * 12, "seasonality": SEASONALITY, "first_month": datetime.date(FIRST_YEAR, 1, 1)},
    )


def _bench_users(reviewer_province: Province) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    tokens = {}
    for username, (role, needs_province) in BENCH_USERS.items():
        # No password: the bench signs in with tokens and force_login, and hashing would dominate a tiny load.
        user = User.objects.create_user(
            username=username,
            password=None,
            role=role,
            province=reviewer_province if needs_province else None,
            is_staff=role == User.Role.ADMINISTRATOR,
            is_superuser=role == User.Role.ADMINISTRATOR,
        )
        tokens[username] = Token.objects.create(user=user).key
    return tokens


def load(*, scale: Scale, seed: int) -> LoadSummary:
    """Load the reference data and `scale`'s synthetic data into the (freshly migrated, empty) database."""
    from regional.reference_data import load_reference_data

    started = time.perf_counter()
    load_reference_data()
    reference_done = time.perf_counter()
    table = MonthlyReport._meta.db_table
    drops, creates = _deferrable_structures(table)
    with transaction.atomic():
        counties = _ensure_counties(scale)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in drops:
                cursor.execute(statement)
        _generate(scale, seed)
        generated = time.perf_counter()
        with connection.cursor() as cursor:
            # Django's foreign keys are deferred; the checks of the other tables' rows must run before an index
            # can be built in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in creates:
                cursor.execute(statement)
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyzed = time.perf_counter()
    # Not part of the load: sets the visibility map (index-only scans) as autovacuum would soon after a load.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {table}")
    vacuumed = time.perf_counter()
    reviewer_province = (
        Province.objects.annotate(
            units=models.Count("counties", filter=models.Q(counties__kind__in=County.PROGRAMME_KINDS))
        )
        .order_by("-units", "code")
        .first()
    )
    tokens = _bench_users(reviewer_province)
    statuses = dict(MonthlyReport.objects.values_list("status").annotate(n=models.Count("id")).order_by())
    reports = sum(statuses.values())
    total = time.perf_counter() - started
    return LoadSummary(
        scale=scale.name,
        seed=seed,
        counties=counties,
        factories=Factory.objects.count(),
        annual_plans=AnnualPlan.objects.count(),
        reports=reports,
        approved_reports=statuses.get("approved", 0),
        submitted_reports=statuses.get("submitted", 0),
        seconds_reference_data=round(reference_done - started, 3),
        seconds_generate=round(generated - reference_done, 3),
        seconds_indexes_and_constraints=round(indexed - generated, 3),
        seconds_analyze=round(analyzed - indexed, 3),
        seconds_load=round(analyzed - reference_done, 3),
        seconds_vacuum=round(vacuumed - analyzed, 3),
        seconds_total=round(total, 3),
        reports_per_second=round(reports / max(analyzed - reference_done, 1e-9)),
        reviewer_province=reviewer_province.code,
        tokens=tokens,
    )


def cutoff() -> datetime.datetime:
    """The standings cut-off used throughout the bench: every generated month has closed by then."""
    return timezone.now()
