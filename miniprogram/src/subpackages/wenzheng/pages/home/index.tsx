import { WENZHENG_CATEGORIES, type CaseState, type CaseView, type WenzhengCategory } from '@shared/schemas/wenzheng';
import { View } from '@tarojs/components';
import { useShareAppMessage } from '@tarojs/taro';
import { useState } from 'react';
import { Button, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { wenzhengApi } from '../../../../services/wenzheng.api';
import { go } from '../../../../utils/navigate';
import { CaseRow } from '../../components/case-row';
import '../../wenzheng.scss';
import { withCareMode } from '../../../../stores/care-mode';

const STATES: ReadonlyArray<[CaseState | undefined, string]> = [
  [undefined, '全部'],
  ['accepted', '办理中'],
  ['answered', '已答复'],
  ['closed', '已办结'],
];

/** 问政 home: public cases, filtered by category and status; post a question or open my questions. */
function WenzhengHomePage() {
  const [category, setCategory] = useState<WenzhengCategory | undefined>();
  const [state, setState] = useState<CaseState | undefined>();
  const list = usePagedList<CaseView>((cursor) => wenzhengApi.list({ category, state, cursor, limit: 10 }), [category, state]);
  useShareAppMessage(() => ({ title: '融媒问政 · 有事您说话', path: '/subpackages/wenzheng/pages/home/index' }));

  return (
    <View data-testid="wz-home">
      <View className="wz-actions">
        <Button type="primary" size="mini" data-testid="wz-ask" onClick={() => go('/subpackages/wenzheng/pages/post/index')}>
          我要问政
        </Button>
        <Button size="mini" onClick={() => go('/subpackages/wenzheng/pages/mine/index')}>
          我的问政
        </Button>
        <Button size="mini" onClick={() => go('/subpackages/wenzheng/pages/boards/index')}>
          部门榜单
        </Button>
      </View>
      <View className="wz-chips">
        {[undefined, ...WENZHENG_CATEGORIES].map((c) => (
          <View key={c ?? 'all'} className={`wz-chip ${category === c ? 'wz-chip--on' : ''}`} onClick={() => setCategory(c)}>
            {c ?? '全部类别'}
          </View>
        ))}
      </View>
      <View className="wz-chips">
        {STATES.map(([s, label]) => (
          <View key={label} className={`wz-chip ${state === s ? 'wz-chip--on' : ''}`} onClick={() => setState(s)}>
            {label}
          </View>
        ))}
      </View>
      <PagedList
        testId="wz-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="还没有公开的问政"
        renderItem={(c) => <CaseRow key={c.id} c={c} />}
      />
    </View>
  );
}

export default withCareMode(WenzhengHomePage);
