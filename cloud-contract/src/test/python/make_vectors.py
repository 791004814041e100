#!/usr/bin/python3
"""Independent reference encoder for the PettySync wire contract v1 golden vectors.

Written from ../shared/contract/wire-v1.md (sections 3, 3.1, 4, 5) without looking at the Java encoder:
it builds the frame as a Python dict with integer keys and lets cbor2 (canonical=True: shortest integers,
definite lengths, sorted keys) write it; trail thinning re-encodes the whole frame after every removal
instead of computing sizes. The Java tests decode every NAME.hex to NAME.json and encode NAME.json
(or NAME.input.json, the encoder input before thinning) back to NAME.hex.

Regenerate (from the repository root):
    /usr/bin/python3 cloud-contract/src/test/python/make_vectors.py
Needs python3-cbor2 (Debian/Ubuntu: apt-get install python3-cbor2).

Files written into cloud-contract/src/test/resources/vectors/:
    NAME.hex          the frame, lowercase hex, one line
    NAME.json         its decoded JSON form (section 3.1)
    NAME.input.json   (thinning vectors only) the encoder input with the full trail
    accept-NAME.hex   valid but not deterministic encodings; decode to accept-NAME.json
    reject-NAME.hex   invalid frames; reject-NAME.path holds the path of the offending field
    random-summaries.tsv  200 random valid summaries: encoder-input JSON <TAB> frame hex, per line
"""
import json
import os
import random

import cbor2

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "vectors")
BUDGET = 182

FLAGS = ["charging", "lost_mode", "clock_gnss", "clock_unsynced", "fault_hr", "fault_imu", "fault_gnss",
         "fault_mic", "outbox_dropped"]
MOODS = ["relaxed", "happy", "anxious", "angry", "sad"]
EVENT_TYPES = {  # code: (name, data field names)
    1: ("geofence_exit", ["fence_id", "lat_e7", "lon_e7"]),
    2: ("geofence_return", ["fence_id", "lat_e7", "lon_e7"]),
    3: ("hr_alert", ["bpm", "limit_bpm"]),
    4: ("low_battery", ["battery_pct"]),
    5: ("lost_mode_fix", ["lat_e7", "lon_e7", "hacc_dm"]),
    6: ("vocal_episode", ["class", "conf_pct", "clip_id"]),
    7: ("sensor_fault", ["sensor_bit", "code"]),
    8: ("firmware_applied", ["old_build", "new_build", "outcome"]),
}


def cbor(obj):
    return cbor2.dumps(obj, canonical=True)


def e5(e7):
    # P0,e5 = floor((e7 + 50) / 100); Python's // is floor division, also for negatives
    return (e7 + 50) // 100


def trail_deltas(d, points):
    """Flat [dlat, dlon, dt, ...] from absolute points (newest first), stepping back from P0/T0."""
    loc = d["loc"]
    lat, lon = e5(loc["lat_e7"]), e5(loc["lon_e7"])
    t = d["t0"] + d["dur"] - loc["age_s"]
    flat = []
    for p in points:
        flat += [lat - p["lat_e5"], lon - p["lon_e5"], t - p["t"]]
        assert t - p["t"] >= 1 and p["t"] >= d["t0"], "invalid trail in vector input"
        lat, lon, t = p["lat_e5"], p["lon_e5"], p["t"]
    return flat


def frame_map(d, points):
    m = {0: d["v"], 1: d["seq"], 2: d["t0"], 3: d["dur"]}
    if "hr" in d:
        h = d["hr"]
        m[4] = [h["mean_bpm"], h["min_bpm"], h["max_bpm"], h["rmssd_ms"], h["quality_pct"]]
    if "act" in d:
        a = d["act"]
        m[5] = [a["steps"], a["rest_s"], a["walk_s"], a["run_s"], a["play_s"], a["peak_mg"]]
    if "loc" in d:
        l = d["loc"]
        m[6] = [l["lat_e7"], l["lon_e7"], l["hacc_dm"], l["age_s"], trail_deltas(d, points)]
    if "mood" in d:
        o = d["mood"]
        m[7] = [MOODS.index(o["mood"]), o["conf_pct"], o["barks"], o["growls"], o["whines"], o["howls"]]
    if "dev" in d:
        v = d["dev"]
        flags = sum(1 << FLAGS.index(f) for f in v["flags"])
        m[8] = [v["battery_pct"], v["battery_mv"], v["temp_dc"], v["rssi_dbm"], v["backlog"], flags]
    if "fw" in d:
        m[9] = [d["fw"]["build"], d["fw"]["model"]]
    return m


