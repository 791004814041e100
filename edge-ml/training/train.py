"""Reproducible training of the vocalisation classifier on real recordings + synthetic dogs, evaluated held out
BY SOURCE PACKAGE, exported to .tflite.

Run from the repository root, after edge-ml/training/realdata.py has fetched the recordings:
    nice -n 10 /usr/bin/python3 edge-ml/training/train.py          # 15-25 min on 2 shared cores
(or the stages `fold 0`, `fold 1`, `fold 2`, `final` in parallel processes, then `report`)
(Debian packages python3-torch, python3-numpy, python3-flatbuffers; CPU only, at most two threads.)

Protocol:
  1. Real clips (manifest.jsonl, role "clip") are grouped by package into FOLDS folds. For each fold a model is
     trained on the other folds' packages + synthetic clips (synth.py) and tested on the fold's packages only,
     so no recording (or anything else from its package) is ever both trained on and tested. Background noise
     for augmentation also comes only from the training packages.
  2. The out-of-fold predictions of all folds give the held-out numbers (per-class precision/recall, confusion
     matrix, non-dog taken for dog, false episodes per hour of non-dog audio) and the reject thresholds: per dog
     class the lowest probability at which at most TARGET_FALSE_DOG / 4 of the held-out non-dog windows are taken
     for that class. (Chosen on the same out-of-fold windows they are reported on: slightly optimistic.)
  3. The shipped model is trained the same way on every package, with those thresholds in its metadata.
Writes:
  edge-ml/src/main/resources/com/pettysync/ml/vocal/vocalization.tflite   the model
  edge-ml/src/test/resources/com/pettysync/ml/vocal/export-check.bin      test features + torch outputs
  edge-ml/src/test/resources/com/pettysync/ml/vocal/frontend-check.bin    one clip + its python log-mel
  edge-ml/training/out/metrics.json                                       held-out metrics (model card)
  edge-ml/training/out/fold-K.npz, fold-K.pt, final.pt                   intermediate results (git-ignored)
  edge-ml/training/out/fold-K.tflite                                     fold K's model (trained without fold K's
                                                                         packages) with the shipped thresholds, for
                                                                         the Java false-episode bench (git-ignored)
"""
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import collar  # noqa: E402
import features  # noqa: E402
import realdata  # noqa: E402
import synth  # noqa: E402
import tflite_writer as tw  # noqa: E402

SEED = 20261206
FOLDS = 3
SYNTH_PER_CLASS = 240
DOG_WINDOWS_PER_CLIP = 30
OTHER_WINDOWS_PER_CLIP = 6
EPOCHS = 16
CHECK_EXAMPLES = 20
TARGET_FALSE_DOG = 0.04
MODEL_VERSION = 4
CLASSES = synth.CLASSES
DOG = 4  # classes below this index are dog vocalisations
ROOT = os.path.normpath(os.path.join(HERE, ".."))
MODEL_PATH = os.path.join(ROOT, "src/main/resources/com/pettysync/ml/vocal/vocalization.tflite")
CHECK_PATH = os.path.join(ROOT, "src/test/resources/com/pettysync/ml/vocal/export-check.bin")
OUT_DIR = os.path.join(HERE, "out")


