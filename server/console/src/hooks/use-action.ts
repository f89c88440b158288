import { App } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/client';

/**
 * A row action (停用, 下架, 删除…): runs it, says `done` on success and calls `after` (reload the list); a refusal
 * opens a dialog with the API's Chinese message.
 */
export function useAction(after: () => void) {
  const { message, modal } = App.useApp();
  return useCallback(
    async (work: () => Promise<unknown>, done: string) => {
      try {
        await work();
        message.success(done);
        after();
      } catch (err) {
        modal.error({ title: '操作未完成', content: err instanceof ApiError ? err.message : '网络错误，请重试' });
      }
    },
    [after, message, modal],
  );
}
