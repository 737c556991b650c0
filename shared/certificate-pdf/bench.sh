#!/usr/bin/env bash
# Certificate rendering benchmark: typst (this crate) vs. HTML printed to PDF
# by headless Chromium, side by side, on this machine. Prints the figures.
#
# Usage: shared/certificate-pdf/bench.sh            (from anywhere)
# Needs: fonts-noto-cjk, poppler-utils, chromium, hyperfine, time (Debian),
#        fontTools (python3-fonttools or pip fonttools) for the packaged font.
# Env:   RUNS (cold-process runs, default 20), CHROME_RUNS (default 10),
#        CRITERION=0 skips the criterion step (warm figures then come from
#        infra/bench/certificate_render.py, which times renders inside the function).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target-certs}
runs=${RUNS:-20}
chrome_runs=${CHROME_RUNS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in hyperfine chromium pdfinfo /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

echo "== machine: $(nproc) cores, $(uname -m), $(chromium --version 2>/dev/null | head -1)"
echo "== building (release)"
cargo build -q --release -p standing-certificate-pdf --examples
bin=$CARGO_TARGET_DIR/release/examples/render_once
html=$CARGO_TARGET_DIR/release/examples/certificate_html

echo "== packaging the font (package-fonts.sh)"
"$here/package-fonts.sh" "$work/fonts" >/dev/null
ls -l "$work/fonts" | awk 'NR>1 {printf "packaged font: %s %d bytes\n", $9, $5}'

if [ "${CRITERION:-1}" != 0 ]; then
echo
echo "== typst: warm render (criterion: sign + QR + layout + PDF/A export)"
cargo bench -q -p standing-certificate-pdf --bench render -- --noplot 2>&1 \
    | grep -E '^pdf_bytes|^[a-z_]+.*|time:' | grep -vE '^(Benchmarking|Found|  [0-9]+ \()' || true
fi

echo
echo "== typst: cold process (fresh process: font load + first render), $runs runs"
for fonts in "$work/fonts" /usr/share/fonts/opentype/noto; do
    echo "-- STANDING_FONT_DIR=$fonts"
    for _ in 1 2 3; do STANDING_FONT_DIR=$fonts "$bin" "$work/typst.pdf"; done
    STANDING_FONT_DIR=$fonts hyperfine -N --warmup 3 --runs "$runs" --style basic \
        "$bin $work/typst.pdf" 2>&1 | grep -E 'Time|Range'
    STANDING_FONT_DIR=$fonts /usr/bin/time -v "$bin" "$work/typst.pdf" 2>&1 \
        | grep -E 'Maximum resident' | sed 's/^\s*/peak /'
done
echo "typst pdf: $(stat -c %s "$work/typst.pdf") bytes, $(pdfinfo "$work/typst.pdf" | grep -E '^Pages' | tr -s ' ')"

echo
echo "== chromium: HTML -> PDF (--headless --print-to-pdf), fresh browser per PDF, $chrome_runs runs"
"$html" > "$work/cert.html"
chrome="chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--no-pdf-header-footer --user-data-dir=\$(mktemp -d -p $work) \
--print-to-pdf=$work/chromium.pdf file://$work/cert.html"
echo "command: $chrome"
hyperfine --warmup 2 --runs "$chrome_runs" --style basic "$chrome" 2>&1 | grep -E 'Time|Range'
/usr/bin/time -v sh -c "$chrome" 2>&1 | grep -E 'Maximum resident' | sed 's/^\s*/peak (largest single process) /'
echo "chromium pdf: $(stat -c %s "$work/chromium.pdf") bytes, $(pdfinfo "$work/chromium.pdf" | grep -E '^Pages' | tr -s ' ')"
echo "installed size of the chromium package: $(dpkg-query -W -f='${Installed-Size}' chromium 2>/dev/null) KiB"

if [ -n "${KEEP:-}" ]; then cp "$work/typst.pdf" "$work/chromium.pdf" "$KEEP"/; fi