class VocalNet(nn.Module):
    """Input [B, 1, 98, 40] log-mel; output [B, 5] class probabilities."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 12, 3, padding=1)
        self.c2 = nn.Conv2d(12, 24, 3, padding=1)
        self.c3 = nn.Conv2d(24, 32, 3, padding=1)
        self.c4 = nn.Conv2d(32, 32, 3, padding=1)
        self.fc = nn.Linear(32, len(CLASSES))
        self.pool = nn.MaxPool2d(2)

    def logits(self, x):
        x = self.pool(torch.relu(self.c1(x)))
        x = self.pool(torch.relu(self.c2(x)))
        x = self.pool(torch.relu(self.c3(x)))
        x = torch.relu(self.c4(x))
        return self.fc(x.mean(dim=(2, 3)))

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=1)


def featurize(xs):
    return np.stack([features.log_mel(x) for x in xs])[:, None, :, :].astype(np.float32)


# ---------------------------------------------------------------- data

def load_manifest():
    path = os.path.join(realdata.DATA, "manifest.jsonl")
    if not os.path.exists(path):
        sys.exit(f"{path} missing: run edge-ml/training/realdata.py first")
    rows = [json.loads(line) for line in open(path)]
    realdata.refuse_reserved({r["package"] for r in rows})
    for r in rows:
        r["audio"] = collar.load_wav(os.path.join(realdata.DATA, r["clip"]))
    return rows


def assign_folds(rows):
    """Packages -> fold: packages with dog clips spread first (largest first), then the rest by size."""
    size = {}
    dog = {}
    for r in rows:
        size[r["package"]] = size.get(r["package"], 0) + r["seconds"]
        if r["role"] == "clip" and r["label"] != "other":
            dog[r["package"]] = dog.get(r["package"], 0) + 1
    load = [0.0] * FOLDS
    dogs = [0] * FOLDS
    fold = {}
    for p in sorted(dog, key=lambda p: -dog[p]):
        f = int(np.argmin(dogs))
        fold[p] = f
        dogs[f] += dog[p]
        load[f] += size[p]
    for p in sorted(size, key=lambda p: -size[p]):
        if p not in fold:
            f = int(np.argmin(load))
            fold[p] = f
            load[f] += size[p]
    return fold


def train_set(rng, rows, synth_x, synth_y):
    """Training windows: synthetic clips (half of them collar-augmented with real noise) + augmented real clips."""
    pool = [r["audio"] for r in rows if len(r["audio"]) >= 4000]
    xs, ys, ws = [], [], []
    for x, y in zip(synth_x, synth_y):
        xs.append(collar.collar(rng, x, pool) if rng.random() < 0.5 else x)
        ys.append(int(y))
        ws.append(1.0)
    for r in rows:
        if r["role"] != "clip":
            continue
        label = CLASSES.index(r["label"])
        k = DOG_WINDOWS_PER_CLIP if label < DOG else OTHER_WINDOWS_PER_CLIP
        for _ in range(k):
            w = collar.window_from(rng, collar.speed(rng, r["audio"]) if label < DOG else r["audio"],
                                   loudest=label < DOG)
            xs.append(collar.collar(rng, w, pool) if rng.random() < 0.8 else w)
            ys.append(label)
            ws.append(float(r["label_confidence"]))
    return np.array(xs), np.array(ys), np.array(ws, dtype=np.float32)


def test_windows(rng, rows, pool):
    """Held-out windows of real clips: the loudest second of each dog clip, up to 3 seconds of each other clip;
    each once as recorded and once as a collar hears it (real noise from the training packages, 5-25 dB SNR)."""
    xs, ys, src = [], [], []
    for r in rows:
        if r["role"] != "clip":
            continue
        label = CLASSES.index(r["label"])
        a = r["audio"]
        pieces = [collar.window_from(rng, a, loudest=True)] if label < DOG else \
            [collar.window_from(rng, a[k:k + collar.N]) for k in range(0, max(1, len(a) - collar.N // 2), collar.N)][:3]
        for w in pieces:
            w = w / (np.max(np.abs(w)) + 1e-9) * 10 ** (rng.uniform(-30, -3) / 20)
            for heard in ("as recorded", "collar"):
                x = w if heard == "as recorded" else collar.collar(rng, w, pool, snr_db=(5, 25), p_clip=0.1)
                xs.append(np.round(x * 32767) / 32768.0)
                ys.append(label)
                src.append((r["package"], r["path"], heard))
    return np.array(xs), np.array(ys), src


# ---------------------------------------------------------------- model

def fit(xtr, ytr, wtr, seed, log):
    torch.manual_seed(seed)
    ftr = torch.tensor(featurize(xtr))
    y = torch.tensor(ytr)
    counts = np.bincount(ytr, minlength=len(CLASSES)).astype(np.float64)
    class_w = torch.tensor((counts.sum() / (len(CLASSES) * np.maximum(counts, 1))), dtype=torch.float32)
    w = torch.tensor(wtr)
    model = VocalNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(len(y), generator=gen)
        total = 0.0
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = nn.functional.cross_entropy(model.logits(ftr[idx]), y[idx], weight=class_w, reduction="none")
            loss = (loss * w[idx]).sum() / w[idx].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        log(f"  epoch {epoch + 1:2d} loss {total / len(y):.4f}")
    model.eval()
    return model


def predict(model, xs):
    with torch.no_grad():
        return model(torch.tensor(featurize(xs))).numpy()


def decide(probs, threshold):
    """The pipeline's rule: a dog class only when it is the top class with p >= its threshold, else other.
    threshold: one number or one per dog class (bark, growl, whine, howl)."""
    top = probs.argmax(1)
    t = np.broadcast_to(np.asarray(threshold, dtype=np.float64), (DOG,))
    need = np.where(top < DOG, t[np.minimum(top, DOG - 1)], 2.0)
    return np.where((top < DOG) & (probs.max(1) >= need), top, DOG)


def calibrate(p, y):
    """Per dog class, the lowest threshold (0.50 ... 0.99) at which at most TARGET_FALSE_DOG / 4 of the held-out
    non-dog windows are taken for that class: the false-dog budget is shared equally by the four classes."""
    other = p[y == DOG]
    top = other.argmax(1)
    out = []
    for c in range(DOG):
        t = 0.99
        for cand in np.arange(0.50, 0.995, 0.01):
            if np.mean((top == c) & (other.max(1) >= cand)) <= TARGET_FALSE_DOG / DOG:
                t = float(round(cand, 2))
                break
        out.append(t)
    return out


def metrics(y_true, y_pred):
    k = len(CLASSES)
    cm = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        cm[t, p] += 1
    per = {}
    f1s = []
    for c in range(k):
        tp = cm[c, c]
        prec = tp / max(1, cm[:, c].sum())
        rec = tp / max(1, cm[c, :].sum())
        f1 = 0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
        f1s.append(f1)
        per[CLASSES[c]] = {"precision": round(float(prec), 3), "recall": round(float(rec), 3),
                           "f1": round(float(f1), 3), "support": int(cm[c, :].sum())}
    other = cm[DOG, :].sum()
    present = [c for c in range(k) if cm[c, :].sum() > 0]  # a class with no test example has no F1 to average
    return {"confusion_matrix": cm.tolist(), "per_class": per,
            "macro_f1": round(float(np.mean([f1s[c] for c in present])), 4),
            "classes_without_test_examples": [CLASSES[c] for c in range(k) if c not in present],
            "accuracy": round(float(np.trace(cm) / max(1, cm.sum())), 4),
            "non_dog_as_dog": round(float(cm[DOG, :DOG].sum() / max(1, other)), 4), "examples": int(cm.sum())}


# ---------------------------------------------------------------- export

def export(model, path, threshold):
    g = tw.Graph()
    h, w = features.FRAMES, features.N_MELS
    x = g.tensor("log_mel", [1, h, w, 1])
    shape = [h, w]
    convs = [model.c1, model.c2, model.c3, model.c4]
    for i, conv in enumerate(convs):
        wt = conv.weight.detach().numpy().transpose(0, 2, 3, 1)  # OIHW -> OHWI
        wi = g.tensor(f"c{i + 1}/w", wt.shape, data=wt)
        bi = g.tensor(f"c{i + 1}/b", [wt.shape[0]], data=conv.bias.detach().numpy())
        y = g.tensor(f"c{i + 1}/relu", [1, shape[0], shape[1], wt.shape[0]])
        g.op(tw.CONV_2D, [x, wi, bi], [y], tw.OPT_CONV,
             [(0, "i8", tw.SAME), (1, "i32", 1), (2, "i32", 1), (3, "i8", tw.RELU)])
        x = y
        if i < 3:
            shape = [shape[0] // 2, shape[1] // 2]
            y = g.tensor(f"p{i + 1}", [1, shape[0], shape[1], wt.shape[0]])
            g.op(tw.MAX_POOL_2D, [x], [y], tw.OPT_POOL,
                 [(0, "i8", tw.VALID), (1, "i32", 2), (2, "i32", 2), (3, "i32", 2), (4, "i32", 2)])
            x = y
    axes = g.tensor("mean/axes", [2], tw.INT32, data=np.array([1, 2], dtype=np.int32))
    pooled = g.tensor("mean", [1, 32])
    g.op(tw.MEAN, [x, axes], [pooled], tw.OPT_REDUCER, [(0, "bool", False)])
    fw = g.tensor("fc/w", [len(CLASSES), 32], data=model.fc.weight.detach().numpy())
    fb = g.tensor("fc/b", [len(CLASSES)], data=model.fc.bias.detach().numpy())
    logits = g.tensor("logits", [1, len(CLASSES)])
    g.op(tw.FULLY_CONNECTED, [pooled, fw, fb], [logits], tw.OPT_FC, [])
    probs = g.tensor("probabilities", [1, len(CLASSES)])
    g.op(tw.SOFTMAX, [logits], [probs], tw.OPT_SOFTMAX, [(0, "f32", 1.0)])
    meta = {
        "name": "pettysync-vocalization", "version": MODEL_VERSION, "classes": CLASSES,
        "input": [1, h, w, 1], "output": [1, len(CLASSES)], "sample_rate": features.SAMPLE_RATE,
        "win": features.WIN, "hop": features.HOP, "n_fft": features.N_FFT, "n_mels": features.N_MELS,
        "fmin": features.FMIN, "fmax": features.FMAX, "log_offset": features.LOG_OFFSET,
        "min_probability": "@T@",
    }
    text = json.dumps(meta, separators=(",", ":")).replace('"@T@"', "[" + ",".join(f"{t:.2f}" for t in threshold) + "]")
    data = g.serialize([0], [probs], text)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return data


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run_fold(f, rows, fold_of):
    """Train without fold f's packages, predict its held-out windows and its non-dog streams (out/fold-f.npz)."""
    rng = np.random.default_rng(SEED + 10 * f)
    sx, sy = synth.dataset(SEED, SYNTH_PER_CLASS)
    train_rows = [r for r in rows if fold_of[r["package"]] != f]
    test_rows = [r for r in rows if fold_of[r["package"]] == f]
    pool = [r["audio"] for r in train_rows if len(r["audio"]) >= 4000]
    xtr, ytr, wtr = train_set(rng, train_rows, sx, sy)
    xte, yte, src = test_windows(rng, test_rows, pool)
    log(f"fold {f}: train {len(ytr)} windows {np.bincount(ytr, minlength=5).tolist()}, "
        f"test {len(yte)} {np.bincount(yte, minlength=5).tolist()}")
    model = fit(xtr, ytr, wtr, SEED + f, log)
    streams = [r["audio"] for r in test_rows if r["role"] == "clip" and r["label"] == "other"]
    stream_probs = [predict(model, stream_windows(a)) for a in streams]
    torch.save({"state": model.state_dict()}, os.path.join(OUT_DIR, f"fold-{f}.pt"))
    np.savez(os.path.join(OUT_DIR, f"fold-{f}.npz"), probs=predict(model, xte), y=yte,
             src=np.array(["\t".join(s) for s in src]), seconds=np.array([len(a) / collar.SR for a in streams]),
             stream_probs=np.array(stream_probs, dtype=object), allow_pickle=True)


