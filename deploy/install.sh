#!/usr/bin/env bash
# Installs the ITP fleet on a Debian host from a release build of this repository:
# binaries, systemd units, migrations, templates and an example configuration.
#
#   swift build -c release && sudo deploy/install.sh
#
# Then edit /etc/itp/itp.env, run `itp-admin migrate` and `itp-admin broker setup`, and
# `systemctl enable --now itp.target`.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ITP_BUILD_DIR:-$(cd "$REPO" && swift build -c release --show-bin-path)}"
PREFIX="${PREFIX:-/usr}"

[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librabbitmq4 libpq5 libcurl4 libpng16-16 >/dev/null

getent group itp >/dev/null || groupadd --system itp
getent passwd itp >/dev/null || useradd --system --gid itp --home-dir /var/lib/itp --shell /usr/sbin/nologin itp

install -d -m 0755 "$PREFIX/lib/itp/bin" "$PREFIX/share/itp" /etc/itp
for binary in itp-intake itp-design-worker itp-flatlay-worker itp-mr-imagine itp-webhook-worker itp-finalizer itp-admin; do
    install -m 0755 "$BIN/$binary" "$PREFIX/lib/itp/bin/$binary"
done
# Resource bundles (the intake's OpenAPI document) are looked up next to the binaries.
for bundle in "$BIN"/*.resources; do
    [ -d "$bundle" ] && cp -r "$bundle" "$PREFIX/lib/itp/bin/"
done
ln -sf "$PREFIX/lib/itp/bin/itp-admin" "$PREFIX/bin/itp-admin"
rm -rf "$PREFIX/share/itp/migrations" "$PREFIX/share/itp/templates"
cp -r "$REPO/migrations" "$REPO/templates" "$PREFIX/share/itp/"
install -d -m 0755 "$PREFIX/share/doc/itp"
install -m 0644 "$REPO/README.md" "$PREFIX/share/doc/itp/README.md"
install -m 0644 "$REPO/systemd/README.md" "$PREFIX/share/doc/itp/systemd.md"
install -m 0644 "$REPO"/systemd/*.service "$REPO"/systemd/*.target "$REPO"/systemd/*.timer /etc/systemd/system/
[ -f /etc/itp/itp.env ] || install -m 0640 -g itp "$REPO/deploy/itp.env.example" /etc/itp/itp.env
install -d -m 0750 -o itp -g itp /var/lib/itp /var/lib/itp/assets
systemctl daemon-reload 2>/dev/null || true
echo "installed; edit /etc/itp/itp.env, then: itp-admin migrate && itp-admin broker setup && systemctl enable --now itp.target"
