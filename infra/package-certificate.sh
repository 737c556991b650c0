#!/usr/bin/env bash
# Completes the certificate function's Lambda package after `cargo lambda build`:
# Lambda has no system fonts, so the package carries the one face the templates use,
# and the templates themselves (read at run time: an authority's edited template is
# deployed by replacing the file and redeploying, without recompiling).
#
#   target/lambda/certificate/bootstrap                      (cargo lambda build)
#   target/lambda/certificate/fonts/NotoSerifCJKsc-Regular.otf  (24.4 MB, this script)
#   target/lambda/certificate/templates/*.typ                (this script)
#
# The function finds them through STANDING_FONT_DIR=/var/task/fonts and
# STANDING_TEMPLATE_DIR=/var/task/templates (set in infra/template.yaml). Zipped, the
# package is about 20 MB (limit: 50 MB zipped, 250 MB unzipped). Alternative: put
# fonts/ in a Lambda layer (/opt/fonts) and point STANDING_FONT_DIR there.
#
# Usage: infra/package-certificate.sh [PACKAGE_DIR]   (default target/lambda/certificate)
# Needs fonts-noto-cjk (Debian) and fontTools (the project's .venv has it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pkg=${1:-$root/target/lambda/certificate}
[ -f "$pkg/bootstrap" ] || {
  echo "no $pkg/bootstrap: run cargo lambda build --release --arm64 -p standing-certificate first" >&2
  exit 1
}
if [ -z "${PYTHON:-}" ] && [ -x "$root/.venv/bin/python" ]; then export PYTHON="$root/.venv/bin/python"; fi
"$root/shared/certificate-pdf/package-fonts.sh" "$pkg/fonts"
rm -rf "$pkg/templates"
mkdir -p "$pkg/templates"
cp "$root"/shared/certificate-pdf/templates/*.typ "$pkg/templates/"
echo "package $pkg:"
(cd "$pkg" && find . -type f -printf '  %p %s bytes\n' | sort)
