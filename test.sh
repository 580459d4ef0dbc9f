#!/usr/bin/env bash
# Sets up what is missing and runs every test. Ends with one line: "tests: N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
"$ROOT/scripts/setup.sh" || exit 1
# Debian packages the tests drive for real: Prometheus and promtool (the metrics tests), nats-server (cluster mode).
need() { # need PACKAGE COMMAND... : installs PACKAGE with apt-get when a command is missing
  local package="$1"; shift
  for command in "$@"; do
    if ! command -v "$command" >/dev/null && [[ ! -x "/usr/sbin/$command" ]]; then
      echo "== installing $package (apt-get)"
      { apt-get install -y --no-install-recommends "$package" || { apt-get update && apt-get install -y --no-install-recommends "$package"; }; } >/tmp/serval-apt.log 2>&1 \
        || { cat /tmp/serval-apt.log >&2; echo "could not install $package: the tests need it"; echo "tests: 0 passed, 1 failed"; exit 1; }
      return
    fi
  done
}
need prometheus prometheus promtool
need nats-server nats-server

echo "== build"
dotnet build Serval.slnx -c Debug --nologo -v quiet -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed"; exit 1; }

passed=0; failed=0; status=0
for project in tests/*.Tests/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  log="$(mktemp)"
  dotnet test "$project" --no-build --nologo -v quiet --logger "console;verbosity=normal" >"$log" 2>&1
  rc=$?
  grep -vE "^\s+Passed |^\[xUnit.net|^Test run for|^A total of|^$" "$log" | head -200
  p="$(sed -nE 's/^ +Passed: +([0-9]+)$/\1/p' "$log" | tail -1)"; f="$(sed -nE 's/^ +Failed: +([0-9]+)$/\1/p' "$log" | tail -1)"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [[ $rc -ne 0 ]]; then status=1; [[ "${f:-0}" == "0" ]] && failed=$((failed + 1)); fi
  rm -f "$log"
done
echo "tests: $passed passed, $failed failed"
exit $status