def encode_telemetry(d):
    """(frame bytes, decoded form with the kept trail)."""
    points = list(d["loc"]["trail"]) if "loc" in d else []
    while True:
        frame = cbor(frame_map(d, points))
        if len(frame) <= BUDGET:
            break
        # times: index 0 = T0 (newest fix), 1..n = trail
        times = [d["t0"] + d["dur"] - d["loc"]["age_s"]] + [p["t"] for p in points]
        n = len(points)
        costs = []
        for k in range(1, n + 1):
            cost = times[k - 1] - times[k + 1] if k < n else times[n - 1] - d["t0"]
            costs.append((cost, -k))  # smallest cost; on a tie the larger k (older fix)
        _, neg_k = min(costs)
        del points[-neg_k - 1]
    out = json.loads(json.dumps(d))
    if "loc" in out:
        out["loc"]["trail"] = points
    return frame, out


def encode_event(e):
    code = next(c for c, v in EVENT_TYPES.items() if v[0] == e["type"])
    names = EVENT_TYPES[code][1]
    return cbor({0: e["v"], 1: e["eseq"], 2: e["t"], 3: code, 4: [e["data"][f] for f in names]})


def encode_voice(p):
    import base64
    codec = ["pcm_s16le", "ima_adpcm"].index(p["codec"])
    return cbor({0: p["v"], 1: p["clip_id"], 2: p["t0"], 3: p["sample_rate"], 4: codec, 5: p["duration_ms"],
                 6: [p["episode"]["class"], p["episode"]["conf_pct"]], 7: p["part"], 8: p["parts"],
                 9: base64.b64decode(p["bytes"])})


RAW_SENSORS = ["ppg", "imu"]
RAW_FORMATS = ["ppg_red_ir_u18", "imu_mg_ddps_s16"]


def pack_raw(fmt, samples):
    """Section 9 sample layouts: ppg = red, ir as 24-bit big-endian; imu = six int16 little-endian."""
    out = bytearray()
    for s in samples:
        if fmt == "ppg_red_ir_u18":
            for v in s:
                out += v.to_bytes(3, "big")
        else:
            for v in s:
                out += v.to_bytes(2, "little", signed=True)
    return bytes(out)


def encode_raw(c):
    import base64
    return cbor({0: c["v"], 1: c["capture_id"], 2: c["chunk"], 3: RAW_SENSORS.index(c["sensor"]), 4: c["t0"],
                 5: c["rate_hz"], 6: RAW_FORMATS.index(c["format"]), 7: base64.b64decode(c["samples"])})


