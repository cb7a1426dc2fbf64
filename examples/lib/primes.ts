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
