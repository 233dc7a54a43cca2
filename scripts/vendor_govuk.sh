#!/usr/bin/env bash
# Re-vendor the pinned front-end assets into static/. Run by hand when upgrading; the result is committed.
set -euo pipefail
GOVUK_VERSION=5.14.0
HTMX_VERSION=2.0.4
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "govuk-frontend@$GOVUK_VERSION" "htmx.org@$HTMX_VERSION" >/dev/null
mkdir govuk htmx
tar xzf "govuk-frontend-$GOVUK_VERSION.tgz" -C govuk
tar xzf "htmx.org-$HTMX_VERSION.tgz" -C htmx
dist=govuk/package/dist/govuk
rm -rf "$root/static/govuk/assets"
mkdir -p "$root/static/govuk/assets" "$root/static/vendor"
cp -r "$dist/assets/images" "$root/static/govuk/assets/"
# Images resolve under /static/; GDS Transport is for GOV.UK services only, so drop it and fall back to Arial.
python3 - "$dist/govuk-frontend.min.css" "$root/static/govuk/govuk-frontend.min.css" <<'PY'
import re, sys
css = open(sys.argv[1]).read()
css = css.replace("url(/assets/", "url(/static/govuk/assets/")
css = re.sub(r"@font-face\{[^}]*\}", "", css)
css = css.replace('"GDS Transport",', "").replace("GDS Transport,", "")
open(sys.argv[2], "w").write(css)
PY
cp "$dist/govuk-frontend.min.js" "$root/static/govuk/"
cp htmx/package/dist/htmx.min.js "$root/static/vendor/"
cp htmx/package/LICENSE "$root/static/vendor/htmx.LICENSE"
echo "vendored govuk-frontend $GOVUK_VERSION and htmx $HTMX_VERSION"
