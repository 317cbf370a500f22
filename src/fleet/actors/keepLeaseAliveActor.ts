import { type EventObject, fromCallback } from 'xstate';
import type { Lease } from '../lease.js';

/** Keeps a held lease alive while its provider call runs; leaving the state stops it. */
export const keepLeaseAliveActor = fromCallback<EventObject, { readonly lease: Lease }>(
  ({ input }) => input.lease.keepAlive(),
);
