/** "100 米内", "350 米", "1.2 公里", "86 公里" (whole kilometres from 100 on); empty when the distance is unknown (no location). */
export const distanceText = (m: number | null): string => {
  if (m === null) return '';
  if (m < 100) return '100 米内';
  if (m < 1000) return `${m} 米`;
  return m < 100_000 ? `${(m / 1000).toFixed(1)} 公里` : `${Math.round(m / 1000)} 公里`;
};
