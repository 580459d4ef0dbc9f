#!/usr/bin/env bash
# Regenerates the image fixtures of Serval.Imaging.Tests: each image, and beside it the pixels
# ImageMagick decodes from it (binary PPM, RGB, transparency composited over white).
# ImageMagick reads JPEG through libjpeg-turbo, so the JPEG fixtures compare against libjpeg-turbo.
# Usage: tests/Serval.Imaging.Tests/Fixtures/make.sh   (writes into its own folder)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v convert >/dev/null || ! command -v jpegtran >/dev/null; then
  apt-get install -y imagemagick libjpeg-turbo-progs # as root
fi

# No dates, no gamma or colour chunks: the files are the same on every run.
STRIP=(-strip -define png:exclude-chunks=date,time)

# ihdr FILE → "WIDTH HEIGHT DEPTH COLORTYPE INTERLACE" from the PNG's IHDR chunk.
ihdr() { local h; h="$(xxd -s 16 -l 13 -p "$1")"; echo "$((16#${h:0:8})) $((16#${h:8:8})) $((16#${h:16:2})) $((16#${h:18:2})) $((16#${h:24:2}))"; }

expect() { # expect NAME.png "W H DEPTH TYPE INTERLACE"
  local got; got="$(ihdr "$1")"
  [[ "$got" == "$2" ]] || { echo "make.sh: $1 has IHDR '$got', wanted '$2'" >&2; exit 1; }
}

# The PPM keeps the image's depth: 8-bit images give maxval 255, 16-bit ones maxval 65535 (the tests
# round those to 8 bits, v / 257). Transparency is composited over white at that depth, rounded.
ppm() { convert "$1" -background white -alpha remove -alpha off "ppm:${1%.*}.ppm"; }

# Sources: a photo (ImageMagick's built-in rose, 70×46) at an odd size, a 16-bit plasma, and the
# rose with an alpha ramp (transparent left, opaque right).
convert rose: -resize '37x23!' src-rose.png
convert -seed 7 -size 37x23 plasma:red-blue -depth 16 src-plasma16.png
convert src-rose.png \( -size 23x37 gradient: -rotate 90 \) -alpha off -compose CopyOpacity -composite src-alpha.png
convert src-plasma16.png \( -size 23x37 gradient: -rotate 90 -depth 16 \) -alpha off -compose CopyOpacity -composite -depth 16 src-alpha16.png

png() { # png NAME "IHDR" CONVERT-ARGS...
  local name="$1" want="$2"; shift 2
  convert "$@" "${STRIP[@]}" "png-$name.png"
  expect "png-$name.png" "$want"
  ppm "png-$name.png"
}

png grey1      "37 23 1 0 0"  src-rose.png -colorspace Gray -threshold 45% -define png:color-type=0 -define png:bit-depth=1
png grey2      "37 23 2 0 0"  src-rose.png -colorspace Gray -posterize 4 -define png:color-type=0 -define png:bit-depth=2
png grey4      "37 23 4 0 0"  src-rose.png -colorspace Gray -posterize 16 -define png:color-type=0 -define png:bit-depth=4
png grey8      "37 23 8 0 0"  src-rose.png -colorspace Gray -define png:color-type=0 -define png:bit-depth=8
png grey16     "37 23 16 0 0" src-plasma16.png -colorspace Gray -define png:color-type=0 -define png:bit-depth=16
png rgb8       "37 23 8 2 0"  src-rose.png -define png:color-type=2 -define png:bit-depth=8
png rgb16      "37 23 16 2 0" src-plasma16.png -define png:color-type=2 -define png:bit-depth=16
png palette1   "37 23 1 3 0"  src-rose.png -colors 2 -define png:color-type=3 -define png:bit-depth=1
png palette2   "37 23 2 3 0"  src-rose.png -colors 4 -define png:color-type=3 -define png:bit-depth=2
png palette4   "37 23 4 3 0"  src-rose.png -colors 16 -define png:color-type=3 -define png:bit-depth=4
png palette8   "37 23 8 3 0"  src-rose.png -colors 200 -define png:color-type=3 -define png:bit-depth=8
# Transparency without an alpha channel: a palette with a tRNS alpha per entry (fewer entries than
# the palette), and grey and RGB images with a tRNS key colour.
png palette-trns "37 23 8 3 0" src-alpha.png -channel A -posterize 4 +channel -colors 64
png grey-trns  "37 23 8 0 0"  src-alpha.png -colorspace Gray -channel A -threshold 50% +channel -define png:color-type=0
png rgb-trns   "37 23 8 2 0"  src-alpha.png -channel A -threshold 50% +channel -define png:color-type=2
for f in palette-trns grey-trns rgb-trns; do
  grep -qa tRNS "png-$f.png" || { echo "make.sh: png-$f.png has no tRNS chunk" >&2; exit 1; }
