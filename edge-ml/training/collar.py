"""Augmentation "as a collar hears": real background noise at random SNRs, collar rustle/friction, level changes,
clipping, band-limited sources, small pitch/speed changes and reverberation. Everything is float64 at 16 kHz
in [-1, 1) and driven by one numpy Generator.

The rustle/friction model is derived from real noise: the spectral envelope of a real background recording
(smoothed magnitude spectrum) shapes white noise, tilted towards the highs as fur rubbing on a collar is, then
chopped into bursts at the dog's step rate (1-4 Hz) with crackle impulses on top.
"""
import numpy as np

SR = 16000
N = SR


def load_wav(path):
    """16-bit mono WAV (as realdata.py writes) -> float64 in [-1, 1)."""
    import wave
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2 or w.getframerate() != SR:
            raise ValueError(f"{path}: need 16 kHz mono 16-bit")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0


def rms(x):
    return float(np.sqrt(np.mean(x ** 2)) + 1e-12)


def window_from(rng, x, n=N, loudest=False):
    """A 1 s piece of clip x: a short clip placed at a random offset (zeros around it), a long one cropped at
    random (loudest=True: among the crops holding at least half the loudest crop's energy)."""
    if len(x) <= n:
        out = np.zeros(n)
        k = rng.integers(0, n - len(x) + 1)
        out[k:k + len(x)] = x
        return out
    if not loudest:
        k = rng.integers(0, len(x) - n + 1)
        return x[k:k + n].copy()
    step = SR // 10
    starts = np.arange(0, len(x) - n + 1, step)
    c = np.concatenate([[0.0], np.cumsum(x ** 2)])
    e = c[starts + n] - c[starts]
    ok = starts[e >= 0.5 * e.max()]
    k = int(rng.choice(ok))
    return x[k:k + n].copy()


def noise_piece(rng, pool, n=N):
    """n samples of real background (a random piece of a random pool file, looped if short)."""
    x = pool[rng.integers(len(pool))]
    if len(x) < n:
        x = np.tile(x, n // max(1, len(x)) + 1)
    k = rng.integers(0, len(x) - n + 1)
    y = x[k:k + n].copy()
    return y - y.mean()


def rustle(rng, pool, n=N):
    """Collar rubbing on fur: real-noise spectral envelope, high-tilted, in step-rate bursts with crackles."""
    ref = noise_piece(rng, pool, n)
    mag = np.abs(np.fft.rfft(ref))
    k = 64
    env = np.convolve(mag, np.ones(k) / k, mode="same") + 1e-9
    f = np.fft.rfftfreq(n, 1 / SR)
    env = env * (1 + f / rng.uniform(800, 3000))  # friction: more energy in the highs
    shaped = np.fft.irfft(np.fft.rfft(rng.standard_normal(n)) * env / env.max(), n)
    t = np.arange(n) / SR
    rate = rng.uniform(1.0, 4.0)
    duty = rng.uniform(0.2, 0.7)
    phase = (t * rate + rng.uniform()) % 1.0
    bursts = np.clip((duty - phase) / 0.05, 0, 1) * np.clip(phase / 0.02, 0, 1)
    y = shaped * (0.15 + bursts)
    for p in rng.integers(0, n - 80, rng.integers(0, 12)):  # crackles: hairs snapping, tag clinks
        y[p:p + 80] += rng.standard_normal(80) * np.exp(-np.arange(80) / rng.uniform(3, 20)) * rng.uniform(1, 4) * rms(y)
    return y / (np.max(np.abs(y)) + 1e-9)


def reverb(rng, x):
    rt = rng.uniform(0.05, 0.7)
    m = int(rt * SR)
    ir = rng.standard_normal(m) * np.exp(-6.9 * np.arange(m) / m) * rng.uniform(0.05, 0.4)
    ir[0] = 1.0
    y = np.fft.irfft(np.fft.rfft(x, 2 * len(x)) * np.fft.rfft(ir, 2 * len(x)), 2 * len(x))[:len(x)]
    return y


def band_limit(x, cutoff):
    """As if the source was recorded at 2 x cutoff (8, 11.025 or 16 kHz files upsampled): nothing above cutoff."""
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1 / SR)
    spec *= np.clip((cutoff - f) / 300.0, 0, 1)
    return np.fft.irfft(spec, len(x))


def speed(rng, x, lo=0.92, hi=1.08):
    """Pitch and speed together by factor r (resampling)."""
    r = rng.uniform(lo, hi)
    idx = np.arange(0, len(x) - 1, r)
    return np.interp(idx, np.arange(len(x)), x)


def collar(rng, x, noise_pool, snr_db=(0, 30), p_rustle=0.35, p_clip=0.15, p_reverb=0.5, p_band=0.35):
    """One collar-heard version of the 1 s signal x (any level): source effects, then the microphone's world."""
    if p_band and rng.random() < p_band:
        x = band_limit(x, rng.choice([4000.0, 5512.0, 8000.0]))
    if p_reverb and rng.random() < p_reverb:
        x = reverb(rng, x)
    s = rms(x)
    if noise_pool:
        bg = noise_piece(rng, noise_pool)
        x = x + bg / rms(bg) * s * 10 ** (-rng.uniform(*snr_db) / 20)
        if rng.random() < p_rustle:
            r = rustle(rng, noise_pool)
            x = x + r / rms(r) * s * 10 ** (-rng.uniform(snr_db[0] + 5, snr_db[1] + 10) / 20)
    x = x + rng.standard_normal(len(x)) * s * 10 ** (-rng.uniform(35, 60) / 20)  # microphone self-noise
    peak = np.max(np.abs(x)) + 1e-12
    if rng.random() < p_clip:
        x = np.clip(x / peak * 10 ** (rng.uniform(3, 15) / 20), -1, 1)
    else:
        x = x / peak * 10 ** (rng.uniform(-35, -1) / 20)
    return np.round(np.clip(x, -1, 32767 / 32768) * 32767) / 32768.0
