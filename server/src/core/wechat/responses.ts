import { z } from 'zod';

/** Shapes of WeChat's success answers; anything else is treated as an outage, never trusted. */

export const code2SessionResponse = z.object({
  openid: z.string().min(1),
  session_key: z.string().min(1),
  unionid: z.string().min(1).optional(),
});

export const accessTokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

const suggest = z.enum(['pass', 'review', 'risky']);
/** WeChat documents label as a number but sometimes sends it as a string. */
export const label = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

export const msgSecCheckResponse = z.object({
  trace_id: z.string(),
  result: z.object({ suggest, label }),
});

export const mediaCheckAsyncResponse = z.object({ trace_id: z.string().min(1) });

export const phoneNumberResponse = z.object({
  phone_info: z.object({
    phoneNumber: z.string().min(1),
    purePhoneNumber: z.string().min(1),
    countryCode: z.string().min(1),
    watermark: z.object({ appid: z.string() }).optional(),
  }),
});

export const mediaCheckEvent = z.object({
  Event: z.literal('wxa_media_check'),
  appid: z.string().min(1),
  trace_id: z.string().min(1),
  result: z.object({ suggest, label }),
});
