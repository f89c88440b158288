import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { z } from 'zod';
import { ConsoleApp } from './console-app';
import { SessionProvider } from './auth/session';

// The API's own choice (core/middleware/validate.ts): schema messages a form shows before sending are Chinese too.
z.config(z.locales.zhCN());

const theme = {
  token: {
    colorPrimary: '#c8161d',
    borderRadius: 6,
    fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
  },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* No space forced between two Chinese characters on buttons (停 用): labels read as words here. */}
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter basename="/console">
          <SessionProvider>
            <ConsoleApp />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
