import { View } from '@tarojs/components';

export default function Placeholder() {
  return <View>加载中…</View>;
}
