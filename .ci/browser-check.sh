#!/usr/bin/env bash
# Opens the sample book's site in Debian's headless Chromium: the home page,
# an essay and the contributor index at desktop and phone widths
# (screenshots in $SHOTS, default /tmp/anthology-screenshots), then checks
# that searching an author's name lists their essay.
#   .ci/browser-check.sh SITE_DIR
set -euo pipefail
site=$(cd "$1" && pwd)
shots=${SHOTS:-/tmp/anthology-screenshots}
mkdir -p "$shots"
chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" "$@" 2>/dev/null
}
for size in "desktop 1280,900" "phone 390,844"; do
  set -- $size
  for page in index.html la-citation-detournee/index.html contributors/index.html; do
    name="$1-$(echo "$page" | tr '/' '_' | sed 's/_index.html//; s/.html$//').png"
    chrome --screenshot="$shots/$name" --window-size="$2" "file://$site/$page"
    test -s "$shots/$name" || { echo "no screenshot for $page at $1 width" >&2; exit 1; }
  done
done
echo "screenshots: $(ls "$shots" | wc -l) in $shots"
dom=$(chrome --virtual-time-budget=5000 --dump-dom "file://$site/search/index.html?q=Benslimane")
if ! grep -q 'href="../la-citation-detournee/index.html">La citation détournée</a>' <<<"$dom"; then
  echo "searching for Benslimane did not find La citation détournée:" >&2
  grep -o '<div id="results".*' <<<"$dom" >&2 || true
  exit 1
fi
dom=$(chrome --virtual-time-budget=5000 --dump-dom "file://$site/search/index.html?q=elodie")
grep -q 'Du fil au chapitre' <<<"$dom" || { echo "searching for elodie (without accent) found nothing" >&2; exit 1; }
echo "search: Benslimane finds La citation détournée; elodie finds Du fil au chapitre"
