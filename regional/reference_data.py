"""Loading the real reference data (provinces, counties, programme schedule) from the bundled CSV files.

All-or-nothing: every file is parsed and every row validated before anything is written; one bad row
means nothing is loaded and every bad row is reported with its file, line number and reason.
Idempotent: rows are matched on their stable keys and updated in place.
"""

import csv
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from factories.models import Facility
from regional.models import County, DatePrecision, ProgrammeRound, ProgrammeSlot, Province

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "data"
PROGRAMME_YEARS = range(2024, 2034)
MODEL_YEAR = 2022

PROVINCE_COLUMNS = {
    "iso_3166_2",
    "name_en",
    "name_ko",
    "kind",
    "kind_ko",
    "area_km2",
    "population_2008",
    "source",
}
COUNTY_COLUMNS = {
    "id",
    "name_en",
    "name_ko",
    "kind",
    "kind_ko",
    "province",
    "population_2008",
    "lat",
    "lon",
    "source",
}
PROGRAMME_COLUMNS = {
    "year",
    "county_id",
    "groundbreaking_date",
    "completion_date",
    "project",
    "source",
    "notes",
}


@dataclass
class RowError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


class ReferenceDataError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} bad row(s); nothing was loaded.")


@dataclass
class LoadSummary:
    provinces: int = 0
    counties: int = 0
    slots: int = 0
    rounds: int = 0
    facilities: int = 0
    notes: list[str] = field(default_factory=list)


def parse_partial_date(text: str) -> tuple[datetime.date | None, str]:
    """'2024-03-06' → (date, 'day'); '2024-03' → (2024-03-01, 'month'); '' → (None, '')."""
    text = text.strip()
    if not text:
        return None, ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.date.fromisoformat(text), DatePrecision.DAY
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = map(int, text.split("-"))
        return datetime.date(year, month, 1), DatePrecision.MONTH
    raise ValueError(f"'{text}' is not a date (YYYY-MM-DD or YYYY-MM)")


def _optional_int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    value = int(text)
    if value < 0:
        raise ValueError(f"{value} is negative")
    return value


def _optional_decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None


