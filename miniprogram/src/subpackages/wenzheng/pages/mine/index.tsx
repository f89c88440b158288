import type { CaseView } from '@shared/schemas/wenzheng';
import { View } from '@tarojs/components';
import { PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { wenzhengApi } from '../../../../services/wenzheng.api';
import { CaseRow } from '../../components/case-row';
import '../../wenzheng.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** My questions and the cases I follow (a duplicate of mine merged into them). */
function MyCasesPage() {
  const list = usePagedList<CaseView>((cursor) => wenzhengApi.mine(cursor));
  return (
    <View data-testid="wz-mine">
      <PagedList
        testId="wz-mine-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="你还没有提过问题"
        renderItem={(c) => <CaseRow key={c.id} c={c} />}
      />
    </View>
  );
}

export default withCareMode(MyCasesPage);
