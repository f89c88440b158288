import { blocksFromText, shanghaiDay } from './newsroom.service';

describe('shanghaiDay', () => {
  it('turns over at midnight Asia/Shanghai (16:00 UTC), not at UTC midnight', () => {
    expect(shanghaiDay(new Date('2026-11-24T15:59:59.999Z'))).toBe('2026-11-24');
    expect(shanghaiDay(new Date('2026-11-24T16:00:00.000Z'))).toBe('2026-11-25');
    expect(shanghaiDay(new Date('2026-11-24T00:30:00.000Z'))).toBe('2026-11-24');
  });
});

describe('blocksFromText', () => {
  it('makes one paragraph per non-blank line, then the images, then the video', () => {
    expect(blocksFromText('第一段\n\n  第二段  \n', ['https://x/a.png'], 'https://v.example/1')).toEqual([
      { type: 'paragraph', text: '第一段' },
      { type: 'paragraph', text: '第二段' },
      { type: 'image', url: 'https://x/a.png' },
      { type: 'video', url: 'https://v.example/1' },
    ]);
  });

  it('keeps markup as plain text: blocks are rendered as text, never as HTML', () => {
    expect(blocksFromText('<img src=x onerror=alert(1)>', [], null)).toEqual([{ type: 'paragraph', text: '<img src=x onerror=alert(1)>' }]);
  });
});
