import { AppError } from '../../core/errors';
import { SEC_CHECK_SCENE, type ContentSuggest, type WechatClient } from '../../core/wechat';
import type { StoredImage } from '../storage';

/** What WeChat's checks say about a piece of user content (text now, images from their pushed verdicts). */
export interface ContentVerdict {
  textSafety: ContentSuggest;
  textLabel: number;
  /** Something needs an editor's eye: the text or an image said "review". */
  flagged: boolean;
  riskyImageIds: string[];
  /** Images whose verdict hasn't arrived yet. */
  pendingImageIds: string[];
}

/**
 * Text through msgSecCheck (as the author, scene forum) and images by their stored verdicts. Staff
 * accounts have no openid and are trusted. Used by submissions and 问政 posts alike.
 */
export async function checkContent(
  wechat: Pick<WechatClient, 'msgSecCheck'>,
  input: { openid: string | null; title: string; content: string; images: readonly StoredImage[] },
): Promise<ContentVerdict> {
  let textSafety: ContentSuggest = 'pass';
  let textLabel = 100;
  if (input.openid) {
    const verdict = await wechat.msgSecCheck({
      openid: input.openid,
      scene: SEC_CHECK_SCENE.forum,
      title: input.title,
      content: input.content,
    });
    textSafety = verdict.suggest;
    textLabel = verdict.label;
  }
  return {
    textSafety,
    textLabel,
    flagged: textSafety === 'review' || input.images.some((i) => i.safety === 'review'),
    riskyImageIds: input.images.filter((i) => i.safety === 'risky').map((i) => i.id),
    pendingImageIds: input.images.filter((i) => i.safety === 'pending').map((i) => i.id),
  };
}

/** Refuses content WeChat called risky (CONTENT_RISKY, saying whether the text or which images). */
export function refuseRisky(verdict: ContentVerdict): void {
  if (verdict.textSafety === 'risky') {
    throw new AppError('CONTENT_RISKY', {
      message: '文字内容未通过安全检测，请修改后再提交',
      details: { part: 'text', label: verdict.textLabel },
    });
  }
  if (verdict.riskyImageIds.length > 0) {
    throw new AppError('CONTENT_RISKY', {
      message: '有图片未通过安全检测，请更换后再提交',
      details: { part: 'images', imageIds: verdict.riskyImageIds },
    });
  }
}
