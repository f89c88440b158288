/**
 * The phone's position (miniprogram/src/utils/position.ts, utils/gcj02.ts): always GCJ-02, the datum stored
 * places and check-in geofences use. WeChat is asked for gcj02; Taro's H5 getLocation fails for anything but
 * wgs84, so the web asks for that and shifts it; a refusal is null, not an error.
 */
import { greatCircleMetres } from '../../server/src/core/geo';
import { wgs84ToGcj02 } from '../../miniprogram/src/utils/gcj02';

const asked: string[] = [];
let answer: { latitude: number; longitude: number } | 'refused' = 'refused';
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getLocation: async ({ type }: { type: string }) => {
      asked.push(type);
      // Taro's H5 getLocation rejects every type but wgs84.
      if (process.env.TARO_ENV === 'h5' && type !== 'wgs84') throw new Error('getLocation:fail type');
      if (answer === 'refused') throw new Error('getLocation:fail auth deny');
      return answer;
    },
  },
}));

// Written out rather than imported: the module's types would pull @tarojs/taro's globals into the root program.
type Position = { lat: number; lng: number } | null;
const { currentPosition } = jest.requireActual<{ currentPosition: () => Promise<Position> }>('../../miniprogram/src/utils/position');

describe('WGS-84 → GCJ-02', () => {
  it('matches the published closed form', () => {
    // Reference values from wandergis/coordtransform's own example (wgs84togcj02(116.404, 39.915)).
    const p = wgs84ToGcj02({ lat: 39.915, lng: 116.404 });
    expect(p.lat).toBeCloseTo(39.91640428150164, 9);
    expect(p.lng).toBeCloseTo(116.41024449916938, 9);
  });

  it('shifts a point in the county by a few hundred metres, and leaves one outside China alone', () => {
    const here = { lat: 26.8382, lng: 116.3251 };
    const shift = greatCircleMetres(here, wgs84ToGcj02(here));
    expect(shift).toBeGreaterThan(100);
    expect(shift).toBeLessThan(700);
    expect(wgs84ToGcj02({ lat: 48.8584, lng: 2.2945 })).toEqual({ lat: 48.8584, lng: 2.2945 });
  });
});

describe('currentPosition', () => {
  const savedEnv = process.env.TARO_ENV;
  beforeEach(() => {
    asked.length = 0;
  });
  afterAll(() => {
    process.env.TARO_ENV = savedEnv;
  });

  it('asks WeChat for gcj02 and passes it on', async () => {
    process.env.TARO_ENV = 'weapp';
    answer = { latitude: 26.84, longitude: 116.33 };
    await expect(currentPosition()).resolves.toEqual({ lat: 26.84, lng: 116.33 });
    expect(asked).toEqual(['gcj02']);
  });

  it('asks H5 for wgs84 (the only type it knows) and answers in GCJ-02', async () => {
    process.env.TARO_ENV = 'h5';
    answer = { latitude: 39.915, longitude: 116.404 };
    const p = await currentPosition();
    expect(asked).toEqual(['wgs84']);
    expect(p?.lat).toBeCloseTo(39.91640428150164, 9);
    expect(p?.lng).toBeCloseTo(116.41024449916938, 9);
  });

  it('is null when the person refuses', async () => {
    process.env.TARO_ENV = 'h5';
    answer = 'refused';
    await expect(currentPosition()).resolves.toBeNull();
  });
});