def _read(path: Path, required: set[str], errors: list[RowError]) -> list[tuple[int, dict]]:
    if not path.exists():
        errors.append(RowError(path.name, 0, "file is missing"))
        return []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = required - set(reader.fieldnames or [])
            if missing:
                errors.append(RowError(path.name, 1, f"missing column(s): {', '.join(sorted(missing))}"))
                return []
            # Line numbers as a spreadsheet shows them: the header is line 1.
            return [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as error:
        errors.append(RowError(path.name, 0, f"not UTF-8 text ({error.reason})"))
        return []


def _parse_provinces(rows, errors) -> dict[str, Province]:
    kinds = {choice.value for choice in Province.Kind}
    provinces: dict[str, Province] = {}
    for line, row in rows:
        problems = []
        code = row["iso_3166_2"].strip()
        if not re.fullmatch(r"KP-\d{2}", code):
            problems.append(f"code '{code}' is not an ISO 3166-2:KP code")
        if not row["name_en"].strip():
            problems.append("name_en is empty")
        if row["kind"].strip() not in kinds:
            problems.append(f"kind '{row['kind']}' is not one of {', '.join(sorted(kinds))}")
        try:
            area = _optional_decimal(row["area_km2"])
            if area is not None and area < 0:
                problems.append("area_km2 is negative")
            population = _optional_int(row["population_2008"])
        except ValueError as error:
            problems.append(str(error))
            area = population = None
        if code in provinces:
            problems.append(f"code {code} appears twice")
        if problems:
            errors.extend(RowError("provinces.csv", line, problem) for problem in problems)
            continue
        provinces[code] = Province(
            code=code,
            name_en=row["name_en"].strip(),
            name_ko=row["name_ko"].strip(),
            kind=row["kind"].strip(),
            kind_ko=row["kind_ko"].strip(),
            capital_en=row.get("capital_en", "").strip(),
            capital_ko=row.get("capital_ko", "").strip(),
            area_km2=area,
            population_2008=population,
            source=row["source"].strip(),
            notes=row.get("notes", "").strip(),
        )
    return provinces


def _parse_counties(rows, province_names: set[str], errors) -> dict[str, dict]:
    kinds = {choice.value for choice in County.Kind}
    counties: dict[str, dict] = {}
    for line, row in rows:
        problems = []
        slug = row["id"].strip()
        if not re.fullmatch(r"kp-[a-z0-9-]+", slug):
            problems.append(f"id '{slug}' is not a stable identifier like kp-province-name")
        if slug in counties:
            problems.append(f"id {slug} appears twice")
        if not row["name_en"].strip():
            problems.append("name_en is empty")
        if row["kind"].strip() not in kinds:
            problems.append(f"kind '{row['kind']}' is not one of {', '.join(sorted(kinds))}")
        if row["province"].strip() not in province_names:
            problems.append(f"province '{row['province']}' is not in provinces.csv")
        try:
            population = _optional_int(row["population_2008"])
            latitude = _optional_decimal(row["lat"])
            longitude = _optional_decimal(row["lon"])
            if latitude is not None and not 37 <= latitude <= 43.5:
                problems.append(f"lat {latitude} is outside Korea")
            if longitude is not None and not 124 <= longitude <= 131:
                problems.append(f"lon {longitude} is outside Korea")
        except ValueError as error:
            problems.append(str(error))
            population = latitude = longitude = None
        if problems:
            errors.extend(RowError("counties.csv", line, problem) for problem in problems)
            continue
        counties[slug] = {
            "slug": slug,
            "province_name": row["province"].strip(),
            "name_en": row["name_en"].strip(),
            "name_ko": row["name_ko"].strip(),
            "kind": row["kind"].strip(),
            "kind_ko": row["kind_ko"].strip(),
            "parent_city": row.get("parent_city", "").strip(),
            "population_2008": population,
            "latitude": latitude,
            "longitude": longitude,
            "ocha_2019_id": row.get("ocha_2019_id", "").strip(),
            "census2008_name_ko": row.get("census2008_name_ko", "").strip(),
            "source": row["source"].strip(),
            "notes": row.get("notes", "").strip(),
        }
    return counties


def slot_kind_for(year: int, project: str) -> str:
    """The model county predates the programme; a standalone paper mill or a sea-farming station (Riwon, 2026:
    "not factories") is listed beside the annual 20."""
    text = project.lower()
    if year < PROGRAMME_YEARS.start:
        return ProgrammeSlot.Kind.MODEL
    if "paper mill" in text or "aquaculture" in text or "sea-farming" in text or "not factories" in text:
        return ProgrammeSlot.Kind.SEPARATE_PROJECT
    return ProgrammeSlot.Kind.LOCALITY


# What a project text names, in the source's own words, and the kind of facility it is. Only what the text
# states for this site: a speaker's general remark about "20 areas" (in parentheses) itemises nothing.
FACILITY_PHRASES: list[tuple[str, str, str]] = [
    (r"\bfoodstuff\b", Facility.Kind.FOODSTUFF, "foodstuff factory"),
    (r"\bgarment\b", Facility.Kind.GARMENT, "garment factory"),
    (r"\bdaily necessities\b", Facility.Kind.DAILY_NECESSITIES, "daily necessities factory"),
    (r"^(\w+ )?paper mill$", Facility.Kind.PAPER, ""),
    (r"\bpaper mill\)", Facility.Kind.PAPER, "paper mill"),
    (
        r"^(model )?regional-industry factories$|^regional-industry factories\b(?! \()",
        Facility.Kind.FACTORIES,
        "regional-industry factories",
    ),
    (r"\blight-industry factories\b", Facility.Kind.FACTORIES, "light-industry factories"),
    (r"\bcounty hospital\b", Facility.Kind.HOSPITAL, "county hospital"),
    (r"(?<!county )\bhospital\b", Facility.Kind.HOSPITAL, "hospital"),
    (r"\bpublic health\b", Facility.Kind.HOSPITAL, "public health facilities"),
    (r"\bservice complex\b", Facility.Kind.SERVICE_COMPLEX, "service complex"),
    (r"\bleisure (complex|facilities)\b", Facility.Kind.SERVICE_COMPLEX, "*"),
    (r"\bgrain management facility\b", Facility.Kind.OTHER, "grain management facility"),
    (r"\baquaculture station\b", Facility.Kind.SEA_FARMING_STATION, "modern offshore aquaculture station"),
]


def facilities_named_in(project: str) -> list[tuple[str, str]]:
    """(kind, name) of each facility the project text names for its site; [] when it itemises none.

    A name is the source's own words: a fixed one, the whole project text (""), or the matched words ("*")."""
    text = re.sub(r"\((speakers|premier)[^)]*\)", "", project.strip(), flags=re.IGNORECASE).strip().lower()
    if text.startswith("20") and "construction" in text:
        return []  # "2026 regional development policy construction": what this site builds is not stated
    found: list[tuple[str, str]] = []
    for pattern, kind, name in FACILITY_PHRASES:
        if match := re.search(pattern, text):
            entry = (kind, match.group(0) if name == "*" else name or project.strip())
            if entry not in found:
                found.append(entry)
    # A site with its factories itemised does not also get the generic "factories" entry.
    if any(kind in (Facility.Kind.FOODSTUFF, Facility.Kind.GARMENT) for kind, _name in found):
        found = [(kind, name) for kind, name in found if kind != Facility.Kind.FACTORIES]
    return found


def _parse_slots(rows, county_slugs: set[str], errors) -> list[dict]:
    slots: list[dict] = []
    seen_counties: dict[str, int] = {}
    for line, row in rows:
        problems = []
        try:
            year = int(row["year"])
            if year != MODEL_YEAR and year not in PROGRAMME_YEARS:
                problems.append(f"year {year} is outside the programme (2024–2033, or {MODEL_YEAR} for the model)")
        except ValueError:
            problems.append(f"year '{row['year']}' is not a number")
            year = 0
        slug = row["county_id"].strip()
        if slug not in county_slugs:
            problems.append(f"county_id '{slug}' is not in counties.csv")
        elif slug in seen_counties:
            problems.append(f"county {slug} is already scheduled on line {seen_counties[slug]}: a county is built once")
        try:
            groundbreaking, groundbreaking_precision = parse_partial_date(row["groundbreaking_date"])
            inauguration, inauguration_precision = parse_partial_date(row["completion_date"])
            if groundbreaking and inauguration and inauguration < groundbreaking:
                problems.append("completion_date is before groundbreaking_date")
        except ValueError as error:
            problems.append(str(error))
            groundbreaking = inauguration = None
            groundbreaking_precision = inauguration_precision = ""
        if problems:
            errors.extend(RowError("programme_counties.csv", line, problem) for problem in problems)
            continue
        seen_counties[slug] = line
        slots.append(
            {
                "year": year,
                "county_slug": slug,
                "kind": slot_kind_for(year, row["project"]),
                "groundbreaking_date": groundbreaking,
                "groundbreaking_precision": groundbreaking_precision,
                "inauguration_date": inauguration,
                "inauguration_precision": inauguration_precision,
                "project": row["project"].strip(),
                "sources": row["source"].strip(),
                "notes": row["notes"].strip(),
            }
        )
    return slots


def load_reference_data(*, directory: Path = DEFAULT_DIRECTORY) -> LoadSummary:
    """Validate all reference files, then write them in one transaction; raise ReferenceDataError with every
    bad row if any row is bad, leaving the database untouched."""
    errors: list[RowError] = []
    province_rows = _read(directory / "provinces.csv", PROVINCE_COLUMNS, errors)
    county_rows = _read(directory / "counties.csv", COUNTY_COLUMNS, errors)
    slot_rows = _read(directory / "programme_counties.csv", PROGRAMME_COLUMNS, errors)

    provinces = _parse_provinces(province_rows, errors)
    counties = _parse_counties(county_rows, {p.name_en for p in provinces.values()}, errors)
    slots = _parse_slots(slot_rows, set(counties), errors)
    if errors:
        raise ReferenceDataError(errors)

    with transaction.atomic():
        Province.objects.bulk_create(
            provinces.values(),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "name_en", "name_ko", "kind", "kind_ko", "capital_en", "capital_ko",
                "area_km2", "population_2008", "source", "notes",
            ],
        )  # fmt: skip
        province_by_name = {p.name_en: p for p in Province.objects.all()}
        County.objects.bulk_create(
            [
                County(
                    province=province_by_name[data["province_name"]],
                    **{key: value for key, value in data.items() if key != "province_name"},
                )
                for data in counties.values()
            ],
            update_conflicts=True,
            unique_fields=["slug"],
            update_fields=[
                "province", "name_en", "name_ko", "kind", "kind_ko", "parent_city", "population_2008",
                "latitude", "longitude", "ocha_2019_id", "census2008_name_ko", "source", "notes",
            ],
        )  # fmt: skip
        rounds = [
            ProgrammeRound(year=year, kind=ProgrammeRound.Kind.ANNUAL, target_localities=20) for year in PROGRAMME_YEARS
        ] + [ProgrammeRound(year=MODEL_YEAR, kind=ProgrammeRound.Kind.MODEL, target_localities=1)]
        ProgrammeRound.objects.bulk_create(
            rounds, update_conflicts=True, unique_fields=["year"], update_fields=["kind", "target_localities"]
        )
        round_by_year = {r.year: r for r in ProgrammeRound.objects.all()}
        county_by_slug = dict(County.objects.values_list("slug", "pk"))
        ProgrammeSlot.objects.bulk_create(
            [
                ProgrammeSlot(
                    programme_round=round_by_year[data["year"]],
                    county_id=county_by_slug[data["county_slug"]],
                    **{k: v for k, v in data.items() if k not in ("year", "county_slug")},
                )
                for data in slots
            ],
            update_conflicts=True,
            unique_fields=["county"],
            update_fields=[
                "programme_round", "kind", "groundbreaking_date", "groundbreaking_precision",
                "inauguration_date", "inauguration_precision", "project", "sources", "notes",
            ],
        )  # fmt: skip
        facilities = _write_facilities(slots, county_by_slug)
    return LoadSummary(
        provinces=len(provinces), counties=len(counties), slots=len(slots), rounds=len(rounds), facilities=facilities
    )


