#!/usr/bin/env bash
# Builds the five functions' Lambda binaries (target/lambda/<function>/bootstrap), each
# in its own cargo invocation. One `cargo lambda build -p a -p b ...` would unify the
# features of shared/aws across the packages it builds, and link every SDK client
# (S3, Lambda, Scheduler) into every function; built one by one, each function links
# only the clients its Cargo.toml enables. Dependencies are compiled once and shared:
# only standing-aws (once per feature set) and the functions themselves are built again.
#
# Usage: infra/build-functions.sh [cargo lambda build options]   e.g. --arm64
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for package in standing-intake standing-review standing-publication standing-certificate standing-credit standing-web; do
  cargo lambda build --release "$@" -p "$package"
done
ls -l target/lambda/*/bootstrap
