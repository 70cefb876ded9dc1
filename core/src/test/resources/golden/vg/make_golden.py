#!/usr/bin/python3
"""Reference caption list for the Visual Genome fixture in this folder.

Transcribes VisualGenomeCaptions.parse_annotations, process_word and process_synset of
GT-RIPL/Xmodal-Ctx ctx/dataset.py (the file ctx/encode_captions.py imports) statement by
statement, minus tqdm and prints, so the Java port can be checked against the original's logic,
including its quirks:
  * `objs[n] = _attrs` stores the *same* set object for every name first seen in one object,
    and later `objs[n] |= ...` mutates that shared set: names introduced together share their
    attributes from then on (fixture objects 6-9 and 20-22 pin this);
  * strip() runs before control characters are deleted, so " \\x01 x" keeps a leading space;
  * np.unique sorts by code point (numpy str arrays are UCS4).

Run with Debian's Python:  /usr/bin/python3 make_golden.py   (writes expected_captions.json)
"""
import itertools
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

escapes = ''.join([chr(char) for char in range(0, 32)])
translator = str.maketrans('', '', escapes)


def process_word(s):
    return s.lower().strip().translate(translator)


def process_synset(s):
    return s.lower().strip().translate(translator).split(".")[0]


def parse_annotations(ann_dir):
    objs = {}
    with open(ann_dir / "attributes.json", "r", encoding="utf-8") as f:
        attributes = json.load(f)
    for x in attributes:
        for a in x["attributes"]:
            _names = set(process_synset(y) for y in a.get("synsets", list()))
            _attrs = set(process_word(y) for y in a.get("attributes", list()))

            for n in _names:
                try:
                    objs[n] |= _attrs
                except KeyError:
                    objs[n] = _attrs
    del attributes

    rels = set()
    with open(ann_dir / "relationships.json", "r", encoding="utf-8") as f:
        relationships = json.load(f)
    for x in relationships:
        for r in x["relationships"]:
            _pred = process_word(r["predicate"])
            _subj = set(process_synset(y) for y in r["subject"]["synsets"])
            _obj = set(process_synset(y) for y in r["object"]["synsets"])

            for s in _subj:
                for o in _obj:
                    rels.add(f"{s}<sep>{_pred}<sep>{o}")
    del relationships

    caps_obj = []
    for o in objs.keys():
        for a in objs[o]:
            if a != "":
                caps_obj.append(f"{a} {o}")

    caps_rel = []
    for r in rels:
        s, p, o = r.split("<sep>")
        caps_rel.append(f"{s} {p} {o}")

    caps = np.unique(caps_obj + caps_rel).tolist()

    return caps


if __name__ == "__main__":
    captions = parse_annotations(HERE)
    with open(HERE / "expected_captions.json", "w", encoding="ascii") as f:
        json.dump(captions, f, ensure_ascii=True, indent=0)
        f.write("\n")
    print(f"{len(captions)} captions -> expected_captions.json")
