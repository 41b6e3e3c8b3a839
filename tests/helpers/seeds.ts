import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * Property runs that remember what broke them. `tests/unit/seeds/<file>.json` maps a property's name
 * to the seeds (and shrink paths) that once failed; each is replayed before the fresh random runs, so
 * a bug found once by chance stays found. fast-check's failure message gives the `seed` and `path`
 * to add there.
 */
export function withKeptSeeds<T>(name: string, property: fc.IProperty<T>, params: fc.Parameters<T> = {}, file = 'domain') {
  for (const { seed, path } of keptSeeds(file)[name] ?? []) {
    // Exactly the recorded case, its shrink path included.
    fc.assert(property, { ...params, seed, path, endOnFailure: true });
  }
  try {
    fc.assert(property, params);
  } catch (err) {
    (err as Error).message += `\n\nKeep this case: add {"seed": …, "path": "…"} from the line above under "${name}" in tests/unit/seeds/${file}.json`;
    throw err;
  }
}

function keptSeeds(file: string): Record<string, { seed: number; path?: string }[]> {
  return JSON.parse(readFileSync(new URL(`../unit/seeds/${file}.json`, import.meta.url), 'utf8'));
}
