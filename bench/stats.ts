// Small figures helpers shared by the benchmarks.

/** Percentiles (nearest rank) of samples, in their unit. */
export function percentiles(samples: ArrayLike<number>, ranks: readonly number[] = [50, 95, 99, 100]): number[] {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return ranks.map(() => NaN);
  return ranks.map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '-');
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)}MB`;
