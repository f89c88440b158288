import { Swiper } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/swiper/style/css';
import type { ArticleCard } from '@shared/schemas/newsroom';
import { Image, View } from '@tarojs/components';
import { useState } from 'react';

/** The pinned headlines as a carousel (NutUI Swiper): the cover, the title over it, a dot per story. */
export function HeadlineCarousel({ items, onOpen }: { items: ArticleCard[]; onOpen: (a: ArticleCard) => void }) {
  const [current, setCurrent] = useState(0);
  if (items.length === 0) return null;
  return (
    <View className="home-carousel" data-testid="home-carousel">
      <Swiper
        // The frame's height is set in index.scss (.home-carousel), in design units the build converts.
        height="100%"
        autoplay
        loop
        interval={5000}
        onChange={(e: { detail: { current: number } }) => setCurrent(e.detail.current)}
      >
        {items.map((a) => (
          <View key={a.id} className="home-carousel__slide" data-testid="home-carousel-item" onClick={() => onOpen(a)}>
            {a.cover ? <Image className="home-carousel__img" src={a.cover} mode="aspectFill" /> : <View className="home-carousel__img" />}
            <View className="home-carousel__caption">{a.title}</View>
          </View>
        ))}
      </Swiper>
      <View className="home-carousel__dots">
        {items.map((a, i) => (
          <View key={a.id} className={`home-carousel__dot${i === current ? ' home-carousel__dot--on' : ''}`} />
        ))}
      </View>
    </View>
  );
}
