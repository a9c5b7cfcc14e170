/**
 * Seeded randomness for the simulated venue. Every draw is a pure function of its key (seed,
 * symbol, stretch of time), so any worker process computes the same prices for the same second
 * and a restart reproduces them.
 */

/** cyrb128: a fast 128-bit string hash, good enough to seed a generator (not for security). */
export function hash128(key: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < key.length; i += 1) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32 uniform generator on (0, 1), open at both ends so quantile functions stay finite. */
export function uniformStream(key: string): () => number {
  let [a, b, c, d] = hash128(key);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return ((t >>> 0) + 0.5) / 4294967296;
  };
  // The first outputs of a freshly seeded sfc32 are correlated with the seed: discard them.
  for (let i = 0; i < 12; i += 1) next();
  return next;
}

/** One uniform draw on (0, 1) for a key. */
export function uniformAt(key: string): number {
  return uniformStream(key)();
}

/**
 * A Student-t shock with 4 degrees of freedom, scaled to unit variance: fat tails (kurtosis is
 * infinite at 4 dof) from the closed-form quantile, one uniform per draw.
 */
export function studentT4(u: number): number {
  const alpha = 4 * u * (1 - u);
  const root = Math.sqrt(alpha);
  const q = Math.cos(Math.acos(root) / 3) / root;
  const t = Math.sign(u - 0.5) * 2 * Math.sqrt(Math.max(0, q - 1));
  return t / Math.SQRT2;
}
