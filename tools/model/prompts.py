"""The prompt list shipped with precomputed text embeddings (docs/bundle-format.md)."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "data", "derm1m")
# The curated display names and aliases of every ontology node; the app reads the same file
# (src/core/ontology-aliases.ts, docs/ontology-aliases.md).
ALIAS_TABLE = os.path.join(REPO, "src", "core", "ontology-aliases.json")

PRESETS = [  # (metadata file, list name)
    ("zero_shot_metadata.Derm1M.json", "PAD_CLASSNAMES"),
    ("zero_shot_metadata.Derm1M.json", "HAM_CLASSNAMES"),
    ("zero_shot_metadata.Derm1M.json", "F17K_DISEASE_113_CLASSES"),
    ("zero_shot_metadata.Derm1M.json", "DAFFODIL_5_CLASSNAMES"),
    ("zero_shot_metadata.PanDerm-X.json", "SNU_134_CLASSNAMES"),
    ("zero_shot_metadata.PanDerm-X.json", "SD_128_CLASSNAMES"),
    ("zero_shot_metadata.PanDerm-X.json", "DERMNET_CLASSNAMES"),
]


def _load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def aliases(node_name):
    """The comma rule the alias table was generated from (tools/ontology/make_aliases.py):
    'Malignant melanoma, melanoma' -> ['Malignant melanoma', 'melanoma'] (drops '' and 'NOS')."""
    out, seen = [], set()
    for part in node_name.split(","):
        part = part.strip()
        if not part or part == "NOS" or part.lower() in seen:
            continue
        seen.add(part.lower())
        out.append(part)
    return out


def ontology_nodes(ontology):
    """Every node except root, in file order (keys, then children not listed as keys)."""
    nodes = [k for k in ontology if k != "root"]
    known = set(nodes) | {"root"}
    for children in ontology.values():
        for c in children:
            if c not in known:
                known.add(c)
                nodes.append(c)
    return nodes


def load_alias_table(path=ALIAS_TABLE):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def ontology_aliases(ontology, table):
    """Every alias of every ontology node's label(s), node by node in file order. A node merged
    into another ('sameAs') adds none of its own; a node listing several diagnoses ('labels') adds
    each label's aliases. Raises ValueError when the table and the ontology disagree."""
    nodes = ontology_nodes(ontology)
    entries = table["nodes"]
    missing = [n for n in nodes if n not in entries]
    extra = sorted(set(entries) - set(nodes))
    if missing or extra:
        raise ValueError(f"alias table {ALIAS_TABLE} does not match ontology.json: "
                         f"no entry for {missing[:5]}, entries for unknown nodes {extra[:5]}")
    out = []
    for n in nodes:
        e = entries[n]
        if "sameAs" in e:
            if e["sameAs"] not in entries or "sameAs" in entries[e["sameAs"]]:
                raise ValueError(f"alias table: {n!r} is sameAs {e['sameAs']!r}, which has no aliases of its own")
            continue
        for label in e.get("labels") or [e]:
            out.extend(label["aliases"])
    return out


def build_prompts(alias_table=None):
    templates = _load("zero_shot_metadata.Derm1M.json")["OPENAI_SKIN_TEMPLATES"]
    out, seen = [], set()

    def add(p):
        if p not in seen:
            seen.add(p)
            out.append(p)

    table = alias_table if alias_table is not None else load_alias_table()
    for alias in ontology_aliases(_load("ontology.json"), table):
        for t in templates:
            add(t.replace("{}", alias))
    for fname, key in PRESETS:
        for c in _load(fname)[key]:
            for t in templates:
                add(t.replace("{}", c))
    concepts = _load("concept_prompts.Derm1M.json")
    for terms in _load("ConceptTerms.json").values():
        for term in terms:
            for t in concepts["concept_prompt_template_list"]:
                add(t.replace("{}", term))
    for refs in concepts["concept_prompt_ref_list"]:
        for r in refs:
            add(r)
    return out


if __name__ == "__main__":
    p = build_prompts()
    print(len(p), "prompts;", p[:3])