def stream_windows(a):
    """A non-dog clip as the pipeline sees it: 1 s windows every 0.5 s (at a fixed, audible level)."""
    a = a / (np.max(np.abs(a)) + 1e-9) * 0.3
    if len(a) < collar.N:
        a = np.concatenate([a, np.zeros(collar.N - len(a))])
    return np.array([a[s:s + collar.N] for s in range(0, len(a) - collar.N + 1, collar.N // 2)])


def run_final(rows):
    rng = np.random.default_rng(SEED + 99)
    sx, sy = synth.dataset(SEED, SYNTH_PER_CLASS)
    xtr, ytr, wtr = train_set(rng, rows, sx, sy)
    log(f"final: train {len(ytr)} windows {np.bincount(ytr, minlength=5).tolist()}")
    model = fit(xtr, ytr, wtr, SEED + 99, log)
    torch.save({"state": model.state_dict(), "train_examples": int(len(ytr))}, os.path.join(OUT_DIR, "final.pt"))


def report(rows, fold_of):
    folds = [np.load(os.path.join(OUT_DIR, f"fold-{f}.npz"), allow_pickle=True) for f in range(FOLDS)]
    p = np.concatenate([d["probs"] for d in folds])
    y = np.concatenate([d["y"] for d in folds])
    src = [tuple(s.split("\t")) for d in folds for s in d["src"]]
    threshold = calibrate(p, y)
    heard = np.array([s[2] for s in src])
    m = {"protocol": f"{FOLDS}-fold cross-validation by source package", "threshold": threshold,
         "folds": {p_: f for p_, f in sorted(fold_of.items())}}
    for name, mask in (("all", np.ones(len(y), bool)), ("as_recorded", heard == "as recorded"),
                       ("collar", heard == "collar")):
        m[name] = metrics(y[mask], decide(p[mask], threshold))
        m[name + "_at_0.5"] = metrics(y[mask], decide(p[mask], 0.5))
    real_dog = y < DOG
    m["real_dog_windows"] = [{"file": f"{s[0]}:{s[1]}", "heard": s[2], "true": CLASSES[int(t)],
                              "predicted": CLASSES[int(d)], "p": [round(float(v), 3) for v in pr]}
                             for s, t, d, pr in zip(src, y, decide(p, threshold), p) if t < DOG]
    episodes, seconds = 0, 0.0
    for d in folds:
        for probs, secs in zip(d["stream_probs"], d["seconds"]):
            dog = decide(probs, threshold) < DOG
            episodes += int(np.sum(dog[1:] & ~dog[:-1]) + dog[0]) if len(dog) else 0
            seconds += float(max(secs, 1.0))
    m["false_episodes_per_hour"] = round(episodes / (seconds / 3600.0), 2)
    m["false_episodes"] = episodes
    m["non_dog_seconds"] = round(seconds, 1)
    wrong = [f"{s[0]}:{s[1]} ({s[2]}) -> {CLASSES[int(d)]}" for s, t, d in zip(src, y, decide(p, threshold))
             if t == DOG and d < DOG]
    m["non_dog_taken_for_dog"] = wrong
    log(f"held out: thresholds {threshold} macro-F1 {m['all']['macro_f1']} (as recorded "
        f"{m['as_recorded']['macro_f1']}, collar {m['collar']['macro_f1']}), non-dog as dog "
        f"{m['all']['non_dog_as_dog']}, false episodes/h {m['false_episodes_per_hour']}")
    # the shipped model
    saved = torch.load(os.path.join(OUT_DIR, "final.pt"))
    model = VocalNet()
    model.load_state_dict(saved["state"])
    model.eval()
    stx, sty = synth.dataset(SEED + 2, 60)
    m["synthetic_test"] = metrics(sty, decide(predict(model, stx), threshold))
    m["train_examples"] = saved["train_examples"]
    m["seed"] = SEED
    m["parameters"] = int(sum(q.numel() for q in model.parameters()))
    data = export(model, MODEL_PATH, threshold)
    m["tflite_bytes"] = len(data)
    for f in range(FOLDS):
        held_out = VocalNet()
        held_out.load_state_dict(torch.load(os.path.join(OUT_DIR, f"fold-{f}.pt"))["state"])
        export(held_out.eval(), os.path.join(OUT_DIR, f"fold-{f}.tflite"), threshold)
    m["labels"] = CLASSES
    with open(os.path.join(OUT_DIR, "metrics.json"), "w") as f:
        json.dump(m, f, indent=1)
    # export check: synthetic and real windows of every class, features + torch output
    pool = [r["audio"] for r in rows if len(r["audio"]) >= 4000]
    xr, yr, _ = test_windows(np.random.default_rng(SEED + 5), rows, pool)
    pick_s = [i for c in range(len(CLASSES)) for i in np.where(sty == c)[0][:2]]
    pick_r = [i for c in range(len(CLASSES)) for i in np.where(yr == c)[0][:2]]
    xs = np.concatenate([stx[pick_s], xr[pick_r]])[:CHECK_EXAMPLES]
    ys = np.concatenate([sty[pick_s], yr[pick_r]])[:CHECK_EXAMPLES]
    feats = featurize(xs)
    probs = predict(model, xs)
    os.makedirs(os.path.dirname(CHECK_PATH), exist_ok=True)
    with open(CHECK_PATH, "wb") as f:
        f.write(struct.pack("<4i", len(xs), features.FRAMES, features.N_MELS, len(CLASSES)))
        f.write(feats[:, 0].astype("<f4").tobytes())
        f.write(probs.astype("<f4").tobytes())
        f.write(np.asarray(ys, dtype="<i4").tobytes())
    fe_path = os.path.join(os.path.dirname(CHECK_PATH), "frontend-check.bin")
    pcm = np.round(xr[0] * 32768).astype("<i2")
    with open(fe_path, "wb") as f:
        f.write(struct.pack("<3i", len(pcm), features.FRAMES, features.N_MELS))
        f.write(pcm.tobytes())
        f.write(features.log_mel(pcm.astype(np.float64) / 32768.0).astype("<f4").tobytes())
    print(json.dumps({"macro_f1": m["all"]["macro_f1"], "tflite_bytes": len(data), "threshold": threshold}))
    for row in m["all"]["confusion_matrix"]:
        print(row)


def main():
    """No argument: every stage in order. `fold K`, `final`, `report`: one stage (folds and final may run in
    parallel processes; report needs all of them)."""
    torch.set_num_threads(1 if len(sys.argv) > 1 else 2)
    os.makedirs(OUT_DIR, exist_ok=True)
    rows = load_manifest()
    fold_of = assign_folds(rows)
    stage = sys.argv[1:] or ["all"]
    if stage[0] in ("fold", "all"):
        if stage[0] == "all":
            log(f"{len(rows)} real files from {len(fold_of)} packages; folds: "
                + "; ".join(f"{f}: " + ", ".join(sorted(q for q in fold_of if fold_of[q] == f)) for f in range(FOLDS)))
        for f in ([int(stage[1])] if stage[0] == "fold" else range(FOLDS)):
            run_fold(f, rows, fold_of)
    if stage[0] in ("final", "all"):
        run_final(rows)
    if stage[0] in ("report", "all"):
        report(rows, fold_of)


if __name__ == "__main__":
    main()
