import { ModelsView } from '../../components/models-view';

export const dynamic = 'force-dynamic';

export default async function ModelsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return (
    <>
      <h1>Models</h1>
      <ModelsView model={one(sp.model)} runId={one(sp.run)} />
    </>
  );
}
