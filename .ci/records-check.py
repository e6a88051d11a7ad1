#!/usr/bin/env python3
"""Reads `anthology export`'s records back with parsers others use.

Usage: records-check.py BIB RIS JSON CROSSREF ESSAYS

BibTeX with bibtexparser, RIS with rispy, CSL-JSON with json, the Crossref
deposit with ElementTree: each must hold ESSAYS records, each with its
title, authors and pages; the deposit one chapter per essay, each with a
DOI and the address it resolves to.
"""
import json
import sys
import xml.etree.ElementTree as ET

import bibtexparser
import rispy

bib_path, ris_path, json_path, crossref_path, essays = sys.argv[1:6]
essays = int(essays)

with open(bib_path, encoding="utf-8") as f:
    bib = bibtexparser.loads(f.read())
assert len(bib.entries) == essays, f"BibTeX: {len(bib.entries)} entries, expected {essays}"
for e in bib.entries:
    assert e["ENTRYTYPE"] == "incollection", e
    for field in ("title", "author", "booktitle", "pages"):
        assert e.get(field), f"BibTeX entry {e['ID']} has no {field}"

with open(ris_path, encoding="utf-8") as f:
    ris = rispy.loads(f.read())
assert len(ris) == essays, f"RIS: {len(ris)} records, expected {essays}"
for r in ris:
    assert r["type_of_reference"] == "CHAP", r
    for field in ("title", "authors", "start_page", "end_page", "secondary_title"):
        assert r.get(field), f"RIS record {r.get('id')} has no {field}"

with open(json_path, encoding="utf-8") as f:
    items = json.load(f)
assert len(items) == essays, f"CSL-JSON: {len(items)} items, expected {essays}"
for i in items:
    assert i["type"] == "chapter" and i["title"] and i["author"] and i["page"], i

ns = {"cr": "http://www.crossref.org/schema/5.3.1"}
root = ET.parse(crossref_path).getroot()
assert root.tag == "{http://www.crossref.org/schema/5.3.1}doi_batch", root.tag
assert root.get("version") == "5.3.1"
for path in ("cr:head/cr:doi_batch_id", "cr:head/cr:timestamp", "cr:head/cr:depositor/cr:depositor_name",
             "cr:head/cr:depositor/cr:email_address", "cr:head/cr:registrant",
             "cr:body/cr:book/cr:book_metadata/cr:titles/cr:title",
             "cr:body/cr:book/cr:book_metadata/cr:publisher/cr:publisher_name",
             "cr:body/cr:book/cr:book_metadata/cr:doi_data/cr:doi",
             "cr:body/cr:book/cr:book_metadata/cr:doi_data/cr:resource"):
    assert root.find(path, ns) is not None and (root.find(path, ns).text or "").strip(), f"deposit: no {path}"
chapters = root.findall("cr:body/cr:book/cr:content_item", ns)
assert len(chapters) == essays, f"deposit: {len(chapters)} chapters, expected {essays}"
for c in chapters:
    assert c.get("component_type") == "chapter"
    for path in ("cr:titles/cr:title", "cr:contributors/cr:person_name/cr:surname", "cr:pages/cr:first_page",
                 "cr:doi_data/cr:doi", "cr:doi_data/cr:resource"):
        assert c.find(path, ns) is not None, f"a chapter has no {path}"
    resource = c.find("cr:doi_data/cr:resource", ns).text
    assert resource.startswith("https://"), resource

print(f"records: {essays} essays read back from BibTeX (bibtexparser), RIS (rispy), CSL-JSON, "
      f"and the Crossref deposit ({len(chapters)} chapters)")
