import type { UploadPurpose, UploadResponse } from '@shared/schemas/newsroom';
import Taro from '@tarojs/taro';
import { ApiError, errorFromResponse } from './core/api-error';
import { API_BASE, api, tokens } from './request';

/**
 * THE image upload (POST /api/v1/files, multipart `file`, checked by WeChat for citizens), for every page
 * that sends pictures: 写稿, 问政, contest covers. Not imported by the tab pages' services, so it loads with
 * the subpackages that use it.
 *
 * Failures are always ApiErrors with a Chinese message: the server's own (FILE_TOO_LARGE, CONTENT_RISKY…),
 * NETWORK_ERROR when the request never got an answer, and a status-based one when the answer is not our
 * JSON (a proxy's HTML error page; its 413 reads as FILE_TOO_LARGE). An expired access token is refreshed once and the upload replayed.
 * `purpose: 'licence'` (商户入驻's licence photo) stores it private: its URL is a short-lived signed one.
 */
export async function uploadImage(filePath: string, purpose?: UploadPurpose): Promise<UploadResponse['file']> {
  let sentToken: string | undefined;
  const send = () => {
    const session = tokens.get();
    sentToken = session?.accessToken;
    return Taro.uploadFile({
      url: `${API_BASE ?? ''}/api/v1/files${purpose ? `?purpose=${purpose}` : ''}`,
      filePath,
      name: 'file',
      header: session ? { Authorization: `Bearer ${session.accessToken}` } : {},
    });
  };
  let res: Taro.uploadFile.SuccessCallbackResult;
  try {
    res = await send();
    // An expired access token: replay when another request already refreshed it, else refresh once (the
    // API client's single-flight refresh) and try again.
    if (res.statusCode === 401) {
      const stored = tokens.get()?.accessToken;
      if ((stored !== undefined && stored !== sentToken) || (await api.refreshSession())) res = await send();
    }
  } catch {
    throw new ApiError({ code: 'NETWORK_ERROR', status: 0 });
  }
  let body: unknown = res.data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = null;
    }
  }
  if (res.statusCode !== 201) {
    // A proxy in front of the API refusing a big body answers 413 with its own HTML page: still 图片太大.
    if (res.statusCode === 413 && !(body as { error?: unknown } | null)?.error) throw new ApiError({ code: 'FILE_TOO_LARGE', status: 413 });
    throw errorFromResponse(res.statusCode, body);
  }
  const file = (body as UploadResponse | null)?.file;
  if (!file) throw new ApiError({ code: 'BAD_RESPONSE', status: res.statusCode });
  return file;
}
