import type { RouterOutputs } from '../lib/router-types';
import { Num } from './status-chip';

type Figures = NonNullable<RouterOutputs['runs']['get']['rtneural']>;

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${Number((v * 100).toPrecision(2))} %`;

/** Real RTNeural (C++) and the TypeScript reference side by side: error vs tfjs and per-frame time. */
export function RtneuralFiguresView({ figures }: { figures: Figures }) {
  const rows = [
    { name: 'native (C++)', key: 'native', f: figures.native, p99: figures.native?.p99Ms },
    { name: 'TypeScript reference', key: 'typescript', f: figures.typescript, p99: undefined },
  ] as const;
  return (
    <table className="data" data-testid="rtneural-figures">
      <thead>
        <tr>
          <th>RTNeural</th>
          <th>max |err| vs tfjs</th>
          <th>median ms/frame</th>
          <th>p99 ms/frame</th>
          <th>share of the {figures.hopMs} ms hop</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-impl={r.key}>
            <td>{r.name}</td>
            <td className="num">{r.f ? <Num value={r.f.maxAbsErr} /> : '—'}</td>
            <td className="num">{r.f ? <Num value={r.f.medianMs} /> : '—'}</td>
            <td className="num">{r.p99 !== undefined && r.p99 !== null ? <Num value={r.p99} /> : '—'}</td>
            <td className="num">{pct(r.f?.hopShare)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
