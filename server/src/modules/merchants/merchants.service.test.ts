/** The directory's distance: haversine metres between two points, checked against known distances. */
import { distanceMetres } from './merchants.service';

describe('distanceMetres', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { lat: 26.838, lng: 116.325 };
    const b = { lat: 26.86, lng: 116.36 };
    expect(distanceMetres(a, a)).toBe(0);
    expect(distanceMetres(a, b)).toBeCloseTo(distanceMetres(b, a), 6);
  });

  it('matches known distances (one degree of latitude ≈ 111.2 km; Beijing–Shanghai ≈ 1,067 km)', () => {
    expect(distanceMetres({ lat: 26, lng: 116 }, { lat: 27, lng: 116 })).toBeGreaterThan(111_000);
    expect(distanceMetres({ lat: 26, lng: 116 }, { lat: 27, lng: 116 })).toBeLessThan(111_400);
    const km = distanceMetres({ lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 }) / 1000;
    expect(km).toBeGreaterThan(1060);
    expect(km).toBeLessThan(1075);
  });
});
