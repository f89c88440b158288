/**
 * Whether list pictures load lazily. Only in the mini-program: Taro H5's Image sets up its lazy-load observer when
 * the element first loads, often before React has given it its `src`, and then never shows the picture (a blank
 * cover until something re-renders it). A browser page of a few dozen small pictures loads them at once.
 */
export const LAZY_IMAGES = process.env.TARO_ENV !== 'h5';
