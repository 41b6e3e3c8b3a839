/**
 * The default branch of a switch over a union: it compiles only while every member of the union has
 * its case (tsc, `npm run check`), so a new command or event type that a switch forgets fails the
 * type check; a value from outside the union that arrives at run time throws.
 */
export function exhaustive(value: never, what: string): never {
  throw new Error(`unhandled ${what} ${JSON.stringify(value)}`);
}
