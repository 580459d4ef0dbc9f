#!/usr/bin/env bash
# Builds Release and runs the benchmarks: bench/run.sh [overhead|throughput|coldstart|scaleout|spiky|ocr|batching|async|fanout|all] [--quick]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
for p in src/Serval.Server/Serval.Server.csproj src/Serval.Cli/Serval.Cli.csproj tests/Serval.Instance.TestHandlers/Serval.Instance.TestHandlers.csproj bench/Serval.Bench/Serval.Bench.csproj; do
  dotnet build "$ROOT/$p" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
done
exec dotnet "$ROOT/bench/Serval.Bench/bin/Release/net10.0/Serval.Bench.dll" "$@"
