import { View } from '@tarojs/components';

/** Placeholder while the page is written. */
export default function Page() {
  return <View />;
}
