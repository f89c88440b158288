import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { useWechatFake } from './test-helpers';

describe('WeChat fake: getwxacodeunlimit renders a real, scannable PNG', () => {
  const wx = useWechatFake({ pages: ['pages/index/index', 'subpackages/volunteer/pages/checkin/index'] });

  const request = async (body: Record<string, unknown>) =>
    fetch(`${wx.fake.url}/wxa/getwxacodeunlimit?access_token=${await wx.accessToken()}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });

  it('returns a PNG whose QR encodes page and scene, at the requested width', async () => {
    const res = await request({ scene: 'e=64f1a2&t=9', page: 'subpackages/volunteer/pages/checkin/index', width: 300 });
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect(png.width).toBe(300);
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(`wxacode:subpackages/volunteer/pages/checkin/index?scene=${encodeURIComponent('e=64f1a2&t=9')}`);
  });

  it('defaults to the home page and a 430 px width, clamping width to 280–1280', async () => {
    const png = PNG.sync.read(Buffer.from(await (await request({ scene: 'x' })).arrayBuffer()));
    expect(png.width).toBe(430);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe('wxacode:pages/index/index?scene=x');
    const small = PNG.sync.read(Buffer.from(await (await request({ scene: 'x', width: 10 })).arrayBuffer()));
    expect(small.width).toBe(280);
  });

  it.each([
    ['a missing scene', {}, 40169],
    ['a scene over 32 chars', { scene: 'a'.repeat(33) }, 40169],
    ['a scene with a forbidden char', { scene: 'id=中文' }, 40129],
    ['a page with a leading slash', { scene: 'x', page: '/pages/index/index' }, 41030],
    ['a page with a query', { scene: 'x', page: 'pages/index/index?a=1' }, 41030],
    ['an unpublished page', { scene: 'x', page: 'pages/draft/index' }, 41030],
    ['a bad env_version', { scene: 'x', env_version: 'beta' }, 47001],
  ])('answers JSON errcode for %s', async (_name, body, errcode) => {
    const res = await request(body);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await res.json()).toMatchObject({ errcode });
  });

  it('allows an unpublished page when check_path is false', async () => {
    const res = await request({ scene: 'x', page: 'pages/draft/index', check_path: false, env_version: 'develop' });
    expect(res.headers.get('content-type')).toBe('image/png');
  });
});
