/**
 * Compile-time checks that a type the domain (or shared/safety) defines and the wire schema's type
 * are the same, so neither can change without the other (and, through the schema, the hash in
 * tests/unit/protocol-version.test.ts). Used as `type _ = Assert<Same<A, B>>`; nothing runs.
 */
type Simplify<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]: Simplify<T[K]> } : T;

/** True when A and B are the same type, looked at field by field (intersections and aliases flattened). */
export type Same<A, B> = (<T>() => T extends Simplify<A> ? 1 : 2) extends <T>() => T extends Simplify<B> ? 1 : 2 ? true : false;

export type Assert<T extends true> = T;