def raw_vectors():
    """Raw-capture chunks (section 9): a full 10 s chunk of each sensor, and invalid chunks with their path."""
    import base64
    import math
    rng = random.Random(9)
    ppg = [[100000 + int(20000 * math.sin(2 * math.pi * 1.5 * i / 100)) + rng.randrange(50),
            150000 + int(30000 * math.sin(2 * math.pi * 1.5 * i / 100)) + rng.randrange(50)] for i in range(1000)]
    ppg[0] = [0, 262143]
    imu = [[rng.randrange(-8000, 8001) for _ in range(3)] + [rng.randrange(-20000, 20001) for _ in range(3)]
           for _ in range(520)]
    imu[0] = [-32768, 32767, 0, -1, 1, 1000]
    chunks = {
        "raw-ppg": {"v": 1, "capture_id": 1767225600, "chunk": 0, "sensor": "ppg", "t0": 1767225600000,
                    "rate_hz": 100, "format": "ppg_red_ir_u18", "samples": pack_raw("ppg_red_ir_u18", ppg)},
        "raw-imu": {"v": 1, "capture_id": 1767225600, "chunk": 1, "sensor": "imu", "t0": 1767225600004,
                    "rate_hz": 52, "format": "imu_mg_ddps_s16", "samples": pack_raw("imu_mg_ddps_s16", imu)},
    }
    for name, c in chunks.items():
        c["samples"] = base64.b64encode(c["samples"]).decode()
        write(name, encode_raw(c), c)
    good = {0: 1, 1: 5, 2: 0, 3: 0, 4: 1767225600000, 5: 100, 6: 0, 7: pack_raw("ppg_red_ir_u18", [[1, 2]])}

    def bad(name, m, path):
        with open(os.path.join(OUT, "badraw-" + name + ".hex"), "w") as f:
            f.write(cbor(m).hex() + "\n")
        with open(os.path.join(OUT, "badraw-" + name + ".path"), "w") as f:
            f.write(path + "\n")
    bad("format-of-other-sensor", {**good, 6: 1, 7: bytes(12)}, "format")
    bad("half-a-sample", {**good, 7: bytes(7)}, "samples")
    bad("no-samples", {**good, 7: b""}, "samples")
    bad("ppg-over-18-bits", {**good, 7: pack_raw("ppg_red_ir_u18", [[1, 2], [1 << 18, 3]])}, "samples[1]")
    bad("capture-id-zero", {**good, 1: 0}, "capture_id")
    bad("rate-zero", {**good, 5: 0}, "rate_hz")
    bad("sensor-2", {**good, 3: 2}, "sensor")
    bad("samples-not-bytes", {**good, 7: [1, 2]}, "samples")
    bad("missing-t0", {k: v for k, v in good.items() if k != 4}, "t0")
    bad("version-2", {**good, 0: 2}, "v")
    bad("over-16-kib", {**good, 7: bytes(6 * 2731)}, "frame")


def write(name, frame, decoded, encoder_input=None):
    with open(os.path.join(OUT, name + ".hex"), "w") as f:
        f.write(frame.hex() + "\n")
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        f.write(json.dumps(decoded, separators=(",", ":")) + "\n")
    if encoder_input is not None:
        with open(os.path.join(OUT, name + ".input.json"), "w") as f:
            f.write(json.dumps(encoder_input, separators=(",", ":")) + "\n")


def telemetry(name, d):
    frame, decoded = encode_telemetry(d)
    thinned = "loc" in d and decoded["loc"]["trail"] != d["loc"]["trail"]
    write(name, frame, decoded, d if thinned else None)
    return frame, decoded


def base(seq=42, t0=1767225600, dur=300):
    return {"v": 1, "seq": seq, "t0": t0, "dur": dur}


def spec_example():
    d = base()
    d["hr"] = {"mean_bpm": 92, "min_bpm": 78, "max_bpm": 131, "rmssd_ms": 48, "quality_pct": 87}
    d["act"] = {"steps": 412, "rest_s": 120, "walk_s": 150, "run_s": 20, "play_s": 10, "peak_mg": 2400}
    d["loc"] = {"lat_e7": 137563000, "lon_e7": 1005018000, "hacc_dm": 35, "age_s": 4,
                "trail": [{"lat_e5": 1375622, "lon_e5": 10050171, "t": 1767225866}]}
    d["mood"] = {"mood": "happy", "conf_pct": 71, "barks": 3, "growls": 0, "whines": 1, "howls": 0}
    d["dev"] = {"battery_pct": 64, "battery_mv": 3810, "temp_dc": 312, "rssi_dbm": -67, "backlog": 0,
                "flags": ["clock_gnss"]}
    d["fw"] = {"build": 1042, "model": 3}
    return d


def walk(d, lat_e7, lon_e7, age_s, steps, rng, max_gap=20, jitter=30):
    """A trail of `steps` earlier fixes stepping back from the newest fix (random but seeded)."""
    lat, lon = e5(lat_e7), e5(lon_e7)
    t = d["t0"] + d["dur"] - age_s
    pts = []
    for _ in range(steps):
        t -= rng.randint(1, max_gap)
        if t < d["t0"]:
            break
        lat -= rng.randint(-jitter, jitter)
        lon -= rng.randint(-jitter, jitter)
        pts.append({"lat_e5": lat, "lon_e5": lon, "t": t})
    return pts


