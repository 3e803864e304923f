#!/usr/bin/env bash
# build-subset.sh — regenerate NotoSansCJKjp-Regular-subset.otf, the Japanese
# font that nagare embeds with include_bytes! so PNG/PDF output renders
# correctly on machines without any CJK font installed.
#
# Prerequisites (this script installs nothing itself):
#   apt-get install -y fonts-noto-cjk     # Debian bookworm: 1:20220127+repack1-1
#   pip install fonttools                 # provides pyftsubset (built with 4.68.0)
#   python3                               # for the code-point list below
#
# Usage:  bash assets/fonts/build-subset.sh
#   SRC_TTC=/path/to/NotoSansCJK-Regular.ttc  (optional override)
#   OUT=/path/to/output.otf                    (optional override)
#
# The subset covers the cp932 (Windows-31J) repertoire, i.e. every character
# Python's bytes.decode('cp932') yields for all single- and double-byte codes,
# and the JIS X 0213:2004 repertoire (bytes.decode('shift_jis_2004'): the
# 第3・第4水準 kanji such as 𠮷 that names in municipal data use)
# (control characters and the Private Use Area / user-defined rows are left
# out: the font has no glyphs there), plus the extra ranges listed in the
# python snippet below. Code points the source font lacks are silently skipped
# by pyftsubset (see "Coverage" in README.md); the two glyphs upstream ships
# unencoded (≒ U+2252, ◈ U+25C8) are kept and re-encoded in step 4.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC_TTC="${SRC_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
OUT="${OUT:-$here/NotoSansCJKjp-Regular-subset.otf}"

command -v pyftsubset >/dev/null || { echo "pyftsubset not found: pip install fonttools" >&2; exit 1; }
[ -f "$SRC_TTC" ] || { echo "$SRC_TTC not found: apt-get install -y fonts-noto-cjk" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unicodes="$tmp/cp932-unicodes.txt"

# 1. Find the collection index of the "Noto Sans CJK JP" Regular face.
font_number="$(python3 - "$SRC_TTC" <<'PY'
import sys
from fontTools.ttLib import TTCollection
coll = TTCollection(sys.argv[1], lazy=True)
for i, f in enumerate(coll.fonts):
    name = f["name"]
    if name.getDebugName(1) == "Noto Sans CJK JP" and name.getDebugName(2) == "Regular":
        print(i)
        break
else:
    sys.exit("no 'Noto Sans CJK JP' Regular face in " + sys.argv[1])
PY
)"
echo "using font number $font_number of $SRC_TTC" >&2

# 2. Generate the code-point list (one U+XXXX per line).
python3 - "$unicodes" "$SRC_TTC" "$font_number" <<'PY'
import sys, unicodedata

cps = set()

def add(ch):
    # Skip control characters (Cc) and private-use code points (Co, e.g. the
    # cp932 user-defined rows 0xF040-0xF9FC -> U+E000-U+E757 and 0xA0/0xFD-0xFF
    # -> U+F8F0-U+F8F3 in Python's codec).
    if unicodedata.category(ch) not in ("Cc", "Co"):
        cps.add(ord(ch))

# cp932 single-byte codes (ASCII + half-width katakana 0xA1-0xDF).
for b in range(0x100):
    try:
        add(bytes([b]).decode("cp932"))
    except UnicodeDecodeError:
        pass

# cp932 double-byte codes (JIS X 0208 + NEC row 13 + NEC/IBM extensions).
for lead in list(range(0x81, 0xA0)) + list(range(0xE0, 0xFD)):
    for trail in range(0x40, 0xFD):
        try:
            s = bytes([lead, trail]).decode("cp932")
        except UnicodeDecodeError:
            continue
        if len(s) == 1:
            add(s)

# JIS X 0213:2004 (Shift_JIS-2004): 第1〜第4水準, including plane 2 (lead 0xF0-0xFC) and the
# characters that decode to two code points (a kana with a combining mark) are left out.
for lead in list(range(0x81, 0xA0)) + list(range(0xE0, 0xFD)):
    for trail in range(0x40, 0xFD):
        try:
            s = bytes([lead, trail]).decode("shift_jis_2004")
        except UnicodeDecodeError:
            continue
        if len(s) == 1:
            add(s)

