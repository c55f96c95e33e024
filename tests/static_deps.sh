#!/usr/bin/env bash
# -Dstatic_deps (the default): eventcal needs no shared library but the C library's; every one
# it loads at start is time taken from each run (meson.build).  A sanitizer build adds its
# runtime.
set -u
EVENTCAL="${1:-build/eventcal}"
needed=$(readelf -d "$EVENTCAL" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || { echo "FAIL: readelf found no NEEDED entries in $EVENTCAL"; exit 1; }
bad=$(printf '%s\n' "$needed" | grep -Ev '^(libc|libm|libpthread|libdl|ld-linux[-a-z0-9_]*|libasan|libubsan|libtsan)\.so' || true)
if [ -n "$bad" ]; then
  echo "FAIL: $EVENTCAL loads shared libraries it should have linked in:"; printf '  %s\n' $bad; exit 1
fi
echo "ok: $EVENTCAL needs only $(printf '%s ' $needed)"
