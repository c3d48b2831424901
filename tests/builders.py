"""factory_boy builders: the smallest valid object of each kind, overridable per test."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from factories.models import AnnualPlan, Factory, FactoryKind, MonthlyReport, RawMaterialBase
from regional.models import County, ProgrammeRound, ProgrammeSlot, Province, User

# Tests that submit a report use last month: it has ended, so its report can be submitted, and it is still open for
# entry once the entry period is lengthened to LONG_ENTRY_DAYS (settings.REPORT_ENTRY_DAYS_AFTER_MONTH_END), on
# whatever day of the month the suite runs.
LONG_ENTRY_DAYS = 40


def reporting_month() -> datetime.date:
    today = timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class ProvinceBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"KP-{60 + n % 40}")  # the ISO code column holds 5 characters
    name_en = factory.Sequence(lambda n: f"Test Province {n}")
    name_ko = "시험도"
    kind = Province.Kind.PROVINCE


class CountyBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kp-test-county-{n}")
    province = factory.SubFactory(ProvinceBuilder)
    name_en = factory.Sequence(lambda n: f"Testcounty {n}")
    name_ko = "시험군"
    kind = County.Kind.COUNTY
    population_2008 = 100_000


class RoundBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeRound
        django_get_or_create = ("year",)

    year = 2024


class SlotBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeSlot

    programme_round = factory.SubFactory(RoundBuilder)
    county = factory.SubFactory(CountyBuilder)


class FactoryBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = Factory

    code = factory.Sequence(lambda n: f"test-factory-{n}")
    county = factory.SubFactory(CountyBuilder)
    name = factory.LazyAttribute(lambda o: f"{o.county.name_en} {o.kind} factory")
    kind = FactoryKind.FOODSTUFF
    design_capacity = Decimal("1000")
    capacity_unit = "tonnes"
    status = Factory.Status.IN_OPERATION
    commissioned_on = datetime.date(2020, 1, 1)


class AnnualPlanBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    factory = factory.SubFactory(FactoryBuilder)
    year = 2025
    planned_output_value_thousand_won = Decimal("120000")
    planned_physical_output = Decimal("1200")
    planned_varieties = 20


class MonthlyReportBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    factory = factory.SubFactory(FactoryBuilder)
    month = datetime.date(2025, 3, 1)
    status = MonthlyReport.Status.DRAFT
    output_value_thousand_won = Decimal("10000")
    physical_output = Decimal("100")
    varieties_produced = 15
    raw_material_used_tonnes = Decimal("80")
    raw_material_from_own_bases_tonnes = Decimal("60")
    days_worked = 24
    workers_on_roll = 120

    class Params:
        approved = factory.Trait(
            status=MonthlyReport.Status.APPROVED,
            first_submitted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
            approved_at=factory.LazyFunction(timezone.now),
        )
        submitted = factory.Trait(
            status=MonthlyReport.Status.SUBMITTED,
            first_submitted_at=factory.LazyFunction(timezone.now),
            submitted_at=factory.LazyFunction(timezone.now),
        )


class RawMaterialBaseBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = RawMaterialBase

    county = factory.SubFactory(CountyBuilder)
    name = factory.Sequence(lambda n: f"Test field {n}")
    kind = RawMaterialBase.Kind.FIELD
    area_hectares = Decimal("120.5")
    supplies_factory_kinds = ["foodstuff"]


class UserBuilder(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.ANALYST
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


PASSWORD = "correct-horse-battery"
