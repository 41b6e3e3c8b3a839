/**
 * The text the personal-data detectors read: each character folded to the plain form people
 * disguise it from, with a map back to where it came from, so a match can be cut out of the
 * original text and everything around it stays exactly as written.
 *
 * Each character is folded on its own (NFKC per code point, not over the whole string): then every
 * folded character comes from exactly one original character and the map is exact. NFKC's only
 * cross-character work is composing accents and jamo, which no number, id or address needs.
 */
export interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`, the start and end (exclusive) of the original character. */
  start: Int32Array;
  end: Int32Array;
}

/**
 * What NFKC leaves alone but a disguise uses: Chinese numerals (大写 and 幺/两 as read aloud) for
 * digits, dash and dot lookalikes for separators, 。 for the dot of an address.
 */
const NUMERALS = ['〇零', '一壹幺', '二贰貳两', '三叁弎', '四肆', '五伍', '六陆陸', '七柒', '八捌', '九玖'];
const EXTRA: Readonly<Record<string, string>> = Object.fromEntries([
  ...NUMERALS.flatMap((chars, digit) => [...chars].map((c) => [c, String(digit)])),
  // Hyphens, dashes, minus and the long vowel mark ー, all used to split digits.
  ...[...'\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe58\ufe63'].map((c) => [c, '-']),
  ...[...'\u00b7\u2022\u2027\u30fb\u3002'].map((c) => [c, '.']),
  ['\t', ' '],
]);

/**
 * Characters that show nothing (zero-width spaces and joiners, soft hyphen, BOM) or only decorate
 * the one before (variation selectors, the keycap of 1️⃣): dropped, so "138\u200b1234…" is digits.
 */
const INVISIBLE = /^[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f\u20e3]$/;

export function fold(text: string): Folded {
  let out = '';
  let start = new Int32Array(text.length + 64);
  let end = new Int32Array(text.length + 64);
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const char = width === 1 ? text[i]! : text.slice(i, i + 2);
    let folded: string;
    // ASCII and the common ideographs are their own NFKC form.
    if (code < 0x80 || (code >= 0x4e00 && code <= 0x9fff)) folded = EXTRA[char] ?? char;
    else if (INVISIBLE.test(char)) folded = '';
    else {
      const normal = char.normalize('NFKC');
      folded = normal.length === 1 ? (EXTRA[normal] ?? normal) : [...normal].map((c) => EXTRA[c] ?? c).join('');
    }
    // Something invisible belongs to the character before it (the keycap of 1️⃣, a zero-width
    // space after a digit), so a match ending there takes it along.
    if (!folded && out.length) end[out.length - 1] = i + width;
    if (out.length + folded.length > start.length) {
      start = grow(start);
      end = grow(end);
    }
    for (let k = 0; k < folded.length; k++) {
      start[out.length + k] = i;
      end[out.length + k] = i + width;
    }
    out += folded;
    i += width;
  }
  return { text: out, start, end };
}

/** NFKC can make up to 18 units of one character (U+FDFA), so the maps may need to grow. */
function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** The original range of folded units [from, to). */
export function originalSpan(folded: Folded, from: number, to: number): [number, number] {
  return [folded.start[from]!, folded.end[to - 1]!];
}
