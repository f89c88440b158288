import '@nutui/icons-react-taro/dist/style_icon.css';
import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { auth } from './services/request';
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
  return children;
}

export default App;
