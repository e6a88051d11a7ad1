#!/usr/bin/env python3
"""Runs DAISY Ace (EPUB Accessibility and WCAG checks, axe-core in headless
Chromium) on each EPUB given and fails on any violation.

    .ci/ace-check.py ACE_DIR BOOK.epub [BOOK.epub ...]

ACE_DIR holds `npm install --ignore-scripts @daisy/ace`; Chromium is Debian's.
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    ace_dir, books = sys.argv[1], sys.argv[2:]
    ace = os.path.join(ace_dir, "node_modules", ".bin", "ace-puppeteer")
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH="/usr/bin/chromium")
    failed = False
    for book in books:
        out = tempfile.mkdtemp()
        run = subprocess.run([ace, "-f", "-o", out, book], env=env, capture_output=True, text=True)
        report_path = os.path.join(out, "report.json")
        if run.returncode != 0 or not os.path.exists(report_path):
            print("Ace could not check %s:\n%s%s" % (book, run.stdout, run.stderr))
            failed = True
            continue
        report = json.load(open(report_path))
        violations = [
            (doc.get("earl:testSubject", {}).get("url"), t["earl:test"]["dct:title"], t["earl:test"]["earl:impact"])
            for doc in report.get("assertions", [])
            for t in doc.get("assertions", [])
        ]
        print("%s: Ace %s, %d violations" % (os.path.basename(book), report["earl:result"]["earl:outcome"], len(violations)))
        for v in violations:
            print("  %s: %s (%s)" % v)
        failed |= bool(violations)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
