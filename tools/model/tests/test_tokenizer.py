import json
import os
import subprocess

import prompts
import references
import tokenizer

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_vocab_size_and_known_ids():
    tok = tokenizer.SimpleTokenizer()
    assert len(tok.encoder) == 49408
    assert tok.tokenize("a photo of a cat")[:7] == [49406, 320, 1125, 539, 320, 2368, 49407]
    assert tok.tokenize("x")[3:] == [0] * 74


def test_truncation_keeps_end_token():
    ids = tokenizer.SimpleTokenizer().tokenize(" ".join(["lesion"] * 100))
    assert len(ids) == 77 and ids[0] == 49406 and ids[-1] == 49407 and 0 not in ids


def test_clean():
    assert tokenizer.clean("  Beau&amp;#39;s \t LINES  ") == "beau's lines"
    assert tokenizer.clean("e\u0301") == "\u00e9"


def test_aliases():
    assert prompts.aliases("Malignant melanoma, melanoma") == ["Malignant melanoma", "melanoma"]
    assert prompts.aliases("Lichen simplex chronicus, ") == ["Lichen simplex chronicus"]
    assert prompts.aliases("Foo, NOS, foo, Bar") == ["Foo", "Bar"]


def test_hf_tokenizer_json_matches_reference_on_all_prompts(tmp_path):
    tok = tokenizer.SimpleTokenizer()
    texts = prompts.build_prompts() + references.PROMPTS
    cases = [{"clean": tokenizer.clean(t), "ids": tok.encode(t)} for t in texts]
    (tmp_path / "tokenizer.json").write_bytes(tokenizer.tokenizer_json_bytes())
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    res = subprocess.run(["node", os.path.join(HERE, "check_tokenizer.mjs"), str(tmp_path / "tokenizer.json"),
                          str(tmp_path / "cases.json")], cwd=os.path.dirname(os.path.dirname(HERE)),
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout)["checked"] == len(texts)
