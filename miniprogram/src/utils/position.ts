import Taro from '@tarojs/taro';

/**
 * The phone's position, or null when refused or unavailable. WeChat answers in GCJ-02 (the map's system,
 * which stored places use); Taro's H5 getLocation knows only WGS-84 and fails for anything else, so the web
 * asks for that (a few hundred metres off in mainland China: fine for "how far", not for a geofence).
 */
export async function currentPosition(): Promise<{ lat: number; lng: number } | null> {
  try {
    const loc = await Taro.getLocation({ type: process.env.TARO_ENV === 'h5' ? 'wgs84' : 'gcj02' });
    return { lat: loc.latitude, lng: loc.longitude };
  } catch {
    return null;
  }
}
