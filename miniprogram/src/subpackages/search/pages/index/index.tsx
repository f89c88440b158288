import { Search } from '@nutui/icons-react-taro';
import { SEARCH_KIND_LABELS, SEARCH_KINDS, type SearchHit, type SearchKind } from '@shared/schemas/search';
import { Input, View } from '@tarojs/components';
import { useState } from 'react';
import { Button, EmptyState, ListItem, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { searchApi } from '../../../../services/search.api';
import { sharePath } from '../../../../utils/deep-link';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import '../../search.scss';
import { withCareMode } from '../../../../stores/care-mode';

const OPEN: Record<SearchKind, (id: string) => string> = {
  article: (id) => sharePath('a', id),
  merchant: (id) => `/subpackages/merchants/pages/detail/index?id=${id}`,
  activity: (id) => `/subpackages/activities/pages/detail/index?id=${id}`,
};

/** One kind's results for the words, paged as the person scrolls. */
function Results({ q, kind }: { q: string; kind: SearchKind }) {
  const list = usePagedList<SearchHit>((cursor) => searchApi.search(q, kind, cursor));
  return (
    <PagedList
      testId="search-results"
      state={list.state}
      onRetry={list.reload}
      emptyTitle={`没有找到相关${SEARCH_KIND_LABELS[kind]}`}
      emptyDescription="换个词试试，比如镇名、店名或活动名称"
      renderItem={(h) => (
        <ListItem
          key={h.id}
          testId="search-hit"
          title={h.title}
          description={h.summary || undefined}
          meta={
            kind === 'merchant'
              ? undefined
              : kind === 'activity'
                ? `${formatShanghai(h.at)} 开始`
                : `${h.sponsored ? '推广 · ' : ''}${formatShanghai(h.at)}`
          }
          thumb={h.cover}
          onClick={() => go(OPEN[h.kind](h.id))}
        />
      )}
    />
  );
}

/** 搜索: news, merchants and volunteer activities, one kind per tab. */
function SearchPage() {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<SearchKind>('article');
  const submit = () => setQ(text.trim());
  return (
    <View className="sr-page" data-testid="search-page">
      <View className="sr-bar">
        <View className="sr-bar__box">
          <Search className="sr-bar__icon" />
          <Input
            className="sr-bar__input"
            data-testid="search-input"
            value={text}
            focus
            confirmType="search"
            placeholder="搜索新闻、商家、活动"
            onInput={(e) => setText(e.detail.value)}
            onConfirm={submit}
          />
        </View>
        <Button type="primary" size="small" data-testid="search-submit" onClick={submit}>
          搜索
        </Button>
      </View>
      <View className="sr-tabs">
        {SEARCH_KINDS.map((k) => (
          <View
            key={k}
            className={`sr-tabs__tab${k === kind ? ' sr-tabs__tab--on' : ''}`}
            data-testid={`search-kind-${k}`}
            onClick={() => setKind(k)}
          >
            {SEARCH_KIND_LABELS[k]}
          </View>
        ))}
      </View>
      {q ? (
        <Results key={`${kind}|${q}`} q={q} kind={kind} />
      ) : (
        <EmptyState title="输入想找的内容" description="可以搜新闻标题、商家名称或地址、志愿活动" />
      )}
    </View>
  );
}

export default withCareMode(SearchPage);
