"""Log-mel front end, bit-for-bit the same definition as com.pettysync.ml.vocal.LogMelSpectrogram.

16 kHz mono, samples scaled to [-1, 1) (int16 / 32768). Frames of 400 samples (25 ms) every
160 samples (10 ms), no padding: frame i covers samples [160 i, 160 i + 400). Periodic Hann
window, zero-padded to n_fft = 512, power spectrum |X_k|^2 for k = 0..256, 40 triangular HTK-mel
filters between 50 Hz and 8000 Hz (peak 1, not area-normalised), natural log of (energy + 1e-6).
A 1 s window (16000 samples) gives 98 frames x 40 bands.
"""
import numpy as np

SAMPLE_RATE = 16000
WIN = 400
HOP = 160
N_FFT = 512
N_MELS = 40
FMIN = 50.0
FMAX = 8000.0
LOG_OFFSET = 1e-6
WINDOW_SAMPLES = 16000
FRAMES = 1 + (WINDOW_SAMPLES - WIN) // HOP  # 98


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def mel_filterbank():
    mels = np.linspace(hz_to_mel(FMIN), hz_to_mel(FMAX), N_MELS + 2)
    hz = mel_to_hz(mels)
    bins = np.arange(N_FFT // 2 + 1) * SAMPLE_RATE / N_FFT
    fb = np.zeros((N_MELS, N_FFT // 2 + 1))
    for m in range(N_MELS):
        lo, c, hi = hz[m], hz[m + 1], hz[m + 2]
        up = (bins - lo) / (c - lo)
        down = (hi - bins) / (hi - c)
        fb[m] = np.maximum(0.0, np.minimum(up, down))
    return fb


_FB = mel_filterbank()
_HANN = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(WIN) / WIN)


def log_mel(audio):
    """audio: float array in [-1, 1), length >= WIN. Returns [frames, N_MELS] float32."""
    n = 1 + (len(audio) - WIN) // HOP
    idx = np.arange(WIN)[None, :] + HOP * np.arange(n)[:, None]
    frames = audio[idx] * _HANN[None, :]
    spec = np.fft.rfft(frames, n=N_FFT, axis=1)
    power = spec.real ** 2 + spec.imag ** 2
    mel = power @ _FB.T
    return np.log(mel + LOG_OFFSET).astype(np.float32)
