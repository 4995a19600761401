#!/usr/bin/env bash
# Sets up the database tools the scale-out tests need: Debian's PostgreSQL server binaries and
# redis-server. Only the binaries: no system service is started or used (tests start private
# instances on free loopback ports in a temp folder). Idempotent; a no-op when both are present.
set -euo pipefail

log() { printf 'setup-db-tools: %s\n' "$*" >&2; }

have_initdb() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

need_apt=()
have_initdb || need_apt+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ ${#need_apt[@]} -eq 0 ]; then
  log "postgresql and redis-server are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  log "missing Debian packages: ${need_apt[*]} (run as root, or install them with apt-get first)"
  exit 1
fi
# Keep package scripts from starting system services: the tests run their own instances.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
log "installing ${need_apt[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
log "done"
