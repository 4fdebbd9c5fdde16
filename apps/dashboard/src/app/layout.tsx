import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import Link from 'next/link';
import { Providers } from '../components/providers';
import './globals.css';
import 'uplot/dist/uPlot.min.css';

// every page is rendered per request: its scripts carry the request's CSP nonce (see src/proxy.ts)
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Kelly ML', description: 'Runs, comparisons and run health' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="top">
          <Link className="brand" href="/">
            Kelly ML
          </Link>
          <Link href="/">Runs</Link>
          <Link href="/compare">Compare</Link>
          <Link href="/anomalies">Anomalies</Link>
          <Link href="/ingestion">Ingestion</Link>
          <Link href="/models">Models</Link>
        </header>
        <main>
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
