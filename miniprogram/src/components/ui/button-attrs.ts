/** The props our Button hands NutUI's: no false `disabled` (Taro H5 writes it as disabled="false"), no mini size. */
export function buttonAttrs<P extends { disabled?: boolean; size?: string }>(props: P): P {
  const out = { ...props };
  if (!out.disabled) delete out.disabled;
  if (out.size === 'mini') out.size = 'small';
  return out;
}
