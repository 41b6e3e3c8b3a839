/**
 * The two pieces of reading a link out of text that need no public-suffix list: which characters a
 * pasted URL is made of, and where sentence punctuation after it ends it. links.ts (chat) and
 * shared/share-text (the post form, on the phone) both use them; this file imports nothing, so the
 * phone does not download tldts with it.
 */

/** Characters a pasted URL is made of (RFC 3986 unreserved, reserved and `%`). */
export const URL_CHAR = "[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]";

/** Sentence punctuation that ends a pasted link rather than belonging to it. */
const TRAILING_PUNCTUATION = `.,;:!?'"`;

/**
 * The link without the sentence punctuation after it. A closing bracket belongs to the link only if
 * the link opened one ("(https://x.com/a)" loses it, ".../Foo_(bar)" keeps it). One pass from the
 * end with the brackets counted once: re-counting after each trimmed character was quadratic.
 */
export function trimLink(link: string): string {
  const opened = { ')': count(link, '('), ']': count(link, '[') };
  const closed = { ')': count(link, ')'), ']': count(link, ']') };
  let end = link.length;
  for (;;) {
    while (end > 0 && TRAILING_PUNCTUATION.includes(link[end - 1]!)) end--;
    const last = link[end - 1];
    if ((last !== ')' && last !== ']') || opened[last] >= closed[last]) break;
    closed[last]--;
    end--;
  }
  return link.slice(0, end);
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
