"""Output serializers of the reference data. Read-only: reference data is edited in the admin."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factories.models import Factory
from regional.models import County, DatePrecision, ProgrammeRound, ProgrammeSlot, Province


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = [
            "code",
            "name_en",
            "name_ko",
            "kind",
            "capital_en",
            "capital_ko",
            "area_km2",
            "population_2008",
            "county_count",
        ]
        read_only_fields = fields

    county_count = serializers.IntegerField(read_only=True)


class ProvinceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_en", "name_ko"]
        read_only_fields = fields


class FactoryBriefSerializer(serializers.Serializer):
    code = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


class FactorySummarySerializer(serializers.Serializer):
    total = serializers.IntegerField(read_only=True)
    in_operation = serializers.IntegerField(read_only=True)
    factories = FactoryBriefSerializer(many=True, read_only=True)


class CountySerializer(serializers.ModelSerializer):
    """A county with its province, the programme round that builds it (null if none yet) and its factories."""

    province = ProvinceBriefSerializer(read_only=True)
    programme_year = serializers.IntegerField(read_only=True, allow_null=True)
    is_in_programme_scope = serializers.BooleanField(read_only=True)
    factory_summary = serializers.SerializerMethodField()

    class Meta:
        model = County
        fields = [
            "slug",
            "name_en",
            "name_ko",
            "kind",
            "province",
            "population_2008",
            "latitude",
            "longitude",
            "is_in_programme_scope",
            "programme_year",
            "factory_summary",
        ]
        read_only_fields = fields

    @extend_schema_field(FactorySummarySerializer)
    def get_factory_summary(self, county):
        factories = county.factories.all()  # prefetched by the view with only the brief fields
        summary = {
            "total": len(factories),
            "in_operation": sum(1 for factory in factories if factory.status == Factory.Status.IN_OPERATION),
            "factories": factories,
        }
        return FactorySummarySerializer(summary).data


class ProgrammeRoundSerializer(serializers.ModelSerializer):
    slot_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProgrammeRound
        fields = ["year", "kind", "target_localities", "slot_count", "notes"]
        read_only_fields = fields


class ProgrammeSlotSerializer(serializers.ModelSerializer):
    """A county in a round. Dates come with their precision: "month" means the day is not known."""

    year = serializers.IntegerField(source="programme_round.year", read_only=True)
    county = serializers.SlugField(source="county.slug", read_only=True)
    county_name_en = serializers.CharField(source="county.name_en", read_only=True)
    province = serializers.CharField(source="county.province.code", read_only=True)
    sources = serializers.ListField(source="source_links", child=serializers.CharField(), read_only=True)
    # Blank when the date is not reported; declared so the schema says so (read-only model fields drop it).
    groundbreaking_precision = serializers.ChoiceField(choices=DatePrecision.choices, allow_blank=True, read_only=True)
    inauguration_precision = serializers.ChoiceField(choices=DatePrecision.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ProgrammeSlot
        fields = [
            "id",
            "year",
            "county",
            "county_name_en",
            "province",
            "kind",
            "groundbreaking_date",
            "groundbreaking_precision",
            "inauguration_date",
            "inauguration_precision",
            "project",
            "sources",
            "notes",
        ]
        read_only_fields = fields
