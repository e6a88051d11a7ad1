#!/usr/bin/env python3
"""A printed book's two PDFs, checked as a print service reads them.

usage: print-check.py INTERIOR COVER TRIM_W_IN TRIM_H_IN BLEED_IN INCHES_PER_PAGE ALLOWANCE_IN ISBN|- SPINE_TEXT(yes|no)

- every page of the interior has a MediaBox of the trim plus its bleed (top,
  bottom and outer edge), a TrimBox of the trim at the right offset for its
  side of the spread, and a BleedBox equal to the MediaBox (pdfinfo -box);
- the interior has an even number of pages;
- the cover is 2 x trim width + spine + 2 x bleed wide, trim height + 2 x
  bleed high, the spine being pages x thickness + allowance, its TrimBox
  inset by the bleed;
- the cover rendered at 300 dpi (pdftoppm) has a barcode zbarimg decodes to
  the ISBN, when one is given;
- whether the spine carries text is what was expected (pdftotext of the spine).
"""
import re
import subprocess
import sys
import tempfile

PT = 72.0


def boxes(pdf, pages=None):
    args = ["pdfinfo", "-box"]
    if pages:
        args += ["-f", "1", "-l", str(pages)]
    out = subprocess.run(args + [pdf], capture_output=True, text=True, check=True).stdout
    found = {}
    count = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    for m in re.finditer(r"^(?:Page\s+(\d+)\s+)?(MediaBox|TrimBox|BleedBox):\s+([\d.\s-]+)$", out, re.M):
        page = int(m.group(1) or 1)
        found.setdefault(page, {})[m.group(2)] = [float(v) for v in m.group(3).split()]
    return count, found


def close(a, b, tol=0.06):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def main():
    interior, cover, w, h, bleed, per_page, allowance, isbn, spine_text = sys.argv[1:10]
    w, h, b = float(w) * PT, float(h) * PT, float(bleed) * PT
    count, pages = boxes(interior)
    count, pages = boxes(interior, count)
    problems = []
    if count % 2:
        problems.append(f"the interior has {count} pages, an odd count")
    for n in range(1, count + 1):
        got = pages.get(n, {})
        media = [0, 0, w + b, h + 2 * b]
        trim = [0, b, w, h + b] if n % 2 == 1 else [b, b, w + b, h + b]
        for name, want in (("MediaBox", media), ("TrimBox", trim), ("BleedBox", media)):
            if name not in got or not close(got[name], want):
                problems.append(f"page {n}: {name} {got.get(name)} instead of {[round(v, 2) for v in want]}")
    spine = count * float(per_page) * PT + float(allowance) * PT
    _, cb = boxes(cover)
    cw, ch = 2 * w + spine, h
    want = {"MediaBox": [0, 0, cw + 2 * b, ch + 2 * b], "TrimBox": [b, b, cw + b, ch + b], "BleedBox": [0, 0, cw + 2 * b, ch + 2 * b]}
    for name, box in want.items():
        if name not in cb.get(1, {}) or not close(cb[1][name], box):
            problems.append(f"cover: {name} {cb.get(1, {}).get(name)} instead of {[round(v, 2) for v in box]}")
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", cover, f"{d}/cover"], check=True)
        if isbn != "-":
            z = subprocess.run(["zbarimg", "-q", "--raw", f"{d}/cover.png"], capture_output=True, text=True)
            codes = z.stdout.split()
            if isbn not in codes:
                problems.append(f"cover: zbarimg read {codes or 'nothing'}, not the ISBN {isbn}")
            else:
                print(f"cover: the barcode decodes to {isbn} (zbarimg)")
        # The spine's text, cropped from the cover (in points at 72 dpi).
        x = int(b + w + 1)
        text = subprocess.run(
            ["pdftotext", "-x", str(x), "-y", "0", "-W", str(max(1, int(spine) - 2)), "-H", str(int(ch + 2 * b)), cover, "-"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        if (spine_text == "yes") != bool(text):
            problems.append(f"cover: spine text {'missing' if spine_text == 'yes' else 'present'}: {text!r}")
    print(f"interior: {count} pages, boxes right on every page; cover {(cw + 2 * b) / PT:.3f} x {(ch + 2 * b) / PT:.3f} in, spine {spine / PT:.3f} in")
    if problems:
        for p in problems[:20]:
            print(p, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
