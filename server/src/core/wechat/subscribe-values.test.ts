import { clip, formatSubscribeValue, keywordType, subscribeValueProblem } from './subscribe-values';

describe('subscribe-message values', () => {
  it('takes the type from the keyword', () => {
    expect(keywordType('thing1')).toBe('thing');
    expect(keywordType('character_string12')).toBe('character_string');
  });

  it('clips free text to its limit by characters, folding whitespace', () => {
    expect(clip('  青溪路口\n红绿灯  ', 20)).toBe('青溪路口 红绿灯');
    expect(clip('一'.repeat(21), 20)).toBe(`${'一'.repeat(19)}…`);
    expect([...clip('😀'.repeat(30), 20)]).toHaveLength(20);
    expect(formatSubscribeValue('thing1', '一'.repeat(25))).toBe(`${'一'.repeat(19)}…`);
    expect(formatSubscribeValue('name2', '欧阳'.repeat(6))).toBe(`${'欧阳'.repeat(4)}欧…`);
  });

  it('writes instants in Shanghai time: date as the day, time as day and minute', () => {
    const at = new Date('2026-05-04T16:30:00Z');
    expect(formatSubscribeValue('date3', at)).toBe('2026-05-05');
    expect(formatSubscribeValue('time2', at)).toBe('2026-05-05 00:30');
    expect(formatSubscribeValue('number2', 12)).toBe('12');
  });

  it('names what WeChat would refuse, and passes what it takes', () => {
    expect(subscribeValueProblem('phrase2', '已受理')).toBeNull();
    expect(subscribeValueProblem('phrase2', '办理中请稍候')).toMatch(/^phrase2/);
    expect(subscribeValueProblem('phrase2', 'done')).toMatch(/^phrase2/);
    expect(subscribeValueProblem('thing1', '一'.repeat(21))).toMatch(/^thing1/);
    expect(subscribeValueProblem('number3', '12a')).toMatch(/^number3/);
    expect(subscribeValueProblem('time4', 'tomorrow')).toMatch(/^time4/);
    expect(subscribeValueProblem('time4', '2026-05-05 00:30')).toBeNull();
    expect(subscribeValueProblem('character_string5', 'A'.repeat(33))).toMatch(/^character_string5/);
    expect(subscribeValueProblem('thing1', '')).toMatch(/empty/);
    expect(subscribeValueProblem('foo1', 'x')).toMatch(/unknown keyword type/);
  });
});
