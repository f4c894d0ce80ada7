#!/usr/bin/env bash
# Draws the app and tray icons with ImageMagick 6 (apt-get install imagemagick) and packs the
# macOS .icns with Node. Run from anywhere; writes next to this script. The outputs are
# committed, so this only needs to run when the logo changes.
set -euo pipefail
cd "$(dirname "$0")"
C=${CONVERT:-/usr/bin/convert}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# App icon: a rounded blue square with three "instances", two running (green) and one idle.
$C -size 1024x1024 gradient:'#2b8ff0-#0b4f9c' "$work/gradient.png"
$C -size 1024x1024 xc:none -fill white -draw "roundrectangle 64,64 959,959 210,210" "$work/mask.png"
$C "$work/gradient.png" "$work/mask.png" -alpha off -compose CopyOpacity -composite \
  -fill white \
  -draw "roundrectangle 232,262 792,402 44,44" \
  -draw "roundrectangle 232,442 792,582 44,44" \
  -draw "roundrectangle 232,622 792,762 44,44" \
  -fill '#22c55e' -draw "circle 312,332 312,360" -draw "circle 312,512 312,540" \
  -fill '#9fb4cc' -draw "circle 312,692 312,720" \
  -fill '#1d6fd0' \
  -draw "roundrectangle 392,318 712,346 14,14" \
  -draw "roundrectangle 392,498 712,526 14,14" \
  -draw "roundrectangle 392,678 712,706 14,14" \
  "$work/icon-1024.png"
for size in 16 32 64 128 256 512 1024; do
  $C "$work/icon-1024.png" -resize ${size}x${size} -depth 8 PNG32:"$work/icon-$size.png"
done
cp "$work/icon-1024.png" icon-1024.png
cp "$work/icon-512.png" icon.png
cp "$work/icon-512.png" 512x512.png
cp "$work/icon-256.png" 256x256.png
$C "$work/icon-1024.png" -define icon:auto-resize=256,128,64,48,32,24,16 icon.ico

# .icns: 'icns' + length, then entries of 4-char type + length + PNG data.
node - "$work" <<'JS'
const { readFileSync, writeFileSync } = require('node:fs')
const dir = process.argv[2]
const types = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]]
const entries = types.map(([type, size]) => {
  const png = readFileSync(`${dir}/icon-${size}.png`)
  const header = Buffer.alloc(8)
  header.write(type, 0, 'ascii')
  header.writeUInt32BE(png.length + 8, 4)
  return Buffer.concat([header, png])
})
const body = Buffer.concat(entries)
const header = Buffer.alloc(8)
header.write('icns', 0, 'ascii')
header.writeUInt32BE(body.length + 8, 4)
writeFileSync('icon.icns', Buffer.concat([header, body]))
JS

# Tray: three bars with a light each. Drawn at 64 px, scaled down.
bars='-draw "roundrectangle 6,6 57,21 4,4" -draw "roundrectangle 6,24 57,39 4,4" -draw "roundrectangle 6,42 57,57 4,4"'
lights='-draw "circle 16,13.5 16,17.5" -draw "circle 16,31.5 16,35.5" -draw "circle 16,49.5 16,53.5"'
# macOS template image: black and transparent only (the lights are holes).
eval "$C -size 64x64 xc:none -fill black $bars \
  \( -size 64x64 xc:none -fill black $lights \) -compose DstOut -composite \"$work/template-64.png\""
$C "$work/template-64.png" -resize 32x32 -depth 8 PNG32:trayTemplate@2x.png
$C "$work/template-64.png" -resize 16x16 -depth 8 PNG32:trayTemplate.png
# Windows and Linux: a pool with running instances, and an idle (scaled to zero) pool.
eval "$C -size 64x64 xc:none -fill '#1d6fd0' $bars -fill '#4ade80' $lights -resize 32x32 -depth 8 PNG32:tray-active.png"
eval "$C -size 64x64 xc:none -fill '#7b8794' $bars -fill '#d5dbe1' $lights -resize 32x32 -depth 8 PNG32:tray-idle.png"
