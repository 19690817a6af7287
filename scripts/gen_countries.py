#!/usr/bin/env python3
"""Generate data/countries.toml: every ISO 3166-1 alpha-2 code with its
alpha-3 and numeric codes and its English and French names.

Source: the iso-codes project (https://salsa.debian.org/iso-codes-team/iso-codes),
read from the Debian `iso-codes` package (/usr/share/iso-codes/json and the
French gettext catalogue), or, if that is absent, from the copy of the same
files shipped by the PyPI package `pycountry`. iso-codes, and so pycountry's
data, is licensed LGPL-2.1-or-later; the generated file says so in its header.

Display names: the ISO short names are written for sorted lists ("Korea,
Republic of", "Russie, Fédération de"). sovmap prints names in sentences and
tables, so the generator prefers the iso-codes `common_name` and then applies
the small editorial tables DISPLAY_EN and DISPLAY_FR below. Every ISO, common and official name
that differs from the display name is kept (`other_names` for short names,
`official_names` for official long ones), so that `lookup_country` can
recognise it in a user's input and suggest the code.

Three codes that are not assigned ISO country codes are added, flagged:
XK (Kosovo, user-assigned code used by the EU and others), IC (Canary Islands)
and EA (Ceuta and Melilla) (both "exceptionally reserved" by ISO, used in EU
customs and VAT). They have no ISO numeric code.

Usage: python3 scripts/gen_countries.py > data/countries.toml
The output is deterministic (sorted by code); re-run after an iso-codes update
and review the diff.
"""

import gettext
import json
import os
import subprocess
import sys

DEBIAN_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
DEBIAN_MO = "/usr/share/locale/fr/LC_MESSAGES/iso_3166-1.mo"

# Editorial display names (English), where the iso-codes name reads badly in
# running text. The ISO name stays in `other_names`.
DISPLAY_EN = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
    "RU": "Russia",
    "VA": "Holy See (Vatican City)",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
}

# Editorial display names (French): inverted ISO forms put back in reading
# order, current spellings (Groenland, Turquie, Venezuela), official names of
# French territories (TAAF, Wallis-et-Futuna).
DISPLAY_FR = {
    "AX": "Îles Åland",
    "BN": "Brunei",
    "BV": "Île Bouvet",
    "CC": "Îles Cocos (Keeling)",
    "CK": "Îles Cook",
    "CX": "Île Christmas",
    "FK": "Îles Malouines (Falkland)",
    "FM": "Micronésie",
    "FO": "Îles Féroé",
    "GL": "Groenland",
    "GQ": "Guinée équatoriale",
    "HM": "Îles Heard-et-MacDonald",
    "KY": "Îles Caïmans",
    "MO": "Macao",
    "NF": "Île Norfolk",
    "PS": "Palestine",
    "RE": "La Réunion",
    "RU": "Russie",
    "SB": "Îles Salomon",
    "SJ": "Svalbard et Jan Mayen",
    "SY": "Syrie",
    "TC": "Îles Turques-et-Caïques",
    "TF": "Terres australes et antarctiques françaises",
    "TR": "Turquie",
    "VA": "Saint-Siège (Vatican)",
    "VE": "Venezuela",
    "VI": "Îles Vierges des États-Unis",
    "WF": "Wallis-et-Futuna",
}

# Codes that are not officially assigned ISO 3166-1 country codes.
EXTRA = [
    {
        "code": "EA",
        "assignment": "exceptionally_reserved",
        "name_en": "Ceuta and Melilla",
        "name_fr": "Ceuta et Melilla",
        "other_names": ["Ceuta", "Melilla"],
    },
    {
        "code": "IC",
        "assignment": "exceptionally_reserved",
        "name_en": "Canary Islands",
        "name_fr": "Îles Canaries",
        "other_names": ["Canaries", "Canarias"],
    },
    {
        "code": "XK",
        "assignment": "user_assigned",
        "name_en": "Kosovo",
        "name_fr": "Kosovo",
        "other_names": [],
    },
]


def locate():
    """Return (json_path, mo_path, description of the source)."""
    if os.path.exists(DEBIAN_JSON) and os.path.exists(DEBIAN_MO):
        try:
            version = subprocess.run(
                ["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
                capture_output=True, text=True, check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            version = "unknown version"
        return DEBIAN_JSON, DEBIAN_MO, f"Debian package iso-codes {version}"
    try:
        import importlib.metadata

        import pycountry
    except ImportError:
        sys.exit("need the Debian package iso-codes or `pip install pycountry`")
    base = os.path.dirname(pycountry.__file__)
    version = importlib.metadata.version("pycountry")
    return (
        os.path.join(base, "databases", "iso3166-1.json"),
        os.path.join(base, "locales", "fr", "LC_MESSAGES", "iso3166-1.mo"),
        f"PyPI package pycountry {version} (iso-codes data)",
    )


def q(s):
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(s, ensure_ascii=False)


def main():
    json_path, mo_path, source = locate()
    with open(json_path, encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]
    with open(mo_path, "rb") as f:
        fr = gettext.GNUTranslations(f)

    rows = []
    for e in entries:
        code = e["alpha_2"]
        iso_en = e["name"]
        common_en = e.get("common_name")
        official_en = e.get("official_name")
        en = DISPLAY_EN.get(code, common_en or iso_en)
        fr_name = DISPLAY_FR.get(code, fr.gettext(common_en or iso_en))
        shown = (en, fr_name)
        others = set()
        for n in (iso_en, common_en):
            if n:
                others.update((n, fr.gettext(n)))
        others = sorted(others.difference(shown))
        official = set()
        if official_en:
            official.update((official_en, fr.gettext(official_en)))
        official = sorted(official.difference(shown).difference(others))
        rows.append({
            "code": code,
            "alpha3": e["alpha_3"],
            "numeric": e["numeric"],
            "name_en": en,
            "name_fr": fr_name,
            "other_names": others,
            "official_names": official,
            "assignment": "official",
        })
    for x in EXTRA:
        rows.append({"alpha3": "", "numeric": "", "official_names": [], **x})
    rows.sort(key=lambda r: r["code"])

    out = sys.stdout
    out.write(
        "# ISO 3166-1 country codes with English and French names.\n"
        "# GENERATED by scripts/gen_countries.py - do not edit by hand; re-run the script.\n"
        f"# Source: {source}, from the iso-codes project\n"
        "#   (https://salsa.debian.org/iso-codes-team/iso-codes).\n"
        "# Licence of this data: LGPL-2.1-or-later (iso-codes; pycountry ships the same data\n"
        "#   under the same licence). Display names follow the script's editorial table;\n"
        "#   the other ISO short names are in other_names, official long names in official_names.\n"
        "# assignment: official | exceptionally_reserved (IC, EA) | user_assigned (XK);\n"
        "#   non-official codes have no ISO numeric code (numeric = \"\").\n"
    )
    for r in rows:
        out.write("\n[[country]]\n")
        out.write(f"code = {q(r['code'])}\n")
        out.write(f"alpha3 = {q(r['alpha3'])}\n")
        out.write(f"numeric = {q(r['numeric'])}\n")
        out.write(f"name_en = {q(r['name_en'])}\n")
        out.write(f"name_fr = {q(r['name_fr'])}\n")
        if r["other_names"]:
            out.write("other_names = [" + ", ".join(q(n) for n in r["other_names"]) + "]\n")
        if r["official_names"]:
            out.write("official_names = [" + ", ".join(q(n) for n in r["official_names"]) + "]\n")
        if r["assignment"] != "official":
            out.write(f"assignment = {q(r['assignment'])}\n")


if __name__ == "__main__":
    main()
