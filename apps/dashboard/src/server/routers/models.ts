import { createTRPCRouter } from '../trpc';

export const modelsRouter = createTRPCRouter({});
