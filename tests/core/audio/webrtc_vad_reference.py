# Reference for test_webrtc_vad.cpp: webrtcvad 2.0.10's decisions on a synthetic, integer-only signal that
# the C++ test rebuilds sample for sample (test_signal there). Prints the expected flag strings.
# Run with the real package: pip install webrtcvad==2.0.10 (built from its bundled WebRTC C sources).
import sys

import webrtcvad

assert webrtcvad.__version__ == "2.0.10", webrtcvad.__version__


def xorshift32(x):
    x ^= (x << 13) & 0xFFFFFFFF
    x ^= x >> 17
    x ^= (x << 5) & 0xFFFFFFFF
    return x


def triangle(i, rate, freq, amp):
    period = rate // freq
    phase = i % period
    half = period // 2
    if phase < half:
        return -amp + (2 * amp * phase) // half
    return amp - (2 * amp * (phase - half)) // (period - half)


def test_signal(rate):
    """3 s of level ramps and bursts, so that many frames sit near WebRTC's thresholds: silence, a 200 Hz
    buzz fading in over light noise, white noise fading in, a 125 Hz buzz in syllable-like bursts, faint
    noise, silence. Segment borders do not fall on frame borders."""
    out, x = [], 2463534242
    for i in range(rate * 3):
        ms = i * 1000 // rate
        x = xorshift32(x)
        if 250 <= ms < 1000:
            s = triangle(i, rate, 200, 6000 * (ms - 250) // 750) + x % 601 - 300
        elif 1000 <= ms < 1700:
            a = 20 + 1980 * (ms - 1000) // 700
            s = x % (2 * a + 1) - a
        elif 1700 <= ms < 2400:
            s = triangle(i, rate, 125, 400 if (ms // 70) % 3 == 0 else 5000) + x % 401 - 200
        elif 2400 <= ms < 2900:
            s = x % 61 - 30
        else:
            s = 0
        out.append(s)
    return out


def bursts_signal(rate):
    """A minute of 100 ms blocks, each silence, faint noise, noise or a buzz at a random level: long enough
    for the slow parts of the model (the 100-frame minimum memory, the deviations) to change decisions."""
    out, x = [], 88172645
    block = rate // 10
    for b in range(600):
        x = xorshift32(x)
        kind, level, freq = x % 4, 1 + (x >> 8) % 3000, (100, 150, 250, 400)[(x >> 20) % 4]
        for i in range(b * block, (b + 1) * block):
            x = xorshift32(x)
            if kind == 0:
                s = 0
            elif kind == 1:
                s = x % (2 * (level // 50) + 1) - level // 50
            elif kind == 2:
                s = x % (2 * level + 1) - level
            else:
                s = triangle(i, rate, freq, 2 * level) + x % 201 - 100
            out.append(s)
    return out


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for c in text.encode():
        h = ((h ^ c) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def flags(rate, frame_ms, mode, switch_at=None, switch_to=None, signal=test_signal):
    """One detector over the whole signal; optionally set_mode(switch_to) before frame `switch_at`."""
    pcm = signal(rate)
    n = rate * frame_ms // 1000
    vad = webrtcvad.Vad(mode)
    data = b"".join(int(s).to_bytes(2, "little", signed=True) for s in pcm)
    out = ""
    for f in range(len(pcm) // n):
        if f == switch_at:
            vad.set_mode(switch_to)
        out += "1" if vad.is_speech(data[2 * n * f:2 * n * (f + 1)], rate) else "0"
    return out


def fresh_flags(rate, frame_ms, mode):
    """Each frame judged alone by a new detector."""
    pcm = test_signal(rate)
    n = rate * frame_ms // 1000
    data = b"".join(int(s).to_bytes(2, "little", signed=True) for s in pcm)
    return "".join("1" if webrtcvad.Vad(mode).is_speech(data[2 * n * f:2 * n * (f + 1)], rate) else "0"
                   for f in range(len(pcm) // n))


# Mode 3 (RTVC's) everywhere; the other modes at a few rates and frame lengths.
CASES = [(8000, 30, 3), (16000, 30, 3), (32000, 30, 3), (48000, 30, 3), (8000, 10, 3), (16000, 20, 3),
         (32000, 10, 3), (48000, 10, 3), (16000, 30, 2), (8000, 20, 0), (32000, 20, 1), (48000, 20, 0)]

if __name__ == "__main__":
    for rate, ms, mode in CASES:
        print(f'    {{{rate}, {ms}, {mode}, "{flags(rate, ms, mode)}"}},')
    print("16 kHz, 30 ms, mode 0 then 3 from frame 50:", flags(16000, 30, 0, 50, 3))
    print("16 kHz, 30 ms, mode 3, fresh detector per frame:", fresh_flags(16000, 30, 3))
    for rate in (8000, 16000, 32000, 48000):
        f = flags(rate, 10, 3, signal=bursts_signal)
        print(f"    {{{rate}, {f.count('1')}, 0x{fnv1a64(f):016x}ull}},  // bursts, 10 ms, mode 3")
