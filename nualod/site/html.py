"""The page shell (header, navigation, language switch, footer) and the words of the site,
in Indonesian first and English.

Indonesian pages sit at the site's root, English ones under ``en/`` with the same stems, so
a page's counterpart in the other language is one prefix away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Final

from nualod.describe.schemaorg import signpost_links
from nualod.model.writing import grouped

LANGUAGES: Final = ("id", "en")
#: Folder of each language's pages under the site's root.
LANGUAGE_FOLDER: Final[dict[str, str]] = {"id": "", "en": "en/"}

WORDS: Final[dict[str, dict[str, str]]] = {
    "site": {
        "id": "Praktik Baik Agenda Baru Perkotaan Indonesia",
        "en": "New Urban Agenda Good Practices in Indonesia",
    },
    "site_short": {"id": "Praktik Baik NUA", "en": "NUA Good Practices"},
    "home": {"id": "Beranda", "en": "Home"},
    "places": {"id": "Wilayah", "en": "Places"},
    "themes": {"id": "Tema", "en": "Themes"},
    "sdg": {"id": "SDG", "en": "SDGs"},
    "unesco": {"id": "Konsep UNESCO", "en": "UNESCO concepts"},
    "creative": {"id": "Kota Kreatif UNESCO", "en": "UNESCO Creative Cities"},
    "vocabulary": {"id": "Kosakata", "en": "Vocabulary"},
    "search": {"id": "Cari", "en": "Search"},
    "search_label": {
        "id": "Cari praktik, kota, ringkasan",
        "en": "Search practices, cities, summaries",
    },
    "search_button": {"id": "Cari", "en": "Search"},
    "search_hint": {
        "id": "Ketik nama kota, kabupaten atau provinsi, atau kata dari judul atau ringkasan.",
        "en": "Type a city, regency or province, or words of a title or summary.",
    },
    "search_more": {"id": "Tampilkan lebih banyak", "en": "Show more"},
    "search_none": {"id": "Tidak ada hasil.", "en": "No results."},
    "search_short": {
        "id": "Kata satu atau dua huruf dicari utuh; ketik lebih banyak huruf.",
        "en": "Words of one or two letters are matched whole; type more letters.",
    },
    "search_found": {"id": "praktik ditemukan", "en": "practices found"},
    "search_found_one": {"id": "praktik ditemukan", "en": "practice found"},
    "search_failed": {
        "id": "Indeks pencarian tidak dapat dimuat; gunakan daftar di menu.",
        "en": "The search index could not be loaded; use the lists in the menu.",
    },
    "no_alignment": {
        "id": "Tidak ada keselarasan langsung.",
        "en": "No direct alignment.",
    },
    "search_offline": {
        "id": "Pencarian memerlukan JavaScript; gunakan daftar di menu untuk menjelajah.",
        "en": "Search needs JavaScript; without it, use the lists in the menu to browse.",
    },
    "switch": {"id": "English", "en": "Bahasa Indonesia"},
    # Each in the language it leads to, as the link is marked (lang="en" on an Indonesian page).
    "switch_label": {"id": "Read in English", "en": "Baca dalam bahasa Indonesia"},
    "unknown": {"id": "nama tidak diketahui", "en": "name not known"},
    "practice": {"id": "Praktik baik", "en": "Good practice"},
    "withdrawn": {"id": "ditarik", "en": "withdrawn"},
    "withdrawn_title": {
        "id": "Praktik ini sudah ditarik dari data",
        "en": "This practice has been withdrawn from the data",
    },
    "withdrawn_in": {
        "id": "Praktik ini dihapus pada rilis {version}. IRI-nya tetap berlaku agar tautan lama tidak putus.",
        "en": "It was removed in release {version}. Its IRI keeps resolving so that old links do not break.",
    },
    "withdrawn_when_unknown": {
        "id": "Praktik ini dihapus pada rilis yang lebih baru. IRI-nya tetap berlaku agar tautan lama tidak putus.",
        "en": "It was removed in a later release. Its IRI keeps resolving so that old links do not break.",
    },
    "withdrawn_was": {"id": "Judulnya:", "en": "Its title was:"},
    "replaced_by": {"id": "Penggantinya:", "en": "It was replaced by:"},
    "not_replaced": {"id": "Tidak ada praktik pengganti.", "en": "No practice replaced it."},
    "see_others": {"id": "Lihat praktik lainnya", "en": "See the other practices"},
    "practices": {"id": "praktik", "en": "practices"},
    # A word's "_one" entry is its form after 1 (see count_of); Indonesian has no plural.
    "practices_one": {"id": "praktik", "en": "practice"},
    "practices_title": {"id": "Praktik baik", "en": "Good practices"},
    "summary": {"id": "Ringkasan", "en": "Summary (Ringkasan)"},
    "description": {"id": "Deskripsi", "en": "Description (Deskripsi)"},
    "no_text": {
        "id": "Halaman sumber tidak memuat bagian ini.",
        "en": "The source page has no such section.",
    },
    "theme": {"id": "Tema", "en": "Theme"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "indicators": {"id": "Indikator", "en": "Indicators"},
    "place": {"id": "Tempat", "en": "Place"},
    "province": {"id": "Provinsi", "en": "Province"},
    "provinces": {"id": "Provinsi", "en": "Provinces"},
    "kota": {"id": "Kota", "en": "City (kota)"},
    "kabupaten": {"id": "Kabupaten", "en": "Regency (kabupaten)"},
    "provinsi": {"id": "Provinsi", "en": "Province"},
    "regions": {"id": "Kabupaten dan kota", "en": "Regencies and cities"},
    "date": {"id": "Tanggal", "en": "Date"},
    "sources": {"id": "Sumber", "en": "Sources"},
    "read_from": {"id": "Dibaca dari", "en": "Read from"},
    "read_at": {"id": "pada", "en": "on"},
    "not_harvested": {
        "id": "Dibaca dari berkas yang disimpan, bukan diambil langsung dari web.",
        "en": "Read from a saved file, not fetched from the web.",
    },
    "licence": {"id": "Lisensi", "en": "Licence"},
    "cite": {"id": "Cara mengutip", "en": "How to cite"},
    "downloads": {"id": "Unduhan", "en": "Downloads"},
    "this_as": {"id": "Praktik ini sebagai", "en": "This practice as"},
    "data_as": {"id": "Data halaman ini sebagai", "en": "This page's data as"},
    "identifier": {"id": "IRI", "en": "IRI"},
    "alignments": {
        "id": "Keselarasan dengan SDG dan UNESCO",
        "en": "Alignment with the SDGs and UNESCO",
    },
    "sdg_goals": {"id": "Tujuan SDG", "en": "SDG goals"},
    "sdg_concepts": {"id": "Target dan indikator SDG", "en": "SDG targets and indicators"},
    "unesco_concepts": {"id": "Konsep Tesaurus UNESCO", "en": "UNESCO Thesaurus concepts"},
    "unesco_concept": {"id": "Konsep Tesaurus UNESCO", "en": "UNESCO Thesaurus concept"},
    "nua_theme": {"id": "Tema NUA", "en": "NUA theme"},
    "nua_indicator": {"id": "Indikator NUA", "en": "NUA indicator"},
    "media_type": {"id": "Jenis media", "en": "Media type"},
    "via": {"id": "melalui", "en": "through"},
    "justification": {"id": "Alasan keselarasan", "en": "Justification"},
    "justification_link": {"id": "Rincian", "en": "Details"},
    "aligned_with": {"id": "Diselaraskan dengan", "en": "Aligned with"},
    "aligned_from": {"id": "Konsep NUA yang diselaraskan", "en": "NUA concepts aligned with it"},
    "creative_city": {"id": "Kota Kreatif UNESCO", "en": "UNESCO Creative City"},
    "field": {"id": "bidang", "en": "of"},
    "since": {"id": "sejak", "en": "since"},
    "count": {"id": "Jumlah", "en": "Count"},
    "none": {"id": "Belum ada praktik.", "en": "No practice yet."},
    # Under a practice's SDG and UNESCO headings: they are reached through its theme and
    # indicator, and "no practice yet" there read as if the practice did not exist.
    "none_aligned": {
        "id": "Tidak ada yang diselaraskan dengan tema atau indikatornya.",
        "en": "None aligned with its theme or indicator.",
    },
    "no_indicators": {"id": "Tidak ada indikator.", "en": "No indicator."},
    "page": {"id": "Halaman", "en": "Page"},
    "of": {"id": "dari", "en": "of"},
    "next": {"id": "Berikutnya", "en": "Next"},
    "previous": {"id": "Sebelumnya", "en": "Previous"},
    "all_pages": {"id": "Semua halaman daftar", "en": "All list pages"},
    "latest": {"id": "Praktik terbaru", "en": "Latest practices"},
    "all_practices": {"id": "Semua praktik baik", "en": "All good practices"},
    "newest_first": {"id": "Yang terbaru lebih dulu.", "en": "Newest first."},
    "map": {"id": "Peta praktik per kabupaten/kota", "en": "Map of practices by regency and city"},
    "map_alt": {
        "id": "Peta Indonesia dengan satu titik per kabupaten atau kota yang memiliki praktik; "
        "besar titik menurut jumlah praktik.",
        "en": "Map of Indonesia with one dot per regency or city that has practices; "
        "dot size by number of practices.",
    },
    # Said when some regions with practices have no dot: the map does not hide them.
    "map_unplaced": {
        "id": "{n} kabupaten/kota dengan praktik tidak ada di peta: lokasinya tidak diketahui.",
        "en": "{n} regencies and cities with practices are not on the map: their location is "
        "not known.",
    },
    "map_unplaced_one": {
        "id": "{n} kabupaten/kota dengan praktik tidak ada di peta: lokasinya tidak diketahui.",
        "en": "{n} regency or city with practices is not on the map: its location is not known.",
    },
    "map_note": {
        "id": "Titik: lokasi kabupaten/kota (Wikidata). Garis pantai: Natural Earth.",
        "en": "Dots: regency and city locations (Wikidata). Coastline: Natural Earth.",
    },
    "per_theme": {"id": "Praktik per tema", "en": "Practices per theme"},
    "per_goal": {"id": "Praktik per tujuan SDG", "en": "Practices per SDG goal"},
    "per_goal_note": {
        "id": "Sebuah praktik dihitung pada setiap tujuan yang diselaraskan dengan tema atau "
        "indikatornya.",
        "en": "A practice counts under every goal its theme or indicator is aligned with.",
    },
    "sparql": {"id": "SPARQL", "en": "SPARQL"},
    "endpoint": {"id": "Titik akhir SPARQL", "en": "SPARQL endpoint"},
    "no_endpoint": {
        "id": "Rilis ini tidak menyediakan titik akhir SPARQL publik. Untuk menjalankannya sendiri: ",
        "en": "This release has no public SPARQL endpoint. To run one yourself: ",
    },
    "queries": {"id": "Contoh kueri", "en": "Example queries"},
    "file": {"id": "Berkas", "en": "File"},
    "format": {"id": "Format", "en": "Format"},
    "bytes": {"id": "Bita", "en": "Bytes"},
    "checksum": {"id": "SHA-256", "en": "SHA-256"},
    "metadata": {"id": "Metadata", "en": "Metadata"},
    "not_found": {"id": "Halaman tidak ditemukan", "en": "Page not found"},
    "not_found_text": {
        "id": "Tidak ada halaman di alamat ini. Coba pencarian atau daftar di menu.",
        "en": "There is no page at this address. Try the search or the lists in the menu.",
    },
    # A path gone with a version no longer kept (410; nualod.site.pages._gone).
    "gone": {"id": "Versi ini tidak lagi disimpan", "en": "This version is no longer kept"},
    "gone_text": {
        "id": "Alamat ini milik versi data yang tidak lagi disimpan: berkas-berkasnya dan "
        "sumber daya yang dinamai di bawah pengenalnya telah dihapus. Pengenal versi itu "
        "sendiri tetap berlaku: halamannya menyebut kapan versi itu diterbitkan dan versi "
        "mana yang menyusulnya. Versi yang tidak lagi disimpan:",
        "en": "This address belongs to a version of the data that is no longer kept: its "
        "files and the resources named under its identifier were deleted. The version's "
        "identifier itself stays valid: its page says when it was published and which "
        "version followed it. The versions no longer kept:",
    },
    "counts_practices": {"id": "praktik baik", "en": "good practices"},
    "counts_regions": {"id": "kabupaten/kota", "en": "regencies and cities"},
    "counts_provinces": {"id": "provinsi", "en": "provinces"},
    "counts_themes": {"id": "tema", "en": "themes"},
    "counts_indicators": {"id": "indikator", "en": "indicators"},
    "counts_goals": {"id": "tujuan SDG", "en": "SDG goals"},
    "counts_practices_one": {"id": "praktik baik", "en": "good practice"},
    "counts_regions_one": {"id": "kabupaten/kota", "en": "regency or city"},
    "counts_provinces_one": {"id": "provinsi", "en": "province"},
    "counts_themes_one": {"id": "tema", "en": "theme"},
    "counts_indicators_one": {"id": "indikator", "en": "indicator"},
    "counts_goals_one": {"id": "tujuan SDG", "en": "SDG goal"},
    "browse": {"id": "Jelajahi", "en": "Browse"},
    "classes": {"id": "Kelas", "en": "Classes"},
    "contents": {"id": "Daftar isi", "en": "Contents"},
    "properties": {"id": "Properti", "en": "Properties"},
    "definition": {"id": "Definisi", "en": "Definition"},
    "label": {"id": "Label", "en": "Label"},
    "domain": {"id": "Domain", "en": "Domain"},
    "range": {"id": "Jangkauan", "en": "Range"},
    "subclass": {"id": "Subkelas dari", "en": "Subclass of"},
    # How an alignment relates a theme or indicator to an SDG or UNESCO concept (SKOS).
    "skos:exactMatch": {"id": "sama dengan", "en": "the same as"},
    "skos:closeMatch": {"id": "hampir sama dengan", "en": "close to"},
    "skos:relatedMatch": {"id": "berkaitan dengan", "en": "related to"},
    "skos:narrowMatch": {"id": "mencakup", "en": "includes"},
    "skos:broadMatch": {"id": "termasuk dalam", "en": "falls under"},
    "subproperty": {"id": "Subproperti dari", "en": "Subproperty of"},
    "schemes": {"id": "Daftar kode", "en": "Code lists"},
    "statements": {"id": "Pernyataan", "en": "Statements"},
    "property": {"id": "Properti", "en": "Property"},
    "value": {"id": "Nilai", "en": "Value"},
    "goal": {"id": "Tujuan", "en": "Goal"},
    "target": {"id": "Target", "en": "Target"},
    "sdg_indicator": {"id": "Indikator SDG", "en": "SDG indicator"},
    "broader": {"id": "Bagian dari", "en": "Part of"},
    "narrower_linked": {"id": "Ditautkan dalam data", "en": "Linked in the data"},
    "in_region": {"id": "di", "en": "in"},
    "practice_count": {"id": "Jumlah praktik", "en": "Number of practices"},
    # What a resource of the catalog or VoID is, by its class (nualod.site.pages._catalog).
    "kind_catalog": {"id": "Katalog", "en": "Catalog"},
    "kind_dataset": {"id": "Dataset", "en": "Dataset"},
    "kind_series": {"id": "Seri dataset", "en": "Dataset series"},
    "kind_software": {"id": "Perangkat lunak", "en": "Software"},
    "vocabulary_version_note": {
        "id": "Ini versi kosakata yang didokumentasikan situs ini. Definisinya:",
        "en": "This is the version of the vocabulary this site documents. Its definitions:",
    },
    "series_versions_note": {
        "id": "Setiap rilis dataset ini adalah satu versinya. Lihat",
        "en": "Each release of this dataset is a version of it. See",
    },
    "kind_distribution": {"id": "Distribusi", "en": "Distribution"},
    "kind_linkset": {"id": "Kumpulan tautan (linkset)", "en": "Linkset"},
    "kind_data_service": {"id": "Layanan data", "en": "Data service"},
    "kind_rights": {"id": "Pernyataan hak", "en": "Rights statement"},
    "kind_agent": {"id": "Pihak", "en": "Agent"},
    "kind_resource": {"id": "Sumber daya", "en": "Resource"},
    "download_all": {"id": "Unduh seluruh data", "en": "Download all the data"},
    "see_also": {"id": "Lihat juga", "en": "See also"},
    "same_as": {"id": "Sama dengan", "en": "Same as"},
    "unesco_thesaurus": {"id": "Tesaurus UNESCO", "en": "UNESCO Thesaurus"},
    "kemendagri": {"id": "Kode Kemendagri", "en": "Kemendagri code"},
    "creative_cities_intro": {
        "id": "Anggota Jejaring Kota Kreatif UNESCO di Indonesia dan jumlah praktik baik "
        "masing-masing; nama kota membuka daftar praktiknya.",
        "en": "Indonesian members of the UNESCO Creative Cities Network and how many good "
        "practices each has; a city's name opens the list of its practices.",
    },
    "about": {"id": "Tentang data", "en": "About the data"},
    "footer": {
        "id": "Data terbuka tertaut dari National Urban Forum Indonesia, diterbitkan dengan "
        "nualod.",
        "en": "Linked open data from Indonesia's National Urban Forum, published with nualod.",
    },
    "skip": {"id": "Langsung ke isi", "en": "Skip to content"},
    "skip_map": {
        "id": "Lewati peta, ke praktik terbaru",
        "en": "Skip the map, to the latest practices",
    },
    "menu": {"id": "Navigasi utama", "en": "Main navigation"},
    "figures": {"id": "Angka dalam teks", "en": "Figures in the text"},
    "figure_value": {"id": "Angka", "en": "Figure"},
    "figure_normal": {"id": "Nilai dan satuan", "en": "Value and unit"},
    "figure_sentence": {"id": "Kalimat", "en": "Sentence"},
    # A figure's period: "periode 2020-01 sampai 2020-07".
    "period": {"id": "periode", "en": "period"},
    "period_to": {"id": "sampai", "en": "to"},
    # A figure's qualifier (nua:Qualifier), said before its value.
    "About": {"id": "sekitar", "en": "about"},
    "MoreThan": {"id": "lebih dari", "en": "more than"},
    "LessThan": {"id": "kurang dari", "en": "less than"},
    "AtLeast": {"id": "sedikitnya", "en": "at least"},
    "AtMost": {"id": "paling banyak", "en": "at most"},
    "Almost": {"id": "hampir", "en": "almost"},
    # The releases of the data (nualod.site.versions).
    "versions": {"id": "Versi", "en": "Versions"},
    "versions_title": {"id": "Versi data", "en": "Versions of the data"},
    "versions_intro": {
        "id": "Setiap rilis data yang masih disimpan, yang terbaru lebih dulu, dengan jumlah "
        "praktik yang ditambahkan, diubah dan dihapus dibandingkan rilis sebelumnya; "
        "sesudahnya rilis yang tidak lagi disimpan tetapi masih disebut oleh data.",
        "en": "Every release of the data still kept, newest first, with the practices it "
        "added, changed and removed since the release before it; after them, the releases "
        "no longer kept that the data still names.",
    },
    # A release no longer kept (nualod.site.pages._pruned_versions).
    "not_kept": {"id": "tidak lagi disimpan", "en": "no longer kept"},
    "pruned_note": {
        "id": "Versi data ini tidak lagi disimpan: penerbit hanya menyimpan beberapa rilis "
        "terakhir, dan rilis yang lebih baru telah menghapus berkas rilis ini. Pengenalnya "
        "tetap berlaku. Praktik yang masih diterbitkan ada di",
        "en": "This version of the data is no longer kept: the publisher keeps only the last "
        "few releases, and a later one deleted this release's files. Its identifier stays "
        "valid. The practices still published are in",
    },
    "pruned_changes": {
        "id": "Apa yang berubah sejak itu ada di versi-versi berikutnya dan di",
        "en": "What changed since is in the versions that followed it and in the",
    },
    "change_feed": {"id": "umpan perubahan", "en": "change feed"},
    # The Atom feed of the releases (nualod.site.atom), for people's feed readers.
    "feed_follow": {
        "id": "Ikuti versi baru lewat umpan Atom",
        "en": "Follow new versions in an Atom feed",
    },
    "feed_subtitle": {
        "id": "Setiap rilis data yang masih disimpan, yang terbaru lebih dulu, dengan jumlah "
        "praktik yang ditambahkan, diubah dan dihapus dibandingkan rilis sebelumnya.",
        "en": "Every release of the data still kept, newest first, with the practices it "
        "added, changed and removed since the release before it.",
    },
    "feed_counts": {"id": "Praktik: {counts}.", "en": "Practices: {counts}."},
    "pruned_changes_note": {
        "id": "Versi ini tidak lagi disimpan, dan catatan perubahannya (changelog) ikut "
        "terhapus. Aktivitasnya (praktik yang ditambahkan, diubah dan dihapus) masih ada di",
        "en": "This version is no longer kept, and its changelog went with it. Its activities "
        "(the practices it added, changed and removed) are still in the",
    },
    "followed_by": {"id": "Versi berikutnya", "en": "Next version"},
    # A release's run used its input pages: counted, listed in the dumps.
    "run_used": {
        "id": "{count} halaman masukan (daftarnya di graf provenance dalam dump data)",
        "en": "{count} input pages (listed in the provenance graph of the data dumps)",
    },
    "versions_link": {"id": "Versi dan perubahan data", "en": "Versions and changes of the data"},
    "version": {"id": "Versi", "en": "Version"},
    "version_of": {"id": "Versi {version}", "en": "Version {version}"},
    "released": {"id": "Waktu rilis", "en": "Released"},
    "released_unknown": {"id": "waktu tidak diketahui", "en": "time not known"},
    "added": {"id": "Ditambahkan", "en": "Added"},
    "changed": {"id": "Diubah", "en": "Changed"},
    "removed": {"id": "Dihapus", "en": "Removed"},
    "unchanged": {"id": "Tidak berubah", "en": "Unchanged"},
    "changes": {"id": "Perubahan", "en": "Changes"},
    "changelog_files": {"id": "Berkas", "en": "Files"},
    "added_count": {"id": "ditambahkan", "en": "added"},
    "changed_count": {"id": "diubah", "en": "changed"},
    "removed_count": {"id": "dihapus", "en": "removed"},
    "changelog": {"id": "Catatan perubahan", "en": "Changelog"},
    "no_changelog": {"id": "tidak ada catatan perubahan", "en": "no changelog"},
    "catalog_entry": {"id": "Entri katalog", "en": "Catalog entry"},
    "dataset_version": {"id": "dataset versi", "en": "dataset version"},
    "current_version": {"id": "terkini", "en": "current"},
    "previous_version": {"id": "Versi sebelumnya", "en": "Previous version"},
    # An earlier version's dataset or distribution page (nualod.site.pages._earlier_note).
    "earlier_version_note": {
        "id": "Dari katalog {version}, versi terdahulu. Lihat",
        "en": "From the catalog of {version}, an earlier version. See",
    },
    "version_current": {"id": "Versi {version} (terkini)", "en": "Version {version} (current)"},
    "first_release": {"id": "Rilis pertama.", "en": "The first release."},
    "previous_not_kept": {
        "id": "Versi sebelumnya (versi {version}) tidak lagi disimpan.",
        "en": "The previous version (version {version}) is no longer kept.",
    },
    "changes_none": {"id": "Tidak ada perubahan praktik.", "en": "No practice changed."},
    "changed_fields": {"id": "bagian yang berubah", "en": "changed"},
    "field_title": {"id": "Judul", "en": "Title"},
    "field_page": {"id": "Halaman sumber", "en": "Source page"},
    "replaced_by_short": {"id": "diganti oleh", "en": "replaced by"},
    "withdrawn_practice": {"id": "praktik yang ditarik", "en": "withdrawn practice"},
    "history": {"id": "Riwayat versi", "en": "Version history"},
    "history_first": {
        "id": "pertama kali terbit pada versi {first}",
        "en": "first published in version {first}",
    },
    "history_changed": {
        "id": "terakhir diubah pada versi {last}",
        "en": "last changed in version {last}",
    },
    "history_unchanged": {"id": "belum diubah sejak itu", "en": "not changed since"},
}


def word(key: str, lang: str) -> str:
    """Return a word of the site in a language (Indonesian when the language has none)."""
    entry = WORDS[key]
    return entry.get(lang) or entry["id"]


def ew(key: str, lang: str) -> str:
    """Return a word of the site, escaped for HTML (escaped once, at import)."""
    return _ESCAPED[key][lang]


def relation_html(relation: str, lang: str) -> str:
    """Return how an alignment relates two concepts, in words, the SKOS term as the title
    (the term alone when it has no words).

    >>> relation_html("skos:closeMatch", "id")
    '<span class="relation" title="skos:closeMatch">hampir sama dengan</span>'
    >>> relation_html("owl:sameAs", "en")
    '<code>owl:sameAs</code>'
    """
    if relation not in WORDS:
        return f"<code>{escape(relation)}</code>"
    return f'<span class="relation" title="{escape(relation)}">{ew(relation, lang)}</span>'


def decimal_text(value: str, lang: str) -> str:
    """Return a decimal (as ``xsd:decimal`` writes it) as a page in ``lang`` writes it:
    thousands grouped as :func:`grouped` does, the language's decimal mark; anything else
    as it is.

    >>> decimal_text("21540000", "id"), decimal_text("21540000", "en")
    ('21.540.000', '21,540,000')
    >>> decimal_text("2.5", "id"), decimal_text("-1250.75", "en"), decimal_text("1e3", "id")
    ('2,5', '-1,250.75', '1e3')
    >>> decimal_text("١٢٣٤", "en"), len(decimal_text("9" * 5000, "en"))
    ('١٢٣٤', 5000)
    """
    found = _DECIMAL.fullmatch(value)
    if found is None or len(value) > _LONGEST:
        return value
    sign, whole, fraction = found.groups()
    mark = "," if lang == "id" else "."
    return sign + grouped(int(whole), lang) + (mark + fraction if fraction else "")


_DECIMAL: Final = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
#: Longer numbers are shown as written: Python's int() refuses more than 4,300 digits.
_LONGEST: Final = 1000


def count_of(n: int, key: str, lang: str) -> str:
    """Return a number and the word it counts, escaped: the word's singular after 1.

    >>> count_of(1, "practices", "en"), count_of(2, "practices", "en"), count_of(1, "practices", "id")
    ('1 practice', '2 practices', '1 praktik')
    >>> count_of(2500, "practices", "id")
    '2.500 praktik'
    """
    return f"{grouped(n, lang)} {count_word(n, key, lang)}"


def count_word(n: int, key: str, lang: str) -> str:
    """Return the word that counts ``n`` things, escaped (its "_one" form after 1)."""
    return ew(key + "_one" if n == 1 and key + "_one" in WORDS else key, lang)


def e(text: object) -> str:
    """Escape text for HTML content and attribute values.

    >>> e("Kota & <Kabupaten>"), e(2025), e("Kota Pekalongan")
    ('Kota &amp; &lt;Kabupaten&gt;', '2025', 'Kota Pekalongan')
    """
    text = str(text)
    # Most texts have nothing to escape: five searches, without escape's five calls (a
    # practice's pages escape some fifty texts).
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text, quote=True)
    return text


#: The schemes of the IRIs a page links: the web's, and the catalog's contact (``mailto:``).
_LINKED: Final = re.compile(r"(?:https?|mailto):", re.IGNORECASE)


def href(iri: str) -> str:
    """Return an IRI of the data as a link's target, escaped; ``#`` for a scheme no page
    links (``javascript:``, ``data:``), which would run in the site's origin when clicked.
    nualod publishes http(s) sources and page URLs only, but a site is built from the dumps
    of a folder that may come from elsewhere.

    >>> href("https://x.example/a?b=1&c=2"), href("JavaScript:alert(1)"), href("mailto:a@b.id")
    ('https://x.example/a?b=1&amp;c=2', '#', 'mailto:a@b.id')
    """
    return e(iri) if linked(iri) else "#"


def linked(iri: str) -> bool:
    """Tell whether a page links an IRI of the data (:func:`href`): http, https or mailto."""
    return _LINKED.match(iri) is not None


@dataclass(frozen=True, slots=True)
class Where:
    """Where a page sits: its stem (no extension) and its language.

    ``root`` climbs from the page's folder to the site's root; ``home`` to its language's
    root (the root itself, or ``en/``). A page served at any path (the 404 page) has the
    URL path of the site's root as ``base`` instead, and its links start from it.

    >>> Where("id/region/33.75", "en").page("index")
    '../../../en/index.html'
    >>> Where("404", "en", base="/nualod/").page("index")
    '/nualod/en/index.html'
    """

    stem: str
    lang: str
    base: str = ""
    # A page asks for it a dozen times: worked out once.
    _root: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        depth = f"{LANGUAGE_FOLDER[self.lang]}{self.stem}".count("/")
        object.__setattr__(self, "_root", self.base or "../" * depth)

    @property
    def file(self) -> str:
        """Return the page's file path under the site's root."""
        return f"{LANGUAGE_FOLDER[self.lang]}{self.stem}.html"

    @property
    def root(self) -> str:
        """Return the path from the page to the site's root ("", "../..", or ``base``)."""
        return self._root

    @property
    def home(self) -> str:
        """Return the relative path from the page to its language's root."""
        return self.root + LANGUAGE_FOLDER[self.lang]

    def page(self, stem: str) -> str:
        """Return the link to another page of the same language."""
        return f"{self.home}{stem}.html"

    def data(self, stem: str, extension: str) -> str:
        """Return the link to a data file (the same for both languages)."""
        return f"{self.root}{stem}.{extension}"

    def other(self) -> Where:
        """Return the same page in the other language."""
        return Where(self.stem, "en" if self.lang == "id" else "id", self.base)

    def link_to_other(self) -> str:
        """Return the link from this page to its counterpart in the other language.

        >>> Where("id/region/33.75", "id").link_to_other()
        '../../en/id/region/33.75.html'
        """
        # The counterpart's file (:attr:`file`), without making its Where (every page asks).
        folder = LANGUAGE_FOLDER["en" if self.lang == "id" else "id"]
        return f"{self.root}{folder}{self.stem}.html"


