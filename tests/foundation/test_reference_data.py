import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from regional.models import County, ProgrammeSlot, Province
from regional.reference_data import DEFAULT_DIRECTORY, ReferenceDataError, load_reference_data


@pytest.fixture
def data_copy(tmp_path):
    for path in DEFAULT_DIRECTORY.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_real_reference_data_loads_every_province_county_and_slot(db):
    summary = load_reference_data()

    assert (summary.provinces, summary.counties, summary.slots) == (13, 215, 47)
    assert County.objects.filter(kind__in=["city", "county"]).count() == 175
    assert ProgrammeSlot.objects.filter(programme_round__year=2024).count() == 20
    songchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-songchon")
    assert songchon.groundbreaking_display == "28 February 2024"
    sukchon = ProgrammeSlot.objects.get(county__slug="kp-south-phyongan-sukchon")
    assert sukchon.groundbreaking_display == "March 2024"
    kusong = ProgrammeSlot.objects.get(county__slug="kp-north-phyongan-kusong")
    assert kusong.inauguration_display == "not reported"


def test_loading_twice_updates_in_place_without_duplicates(db):
    load_reference_data()
    Province.objects.filter(code="KP-04").update(name_ko="changed")

    load_reference_data()

    assert Province.objects.count() == 13
    assert County.objects.count() == 215
    assert ProgrammeSlot.objects.count() == 47
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
