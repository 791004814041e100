"""Synthesised dog vocalisations and distractor sounds (no public dog-audio set is reachable here).

Every clip is 1 s at 16 kHz, float in [-1, 1). Classes (index order is the model's output order):
0 bark, 1 growl, 2 whine, 3 howl, 4 other. Everything is driven by one numpy Generator, so a seed
reproduces the whole data set.

Vocal classes are harmonic sources with a per-class pitch range, contour, duration, roughness
and noise share, half of them shifted in time (as a sliding window sees an onset or an ending), then a random room (exponential-decay reverb), background noise at a random SNR,
an occasional distractor underneath and a random gain. "other" is speech-like babble, traffic,
wind, clicks, tonal beeps, or plain noise, through the same room/noise/gain chain.
"""
import numpy as np

SR = 16000
N = SR
CLASSES = ["bark", "growl", "whine", "howl", "other"]


def _harmonic(rng, f0, n_harm, tilt_db, jitter=0.0):
    """Sum of harmonics following the per-sample pitch track f0 (array)."""
    if jitter > 0:
        f0 = f0 * (1.0 + jitter * rng.standard_normal(len(f0)).cumsum() / np.sqrt(len(f0)) * 4)
    phase = 2 * np.pi * np.cumsum(f0) / SR
    out = np.zeros(len(f0))
    for h in range(1, n_harm + 1):
        amp = 10 ** (-tilt_db * (h - 1) / 20.0)
        ok = (f0 * h) < SR / 2 - 200
        out += amp * np.sin(h * phase + rng.uniform(0, 2 * np.pi)) * ok
    return out / max(1e-9, np.max(np.abs(out)))