#: A resource's data files: extension, media type, name.
DATA_FILES: Final = (
    ("ttl", "text/turtle", "Turtle"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
)


def signposts(where: Where, stem: str, iri: str, licence: str | None = None) -> str:
    """Return the ``<link>`` elements that lead from a resource's page to its identifier,
    its data and its licence: FAIR Signposting's ``cite-as``, ``describedby`` (each data
    file with its media type, also the page's ``alternate``) and ``license``.

    >>> print(signposts(Where("def/Kota", "id"), "def/Kota", "https://w3id.org/nualod/def#Kota"), end="")
    <link rel="cite-as" href="https://w3id.org/nualod/def#Kota">
    <link rel="alternate describedby" type="text/turtle" href="../def/Kota.ttl">
    <link rel="alternate describedby" type="application/ld+json" href="../def/Kota.jsonld">
    <link rel="alternate describedby" type="application/n-triples" href="../def/Kota.nt">
    """
    return signpost_links(
        iri,
        described=[(media, where.data(stem, extension)) for extension, media, _ in DATA_FILES],
        licence=licence,
        describedby="alternate describedby",
    )


NAVIGATION: Final = (
    ("index", "home"),
    ("browse/province", "places"),
    ("browse/theme", "themes"),
    ("browse/sdg", "sdg"),
    ("browse/unesco", "unesco"),
    ("browse/creative-cities", "creative"),
    ("def", "vocabulary"),
    ("search/index", "search"),
)


_NAVIGATION: dict[tuple[str, str, str], str] = {}
_NAVIGATION_STEMS: Final = frozenset(stem for stem, _ in NAVIGATION)


def _navigation(where: Where, section: str) -> str:
    """Return the menu items of a page (the same for every page at one depth and section)."""
    current = section or (where.stem if where.stem in _NAVIGATION_STEMS else "")
    key = (where.lang, where.root, current)
    found = _NAVIGATION.get(key)
    if found is None:
        found = "".join(
            f'<li><a href="{where.page(stem)}"'
            + (' aria-current="page"' if stem in (section, where.stem) else "")
            + f">{ew(name, where.lang)}</a></li>"
            for stem, name in NAVIGATION
        )
        if len(_NAVIGATION) < 10_000:
            _NAVIGATION[key] = found
    return found


def shell(
    where: Where,
    title: str,
    body: str,
    *,
    description: str = "",
    head: str = "",
    canonical: str | None = None,
    section: str = "",
    language_switch: str | None = None,
    versions: bool = False,
) -> str:
    """Return a whole HTML page around ``body``.

    The language switch leads to the same page in the other language, or to
    ``language_switch`` (the 404 page's leads to the other language's home page). With
    ``versions`` (a versioned release), the footer links the versions page.
    """
    lang = where.lang
    nav = _navigation(where, section)
    other_lang = "en" if lang == "id" else "id"
    to_other = where.link_to_other()
    meta = f'<meta name="description" content="{e(description)}">' if description else ""
    canonical_link = f'<link rel="canonical" href="{e(canonical)}">' if canonical else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No favicon request: every file the page loads comes from the site itself.
        '<link rel="icon" href="data:,">\n'
        f"<title>{e(title)} · {ew('site_short', lang)}</title>\n{meta}{canonical_link}"
        f'<link rel="stylesheet" href="{where.root}assets/site.css">\n'
        f'<link rel="alternate" hreflang="{other_lang}" href="{to_other}">\n'
        f"{head}</head>\n<body>\n"
        f'<a class="skip" href="#main">{ew("skip", lang)}</a>\n'
        f'<header class="top"><div class="bar">'
        f'<a class="brand" href="{where.page("index")}">{ew("site", lang)}</a>'
        f'<a class="lang" href="{language_switch or to_other}" '
        f'hreflang="{other_lang}" '
        f'lang="{other_lang}" '
        f'title="{ew("switch_label", lang)}">{ew("switch", lang)}</a></div>'
        f'<nav aria-label="{ew("menu", lang)}"><ul>{nav}</ul></nav></header>\n'
        f'<main id="main">\n{body}\n</main>\n'
        f"<footer><p>{ew('footer', lang)}</p>"
        f'<p><a href="{where.page("index")}#downloads">{ew("download_all", lang)}</a> · '
        + (f'<a href="{where.page("versions")}">{ew("versions", lang)}</a> · ' if versions else "")
        + f'<a href="{where.page("def")}">{ew("vocabulary", lang)}</a> · '
        f'<a href="{where.root}sitemap.xml">sitemap.xml</a></p></footer>\n'
        "</body>\n</html>\n"
    )


_ESCAPED: Final[dict[str, dict[str, str]]] = {
    key: {lang: escape(word(key, lang), quote=True) for lang in LANGUAGES} for key in WORDS
}
#: The Indonesian names an English word of the site gives in brackets, marked as Indonesian
#: (WCAG 3.1.2): an English voice read "Summary (Ringkasan)" all as English.
for _key, _name in (("summary", "Ringkasan"), ("description", "Deskripsi")):
    _ESCAPED[_key]["en"] = _ESCAPED[_key]["en"].replace(
        f"({_name})", f'(<span lang="id">{_name}</span>)'
    )
