"""Small edits of a HEIF file's boxes, for test photos that heif-enc (libheif 1.15) cannot write.

add_irot(data, quarter_turns): adds an `irot` property (counter-clockwise, x90 degrees) to the
primary item, as iPhones store a photo taken sideways; heif-enc 1.15 only copies the EXIF
orientation. set_item_type(data, new): changes the primary item's coded type (e.g. 'vvc1'), to make
a HEIF variant the app's decoder does not support.

Boxes (ISO/IEC 14496-12, 23008-12): ftyp, meta (FullBox) > pitm, iinf/infe, iloc, iprp > ipco,
ipma. Adding bytes to meta moves mdat, so every iloc offset into the file is shifted.
"""
import struct


def _boxes(data, start, end):
    i = start
    while i + 8 <= end:
        size, typ = struct.unpack(">I4s", data[i:i + 8])
        head = 8
        if size == 1:
            size = struct.unpack(">Q", data[i + 8:i + 16])[0]
            head = 16
        elif size == 0:
            size = end - i
        if size < head or i + size > end:
            raise ValueError(f"bad box size at {i}")
        yield typ.decode("latin-1"), i, i + head, i + size
        i += size


def _find(data, start, end, typ):
    for t, b, s, e in _boxes(data, start, end):
        if t == typ:
            return b, s, e
    raise ValueError(f"no {typ} box")


def _box(typ, payload):
    return struct.pack(">I4s", 8 + len(payload), typ.encode("latin-1")) + payload


def _primary(data, meta_s, meta_e):
    _, s, _ = _find(data, meta_s + 4, meta_e, "pitm")
    return struct.unpack(">H", data[s + 4:s + 6])[0] if data[s] == 0 else struct.unpack(">I", data[s + 4:s + 8])[0]


def _shift_iloc(payload, delta):
    """iloc payload (FullBox) with every file offset moved by delta (construction method 0)."""
    p = bytearray(payload)
    version = p[0]
    off_size, len_size = p[4] >> 4, p[4] & 15
    base_size, index_size = p[5] >> 4, (p[5] & 15 if version in (1, 2) else 0)
    i = 6
    if version < 2:
        count = struct.unpack(">H", p[i:i + 2])[0]
        i += 2
    else:
        count = struct.unpack(">I", p[i:i + 4])[0]
        i += 4
    fmt = {4: ">I", 8: ">Q"}

    def bump(at, n):
        if n:
            struct.pack_into(fmt[n], p, at, struct.unpack(fmt[n], p[at:at + n])[0] + delta)

    for _ in range(count):
        i += 2 if version < 2 else 4
        method = 0
        if version in (1, 2):
            method = struct.unpack(">H", p[i:i + 2])[0] & 15
            i += 2
        i += 2  # data reference index
        base_at = i
        i += base_size
        extents = struct.unpack(">H", p[i:i + 2])[0]
        i += 2
        if method == 0 and base_size:
            bump(base_at, base_size)
        for _ in range(extents):
            i += index_size
            if method == 0 and not base_size:
                bump(i, off_size)
            i += off_size + len_size
    return bytes(p)


def add_irot(data, quarter_turns):
    """The file with an essential irot (quarter_turns x 90 degrees counter-clockwise) on the primary item."""
    data = bytes(data)
    meta_b, meta_s, meta_e = _find(data, 0, len(data), "meta")
    primary = _primary(data, meta_s, meta_e)
    iprp_b, iprp_s, iprp_e = _find(data, meta_s + 4, meta_e, "iprp")
    ipco_b, ipco_s, ipco_e = _find(data, iprp_s, iprp_e, "ipco")
    ipma_b, ipma_s, ipma_e = _find(data, iprp_s, iprp_e, "ipma")
    n_props = sum(1 for _ in _boxes(data, ipco_s, ipco_e))
    ipco = _box("ipco", data[ipco_s:ipco_e] + _box("irot", bytes([quarter_turns & 3])))
    # ipma: find the primary item's entry and add the new property (index n_props + 1, essential).
    m = bytearray(data[ipma_s:ipma_e])
    version, wide = m[0], m[3] & 1
    i, count = 8, struct.unpack(">I", m[4:8])[0]
    added = False
    for _ in range(count):
        item = struct.unpack(">H", m[i:i + 2])[0] if version < 1 else struct.unpack(">I", m[i:i + 4])[0]
        i += 2 if version < 1 else 4
        n = m[i]
        if item == primary:
            entry = struct.pack(">H", 0x8000 | (n_props + 1)) if wide else bytes([0x80 | (n_props + 1)])
            m[i] = n + 1
            at = i + 1 + n * (2 if wide else 1)
            m[at:at] = entry
            added = True
            break
        i += 1 + n * (2 if wide else 1)
    if not added:
        raise ValueError("the primary item has no ipma entry")
    ipma = _box("ipma", bytes(m))
    # Rebuild iprp and meta with the new children, in their original order.
    iprp_children = b"".join(ipco if t == "ipco" else ipma if t == "ipma" else data[b:e]
                             for t, b, s, e in _boxes(data, iprp_s, iprp_e))
    iprp = _box("iprp", iprp_children)
    delta = (len(iprp) - (iprp_e - iprp_b))
    meta_children = []
    for t, b, s, e in _boxes(data, meta_s + 4, meta_e):
        if t == "iprp":
            meta_children.append(iprp)
        elif t == "iloc":
            meta_children.append(_box("iloc", _shift_iloc(data[s:e], delta)))
        else:
            meta_children.append(data[b:e])
    meta = _box("meta", data[meta_s:meta_s + 4] + b"".join(meta_children))
    if meta_b < min(b for t, b, s, e in _boxes(data, 0, len(data)) if t == "mdat"):
        return data[:meta_b] + meta + data[meta_e:]
    raise ValueError("meta after mdat: offsets would not move")


def set_item_type(data, new_type):
    """The file with the primary item's infe item_type replaced (4 ASCII characters)."""
    data = bytearray(data)
    meta_b, meta_s, meta_e = _find(data, 0, len(data), "meta")
    primary = _primary(data, meta_s, meta_e)
    _, iinf_s, iinf_e = _find(data, meta_s + 4, meta_e, "iinf")
    skip = 6 if data[iinf_s] == 0 else 8
    for t, b, s, e in _boxes(data, iinf_s + skip, iinf_e):
        if t != "infe" or data[s] < 2:
            continue
        wide = data[s] == 3
        item = struct.unpack(">I" if wide else ">H", data[s + 4:s + (8 if wide else 6)])[0]
        if item == primary:
            at = s + 4 + (4 if wide else 2) + 2
            data[at:at + 4] = new_type.encode("ascii")
            return bytes(data)
    raise ValueError("no infe for the primary item")
