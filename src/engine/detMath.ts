/**
 * Deterministic logarithm, exponential and power functions.
 *
 * `Math.log`, `Math.exp` and `Math.pow` are not required to be correctly rounded, and V8 builds
 * disagree in the last bit on a few percent of inputs, which would make a replay diverge between
 * Node and a browser (ARCHITECTURE.md, "Determinism contract"). Everything here is built from
 * + − × ÷, comparisons, `Math.round`/`Math.floor` and reads and writes of IEEE-754 bit patterns,
 * all of which every conforming engine evaluates identically (ECMAScript forbids fusing a
 * multiply and an add), so each function returns the same bits everywhere.
 *
 * Accuracy: the logarithm is evaluated in double-double arithmetic (a value carried as an
 * unevaluated sum hi + lo) so that `pow` keeps about 2^-60 relative accuracy in y·ln(x) even when
 * that product is near ±745; results are within about one ulp of the exact value.
 */

// One shared view onto a float64's bits. Endianness is detected once, so the word holding the
// sign and exponent is found the same way on any machine.
const bitsFloat = new Float64Array(1);
const bitsWords = new Uint32Array(bitsFloat.buffer);
bitsFloat[0] = 1;
const HI = bitsWords[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** Builds a double from its two 32-bit words, so constants are exact by construction. */
function fromWords(hi: number, lo: number): number {
  bitsWords[HI] = hi;
  bitsWords[LO] = lo;
  return bitsFloat[0] as number;
}

/** ln 2 split so that k·LN2_HI is exact for |k| < 2^20 (its low 21 mantissa bits are zero). */
const LN2_HI = fromWords(0x3fe62e42, 0xfee00000);
/** The double nearest ln 2 − LN2_HI. */
const LN2_LO = fromWords(0x3dea39ef, 0x35793c76);
const INV_LN2 = fromWords(0x3ff71547, 0x652b82fe);
const TWO_54 = fromWords(0x43500000, 0);
/** Veltkamp's splitter 2^27 + 1, which cuts a double into two 26-bit halves. */
const SPLITTER = 134217729;
/** Beyond these, exp over- or underflows for certain; they also bound the reduction index. */
const EXP_ARG_MAX = 710;
const EXP_ARG_MIN = -746;

/**
 * Coefficients 2/(2i+5) of 2·atanh(s) = 2s + (2/3)s³ + s⁵·Σ (2/(2i+5))·s^(2i); ten terms leave a
 * truncation error below 2^-70 of the result for |s| ≤ 0.172.
 */
const ATANH_COEFFICIENTS = new Float64Array(10);
for (let i = 0; i < ATANH_COEFFICIENTS.length; i++) ATANH_COEFFICIENTS[i] = 2 / (2 * i + 5);

/** Coefficients 1/n! for n = 2..14; the first omitted term is below 2^-63 for |r| ≤ ln2/2. */
const EXP_COEFFICIENTS = new Float64Array(13);
{
  // n! is exact in a double up to 18!, so each coefficient is rounded once.
  let factorial = 1;
  for (let n = 2; n < EXP_COEFFICIENTS.length + 2; n++) {
    factorial *= n;
    EXP_COEFFICIENTS[n - 2] = 1 / factorial;
  }
}

// Double-double results come back through this scratch pair rather than an allocated object. It
// is a typed array, not two module-level `let`s, because a `let` holding a double is boxed by V8:
// every assignment would allocate.
const pair = new Float64Array(2);

function pairHi(): number {
  return pair[0] as number;
}

function pairLo(): number {
  return pair[1] as number;
}

/** Exact a + b as the scratch pair, valid when |a| ≥ |b| or a is 0 (Dekker). */
function fastTwoSum(a: number, b: number): void {
  const sum = a + b;
  pair[0] = sum;
  pair[1] = b - (sum - a);
}

/** Exact a + b as the scratch pair for any order of magnitude (Knuth). */
function twoSum(a: number, b: number): void {
  const sum = a + b;
  const bVirtual = sum - a;
  pair[0] = sum;
  pair[1] = a - (sum - bVirtual) + (b - bVirtual);
}

/** Exact a·b as the scratch pair without a fused multiply-add (Dekker, Veltkamp split). */
function twoProduct(a: number, b: number): void {
  const product = a * b;
  let t = SPLITTER * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = SPLITTER * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  pair[0] = product;
  pair[1] = aHi * bHi - product + aHi * bLo + aLo * bHi + aLo * bLo;
}

/**
 * Multiplies by 2^exponent with a single rounding, also when the result is subnormal. `value` must
 * lie within a factor of four of 1, which is all the callers need.
 */
function scaleByPowerOfTwo(value: number, exponent: number): number {
  if (exponent > 2200) return value * Infinity;
  if (exponent < -2200) return value * 0;
  let v = value;
  let e = exponent;
  // Steps of 2^±1000 keep the running value normal, so only the last product can round.
  while (e > 1000) {
    v *= fromWords(0x7e700000, 0);
    e -= 1000;
  }
  while (e < -1000) {
    v *= fromWords(0x01700000, 0);
    e += 1000;
  }
  return v * fromWords((e + 1023) << 20, 0);
}

/**
 * Splits finite x ≠ 0 into |x| = m · 2^k with m in [1, 2): sets `bitsFloat[0]` to m and returns k.
 */
function splitExponent(x: number): number {
  bitsFloat[0] = x;
  let hi = bitsWords[HI] as number;
  let k = 0;
  if ((hi & 0x7ff00000) === 0) {
    // Subnormal: scale into the normal range first so the exponent field is meaningful.
    bitsFloat[0] = x * TWO_54;
    hi = bitsWords[HI] as number;
    k = -54;
  }
  k += ((hi >>> 20) & 0x7ff) - 1023;
  bitsWords[HI] = (hi & 0x000fffff) | 0x3ff00000;
  return k;
}

/**
 * For finite x > 0, writes x = 2^k · m with m in [√½, √2), sets the scratch pair to ln m and
 * returns k. ln m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| ≤ 0.172; s itself is carried as a
 * double-double, because its rounding error would otherwise be the largest error in the result.
 */
function lnMantissa(x: number): number {
  let k = splitExponent(x);
  let m = bitsFloat[0] as number;
  if (m > Math.SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const f = m - 1; // exact (Sterbenz)
  // s = f / (2 + f) as sHi + sLo: the denominator exactly as dHi + dLo, then one Newton residual.
  fastTwoSum(2, f);
  const dHi = pairHi();
  const dLo = pairLo();
  const sHi = f / dHi;
  twoProduct(sHi, dHi);
  const sLo = (f - pairHi() - pairLo() - sHi * dLo) / dHi;
  // The cubic term is a few percent of ln m, so it too is formed in double-double: s³ from exact
  // products (with the first-order effect of sLo), then (2/3)·s³ by an exact division by 3.
  twoProduct(sHi, sHi);
  const zHi = pairHi();
  const zLo = pairLo();
  twoProduct(sHi, zHi);
  const cubeHi = 2 * pairHi();
  const cubeLo = 2 * (pairLo() + sHi * zLo + 3 * zHi * sLo);
  const thirdHi = cubeHi / 3;
  twoProduct(thirdHi, 3);
  const thirdLo = (cubeHi - pairHi() - pairLo() + cubeLo) / 3;
  // The rest, s⁵·(2/5 + …), is under 2^-12 of ln m: a plain double is accurate enough.
  let series = ATANH_COEFFICIENTS[ATANH_COEFFICIENTS.length - 1] as number;
  for (let i = ATANH_COEFFICIENTS.length - 2; i >= 0; i--) {
    series = series * zHi + (ATANH_COEFFICIENTS[i] as number);
  }
  const rest = sHi * zHi * zHi * series;
  fastTwoSum(2 * sHi, thirdHi);
  fastTwoSum(pairHi(), pairLo() + (2 * sLo + thirdLo + rest));
  return k;
}

/** ln x for finite x > 0 as the scratch pair. */
function lnDoubleDouble(x: number): void {
  const k = lnMantissa(x);
  const lnMLo = pairLo();
  // Add k·ln2: k·LN2_HI is exact, and the error of k·LN2_LO is far below an ulp of the total.
  twoSum(k * LN2_HI, pairHi());
  fastTwoSum(pairHi(), pairLo() + (lnMLo + k * LN2_LO));
}

/**
 * e^(hi + lo) for a double-double argument with |lo| ≤ ulp(hi).
 *
 * hi + lo = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series, then the exact scaling by 2^k.
 */
function expDoubleDouble(hi: number, lo: number): number {
  if (hi > EXP_ARG_MAX) return Infinity;
  if (hi < EXP_ARG_MIN) return 0;
  const k = Math.round(hi * INV_LN2);
  // hi − k·LN2_HI is exact: k·LN2_HI has at most 43 significant bits, none below 2^-32, so
  // both terms are multiples of ulp(hi), and for k ≠ 0 the difference is no larger than |hi|.
  const rHi = hi - k * LN2_HI;
  const rLo = lo - k * LN2_LO;
  const r = rHi + rLo;
  const rTail = rLo - (r - rHi);
  let q = EXP_COEFFICIENTS[EXP_COEFFICIENTS.length - 1] as number;
  for (let n = EXP_COEFFICIENTS.length - 2; n >= 0; n--) {
    q = q * r + (EXP_COEFFICIENTS[n] as number);
  }
  // e^r = (1 + r) + r²·q with 1 + r kept exact, so the only sizeable error is the final rounding;
  // e^(r + rTail) ≈ e^r + rTail·(1 + r).
  fastTwoSum(1, r);
  const onePlusR = pairHi();
  const p = onePlusR + (pairLo() + (r * r * q + rTail * onePlusR));
  return scaleByPowerOfTwo(p, k);
}

/**
 * Natural logarithm, bit-identical in every engine.
 *
 * @returns NaN for NaN or x < 0, −Infinity for ±0, Infinity for Infinity.
 */
export function ln(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  lnDoubleDouble(x);
  return pairHi() + pairLo();
}

/**
 * Base-2 logarithm, bit-identical in every engine; exact for powers of two.
 *
 * @returns NaN for NaN or x < 0, −Infinity for ±0, Infinity for Infinity.
 */
export function log2(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  // log2 x = k + ln m / ln2, so powers of two (m = 1, ln m = 0) come out exact.
  const k = lnMantissa(x);
  return k + (pairHi() + pairLo()) * INV_LN2;
}

/**
 * ln(1 + x), accurate also for tiny x, bit-identical in every engine.
 *
 * @returns NaN for NaN or x < −1, −Infinity for −1, x itself for ±0.
 */
export function log1p(x: number): number {
  if (!(x > -1)) return x === -1 ? -Infinity : NaN;
  if (x === 0 || x === Infinity) return x;
  const u = 1 + x;
  // For ½ ≤ u < 2^53, u − 1 is exact, and for x < −½ the sum 1 + x is itself exact, so c is the
  // rounding error of 1 + x and ln(1 + x) = ln u + ln(1 + c/u) ≈ ln u + c/u. Beyond 2^53 c is
  // inexact but below 2^-52, against ln u > 36.
  const c = (x - (u - 1)) / u;
  if (u === 1) return x;
  lnDoubleDouble(u);
  return pairHi() + (pairLo() + c);
}

/**
 * e^x, bit-identical in every engine.
 *
 * @returns NaN for NaN, 0 for −Infinity or x below about −745.13, Infinity above about 709.78.
 */
export function exp(x: number): number {
  if (x !== x) return NaN;
  return expDoubleDouble(x, 0);
}

/** Whether y is an odd integer (every double beyond 2^53 is even). */
function isOddInteger(y: number): boolean {
  return Math.floor(y) === y && Math.abs(y) < 9007199254740992 && Math.abs(y % 2) === 1;
}

/**
 * Normalises the scratch pair, with its high part in [¼, 4), to a high part in [1, 2) and returns
 * the power of two taken out.
 */
function normalizeDoubleDouble(): number {
  bitsFloat[0] = pairHi();
  const e = ((bitsWords[HI] as number) >>> 20) - 1023;
  const scale = fromWords((1023 - e) << 20, 0);
  pair[0] = pairHi() * scale;
  pair[1] = pairLo() * scale;
  return e;
}

/**
 * |x|^|n| for an integer n ≥ 1 by binary powering in double-double with a separate binary
 * exponent, so intermediate values neither round visibly nor overflow; then the reciprocal for
 * negative y. Results that are representable (2^10, 10^22, 3^33…) come out exact.
 */
function powInteger(x: number, y: number): number {
  let baseExponent = splitExponent(x);
  let baseHi = bitsFloat[0] as number;
  let baseLo = 0;
  let accHi = 1;
  let accLo = 0;
  let accExponent = 0;
  let n = Math.abs(y);
  for (;;) {
    if (n % 2 === 1) {
      twoProduct(accHi, baseHi);
      pair[1] = pairLo() + (accHi * baseLo + accLo * baseHi);
      fastTwoSum(pairHi(), pairLo());
      accExponent += baseExponent + normalizeDoubleDouble();
      accHi = pairHi();
      accLo = pairLo();
    }
    n = Math.floor(n / 2);
    if (n === 0) break;
    twoProduct(baseHi, baseHi);
    pair[1] = pairLo() + 2 * baseHi * baseLo;
    fastTwoSum(pairHi(), pairLo());
    baseExponent = 2 * baseExponent + normalizeDoubleDouble();
    baseHi = pairHi();
    baseLo = pairLo();
  }
  if (y < 0) {
    // 1/(h + l) = q + (1 − q·h − q·l)/h, with q·h taken exactly.
    const q = 1 / accHi;
    twoProduct(q, accHi);
    fastTwoSum(q, (1 - pairHi() - pairLo() - q * accLo) / accHi);
    accExponent = -accExponent + normalizeDoubleDouble();
    accHi = pairHi();
    accLo = pairLo();
  }
  const magnitude = scaleByPowerOfTwo(accHi + accLo, accExponent);
  return x < 0 && isOddInteger(y) ? -magnitude : magnitude;
}

/** x^y for the cases where x or y is NaN, zero or infinite, following `Math.pow`. */
function powSpecial(x: number, y: number): number {
  if (y === 0) return 1;
  if (x !== x || y !== y) return NaN;
  const isOdd = isOddInteger(y);
  if (y === Infinity || y === -Infinity) {
    const ax = Math.abs(x);
    if (ax === 1) return NaN;
    return ax > 1 === y > 0 ? Infinity : 0;
  }
  if (x === 0) {
    if (y > 0) return isOdd ? x : 0;
    return isOdd ? 1 / x : Infinity;
  }
  // x is ±Infinity.
  if (y > 0) return isOdd ? x : Infinity;
  return isOdd && x < 0 ? -0 : 0;
}

/**
 * x^y, bit-identical in every engine, with `Math.pow`'s special cases (NaN, ±0, ±Infinity,
 * pow(±1, ±Infinity) = NaN). Integer y (|y| < 2^53) is computed by binary powering in
 * double-double, so representable results such as pow(10, 3) are exact and negative x works;
 * otherwise x < 0 gives NaN, and x > 0 is e^(y·ln x) with ln x and the product in double-double.
 */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 0 || x !== x || y !== y || x === Infinity || x === -Infinity) {
    return powSpecial(x, y);
  }
  if (y === Infinity || y === -Infinity) return powSpecial(x, y);
  if (Math.floor(y) === y && Math.abs(y) < 9007199254740992) return powInteger(x, y);
  if (x < 0) {
    // Every double with |y| ≥ 2^53 is an even integer; any other non-integer has no real power.
    if (Math.floor(y) !== y) return NaN;
  }
  lnDoubleDouble(Math.abs(x));
  const lnHi = pairHi();
  const lnLo = pairLo();
  const estimate = y * lnHi;
  if (estimate > EXP_ARG_MAX) return Infinity;
  if (estimate < EXP_ARG_MIN) return 0;
  twoProduct(y, lnHi);
  fastTwoSum(pairHi(), pairLo() + y * lnLo);
  return expDoubleDouble(pairHi(), pairLo());
}
