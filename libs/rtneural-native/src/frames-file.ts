/**
 * The runner's binary files (see native/runner.cpp): little-endian, float32 frames.
 * Input  `KRNI` v1: inSize, clips, per clip: frames, frames×inSize float32.
 * Output `KRNO` v1: outSize, clips, per clip: frames, frames×outSize float32; then timed frames N,
 * N float64 thread-CPU ns, N float64 wall ns.
 */

/** One clip: frames in time order, each a vector of the model's input size. */
export type Clip = readonly (readonly number[] | Float32Array)[];

export function encodeInput(inSize: number, clips: readonly Clip[]): Buffer {
  const frames = clips.reduce((n, c) => n + c.length, 0);
  const buf = Buffer.alloc(16 + clips.length * 4 + frames * inSize * 4);
  buf.write('KRNI', 0, 'latin1');
  buf.writeUInt32LE(1, 4);
  buf.writeUInt32LE(inSize, 8);
  buf.writeUInt32LE(clips.length, 12);
  let o = 16;
  clips.forEach((clip, c) => {
    buf.writeUInt32LE(clip.length, o);
    o += 4;
    clip.forEach((frame, t) => {
      if (frame.length !== inSize)
        throw new Error(`clip ${c} frame ${t} has ${frame.length} values, the model takes ${inSize}`);
      for (let j = 0; j < inSize; j++, o += 4) buf.writeFloatLE(frame[j]!, o);
    });
  });
  return buf;
}

export interface RunnerOutput {
  outSize: number;
  /** [clip][frame] → the model's output vector after that frame's forward(). */
  clips: Float32Array[][];
  /** Thread CPU time of each timed forward(), ns. */
  cpuNs: Float64Array;
  /** Wall time of each timed forward(), ns. */
  wallNs: Float64Array;
}

export function decodeOutput(buf: Buffer): RunnerOutput {
  const need = (n: number, what: string) => {
    if (o + n > buf.length) throw new Error(`runner output is truncated (${what})`);
  };
  let o = 0;
  need(16, 'header');
  if (buf.toString('latin1', 0, 4) !== 'KRNO' || buf.readUInt32LE(4) !== 1)
    throw new Error('runner output is not a KRNO v1 file');
  const outSize = buf.readUInt32LE(8);
  const n = buf.readUInt32LE(12);
  o = 16;
  const clips: Float32Array[][] = [];
  for (let c = 0; c < n; c++) {
    need(4, `clip ${c}`);
    const frames = buf.readUInt32LE(o);
    o += 4;
    need(frames * outSize * 4, `clip ${c} data`);
    const rows: Float32Array[] = [];
    for (let t = 0; t < frames; t++, o += outSize * 4)
      rows.push(new Float32Array(buf.buffer.slice(buf.byteOffset + o, buf.byteOffset + o + outSize * 4)));
    clips.push(rows);
  }
  need(4, 'timing');
  const timed = buf.readUInt32LE(o);
  o += 4;
  need(timed * 16, 'timing data');
  const f64 = (at: number) =>
    new Float64Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + timed * 8));
  return { outSize, clips, cpuNs: f64(o), wallNs: f64(o + timed * 8) };
}