def _colored_noise(rng, n, alpha):
    """1/f^alpha noise (alpha 0 white, 1 pink, 2 brown)."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spec)); f[0] = 1
    spec = spec / (f ** (alpha / 2.0))
    x = np.fft.irfft(spec, n)
    return x / (np.max(np.abs(x)) + 1e-9)


def _bandpass_noise(rng, n, lo, hi):
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SR)
    spec[(f < lo) | (f > hi)] = 0
    x = np.fft.irfft(spec, n)
    return x / (np.max(np.abs(x)) + 1e-9)


def _envelope(n, start, dur, attack, release):
    t = np.arange(n) / SR
    env = np.zeros(n)
    a = np.clip((t - start) / max(attack, 1e-3), 0, 1)
    r = np.clip((start + dur - t) / max(release, 1e-3), 0, 1)
    env = np.minimum(a, r)
    env[(t < start) | (t > start + dur)] = 0
    return env


def bark(rng):
    out = np.zeros(N)
    k = rng.integers(1, 4)
    starts = np.sort(rng.uniform(0.0, 0.8, k))
    for s in starts:
        dur = rng.uniform(0.08, 0.25)
        f_start = rng.uniform(350, 1000)
        t = np.arange(N) / SR
        f0 = f_start * np.exp(-np.clip(t - s, 0, None) * rng.uniform(1.5, 5))
        src = _harmonic(rng, f0, rng.integers(4, 12), rng.uniform(2, 6), jitter=0.02)
        noise = _bandpass_noise(rng, N, 300, 6000)
        mix = src * rng.uniform(0.5, 1.0) + noise * rng.uniform(0.3, 0.9)
        out += mix * _envelope(N, s, dur, rng.uniform(0.003, 0.015), dur * rng.uniform(0.4, 0.8))
    return out


def growl(rng):
    t = np.arange(N) / SR
    s = rng.uniform(0, 0.2)
    dur = rng.uniform(0.6, 1.0 - s)
    f0 = rng.uniform(70, 200) * (1 + 0.05 * np.sin(2 * np.pi * rng.uniform(0.5, 2) * t))
    src = _harmonic(rng, f0, rng.integers(15, 35), rng.uniform(0.5, 2), jitter=0.08)
    am = 1 + rng.uniform(0.5, 0.9) * np.sin(2 * np.pi * rng.uniform(18, 45) * t)
    noise = _bandpass_noise(rng, N, 80, 2500) * rng.uniform(0.2, 0.6)
    return (src * am + noise) * _envelope(N, s, dur, rng.uniform(0.03, 0.1), rng.uniform(0.05, 0.15))


def whine(rng):
    t = np.arange(N) / SR
    s = rng.uniform(0, 0.3)
    dur = rng.uniform(0.4, 1.0 - s)
    base = rng.uniform(600, 1600)
    glide = rng.uniform(-0.4, 0.4)
    f0 = base * (1 + glide * np.clip((t - s) / dur, 0, 1)) * (1 + rng.uniform(0.01, 0.05) * np.sin(2 * np.pi * rng.uniform(4, 9) * t))
    src = _harmonic(rng, f0, rng.integers(1, 4), rng.uniform(8, 15))
    return src * _envelope(N, s, dur, rng.uniform(0.03, 0.1), rng.uniform(0.05, 0.2))


def howl(rng):
    t = np.arange(N) / SR
    base = rng.uniform(300, 750)
    # slow rise-and-fall contour; a howl is longer than the window, so it fills it
    phase = rng.uniform(0, 2 * np.pi)
    f0 = base * (1 + rng.uniform(0.05, 0.25) * np.sin(2 * np.pi * rng.uniform(0.2, 0.6) * t + phase))
    f0 *= 1 + 0.008 * np.sin(2 * np.pi * rng.uniform(4, 6) * t)
    src = _harmonic(rng, f0, rng.integers(3, 8), rng.uniform(4, 9))
    s = rng.uniform(0, 0.1)
    return src * _envelope(N, s, 1.0, rng.uniform(0.1, 0.3), 0.05)


def speech_like(rng):
    t = np.arange(N) / SR
    f0 = rng.uniform(90, 260) * (1 + 0.1 * np.sin(2 * np.pi * rng.uniform(1, 3) * t))
    src = _harmonic(rng, f0, 30, 1.0, jitter=0.01)
    out = np.zeros(N)
    # two formants hopping every syllable
    syl = rng.uniform(0.12, 0.25)
    for k in range(int(1 / syl) + 1):
        seg = (t >= k * syl) & (t < (k + 1) * syl)
        spec = np.fft.rfft(src * seg)
        f = np.fft.rfftfreq(N, 1 / SR)
        g = np.zeros_like(f)
        for fc, bw in ((rng.uniform(300, 900), 120), (rng.uniform(900, 2500), 200), (rng.uniform(2400, 3400), 300)):
            g += np.exp(-0.5 * ((f - fc) / bw) ** 2)
        out += np.fft.irfft(spec * g, N)
    am = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(3, 6) * t) ** 2
    return out * am / (np.max(np.abs(out)) + 1e-9)


def traffic(rng):
    t = np.arange(N) / SR
    x = _colored_noise(rng, N, 2.0) + 0.3 * _bandpass_noise(rng, N, 50, 400)
    x += 0.3 * np.sin(2 * np.pi * rng.uniform(40, 120) * t)  # engine hum
    return x * (0.6 + 0.4 * np.clip(t * rng.uniform(0.5, 2), 0, 1))


def wind(rng):
    t = np.arange(N) / SR
    x = _bandpass_noise(rng, N, 20, rng.uniform(300, 1200))
    gust = 0.4 + 0.6 * np.abs(np.sin(2 * np.pi * rng.uniform(0.3, 1.5) * t + rng.uniform(0, 6)))
    return x * gust


def clicks(rng):
    x = np.zeros(N)
    for p in rng.integers(0, N - 200, rng.integers(2, 25)):
        x[p:p + 60] += rng.standard_normal(60) * np.exp(-np.arange(60) / rng.uniform(3, 15))
    return x / (np.max(np.abs(x)) + 1e-9)


def beep(rng):
    t = np.arange(N) / SR
    x = np.sin(2 * np.pi * rng.uniform(400, 3000) * t)
    s = rng.uniform(0, 0.5)
    return x * _envelope(N, s, rng.uniform(0.1, 0.5), 0.005, 0.005)


DISTRACTORS = [speech_like, traffic, wind, clicks]
OTHERS = [speech_like, traffic, wind, clicks, beep, lambda r: _colored_noise(r, N, r.uniform(0, 2))]
GENERATORS = [bark, growl, whine, howl]


def _reverb(rng, x):
    rt = rng.uniform(0.05, 0.6)
    n = int(rt * SR)
    ir = rng.standard_normal(n) * np.exp(-6.9 * np.arange(n) / n)
    ir[0] = 1.0 / rng.uniform(0.05, 0.5)  # direct path
    y = np.fft.irfft(np.fft.rfft(x, 2 * N) * np.fft.rfft(ir, 2 * N), 2 * N)[:N]
    return y / (np.max(np.abs(y)) + 1e-9)


def _shift(rng, x):
    """Moves the sound by up to 0.6 s either way (zero fill), keeping at least 60 % of its energy in the clip,
    as the pipeline's sliding windows see the start and the end of a vocalisation."""
    e = x ** 2
    total = e.sum() + 1e-12
    for _ in range(10):
        k = int(rng.uniform(-0.6, 0.6) * SR)
        kept = e[max(0, -k):N - max(0, k)].sum() / total
        if kept >= 0.6:
            y = np.zeros(N)
            if k >= 0:
                y[k:] = x[:N - k]
            else:
                y[:N + k] = x[-k:]
            return y
    return x


def clip(rng, label):
    """One 1 s clip of class `label` (index into CLASSES), float64 in [-1, 1)."""
    if label < 4:
        x = GENERATORS[label](rng)
        x = x / (np.max(np.abs(x)) + 1e-9)
        if rng.random() < 0.5:
            x = _shift(rng, x)
        if rng.random() < 0.7:
            x = _reverb(rng, x)
        if rng.random() < 0.4:
            x = x + DISTRACTORS[rng.integers(len(DISTRACTORS))](rng) * 10 ** (-rng.uniform(10, 25) / 20)
    else:
        x = OTHERS[rng.integers(len(OTHERS))](rng)
        if rng.random() < 0.3:
            x = x + OTHERS[rng.integers(len(OTHERS))](rng) * rng.uniform(0.2, 1.0)
        if rng.random() < 0.5:
            x = _reverb(rng, x)
    x = x / (np.max(np.abs(x)) + 1e-9)
    snr_db = rng.uniform(5, 40)
    x = x + _colored_noise(rng, N, rng.uniform(0, 1.5)) * 10 ** (-snr_db / 20) * np.sqrt(np.mean(x ** 2)) * 3
    x = x / (np.max(np.abs(x)) + 1e-9) * 10 ** (rng.uniform(-30, -1) / 20)
    return np.round(x * 32767) / 32768.0  # as it arrives from a 16-bit microphone


def dataset(seed, per_class):
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for i in range(per_class * len(CLASSES)):
        label = i % len(CLASSES)
        xs.append(clip(rng, label))
        ys.append(label)
    return np.array(xs), np.array(ys)
