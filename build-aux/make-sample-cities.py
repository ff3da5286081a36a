#!/usr/bin/env python3
# Writes data/sample-cities.txt: the city names of libgweather's location database (the one
# GNOME Weather uses; Debian package libgweather-4-common, GPL-2.0-or-later), one a line.
# Usage: build-aux/make-sample-cities.py [/usr/share/libgweather-4/Locations.xml] > data/sample-cities.txt
# SPDX-License-Identifier: GPL-3.0-or-later
import sys
import unicodedata
import xml.etree.ElementTree as ET

path = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/libgweather-4/Locations.xml"
root = ET.parse(path).getroot()


def name_of(element):
    for tag in ("_name", "name"):
        child = element.find(tag)
        if child is not None and child.text:
            return " ".join(child.text.split())
    return None


def usable(name):
    # One name a line and in a pasted list: no separators, nothing the app would refuse.
    return (name and len(name) <= 100 and not name.startswith("#")
            and not any(c in name for c in ",;")
            and not any(unicodedata.category(c).startswith("C") for c in name))


# Cities by country, in the database's order, the countries of each region in turn.
regions = []
for region in root.iter("region"):
    countries = []
    for country in region.iter("country"):
        names = [n for n in (name_of(city) for city in country.iter("city")) if usable(n)]
        if names:
            countries.append(names)
    if countries:
        regions.append(countries)
countries = [region[i] for i in range(max(len(r) for r in regions))
             for region in regions if i < len(region)]

# One city of each country in turn: the first 10 or 100 come from all over the world.
seen = set()
ordered = []
for i in range(max(len(names) for names in countries)):
    for names in countries:
        if i < len(names) and names[i].casefold() not in seen:
            seen.add(names[i].casefold())
            ordered.append(names[i])

print("# City names from libgweather's location database (Locations.xml, Debian package")
print("# libgweather-4-common, GPL-2.0-or-later), one country after another.")
print("# Made by build-aux/make-sample-cities.py; lines starting with # are comments.")
for name in ordered:
    print(name)
