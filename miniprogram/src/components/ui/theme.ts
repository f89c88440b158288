/** Design tokens for code (inline styles, NutUI theme). The SCSS twin is styles/tokens.scss. */
export const colors = {
  primary: '#c8102e',
  primaryLight: '#fdecee',
  text: '#1f2329',
  textSecondary: '#646a73',
  textMuted: '#8f959e',
  border: '#ebedf0',
  bg: '#f5f6f7',
  surface: '#ffffff',
  success: '#1a9e5c',
  warning: '#e58a00',
  danger: '#d83931',
} as const;

/** NutUI React Taro theme overrides (ConfigProvider `theme`). */
export const nutTheme = {
  nutuiColorPrimary: colors.primary,
  nutuiColorPrimaryStop1: colors.primary,
  nutuiColorPrimaryStop2: '#e0303f',
} as const;
