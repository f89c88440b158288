import Taro from '@tarojs/taro';
import { wgs84ToGcj02 } from './gcj02';

/**
 * The phone's position in GCJ-02 (the map datum WeChat answers in and stored places use), or null when
 * refused or unavailable. Taro's H5 getLocation knows only WGS-84 and fails for anything else, so the web
 * asks for that and shifts it (100–700 m in mainland China: enough to matter to a check-in geofence).
 */
export async function currentPosition(): Promise<{ lat: number; lng: number } | null> {
  try {
    if (process.env.TARO_ENV === 'h5') {
      const loc = await Taro.getLocation({ type: 'wgs84' });
      return wgs84ToGcj02({ lat: loc.latitude, lng: loc.longitude });
    }
    const loc = await Taro.getLocation({ type: 'gcj02' });
    return { lat: loc.latitude, lng: loc.longitude };
  } catch {
    return null;
  }
}
