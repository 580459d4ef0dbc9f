#!/usr/bin/env bash
# Writes the OCR test pictures: each as PNG and as gzipped binary PPM (P6), which the tests read.
# Run it again after changing a picture, and commit the results; the tests themselves never call ImageMagick.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v convert >/dev/null || [ -z "$(fc-list 'Noto Sans CJK SC')" ]; then
    apt-get install -y imagemagick fonts-noto-cjk
fi

font=Noto-Sans-CJK-SC

# Writes NAME.png (8-bit RGB, no timestamps, so it is reproducible) and NAME.ppm.gz from stdin's picture.
save() {
    convert - -strip -depth 8 -define png:exclude-chunks=date,time "PNG24:$1.png"
    convert "$1.png" -depth 8 ppm:- | gzip -9n > "$1.ppm.gz"
}

# One clear English line.
convert -background white -fill black -font "$font" -pointsize 32 label:"Hello Serval 2024" \
    -bordercolor white -border 24 png:- | save english

# One Chinese line, dark blue on light yellow.
convert -background '#fff3c4' -fill '#1a3c9c' -font "$font" -pointsize 32 label:"今天天气很好" \
    -bordercolor '#fff3c4' -border 24 png:- | save chinese

# A paragraph: a first line in two far-apart parts (read left to right), then two more lines.
convert -size 480x180 xc:white -fill black -font "$font" -pointsize 26 \
    -draw "text 24,44 'Name:'" -draw "text 300,44 'Serval'" \
    -draw "text 24,98 'jumps over 12 lazy dogs'" \
    -draw "text 24,152 '服务器推理平台'" png:- | save paragraph

# The English line turned 6 degrees.
convert english.png -background white -rotate 6 png:- | save rotated

# The English line upside down (for the angle classifier).
convert english.png -rotate 180 png:- | save upside_down

# Nothing to read.
convert -size 160x96 xc:white png:- | save blank
