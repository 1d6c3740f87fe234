"""The prompt list shipped with precomputed text embeddings (docs/bundle-format.md)."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(os.path.dirname(HERE)), "data", "derm1m")

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
    """'Malignant melanoma, melanoma' -> ['Malignant melanoma', 'melanoma'] (drops '' and 'NOS')."""
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


def build_prompts():
    templates = _load("zero_shot_metadata.Derm1M.json")["OPENAI_SKIN_TEMPLATES"]
    out, seen = [], set()

    def add(p):
        if p not in seen:
            seen.add(p)
            out.append(p)

    for node in ontology_nodes(_load("ontology.json")):
        for alias in aliases(node):
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
