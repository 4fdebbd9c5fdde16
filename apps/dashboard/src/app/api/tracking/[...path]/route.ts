import { getTrackingApi } from '../../../../server/tracking-api';

export const dynamic = 'force-dynamic';

/** `/api/tracking/…`: the tracking server's HTTP API beside tRPC (see @kelly/tracking createTrackingApi). */
const handle = (req: Request): Promise<Response> => getTrackingApi().handle(req);

export { handle as GET, handle as POST, handle as PUT, handle as PATCH };
