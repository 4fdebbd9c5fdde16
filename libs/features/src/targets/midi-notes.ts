import toneMidi from '@tonejs/midi';

/** One note in seconds; velocity 0…1. */
export interface MidiNote {
  readonly midi: number;
  readonly start: number;
  readonly duration: number;
  readonly velocity: number;
}

/**
 * Parses a Standard MIDI File (via @tonejs/midi, tempo map applied) into notes sorted by start, all tracks.
 * With `sustain` (default true) a note released while the sustain pedal (CC64 ≥ 64) is down lasts until the
 * pedal lifts or the same key is struck again, as in the MAESTRO/Onsets-and-Frames convention.
 * @throws Error naming `name` when the bytes are not a MIDI file.
 */
export function readMidiNotes(
  bytes: Uint8Array,
  name: string,
  opts: { sustain?: boolean; includeDrums?: boolean } = {},
): MidiNote[] {
  let midi: InstanceType<typeof toneMidi.Midi>;
  try {
    midi = new toneMidi.Midi(bytes);
  } catch (e) {
    throw new Error(`${name}: not a readable MIDI file (${(e as Error).message})`, { cause: e });
  }
  const sustain = opts.sustain ?? true;
  const notes: MidiNote[] = [];
  for (const track of midi.tracks) {
    if (track.channel === 9 && !opts.includeDrums) continue;
    const pedal = (track.controlChanges[64] ?? []).map((c) => ({ time: c.time, down: c.value >= 0.5 }));
    const trackNotes = track.notes.map((n) => ({
      midi: n.midi,
      start: n.time,
      end: n.time + n.duration,
      velocity: n.velocity,
    }));
    if (sustain && pedal.length) extendBySustain(trackNotes, pedal);
    for (const n of trackNotes)
      notes.push({
        midi: n.midi,
        start: n.start,
        duration: Math.max(0, n.end - n.start),
        velocity: n.velocity,
      });
  }
  notes.sort((a, b) => a.start - b.start || a.midi - b.midi);
  return notes;
}

function extendBySustain(
  notes: { midi: number; start: number; end: number }[],
  pedal: { time: number; down: boolean }[],
): void {
  pedal.sort((a, b) => a.time - b.time);
  const isDown = (t: number): boolean => {
    let down = false;
    for (const p of pedal) {
      if (p.time > t) break;
      down = p.down;
    }
    return down;
  };
  const liftAfter = (t: number): number => pedal.find((p) => p.time > t && !p.down)?.time ?? Infinity;
  const byKey = new Map<number, { start: number; end: number }[]>();
  for (const n of notes) {
    const list = byKey.get(n.midi) ?? [];
    list.push(n);
    byKey.set(n.midi, list);
  }
  for (const list of byKey.values()) {
    list.sort((a, b) => a.start - b.start);
    list.forEach((n, i) => {
      if (!isDown(n.end)) return;
      const nextStrike = list[i + 1]?.start ?? Infinity;
      const lift = liftAfter(n.end);
      const end = Math.min(lift, nextStrike);
      if (Number.isFinite(end)) n.end = Math.max(n.end, end);
    });
  }
}
