import { Button as NutButton, type ButtonProps as NutButtonProps } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { buttonAttrs } from './button-attrs';

export type ButtonProps = Partial<Omit<NutButtonProps, 'ref'>>;

/**
 * The app's one button: NutUI's, themed by our tokens (styles/theme.scss). Use it for every action
 * instead of Taro's <Button> or NutUI's directly. Two looks: `type="primary"` (filled brand colour) for the one
 * main action of a screen, and no type for secondary actions (brand colour on its pale tint, WeUI's
 * secondary button); grey is kept for disabled. `size="mini"` draws as NutUI's small (a mini button is
 * too small a target for many residents), and a false `disabled` is left out: Taro H5 renders
 * disabled={false} as disabled="false", which [disabled] styles match.
 */
export function Button(props: ButtonProps) {
  return <NutButton {...(buttonAttrs(props) as ButtonProps)} />;
}
