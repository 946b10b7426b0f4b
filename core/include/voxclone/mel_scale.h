// librosa's Slaney mel scale (htk=False): linear below 1 kHz, logarithmic above. Defined in dsp/mel.cpp.
//
//   double m = voxclone::hz_to_mel(4000.0);   // 35.1637…
//   double hz = voxclone::mel_to_hz(m);       // 4000
#pragma once

namespace voxclone {

/// librosa.hz_to_mel(hz, htk=False).
double hz_to_mel(double hz);
/// librosa.mel_to_hz(mel, htk=False).
double mel_to_hz(double mel);

}  // namespace voxclone
