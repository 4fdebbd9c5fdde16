/**
 * What an exported model must meet to run in the plugin's RTNeural runtime. The trainer's verifier, the
 * promotion gates and the trainer's summary all read it from here (libs/models takes the figures as
 * parameters, since it cannot import this lib).
 */
export const RTNEURAL_CONTRACT = Object.freeze({
  /** Max |tfjs predict − RTNeural streaming| over every output value of the held-out clips. */
  parityTolerance: 1e-4,
  /** Audio hop in ms the plugin runs one model frame per (256 samples at 16 kHz). */
  hopMs: 16,
  /**
   * Real RTNeural's p99 per-frame time (thread CPU, ≥ 1,000 frames after warm-up) must stay within this share
   * of the hop: a 4× margin for the plugin's other work (audio, feature extraction, the other models).
   */
  nativeHopShare: 0.25,
  /** Fewest timed frames a native per-frame figure may rest on. */
  nativeMinFrames: 1000,
});

export type RtneuralContract = typeof RTNEURAL_CONTRACT;
