#!/bin/sh
# Debian packages xxgk needs beyond Python: CJK fonts and HarfBuzz subsetting for PDF output
# (without libharfbuzz-subset0 WeasyPrint takes ~25 s per report instead of <1 s), poppler-utils
# (pdftoppm/pdftotext, used by the tests), PostgreSQL (the ledger's optional database, tested
# when present), libGL and GLib (OpenCV, which the OCR extra brings, loads them even headless),
# LibreOffice Writer without its GUI (reads legacy .doc/.wps reports; the tests also use it to
# save Word files as PDF the way most published reports are made; ~20 s, ~200 MB), Chromium (the
# web app's browser tests drive it through Playwright; Playwright cannot download its own here).
# Installs only what is missing, so a second run costs nothing.
set -e
PACKAGES="fonts-noto-cjk libharfbuzz-subset0 poppler-utils postgresql libgl1 libglib2.0-0 libreoffice-writer-nogui chromium"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "xxgk：需要安装系统软件包：$missing（请以 root 运行，或执行 sudo apt-get install$missing）" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt (unattended upgrades, a second install) may hold the dpkg lock: wait for it up to
# 5 minutes instead of failing at once with "Unable to acquire the dpkg frontend lock".
LOCK_WAIT="-o DPkg::Lock::Timeout=300"
# shellcheck disable=SC2086
apt-get $LOCK_WAIT update -q >/dev/null
# shellcheck disable=SC2086
apt-get $LOCK_WAIT install -y -q --no-install-recommends $missing >/dev/null
