"""Reproducible training of the vocalisation classifier: data -> log-mel -> CNN -> .tflite + evaluation.

Run from the repository root:  /usr/bin/python3 edge-ml/training/train.py
(Debian packages python3-torch, python3-numpy, python3-flatbuffers; CPU only, two threads.)
Writes:
  edge-ml/src/main/resources/com/pettysync/ml/vocal/vocalization.tflite   the model
  edge-ml/src/test/resources/com/pettysync/ml/vocal/export-check.bin      test features + torch outputs
  edge-ml/training/out/metrics.json                                       held-out metrics (model card)
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
import features  # noqa: E402
import synth  # noqa: E402
import tflite_writer as tw  # noqa: E402

SEED = 20261124
TRAIN_PER_CLASS = 500
VAL_PER_CLASS = 60
TEST_PER_CLASS = 150
EPOCHS = 14
CHECK_EXAMPLES = 20
MODEL_VERSION = 2
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
        self.fc = nn.Linear(32, len(synth.CLASSES))
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
    return np.stack([features.log_mel(x) for x in xs])[:, None, :, :]


def export(model, path):
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
    fw = g.tensor("fc/w", [len(synth.CLASSES), 32], data=model.fc.weight.detach().numpy())
    fb = g.tensor("fc/b", [len(synth.CLASSES)], data=model.fc.bias.detach().numpy())
    logits = g.tensor("logits", [1, len(synth.CLASSES)])
    g.op(tw.FULLY_CONNECTED, [pooled, fw, fb], [logits], tw.OPT_FC, [])
    probs = g.tensor("probabilities", [1, len(synth.CLASSES)])
    g.op(tw.SOFTMAX, [logits], [probs], tw.OPT_SOFTMAX, [(0, "f32", 1.0)])
    meta = {
        "name": "pettysync-vocalization", "version": MODEL_VERSION, "classes": synth.CLASSES,
        "input": [1, h, w, 1], "output": [1, len(synth.CLASSES)], "sample_rate": features.SAMPLE_RATE,
        "win": features.WIN, "hop": features.HOP, "n_fft": features.N_FFT, "n_mels": features.N_MELS,
        "fmin": features.FMIN, "fmax": features.FMAX, "log_offset": features.LOG_OFFSET,
    }
    data = g.serialize([0], [probs], json.dumps(meta, separators=(",", ":")))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return data


def metrics(y_true, y_pred):
    k = len(synth.CLASSES)
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
        per[synth.CLASSES[c]] = {"precision": round(float(prec), 3), "recall": round(float(rec), 3), "f1": round(float(f1), 3)}
    return {"confusion_matrix": cm.tolist(), "per_class": per, "macro_f1": round(float(np.mean(f1s)), 4),
            "accuracy": round(float(np.trace(cm) / cm.sum()), 4), "labels": synth.CLASSES}


def main():
    t0 = time.time()
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    xtr, ytr = synth.dataset(SEED, TRAIN_PER_CLASS)
    xva, yva = synth.dataset(SEED + 1, VAL_PER_CLASS)
    xte, yte = synth.dataset(SEED + 2, TEST_PER_CLASS)
    ftr, fva, fte = (torch.tensor(featurize(x)) for x in (xtr, xva, xte))
    print(f"data + features: {time.time() - t0:.1f} s, train {len(ytr)}, val {len(yva)}, test {len(yte)}")
    ytr_t = torch.tensor(ytr)
    model = VocalNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS)
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(len(ytr), generator=gen)
        total = 0.0
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = nn.functional.cross_entropy(model.logits(ftr[idx]), ytr_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            va = (model(fva).argmax(1).numpy() == yva).mean()
        print(f"epoch {epoch + 1:2d} loss {total / len(ytr):.4f} val acc {va:.3f} ({time.time() - t0:.0f} s)")
    model.eval()
    with torch.no_grad():
        probs = model(fte).numpy()
    m = metrics(yte, probs.argmax(1))
    m["train_examples"] = int(len(ytr))
    m["test_examples"] = int(len(yte))
    m["seed"] = SEED
    m["parameters"] = int(sum(p.numel() for p in model.parameters()))
    data = export(model, MODEL_PATH)
    m["tflite_bytes"] = len(data)
    m["train_seconds"] = round(time.time() - t0, 1)
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, "metrics.json"), "w") as f:
        json.dump(m, f, indent=1)
    # export check: first CHECK_EXAMPLES test examples (balanced by construction), features + torch output
    n = CHECK_EXAMPLES
    feats = fte[:n].numpy()[:, 0, :, :].astype("<f4")
    os.makedirs(os.path.dirname(CHECK_PATH), exist_ok=True)
    with open(CHECK_PATH, "wb") as f:
        f.write(struct.pack("<4i", n, features.FRAMES, features.N_MELS, len(synth.CLASSES)))
        f.write(feats.tobytes())
        f.write(probs[:n].astype("<f4").tobytes())
        f.write(np.asarray(yte[:n], dtype="<i4").tobytes())
    # one raw clip + its python log-mel, so the Java front end is checked against this one
    fe_path = os.path.join(os.path.dirname(CHECK_PATH), "frontend-check.bin")
    pcm = np.round(xte[0] * 32768).astype("<i2")
    with open(fe_path, "wb") as f:
        f.write(struct.pack("<3i", len(pcm), features.FRAMES, features.N_MELS))
        f.write(pcm.tobytes())
        f.write(features.log_mel(pcm.astype(np.float64) / 32768.0).astype("<f4").tobytes())
    print(json.dumps({k: m[k] for k in ("macro_f1", "accuracy", "tflite_bytes", "parameters", "train_seconds")}))
    print("confusion (rows true, cols predicted):", synth.CLASSES)
    for row in m["confusion_matrix"]:
        print(row)


if __name__ == "__main__":
    main()
