'use client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../server/root';

/** `useTRPC()` gives typed query/mutation options for every procedure of the AppRouter. */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
