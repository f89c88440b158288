import type { ArticleCard } from '@shared/schemas/newsroom';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ListItem } from '../../../components/ui';
import { columnName } from '../../../stores/columns';
import { formatShanghai } from '../../../utils/format';

/** 相关阅读: newest stories of the same circle or column. */
export function RelatedList({ items }: { items: ArticleCard[] }) {
  if (items.length === 0) return null;
  return (
    <View className="news-section" data-testid="related">
      <View className="news-section__title">相关阅读</View>
      {items.map((a) => (
        <ListItem
          key={a.id}
          title={a.title}
          meta={`${columnName(a.column)} · ${formatShanghai(a.publishedAt, false)}`}
          thumb={a.cover}
          onClick={() => void Taro.redirectTo({ url: `/subpackages/news/pages/article/index?id=${a.id}` })}
          testId="related-item"
        />
      ))}
    </View>
  );
}
