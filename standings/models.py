"""Standings: versioned methodology, immutable runs and the per-county results of each run."""

from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from regional.models import County


class Indicator(models.TextChoices):
    PLAN_FULFILMENT = "plan_fulfilment", _("plan fulfilment")
    GROWTH = "growth", _("growth")
    PRODUCT_RANGE = "product_range", _("product range")
    LOCAL_RAW_MATERIALS = "local_raw_materials", _("local raw materials")
    REPORTING_DISCIPLINE = "reporting_discipline", _("reporting discipline")


class NotRankedReason(models.TextChoices):
    NO_OPERATING_MONTHS = "no_operating_months", _("no factory in operation in a closed month")
    TOO_FEW_COUNTED_MONTHS = "too_few_counted_months", _("too few fully approved months")
    NO_WEIGHTED_INDICATOR = "no_weighted_indicator", _("no indicator with a weight")


class Rules(models.TextChoices):
    """The calculation rules of DESIGN.md a methodology follows (its weights are versioned separately)."""

    V1 = "1", "v1"
    V1_1 = "1.1", "v1.1"


class Methodology(models.Model):
    """A version of the weights and eligibility rule. A change is a new version; runs keep theirs."""

    version = models.PositiveIntegerField(unique=True)
    rules = models.CharField(
        max_length=5,
        choices=Rules.choices,
        default=Rules.V1_1,
        help_text=_("The methodology's calculation rules (DESIGN.md); runs under v1 keep v1."),
    )
    weight_plan_fulfilment = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(35))
    weight_growth = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(20))
    weight_product_range = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(15))
    weight_local_raw_materials = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(15))
    weight_reporting_discipline = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(15))
    minimum_counted_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.75"),
        help_text=_("Share of operating months that must be counted for a county to be ranked."),
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "methodologies"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_plan_fulfilment__gte=0,
                    weight_growth__gte=0,
                    weight_product_range__gte=0,
                    weight_local_raw_materials__gte=0,
                    weight_reporting_discipline__gte=0,
                ),
                name="methodology_weights_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(minimum_counted_share__gt=0, minimum_counted_share__lte=1),
                name="methodology_share_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (no. {self.version})"

    @property
    def label(self) -> str:
        """What pages call the methodology: its rules' version, e.g. "v1.1"."""
        return Rules(self.rules).label

    @property
    def weights(self) -> dict[str, Decimal]:
        return {indicator.value: getattr(self, f"weight_{indicator.value}") for indicator in Indicator}


