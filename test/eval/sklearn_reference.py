#!/usr/bin/python3
"""Reference values for src/core/eval, computed by scikit-learn (Debian python3-sklearn 1.2.1).

Prints one JSON object: fixed inputs (seeded numpy; float32 values, so JS reads them exactly)
and what scikit-learn (or, for retrieval, a plain numpy transcription of the Derm1M fork's
get_clip_metrics) computes on them. test/eval/sklearn.test.ts runs this script and compares.
Usage: /usr/bin/python3 test/eval/sklearn_reference.py > out.json
"""
import json
import math
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix, f1_score,
                             precision_recall_fscore_support, roc_auc_score, top_k_accuracy_score)

warnings.simplefilter("ignore", UndefinedMetricWarning)
warnings.simplefilter("ignore", UserWarning)  # balanced accuracy: "y_pred contains classes not in y_true"
KS = [1, 3, 5]


def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def f32(a):
    return np.asarray(a, dtype=np.float32)


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return f32(e / e.sum(axis=1, keepdims=True))


def metrics(scores, labels, K):
    """Every metric of core/eval/classification.ts, by scikit-learn, on the labelled rows."""
    keep = labels >= 0
    s, y = scores[keep].astype(np.float64), labels[keep]
    if len(y) == 0:
        return {"n": 0}
    pred = np.argmax(s, axis=1)
    p, r, f, sup = precision_recall_fscore_support(y, pred, labels=list(range(K)), zero_division=0)
    out = {
        "n": int(len(y)),
        "accuracy": accuracy_score(y, pred),
        "balancedAccuracy": balanced_accuracy_score(y, pred),
        "macroF1": f1_score(y, pred, average="macro", zero_division=0),
        "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": sup.tolist(),
        "confusion": confusion_matrix(y, pred, labels=list(range(K))).tolist(),
    }
    topk = []
    for k in KS:
        if K == 2:
            topk.append(top_k_accuracy_score(y, s[:, 1], k=k, labels=[0, 1]))
        else:
            topk.append(top_k_accuracy_score(y, s, k=k, labels=list(range(K))))
    out["topK"] = topk
    per = []
    for c in range(K):
        pos = y == c
        per.append(roc_auc_score(pos, s[:, c]) if 0 < pos.sum() < len(y) else None)
    out["aurocPerClass"] = per
    if K == 2:
        out["auroc"] = roc_auc_score(y, s[:, 1]) if len(set(y.tolist())) == 2 else None
    else:
        used = [a for a in per if a is not None]
        out["auroc"] = float(np.mean(used)) if used else None
        # with every class present, sklearn's own one-vs-rest macro must agree
        if len(used) == K and np.allclose(s.sum(axis=1), 1):
            out["aurocSklearnOvr"] = roc_auc_score(y, s, multi_class="ovr", average="macro", labels=list(range(K)))
    return out


def classification_cases(rng):
    cases = []

    def add(name, scores, labels, K, strata=None):
        scores, labels = f32(scores), np.asarray(labels, dtype=np.int64)
        case = {"name": name, "numClasses": K, "scores": scores.ravel().tolist(), "labels": labels.tolist(),
                "expected": metrics(scores, labels, K)}
        if strata is not None:
            groups = {}
            for i, v in enumerate(strata):
                key = None if v in (None, "") else str(v)
                groups.setdefault(key, []).append(i)
            exp = []
            for key, idx in groups.items():
                lab = np.full(len(labels), -1)
                lab[idx] = labels[idx]
                exp.append({"value": key, "samples": len(idx), "expected": metrics(scores, lab, K)})
            case["strata"] = {"column": "fitzpatrick", "values": list(strata), "groups": exp}
        cases.append(case)

    # 7 classes, softmax of random logits, a few unlabelled samples, stratified by a column with gaps
    K, n = 7, 300
    y = rng.randint(0, K, n)
    logits = rng.randn(n, K) * 1.5
    logits[np.arange(n), y] += 1.2
    y[rng.rand(n) < 0.05] = -1
    fitz = [["I", "II", "III", "IV", "V", "VI", ""][i] for i in rng.randint(0, 7, n)]
    fitz[3] = None
    add("softmax-7-strata", softmax(logits), y, K, strata=fitz)

    # heavy ties: rows are permutations of a few probability vectors (within-row and across-row ties)
    K, n = 5, 120
    base = np.array([[0.5, 0.25, 0.25, 0, 0], [0.25, 0.25, 0.25, 0.25, 0], [1, 0, 0, 0, 0], [0.2] * 5, [0.5, 0.5, 0, 0, 0]])
    rows = np.stack([rng.permutation(base[rng.randint(len(base))]) for _ in range(n)])
    add("ties-5", rows, rng.randint(0, K, n), K)

    # empty classes: class 3 in neither truth nor predictions, class 5 predicted but never true
    K, n = 6, 150
    y = rng.choice([0, 1, 2, 4], n)
    logits = rng.randn(n, K)
    logits[:, 3] -= 20
    logits[np.arange(n), y] += 1.0
    logits[rng.rand(n) < 0.1, 5] += 6
    add("empty-classes-6", softmax(logits), y, K)

    # raw cosines (not probabilities), 3 classes, quantised for ties; top-5 >= K
    K, n = 3, 90
    add("cosines-3-ties", np.round(rng.uniform(-0.2, 0.4, (n, K)) * 16) / 16, rng.randint(0, K, n), K)

    # binary, probabilities with ties (multiples of 1/8)
    n = 80
    p1 = rng.randint(0, 9, n) / 8
    add("binary-ties", np.stack([1 - p1, p1], axis=1), rng.randint(0, 2, n), 2)

    # binary, one class only in the truth: AUROC undefined
    n = 30
    p1 = rng.rand(n)
    add("binary-one-class", np.stack([1 - p1, p1], axis=1), np.zeros(n, dtype=int), 2)
    return cases


