"""Bench photos from the fixture photos.

make_photo.py <src> <dst>: a 12 MP (4000x3000) JPEG upscaled from a fixture photo.
make_photo.py --many <outdir> <count> <WxH> <src>...: <count> JPEGs of WxH, each a different
crop (position, zoom), mirror and brightness of one of the sources (seeded), so that no two
photos give the same preprocessed tensor (nothing downstream can reuse an earlier result).
"""
import os
import random
import sys

from PIL import Image, ImageEnhance


def many(outdir, count, size, srcs):
    w, h = (int(x) for x in size.split("x"))
    os.makedirs(outdir, exist_ok=True)
    # sources scaled once to at least the output size (crops come from these)
    bases = []
    for s in srcs:
        im = Image.open(s).convert("RGB")
        scale = max(w / im.width, h / im.height) * 1.25
        bases.append(im.resize((round(im.width * scale), round(im.height * scale)), Image.BICUBIC))
    rnd = random.Random(1234)
    for i in range(count):
        im = bases[i % len(bases)]
        zoom = 0.8 + 0.2 * rnd.random()
        cw, ch = round(im.width * zoom), round(im.height * zoom)
        x, y = rnd.randint(0, im.width - cw), rnd.randint(0, im.height - ch)
        out = im.crop((x, y, x + cw, y + ch)).resize((w, h), Image.BILINEAR)
        if rnd.random() < 0.5:
            out = out.transpose(Image.FLIP_LEFT_RIGHT)
        out = ImageEnhance.Brightness(out).enhance(0.85 + 0.3 * rnd.random())
        out.save(os.path.join(outdir, f"photo-{i:05d}.jpg"), quality=90)


if sys.argv[1] == "--many":
    many(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:])
else:
    src, dst = sys.argv[1], sys.argv[2]
    Image.open(src).convert("RGB").resize((4000, 3000), Image.BICUBIC).save(dst, quality=92)
