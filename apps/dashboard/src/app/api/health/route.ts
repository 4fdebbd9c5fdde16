export const dynamic = 'force-dynamic';

/** Liveness probe (used by the test harness to know the server is up). */
export function GET(): Response {
  return Response.json({ ok: true });
}
