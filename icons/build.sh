#!/usr/bin/env bash
# Renders the icon PNGs from their SVG sources. The PNGs are committed, so only someone
# changing an SVG needs this (rsvg-convert from librsvg2-bin, or ImageMagick's convert).
#   tray/<state>.svg -> tray/<state>-32.png, tray/<state>-64.png  (tray icon per state)
#   app.svg          -> 32x32.png, 128x128.png, icon.png (512)    (bundle and window icon)
set -euo pipefail
cd "$(dirname "$0")"

render() { # svg size out.png
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert -w "$2" -h "$2" "$1" -o "$3.tmp.png"
  else
    convert -background none -density 1200 "$1" -resize "$2x$2" "$3.tmp.png"
  fi
  # Tauri wants 8-bit RGBA PNGs.
  convert "$3.tmp.png" -define png:color-type=6 "PNG32:$3"
  rm -f "$3.tmp.png"
}

for svg in tray/*.svg; do
  state=${svg%.svg}
  render "$svg" 32 "$state-32.png"
  render "$svg" 64 "$state-64.png"
done
render app.svg 32 32x32.png
render app.svg 128 128x128.png
render app.svg 512 icon.png
echo "icons rendered"