class StandingsRun(models.Model):
    """An immutable snapshot of a year's standings. Written whole in one transaction, never updated."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("schedule")
        APPROVAL = "approval", _("approval")
        MANUAL = "manual", _("manual")

    year = models.PositiveSmallIntegerField(db_index=True)
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, related_name="runs")
    weights = models.JSONField(help_text=_("The weights used, copied from the methodology."))
    cutoff_at = models.DateTimeField(help_text=_("Approved data up to this time was used."))
    inputs_hash = models.CharField(max_length=64)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    previous_run = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.JSONField(
        default=list, blank=True, help_text=_("What the run had to decide, e.g. rescaled weights.")
    )
    last_year_run = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The latest run of the previous year published before this one (rank change since last year)."),
    )
    goalposts = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Per indicator, the exact lowest and highest value over the ranked counties (v1.1)."),
    )
    includes_demo_data = models.BooleanField(default=False)
    band_milliseconds = models.PositiveIntegerField(default=0)
    ranked_count = models.PositiveIntegerField(default=0)
    listed_count = models.PositiveIntegerField(default=0)
    duration_milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-year", "-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.year} run {self.pk}"

    @property
    def is_v1_1(self) -> bool:
        return self.methodology.rules == Rules.V1_1


def rank_with_band_text(rank: int | None, band_low: int | None, band_high: int | None) -> str | None:
    """ "84 (likely 78–92)": the API's and CSV's form of a rank and its band; the rank alone without a band; None
    without a rank. Written in Python from values already read: the SQL expression (CASE, CONCAT, CAST) that did
    this cost a tenth of a standings API request to compile (bench, API)."""
    if band_low is not None:
        return f"{rank} (likely {band_low}–{band_high})"
    return None if rank is None else str(rank)


class CountyStanding(models.Model):
    run = models.ForeignKey(StandingsRun, on_delete=models.CASCADE, related_name="county_standings")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="standings")

    operating_months = models.PositiveIntegerField(default=0)
    counted_months = models.PositiveIntegerField(default=0)
    is_ranked = models.BooleanField(default=False)
    not_ranked_reason = models.CharField(max_length=200, blank=True, choices=NotRankedReason.choices)

    plan_fulfilment = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    growth = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    product_range = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    local_raw_materials = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    reporting_discipline = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)

    score_plan_fulfilment = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_growth = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_product_range = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_local_raw_materials = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_reporting_discipline = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    composite = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    province_rank = models.PositiveIntegerField(null=True, blank=True)
    previous_rank = models.PositiveIntegerField(null=True, blank=True)
    rank_change = models.IntegerField(null=True, blank=True, help_text=_("Positive: moved up."))
    last_year_rank = models.PositiveIntegerField(null=True, blank=True)
    rank_change_since_last_year = models.IntegerField(null=True, blank=True, help_text=_("Positive: moved up."))
    rank_band_low = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Best likely rank under other weights (5th percentile of 1,000 draws).")
    )
    rank_band_high = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Worst likely rank under other weights (95th percentile of 1,000 draws).")
    )
    sums = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Per indicator, the exact numerator and denominator its ratio was computed from (v1.1)."),
    )

    class Meta:
        ordering = ["run", "rank", "county__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["run", "county"], name="standing_one_per_county_and_run"),
            models.CheckConstraint(
                condition=Q(is_ranked=False) | Q(rank__isnull=False, composite__isnull=False),
                name="standing_ranked_has_rank_and_composite",
            ),
            models.CheckConstraint(
                condition=Q(is_ranked=True) | ~Q(not_ranked_reason=""), name="standing_unranked_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(composite__isnull=True) | Q(composite__gte=0, composite__lte=100),
                name="standing_composite_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(rank_band_low__isnull=True) | Q(rank_band_low__lte=F("rank_band_high"), is_ranked=True),
                name="standing_band_low_within_high",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "run"]),
            # A run's list in rank order (API and CSV): the first page is read from the index in order, not
            # sorted from the whole run (4.2 -> 0.8 ms for a 3,000-county run, bench/README.md).
            models.Index(fields=["run", "rank"], name="standing_run_rank_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.county} in {self.run}"

    @property
    def not_ranked_explanation(self) -> str:
        """The reason in words, with the counts that decided it."""
        if self.is_ranked:
            return ""
        if self.not_ranked_reason == NotRankedReason.TOO_FEW_COUNTED_MONTHS:
            return _("%(counted)s of %(operating)s operating months fully approved; %(needed)s needed") % {
                "counted": self.counted_months,
                "operating": self.operating_months,
                "needed": self.months_needed,
            }
        return str(NotRankedReason(self.not_ranked_reason).label) if self.not_ranked_reason else ""

    @property
    def months_needed(self) -> int:
        share = Decimal(str(self.run.weights.get("minimum_counted_share", "0.75")))
        return int((share * self.operating_months).to_integral_value(rounding=ROUND_CEILING))

    def score(self, indicator: str) -> Decimal | None:
        return getattr(self, f"score_{indicator}")

    def raw_value(self, indicator: str) -> Decimal | None:
        return getattr(self, indicator)

    def contributions(self) -> dict[str, Decimal]:
        """Each present indicator's share of the composite: weight × score ÷ Σ weights of those present."""
        weights = {indicator: Decimal(str(self.run.weights[indicator])) for indicator in Indicator.values}
        present = {
            indicator: self.score(indicator) for indicator in Indicator.values if self.score(indicator) is not None
        }
        weight_sum = sum((weights[indicator] for indicator in present), Decimal(0))
        if not weight_sum:
            return {}
        return {indicator: weights[indicator] * score / weight_sum for indicator, score in present.items()}

    @property
    def missing_indicators(self) -> list[str]:
        if not self.is_ranked:
            return []
        return [indicator for indicator in Indicator.values if self.score(indicator) is None]


class RecomputeRequest(models.Model):
    """A durable request to recompute a year, so a request survives the broker being down.

    One row per year: requests for the same year coalesce into it. The worker that holds the row's lock
    computes the year; another finds it locked and leaves it (single flight).
    """

    year = models.PositiveSmallIntegerField(unique=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=10, choices=StandingsRun.Trigger.choices, default="approval")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_pending = models.BooleanField(default=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_run = models.ForeignKey(StandingsRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_outcome = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"recompute {self.year}"
