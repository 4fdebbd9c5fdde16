import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContextInner } from '../../../../server/context';
import { appRouter } from '../../../../server/root';
import { getTracker } from '../../../../server/tracker';

export const dynamic = 'force-dynamic';

function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContextInner({ tracker: getTracker() }),
    onError: ({ path, error }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error);
    },
  });
}

export { handler as GET, handler as POST };
