import { createCallerFactory, createTRPCRouter } from './trpc';
import { anomaliesRouter } from './routers/anomalies';
import { compareRouter } from './routers/compare';
import { ingestionRouter } from './routers/ingestion';
import { modelsRouter } from './routers/models';
import { runsRouter } from './routers/runs';

/** The dashboard API, one router per domain. */
export const appRouter = createTRPCRouter({
  runs: runsRouter,
  compare: compareRouter,
  anomalies: anomaliesRouter,
  ingestion: ingestionRouter,
  models: modelsRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, server components): `createCaller(createContextInner({ tracker }))`. */
export const createCaller = createCallerFactory(appRouter);
