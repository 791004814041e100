"""Energy-gate margin on real background noise: how often the gate opens on background alone, and how often it
opens for a vocalisation over that background, for several margins (EnergyGate.standard() uses the chosen one).

Run from the repository root after realdata.py:  /usr/bin/python3 edge-ml/training/gate.py
Background: every real file of role "noise" (wind, rain, water, engines, speech; realdata.py), looped to 60 s
at -45, -35 and -25 dBFS. Vocalisations: the real dog clips and synthetic ones (synth.py), 1 s each, added at
random times 3 ... 20 dB above the background's level. The gate is a copy of com.pettysync.ml.vocal.EnergyGate
(margin, -50 dBFS minimum, floor rise 0.001 per hop, 200 ms hangover). Writes training/out/gate.json.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import collar  # noqa: E402
import realdata  # noqa: E402
import synth  # noqa: E402

HOP = 160
MARGINS = [6.0, 9.0, 12.0, 15.0, 18.0]


def gate(levels, margin, min_dbfs=-50.0, rise=0.001, hangover_hops=20):
    floor = min(levels[0], min_dbfs - margin)
    hang = 0
    out = np.zeros(len(levels), bool)
    for i, lv in enumerate(levels):
        loud = lv >= floor + margin and lv >= min_dbfs
        floor = lv if lv < floor else floor + (lv - floor) * rise
        if loud:
            hang = hangover_hops
            out[i] = True
        elif hang > 0:
            hang -= 1
            out[i] = True
    return out


def hop_levels(x):
    n = len(x) // HOP
    e = np.mean(x[:n * HOP].reshape(n, HOP) ** 2, axis=1)
    return np.maximum(-120.0, 10 * np.log10(e + 1e-12))


def main():
    rows = [json.loads(line) for line in open(os.path.join(realdata.DATA, "manifest.jsonl"))]
    realdata.refuse_reserved({r["package"] for r in rows})
    noise = [collar.load_wav(os.path.join(realdata.DATA, r["clip"])) for r in rows if r["role"] == "noise"]
    dogs = [collar.load_wav(os.path.join(realdata.DATA, r["clip"])) for r in rows
            if r["role"] == "clip" and r["label"] != "other"]
    sx, sy = synth.dataset(7, 20)
    dogs += [x for x, y in zip(sx, sy) if y < 4]
    rng = np.random.default_rng(1)
    result = {m: {"background_open": [], "events_opened": 0, "events": 0} for m in MARGINS}
    for x in noise:
        if collar.rms(x) < 1e-4:
            continue
        bg = np.tile(x, int(60 * collar.SR / len(x)) + 1)[:60 * collar.SR]
        for level in (-45.0, -35.0, -25.0):
            b = bg / collar.rms(bg) * 10 ** (level / 20)
            mix = b.copy()
            starts = []
            for k in range(4):  # four events, in the second half (after the floor has settled)
                d = dogs[rng.integers(len(dogs))][:collar.SR]
                s = int((30 + 7 * k) * collar.SR)
                d = d / collar.rms(d) * 10 ** ((level + rng.uniform(3, 20)) / 20)
                mix[s:s + len(d)] += d
                starts.append((s // HOP, (s + len(d)) // HOP))
            for m in MARGINS:
                g_bg = gate(hop_levels(b), m)
                result[m]["background_open"].append(float(np.mean(g_bg[1000:])))  # after 10 s
                g = gate(hop_levels(np.clip(mix, -1, 1)), m)
                for a, z in starts:
                    result[m]["events"] += 1
                    result[m]["events_opened"] += bool(g[a:z].any())
    out = {}
    for m in MARGINS:
        r = result[m]
        out[f"{m:.0f} dB"] = {"background_open_share": round(float(np.mean(r["background_open"])), 4),
                              "background_open_p90": round(float(np.percentile(r["background_open"], 90)), 4),
                              "events_opened": round(r["events_opened"] / max(1, r["events"]), 4),
                              "events": r["events"]}
        print(f"margin {m:4.0f} dB: gate open {100 * out[f'{m:.0f} dB']['background_open_share']:.1f} % of "
              f"background (p90 {100 * out[f'{m:.0f} dB']['background_open_p90']:.1f} %), opens for "
              f"{100 * out[f'{m:.0f} dB']['events_opened']:.1f} % of {r['events']} vocalisations 3-20 dB over it")
    os.makedirs(os.path.join(HERE, "out"), exist_ok=True)
    with open(os.path.join(HERE, "out", "gate.json"), "w") as f:
        json.dump({"noise_files": len(noise), "margins": out}, f, indent=1)


if __name__ == "__main__":
    main()
