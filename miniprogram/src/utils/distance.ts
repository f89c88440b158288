/** "100 米内", "350 米", "1.2 公里"; empty when the distance is unknown (no location). */
export const distanceText = (m: number | null): string =>
  m === null ? '' : m < 100 ? '100 米内' : m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`;
