import '@nutui/icons-react-taro/dist/style_icon.css';
import { useDidShow, useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { auth } from './services/request';
import { refreshUnreadBadge } from './services/unread-badge';
import { careMode } from './stores/care-mode';
import './app.scss';

// 关怀模式 is read from storage and applied before the first page draws.
void careMode;

function App({ children }: PropsWithChildren) {
  // Silent login at launch (WeChat: Taro.login; H5 in dev: a code from the WeChat fake). Pages that need
  // a session call auth.ensureLoggedIn() too; both share one login.
  useLaunch(() => {
    void auth.ensureLoggedIn();
  });
  // Back in the foreground: new messages may have come (the 我的 tab's badge).
  useDidShow(() => {
    void refreshUnreadBadge();
  });
  return children;
}

export default App;
