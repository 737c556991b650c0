#!/usr/bin/env bash
# Completes the certificate function's Lambda package after `cargo lambda build`, and
# lays out the font layer next to it. Lambda has no system fonts: the one face the
# templates use ships as a Lambda layer (CertificateFontLayer in infra/template.yaml),
# so that the function's own package stays far under Lambda's 50 MB zipped limit. The
# templates stay in the package (read at run time: an authority's edited template is
# deployed by replacing the file and redeploying, without recompiling).
#
#   target/lambda/certificate/bootstrap                            (cargo lambda build)
#   target/lambda/certificate/templates/*.typ                      (this script)
#   target/lambda/certificate-font/fonts/NotoSerifCJKsc-Regular.otf  (24.4 MB, this script)
#
# Lambda unpacks a layer under /opt, so the function finds them through
# STANDING_FONT_DIR=/opt/fonts and STANDING_TEMPLATE_DIR=/var/task/templates (set in
# infra/template.yaml). The script prints both directories zipped, as SAM uploads them.
#
# Usage: infra/package-certificate.sh [PACKAGE_DIR [LAYER_DIR]]
#   (defaults target/lambda/certificate and target/lambda/certificate-font)
# Needs fonts-noto-cjk (Debian) and fontTools (the project's .venv has it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pkg=${1:-$root/target/lambda/certificate}
layer=${2:-$root/target/lambda/certificate-font}
[ -f "$pkg/bootstrap" ] || {
  echo "no $pkg/bootstrap: run cargo lambda build --release --arm64 -p standing-certificate first" >&2
  exit 1
}
if [ -z "${PYTHON:-}" ] && [ -x "$root/.venv/bin/python" ]; then export PYTHON="$root/.venv/bin/python"; fi
# The font belongs to the layer, not to the package (a package built before the layer
# existed carried it).
rm -rf "$pkg/fonts" "$layer"
"$root/shared/certificate-pdf/package-fonts.sh" "$layer/fonts"
rm -rf "$pkg/templates"
mkdir -p "$pkg/templates"
cp "$root"/shared/certificate-pdf/templates/*.typ "$pkg/templates/"
py=${PYTHON:-python3}
for dir in "$pkg" "$layer"; do
  echo "$dir:"
  (cd "$dir" && find . -type f -printf '  %p %s bytes\n' | sort)
  # The size Lambda's limit is about: the directory zipped (deflate, as SAM zips it).
  "$py" - "$dir" <<'PY'
import io, os, sys, zipfile
root = sys.argv[1]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    for base, _, files in os.walk(root):
        for f in sorted(files):
            path = os.path.join(base, f)
            z.write(path, os.path.relpath(path, root))
print(f"  zipped: {len(buf.getvalue())} bytes")
PY
done
