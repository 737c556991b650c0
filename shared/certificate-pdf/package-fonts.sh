#!/usr/bin/env bash
# Copies the font face the certificate templates use into OUT_DIR, for the
# Lambda package (Lambda has no system fonts). At run time the renderer is
# pointed at that directory (STANDING_FONT_DIR, read by the caller).
#
# Usage: package-fonts.sh OUT_DIR [SRC_DIR]
#   SRC_DIR defaults to Debian's fonts-noto-cjk directory
#   (/usr/share/fonts/opentype/noto).
#
# What it does: extracts the one face "Noto Serif CJK SC" Regular from the
# NotoSerifCJK-Regular.ttc collection (5 faces: JP KR SC TC HK sharing one
# glyph set) into a single-face OpenType file, NotoSerifCJKsc-Regular.otf.
# The face keeps its complete cmap (44,746 code points: all of GB 18030's
# Hanzi in the BMP and CJK Ext. A, plus Latin, full-width forms and
# punctuation), so any company name a Noto SC font can show prints. Typst
# subsets it again per PDF (about 20 KB of font data in a certificate).
#
# With SUBSET=1 it also runs pyftsubset over the extracted face, keeping
# every code point and every layout feature but dropping the glyphs only the
# JP/KR/TC/HK faces reach (see docs/certificates.md for the sizes measured).
#
# Needs Python 3 with fontTools (Debian: python3-fonttools; PyPI: fonttools).
set -euo pipefail

out=${1:?usage: package-fonts.sh OUT_DIR [SRC_DIR]}
src=${2:-/usr/share/fonts/opentype/noto}
collection="$src/NotoSerifCJK-Regular.ttc"
face_name="Noto Serif CJK SC"
target="$out/NotoSerifCJKsc-Regular.otf"

[ -f "$collection" ] || { echo "missing $collection (apt-get install fonts-noto-cjk)" >&2; exit 1; }

py=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import fontTools' 2>/dev/null; then py=$candidate; break; fi
done
[ -n "$py" ] || { echo "no Python with fontTools (apt-get install python3-fonttools or pip install fonttools)" >&2; exit 1; }

mkdir -p "$out"
"$py" - "$collection" "$face_name" "$target" <<'PY'
import sys
from fontTools.ttLib import TTCollection

path, family, target = sys.argv[1:4]
collection = TTCollection(path)
for index, font in enumerate(collection.fonts):
    name = font["name"]
    fam = name.getDebugName(16) or name.getDebugName(1)
    style = name.getDebugName(17) or name.getDebugName(2)
    if fam == family and style == "Regular":
        font.save(target)
        print(f"extracted face {index} ({fam} {style}) -> {target}")
        break
else:
    sys.exit(f"no face {family!r} Regular in {path}")
PY

if [ "${SUBSET:-0}" = 1 ]; then
    tmp="$target.subset"
    "$py" -m fontTools.subset "$target" --unicodes='*' --layout-features='*' \
        --name-IDs='*' --name-languages='*' --name-legacy --notdef-outline \
        --output-file="$tmp"
    mv "$tmp" "$target"
    echo "subset -> $target"
fi
ls -l "$target"
