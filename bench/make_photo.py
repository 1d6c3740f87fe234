"""A 12 MP (4000x3000) JPEG upscaled from a fixture photo: usage make_photo.py <src> <dst>."""
import sys

from PIL import Image

src, dst = sys.argv[1], sys.argv[2]
Image.open(src).convert("RGB").resize((4000, 3000), Image.BICUBIC).save(dst, quality=92)
