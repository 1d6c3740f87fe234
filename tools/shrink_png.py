"""Shrink README screenshots: 256-colour palette PNGs (fast octree, no dithering: the photos keep
their look at about a quarter of the bytes),
optimised. Usage: /usr/bin/python3 tools/shrink_png.py docs/screenshots/x.png [...] (in place;
a file is left as it was when the palette copy is not smaller)."""
import os
import sys

from PIL import Image

for path in sys.argv[1:]:
    before = os.path.getsize(path)
    im = Image.open(path).convert("RGB")
    out = im.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    tmp = path + ".tmp.png"
    out.save(tmp, optimize=True)
    after = os.path.getsize(tmp)
    if after < before:
        os.replace(tmp, path)
    else:
        os.remove(tmp)
        after = before
    print(f"{path}: {before // 1024} KiB -> {after // 1024} KiB ({im.width}x{im.height})")
