import { describe } from 'vitest';
import { MemoryEventStore } from '../helpers/memory-store.ts';
import { eventStoreContract } from './store-contract.ts';

/** The simulation's store keeps the same contract as the real ones, so what it finds is real. */
describe('in-memory store (the simulation’s)', () => {
  eventStoreContract('memory', async () => {
    const store = new MemoryEventStore();
    return { store, reopen: async () => store };
  });
});
