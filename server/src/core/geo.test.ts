/** Great-circle distance: zero, symmetric, and right against known distances. */
import { EARTH_MEAN_RADIUS_M, greatCircleMetres } from './geo';

describe('greatCircleMetres', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { lat: 26.8378, lng: 116.3252 };
    const b = { lat: 26.86, lng: 116.36 };
    expect(greatCircleMetres(a, a)).toBe(0);
    expect(greatCircleMetres(a, b)).toBeCloseTo(greatCircleMetres(b, a), 6);
  });

  it('matches known distances', () => {
    // One degree of latitude on a 6,371 km sphere: 6,371,000 × π / 180 = 111,194.9 m.
    expect(greatCircleMetres({ lat: 26, lng: 116 }, { lat: 27, lng: 116 })).toBeCloseTo(111_194.93, 1);
    // Beijing Tiananmen → Shanghai People's Square ≈ 1,067 km.
    const km = greatCircleMetres({ lat: 39.9087, lng: 116.3975 }, { lat: 31.2304, lng: 121.4737 }) / 1000;
    expect(km).toBeGreaterThan(1060);
    expect(km).toBeLessThan(1075);
  });

  it('scales with the radius it is given', () => {
    const a = { lat: 26, lng: 116 };
    const b = { lat: 27, lng: 116 };
    expect(greatCircleMetres(a, b, EARTH_MEAN_RADIUS_M)).toBeCloseTo(111_195.09, 1);
  });

  it('stays finite for antipodal points (half the circumference)', () => {
    expect(greatCircleMetres({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * 6_371_000, 0);
  });
});
