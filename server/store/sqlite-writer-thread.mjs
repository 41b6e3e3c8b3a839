// A worker's entry must be JavaScript that Node loads as is (Node 20 does not run .ts, and tsx's
// loader does not reach a worker's entry): this one loads the TypeScript thread through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./sqlite-writer-thread.ts', import.meta.url);
