"""Reads a labelled voice set written by `pettysync cloud dataset --since DAY --out DIR` (simulator module).

Layout:
  DIR/labels.csv   file,thing,time,t0_ms,duration_ms,label,conf_pct,mood,mood_conf_pct,corrected
  DIR/clips/*.wav  16 kHz mono PCM s16le (the collar's clips, joined by the cloud)

`label` is the collar's on-device class; `corrected`, when a reviewer filled it, is the true class and wins.
load() returns clips in the form synth.dataset() does: 1 s windows (features.WINDOW_SAMPLES samples, int16 / 32768,
the clip's first second, zero-padded when shorter) and class indexes into synth.CLASSES, so train.py can mix them with
or replace the synthetic set. Rows whose class is not one of synth.CLASSES are skipped and counted.

  /usr/bin/python3 edge-ml/training/dataset.py DIR     # prints the class counts of a set
"""
import csv
import os
import sys
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features  # noqa: E402
import synth  # noqa: E402


def read_wav(path):
    """int16 samples of a 16 kHz mono 16-bit WAV, scaled to [-1, 1)."""
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2 or w.getframerate() != features.SAMPLE_RATE:
            raise ValueError(f"{path}: want 16 kHz mono 16-bit, got {w.getframerate()} Hz, "
                             f"{w.getnchannels()} ch, {8 * w.getsampwidth()} bit")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float64) / 32768.0


def load(directory):
    """(xs, ys, skipped): xs [N, WINDOW_SAMPLES] float64, ys [N] class indexes."""
    xs, ys, skipped = [], [], 0
    with open(os.path.join(directory, "labels.csv"), newline="") as f:
        for row in csv.DictReader(f):
            name = (row.get("corrected") or "").strip() or row["label"]
            if name not in synth.CLASSES:
                skipped += 1
                continue
            x = read_wav(os.path.join(directory, row["file"]))[: features.WINDOW_SAMPLES]
            xs.append(np.pad(x, (0, features.WINDOW_SAMPLES - len(x))))
            ys.append(synth.CLASSES.index(name))
    return np.array(xs).reshape(-1, features.WINDOW_SAMPLES), np.array(ys, dtype=np.int64), skipped


if __name__ == "__main__":
    xs, ys, skipped = load(sys.argv[1])
    counts = {c: int((ys == i).sum()) for i, c in enumerate(synth.CLASSES)}
    print(f"{len(ys)} clips {counts}, {skipped} skipped; log-mel of the first: "
          f"{features.log_mel(xs[0]).shape if len(ys) else None}")
