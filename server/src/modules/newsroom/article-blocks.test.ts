/** Article bodies from a submission's text: paragraphs, then images, then the video; markup stays text. */
import { blocksFromText } from './newsroom.service';

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
