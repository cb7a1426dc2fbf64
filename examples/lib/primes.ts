/** The book's prime-factorisation workload (chapters 1 and 3), shared by several examples. */

/** Prime factors of `n`, repeated factors included (trial division, as in the book). */
export function calculatePrimeFactors(n: number): number[] {
  const primfac: number[] = [];
  let d = 2;
  while (d * d <= n) {
    while (n % d === 0) {
      primfac.push(d);
      n = Math.floor(n / d);
    }
    d += 1;
  }
  if (n > 1) primfac.push(n);
  return primfac;
}

/** Python's list repr of numbers: `[2, 2, 5]`. */
export function reprNumbers(list: readonly number[]): string {
  return `[${list.join(', ')}]`;
}

/** The large numbers of chapters 7 and 8 (`poolImprovement.py`, `mpExample.py`); the last is not prime. */
export const PRIMES = [
  112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099,
  112272535095293, 115280095190773, 115797848077099, 112272535095293, 115280095190773,
  115797848077099, 112272535095293, 115280095190773, 115797848077099, 1099726899285419,
];

/** The book's `is_prime`: odd trial division up to √n (CPU-bound, a few ms per number in V8). */
export function isPrimeBook(n: number): boolean {
  if (n % 2 === 0) return false;
  const sqrtN = Math.floor(Math.sqrt(n));
  for (let i = 3; i <= sqrtN; i += 2) if (n % i === 0) return false;
  return true;
}

/** Python's `str()` of a boolean. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}