def retrieval_rank(sim, q_labels, g_labels):
    """Paper: ranking = argsort descending (stable), rank = first position of a relevant item."""
    ranks, skipped = [], 0
    for q in range(sim.shape[0]):
        rel = g_labels == q_labels[q]
        if q_labels[q] < 0 or not rel.any():
            skipped += 1
            continue
        order = np.argsort(-sim[q], kind="stable")
        ranks.append(int(np.where(rel[order])[0][0]))
    ranks = np.array(ranks)
    return {"queries": len(ranks), "skipped": skipped,
            "recall": [float(np.mean(ranks < k)) for k in (1, 5, 10)],
            "meanRank": float(ranks.mean() + 1), "medianRank": float(np.floor(np.median(ranks)) + 1)}


def unit(m):
    return f32(m / np.linalg.norm(m, axis=1, keepdims=True))


def retrieval_cases(rng):
    cases = []
    d = 16
    # paired (the paper's setting): caption i belongs to image i
    n = 60
    img = unit(rng.randn(n, d))
    txt = unit(img + 0.9 * rng.randn(n, d))
    lab = np.arange(n)
    cases.append((img, lab, txt, lab, "paired"))
    # labelled collection vs one text per class, with unlabelled photos and a class with no photo
    n, K = 200, 6
    centers = unit(rng.randn(K, d))
    y = rng.randint(0, K - 1, n)
    img = unit(centers[y] + 0.8 * rng.randn(n, d))
    y[:5] = -1
    cases.append((img, y, centers, np.arange(K), "labelled-classes"))
    # ties: embeddings quantised so many scores coincide
    n = 50
    img = f32(np.round(rng.randn(n, 4)) / 2)
    txt = f32(np.round(rng.randn(n, 4)) / 2)
    cases.append((img, rng.randint(0, 5, n), txt, rng.randint(0, 5, n), "ties"))
    out = []
    for img, il, txt, tl, name in cases:
        # float64 products rounded to float32, as core/eval/scores.ts (not BLAS sgemm's order)
        sim = f32(img.astype(np.float64) @ txt.astype(np.float64).T)
        out.append({"name": name, "dim": int(img.shape[1]), "images": img.ravel().tolist(), "imageLabels": np.asarray(il).tolist(),
                    "texts": txt.ravel().tolist(), "textLabels": np.asarray(tl).tolist(),
                    "imageToText": retrieval_rank(sim, il, tl), "textToImage": retrieval_rank(sim.T, tl, il)})
    return out


def probe_cases(rng):
    out = []
    for name, K, d, spread, n_train, n_test, C in [("moderate", 5, 32, 2.5, 250, 1000, 1.0), ("overlapping", 6, 48, 4.0, 400, 1500, 10.0), ("few-shot", 7, 64, 3.0, 35, 1400, 1.0)]:
        centers = rng.randn(K, d)
        y = rng.randint(0, K, n_train + n_test)
        x = unit(centers[y] + spread * rng.randn(len(y), d))
        train = np.arange(n_train)
        test = np.arange(n_train, len(y))
        clf = LogisticRegression(multi_class="multinomial", C=C, tol=1e-10, max_iter=10000)
        clf.fit(x[train].astype(np.float64), y[train])
        pred = clf.predict(x[test].astype(np.float64))
        out.append({"name": name, "dim": d, "numClasses": K, "c": C, "x": x.ravel().tolist(), "y": y.tolist(),
                    "train": train.tolist(), "test": test.tolist(), "predicted": pred.tolist(),
                    "accuracy": float(np.mean(pred == y[test])), "coef": clf.coef_.ravel().tolist()})
    return out


def main():
    rng = np.random.RandomState(20260412)
    doc = {"sklearn": sklearn.__version__, "ks": KS, "classification": classification_cases(rng),
           "retrieval": retrieval_cases(rng), "probe": probe_cases(rng)}
    print(json.dumps(doc, default=lambda o: o.item() if hasattr(o, "item") else str(o)).replace("NaN", "null"))


if __name__ == "__main__":
    main()