def _write_facilities(slots: list[dict], county_by_slug: dict[str, int]) -> int:
    """The facilities each project text names, with the slot's sources; matched on (site, kind, name) so a
    second load changes nothing, and facilities an administrator added are never touched."""
    slot_by_county = dict(ProgrammeSlot.objects.values_list("county_id", "pk"))
    wanted: list[Facility] = []
    for data in slots:
        slot_id = slot_by_county[county_by_slug[data["county_slug"]]]
        for kind, name in facilities_named_in(data["project"]):
            wanted.append(
                Facility(
                    programme_slot_id=slot_id,
                    kind=kind,
                    name=name,
                    source=data["sources"],
                    is_from_reference_data=True,
                )
            )
    Facility.objects.bulk_create(
        wanted,
        update_conflicts=True,
        unique_fields=["programme_slot", "kind", "name"],
        update_fields=["source", "is_from_reference_data"],
    )
    keep = {(f.programme_slot_id, f.kind, f.name) for f in wanted}
    stale = [
        pk
        for pk, slot_id, kind, name in Facility.objects.filter(is_from_reference_data=True).values_list(
            "pk", "programme_slot_id", "kind", "name"
        )
        if (slot_id, kind, name) not in keep
    ]
    Facility.objects.filter(pk__in=stale).delete()
    return len(wanted)
