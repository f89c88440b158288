/** A point on the map in degrees (WGS-84 / GCJ-02 alike: over a county the datum shift cancels out). */
export interface LatLng {
  lat: number;
  lng: number;
}

/** The Earth radius distances use by default (6,371 km, the common round figure). */
export const EARTH_RADIUS_M = 6_371_000;
/**
 * The IUGG mean Earth radius. Volunteer check-in has always measured its geofence with it; the two radii
 * differ by 1.4 ppm (under a millimetre at a 500 m fence), kept apart only so no stored distance changes.
 */
export const EARTH_MEAN_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres between two points (haversine), not rounded: callers round for display
 * or storage. Clamped so floating-point error next to the antipode cannot give NaN.
 */
export function greatCircleMetres(a: LatLng, b: LatLng, radiusM: number = EARTH_RADIUS_M): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * radiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}
