/** The entry page's line after a refused vote (miniprogram/src/subpackages/contests/vote-note.ts). */
import { ApiError, errorFromResponse } from '../../miniprogram/src/services/core/api-error';
import { voteErrorText } from '../../miniprogram/src/subpackages/contests/vote-note';

describe('voteErrorText', () => {
  it('tells how many seconds to wait while the vote gate recovers (the 503 body as the server sends it)', () => {
    const err = errorFromResponse(503, {
      error: { code: 'VOTE_GATE_RECOVERING', message: '投票通道正在恢复，请几秒后再试', details: { retryAfterSeconds: 6 } },
    });
    expect(voteErrorText(err)).toBe('投票通道正在恢复，请 6 秒后再试');
    // Without the wait (an older server): the server's own message.
    expect(voteErrorText(errorFromResponse(503, { error: { code: 'VOTE_GATE_RECOVERING' } }))).toBe('投票通道正在恢复，请几秒后再试');
  });

  it("shows the server's message for other refusals, and never the text of something that is not an API error", () => {
    expect(voteErrorText(new ApiError({ code: 'VOTE_DAILY_LIMIT', status: 422, message: '今天在本比赛的 3 票已用完，明天再来吧' }))).toBe(
      '今天在本比赛的 3 票已用完，明天再来吧',
    );
    expect(voteErrorText(new ApiError({ code: 'NETWORK_ERROR', status: 0 }))).toBe('网络连接失败，请检查网络后重试');
    expect(voteErrorText(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('投票失败，请稍后再试');
  });
});
