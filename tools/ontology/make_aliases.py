"""The ontology alias table (src/core/ontology-aliases.json): generated once, then edited by hand.

    /usr/bin/python3 tools/ontology/make_aliases.py --write [--force]   # write the generated table
    /usr/bin/python3 tools/ontology/make_aliases.py --diff              # hand edits vs the generated table
    /usr/bin/python3 tools/ontology/make_aliases.py --doc               # rewrite the list in docs/ontology-aliases.md

--write writes one entry per ontology node (every name in data/derm1m/ontology.json except 'root',
in the key order of that file) with the mechanical comma rule of tools/model/prompts.py:aliases:
{"name": <first alias>, "aliases": [...]}, and an empty "changes" list. It refuses to overwrite
the committed table without --force: that table has been edited by hand (docs/ontology-aliases.md).

--diff prints every node whose committed entry differs from the generated one, and whether a
"changes" item names it; it exits 1 when an edit is not listed or a listed node was not edited.
src/core/ontology-aliases.test.ts checks the same in the unit tests.

--doc rewrites the list of changes in docs/ontology-aliases.md (between its BEGIN/END markers) from
the table's "changes"; tools/model/tests/test_prompts.py checks that the list is current.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "model"))

import prompts  # noqa: E402

TABLE = os.path.join(REPO, "src", "core", "ontology-aliases.json")
DOC = os.path.join(REPO, "docs", "ontology-aliases.md")
BEGIN, END = "<!-- BEGIN changes (tools/ontology/make_aliases.py --doc) -->", "<!-- END changes -->"

ABOUT = (
    "Display names and prompt aliases of every Derm1M ontology node, keyed by its raw name in "
    "data/derm1m/ontology.json. Generated once by tools/ontology/make_aliases.py from the comma rule, "
    "then edited by hand; every edit is in 'changes' with its reason (docs/ontology-aliases.md). "
    "An entry is {name, aliases} (one label), {name, labels: [{name, aliases}, ...]} (one node, several "
    "labels: a list of distinct diagnoses) or {sameAs: <raw name>} (a near-duplicate merged into that "
    "node's label). The app (src/core/ontology.ts, labels.ts) and the shipped prompt table "
    "(tools/model/prompts.py) both read this file."
)


def generated_entry(name):
    a = prompts.aliases(name) or [name.strip() or name]
    return {"name": a[0], "aliases": a}


def generate(ontology):
    return {
        "_about": ABOUT,
        "nodes": {n: generated_entry(n) for n in prompts.ontology_nodes(ontology)},
        "changes": [],
    }


def write_table(table, path=TABLE):
    """One node (and one change) per line, so hand edits give readable diffs."""
    one = lambda v: json.dumps(v, ensure_ascii=False)
    lines = ["{", f'  "_about": {one(table["_about"])},', '  "nodes": {']
    items = list(table["nodes"].items())
    lines += [f"    {one(k)}: {one(v)}" + ("," if i < len(items) - 1 else "") for i, (k, v) in enumerate(items)]
    lines += ["  },", '  "changes": [']
    ch = table["changes"]
    lines += [f"    {one(c)}" + ("," if i < len(ch) - 1 else "") for i, c in enumerate(ch)]
    lines += ["  ]", "}"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def changes_md(table):
    """The "changes" as markdown: one section per kind, one row per change."""
    titles = {"merge": "Near-duplicates merged", "split": "Lists of distinct diagnoses split",
              "fragment": "Fragments rejoined, run-together names repaired",
              "rename": "The diagnosis leads", "alias": "A common name added",
              "category": "Category nodes named as noun phrases", "display": "Display names only"}
    out = []
    for kind, title in titles.items():
        rows = [c for c in table["changes"] if c["kind"] == kind]
        if not rows:
            continue
        out += [f"### {title} ({len(rows)})", "", "| nodes (raw name) | change | reason |", "|---|---|---|"]
        for c in rows:
            nodes = "<br>".join("`" + n.replace("|", "\\|") + "`" for n in c["nodes"])
            esc = lambda t: t.replace("|", "\\|")
            out.append(f"| {nodes} | {esc(c['change'])} | {esc(c['reason'])} |")
        out.append("")
    return "\n".join(out)


def doc_with_changes(doc_text, table):
    head, rest = doc_text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + BEGIN + "\n\n" + changes_md(table) + "\n" + END + tail


def diff(table, ontology):
    """(edited but unlisted, listed but unedited, edited) node names. A merge lists its target
    node, whose entry may be unchanged."""
    changes = table.get("changes", [])
    listed = {n for c in changes for n in c["nodes"]}
    edited = [n for n in prompts.ontology_nodes(ontology) if table["nodes"].get(n) != generated_entry(n)]
    must_edit = {n for c in changes if c["kind"] != "merge" for n in c["nodes"]}
    return [n for n in edited if n not in listed], sorted(must_edit - set(edited)), edited


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--diff", action="store_true")
    ap.add_argument("--doc", action="store_true")
    args = ap.parse_args()
    ontology = prompts._load("ontology.json")
    if args.write:
        if os.path.exists(TABLE) and not args.force:
            sys.exit(f"{TABLE} exists and holds hand edits; pass --force to overwrite it")
        write_table(generate(ontology))
        print("wrote", TABLE)
    elif args.diff:
        with open(TABLE, encoding="utf-8") as f:
            table = json.load(f)
        unlisted, unedited, edited = diff(table, ontology)
        for n in edited:
            print(("  " if n not in unlisted else "! ") + json.dumps(n, ensure_ascii=False), "->",
                  json.dumps(table["nodes"].get(n), ensure_ascii=False))
        print(f"{len(edited)} nodes edited by hand, {len(unlisted)} of them not in 'changes'; "
              f"{len(unedited)} listed in 'changes' but not edited: {unedited}")
        sys.exit(1 if unlisted or unedited else 0)
    elif args.doc:
        with open(TABLE, encoding="utf-8") as f:
            table = json.load(f)
        with open(DOC, encoding="utf-8") as f:
            text = f.read()
        with open(DOC, "w", encoding="utf-8") as f:
            f.write(doc_with_changes(text, table))
        print("wrote", DOC)
    else:
        ap.print_help()


if __name__ == "__main__":
    main()
