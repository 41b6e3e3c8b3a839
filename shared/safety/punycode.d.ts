// punycode.js ships no types (@types/punycode describes Node's deprecated built-in `punycode`).
declare module 'punycode.js' {
  const punycode: {
    /** Decodes the `xn--` labels of a domain; throws RangeError on invalid Punycode. */
    toUnicode(domain: string): string;
  };
  export default punycode;
}
