"""Place-name resolution: every region by its own name, variants, ambiguity, unknown names."""

from __future__ import annotations

import pytest

from nualod.errors import LinkError
from nualod.link.places import display_name, resolve_region
from nualod.link.reference import load_regions

KAB_KOTA = [r for r in load_regions().values() if r.kind != "provinsi"]
PROVINCES = [r for r in load_regions().values() if r.kind == "provinsi"]


def test_every_kabupaten_and_kota_resolves_by_its_full_name() -> None:
    assert len(KAB_KOTA) == 514
    for region in KAB_KOTA:
        assert resolve_region(region.name) == region, region.name
        assert resolve_region(region.name.upper()) == region, region.name
        assert resolve_region(f"  {region.name}  ".replace(" ", "  ")) == region, region.name


def test_every_province_resolves_by_its_name_and_with_provinsi() -> None:
    assert len(PROVINCES) == 38
    for region in PROVINCES:
        assert resolve_region(display_name(region)) == region
        assert resolve_region(f"Provinsi {region.name}") == region


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kota Pekalongan", "33.75"),
        ("KOTA PEKALONGAN", "33.75"),
        ("kota pekalongan", "33.75"),
        ("Kota  Pekalongan ", "33.75"),
        ("Kab. Pekalongan", "33.26"),
        ("Kab.Pekalongan", "33.26"),
        ("Kabupaten Pekalongan", "33.26"),
        ("Kab Pekalongan", "33.26"),
        ("KABUPATEN PEKALONGAN", "33.26"),
        ("Pekalongan Regency", "33.26"),
        ("Kota Adm. Jakarta Selatan", "31.74"),
        ("Kota Administrasi Jakarta Selatan", "31.74"),
        ("Kota Jakarta Selatan", "31.74"),
        ("Jakarta Selatan", "31.74"),
        ("Kab. Adm. Kepulauan Seribu", "31.01"),
        ("Kep. Seribu", "31.01"),
        ("Kabupaten Kepulauan Siau Tagulandang Biaro", "71.09"),
        ("Kota Baubau", "74.72"),
        ("Tolitoli", "72.04"),
        ("Lima Puluh Kota", "13.07"),
        ("Kota Madya Bandung", "32.73"),
        ("Kotamadya Bandung", "32.73"),
        ("Bandung Barat", "32.17"),
        ("Jawa Tengah", "33"),
        ("Provinsi Jawa Tengah", "33"),
        ("Prov. Jawa Tengah", "33"),
        ("DKI Jakarta", "31"),
        ("Jakarta", "31"),
        ("Daerah Khusus Ibukota Jakarta", "31"),
        ("DI Yogyakarta", "34"),
        ("Provinsi Yogyakarta", "34"),
        ("Kota Yogyakarta", "34.71"),
        ("33.75", "33.75"),
    ],
)
def test_variants(name: str, code: str) -> None:
    assert resolve_region(name).code == code


def test_pekalongan_alone_is_ambiguous_and_names_both_candidates() -> None:
    with pytest.raises(LinkError) as info:
        resolve_region("Pekalongan", where="pages/a.txt")
    err = info.value
    assert err.field == "city"
    assert err.where == "pages/a.txt"
    assert err.reason == (
        "ambiguous place 'Pekalongan': Kota Pekalongan (33.75) or Kabupaten Pekalongan "
        "(33.26); write 'Kota' or 'Kabupaten'"
    )


def test_ambiguity_with_a_province_names_all_three() -> None:
    with pytest.raises(LinkError) as info:
        resolve_region("gorontalo")
    for part in (
        "Kota Gorontalo (75.71)",
        "Kabupaten Gorontalo (75.01)",
        "Provinsi Gorontalo (75)",
        "'Provinsi'",
    ):
        assert part in info.value.reason


def test_every_shared_bare_name_is_reported_not_guessed() -> None:
    for bare in ("Bandung", "Bogor", "Malang", "Sorong", "Semarang", "Tegal", "Yogyakarta"):
        with pytest.raises(LinkError, match="ambiguous place"):
            resolve_region(bare)


def test_unknown_name_suggests_close_names() -> None:
    with pytest.raises(LinkError) as info:
        resolve_region("Kota Pekalongn", where="row 3")
    err = info.value
    assert err.field == "city"
    assert err.reason.startswith("unknown city or regency 'Kota Pekalongn'")
    assert "Kota Pekalongan (33.75)" in err.reason
    assert str(err).startswith("row 3: city: unknown city or regency")


def test_unknown_name_without_any_close_name() -> None:
    with pytest.raises(LinkError) as info:
        resolve_region("Xyzzy")
    assert info.value.reason == "unknown city or regency 'Xyzzy'"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        # "salatiga" reads as 0.62 alike "atlantis", "atlantis" as 0.38 alike "salatiga".
        ("Kota Atlantis", "unknown city or regency 'Kota Atlantis'"),
        ("Kota Gotham", "unknown city or regency 'Kota Gotham'"),
        (
            "Kota Surabya",
            "unknown city or regency 'Kota Surabya'; did you mean Kota Surabaya (35.78)?",
        ),
        # Names people use that no spelling brings close (review: "Jogja" lost its suggestion).
        (
            "Kota Jogja",
            "unknown city or regency 'Kota Jogja'; did you mean Kota Yogyakarta (34.71) or "
            "Daerah Istimewa Yogyakarta (34)?",
        ),
        ("Solo", "unknown city or regency 'Solo'; did you mean Kota Surakarta (33.72)?"),
    ],
)
def test_only_names_alike_both_ways_are_suggested(name: str, reason: str) -> None:
    with pytest.raises(LinkError) as info:
        resolve_region(name)
    assert info.value.reason == reason


def test_suggestions_are_at_most_three() -> None:
    with pytest.raises(LinkError) as info:
        resolve_region("Pekalongn")
    assert info.value.reason.count("(") <= 3


@pytest.mark.parametrize("name", ["", "   ", "Kota", "33.99"])
def test_empty_or_bare_kind_is_an_error(name: str) -> None:
    with pytest.raises(LinkError):
        resolve_region(name)
