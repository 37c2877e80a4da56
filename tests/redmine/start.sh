#!/usr/bin/env bash
# The project's own Redmine harness for end-to-end tests (tests/e2e/redmine.test.ts), adapted from a
# tested recipe; run by the tests themselves, never by hand in CI.
# Start a real Redmine 5.0 (Debian package redmine + redmine-sqlite) under Puma on loopback,
# for browser-extension acceptance tests.
#
# Usage: start.sh [PORT]                  (default port: $REDMINE_PORT or 8490)
# Env:   REDMINE_STATE_DIR  state folder (SQLite DB, config, logs, pid)  default /tmp/redmine-harness
#        REDMINE_INSTANCE   Debian multi-tenancy instance name (a symlink /var/lib/redmine/<name>
#                           -> $REDMINE_STATE_DIR/instance)                default harness
#        REDMINE_ADMIN_PASSWORD  admin password (set at DB init only)   default 'password'
#        REDMINE_TIMEZONE   users' display timezone                      default UTC
#        REDMINE_START_TIMEOUT seconds to wait for the web UI           default 120
# Idempotent: installs missing Debian packages (working around Debian bug below), initialises
# the DB only when absent, and does nothing if the server in the PID file still answers.
# Prints: base URL, PID file path (and a JSON line with both) on stdout.
set -euo pipefail
PORT="${1:-${REDMINE_PORT:-8490}}"
STATE="${REDMINE_STATE_DIR:-/tmp/redmine-harness}"
INSTANCE="${REDMINE_INSTANCE:-harness}"
ADMIN_PW="${REDMINE_ADMIN_PASSWORD:-password}"
TIMEOUT="${REDMINE_START_TIMEOUT:-120}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
BASE="http://127.0.0.1:${PORT}"
APP=/usr/share/redmine
log() { echo "[redmine-start] $*" >&2; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

# Debian bookworm's ruby3.1 3.1.7 point release ships bundler 2.3.27 as a default gem; `bundle`
# picks it over Debian's patched ruby-bundler (2.3.15), which does not treat gems from
# /usr/share/rubygems-integration as installed -> redmine's postinst fails with
# "Could not find racc-1.6.2.gem for installation". Pin bundler to Debian's ruby-bundler.
bundler_version() {
  local v
  v="$(dpkg-query -W -f='${Version}' ruby-bundler 2>/dev/null || true)"
  [ -n "$v" ] || v="$(apt-cache policy ruby-bundler 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
  v="${v#*:}"; echo "${v%%-*}"
}

# ---- 1. Debian packages -------------------------------------------------------
PKGS=(redmine redmine-sqlite puma sqlite3 curl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  $SUDO debconf-set-selections <<'PRESEED'
redmine redmine/current-instances string default
redmine redmine/default-language string en
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
PRESEED
  export DEBIAN_FRONTEND=noninteractive
  BV="$(bundler_version)"; [ -n "$BV" ] && [ "$BV" != "(none)" ] && export BUNDLER_VERSION="$BV"
  if ! $SUDO --preserve-env=BUNDLER_VERSION,DEBIAN_FRONTEND true 2>/dev/null; then SUDO_E="$SUDO"; else SUDO_E="${SUDO:+$SUDO --preserve-env=BUNDLER_VERSION,DEBIAN_FRONTEND}"; fi
  # Another process (a second test run, unattended upgrades) may hold the dpkg lock: wait for it
  # (up to 10 minutes) instead of failing. It may even be installing these very packages.
  APT=(apt-get -o DPkg::Lock::Timeout=600)
  if ! $SUDO_E "${APT[@]}" install -y --no-install-recommends "${missing[@]}" >/tmp/redmine-harness-apt.log 2>&1; then
    log "apt-get install failed; apt-get update, dpkg --configure -a, retry"
    $SUDO "${APT[@]}" update >>/tmp/redmine-harness-apt.log 2>&1 || true
    $SUDO_E "${APT[@]}" install -y -f >>/tmp/redmine-harness-apt.log 2>&1 || true
    $SUDO_E "${APT[@]}" install -y --no-install-recommends "${missing[@]}" >>/tmp/redmine-harness-apt.log 2>&1 \
      || { log "install failed, see /tmp/redmine-harness-apt.log"; exit 1; }
  fi
fi
export BUNDLER_VERSION="$(bundler_version)"
export RAILS_ENV=production REDMINE_INSTANCE="$INSTANCE"

# ---- 2. Puma in the bundle (Redmine's Gemfile loads Gemfile.local; Debian's has no server gem)
if ! grep -q '^    puma ' "$APP/Gemfile.lock" 2>/dev/null; then
  grep -qs 'gem "puma"' "$APP/Gemfile.local" || echo 'gem "puma"' | $SUDO tee -a "$APP/Gemfile.local" >/dev/null
  (cd "$APP" && $SUDO env BUNDLER_VERSION="$BUNDLER_VERSION" bundle install --local --quiet) >/dev/null 2>&1 \
    || { log "bundle install --local failed"; exit 1; }
fi

# ---- 3. Already running? --------------------------------------------------------
if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  if curl -fsS -o /dev/null --max-time 10 "$BASE/login"; then
    log "already running (pid $(cat "$PIDFILE"))"
    echo "REDMINE_BASE_URL=$BASE"; echo "REDMINE_PID_FILE=$PIDFILE"
    printf '{"baseUrl":"%s","pidFile":"%s","stateDir":"%s","user":"admin","password":"%s"}\n' "$BASE" "$PIDFILE" "$STATE" "$ADMIN_PW"
    exit 0
  fi
  log "pid $(cat "$PIDFILE") alive but $BASE not answering; run stop.sh first"; exit 1
fi
rm -f "$PIDFILE"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then log "port $PORT is already in use"; exit 1; fi

# ---- 4. Instance + DB -----------------------------------------------------------------
mkdir -p "$STATE/instance/config" "$STATE/instance/files" "$STATE/instance/log" "$STATE/instance/tmp" "$STATE/instance/public/plugin_assets"
$SUDO ln -sfn "$STATE/instance" "/var/lib/redmine/$INSTANCE"
cat >"$STATE/instance/config/database.yml" <<YML
production:
  adapter: sqlite3
  database: $STATE/redmine.sqlite3
  timeout: 10000
YML
[ -s "$STATE/instance/config/secret_key.txt" ] || ruby -rsecurerandom -e 'puts SecureRandom.hex(32)' >"$STATE/instance/config/secret_key.txt"
if [ ! -s "$STATE/redmine.sqlite3" ]; then
  log "initialising SQLite DB at $STATE/redmine.sqlite3"
  ( cd "$APP" && bundle exec rake db:migrate \
    && REDMINE_LANG=en bundle exec rake redmine:load_default_data \
    && REDMINE_ADMIN_PASSWORD="$ADMIN_PW" REDMINE_TIMEZONE="${REDMINE_TIMEZONE:-UTC}" REDMINE_HOST="127.0.0.1:$PORT" \
       bundle exec rails runner "$HERE/setup.rb" ) >"$STATE/setup-db.log" 2>&1 \
    || { log "DB init failed:"; tail -20 "$STATE/setup-db.log" >&2; rm -f "$STATE/redmine.sqlite3"; exit 1; }
fi

# ---- 5. Server (Puma via `rails server`) ------------------------------------------------
log "starting puma on 127.0.0.1:$PORT (log: $LOG)"
cd "$APP"
setsid bundle exec rails server -e production -b 127.0.0.1 -p "$PORT" -P "$STATE/puma.pid" >>"$LOG" 2>&1 </dev/null &
echo $! >"$PIDFILE"
for ((i = 0; i < TIMEOUT * 2; i++)); do
  if curl -fsS -o /dev/null --max-time 5 "$BASE/login" 2>/dev/null; then
    log "up after $((i / 2))s (pid $(cat "$PIDFILE"))"
    echo "REDMINE_BASE_URL=$BASE"; echo "REDMINE_PID_FILE=$PIDFILE"
    printf '{"baseUrl":"%s","pidFile":"%s","stateDir":"%s","user":"admin","password":"%s"}\n' "$BASE" "$PIDFILE" "$STATE" "$ADMIN_PW"
    exit 0
  fi
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { log "server exited:"; tail -30 "$LOG" >&2; rm -f "$PIDFILE"; exit 1; }
  sleep 0.5
done
log "server did not answer within ${TIMEOUT}s"; tail -30 "$LOG" >&2; exit 1
