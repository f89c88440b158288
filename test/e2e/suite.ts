import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { callApi, startStack, type ApiInit, type Stack } from './stack';

export interface E2eSuite {
  /** The seeded stack (API, H5 app, WeChat fake), started once for the test file. */
  readonly stack: Stack;
  /** Chromium, launched once for the test file. */
  readonly browser: Browser;
  /** A JSON call to the stack's API (callApi). */
  api<T>(path: string, init?: ApiInit): Promise<{ status: number; body: T }>;
}

/** Starts the seeded stack and Chromium before the file's tests and stops both after them. */
export function e2eSuite(): E2eSuite {
  let stack: Stack | undefined;
  let chromium: { browser: Browser; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    stack = await startStack();
    chromium = await launchBrowser();
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the e2e stack is started in beforeAll: use it inside a test');
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(chromium).browser;
    },
    api: <T>(path: string, init?: ApiInit) => callApi<T>(started(stack).apiUrl, path, init),
  };
}
