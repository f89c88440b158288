/**
 * Design tokens for code: canvas drawing, the app config's bar colours. The styles read the same values as
 * CSS variables declared in styles/theme.scss (keep the two in step).
 */
export const colors = {
  primary: '#c8102e',
  primaryLight: '#fdecee',
  onPrimary: '#ffffff',
  text: '#1f2329',
  textSecondary: '#4e5561',
  textMuted: '#737a85',
  border: '#e5e6eb',
  bg: '#f5f6f7',
  fill: '#f2f3f5',
  surface: '#ffffff',
  success: '#1a7f4b',
  warning: '#b25e00',
  warningLight: '#fff4e0',
  danger: '#d83931',
} as const;

/** NutUI React Taro theme overrides (ConfigProvider `theme`), for code that needs them: one colour, no gradient. */
export const nutTheme = {
  nutuiColorPrimary: colors.primary,
  nutuiColorPrimaryStop1: colors.primary,
  nutuiColorPrimaryStop2: colors.primary,
} as const;
