"""numpy's version of librosa 0.11's log-mel, timed: the anchor of `npm run bench -- features`.

    /usr/bin/python3 numpy_logmel.py <signal.f32> <out.f32>

Reads float32 samples (16 kHz mono), computes exactly what
`np.log(librosa.feature.melspectrogram(y, sr=16000, n_fft=1024, hop_length=256, n_mels=64, power=2.0) + 1e-6)`
computes (periodic Hann, center=True with zero padding, rfft in librosa's MAX_MEM_BLOCK column blocks into a
complex64 Fortran-ordered matrix, |X|**2, Slaney mel filterbank with Slaney norm applied by librosa's einsum),
writes the features [frames][64] as float32 to <out.f32> and prints one JSON line with the median CPU and wall ms
of 9 runs after a warm-up, numpy's version and the BLAS kernel OpenBLAS chose.
"""
import ctypes
import json
import sys
import time

import numpy as np

SR, N_FFT, HOP, N_MELS, EPS = 16000, 1024, 256, 64, 1e-6
MAX_MEM_BLOCK = 2**8 * 2**10  # librosa.util.MAX_MEM_BLOCK


def hz_to_mel(f):
    f = np.asanyarray(f, dtype=np.float64)
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
    mels = f / f_sp
    min_log_mel = min_log_hz / f_sp
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, min_log_hz) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asanyarray(m, dtype=np.float64)
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filterbank():
    """librosa.filters.mel(sr=16000, n_fft=1024, n_mels=64, htk=False, norm='slaney'), float32."""
    weights = np.zeros((N_MELS, 1 + N_FFT // 2), dtype=np.float32)
    fftfreqs = np.fft.rfftfreq(n=N_FFT, d=1.0 / SR)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2.0), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS]))[:, np.newaxis]
    return weights


def log_mel(y, mel_basis, window):
    padded = np.pad(y, N_FFT // 2, mode="constant")
    n_frames = 1 + (len(padded) - N_FFT) // HOP
    frames = np.lib.stride_tricks.as_strided(
        padded, shape=(N_FFT, n_frames), strides=(padded.strides[0], HOP * padded.strides[0]), writeable=False
    )
    stft = np.zeros((1 + N_FFT // 2, n_frames), dtype=np.complex64, order="F")
    n_columns = max(1, MAX_MEM_BLOCK // (N_FFT * frames.itemsize))
    for s in range(0, n_frames, n_columns):
        t = min(s + n_columns, n_frames)
        stft[:, s:t] = np.fft.rfft(window * frames[:, s:t], axis=0)
    power = np.abs(stft) ** 2
    mel = np.einsum("...ft,mf->...mt", power, mel_basis, optimize=True)
    return np.log(mel + EPS)


def blas_kernel():
    for line in open("/proc/self/maps"):
        path = line.split()[-1]
        if "openblas" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                return {"corename": lib.openblas_get_corename().decode(), "config": lib.openblas_get_config().decode()}
            except (OSError, AttributeError):
                continue
    return None


def main(argv):
    y = np.fromfile(argv[1], dtype=np.float32)
    mel_basis = mel_filterbank()
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)[:, np.newaxis]
    out = log_mel(y, mel_basis, window)  # warm-up
    cpu, wall = [], []
    for _ in range(9):
        c0, t0 = time.process_time(), time.perf_counter()
        log_mel(y, mel_basis, window)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    np.ascontiguousarray(out.T, dtype=np.float32).tofile(argv[2])
    print(
        json.dumps(
            {
                "cpu_ms": float(np.median(cpu)),
                "wall_ms": float(np.median(wall)),
                "frames": int(out.shape[1]),
                "numpy": np.__version__,
                "blas": blas_kernel(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv)
