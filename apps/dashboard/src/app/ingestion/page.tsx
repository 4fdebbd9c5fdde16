import { IngestionView } from '../../components/ingestion-view';

export const dynamic = 'force-dynamic';

export default function IngestionPage() {
  return (
    <>
      <h1>Legacy ingestion</h1>
      <IngestionView />
    </>
  );
}
