import { AnomaliesView } from '../../components/anomalies-view';

export const dynamic = 'force-dynamic';

export default function AnomaliesPage() {
  return (
    <>
      <h1>Anomalies</h1>
      <AnomaliesView />
    </>
  );
}
