/** Great-circle distance: zero, symmetric, and right against known distances. */
import { EARTH_MEAN_RADIUS_M, greatCircleMetres } from './geo';

const tiananmen = { lat: 39.9087, lng: 116.3975 };
const peoplesSquare = { lat: 31.2304, lng: 121.4737 };

describe('greatCircleMetres', () => {
  it('is zero from a point to itself and the same both ways', () => {
    expect(greatCircleMetres(tiananmen, tiananmen)).toBe(0);
    expect(greatCircleMetres(tiananmen, peoplesSquare)).toBeCloseTo(greatCircleMetres(peoplesSquare, tiananmen), 6);
  });

  it.each([
    // One degree of latitude: radius × π / 180.
    ['one degree of latitude', { lat: 26, lng: 116 }, { lat: 27, lng: 116 }, 111_194.9, 111_195.0],
    ["Beijing Tiananmen → Shanghai People's Square (≈ 1,067 km)", tiananmen, peoplesSquare, 1_060_000, 1_075_000],
    ['antipodes (half the circumference, not NaN)', { lat: 0, lng: 0 }, { lat: 0, lng: 180 }, 20_015_086, 20_015_087],
  ])('measures %s', (_name, a, b, min, max) => {
    const m = greatCircleMetres(a, b);
    expect(m).toBeGreaterThanOrEqual(min);
    expect(m).toBeLessThanOrEqual(max);
  });

  it('scales with the radius it is given (check-in uses the mean radius)', () => {
    const degree = greatCircleMetres({ lat: 26, lng: 116 }, { lat: 27, lng: 116 }, EARTH_MEAN_RADIUS_M);
    expect(degree).toBeCloseTo((EARTH_MEAN_RADIUS_M * Math.PI) / 180, 3);
  });
});
