import { CompareView } from '../../components/compare-view';

export const dynamic = 'force-dynamic';

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const raw = Array.isArray(sp.runs) ? sp.runs.join(',') : (sp.runs ?? '');
  const ids = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 10);
  return (
    <>
      <h1>Compare</h1>
      <CompareView ids={ids} />
    </>
  );
}
