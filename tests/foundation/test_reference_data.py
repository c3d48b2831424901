import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from factories.models import Facility
from regional.models import County, ProgrammeSlot, Province
from regional.reference_data import DEFAULT_DIRECTORY, ReferenceDataError, load_reference_data


@pytest.fixture
def data_copy(tmp_path):
    for path in DEFAULT_DIRECTORY.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_real_reference_data_loads_every_province_county_and_slot(db):
    summary = load_reference_data()

    assert (summary.provinces, summary.counties, summary.slots) == (13, 215, 60)
    assert County.objects.filter(kind__in=["city", "county"]).count() == 175
    assert ProgrammeSlot.objects.filter(programme_round__year=2024).count() == 20
    localities = ProgrammeSlot.objects.filter(kind=ProgrammeSlot.Kind.LOCALITY)
    assert {year: localities.filter(programme_round__year=year).count() for year in (2024, 2025, 2026)} == {
        2024: 20,
        2025: 20,
        2026: 17,
    }
    separate = ProgrammeSlot.objects.filter(kind=ProgrammeSlot.Kind.SEPARATE_PROJECT).order_by("programme_round__year")
    assert [(slot.programme_round.year, slot.county.slug) for slot in separate] == [
        (2025, "kp-south-phyongan-unsan"),
        (2026, "kp-south-hamgyong-riwon"),
    ]
    # Every 2024 and 2025 site has its inauguration date; no 2026 site has one (none was found), none is invented
    assert not ProgrammeSlot.objects.filter(programme_round__year__in=[2024, 2025], inauguration_date=None).exists()
    assert not ProgrammeSlot.objects.filter(programme_round__year=2026).exclude(inauguration_date=None).exists()
    songchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-songchon")
    assert songchon.groundbreaking_display == "28 February 2024"
    sukchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-sukchon")
    assert sukchon.groundbreaking_display == "March 2024"
    kujang = ProgrammeSlot.objects.get(county__slug="kp-north-phyongan-kujang")
    assert kujang.inauguration_display == "24 January 2025"
    rangrim = ProgrammeSlot.objects.get(county__slug="kp-jagang-rangrim")
    assert rangrim.groundbreaking_display == "not reported"
    assert ProgrammeSlot.objects.get(county__slug="kp-north-phyongan-taegwan").groundbreaking_display == "February 2025"


def test_loading_twice_updates_in_place_without_duplicates(db):
    summary = load_reference_data()
    Province.objects.filter(code="KP-04").update(name_ko="changed")

    load_reference_data()

    assert Province.objects.count() == 13
    assert County.objects.count() == 215
    assert ProgrammeSlot.objects.count() == 60
    assert Facility.objects.count() == summary.facilities
    assert Province.objects.get(code="KP-04").name_ko == "자강도"


def test_a_bad_file_loads_nothing_and_names_every_bad_row(db, data_copy):
    counties = (data_copy / "counties.csv").read_text(encoding="utf-8").splitlines()
    # Line 3 gets an unknown province, line 5 a negative population.
    counties[2] = counties[2].replace(",Pyongyang,", ",Atlantis,", 1)
    fields = counties[4].split(",")
    fields[8] = "-5"
    counties[4] = ",".join(fields)
    (data_copy / "counties.csv").write_text("\n".join(counties) + "\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError) as raised:
        load_reference_data(directory=data_copy)

    messages = [str(error) for error in raised.value.errors]
    assert any(m.startswith("counties.csv, line 3:") and "Atlantis" in m for m in messages)
    assert any(m.startswith("counties.csv, line 5:") and "negative" in m for m in messages)
    assert Province.objects.count() == 0
    assert County.objects.count() == 0


def test_a_county_scheduled_twice_is_refused_with_both_lines(db, data_copy):
    path = data_copy / "programme_counties.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1].replace("2024,", "2027,", 1))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError) as raised:
        load_reference_data(directory=data_copy)

    assert any("already scheduled on line 2" in str(error) for error in raised.value.errors)
    assert ProgrammeSlot.objects.count() == 0


def test_the_command_reports_bad_rows_and_fails(db, data_copy, capsys):
    (data_copy / "provinces.csv").write_text("iso_3166_2,name_en\nKP-01,Pyongyang\n", encoding="utf-8")

    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_reference_data", directory=data_copy)

    assert "provinces.csv, line 1: missing column(s)" in capsys.readouterr().err


def test_dates_read_in_the_order_of_the_language(db):
    load_reference_data()
    songchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-songchon")
    sukchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-sukchon")

    with translation.override("ko"):
        assert songchon.groundbreaking_display == "2024년 2월 28일"
        assert sukchon.groundbreaking_display == "2024년 3월"


def _facilities(slug):
    return sorted(
        (facility.kind, facility.name)
        for facility in Facility.objects.filter(programme_slot__county__slug=slug, is_from_reference_data=True)
    )


def test_facilities_are_taken_from_the_project_text_with_its_sources(db):
    # When the real data is loaded
    load_reference_data()

    # Then each site has the facilities its project text states, in the source's words, and no more
    assert _facilities("kp-south-hamgyong-rakwon") == [
        (Facility.Kind.FACTORIES, "regional-industry factories"),
        (Facility.Kind.HOSPITAL, "hospital"),
        (Facility.Kind.SERVICE_COMPLEX, "service complex"),
    ]
    assert _facilities("kp-nampho-ryonggang") == [
        (Facility.Kind.FACTORIES, "regional-industry factories"),
        (Facility.Kind.HOSPITAL, "county hospital"),
    ]
    assert _facilities("kp-south-hamgyong-riwon") == [
        (Facility.Kind.SEA_FARMING_STATION, "modern offshore aquaculture station")
    ]
    assert _facilities("kp-kangwon-kimhwa") == [
        (Facility.Kind.DAILY_NECESSITIES, "daily necessities factory"),
        (Facility.Kind.FOODSTUFF, "foodstuff factory"),
        (Facility.Kind.GARMENT, "garment factory"),
        (Facility.Kind.PAPER, "paper mill"),
    ]
    # A speaker's remark about "20 areas" itemises nothing for Panmun: its facilities stay unknown
    assert _facilities("kp-kaesong-panmun") == []
    # Every facility keeps the sources of its site
    rakwon = ProgrammeSlot.objects.get(county__slug="kp-south-hamgyong-rakwon")
    assert {facility.source for facility in rakwon.facilities.all()} == {rakwon.sources}
    assert not Facility.objects.filter(source="").exists()


def test_reloading_keeps_facilities_an_administrator_added(db):
    # Given the data is loaded and an administrator added Panmun's hospital with its source
    load_reference_data()
    panmun = ProgrammeSlot.objects.get(county__slug="kp-kaesong-panmun")
    Facility.objects.create(
        programme_slot=panmun, kind=Facility.Kind.HOSPITAL, name="Panmun hospital", source="https://example.org/a"
    )

    # When the data is loaded again
    load_reference_data()

    # Then the added facility is still there and nothing is duplicated
    assert _facilities("kp-kaesong-panmun") == []
    assert panmun.facilities.get().name == "Panmun hospital"
    assert Facility.objects.filter(programme_slot__county__slug="kp-south-hamgyong-rakwon").count() == 3
