/**
 * Compile-time checks that a type the domain (or shared/safety) defines and the wire schema's type
 * are the same, so neither can change without the other (and, through the schema, the hash in
 * tests/unit/protocol-version.test.ts). Used as `type _ = Assert<Same<A, B>>`; nothing runs.
 */

/**
 * A and B accept the same values and name the same fields, all the way down (an optional field or
 * one more field on either side is a difference, though assignability alone would let it pass).
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameFields<A, B> : false) : false;

type SameFields<A, B> = [A] extends [readonly unknown[]]
  ? [B] extends [readonly unknown[]]
    ? Same<A[number], B[number]>
    : false
  : [A] extends [object]
    ? [B] extends [object]
      ? [keyof A] extends [keyof B]
        ? [keyof B] extends [keyof A]
          ? AllTrue<{ [K in keyof A]-?: K extends keyof B ? Same<A[K], B[K]> : false }>
          : false
        : false
      : false
    : [A] extends [NonNullable<A>]
      ? true
      : [NonNullable<A>] extends [never]
        ? true
        : Same<NonNullable<A>, NonNullable<B>>;

type AllTrue<T> = false extends T[keyof T] ? false : true;

export type Assert<T extends true> = T;
