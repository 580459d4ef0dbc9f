#!/usr/bin/env bash
# Builds Release and runs the benchmarks: bench/run.sh [overhead|relay|auth|throughput|coldstart|scaleout|spiky|ocr|batching|async|fanout|release|decode|all] [--quick]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
# The Node.js peer of the throughput bench runs on onnxruntime-node (the same ONNX Runtime version).
if [[ " $* " =~ " throughput " || " $* " =~ " all " ]] && [[ ! -d "$ROOT/.deps/node_modules/onnxruntime-node" ]]; then
  version="$(sed -nE 's/.*Include="Microsoft.ML.OnnxRuntime" Version="([^"]+)".*/\1/p' "$ROOT/Directory.Packages.props")"
  echo "bench: installing onnxruntime-node@$version into .deps/ for the Node.js peer"
  # --ignore-scripts: its install script downloads GPU binaries the peer does not use.
  npm install --prefix "$ROOT/.deps" --ignore-scripts --no-audit --no-fund --loglevel=error "onnxruntime-node@$version" >/dev/null
fi
for p in src/Serval.Server/Serval.Server.csproj src/Serval.Cli/Serval.Cli.csproj tests/Serval.Instance.TestHandlers/Serval.Instance.TestHandlers.csproj bench/Serval.Bench/Serval.Bench.csproj bench/peers/aspnet-ort/AspNetOrtPeer.csproj; do
  dotnet build "$ROOT/$p" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
done
exec dotnet "$ROOT/bench/Serval.Bench/bin/Release/net10.0/Serval.Bench.dll" "$@"