# Ideographs beyond JIS X 0213 that the JP face itself encodes: every unified ideograph (including Extension A,
# so a glyph pasted from a Chinese-font PDF such as 宫 U+5BAB still draws), Extension B and later (𠮷 U+20BB7
# and other name kanji) and the compatibility ideographs. Read from the source font, so the list follows it.
from fontTools.ttLib import TTCollection
face = TTCollection(sys.argv[2], lazy=True).fonts[int(sys.argv[3])]
for cp in face.getBestCmap():
    if 0x20000 <= cp <= 0x3FFFF or 0xF900 <= cp <= 0xFAFF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF:
        add(chr(cp))

def add_range(lo, hi):
    for cp in range(lo, hi + 1):
        add(chr(cp))

add_range(0x0020, 0x007E)   # ASCII
add_range(0xFF61, 0xFF9F)   # half-width katakana
add_range(0x2460, 0x24FF)   # enclosed alphanumerics (circled 1-20 and beyond)
add_range(0x3251, 0x325F)   # circled 21-35
add_range(0x32B1, 0x32BF)   # circled 36-50
add_range(0x3231, 0x3231)   # ㈱
add_range(0x3000, 0x303F)   # CJK symbols and punctuation
add_range(0xFF01, 0xFF5E)   # full-width ASCII
add_range(0x2010, 0x2027)   # dashes, quotes, bullets, ellipsis
add_range(0x2190, 0x21FF)   # arrows
add_range(0x25A0, 0x25FF)   # geometric shapes
add_range(0x2713, 0x2713)   # ✓
add_range(0x2715, 0x2715)   # ✕
add_range(0x2022, 0x2022)   # •

with open(sys.argv[1], "w") as f:
    for cp in sorted(cps):
        f.write("U+%04X\n" % cp)
print("%d code points" % len(cps), file=sys.stderr)
PY

# 3. Subset.
#    - pyftsubset's default layout features (what survives here: GSUB ccmp,
#      liga, vert, vrt2; GPOS kern, palt, halt, vkrn, vpal, vhal) minus 'locl':
#      the JP face's locl lookups for the KOR/ZHS/ZHT/ZHH language systems pull
#      in a second, Chinese/Korean set of ~7900 ideograph glyphs (15896 glyphs /
#      3.6 MB with locl vs 8000 / 1.7 MB without). The JP face's own default
#      glyphs are already the Japanese forms.
#    - --name-IDs='*' keeps the copyright/licence/trademark records
#      (nameID 0, 7, 13, 14) inside the font as well.
#    - --glyphs keeps two glyphs that Noto Sans CJK ships deliberately
#      unencoded (upstream noto-cjk issues #24, #140, #194): cid00858 is the
#      JIS X 0208 / cp932 0x81E0 "≒" (U+2252) and cid01261 is "◈" (U+25C8).
#      Step 4 maps them again so the whole cp932 repertoire is covered.
pyftsubset "$SRC_TTC" \
  --font-number="$font_number" \
  --unicodes-file="$unicodes" \
  --glyphs=cid00858,cid01261 \
  --no-hinting \
  --no-glyph-names \
  --name-IDs='*' \
  --layout-features-=locl \
  --output-file="$tmp/subset.otf"

# 4. Re-encode U+2252 -> cid00858 and U+25C8 -> cid01261 in every Unicode
#    cmap subtable (checks that the glyphs are there and still unencoded).
python3 - "$tmp/subset.otf" "$OUT" <<'PY'
import sys
from fontTools.ttLib import TTFont
font = TTFont(sys.argv[1], recalcTimestamp=False)  # keep head.modified: reproducible output
extra = {0x2252: "cid00858", 0x25C8: "cid01261"}
order = set(font.getGlyphOrder())
for cp, glyph in extra.items():
    if glyph not in order:
        sys.exit("glyph %s missing from subset" % glyph)
    if cp in font.getBestCmap():
        sys.exit("U+%04X is already mapped: upstream changed, revisit this step" % cp)
for table in font["cmap"].tables:
    if table.isUnicode():
        table.cmap.update(extra)
font.save(sys.argv[2])
PY

ls -l "$OUT" >&2
