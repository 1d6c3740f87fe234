import copy
import json
import os
import sys

import pytest

import prompts

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "tools", "ontology"))
import make_aliases  # noqa: E402


def _table():
    return prompts.load_alias_table()


def test_ontology_prompts_come_from_the_alias_table():
    table = _table()
    ontology = prompts._load("ontology.json")
    got = prompts.ontology_aliases(ontology, table)
    # Fragments of the comma rule are gone, their rejoined forms are in.
    assert "Subcutaneous" not in got and "Subcutaneous fungal infection" in got
    assert "benign" not in got and "Benign skin lesions" in got
    # A merged node ('sameAs') adds nothing of its own: 'Cutaneous sarcoidosis' comes once, from its target.
    assert got.count("Cutaneous sarcoidosis") == 1
    assert table["nodes"]["Cutaneous sarcoidosis"] == {"sameAs": "Sarcoidosis, Cutaneous sarcoidosis"}
    # A node listing distinct diagnoses adds each label's aliases.
    assert "Melasma" in got and "Lentigo" in got
    texts = prompts.build_prompts()
    assert "This is a skin image of Subcutaneous fungal infection" in texts
    assert "This is a skin image of Subcutaneous" not in texts
    assert len(texts) == len(set(texts))


def test_a_table_that_does_not_fit_the_ontology_is_refused():
    ontology = prompts._load("ontology.json")
    t = _table()
    bad = copy.deepcopy(t)
    del bad["nodes"]["Vitiligo"]
    with pytest.raises(ValueError, match="no entry for \\['Vitiligo'\\]"):
        prompts.ontology_aliases(ontology, bad)
    bad = copy.deepcopy(t)
    bad["nodes"]["Not a node"] = {"name": "x y", "aliases": ["x y"]}
    with pytest.raises(ValueError, match="unknown nodes \\['Not a node'\\]"):
        prompts.ontology_aliases(ontology, bad)
    bad = copy.deepcopy(t)
    bad["nodes"]["Vitiligo"] = {"sameAs": "Cutaneous sarcoidosis"}
    with pytest.raises(ValueError, match="has no aliases of its own"):
        prompts.ontology_aliases(ontology, bad)


def test_every_hand_edit_is_listed():
    unlisted, unedited, edited = make_aliases.diff(_table(), prompts._load("ontology.json"))
    assert unlisted == [] and unedited == []
    assert len(edited) > 50


def test_the_generated_table_is_the_comma_rule(tmp_path):
    gen = make_aliases.generate(prompts._load("ontology.json"))
    path = tmp_path / "t.json"
    make_aliases.write_table(gen, str(path))
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back == gen
    assert back["nodes"]["Melasma, Lentigo"] == {"name": "Melasma", "aliases": ["Melasma", "Lentigo"]}
    # With the generated table the prompt list is what the comma rule gave before the table existed.
    ontology = prompts._load("ontology.json")
    assert prompts.ontology_aliases(ontology, gen) == [a for n in prompts.ontology_nodes(ontology) for a in prompts.aliases(n)]


def test_the_doc_lists_the_current_changes():
    with open(make_aliases.DOC, encoding="utf-8") as f:
        text = f.read()
    assert make_aliases.doc_with_changes(text, _table()) == text, "run: /usr/bin/python3 tools/ontology/make_aliases.py --doc"
    for c in _table()["changes"]:
        assert c["reason"] in text.replace("\\|", "|")
