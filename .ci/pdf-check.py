#!/usr/bin/env python3
"""Checks a PDF made by anthology with the tools printers trust.

    .ci/pdf-check.py BOOK.pdf CONTENTS-TITLE INDEX-TITLE

- qpdf --check finds no error;
- pdffonts shows every font embedded;
- every entry of the table of contents names the page (by its printed label,
  read from the PDF's page labels) where that title is first printed after
  the contents (the page whose text starts with it: opening pages carry no
  running head);
- every page number of the contributor index is a page where an essay starts
  (a contents target) and where that contributor's family name is printed.

Text comes from pdftotext, page labels from qpdf's JSON. Prints what it
checked; exits 1 on the first kind of failure it finds.
"""
import json
import re
import subprocess
import sys


def run(*args):
    return subprocess.run(args, check=False, capture_output=True, text=True)


def roman(n):
    out = ""
    for value, letters in [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]:
        while n >= value:
            out += letters
            n -= value
    return out


def page_labels(pdf, count):
    data = json.loads(run("qpdf", "--json", "--json-key=pagelabels", pdf).stdout)
    ranges = sorted(data.get("pagelabels", []), key=lambda r: r["index"])
    labels = []
    for i in range(count):
        current = None
        for r in ranges:
            if r["index"] <= i:
                current = r
        if current is None:
            labels.append(str(i + 1))
            continue
        label = current["label"]
        style = label.get("/S")
        start = label.get("/St", 1)
        prefix = label.get("/P", "")
        number = start + i - current["index"]
        if style == "/r":
            labels.append(prefix + roman(number))
        elif style == "/R":
            labels.append(prefix + roman(number).upper())
        elif style == "/D":
            labels.append(prefix + str(number))
        else:
            labels.append(prefix)
    return labels


def norm(s):
    s = s.replace("\u00ad", "").replace("\u202f", " ").replace("\u00a0", " ").replace("\u2019", "'")
    # A line broken after a hyphen, typst's or the title's own ("JSON-RPC"
    # set as "JSON-" and "RPC"): hyphens are left out on both sides.
    s = re.sub(r"-\n", "", s).replace("-", "")
    return re.sub(r"\s+", " ", s).strip().lower()


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    pdf, contents_title, index_title = sys.argv[1], sys.argv[2], sys.argv[3]
    check = run("qpdf", "--check", pdf)
    if check.returncode != 0:
        fail("qpdf --check: " + check.stdout + check.stderr)
    print("qpdf --check: no error")

    fonts = run("pdffonts", pdf).stdout.splitlines()[2:]
    not_embedded = [line for line in fonts if line.split()[-5] != "yes"]
    if not fonts or not_embedded:
        fail("fonts not embedded: %s" % not_embedded)
    print("pdffonts: %d fonts, all embedded" % len(fonts))

    count = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf).stdout).group(1))
    labels = page_labels(pdf, count)
    pages = [run("pdftotext", "-f", str(i + 1), "-l", str(i + 1), pdf, "-").stdout for i in range(count)]
    normed = [norm(p) for p in pages]

    # The contents: every line that ends with leader dots and a page label.
    toc_pages = [i for i, p in enumerate(normed) if p.startswith(norm(contents_title))]
    if not toc_pages:
        fail("no contents page titled %r" % contents_title)
    entries = []
    for i in toc_pages:
        text = run("pdftotext", "-layout", "-f", str(i + 1), "-l", str(i + 1), pdf, "-").stdout
        for line in text.splitlines():
            # The dots of the leader: many, or one when the title fills the line.
            m = re.match(r"^\s*(.+?)\s+(?:\.\s*)+([ivxlcdm]+|\d+)\s*$", line)
            if m:
                entries.append((m.group(1).strip(), m.group(2)))
    if not entries:
        fail("no entries found in the contents")
    after = max(toc_pages) + 1
    targets = set()
    for title, label in entries:
        t = norm(title)
        # An opening page has no running head: its text starts with the title.
        found = next((i for i in range(after, count) if normed[i].startswith(t)), None)
        if found is None and label in labels:
            # A title too long for one line of the contents: its last line is
            # read here, and the page it names must open with the title.
            at = labels.index(label, after) if label in labels[after:] else labels.index(label)
            if t in normed[at][: len(t) + 300]:
                found = at
        if found is None:
            fail("contents entry %r: no page after the contents starts with that title" % title)
        if labels[found] != label:
            fail("contents entry %r says page %s; the title is printed on page %s" % (title, label, labels[found]))
        targets.add(label)
    print("contents: %d entries, each names the page where its title is printed" % len(entries))

    # The index: "Family, Given, affiliation @handle — 12, 15".
    index_pages = [i for i, p in enumerate(normed) if p.startswith(norm(index_title)) and i > max(toc_pages)]
    if not index_pages:
        fail("no index page titled %r" % index_title)
    # Without the running heads (the index's title) and folios of its pages.
    kept = []
    for i in index_pages:
        for line in pages[i].replace("\f", "\n").splitlines():
            if line.strip() and line.strip() != index_title and line.strip() != labels[i]:
                kept.append(line.strip())
    index_text = " ".join(kept)
    checked = 0
    by_label = {label: i for i, label in enumerate(labels) if label}
    pattern = r"(.+?)\s—\s((?:[ivxlcdm]+|\d+)(?:\s*,\s*(?:[ivxlcdm]+|\d+))*)(?=\s|$)"
    for m in re.finditer(pattern, index_text):
        # A name of one word has no comma before its handle: "Aditya @adiasg".
        family = re.sub(r"\s+@\S+$", "", m.group(1).strip().split(",")[0].strip())
        for label in re.split(r"\s*,\s*", m.group(2).strip()):
            if label not in targets:
                fail("index entry %r names page %s, where no essay starts" % (family, label))
            if norm(family) not in normed[by_label[label]]:
                fail("index entry %r names page %s, which does not print that name" % (family, label))
            checked += 1
    if checked == 0:
        fail("no entries found in the index")
    print("index: %d page references, each an essay's first page that prints the contributor's name" % checked)


if __name__ == "__main__":
    main()
