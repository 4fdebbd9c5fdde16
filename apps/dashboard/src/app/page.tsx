import { Suspense } from 'react';
import { RunsView } from '../components/runs-view';

export const dynamic = 'force-dynamic';

export default function RunsPage() {
  return (
    <>
      <h1>Runs</h1>
      <Suspense>
        <RunsView />
      </Suspense>
    </>
  );
}
