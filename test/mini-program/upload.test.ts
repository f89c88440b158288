/**
 * The one image upload (miniprogram/src/services/upload.ts): every failure is an ApiError with a Chinese
 * message, an expired token is refreshed once and the upload replayed. Taro and the session are stand-ins.
 */
import { ApiError } from '../../miniprogram/src/services/core/api-error';

type Answer = { statusCode: number; data: unknown } | Error;
const answers: Answer[] = [];
const sentHeaders: Record<string, string>[] = [];
const sentUrls: string[] = [];
let accessToken: string | undefined = 'old';
const refreshSession = jest.fn(async () => {
  accessToken = 'new';
  return true;
});

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    uploadFile: async (opts: { url: string; header: Record<string, string> }) => {
      sentHeaders.push(opts.header);
      sentUrls.push(opts.url);
      const next = answers.shift();
      if (!next) throw new Error('no answer queued');
      if (next instanceof Error) throw next;
      return next;
    },
  },
}));
jest.mock('../../miniprogram/src/services/request', () => ({
  API_BASE: 'http://api.test',
  api: { refreshSession: () => refreshSession() },
  tokens: { get: () => (accessToken ? { accessToken } : null) },
}));

// Loaded by path, not imported: a type import would pull the mini-program's request.ts (which needs the
// mini-program's own env typings) into the server-side typecheck.
const { uploadImage } = jest.requireActual<{ uploadImage: (filePath: string, purpose?: 'licence') => Promise<unknown> }>(
  '../../miniprogram/src/services/upload',
);

const stored = { id: '6650f1c2a1b2c3d4e5f60718', url: 'http://api.test/files/x.jpg', contentType: 'image/jpeg', size: 10, safety: 'pass' };

async function failure(): Promise<ApiError> {
  const err = await uploadImage('/tmp/x.jpg').then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

beforeEach(() => {
  answers.length = 0;
  sentHeaders.length = 0;
  sentUrls.length = 0;
  accessToken = 'old';
  refreshSession.mockClear();
});

describe('uploadImage', () => {
  it('returns the stored file (the answer arrives as a JSON string in WeChat)', async () => {
    answers.push({ statusCode: 201, data: JSON.stringify({ file: stored }) });
    await expect(uploadImage('/tmp/x.jpg')).resolves.toEqual(stored);
    expect(sentHeaders).toEqual([{ Authorization: 'Bearer old' }]);
    expect(sentUrls).toEqual(['http://api.test/api/v1/files']);
  });

  it('sends a licence photo with purpose=licence (stored private), on the replay too', async () => {
    answers.push({ statusCode: 401, data: { error: { code: 'AUTH_REQUIRED' } } }, { statusCode: 201, data: { file: stored } });
    await expect(uploadImage('/tmp/x.jpg', 'licence')).resolves.toEqual(stored);
    expect(sentUrls).toEqual(['http://api.test/api/v1/files?purpose=licence', 'http://api.test/api/v1/files?purpose=licence']);
  });

  it('refreshes an expired token once and sends the picture again', async () => {
    answers.push({ statusCode: 401, data: { error: { code: 'AUTH_REQUIRED' } } }, { statusCode: 201, data: { file: stored } });
    await expect(uploadImage('/tmp/x.jpg')).resolves.toEqual(stored);
    expect(refreshSession).toHaveBeenCalledTimes(1);
    expect(sentHeaders).toEqual([{ Authorization: 'Bearer old' }, { Authorization: 'Bearer new' }]);
  });

  it("passes on the server's Chinese refusal", async () => {
    answers.push({ statusCode: 422, data: JSON.stringify({ error: { code: 'CONTENT_RISKY', message: '图片未通过安全检测' } }) });
    const err = await failure();
    expect(err.message).toBe('图片未通过安全检测');
    expect(err.status).toBe(422);
  });

  it("reads a proxy's HTML 413 page as 图片太大, not as a JSON SyntaxError", async () => {
    answers.push({ statusCode: 413, data: '<html><body><h1>413 Request Entity Too Large</h1></body></html>' });
    const err = await failure();
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('any other unreadable answer and a lost connection are Chinese errors too', async () => {
    answers.push({ statusCode: 502, data: '<html>Bad Gateway</html>' });
    expect((await failure()).message).toMatch(/[\u4e00-\u9fff]/);
    answers.push(new Error('uploadFile:fail timeout'));
    const lost = await failure();
    expect(lost.code).toBe('NETWORK_ERROR');
    expect(lost.message).toBe('网络连接失败，请检查网络后重试');
    answers.push({ statusCode: 201, data: '{}' });
    expect((await failure()).code).toBe('BAD_RESPONSE');
  });
});
