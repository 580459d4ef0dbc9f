#!/usr/bin/env bash
# Draws the fan-out example's input: one long page (1000 × 8000 px) of paragraphs of text lines,
# English and Chinese, denser in some stretches than others. Deterministic: every choice comes from
# the seeded generator below, so a second run writes the same page (another ImageMagick or font
# version may draw slightly differently; page.json stays the same).
#
#   examples/fanout/make-input.sh [OUT_DIR] [SEED]   # writes OUT_DIR/page.png and OUT_DIR/page.json
#
# page.json holds the page's size and every line drawn ({"lines": N, "boxes": [[x, y, w, h], ...]}):
# what the job's summary should find. Installs imagemagick and the fonts with apt-get when missing.
set -euo pipefail
export LC_ALL=C.UTF-8
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/out}"
STATE="${2:-20261122}"
WIDTH=1000
HEIGHT=8000

fail() { echo "make-input: $*" >&2; exit 1; }
[[ "$STATE" =~ ^[0-9]+$ ]] || fail "SEED must be a whole number, got '$STATE'"

has_font() { convert -list font 2>/dev/null | grep -qx "  Font: $1"; }
if ! command -v convert >/dev/null || ! has_font Noto-Sans-CJK-SC || ! has_font DejaVu-Sans; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "make-input: installing imagemagick fonts-noto-cjk fonts-dejavu-core"
  # A bare machine may have no package lists yet: update them once if the first try fails.
  "${sudo[@]}" apt-get install -y imagemagick fonts-noto-cjk fonts-dejavu-core >/dev/null 2>&1 \
    || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y imagemagick fonts-noto-cjk fonts-dejavu-core >/dev/null; } \
    || fail "apt-get install imagemagick fonts-noto-cjk fonts-dejavu-core failed"
fi

# A 31-bit LCG, the same on every bash: rand N → R in [0, N).
rand() {
  STATE=$(((STATE * 1103515245 + 12345) % 2147483648))
  R=$(((STATE >> 8) % $1))
}

EN=(serverless inference platform request instance model tensor batch queue scale deploy version
    latency throughput function plan step chunk page detect merge summary cold start warm pool
    node memory core socket process timeout retry lease result record)
ZH=(服务 推理 平台 请求 实例 模型 批量 队列 扩容 部署 版本 延迟 吞吐 函数 计划 步骤 页面 检测 合并 摘要)

# One text line: 3 to 9 English words, or 4 to 10 Chinese words with no spaces.
line_text() {
  local text="" n i
  rand 4
  if ((R == 0)); then
    rand 7; n=$((R + 4))
    for ((i = 0; i < n; i++)); do rand ${#ZH[@]}; text+="${ZH[R]}"; done
    FONT=Noto-Sans-CJK-SC
  else
    rand 7; n=$((R + 3))
    for ((i = 0; i < n; i++)); do rand ${#EN[@]}; text+="${text:+ }${EN[R]}"; done
    FONT=DejaVu-Sans
  fi
  TEXT="$text"
}

mkdir -p "$OUT"
draw=()
boxes=()
y=50
# Paragraphs of 2 to 9 lines; the line pitch is 40 to 56 px (denser or looser stretches), the gap
# after a paragraph 40 to 240 px. A 24 px font draws glyphs about 30 px tall, so lines never touch.
while :; do
  rand 8; lines=$((R + 2))
  rand 5; pitch=$((40 + R * 4))
  rand 3; size=$((22 + R * 2))
  ((y + lines * pitch > HEIGHT - 40)) && break
  for ((l = 0; l < lines; l++)); do
    line_text
    rand 120; x=$((40 + R))
    # The text's own size, for page.json (label: draws it alone, with the same font and size).
    read -r w h < <(convert -font "$FONT" -pointsize "$size" label:"$TEXT" -format '%w %h\n' info:)
    ((x + w > WIDTH - 20)) && x=$((WIDTH - 20 - w))
    draw+=(-font "$FONT" -pointsize "$size" -annotate "+$x+$y" "$TEXT")
    boxes+=("[$x,$y,$w,$h]")
    y=$((y + pitch))
  done
  rand 11; y=$((y + 40 + R * 20))
done

convert -size "${WIDTH}x${HEIGHT}" xc:white -fill '#111111' -gravity NorthWest "${draw[@]}" -strip "$OUT/page.png"
count=${#boxes[@]}
printf '{"width": %d, "height": %d, "lines": %d, "boxes": [%s]}\n' "$WIDTH" "$HEIGHT" "$count" "$(IFS=,; echo "${boxes[*]}")" >"$OUT/page.json"
echo "make-input: $OUT/page.png ($WIDTH×$HEIGHT, $count lines, $(stat -c %s "$OUT/page.png") bytes)"
