"""The sample teaching pack the app ships (public/packs/sample-pack.zip), from the CC0 ISIC photos
in fixtures/photos, downscaled to 1600 px for a projector. Deterministic: the same bytes each run.

/usr/bin/python3 tools/teach/make_sample_pack.py [--out public/packs/sample-pack.zip]
"""
import argparse
import hashlib
import io
import json
import os
import zipfile

from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = ("ISIC Archive (International Skin Imaging Collaboration), {id}; taken from the "
          "ytworks/ColorConstancy repository (MIT), examples/images")
ANSWER_NOTE = ("Teaching answer chosen by the DermLIP Explorer authors from the image, for this demo "
               "pack only: the ISIC Archive's own diagnosis for {id} could not be checked offline. "
               "Check it on the ISIC Archive before teaching with this case.")
NEVUS = {"labelId": "proliferations/benign/melanocytic/Melanocytic nevus", "name": "Melanocytic nevus"}
CASES = [
    ("ISIC_0012221", NEVUS,
     "Symmetric brown macule, about 6 mm, regular network fading at the edge, no blue-white "
     "structures. Compare with the next case: why does the model hesitate more there?"),
    ("ISIC_0012222", NEVUS,
     "Slightly asymmetric light-brown lesion with a darker centre and a faint network; hairs cross "
     "it. Discuss which features would make you biopsy."),
]


def photo_bytes(path):
    im = Image.open(path).convert("RGB")
    im.thumbnail((1600, 1600), Image.BICUBIC)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def entry(name):
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=os.path.join(REPO, "public", "packs", "sample-pack.zip"))
    args = ap.parse_args()
    cases, photos = [], {}
    for i, (pid, diagnosis, notes) in enumerate(CASES):
        data = photo_bytes(os.path.join(REPO, "fixtures", "photos", f"{pid}.jpg"))
        name = f"photos/{pid}.jpg"
        photos[name] = data
        cases.append({
            "id": f"case-{i + 1}", "photo": name, "photoSha256": hashlib.sha256(data).hexdigest(),
            "diagnosis": diagnosis, "question": "What is the most likely diagnosis?",
            "notes": notes + "\n\n" + ANSWER_NOTE.format(id=pid),
            "source": SOURCE.format(id=pid), "license": "CC0 1.0 (ISIC Archive)",
        })
    pack = {
        "format": "dermlip-teaching-pack", "version": 1, "id": "sample",
        "title": "Sample pack: two dermoscopy photos (ISIC, CC0)",
        "description": ("Ships with DermLIP Explorer so presenter, quiz and kiosk modes work out of the box. "
                        "Its answers are the app authors' reading of each photo, not the ISIC Archive's "
                        "diagnoses (which could not be checked offline): see each case's notes."),
        "author": "DermLIP Explorer", "createdAt": "2026-11-29T00:00:00Z", "cases": cases,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with zipfile.ZipFile(args.out, "w") as z:
        z.writestr(entry("pack.json"), json.dumps(pack, indent=2, ensure_ascii=False).encode())
        for name, data in photos.items():
            z.writestr(entry(name), data)
    print("wrote", args.out, os.path.getsize(args.out), "bytes")


if __name__ == "__main__":
    main()
