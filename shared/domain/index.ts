export * from './commands.ts';
export * from './decide.ts';
export * from './events.ts';
export * from './evolve.ts';
export * from './invariants.ts';
export * from './timers.ts';
export * from './types.ts';
export * from './notifications.ts';