done
png greyalpha8 "37 23 8 4 0"  src-alpha.png -colorspace Gray -define png:color-type=4 -define png:bit-depth=8
png greyalpha16 "37 23 16 4 0" src-alpha16.png -colorspace Gray -define png:color-type=4 -define png:bit-depth=16
png rgba8      "37 23 8 6 0"  src-alpha.png -define png:color-type=6 -define png:bit-depth=8
png rgba16     "37 23 16 6 0" src-alpha16.png -define png:color-type=6 -define png:bit-depth=16
# Every filter type (0 none, 1 Sub, 2 Up, 3 Average, 4 Paeth) occurs in the adaptively filtered
# fixtures above (-quality cannot force one here); the tests also encode rgb8 with each filter alone.
# Adam7: every colour type once, low bit depths, and tiny sizes where some passes are empty.
png interlaced-rgb8     "37 23 8 2 1"  src-rose.png -interlace PNG -define png:color-type=2 -define png:bit-depth=8
png interlaced-rgba16   "37 23 16 6 1" src-alpha16.png -interlace PNG -define png:color-type=6 -define png:bit-depth=16
png interlaced-grey1    "37 23 1 0 1"  src-rose.png -colorspace Gray -threshold 45% -interlace PNG -define png:color-type=0 -define png:bit-depth=1
png interlaced-palette4 "37 23 4 3 1"  src-rose.png -colors 16 -interlace PNG -define png:color-type=3 -define png:bit-depth=4
png interlaced-greyalpha8 "37 23 8 4 1" src-alpha.png -colorspace Gray -interlace PNG -define png:color-type=4 -define png:bit-depth=8
png interlaced-3x2      "3 2 8 2 1"    src-rose.png -resize '3x2!' -interlace PNG -define png:color-type=2 -define png:bit-depth=8
png interlaced-1x1      "1 1 8 2 1"    src-rose.png -resize '1x1!' -interlace PNG -define png:color-type=2 -define png:bit-depth=8

# JPEG. The expected pixels are ImageMagick's (libjpeg-turbo, default "islow" IDCT and fancy
# upsampling), turned upright by the EXIF orientation where there is one.
jpg() { # jpg NAME CONVERT-ARGS...
  local name="$1"; shift
  convert "$@" -strip "jpeg-$name.jpg"
  jppm "jpeg-$name.jpg"
}
jppm() { convert "$1" -auto-orient "ppm:${1%.*}.ppm"; }

convert rose: src-rose70.png
jpg 444          src-rose.png -quality 90 -sampling-factor 1x1
jpg 420          src-rose70.png -quality 85 -sampling-factor 2x2
jpg 420-odd      src-rose.png -quality 85 -sampling-factor 2x2
jpg 422          src-rose.png -quality 90 -sampling-factor 2x1
jpg 440          src-rose.png -quality 90 -sampling-factor 1x2
jpg 411          src-rose.png -quality 90 -sampling-factor 4x1
jpg grey         src-rose.png -quality 90 -colorspace Gray
jpg q100         src-rose.png -quality 100 -sampling-factor 1x1
jpg q10          src-rose.png -quality 10 -sampling-factor 2x2
jpg 420-5x3      src-rose.png -resize '5x3!' -quality 90 -sampling-factor 2x2
jpg 420-2x2      src-rose.png -resize '2x2!' -quality 90 -sampling-factor 2x2
jpg progressive  src-rose70.png -quality 85 -sampling-factor 2x2 -interlace JPEG
jpg progressive-444 src-rose.png -quality 90 -sampling-factor 1x1 -interlace JPEG
jpg progressive-grey src-rose.png -quality 90 -colorspace Gray -interlace JPEG
# Restart markers after every MCU, after every MCU row, and in a progressive file.
jpegtran -restart 1B -outfile jpeg-restart-mcu.jpg jpeg-420-odd.jpg && jppm jpeg-restart-mcu.jpg
jpegtran -restart 1 -outfile jpeg-restart-row.jpg jpeg-444.jpg && jppm jpeg-restart-row.jpg
jpegtran -progressive -restart 2B -outfile jpeg-progressive-restart.jpg jpeg-420-odd.jpg && jppm jpeg-progressive-restart.jpg
# Sequential, one scan per component (not interleaved).
printf '0;\n1;\n2;\n' > src-scans.txt
jpegtran -scans src-scans.txt -outfile jpeg-sequential-scans.jpg jpeg-420-odd.jpg && jppm jpeg-sequential-scans.jpg
# RGB without colour transform: an Adobe APP14 segment with transform 0.
convert src-rose.png ppm:- | cjpeg -rgb -quality 90 > jpeg-rgb.jpg && jppm jpeg-rgb.jpg
# EXIF orientation: an APP1 segment with only tag 0x0112 inserted after SOI, big- and little-endian.
exif() { # exif ORIENTATION MM|II: "Exif\0\0", a TIFF header, IFD0 with one SHORT entry, no next IFD
  local o='\x0'"$1"
  if [[ $2 == MM ]]; then
    printf '\xff\xe1\x00\x22Exif\x00\x00''MM\x00\x2a\x00\x00\x00\x08''\x00\x01''\x01\x12\x00\x03\x00\x00\x00\x01\x00'"$o"'\x00\x00''\x00\x00\x00\x00'
  else
    printf '\xff\xe1\x00\x22Exif\x00\x00''II\x2a\x00\x08\x00\x00\x00''\x01\x00''\x12\x01\x03\x00\x01\x00\x00\x00'"$o"'\x00\x00\x00''\x00\x00\x00\x00'
  fi
}
for o in 3:MM 5:II 6:MM 8:II; do
  { printf '\xff\xd8'; exif "${o%:*}" "${o#*:}"; tail -c +3 jpeg-420-odd.jpg; } > "jpeg-exif${o%:*}.jpg"
  jppm "jpeg-exif${o%:*}.jpg"
done
# Kinds the old managed decoder refused (hence the names), which Skia decodes: CMYK (ImageMagick's
# conversion to RGB beside it: Skia's is the same) and arithmetic coding (the pixels of
# jpeg-420-2x2, whose coefficients it re-codes).
convert src-rose.png -resize '8x8!' -colorspace CMYK -strip unsupported-cmyk.jpg
convert unsupported-cmyk.jpg unsupported-cmyk.ppm
jpegtran -arithmetic -outfile unsupported-arithmetic.jpg jpeg-420-2x2.jpg

rm -f src-*.png src-scans.txt