def random_summaries(name, seed, n):
    """NAME.tsv: n random valid summaries (decoded JSON with the full trail) and their frames, one per line."""
    r = random.Random(seed)
    out = open(os.path.join(OUT, name + ".tsv"), "w")
    for i in range(n):
        t0 = r.choice([r.randint(0, 2**33), 1767225600])
        dur = r.choice([300, r.randint(1, 3600)])
        d = base(seq=r.randint(0, 2**32-1), t0=t0, dur=dur)
        if r.random() < .7:
            b = sorted(r.randint(20, 400) for _ in range(3))
            d["hr"] = {"mean_bpm": b[1], "min_bpm": b[0], "max_bpm": b[2], "rmssd_ms": r.randint(0, 2000), "quality_pct": r.randint(0, 100)}
        if r.random() < .7:
            left = dur; ds = []
            for _ in range(4):
                x = r.randint(0, left); left -= x; ds.append(x)
            d["act"] = {"steps": r.choice([r.randint(0, 30), r.randint(0, 2**63-1)]), "rest_s": ds[0], "walk_s": ds[1], "run_s": ds[2], "play_s": ds[3], "peak_mg": r.randint(0, 16000)}
        if r.random() < .85:
            lat = r.randint(-900000000, 900000000); lon = r.randint(-1800000000, 1800000000); age = r.randint(0, dur)
            d["loc"] = {"lat_e7": lat, "lon_e7": lon, "hacc_dm": r.randint(0, 65535), "age_s": age, "trail": []}
            jit = r.choice([3, 30, 3000, 300000]); gap = r.choice([2, 5, 30, 200])
            pts = []
            la, lo, t = e5(lat), e5(lon), t0 + dur - age
            for _ in range(r.randint(0, 100)):
                t -= r.randint(1, gap)
                if t < t0: break
                la = max(-9000000, min(9000000, la + r.randint(-jit, jit)))
                lo = max(-18000000, min(18000000, lo + r.randint(-jit, jit)))
                pts.append({"lat_e5": la, "lon_e5": lo, "t": t})
            d["loc"]["trail"] = pts
        if r.random() < .6:
            d["mood"] = {"mood": r.choice(MOODS), "conf_pct": r.randint(0, 100), "barks": r.randint(0, 65535), "growls": r.randint(0, 30), "whines": r.randint(0, 300), "howls": 0}
        if r.random() < .7:
            d["dev"] = {"battery_pct": r.randint(0, 100), "battery_mv": r.randint(0, 6000), "temp_dc": r.randint(-400, 1250), "rssi_dbm": r.randint(-150, 0), "backlog": r.randint(0, 10**6), "flags": [f for f in FLAGS if r.random() < .3]}
        if r.random() < .6:
            d["fw"] = {"build": r.randint(0, 2**40), "model": r.randint(0, 300)}
        frame, _ = encode_telemetry(d)
        out.write(json.dumps(d, separators=(",", ":")) + "\t" + frame.hex() + "\n")
    out.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    rng = random.Random(20260101)

    telemetry("telemetry-spec-example", spec_example())
    telemetry("telemetry-required-only", base(seq=0, t0=0, dur=1))

    d = base(seq=7)
    d["hr"] = spec_example()["hr"]
    d["fw"] = {"build": 1, "model": 0}
    telemetry("telemetry-hr-fw-only", d)

    d = base(seq=8)
    d["dev"] = {"battery_pct": 5, "battery_mv": 3300, "temp_dc": -125, "rssi_dbm": -113, "backlog": 2880,
                "flags": ["lost_mode", "clock_unsynced", "fault_gnss", "outbox_dropped"]}
    d["mood"] = {"mood": "sad", "conf_pct": 0, "barks": 0, "growls": 24, "whines": 255, "howls": 256}
    telemetry("telemetry-dev-mood-no-loc", d)

    # south/west: Sydney-ish and Buenos Aires-ish; the lat/lon are chosen so that floor and truncation differ
    d = base(seq=9)
    d["loc"] = {"lat_e7": -338688151, "lon_e7": 1512092951, "hacc_dm": 120, "age_s": 0, "trail": []}
    d["loc"]["trail"] = walk(d, d["loc"]["lat_e7"], d["loc"]["lon_e7"], 0, 5, rng)
    telemetry("telemetry-south-east-floor", d)
    d = base(seq=10)
    d["loc"] = {"lat_e7": -346037149, "lon_e7": -583815949, "hacc_dm": 65535, "age_s": 300, "trail": []}
    d["loc"]["trail"] = walk(d, d["loc"]["lat_e7"], d["loc"]["lon_e7"], 300, 0, rng)
    telemetry("telemetry-south-west-no-trail", d)
    d = base(seq=11)
    d["loc"] = {"lat_e7": 514999950, "lon_e7": -1270049, "hacc_dm": 8, "age_s": 17, "trail": []}
    d["loc"]["trail"] = walk(d, d["loc"]["lat_e7"], d["loc"]["lon_e7"], 17, 6, rng)
    telemetry("telemetry-north-west-rounding", d)

    # all fields at maximum, empty trail (the budget-by-construction frame)
    top = 2 ** 63 - 1
    d = {"v": 1, "seq": 2 ** 32 - 1, "t0": top - 3600, "dur": 3600,
         "hr": {"mean_bpm": 400, "min_bpm": 400, "max_bpm": 400, "rmssd_ms": 2000, "quality_pct": 100},
         "act": {"steps": top, "rest_s": 3600, "walk_s": 0, "run_s": 0, "play_s": 0, "peak_mg": 16000},
         "loc": {"lat_e7": -900000000, "lon_e7": -1800000000, "hacc_dm": 65535, "age_s": 3600, "trail": []},
         "mood": {"mood": "sad", "conf_pct": 100, "barks": 65535, "growls": 65535, "whines": 65535,
                  "howls": 65535},
         "dev": {"battery_pct": 100, "battery_mv": 6000, "temp_dc": -400, "rssi_dbm": -150, "backlog": top,
                 "flags": FLAGS},
         "fw": {"build": top, "model": top}}
    frame, _ = telemetry("telemetry-all-max", d)
    print("all-fields-at-maximum frame, empty trail:", len(frame), "bytes")

    d = {"v": 1, "seq": 0, "t0": 0, "dur": 1,
         "hr": {"mean_bpm": 20, "min_bpm": 20, "max_bpm": 20, "rmssd_ms": 0, "quality_pct": 0},
         "act": {"steps": 0, "rest_s": 0, "walk_s": 0, "run_s": 0, "play_s": 0, "peak_mg": 0},
         "loc": {"lat_e7": 900000000, "lon_e7": 1800000000, "hacc_dm": 0, "age_s": 0, "trail": []},
         "mood": {"mood": "relaxed", "conf_pct": 0, "barks": 0, "growls": 0, "whines": 0, "howls": 0},
         "dev": {"battery_pct": 0, "battery_mv": 0, "temp_dc": 1250, "rssi_dbm": 0, "backlog": 0, "flags": []},
         "fw": {"build": 0, "model": 0}}
    telemetry("telemetry-all-min", d)

    # integer size boundaries (23/24, 255/256, 65535/65536, 2^32-1/2^32 and negatives)
    d = base(seq=2 ** 32 - 1, t0=2 ** 32, dur=3600)
    d["act"] = {"steps": 65536, "rest_s": 23, "walk_s": 24, "run_s": 255, "play_s": 256, "peak_mg": 65535 // 5}
    d["dev"] = {"battery_pct": 24, "battery_mv": 256, "temp_dc": -25, "rssi_dbm": -24, "backlog": 2 ** 32 - 1,
                "flags": ["charging"]}
    d["fw"] = {"build": 2 ** 32, "model": 65535}
    d["loc"] = {"lat_e7": -65537, "lon_e7": -257, "hacc_dm": 256, "age_s": 255,
                "trail": [{"lat_e5": 24, "lon_e5": 0, "t": 2 ** 32 + 3600 - 255 - 24},
                          {"lat_e5": -232, "lon_e5": 65535 + 24, "t": 2 ** 32 + 3600 - 255 - 24 - 256},
                          {"lat_e5": 65536 - 232, "lon_e5": 24, "t": 2 ** 32}]}
    telemetry("telemetry-int-boundaries", d)

    # thinning: a busy walk that does not fit (random spacing) and one with exact ties
    d = spec_example()
    d["seq"] = 100
    d["loc"]["trail"] = walk(d, d["loc"]["lat_e7"], d["loc"]["lon_e7"], 4, 60, rng, max_gap=9, jitter=400)
    frame, decoded = telemetry("telemetry-thinned-walk", d)
    print("thinned walk:", len(d["loc"]["trail"]), "->", len(decoded["loc"]["trail"]), "fixes,", len(frame), "bytes")

    d = base(seq=101, t0=1767225600, dur=3600)
    d["loc"] = {"lat_e7": -123456789, "lon_e7": -98765432, "hacc_dm": 50, "age_s": 0, "trail": []}
    lat, lon, t = e5(-123456789), e5(-98765432), 1767225600 + 3600
    for i in range(80):  # equal spacing: every inner cost ties, so the oldest inner fixes go first
        t -= 40
        lat -= 1000 + i
        lon += 2000 - i
        d["loc"]["trail"].append({"lat_e5": lat, "lon_e5": lon, "t": t})
    frame, decoded = telemetry("telemetry-thinned-ties", d)
    print("thinned ties:", 80, "->", len(decoded["loc"]["trail"]), "fixes,", len(frame), "bytes")

    d = spec_example()
    d["seq"] = 102
    lat, lon = e5(d["loc"]["lat_e7"]), e5(d["loc"]["lon_e7"])
    # dense fixes at the old end: the cheap oldest and inner fixes go first
    d["loc"]["age_s"] = 10
    t = d["t0"] + d["dur"] - 10
    for gap in [50, 50, 50, 50, 50, 20, 2, 2, 2, 2, 1, 1, 1, 1]:
        t -= gap
        lat -= 70000
        lon += 90000
        d["loc"]["trail"].append({"lat_e5": lat, "lon_e5": lon, "t": t})
    frame, decoded = telemetry("telemetry-thinned-oldest", d)
    print("thinned oldest:", len(d["loc"]["trail"]), "->", len(decoded["loc"]["trail"]), "fixes,", len(frame),
          "bytes")

    # events of each type
    ev = {
        "geofence_exit": {"fence_id": 3, "lat_e7": -338688151, "lon_e7": 1512092951},
        "geofence_return": {"fence_id": 255, "lat_e7": 514999950, "lon_e7": -1270049},
        "hr_alert": {"bpm": 212, "limit_bpm": 180},
        "low_battery": {"battery_pct": 9},
        "lost_mode_fix": {"lat_e7": -900000000, "lon_e7": 1800000000, "hacc_dm": 65535},
        "vocal_episode": {"class": 3, "conf_pct": 88, "clip_id": 4294967296},
        "sensor_fault": {"sensor_bit": 64, "code": 23},
        "firmware_applied": {"old_build": 1041, "new_build": 1042, "outcome": 1},
    }
    for i, (name, data) in enumerate(ev.items()):
        e = {"v": 1, "eseq": 1000 + i * 100, "t": 1767225900 + i, "type": name, "data": data}
        write("event-" + name.replace("_", "-"), encode_event(e), e)

    import base64
    audio = bytes(rng.randrange(256) for _ in range(300))
    p = {"v": 1, "clip_id": 77, "t0": 1767225901234, "sample_rate": 16000, "codec": "ima_adpcm",
         "duration_ms": 2500, "episode": {"class": 0, "conf_pct": 91}, "part": 1, "parts": 3,
         "bytes": base64.b64encode(audio).decode()}
    write("voice-part", encode_voice(p), p)

    # accepted but not deterministic: non-shortest ints, indefinite lengths, keys out of order, key > 9
    # (a) non-shortest integers (v as 0x18 0x01, t0 in 8 bytes) and keys in descending order
    req = base(seq=5, t0=1767225600, dur=300)
    nonshort = (bytes([0xa4]) + bytes([0x03, 0x19, 0x01, 0x2c]) + bytes([0x02, 0x1b]) + (1767225600).to_bytes(8, "big")
                + bytes([0x01, 0x18, 0x05]) + bytes([0x00, 0x18, 0x01]))
    write("accept-nonshortest-unordered", nonshort, req)
    # (b) indefinite-length map and array, an unknown key 10 with a text value and key 200
    d = base(seq=6)
    d["fw"] = {"build": 3, "model": 4}
    indef = (bytes([0xbf, 0x00, 0x01, 0x01, 0x06, 0x02, 0x1a]) + (1767225600).to_bytes(4, "big")
             + bytes([0x03, 0x19, 0x01, 0x2c, 0x09, 0x9f, 0x03, 0x04, 0xff, 0x0a]) + cbor2.dumps("later")
             + bytes([0x18, 0xc8, 0xf5, 0xff]))
    write("accept-indefinite-unknown-keys", indef, d)

    # rejected frames: path of the offending field
    def reject(name, frame, path):
        with open(os.path.join(OUT, "reject-" + name + ".hex"), "w") as f:
            f.write(frame.hex() + "\n")
        with open(os.path.join(OUT, "reject-" + name + ".path"), "w") as f:
            f.write(path + "\n")

    good = frame_map(spec_example(), spec_example()["loc"]["trail"])

    def variant(**changes):
        m = dict(good)
        for k, v in changes.items():
            key = int(k[1:])
            if v is None:
                m.pop(key)
            else:
                m[key] = v
        return cbor(m)

    reject("version-2", variant(k0=2), "v")
    reject("missing-dur", variant(k3=None), "dur")
    reject("null-hr", cbor({**good, 4: None}), "hr")
    reject("dur-zero", variant(k3=0), "dur")
    reject("seq-over-32-bits", variant(k1=2 ** 32), "seq")
    reject("hr-min-over-mean", variant(k4=[92, 93, 131, 48, 87]), "hr[1]")
    reject("hr-mean-over-max", variant(k4=[132, 78, 131, 48, 87]), "hr[2]")
    reject("hr-bpm-range", variant(k4=[92, 19, 131, 48, 87]), "hr[1]")
    reject("hr-short", variant(k4=[92, 78, 131, 48]), "hr")
    reject("hr-text", variant(k4=[92, 78, "131", 48, 87]), "hr[2]")
    reject("act-durations-over-dur", variant(k5=[412, 120, 150, 20, 11, 2400]), "act")
    reject("loc-lat-range", variant(k6=[900000001, 0, 0, 0, []]), "loc[0]")
    reject("loc-age-over-dur", variant(k6=[0, 0, 0, 301, []]), "loc[3]")
    reject("trail-not-multiple-of-3", variant(k6=[0, 0, 0, 0, [1, 2, 3, 4]]), "loc.trail")
    reject("trail-dt-zero", variant(k6=[0, 0, 0, 0, [1, 2, 3, 4, 5, 0]]), "loc.trail[5]")
    reject("trail-before-t0", variant(k6=[0, 0, 0, 0, [1, 2, 299, 4, 5, 2]]), "loc.trail[5]")
    reject("mood-class", variant(k7=[5, 71, 3, 0, 1, 0]), "mood[0]")
    reject("dev-temp-range", variant(k8=[64, 3810, -401, -67, 0, 4]), "dev[2]")
    reject("dev-unknown-flag", variant(k8=[64, 3810, 312, -67, 0, 512]), "dev[5]")
    reject("fw-negative", variant(k9=[-1, 3]), "fw[0]")
    reject("trailing-byte", cbor(good) + b"\x00", "frame")
    reject("over-182-bytes", cbor({**good, 10: bytes(100)}), "frame")
    reject("not-a-map", cbor([1, 2, 3]), "frame")
    reject("truncated", cbor(good)[:-1], "frame")

    # differential set: random summaries (about half need thinning) encoded by this reference encoder
    random_summaries("random-summaries", 7, 200)

    raw_vectors()


if __name__ == "__main__":
    main()
