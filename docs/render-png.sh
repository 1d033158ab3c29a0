#!/bin/sh
# Regenerate docs/sammanstallning-2020.png: the Sammanställning sheet of the bundled 2020
# books as LibreOffice renders it (ledger export -> xlsx -> pdf -> png).
#
# Needs soffice (Debian: libreoffice-calc-nogui) and pdftoppm (poppler-utils).
# Run from anywhere: sh docs/render-png.sh   (or `make docs-png`)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
ledger=${LEDGER:-$repo/.venv/bin/ledger}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

"$ledger" export 2020 "$work/sammanstallning-2020.xlsx" -f "$repo/ledger/main.journal"
# A private profile: the picture does not depend on anyone's LibreOffice settings.
soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
    --convert-to pdf --outdir "$work" "$work/sammanstallning-2020.xlsx" >/dev/null
# The Sammanställning is the first sheet and fits on the first page.
pdftoppm -f 1 -l 1 -r 110 -png -singlefile "$work/sammanstallning-2020.pdf" \
    "$repo/docs/sammanstallning-2020"
echo "wrote $repo/docs/sammanstallning-2020.png"
